/** REST bases of Portico's public APIs (the UI uses nothing else). */
export const DP = '/api/am/devportal/v3';
export const PUB = '/api/am/publisher/v4';
export const ADM = '/api/am/admin/v4';
export const AUTH = '/api/am/auth';

/** A failed REST call: `message` is the server's `description` when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string | undefined;
  constructor(status: number, message: string, errorCode?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const unauthorizedListeners = new Set<() => void>();

/** Called when any REST call answers 401 (the session expired or was revoked). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** The CSRF token the server put in the readable `portico_csrf` cookie (double-submit). */
export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'portico_csrf') return decodeURIComponent(rest.join('='));
  }
  return '';
}

/**
 * Calls a same-origin REST API with the session cookie and, for unsafe methods, the CSRF header. `body` is sent as
 * JSON, or as multipart/form-data when it is a `FormData`.
 * @throws ApiError with the server's description (or the HTTP status text) on a non-2xx answer or network failure.
 */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    // Tells the server not to send a Basic challenge (the browser would pop up a password prompt).
    'x-requested-with': 'XMLHttpRequest',
  };
  // A FormData body goes as multipart/form-data: the browser writes the content type with its boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method)) headers['x-csrf-token'] = csrfToken();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const e = (typeof data === 'object' && data !== null ? data : {}) as {
      description?: string;
      message?: string;
      errorCode?: string;
    };
    if (res.status === 401 && !path.startsWith(`${AUTH}/`)) unauthorizedListeners.forEach((l) => l());
    throw new ApiError(
      res.status,
      e.description || e.message || (typeof data === 'string' && data) || `${res.status} ${res.statusText}`,
      e.errorCode,
    );
  }
  return data as T;
}

/** The message to show for any thrown value. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** WSO2 list shape. */
export interface List<T> {
  count: number;
  list: T[];
}
