import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LogLevel } from 'fastify';
import { RestError } from '../core/index.js';
import { PIZZASHACK_MENU } from './pizzashack-menu.js';

/** Where the control plane serves the sample backend (WSO2: `https://localhost:9443/am/sample/pizzashack/v1/api/`). */
export const PIZZASHACK_BACKEND_PATH = '/am/sample/pizzashack/v1/api';

/** Orders kept by one backend instance; the oldest is dropped beyond this. */
export const MAX_ORDERS = 1000;

export interface PizzaOrder {
  orderId: string;
  customerName: string;
  address: string;
  pizzaType: string;
  quantity: number;
  delivered: boolean;
  /** Only the last four digits are kept: the sample must not hoard card numbers. */
  creditCardNumber: string;
}

/**
 * The PizzaShack sample backend: `GET /menu` (the 10-item WSO2 menu), `POST /order`, `GET|PUT|DELETE /order/{orderId}`.
 * Orders live in memory (bounded to {@link MAX_ORDERS}). Public routes: the gateway sits in front of it.
 * Faults: 400 VALIDATION_FAILED (order body), 404 NOT_FOUND (unknown order).
 * Its requests are logged only when the log level is debug or finer (errors always are).
 */
export function pizzaShackBackend(app: FastifyInstance): void {
  const orders = new Map<string, PizzaOrder>();
  const base = PIZZASHACK_BACKEND_PATH;
  // Fastify logs two info lines per request; behind a load test that is ~110 MB/min of logs about a demo backend
  // (issue 10). Below debug, raise these routes to warn: 5xx errors still show, per-request lines do not.
  const verbose = app.log.level === 'debug' || app.log.level === 'trace';
  const logLevel: LogLevel = verbose ? (app.log.level as LogLevel) : 'warn';
  const opts = { logLevel };

  app.get(`${base}/menu`, opts, async () => PIZZASHACK_MENU);

  app.post(`${base}/order`, opts, async (req, reply) => {
    const order = { ...parseOrder(req.body, null), orderId: randomUUID() };
    if (orders.size >= MAX_ORDERS) {
      const oldest = orders.keys().next().value;
      if (oldest !== undefined) orders.delete(oldest);
    }
    orders.set(order.orderId, order);
    return reply.status(201).header('location', `${base}/order/${order.orderId}`).send(order);
  });

  app.get<{ Params: { orderId: string } }>(`${base}/order/:orderId`, opts, async (req) =>
    find(req.params.orderId),
  );

  app.put<{ Params: { orderId: string } }>(`${base}/order/:orderId`, opts, async (req) => {
    const current = find(req.params.orderId);
    const updated = { ...parseOrder(req.body, current), orderId: current.orderId };
    orders.set(current.orderId, updated);
    return updated;
  });

  app.delete<{ Params: { orderId: string } }>(`${base}/order/:orderId`, opts, async (req) => {
    const current = find(req.params.orderId);
    orders.delete(current.orderId);
    return current;
  });

  function find(orderId: string): PizzaOrder {
    const order = orders.get(orderId);
    if (!order) throw new RestError('NOT_FOUND', `Order ${orderId} not found`);
    return order;
  }
}

/** @throws RestError VALIDATION_FAILED */
function parseOrder(body: unknown, base: PizzaOrder | null): Omit<PizzaOrder, 'orderId'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new RestError('VALIDATION_FAILED', 'The order must be a JSON object');
  const b = body as Record<string, unknown>;
  const text = (k: 'customerName' | 'address' | 'pizzaType'): string => {
    const v = b[k];
    if (v === undefined) return base?.[k] ?? '';
    if (typeof v !== 'string' || v.length > 200)
      throw new RestError('VALIDATION_FAILED', `${k} must be a string of at most 200 characters`);
    return v;
  };
  const quantity = b.quantity === undefined ? (base?.quantity ?? 1) : b.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > 1000)
    throw new RestError('VALIDATION_FAILED', 'quantity must be an integer between 0 and 1000');
  const delivered = b.delivered === undefined ? (base?.delivered ?? false) : b.delivered;
  if (typeof delivered !== 'boolean') throw new RestError('VALIDATION_FAILED', 'delivered must be a boolean');
  let card = base?.creditCardNumber ?? '';
  if (b.creditCardNumber !== undefined) {
    if (typeof b.creditCardNumber !== 'string' && typeof b.creditCardNumber !== 'number')
      throw new RestError('VALIDATION_FAILED', 'creditCardNumber must be a string');
    const digits = String(b.creditCardNumber).replace(/\D/g, '');
    card = digits ? `****${digits.slice(-4)}` : '';
  }
  return {
    customerName: text('customerName'),
    address: text('address'),
    pizzaType: text('pizzaType'),
    quantity,
    delivered,
    creditCardNumber: card,
  };
}
