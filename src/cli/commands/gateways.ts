import { createGatewayRegistry } from '../../control-plane/admin/index.js';
import { systemClock } from '../../core/index.js';
import { initHome, loadHomeConfig, resolveHome } from '../home.js';
import { openConfiguredStore } from '../server/configured-store.js';

/**
 * `portico gateways [--min-version V] [--json]`: the gateways that report to this deployment's store, the change
 * version each serves, and with `--min-version`, whether change V is enforced on every active gateway (exit code 3
 * when not, so scripts can wait on it).
 */
export async function gatewaysCommand(opts: { home?: string; minVersion?: string; json?: boolean }) {
  const h = resolveHome(opts.home);
  initHome(h);
  const store = await openConfiguredStore(h, loadHomeConfig(h));
  try {
    const registry = createGatewayRegistry(store, systemClock);
    const { head, gateways } = await registry.list();
    const wanted = opts.minVersion === undefined ? null : Number(opts.minVersion);
    if (wanted !== null && (!Number.isInteger(wanted) || wanted < 0)) {
      throw new Error('--min-version must be a change version (a non-negative integer)');
    }
    const enforcement = wanted === null ? null : await registry.enforcement(wanted);
    if (opts.json) {
      console.log(JSON.stringify({ head, gateways, ...(enforcement ? { enforcement } : {}) }, null, 2));
    } else {
      console.log(`change log head: ${head}`);
      const rows = gateways.map((g) =>
        [
          g.gatewayId,
          g.status,
          String(g.appliedVersion),
          g.source,
          new Date(g.lastSeenAt).toISOString(),
          g.address,
        ].join('  '),
      );
      console.log(
        rows.length
          ? ['id  status  applied  source  last seen  address', ...rows].join('\n')
          : 'no gateway has reported yet',
      );
      if (enforcement) {
        console.log(
          `change ${enforcement.version}: enforced on ${enforcement.enforced} of ${enforcement.total} active gateways`,
        );
      }
    }
    if (enforcement && enforcement.enforced < enforcement.total) process.exitCode = 3;
  } finally {
    await store.close();
  }
}
