import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
let keepFocus = false;
window.addEventListener('popstate', () => {
  keepFocus = false;
  notify();
});

/**
 * Goes to `to` (a path of this origin) without reloading. `keepFocus` is for in-page changes reflected in the URL
 * (a tab): focus stays where the user is instead of moving to the new page's content.
 */
export function navigate(to: string, opts: { replace?: boolean; keepFocus?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  keepFocus = !!opts.keepFocus;
  if (!keepFocus) window.scrollTo(0, 0);
  notify();
}

/** Whether the last navigation was a page change (the shell then moves focus to the main content). */
export function navigationMovesFocus(): boolean {
  return !keepFocus;
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The current path (re-renders on navigation). */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** The current query string parameters. */
export function useQuery(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, () => location.search);
  return new URLSearchParams(search);
}

/**
 * Matches `path` against a pattern like `/devportal/applications/:id/:tab?`; returns the decoded params or null.
 */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  const params: Record<string, string> = {};
  let i = 0;
  for (; i < p.length; i++) {
    const seg = p[i]!;
    const optional = seg.endsWith('?');
    const name = optional ? seg.slice(1, -1) : seg.slice(1);
    const value = s[i];
    if (value === undefined) {
      if (optional) continue;
      return null;
    }
    if (seg.startsWith(':')) params[name] = decodeURIComponent(value);
    else if (seg !== value) return null;
  }
  return s.length <= p.length ? params : null;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children: ReactNode };

/** An in-app link: a real `<a href>` (open in new tab works), client-side navigation on a plain click. */
export function Link({ to, children, onClick, ...rest }: LinkProps) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={click} {...rest}>
      {children}
    </a>
  );
}
