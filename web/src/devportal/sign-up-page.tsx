import { useState, type FormEvent } from 'react';
import { api, DP, errorText } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { TextField } from '../components/fields';
import { Alert } from '../components/alert';
import { Button } from '../components/button';

/** Self sign-up (`POST /sign-up`), then sign-in with the new account. */
export function SignUpPage() {
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(username.trim()))
      errs.username = 'Use 1-100 letters, digits, or . _ @ -';
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      errs.email = 'Enter a valid e-mail address.';
    if (password.length < 8) errs.password = 'The password must have at least 8 characters.';
    if (confirm !== password) errs.confirm = 'The passwords do not match.';
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await api('POST', `${DP}/sign-up`, {
        username: username.trim(),
        password,
        ...(email.trim() ? { email: email.trim() } : {}),
      });
      await signIn(username.trim(), password);
      navigate('/devportal/applications', { replace: true });
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Sign up</h1>
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
        label="E-mail"
        type="email"
        value={email}
        onChange={setEmail}
        autoComplete="email"
        error={errors.email}
      />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        error={errors.password}
        hint="At least 8 characters."
        required
      />
      <TextField
        label="Confirm password"
        type="password"
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
        error={errors.confirm}
        required
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Sign up
        </Button>
        <Link to="/devportal/sign-in" className="btn btn-link">
          I have an account
        </Link>
      </div>
    </form>
  );
}
