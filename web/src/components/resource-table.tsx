import type { ReactNode } from 'react';
import { Alert } from './alert';
import { Loading } from './loading';

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
export function ResourceTable<T>(p: {
  rows: readonly T[] | undefined;
  error?: string | null;
  /** The loading text, e.g. `Loading applications`. */
  loading: string;
  /** Shown when the list is empty. */
  empty: ReactNode;
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  /** The row's buttons and links (usually a {@link RowActions}). */
  actions?(row: T): ReactNode;
  /** An accessible name for the table. */
  label?: string;
}) {
  return (
    <>
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
                {p.actions ? (
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
                  {p.actions ? <td className="row-actions">{p.actions(row)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
