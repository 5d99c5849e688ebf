import { useEffect, useRef, type ReactNode } from 'react';
import { Link, navigationMovesFocus, usePath } from '../lib/router';
import { useSession } from '../lib/session';
import { Button } from './button';
import { Loading } from './loading';
import { SignInForm } from './sign-in';

export interface NavItem {
  to: string;
  label: string;
  /** The item is current when the path starts with this (default `to`). */
  prefix?: string;
}

const PORTALS = [
  { to: '/devportal', label: 'Developer Portal' },
  { to: '/publisher', label: 'Publisher' },
  { to: '/admin', label: 'Admin' },
];

/** Page frame: skip link, header with the portal's navigation and the user menu, main landmark. */
export function Shell(p: { portal: string; title: string; nav: readonly NavItem[]; children: ReactNode }) {
  const path = usePath();
  const { user, signOut } = useSession();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // Move focus to the new page so screen readers and keyboard users start at its content.
    if (first.current) first.current = false;
    else if (navigationMovesFocus()) main.current?.focus();
  }, [path]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to={p.portal} className="brand">
            <span className="logo" aria-hidden="true">
              P
            </span>
            Portico <span className="brand-sub">{p.title}</span>
          </Link>
          <nav aria-label="Main" className="mainnav">
            <ul>
              {p.nav.map((n) => {
                const current = path === n.to || path.startsWith(`${n.prefix ?? n.to}/`);
                return (
                  <li key={n.to}>
                    <Link to={n.to} aria-current={current ? 'page' : undefined}>
                      {n.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="usermenu">
            {user ? (
              <>
                <span className="username" title="Signed in user">
                  {user.username}
                </span>
                <Button variant="link" onClick={() => void signOut()}>
                  Sign out
                </Button>
              </>
            ) : user === null ? (
              <Link to={`${p.portal}/sign-in`} className="btn btn-link">
                Sign in
              </Link>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {p.children}
      </main>
      <footer className="footer">
        <nav aria-label="Portals">
          {PORTALS.map((x) => (
            <a key={x.to} href={x.to}>
              {x.label}
            </a>
          ))}
        </nav>
      </footer>
    </>
  );
}

/**
 * Renders `children` for a signed-in user holding one of `scopes` (any scope when empty), a sign-in form for a
 * visitor, and an explanation for a user without the scope.
 */
export function RequireUser({ scopes = [], children }: { scopes?: readonly string[]; children: ReactNode }) {
  const { user } = useSession();
  if (user === undefined) return <Loading what="Checking your session" />;
  if (user === null) return <SignInForm />;
  if (scopes.length && !scopes.some((s) => user.scopes.includes(s))) {
    return (
      <div className="card">
        <h1>Not allowed</h1>
        <p>
          Your account ({user.username}) does not have the permission needed here ({scopes.join(' or ')}). Ask
          an administrator to give you the right role.
        </p>
      </div>
    );
  }
  return <>{children}</>;
}
