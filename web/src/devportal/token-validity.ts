/**
 * What is wrong with a typed access-token validity (whole seconds, 1 to 2147483647), or null. "Never expires" is a
 * checkbox of its own, sent as -1 (WSO2: a negative validity makes a token that never expires).
 */
export function validityProblem(text: string): string | null {
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t) || Number(t) < 1 || Number(t) > 2147483647)
    return 'Enter the validity period as a whole number of seconds (at least 1), or choose never.';
  return null;
}
