/**
 * The largest validity WSO2 and Portico put on the wire for "never expires" (`expires_in` of a token with a
 * negative validity is this int32 maximum).
 */
export const NEVER_SECONDS = 2147483647;

/** Whether a validity in seconds means "never expires": negative, or the int32 maximum. */
export function isNever(seconds: number | null | undefined): boolean {
  return seconds === null || seconds === undefined || seconds < 0 || seconds >= NEVER_SECONDS;
}

/** A validity period for display: `Never`, or `3600 seconds (1 hour)`. */
export function validityText(seconds: number | null | undefined): string {
  if (isNever(seconds)) return 'Never';
  const s = seconds!;
  const human = humanDuration(s);
  return human ? `${s} seconds (${human})` : `${s} seconds`;
}

const UNITS: [number, string][] = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
];

/** `1 day`, `2 hours`, `90 minutes`... for a whole number of a unit; '' when seconds say it best. */
function humanDuration(s: number): string {
  for (const [size, unit] of UNITS) {
    if (s >= size && s % size === 0) {
      const n = s / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return '';
}
