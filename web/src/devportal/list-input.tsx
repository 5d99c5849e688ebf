import { useState } from 'react';
import { TextField } from '../components/fields';
import { Button } from '../components/button';

/** A list of strings with an input and Add, and a Remove button per entry. */
export function ListInput(p: {
  label: string;
  items: readonly string[];
  onChange(items: string[]): void;
  validate(value: string): string | null;
  pending: string;
  onPending(v: string): void;
  error?: string | null;
  hint?: string;
  placeholder?: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const v = p.pending.trim();
    const problem = !v
      ? `Enter a value to add.`
      : (p.validate(v) ?? (p.items.includes(v) ? 'Already in the list.' : null));
    setError(problem);
    if (problem) return;
    p.onChange([...p.items, v]);
    p.onPending('');
  };
  return (
    <div className="list-input">
      <div className="add-row">
        <TextField
          label={p.label}
          value={p.pending}
          onChange={(v) => {
            setError(null);
            p.onPending(v);
          }}
          error={error ?? p.error}
          hint={p.hint}
          placeholder={p.placeholder}
        />
        <Button onClick={add} aria-label={`Add ${p.label}`}>
          Add
        </Button>
      </div>
      {p.items.length ? (
        <ul className="chips" aria-label={`${p.label} list`}>
          {p.items.map((item) => (
            <li key={item}>
              <span className="mono">{item}</span>
              <Button
                variant="link"
                aria-label={`Remove ${item}`}
                onClick={() => p.onChange(p.items.filter((x) => x !== item))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** IPv4, IPv6 or either in CIDR notation (the server checks again). */
export function ipProblem(value: string): string | null {
  const [addr = '', prefix, extra] = value.split('/');
  if (extra !== undefined) return 'Use one address, or address/prefix.';
  const v4 = IPV4.test(addr);
  const v6 = !v4 && addr.includes(':') && /^[0-9A-Fa-f:.]+$/.test(addr) && addr.split('::').length <= 2;
  if (!v4 && !v6) return `${value} is not an IPv4 or IPv6 address.`;
  if (prefix !== undefined) {
    const n = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(n >= 0 && n <= (v4 ? 32 : 128))) return `The prefix length must be 0-${v4 ? 32 : 128}.`;
  }
  return null;
}

/** A referrer pattern: no spaces or commas. */
export function refererProblem(value: string): string | null {
  return /^[^\s,]+$/.test(value)
    ? null
    : 'A referrer has no spaces or commas, e.g. www.example.com/path or *.example.com/*.';
}
