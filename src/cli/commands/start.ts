import { initHome, loadHomeConfig, resolveHome } from '../home.js';
import { createLogger } from '../server/logger.js';
import { startAllInOne } from '../server/start-all-in-one.js';

/** `portico start`: the all-in-one server. Resolves once listening; SIGTERM/SIGINT drain and exit. */
export async function startCommand(opts: { home?: string }): Promise<void> {
  const home = resolveHome(opts.home);
  const firstStart = initHome(home);
  const config = loadHomeConfig(home);
  const logger = createLogger(config.log.level);
  if (firstStart)
    logger.info({ home: home.root }, 'first start: created the home directory and deployment.toml');
  const server = await startAllInOne(home, config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    server.stop().then(
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
  const u = server.urls;
  console.log(
    `Portico ready: devportal ${u.controlPlane}/devportal publisher ${u.controlPlane}/publisher admin ${u.controlPlane}/admin` +
      ` rest ${u.controlPlane}/api/am` +
      `${u.controlPlaneHttp ? ` (http ${u.controlPlaneHttp})` : ''} gateway ${u.gatewayHttps}` +
      `${u.gatewayHttp ? ` ${u.gatewayHttp}` : ''} admin user "${server.adminUser}" home ${home.root}`,
  );
}
