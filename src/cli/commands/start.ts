import { gatewayControlPlaneUrls } from '../../config/index.js';
import { initHome, loadHomeConfig, resolveHome } from '../home.js';
import { createLogger } from '../server/logger.js';
import { startAllInOne, type ServerMode } from '../server/start-all-in-one.js';
import { startGatewayOnly } from '../server/start-gateway.js';

/** Installs SIGTERM/SIGINT handlers that drain in-flight requests, close everything and exit. */
function exitOnSignals(stop: () => Promise<void>, logger: ReturnType<typeof createLogger>): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    stop().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** `portico start` (all-in-one) and `portico control-plane`. Resolves once listening. */
export async function startCommand(opts: { home?: string }, mode: ServerMode = 'all-in-one'): Promise<void> {
  const home = resolveHome(opts.home);
  const firstStart = initHome(home);
  const config = loadHomeConfig(home);
  const logger = createLogger(config.log.level);
  if (firstStart)
    logger.info({ home: home.root }, 'first start: created the home directory and deployment.toml');
  const server = await startAllInOne(home, config, logger, mode);
  exitOnSignals(() => server.stop(), logger);
  const u = server.urls;
  if (mode === 'control-plane') {
    console.log(
      `Portico control plane ready: ${u.controlPlane}${u.controlPlaneHttp ? ` (http ${u.controlPlaneHttp})` : ''}` +
        ` admin user "${server.adminUser}" home ${home.root}`,
    );
    return;
  }
  console.log(
    `Portico ready: devportal ${u.controlPlane}/devportal publisher ${u.controlPlane}/publisher admin ${u.controlPlane}/admin` +
      ` rest ${u.controlPlane}/api/am` +
      `${u.controlPlaneHttp ? ` (http ${u.controlPlaneHttp})` : ''} gateway ${u.gatewayHttps}` +
      `${u.gatewayHttp ? ` ${u.gatewayHttp}` : ''} admin user "${server.adminUser}" home ${home.root}`,
  );
}

/** `portico gateway`: a gateway process syncing from a control plane. */
export async function gatewayCommand(opts: { home?: string }): Promise<void> {
  const home = resolveHome(opts.home);
  initHome(home);
  const config = loadHomeConfig(home);
  const logger = createLogger(config.log.level);
  const gw = await startGatewayOnly(home, config, logger);
  exitOnSignals(() => gw.stop(), logger);
  console.log(
    `Portico gateway ready: ${gw.urls.join(' ')} syncing from ${gatewayControlPlaneUrls(config).join(' ')}`,
  );
}
