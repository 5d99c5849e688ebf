import { useState, type FormEvent } from 'react';
import { ADM, api, errorText, type List } from '../lib/api';
import { useSession } from '../lib/session';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';
import { ActionMessages } from '../components/action-messages';
import { CheckboxGroup, TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';
import { Loading } from '../components/loading';
import { PageHeader } from '../components/page-header';
import { when } from '../lib/format-time';

const ROLES = ['admin', 'creator', 'publisher', 'subscriber'].map((r) => ({ value: r, label: r }));

interface AdminUser {
  username: string;
  roles: string[];
  email: string | null;
  createdTime: number;
}

/** Users and roles: add, change roles, delete. */
export function UsersPage() {
  const users = useLoad(() => api<List<AdminUser>>('GET', `${ADM}/users`), 'users');
  const { user: me } = useSession();
  const action = useAction(users.reload);
  const [added, setAdded] = useState<string | null>(null);
  const [edits, setEdits] = useState<Record<string, string[]>>({});
  const run = (id: string, work: () => Promise<string>) => {
    setAdded(null);
    void action.run(id, work);
  };

  return (
    <>
      <PageHeader title="Users and Roles" />
      <ActionMessages action={action} />
      {added ? <Alert kind="success">{added}</Alert> : null}
      <AddUser
        onAdded={(name) => {
          setAdded(`User ${name} added.`);
          users.reload();
        }}
      />
      <h2>Users</h2>
      {users.error ? <Alert kind="error">{users.error}</Alert> : null}
      {!users.data && !users.error ? <Loading what="Loading users" /> : null}
      <ul className="cards">
        {users.data?.list.map((u) => {
          const roles = edits[u.username] ?? u.roles;
          return (
            <li key={u.username} className="card">
              <h3>{u.username}</h3>
              <p className="meta">
                {u.email ?? 'No e-mail'} · created {when(u.createdTime)}
              </p>
              <CheckboxGroup
                legend={`Roles of ${u.username}`}
                options={ROLES}
                values={roles}
                onChange={(v) => setEdits((x) => ({ ...x, [u.username]: v }))}
              />
              <div className="form-actions">
                <Button
                  busy={action.busy === `roles-${u.username}`}
                  disabled={!edits[u.username]}
                  onClick={() =>
                    roles.length === 0
                      ? action.fail(`Give ${u.username} at least one role.`)
                      : run(`roles-${u.username}`, async () => {
                          await api('PUT', `${ADM}/users/${encodeURIComponent(u.username)}/roles`, { roles });
                          setEdits(({ [u.username]: _gone, ...rest }) => rest);
                          return `Roles of ${u.username} saved.`;
                        })
                  }
                >
                  Save roles
                </Button>
                {u.username !== me?.username ? (
                  <Button
                    variant="link"
                    className="danger-text"
                    busy={action.busy === `del-${u.username}`}
                    aria-label={`Delete user ${u.username}`}
                    onClick={() => {
                      if (!window.confirm(`Delete the user ${u.username}?`)) return;
                      run(`del-${u.username}`, async () => {
                        await api('DELETE', `${ADM}/users/${encodeURIComponent(u.username)}`);
                        return `User ${u.username} deleted.`;
                      });
                    }}
                  >
                    Delete
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function AddUser({ onAdded }: { onAdded(name: string): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<string[]>(['subscriber']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(username.trim()))
      errs.username = 'Use 1-100 letters, digits, or . _ @ -';
    if (password.length < 8) errs.password = 'At least 8 characters.';
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      errs.email = 'Enter a valid e-mail address.';
    if (!roles.length) errs.roles = 'Select at least one role.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await api('POST', `${ADM}/users`, {
        username: username.trim(),
        password,
        roles,
        ...(email.trim() ? { email: email.trim() } : {}),
      });
      onAdded(username.trim());
      setUsername('');
      setPassword('');
      setEmail('');
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a user</h2>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <div className="grid-3">
        <TextField
          label="Username"
          value={username}
          onChange={setUsername}
          error={errors.username}
          autoComplete="off"
          required
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          error={errors.password}
          autoComplete="new-password"
          required
        />
        <TextField label="E-mail" type="email" value={email} onChange={setEmail} error={errors.email} />
      </div>
      <CheckboxGroup legend="Roles" options={ROLES} values={roles} onChange={setRoles} error={errors.roles} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Add user
        </Button>
      </div>
    </form>
  );
}
