import type { Logger } from 'pino';

/** How changes reach the gateway right now. */
export type SyncTransport = 'push' | 'poll';

/** Polls in a row that found changes push had not delivered before push counts as silent. */
const SILENT_AFTER = 2;

/**
 * Tracks whether changes arrive by push (Redis `changes` events) or only by polling, and says so once per change
 * of state, loudly: a warning when the gateway falls back to polling (Redis down, or connected but silent: a
 * different `[event_hub] namespace`, a control plane that cannot publish), an info line when push resumes.
 */
export class TransportMonitor {
  private state: SyncTransport;
  private silentPolls = 0;
  private reason: 'no-redis' | 'redis-down' | 'silent' | null;

  constructor(
    private readonly hasBus: boolean,
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
  ) {
    this.state = hasBus ? 'push' : 'poll';
    this.reason = hasBus ? null : 'no-redis';
    if (!hasBus)
      logger.info({ pollIntervalMs }, 'no event hub configured: following the control plane by polling');
  }

  get transport(): SyncTransport {
    return this.state;
  }

  /** The bus's connection state, checked on every poll. */
  busConnected(connected: boolean): void {
    if (!this.hasBus) return;
    if (!connected && this.reason !== 'redis-down') this.toPoll('redis-down');
    else if (connected && this.reason === 'redis-down') this.toPush();
  }

  /** A `changes` event arrived: push works. */
  pushed(): void {
    this.silentPolls = 0;
    if (this.hasBus && this.state === 'poll') this.toPush();
  }

  /** A poll finished; `foundNew` when it brought versions push had not delivered. */
  polled(foundNew: boolean): void {
    if (!this.hasBus || this.state === 'poll') return;
    this.silentPolls = foundNew ? this.silentPolls + 1 : 0;
    if (this.silentPolls >= SILENT_AFTER) this.toPoll('silent');
  }

  private toPoll(reason: 'redis-down' | 'silent'): void {
    this.state = 'poll';
    this.reason = reason;
    this.logger.warn(
      { pollIntervalMs: this.pollIntervalMs, reason },
      reason === 'redis-down'
        ? 'Redis unreachable: gateway falls back to polling the control plane for changes'
        : 'Redis connected but no change events arrive: gateway falls back to polling (check [event_hub] namespace)',
    );
  }

  private toPush(): void {
    this.state = 'push';
    this.reason = null;
    this.silentPolls = 0;
    this.logger.info('change events arrive from Redis again: push resumed');
  }
}
