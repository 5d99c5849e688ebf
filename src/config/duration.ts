/** Parses a config duration (`900`, `"900s"`, `"15m"`, `"250ms"`, `"1h"`) to milliseconds; bare numbers are seconds. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v * 1000;
  const m = /^([0-9]+)(ms|s|m|h)?$/.exec(v);
  if (!m) throw new Error(`not a duration: ${v}`);
  const n = Number(m[1]);
  switch (m[2]) {
    case 'ms':
      return n;
    case 'm':
      return n * 60_000;
    case 'h':
      return n * 3_600_000;
    default:
      return n * 1000;
  }
}
