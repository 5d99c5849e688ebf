import { useState, type FormEvent } from 'react';
import { ADM, api } from '../lib/api';
import { when } from '../lib/format-time';
import { useLoad } from '../lib/use-load';
import { SelectField, TextField } from '../components/fields';
import { Button } from '../components/button';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
// One audit event as `GET /api/am/admin/v4/audit-events` returns it, as the server declares it (types only).
import type { AuditEventDto as AuditEvent } from '../../../src/control-plane/audit/audit-wire-types';

interface AuditPage {
  count: number;
  list: AuditEvent[];
  pagination: { offset: number; limit: number; total: number };
}

interface Filters {
  action: string;
  actor: string;
  targetId: string;
  outcome: string;
  from: string;
  to: string;
}

const PAGE = 25;
const NONE: Filters = { action: '', actor: '', targetId: '', outcome: '', from: '', to: '' };
const FAMILIES = [
  { value: '', label: 'All events' },
  { value: 'apikey.*', label: 'API keys' },
  { value: 'oauth-keys.*', label: 'OAuth keys' },
  { value: 'client-secret.*', label: 'Client secrets' },
  { value: 'token.*', label: 'Token revocations' },
  { value: 'subscription.*', label: 'Subscriptions' },
  { value: 'application.*', label: 'Applications' },
  { value: 'user.signed-in', label: 'Sign-ins' },
  { value: 'user.*', label: 'Users and roles' },
  { value: 'keymanager.*', label: 'Key managers' },
  { value: 'deny-policy.*', label: 'Deny policies' },
];
const OUTCOMES = [
  { value: '', label: 'Any outcome' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
];
const TIME_HINT = 'An ISO-8601 time with its zone, e.g. 2026-12-01T09:00:00Z';

/** The query string of a page of events under `f`. */
function queryOf(f: Filters, offset: number): string {
  const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
  return q.toString();
}

const detailsText = (e: AuditEvent) =>
  Object.entries(e.details)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');

/** Admin → Audit Log: credential and access events, newest first, with filters and paging. */
export function AuditLogPage() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const [offset, setOffset] = useState(0);
  const query = queryOf(filters, offset);
  const events = useLoad(() => api<AuditPage>('GET', `${ADM}/audit-events?${query}`), query);
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    setOffset(0);
  };
  const p = events.data?.pagination;
  return (
    <>
      <PageHeader title="Audit Log" />
      <p>
        Who issued, rotated or revoked a credential, changed a subscription, a key manager, a user or a deny
        policy, and every sign-in, with the client address and the outcome. Secrets are never recorded.
      </p>
      <form className="card form" onSubmit={apply} noValidate aria-labelledby="audit-filter-title">
        <h2 id="audit-filter-title">Filter events</h2>
        <div className="grid-3">
          <SelectField label="Event" value={draft.action} onChange={set('action')} options={FAMILIES} />
          <TextField
            label="Actor"
            value={draft.actor}
            onChange={set('actor')}
            hint="A user name or client id"
          />
          <TextField label="Target id" value={draft.targetId} onChange={set('targetId')} />
          <SelectField label="Outcome" value={draft.outcome} onChange={set('outcome')} options={OUTCOMES} />
          <TextField label="From" value={draft.from} onChange={set('from')} hint={TIME_HINT} />
          <TextField label="To" value={draft.to} onChange={set('to')} hint={TIME_HINT} />
        </div>
        <div className="form-actions">
          <Button type="submit" variant="primary">
            Apply filters
          </Button>
          <Button
            onClick={() => {
              setDraft(NONE);
              setFilters(NONE);
              setOffset(0);
            }}
          >
            Clear filters
          </Button>
        </div>
      </form>
      <h2>Events</h2>
      {p ? (
        <p className="meta" aria-live="polite">
          {p.total === 0
            ? 'No events match.'
            : `Events ${p.offset + 1}–${p.offset + (events.data?.count ?? 0)} of ${p.total}, newest first.`}
        </p>
      ) : null}
      <ResourceTable
        list={events}
        label="Audit events"
        loading="Loading audit events"
        empty="No audit events."
        rowKey={(e) => e.id}
        columns={[
          { header: 'Time', cell: (e) => when(e.time) },
          { header: 'Actor', cell: (e) => e.actor },
          { header: 'Client IP', cell: (e) => e.clientIp ?? '—' },
          { header: 'Event', cell: (e) => <code>{e.action}</code> },
          {
            header: 'Target',
            cell: (e) =>
              `${e.target.type} ${e.target.name && e.target.name !== e.target.id ? `${e.target.name} (${e.target.id})` : e.target.id}`,
          },
          {
            header: 'Outcome',
            cell: (e) =>
              e.outcome === 'success' ? (
                'Success'
              ) : (
                <span className="badge badge-blocked">Failure: {e.reason}</span>
              ),
          },
          { header: 'Details', cell: detailsText },
        ]}
      />
      {p && p.total > PAGE ? (
        <div className="form-actions">
          <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Newer events
          </Button>
          <Button disabled={offset + PAGE >= p.total} onClick={() => setOffset(offset + PAGE)}>
            Older events
          </Button>
        </div>
      ) : null}
    </>
  );
}
