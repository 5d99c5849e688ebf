import type { ReactNode } from 'react';
import type { Action } from '../lib/use-action';
import { ActionMessages } from './action-messages';
import { Alert } from './alert';
import { Loading } from './loading';
import { RowActions, type RowAction } from './row-actions';

/** One column: its header and what a row shows in it. */
export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
  className?: string;
}

/**
 * A list of resources as a table, with its states: the load error, "Loading …" until the first answer, the empty
 * message, else the rows (with an Actions column when `actions` is given).
 */
export function ResourceTable<T>(props: TableSpec<T> & (ListSource<T> | RowsSource<T>)) {
  const p = 'list' in props ? { ...props, rows: props.list.data?.list, error: props.list.error } : props;
  return <TableStates {...p} />;
}

/** A loaded WSO2 list (`useLoad` of `{count, list}`): its rows and its load error. */
interface ListSource<T> {
  list: LoadedList<T>;
}

/** Rows already at hand, with the error of loading them if any. */
interface RowsSource<T> {
  rows: readonly T[] | undefined;
  error?: string | null;
}

/** What a `useLoad` of a WSO2 list gives. */
export interface LoadedList<T> {
  data?: { list: readonly T[] } | null;
  error: string | null;
}

/** How to show one kind of resource. */
export interface TableSpec<T> {
  /** The loading text, e.g. `Loading applications`. */
  loading: string;
  /** Shown when the list is empty. */
  empty: ReactNode;
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  /** The row's links (and any other cell content) in the Actions column, before its buttons. */
  actions?(row: T): ReactNode;
  /** The row's buttons, run under `action`; falsy entries are skipped. */
  rowActions?(row: T): readonly (RowAction | false | null | undefined)[];
  /** The page's {@link Action}: its messages show above the table, and the row buttons run under it. */
  action?: Action;
  /** An accessible name for the table. */
  label?: string;
}

function TableStates<T>(p: TableSpec<T> & RowsSource<T>) {
  const hasActions = !!(p.actions || p.rowActions);
  const cell = (row: T) => (
    <td className="row-actions">
      {p.actions?.(row)}
      {p.rowActions && p.action ? (
        <RowActions rowId={p.rowKey(row)} action={p.action} actions={p.rowActions(row)} />
      ) : null}
    </td>
  );
  return (
    <>
      {p.action ? <ActionMessages action={p.action} /> : null}
      {p.error ? <Alert kind="error">{p.error}</Alert> : null}
      {!p.rows && !p.error ? <Loading what={p.loading} /> : null}
      {p.rows && p.rows.length === 0 ? <p className="empty">{p.empty}</p> : null}
      {p.rows && p.rows.length > 0 ? (
        <div className="table-wrap">
          <table aria-label={p.label}>
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th scope="col" key={c.header}>
                    {c.header}
                  </th>
                ))}
                {hasActions ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((row) => (
                <tr key={p.rowKey(row)}>
                  {p.columns.map((c) => (
                    <td key={c.header} className={c.className}>
                      {c.cell(row)}
                    </td>
                  ))}
                  {hasActions ? cell(row) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
