/**
 * The load generator of the gateway benchmarks: one bounded wrk run on loopback, and the CPU time of the process
 * under test. Used by run-bench.ts and feature-overhead-ab.ts.
 * @example const r = await runWrk({ url, seconds: 6, connections: 50, script, header: ['ApiKey', key] });
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface WrkResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  errors: Record<string, number>;
  /** CPU time of the proxy process tree per request (µs), from /proc. */
  cpuUsPerReq?: number;
  /** 1-minute load average when the run ended (other work on the machine shows here). */
  loadavg?: number;
}

/**
 * `wrk -t1 -c<connections> -d<seconds>s --timeout 2s -s <script> <url>`; `script` is bench/wrk-report.lua (adds
 * `header`, prints the summary as JSON). `cpu`: run wrk on that CPU only (taskset).
 */
export function runWrk(opts: {
  url: string;
  seconds: number;
  connections: number;
  script: string;
  header?: readonly [string, string];
  cpu?: number;
}): Promise<WrkResult> {
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '2s', '-s', opts.script];
  const env = {
    ...process.env,
    BENCH_HEADER_NAME: opts.header?.[0] ?? '',
    BENCH_HEADER_VALUE: opts.header?.[1] ?? '',
  };
  return new Promise((resolve, reject) => {
    const p =
      opts.cpu === undefined
        ? spawn('/usr/bin/wrk', [...args, opts.url], { env })
        : spawn('taskset', ['-c', String(opts.cpu), '/usr/bin/wrk', ...args, opts.url], { env });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', () => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
      if (line === undefined) reject(new Error(`wrk printed no summary:\n${out}`));
      else resolve(JSON.parse(line.slice('BENCH_JSON '.length)) as WrkResult);
    });
  });
}

/** Microseconds per clock tick of /proc's CPU times. */
export const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime (clock ticks) of `pid` and all its descendants, from /proc (Linux). */
export function cpuTicks(pid: number): number {
  const stat = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stat.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  const todo = [pid];
  while (todo.length > 0) {
    const p = todo.pop()!;
    total += stat.get(p)?.ticks ?? 0;
    for (const [child, s] of stat) if (s.ppid === p) todo.push(child);
  }
  return total;
}
