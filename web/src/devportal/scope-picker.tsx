import { useState } from 'react';
import { api, DP, type List } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { CheckboxGroup, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Loading } from '../components/loading';
import { keyManagerCapabilities } from './key-manager-capabilities';
import type { ApiDetail, Application, KeyManager, Subscription } from './types';

/** One scope a token may ask for, and the APIs that define it. */
interface OfferedScope {
  key: string;
  description: string;
  apis: string[];
}

/**
 * The scopes of the APIs `applicationId` is subscribed to (their `scopes`, plus any operation scope they do not
 * list), sorted by key.
 */
async function subscribedScopes(applicationId: string): Promise<OfferedScope[]> {
  const subs = await api<List<Subscription>>(
    'GET',
    `${DP}/subscriptions?applicationId=${encodeURIComponent(applicationId)}&limit=100`,
  );
  const apiIds = [...new Set(subs.list.map((s) => s.apiId))];
  const details = await Promise.all(
    apiIds.map((id) => api<ApiDetail>('GET', `${DP}/apis/${encodeURIComponent(id)}`)),
  );
  const byKey = new Map<string, OfferedScope>();
  const offer = (key: string, description: string, apiName: string) => {
    const s = byKey.get(key) ?? { key, description, apis: [] };
    if (!s.description) s.description = description;
    if (!s.apis.includes(apiName)) s.apis.push(apiName);
    byKey.set(key, s);
  };
  for (const d of details) {
    const label = `${d.name} ${d.version}`;
    for (const s of d.scopes ?? []) offer(s.key, s.description ?? '', label);
    for (const o of d.operations ?? []) for (const key of o.scopes) offer(key, '', label);
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Scopes of a token request. For a key manager whose scopes Portico knows (the resident one), a choice among the
 * scopes of the application's subscribed APIs; for external key managers, free text (Portico cannot list a
 * provider's scopes).
 */
export function ScopePicker(p: {
  app: Application;
  km: Pick<KeyManager, 'type'>;
  value: readonly string[];
  onChange(scopes: string[]): void;
}) {
  return keyManagerCapabilities(p.km).listsScopes ? (
    <SubscribedScopes {...p} />
  ) : (
    <FreeTextScopes value={p.value} onChange={p.onChange} />
  );
}

function SubscribedScopes(p: {
  app: Application;
  value: readonly string[];
  onChange(scopes: string[]): void;
}) {
  const scopes = useLoad(() => subscribedScopes(p.app.applicationId), p.app.applicationId);
  if (scopes.error) return <Alert kind="error">{scopes.error}</Alert>;
  if (!scopes.data) return <Loading what="Loading scopes" />;
  if (!scopes.data.length) {
    return (
      <div className="field">
        <p className="label-like">Scopes</p>
        <p className="field-hint">The APIs this application is subscribed to define no scopes.</p>
      </div>
    );
  }
  return (
    <CheckboxGroup
      legend="Scopes"
      options={scopes.data.map((s) => ({
        value: s.key,
        label: s.description ? `${s.key} — ${s.description}` : s.key,
      }))}
      values={[...p.value]}
      onChange={p.onChange}
    />
  );
}

function FreeTextScopes(p: { value: readonly string[]; onChange(scopes: string[]): void }) {
  const [text, setText] = useState(p.value.join(' '));
  return (
    <TextField
      label="Scopes"
      value={text}
      onChange={(t) => {
        setText(t);
        p.onChange(t.split(/[\s,]+/).filter(Boolean));
      }}
      hint="Optional, separated by spaces. This key manager's scopes cannot be listed here."
    />
  );
}
