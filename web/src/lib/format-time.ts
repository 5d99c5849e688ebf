/** Formats epoch ms (number or numeric string) for display. */
export function when(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '') return '—';
  const n = typeof t === 'number' ? t : Number(t);
  return Number.isFinite(n) ? new Date(n).toLocaleString() : String(t);
}
