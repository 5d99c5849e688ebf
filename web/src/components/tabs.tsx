import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

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
