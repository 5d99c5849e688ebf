/**
 * Prints the hottest functions of a V8 `.cpuprofile` (self and inclusive time), e.g. of a gateway run with
 * `BENCH_PROFILE=1 bench/run.sh`:  npx tsx bench/top-frames.ts bench/results/prof/CPU.*.cpuprofile [count=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const file = process.argv[2]!;
const count = Number(process.argv[3] ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const name = (n: Node) =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const total = prof.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
const self = new Map<string, number>();
const incl = new Map<string, number>();
const walk = (n: Node, stack: Set<string>): number => {
  let sum = n.hitCount ?? 0;
  for (const c of n.children ?? []) sum += walk(byId.get(c)!, new Set([...stack, name(n)]));
  const k = name(n);
  self.set(k, (self.get(k) ?? 0) + (n.hitCount ?? 0));
  if (!stack.has(k)) incl.set(k, (incl.get(k) ?? 0) + sum);
  return sum;
};
walk(prof.nodes[0]!, new Set());
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${total} samples)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, count))
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
show('self', self);
show('inclusive', incl);
