import type { Logger } from 'pino';

/** Logs Redis going away and coming back, once per change (never per failed reconnect). */
export function redisConnectionLogger(logger: Logger): (connected: boolean) => void {
  let seen = false;
  return (connected) => {
    if (connected) {
      logger.info(seen ? 'Redis is back: pushing changes again' : 'Redis connected');
    } else {
      logger.warn('Redis unreachable: changes reach gateways by polling until it is back');
    }
    seen = true;
  };
}
