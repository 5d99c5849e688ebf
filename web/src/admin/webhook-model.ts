import { ADM } from '../lib/api';

/** A webhook endpoint as `GET /api/am/admin/v4/webhooks` returns it (the secret only on create). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  secretHint: string;
  createdBy: string;
  createdTime: number;
  updatedTime: number;
}

/** One delivery of the delivery log, with its attempts. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  createdTime: number;
  nextAttemptTime: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  attemptLog: {
    attempt: number;
    time: number;
    durationMs: number;
    statusCode: number | null;
    error: string | null;
    responseExcerpt: string | null;
  }[];
}

export const WEBHOOKS = `${ADM}/webhooks`;

/** The event types an endpoint can subscribe to (docs/webhooks.md). */
export const EVENT_TYPES = [
  { value: 'apikey.created', label: 'API key created' },
  { value: 'apikey.rotated', label: 'API key rotated' },
  { value: 'apikey.revoked', label: 'API key revoked' },
  { value: 'apikey.leaked', label: 'API key leaked' },
  { value: 'apikey.expiring', label: 'API key expiring' },
  { value: 'client-secret.created', label: 'Client secret created' },
  { value: 'client-secret.rotated', label: 'Client secret rotated' },
  { value: 'client-secret.revoked', label: 'Client secret revoked' },
  { value: 'client-secret.expiring', label: 'Client secret expiring' },
] as const;

/** How an endpoint's subscription reads. */
export const eventsText = (events: readonly string[]) =>
  events.length === 0 ? 'All events' : events.join(', ');
