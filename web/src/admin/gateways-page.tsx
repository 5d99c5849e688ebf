import { useState, type FormEvent } from 'react';
import { ADM, api } from '../lib/api';
import { when } from '../lib/format-time';
import { useLoad } from '../lib/use-load';
import { useRefreshWhileVisible } from '../lib/use-refresh-while-visible';
import { Button } from '../components/button';
import { TextField } from '../components/fields';
import { PageHeader } from '../components/page-header';
import { ResourceTable } from '../components/resource-table';
import { appliedVersionColumn, gatewayIdColumn } from './gateway-columns';
import { GatewayEnforcement } from './gateway-enforcement';
import type { GatewayInfo, GatewayList } from './gateway-types';

/** How often the list refreshes while the page is visible. */
export const GATEWAYS_REFRESH_MS = 3_000;
const VERSION = /^(0|[1-9][0-9]{0,15})$/;

/** The gateways reporting to the control plane, and whether a change is enforced on them. */
export function GatewaysPage() {
  const [input, setInput] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const gateways = useLoad(
    () => api<GatewayList>('GET', `${ADM}/gateways${version === null ? '' : `?minVersion=${version}`}`),
    version ?? '',
  );
  useRefreshWhileVisible(gateways.reload, GATEWAYS_REFRESH_MS);
  const head = gateways.data?.head;
  const enforcement = gateways.data?.enforcement;

  const check = (e: FormEvent) => {
    e.preventDefault();
    const v = input.trim();
    if (!VERSION.test(v)) return setInputError('Enter a change version: a whole number such as 42.');
    setInputError(null);
    setVersion(String(Number(v)));
  };
  const lastHeartbeat = (g: GatewayInfo) => (
    <>
      {when(g.lastSeenAt)} {g.status === 'STALE' ? <span className="badge badge-stale">STALE</span> : null}
    </>
  );

  return (
    <>
      <PageHeader title="Gateways" />
      <p className="meta">
        {head === undefined ? '' : `Change log head: ${head}. `}
        Gateways report the change version they serve every few seconds; this list refreshes every{' '}
        {GATEWAYS_REFRESH_MS / 1000} s while the page is visible. A gateway silent for 30 s is STALE and not
        counted.
      </p>
      <ResourceTable<GatewayInfo>
        label="Gateways"
        list={gateways}
        loading="Loading gateways"
        empty="No gateway has reported to this control plane yet."
        rowKey={(g) => g.gatewayId}
        columns={[
          gatewayIdColumn(),
          { header: 'Address', cell: (g) => g.address, className: 'mono' },
          appliedVersionColumn(),
          { header: 'Lag', cell: (g) => (head === undefined ? '—' : Math.max(0, head - g.appliedVersion)) },
          { header: 'Source', cell: (g) => g.source },
          { header: 'Last heartbeat', cell: lastHeartbeat },
        ]}
      />
      <h2>Enforcement of a change</h2>
      <form className="toolbar" onSubmit={check} noValidate aria-label="Check enforcement">
        <TextField
          label="Change version"
          value={input}
          onChange={setInput}
          inputMode="numeric"
          error={inputError}
          hint="A revoke answers with the version it created (header X-Portico-Change-Version)."
        />
        <Button type="submit" variant="primary">
          Check enforcement
        </Button>
      </form>
      {enforcement && String(enforcement.version) === version ? (
        <GatewayEnforcement enforcement={enforcement} />
      ) : null}
    </>
  );
}
