/**
 * The webhook endpoint and delivery bodies of the Admin REST API (Portico extension), declared once for the
 * server (webhook-endpoint-dto.ts maps rows to them) and the admin UI (web/src/admin/webhook-model.ts). Types
 * only and no imports: the UI imports this file with `import type`, so nothing of the server reaches the browser
 * bundle.
 */

/** A webhook endpoint on the wire. The secret appears only in the create answer. */
export interface WebhookEndpointDto {
  id: string;
  url: string;
  description: string;
  /** Subscribed event types; empty = every type. */
  events: string[];
  enabled: boolean;
  /** Last 4 characters of the signing secret. */
  secretHint: string;
  createdBy: string;
  /** Epoch ms. */
  createdTime: number;
  updatedTime: number;
}

/** Where a delivery stands: `pending` (a retry is due), `succeeded`, or `failed` (no attempt left). */
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** A delivery with its attempts, as the delivery log shows it. */
export interface WebhookDeliveryDto {
  id: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  createdTime: number;
  /** Epoch ms of the next attempt while pending; null once succeeded or failed. */
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
