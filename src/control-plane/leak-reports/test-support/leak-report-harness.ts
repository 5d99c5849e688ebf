import { setTimeout as sleep } from 'node:timers/promises';
import { apiKeyGatewayStack } from '../../../../test/support/api-key-gateway-stack.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import type { RouteModule } from '../../create-control-plane.js';
import type { Store } from '../../../store/index.js';
import { devportalApiKeyRoutes } from '../../devportal/api-keys/index.js';
import {
  insertApi,
  insertApplication,
  insertSubscription,
} from '../../devportal/api-keys/test-support/api-key-fixtures.js';
import { leakReportRoutes } from '../index.js';
import { GITHUB_REPORTER, issueKey, leakReportToml, type ReporterKey } from './leak-report-fixtures.js';

/** The setup the leak-report tests share (tests only): reporter key, harness, application and key, gateway. */

/** The path of the API {@link subscribedGatewayStack} publishes. */
export const MENU = '/pizzashack/1.0.0/menu';

/**
 * A control-plane harness on `store` serving `routes` (the devportal API-key routes unless told) and the
 * leak-report endpoint, enabled with `keys` (GITHUB_REPORTER unless told) and `extra` settings lines.
 */
export function leakReportHarness(
  store: Store,
  o: { keys?: readonly ReporterKey[]; extra?: string; routes?: readonly RouteModule[] } = {},
): Promise<Harness> {
  return createHarness(store, [...(o.routes ?? [devportalApiKeyRoutes]), leakReportRoutes], {
    toml: leakReportToml(o.keys ?? [GITHUB_REPORTER], o.extra),
  });
}

/** alice's application Pizza and an API key of `format` issued to it. */
export async function applicationWithKey(h: Harness, format: 'jwt' | 'opaque' = 'opaque') {
  const app = await insertApplication(h.store, 'alice', 'Pizza');
  const key = await issueKey(h, app.id, 'alice', format);
  return { app, key };
}

/**
 * A gateway stack on `h` with PizzaShack published on its upstream and alice's application Pizza subscribed to it
 * (Gold), the snapshot rebuilt; `settle` polls {@link MENU} with a key until it gets `want` (or ~2 s passed) and
 * tells the status and how long it took.
 */
export async function subscribedGatewayStack(h: Harness) {
  const s = await apiKeyGatewayStack(h);
  const apiId = await insertApi(h.store, { endpoint: `${s.upstreamUrl}/backend` });
  const app = await insertApplication(h.store, 'alice', 'Pizza');
  await insertSubscription(h.store, app.id, apiId, 'Gold');
  await h.ctx.snapshots.rebuild();
  const settle = async (apikey: string, want: number) => {
    const started = Date.now();
    let status = 0;
    for (let i = 0; i < 200; i++) {
      status = (await s.call(MENU, { apikey })).status;
      if (status === want) break;
      await sleep(10);
    }
    return { status, ms: Date.now() - started };
  };
  return { s, app, settle };
}
