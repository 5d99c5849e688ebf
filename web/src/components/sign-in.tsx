import { useState, type FormEvent } from 'react';
import { ApiError, errorText } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { TextField } from './fields';
import { Alert } from './alert';
import { Button } from './button';

/** Sign-in form; on success the current page renders for the user (or `next` is opened). */
export function SignInForm({ next, signUp }: { next?: string; signUp?: string }) {
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ username?: string; password?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!username.trim()) errs.username = 'Enter your user name.';
    if (!password) errs.password = 'Enter your password.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await signIn(username.trim(), password);
      if (next) navigate(next, { replace: true });
    } catch (err) {
      setFailure(
        err instanceof ApiError && err.status === 401 ? 'Invalid user name or password.' : errorText(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {failure ? <Alert kind="error">{failure}</Alert> : null}
      <TextField
        label="Username"
        value={username}
        onChange={setUsername}
        autoComplete="username"
        error={errors.username}
        required
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        error={errors.password}
        required
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
        {signUp ? (
          <Link to={signUp} className="btn btn-link">
            Create an account
          </Link>
        ) : null}
      </div>
    </form>
  );
}
