import { useState } from 'react';
import { api, errorText, PUB } from '../lib/api';
import { SelectField, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import type { PubApi } from './types';

const OPTIONS = [
  { value: 'NONE', label: 'All (no restriction)' },
  { value: 'RESTRICTED', label: 'Restrict by role(s)' },
];

/** The roles typed in the roles field: comma-separated, trimmed, without duplicates. */
export function parseRoles(text: string): string[] {
  return [...new Set(text.split(',').map((r) => r.trim()))].filter((r) => r !== '');
}

/** How the Overview names an API's Publisher access control. */
export function accessControlText(a: Pick<PubApi, 'accessControl' | 'accessControlRoles'>): string {
  return a.accessControl === 'RESTRICTED'
    ? `Restricted to ${a.accessControlRoles.join(', ')}`
    : 'All publishers and creators';
}

/**
 * Develop → Portal Configurations → Access Control: which publishers and creators may see and change this API
 * (WSO2's "Publisher Access Control"). The server refuses roles that do not exist or that the user lacks.
 */
export function AccessControlSection({ api: a, onSaved }: { api: PubApi; onSaved(): void }) {
  const [mode, setMode] = useState(a.accessControl === 'RESTRICTED' ? 'RESTRICTED' : 'NONE');
  const [roles, setRoles] = useState(a.accessControlRoles.join(', '));
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const list = parseRoles(roles);
    setFailure(null);
    setDone(null);
    if (mode === 'RESTRICTED' && list.length === 0) {
      setError('Enter at least one role, e.g. Internal/publisher.');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await api('PUT', `${PUB}/apis/${a.id}`, {
        ...a,
        accessControl: mode,
        accessControlRoles: mode === 'RESTRICTED' ? list : [],
      });
      setDone('Saved.');
      onSaved();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="access-control-title" className="stack">
      <h1 id="access-control-title">Access Control</h1>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      {done ? <Alert kind="success">{done}</Alert> : null}
      <div className="card stack">
        <SelectField
          label="Publisher access control"
          value={mode}
          onChange={setMode}
          options={OPTIONS}
          hint="Who may see and change this API in the Publisher. Admins always may."
        />
        {mode === 'RESTRICTED' ? (
          <TextField
            label="Roles"
            value={roles}
            onChange={setRoles}
            error={error}
            required
            placeholder="Internal/publisher, team-a"
            hint="Comma-separated. You must hold at least one of them, so that you keep access."
          />
        ) : null}
      </div>
      <div className="form-actions">
        <Button variant="primary" onClick={() => void save()} busy={busy} disabled={busy}>
          Save
        </Button>
      </div>
    </section>
  );
}
