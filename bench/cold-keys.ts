/**
 * First-use cost of an API key through a real gateway process: for each of `n` freshly minted keys, one request
 * (cache miss: parse + RS256 verify + restrictions compiled) then the same key again (cache hit), sequentially on
 * one keep-alive connection so nothing else competes. Keys are minted before timing starts.
 */
import { Client } from 'undici';
import { APP_GOLD, mintApiKey } from './bench-fixture.js';

export interface ColdResult {
  n: number;
  coldMedianMs: number;
  coldP90Ms: number;
  warmMedianMs: number;
  deltaMedianMs: number;
}

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
};

export async function measureColdKeys(port: number, n: number): Promise<ColdResult> {
  const client = new Client(`http://127.0.0.1:${port}`);
  const keys = Array.from({ length: n + 20 }, () => mintApiKey(APP_GOLD));
  const once = async (key: string): Promise<number> => {
    const t = process.hrtime.bigint();
    const r = await client.request({ path: '/bench/1.0.0/menu', method: 'GET', headers: { apikey: key } });
    await r.body.dump();
    if (r.statusCode !== 200) throw new Error(`cold-keys: status ${r.statusCode}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  // Warm the JIT and the connection with 20 keys that are not counted.
  for (const k of keys.slice(0, 20)) {
    await once(k);
    await once(k);
  }
  const cold: number[] = [];
  const warm: number[] = [];
  const deltas: number[] = [];
  for (const k of keys.slice(20)) {
    const c = await once(k);
    const w = await once(k);
    cold.push(c);
    warm.push(w);
    deltas.push(c - w);
  }
  await client.close();
  return {
    n,
    coldMedianMs: pct(cold, 0.5),
    coldP90Ms: pct(cold, 0.9),
    warmMedianMs: pct(warm, 0.5),
    deltaMedianMs: pct(deltas, 0.5),
  };
}
