import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { Alert } from './alert';
import { Loading } from './loading';

/** Counts and latency of a set of requests, as the usage endpoints report them. */
interface Figures {
  count: number;
  success: number;
  clientErrors: number;
  serverErrors: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}
type Row = Figures & Record<string, string | number | null>;
interface UsageReport {
  from: number;
  to: number;
  granularity: 'minute' | 'hour' | 'day';
  totals: Figures;
  series: (Figures & { start: number })[];
  [list: string]: unknown;
}

/** The time ranges offered, each with the granularity its chart uses. */
const RANGES = [
  { id: '1h', label: 'Last hour', ms: 3_600_000, granularity: 'minute' },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000, granularity: 'hour' },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, granularity: 'hour' },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000, granularity: 'day' },
] as const;

/** One breakdown table: which list of the report, its title and the columns naming a row. */
export interface UsageBreakdown {
  list: string;
  title: string;
  columns: readonly { key: string; label: string; render?: (row: Row) => string }[];
}

const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);
const tick = (g: UsageReport['granularity']) => (t: number) => {
  const d = new Date(t);
  return g === 'day'
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
};

/**
 * Usage analytics of one scope (an application, an API, the platform): a time-range picker, a stacked bar chart
 * of successes, client errors and server errors per step (recharts, SVG), the totals with p50/p95 latency, and
 * breakdown tables. An empty range says so instead of drawing an empty chart.
 */
export function UsagePanel({
  path,
  title,
  breakdowns,
}: {
  path: string;
  title: string;
  breakdowns: readonly UsageBreakdown[];
}) {
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('24h');
  const r = RANGES.find((x) => x.id === range)!;
  const report = useLoad(() => {
    const to = Date.now();
    return api<UsageReport>('GET', `${path}?from=${to - r.ms}&to=${to}&granularity=${r.granularity}`);
  }, `${path} ${range}`);
  const data = report.data;
  return (
    <section aria-labelledby="usage-title" className="usage">
      <div className="usage-head">
        <h2 id="usage-title">{title}</h2>
        <label>
          Time range{' '}
          <select value={range} onChange={(e) => setRange(e.target.value as typeof range)}>
            {RANGES.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-secondary" onClick={report.reload}>
          Refresh
        </button>
      </div>
      {report.error ? <Alert kind="error">{report.error}</Alert> : null}
      {!data && !report.error ? <Loading what="Loading usage" /> : null}
      {data && data.totals.count === 0 ? (
        <p className="empty" role="status">
          No traffic in this period. Requests through the gateway appear here within a minute.
        </p>
      ) : null}
      {data && data.totals.count > 0 ? (
        <>
          <dl className="facts usage-totals" aria-label="Totals">
            <dt>Requests</dt>
            <dd>{data.totals.count}</dd>
            <dt>Successful</dt>
            <dd>{data.totals.success}</dd>
            <dt>Client errors (4xx)</dt>
            <dd>{data.totals.clientErrors}</dd>
            <dt>Server errors (5xx)</dt>
            <dd>{data.totals.serverErrors}</dd>
            <dt>Latency p50 / p95</dt>
            <dd>
              {ms(data.totals.latencyP50Ms)} / {ms(data.totals.latencyP95Ms)}
            </dd>
          </dl>
          <figure className="usage-chart">
            <figcaption>Requests per {data.granularity}, by outcome</figcaption>
            <div
              role="img"
              aria-label={`Bar chart: ${data.totals.count} requests, ${data.totals.clientErrors} client errors, ${data.totals.serverErrors} server errors`}
            >
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={data.series} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="start" tickFormatter={tick(data.granularity)} minTickGap={24} />
                  <YAxis allowDecimals={false} />
                  <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} />
                  <Legend />
                  <Bar
                    dataKey="success"
                    name="Successful"
                    stackId="a"
                    fill="#1b7f3b"
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="clientErrors"
                    name="Client errors"
                    stackId="a"
                    fill="#a05a00"
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="serverErrors"
                    name="Server errors"
                    stackId="a"
                    fill="#b3261e"
                    isAnimationActive={false}
                  />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </figure>
          {breakdowns.map((b) => (
            <BreakdownTable key={b.list} breakdown={b} rows={(data[b.list] as Row[] | undefined) ?? []} />
          ))}
        </>
      ) : null}
    </section>
  );
}

function BreakdownTable({ breakdown, rows }: { breakdown: UsageBreakdown; rows: Row[] }) {
  return (
    <table className="table">
      <caption>{breakdown.title}</caption>
      <thead>
        <tr>
          {breakdown.columns.map((c) => (
            <th key={c.key} scope="col">
              {c.label}
            </th>
          ))}
          <th scope="col">Requests</th>
          <th scope="col">4xx</th>
          <th scope="col">5xx</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {breakdown.columns.map((c) => (
              <td key={c.key}>{c.render ? c.render(row) : String(row[c.key] ?? '')}</td>
            ))}
            <td>{row.count}</td>
            <td>{row.clientErrors}</td>
            <td>{row.serverErrors}</td>
            <td>{ms(row.latencyP50Ms)}</td>
            <td>{ms(row.latencyP95Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
