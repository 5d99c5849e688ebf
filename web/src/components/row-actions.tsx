import type { ReactNode } from 'react';
import type { Action } from '../lib/use-action';
import { Button } from './button';

/** One button of a table row. */
export interface RowAction {
  label: string;
  /** The accessible name, naming the row (`Delete PizzaShackAPI`): tests and screen readers find it by this. */
  ariaLabel: string;
  /** When set, asked with `window.confirm` first; the action runs only on OK. */
  confirm?: string;
  /** A red link-style button (deletes, revokes). */
  danger?: boolean;
  /** Runs under the row's {@link Action}; a string answer is shown as the success message. */
  run(): Promise<string | void>;
}

/**
 * The buttons of one row (links given as children come first); each shows busy while its call runs and the
 * shared {@link Action} shows its error. Falsy entries are skipped, so a row can offer a button conditionally.
 */
export function RowActions(p: {
  rowId: string;
  action: Action;
  actions: readonly (RowAction | false | null | undefined)[];
  children?: ReactNode;
}) {
  return (
    <>
      {p.children}
      {p.actions.map((a) => {
        if (!a) return null;
        const id = `${p.rowId}:${a.label}`;
        return (
          <Button
            key={a.label}
            variant={a.danger ? 'link' : 'secondary'}
            className={a.danger ? 'danger-text' : undefined}
            busy={p.action.busy === id}
            aria-label={a.ariaLabel}
            onClick={() => {
              if (a.confirm && !window.confirm(a.confirm)) return;
              void p.action.run(id, a.run);
            }}
          >
            {a.label}
          </Button>
        );
      })}
    </>
  );
}
