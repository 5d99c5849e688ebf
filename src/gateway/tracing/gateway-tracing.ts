import type { IncomingMessage } from 'node:http';
import {
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { GatewayFault } from '../../core/index.js';

/** `[tracing]` as the gateway reads it. */
export interface TracingSettings {
  /** OTLP/HTTP (JSON) traces endpoint, e.g. `http://127.0.0.1:4318/v1/traces`. */
  otlpEndpoint: string;
  serviceName: string;
  /** Share of new traces (no sampled parent) recorded, 0–1; a caller's sampled flag is followed. */
  sampleRatio: number;
}

/** One request's server span and the `traceparent` its upstream call carries (the span as parent). */
export interface RequestSpan {
  readonly span: Span;
  readonly traceparent: string;
}

const WARN_EVERY_MS = 60_000;

/**
 * W3C Trace Context at the gateway with OpenTelemetry: each request gets a server span, child of the caller's
 * valid `traceparent` (an invalid one starts a new trace, as the W3C spec says, and is not passed on); the
 * upstream gets `traceparent` naming this span. Spans are batched in the background and exported over OTLP/HTTP
 * (a full queue drops spans; failed exports are logged at most once a minute). Off by default (`[tracing]`):
 * then nothing is created per request and the caller's headers pass through untouched.
 *
 * @example
 * const tracing = new GatewayTracing({ otlpEndpoint, serviceName: 'portico-gateway', sampleRatio: 1 }, logger);
 * const s = tracing.start(req); ... tracing.end(s, 200, null, 'PizzaShackAPI');
 */
export class GatewayTracing {
  readonly #provider: BasicTracerProvider;
  readonly #tracer;
  readonly #propagator = new W3CTraceContextPropagator();

  readonly #logger: { warn(obj: object, msg: string): void };

  constructor(
    settings: TracingSettings,
    logger: { warn(obj: object, msg: string): void },
    exporter: SpanExporter = new OTLPTraceExporter({ url: settings.otlpEndpoint, timeoutMillis: 5000 }),
  ) {
    this.#provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
      spanProcessors: [
        new BatchSpanProcessor(warnOnFailure(exporter, settings.otlpEndpoint, logger), {
          maxQueueSize: 4096,
          maxExportBatchSize: 512,
          scheduledDelayMillis: 1000,
        }),
      ],
    });
    this.#tracer = this.#provider.getTracer('portico-gateway');
    this.#logger = logger;
  }

  /** Starts the request's span (named by the method until {@link named} gives it the API). */
  start(req: IncomingMessage, path: string): RequestSpan {
    const parent = this.#propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const method = req.method ?? 'GET';
    const span = this.#tracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } },
      parent,
    );
    const sc = span.spanContext();
    const flags = (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00';
    return { span, traceparent: `00-${sc.traceId}-${sc.spanId}-${flags}` };
  }

  /** The request was routed to `api` (`GET /pizzashack/1.0.0`). */
  named(s: RequestSpan, method: string, apiName: string, contextVersion: string): void {
    if (!s.span.isRecording()) return;
    s.span.updateName(`${method} ${contextVersion}`);
    s.span.setAttribute('portico.api', apiName);
  }

  /** The request ended with `status` (`fault`: the gateway answered it). */
  end(s: RequestSpan, status: number, fault: GatewayFault | null): void {
    if (s.span.isRecording()) {
      s.span.setAttribute('http.response.status_code', status);
      if (fault !== null) s.span.setAttribute('portico.fault_code', fault.code);
      if (status >= 500) s.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    s.span.end();
  }

  /** Exports what is queued (a collector that is down loses it, and says so) and stops. */
  async close(): Promise<void> {
    try {
      await this.#provider.shutdown();
    } catch (err) {
      this.#logger.warn(
        { cause: (err as Error).message },
        'tracing: spans queued at shutdown were not exported',
      );
    }
  }
}

function warnOnFailure(
  inner: SpanExporter,
  endpoint: string,
  logger: { warn(obj: object, msg: string): void },
): SpanExporter {
  let lastWarning = 0;
  return {
    export(spans: ReadableSpan[], done: (r: ExportResult) => void) {
      inner.export(spans, (r) => {
        if (r.code !== 0 && Date.now() - lastWarning >= WARN_EVERY_MS) {
          lastWarning = Date.now();
          logger.warn(
            { endpoint, spans: spans.length, cause: r.error?.message },
            'tracing: OTLP export failed; spans are dropped until the collector answers',
          );
        }
        done(r);
      });
    },
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => inner.forceFlush!() } : {}),
  };
}
