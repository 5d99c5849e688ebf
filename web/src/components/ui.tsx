import {
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  busy?: boolean;
};

/** A real `<button>` (type=button unless told), with a busy state that keeps its label readable. */
export function Button({
  variant = 'secondary',
  busy,
  className,
  children,
  disabled,
  type,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {children}
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
    </button>
  );
}

/** A message box; errors are announced immediately (role=alert), the others politely. */
export function Alert({
  kind,
  children,
}: {
  kind: 'error' | 'success' | 'info' | 'warning';
  children: ReactNode;
}) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A loading indicator. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

/** The page title with optional actions on the right. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children ? <div className="actions">{children}</div> : null}
    </div>
  );
}

export interface TabDef {
  id: string;
  label: string;
}

/**
 * WAI-ARIA tabs: arrow keys, Home and End move between tabs (automatic activation); only the active panel renders.
 */
export function Tabs(p: {
  label: string;
  tabs: readonly TabDef[];
  active: string;
  onChange(id: string): void;
  children: ReactNode;
  small?: boolean;
}) {
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const key = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const n = p.tabs.length;
    const to =
      e.key === 'ArrowRight'
        ? (index + 1) % n
        : e.key === 'ArrowLeft'
          ? (index - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : -1;
    if (to < 0) return;
    e.preventDefault();
    const t = p.tabs[to]!;
    p.onChange(t.id);
    refs.current[t.id]?.focus();
  };
  return (
    <div className={p.small ? 'tabs tabs-small' : 'tabs'}>
      <div role="tablist" aria-label={p.label} className="tablist">
        {p.tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={t.id === p.active}
            aria-controls={`${base}-panel`}
            tabIndex={t.id === p.active ? 0 : -1}
            className="tab"
            onClick={() => p.onChange(t.id)}
            onKeyDown={(e) => key(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${p.active}`}
        className="tabpanel"
      >
        {p.children}
      </div>
    </div>
  );
}

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

/** A read-only credential with Copy and, for secrets, Show/Hide (hidden by default). */
export function CopyField({ label, value, secret }: { label: string; value: string; secret?: boolean }) {
  const id = useId();
  const [shown, setShown] = useState(!secret);
  const [copied, setCopied] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(`${label} copied to the clipboard`);
    } catch {
      // No clipboard permission: select the text so the user can press Ctrl+C.
      input.current?.select();
      setCopied('Press Ctrl+C to copy the selected text');
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input
          ref={input}
          id={id}
          readOnly
          type={shown ? 'text' : 'password'}
          value={value}
          spellCheck={false}
          autoComplete="off"
          className="mono"
        />
        {secret ? (
          <Button
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
            aria-label={`${shown ? 'Hide' : 'Show'} ${label}`}
          >
            {shown ? 'Hide' : 'Show'}
          </Button>
        ) : null}
        <Button onClick={copy} aria-label={`Copy ${label}`}>
          Copy
        </Button>
      </div>
      <p className="sr-live" role="status">
        {copied}
      </p>
    </div>
  );
}

/** Formats epoch ms (number or numeric string) for display. */
export function when(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '') return '—';
  const n = typeof t === 'number' ? t : Number(t);
  return Number.isFinite(n) ? new Date(n).toLocaleString() : String(t);
}
