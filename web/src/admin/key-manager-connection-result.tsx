import { Alert } from '../components/alert';
import type { ConnectionCheck } from './key-manager-model';

const CHECK_LABELS: Record<string, string> = {
  discovery: 'Discovery document',
  jwks: 'JWKS',
  token: 'Client-credentials token',
};

/** What a connection test found, step by step (a live region: it is announced when it appears). */
export function ConnectionResult({ result }: { result: ConnectionCheck }) {
  const title = `Connection test of ${result.name}: ${result.ok ? 'OK' : 'failed'}`;
  return (
    <section className="card" aria-label={`Connection test of ${result.name}`} aria-live="polite">
      <Alert kind={result.ok ? 'success' : 'error'}>{title}</Alert>
      <ul className="plain">
        {result.steps.map((s) => (
          <li key={s.check}>
            <strong>{CHECK_LABELS[s.check] ?? s.check}</strong>: {s.status} — {s.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}
