import { SelectField, TextField } from '../components/fields';
import type { AdminPolicy } from './policies-page';

/** The units of a burst control, as WSO2's admin portal offers them (Requests/s, Requests/min). */
const BURST_UNITS = [
  { value: 'sec', label: 'per second' },
  { value: 'min', label: 'per minute' },
];

/** The levels whose policies have a burst control. */
export const hasBurstControl = (level: string) => level === 'subscription' || level === 'application';

/**
 * A policy's burst control: subscription policies keep it in `rateLimitCount`/`rateLimitTimeUnit`, application
 * policies in `burstLimit` (null when none). A count of 0 means none, as the gateway reads it.
 */
export function burstOf(level: string, p: AdminPolicy): { count: number; unit: string | null } {
  const b = level === 'application' ? p.burstLimit : p;
  return { count: b?.rateLimitCount ?? 0, unit: b?.rateLimitTimeUnit ?? null };
}

/** "10/sec", or "—" when the policy has no burst control. */
export function burstText(level: string, p: AdminPolicy): string {
  const { count, unit } = burstOf(level, p);
  return count > 0 ? `${count}/${unit ?? 'sec'}` : '—';
}

/** The REST body fields that set the burst control of a `level` policy (none when `count` is 0). */
export function burstBody(level: string, count: number, unit: string): Record<string, unknown> {
  if (level === 'application')
    return { burstLimit: count > 0 ? { rateLimitCount: count, rateLimitTimeUnit: unit } : null };
  return { rateLimitCount: count, rateLimitTimeUnit: count > 0 ? unit : null };
}

/** The "Burst control (rate limiting)" group: a request count (0 or empty: none) and its time unit. */
export function BurstControlFields(p: {
  count: string;
  unit: string;
  onCount(v: string): void;
  onUnit(v: string): void;
  error?: string;
}) {
  return (
    <fieldset className="group">
      <legend>Burst control (rate limiting)</legend>
      <div className="grid-2">
        <TextField
          label="Request count (burst)"
          inputMode="numeric"
          value={p.count}
          onChange={p.onCount}
          error={p.error}
          hint="0 or empty: no burst control."
        />
        <SelectField label="Burst time unit" value={p.unit} onChange={p.onUnit} options={BURST_UNITS} />
      </div>
    </fieldset>
  );
}
