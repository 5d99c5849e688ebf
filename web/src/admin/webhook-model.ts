import { ADM } from '../lib/api';

/** The endpoint and delivery bodies of `/api/am/admin/v4/webhooks`, as the server declares them (types only). */
export type {
  WebhookDeliveryDto as WebhookDelivery,
  WebhookEndpointDto as WebhookEndpoint,
} from '../../../src/control-plane/webhooks/webhook-wire-types';

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
