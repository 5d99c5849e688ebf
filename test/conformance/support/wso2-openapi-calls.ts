import type { Harness } from '../../support/control-plane-harness.js';
import {
  requestMismatch,
  responseMismatch,
  specOperation,
  WSO2_APIS,
  type Wso2Api,
} from './wso2-openapi-spec.js';

/** What a contract call sends. Path parameters fill the operation's `{param}` templates. */
export interface ContractRequest {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** A JSON body (checked against the operation's request schema before it is sent). */
  readonly body?: unknown;
  /**
   * A `multipart/form-data` body instead, one part per field (as `curl -F name=value` sends); bytes go as a file
   * part (`curl -F file=@project.zip`).
   */
  readonly multipart?: Record<string, string | Uint8Array>;
  readonly headers?: Record<string, string>;
}

/** Values captured from earlier responses (ids, keys) for later calls. */
export type ContractState = Record<string, string>;

/**
 * One call of the contract test: the operation as its document names it (`POST /applications`), how to build
 * the request from what earlier calls captured, the status Portico must answer, and what to capture.
 */
export interface ContractCall {
  readonly operation: string;
  readonly request?: (s: ContractState) => ContractRequest;
  readonly expect: number;
  readonly capture?: (body: never, s: ContractState) => void;
  /**
   * A known difference from the document, with its reason (also in docs/wso2-compatibility.md). Only the
   * mismatches `errors` matches are excused (ajv's messages, `; `-separated; omit to excuse a whole-body
   * difference such as a different type), so the rest of the body stays checked; a call whose exception excuses
   * nothing any more fails (the exception is stale). The status is always asserted.
   */
  readonly exception?: { readonly reason: string; readonly errors?: RegExp };
  /**
   * Every field of the JSON body sent must come back with the same value in the response (objects compared field
   * by field; fields the response adds are fine): schemas require little, so "valid" alone proves little.
   */
  readonly echo?: boolean;
  /** Skip the request-body check (a deliberate non-WSO2 body, e.g. a Portico extension); say why. */
  readonly requestException?: string;
}

export interface ContractRun {
  /** Operation ids called (`devportal POST /applications`). */
  readonly called: Set<string>;
  /** Everything that did not conform, one line each; empty when the run is clean. */
  readonly problems: string[];
}

/**
 * Runs `calls` in order against the harness (real Fastify pipeline through `inject`), checking for each the
 * status, the documented response schema of that status and the request body sent.
 */
export async function runContractCalls(
  h: Harness,
  api: Wso2Api,
  calls: readonly ContractCall[],
  opts: { authorization: string; state?: ContractState },
): Promise<ContractRun> {
  const state: ContractState = opts.state ?? {};
  const called = new Set<string>();
  const problems: string[] = [];
  for (const [i, call] of calls.entries()) {
    const op = specOperation(`${api} ${call.operation}`);
    const req = call.request?.(state) ?? {};
    const where = `#${i} ${op.id}`;
    const missing = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((n) => !req.params?.[n]);
    if (missing.length) {
      problems.push(`${where}: not called, no value for ${missing.join(', ')} (an earlier call failed?)`);
      continue;
    }
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(req.params![name]!));
    const query = req.query ? `?${new URLSearchParams(req.query).toString()}` : '';
    if (req.body !== undefined && !call.requestException) {
      const bad = requestMismatch(op, req.body);
      if (bad) problems.push(`${where}: the request body we send is not WSO2's shape: ${bad}`);
    }
    const form = req.multipart === undefined ? null : multipartBody(req.multipart);
    const res = await h.app.inject({
      method: op.method as 'GET',
      url: `${WSO2_APIS[api].base}${path}${query}`,
      headers: {
        authorization: opts.authorization,
        ...(form ? { 'content-type': form.contentType } : {}),
        ...req.headers,
      },
      ...(form ? { payload: form.body } : req.body === undefined ? {} : { payload: req.body as object }),
    });
    called.add(op.id);
    const json = /json/.test(String(res.headers['content-type'] ?? '')) && res.body ? res.json() : res.body;
    if (res.statusCode !== call.expect) {
      problems.push(`${where}: status ${res.statusCode}, expected ${call.expect}: ${res.body.slice(0, 300)}`);
      continue;
    }
    const mismatch = responseMismatch(op, res.statusCode, json);
    const errors = mismatch?.split('; ') ?? [];
    const excused = call.exception ? errors.filter((e) => call.exception?.errors?.test(e) ?? true) : [];
    const unexcused = errors.filter((e) => !excused.includes(e));
    if (unexcused.length)
      problems.push(`${where}: ${res.statusCode} does not match the document: ${unexcused.join('; ')}`);
    if (call.exception && !excused.length)
      problems.push(
        `${where}: its known exception excuses nothing now ("${call.exception.reason}"): remove or fix it`,
      );
    if (call.echo)
      for (const path of notEchoed(req.body, json, 'body'))
        problems.push(`${where}: ${path} was sent but did not come back as sent`);
    if (call.capture) call.capture(json as never, state);
  }
  return { called, problems };
}

/** The paths of `sent` whose value `got` does not hold (a deep subset check; list items in order). */
function notEchoed(sent: unknown, got: unknown, path: string): string[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(got) || got.length !== sent.length) return [path];
    return sent.flatMap((v, i) => notEchoed(v, got[i], `${path}[${i}]`));
  }
  if (sent !== null && typeof sent === 'object') {
    if (got === null || typeof got !== 'object') return [path];
    return Object.entries(sent).flatMap(([k, v]) =>
      notEchoed(v, (got as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return JSON.stringify(sent) === JSON.stringify(got) ? [] : [path];
}

/** A multipart/form-data body with one part per field. */
function multipartBody(fields: Record<string, string | Uint8Array>): { contentType: string; body: Buffer } {
  const boundary = `contract${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).flatMap(([name, value]) => {
    const file =
      typeof value !== 'string'
        ? '; filename="project.zip"\r\nContent-Type: application/zip'
        : name === 'file'
          ? '; filename="openapi.json"\r\nContent-Type: application/json'
          : '';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`;
    return [Buffer.from(head), Buffer.from(value), Buffer.from('\r\n')];
  });
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
  };
}
