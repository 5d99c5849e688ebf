import { when } from '../lib/format-time';
import { ResourceTable } from '../components/resource-table';
import { appliedVersionColumn, gatewayIdColumn } from './gateway-columns';
import type { Enforcement } from './gateway-types';

/** "Enforced on N of M active gateways" for one change, with each gateway's applied version and time. */
export function GatewayEnforcement({ enforcement: e }: { enforcement: Enforcement }) {
  return (
    <section aria-labelledby="enforcement-title" className="stack">
      <h2 id="enforcement-title">Change {e.version}</h2>
      <p role="status" className="enforcement-summary">
        Enforced on {e.enforced} of {e.total} active {e.total === 1 ? 'gateway' : 'gateways'}
      </p>
      <ResourceTable<Enforcement['gateways'][number]>
        label={`Enforcement of change ${e.version}`}
        rows={e.gateways}
        loading="Loading enforcement"
        empty="No active gateway reports to this control plane."
        rowKey={(g) => g.gatewayId}
        columns={[
          gatewayIdColumn(),
          appliedVersionColumn(),
          { header: 'Enforced', cell: (g) => (g.enforced ? 'Yes' : 'Not yet') },
          { header: 'Enforced by', cell: (g) => when(g.enforcedBy) },
        ]}
      />
    </section>
  );
}
