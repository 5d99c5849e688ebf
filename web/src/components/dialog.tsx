import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal dialog (native `<dialog>`: focus is trapped and Escape closes it). */
export function Dialog(p: {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (p.open && !d.open) d.showModal();
    if (!p.open && d.open) d.close();
  }, [p.open]);
  return (
    <dialog
      ref={ref}
      className={p.wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onClose={() => p.onClose()}
    >
      {p.open ? (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{p.title}</h2>
            <button
              type="button"
              className="btn btn-link close"
              aria-label="Close"
              onClick={() => p.onClose()}
            >
              ×
            </button>
          </div>
          <div className="dialog-body">{p.children}</div>
        </>
      ) : null}
    </dialog>
  );
}
