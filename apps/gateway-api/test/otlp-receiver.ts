import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An attribute value as OTLP carries it, flattened. */
export type AttributeValue = string | number | boolean | AttributeValue[];

/** One span as a collector receives it (OTLP/HTTP, JSON or protobuf), normalized. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's enum: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, AttributeValue>;
  events: Array<{ name: string; attributes: Record<string, AttributeValue> }>;
  links: Array<{ traceId: string; spanId: string }>;
  /** 0 unset, 1 ok, 2 error. */
  status: number;
}

/** A metric's name and its data points' attributes (values are not needed by the tests). */
export interface ReceivedMetric {
  service: string;
  name: string;
  unit: string;
  points: Array<{ attributes: Record<string, AttributeValue>; count?: number; sum?: number }>;
}

/**
 * A tiny OpenTelemetry collector for tests: an HTTP server taking OTLP/HTTP exports
 * (`POST /v1/traces`, `/v1/metrics`) in both encodings — `application/json` and
 * `application/x-protobuf` (decoded by a minimal protobuf reader below) — and keeping what
 * arrived.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly metrics: ReceivedMetric[] = [];
  /** Content types of the exports received, per path. */
  readonly contentTypes: Array<{ path: string; contentType: string }> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpReceiver> {
    const holder: { receiver?: OtlpReceiver } = {};
    const server = createServer((request, response) => {
      void readBody(request).then((body) => {
        holder.receiver!.take(
          request.url ?? '',
          String(request.headers['content-type'] ?? ''),
          body,
        );
        const json = String(request.headers['content-type']).includes('json');
        response.writeHead(200, {
          'content-type': json ? 'application/json' : 'application/x-protobuf',
        });
        response.end(json ? '{}' : undefined);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.receiver = new OtlpReceiver(server, `http://127.0.0.1:${port}`);
    return holder.receiver;
  }

  /** Waits until `predicate` holds over the spans received (polls; `timeoutMs` generous). */
  async waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined && found !== false) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `OTLP receiver: no ${what} after ${timeoutMs} ms; spans received: ${this.spans
            .map((s) => `${s.service}:${s.name}`)
            .join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private take(path: string, contentType: string, body: Buffer): void {
    this.contentTypes.push({ path, contentType });
    const json = contentType.includes('json');
    const payload = json ? (JSON.parse(body.toString('utf8')) as Json) : decodeRequest(path, body);
    if (path.endsWith('/v1/traces')) this.spans.push(...spansOf(payload));
    if (path.endsWith('/v1/metrics')) this.metrics.push(...metricsOf(payload));
  }
}

type Json = Record<string, unknown>;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** Trace and span ids: hex in OTLP/JSON, bytes (made hex by the decoder) in protobuf. */
function id(value: unknown): string {
  if (typeof value !== 'string') return '';
  return /^[0-9a-f]*$/i.test(value)
    ? value.toLowerCase()
    : Buffer.from(value, 'base64').toString('hex');
}

function valueOf(value: Json | undefined): AttributeValue {
  if (!value) return '';
  if ('stringValue' in value) return String(value.stringValue);
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('arrayValue' in value) return list((value.arrayValue as Json).values).map(valueOf);
  return '';
}

function attributesOf(value: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const entry of list(value)) out[String(entry.key)] = valueOf(entry.value as Json);
  return out;
}

function spansOf(payload: Json): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resource of list(payload.resourceSpans)) {
    const service = String(
      attributesOf((resource.resource as Json | undefined)?.attributes)['service.name'] ?? '',
    );
    for (const scope of list(resource.scopeSpans)) {
      for (const span of list(scope.spans)) {
        out.push({
          service,
          traceId: id(span.traceId),
          spanId: id(span.spanId),
          parentSpanId: id(span.parentSpanId),
          name: String(span.name),
          kind: Number(span.kind ?? 0),
          attributes: attributesOf(span.attributes),
          events: list(span.events).map((e) => ({
            name: String(e.name),
            attributes: attributesOf(e.attributes),
          })),
          links: list(span.links).map((l) => ({ traceId: id(l.traceId), spanId: id(l.spanId) })),
          status: Number((span.status as Json | undefined)?.code ?? 0),
        });
      }
    }
  }
  return out;
}

function metricsOf(payload: Json): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const resource of list(payload.resourceMetrics)) {
    const service = String(
      attributesOf((resource.resource as Json | undefined)?.attributes)['service.name'] ?? '',
    );
    for (const scope of list(resource.scopeMetrics)) {
      for (const metric of list(scope.metrics)) {
        const data = (metric.histogram ?? metric.sum ?? metric.gauge) as Json | undefined;
        out.push({
          service,
          name: String(metric.name),
          unit: typeof metric.unit === 'string' ? metric.unit : '',
          points: list(data?.dataPoints).map((p) => ({
            attributes: attributesOf(p.attributes),
            count: p.count === undefined ? undefined : Number(p.count),
            sum: p.sum === undefined ? undefined : Number(p.sum),
          })),
        });
      }
    }
  }
  return out;
}

// --- OTLP protobuf, decoded into the JSON shape above (only the fields the tests read) ---

/** Field number → (name, nested message schema, or how to read a scalar). */
type Schema = Record<
  number,
  [string, Schema | 'string' | 'bytes' | 'varint' | 'double' | 'fixed64', boolean?]
>;

const ANY_VALUE: Schema = {
  1: ['stringValue', 'string'],
  2: ['boolValue', 'varint'],
  3: ['intValue', 'varint'],
  4: ['doubleValue', 'double'],
};
ANY_VALUE[5] = ['arrayValue', { 1: ['values', ANY_VALUE, true] }];
const KEY_VALUE: Schema = { 1: ['key', 'string'], 2: ['value', ANY_VALUE] };
const RESOURCE: Schema = { 1: ['attributes', KEY_VALUE, true] };
const SPAN: Schema = {
  1: ['traceId', 'bytes'],
  2: ['spanId', 'bytes'],
  4: ['parentSpanId', 'bytes'],
  5: ['name', 'string'],
  6: ['kind', 'varint'],
  9: ['attributes', KEY_VALUE, true],
  11: ['events', { 2: ['name', 'string'], 3: ['attributes', KEY_VALUE, true] }, true],
  13: ['links', { 1: ['traceId', 'bytes'], 2: ['spanId', 'bytes'] }, true],
  15: ['status', { 3: ['code', 'varint'] }],
};
const TRACES: Schema = {
  1: [
    'resourceSpans',
    { 1: ['resource', RESOURCE], 2: ['scopeSpans', { 2: ['spans', SPAN, true] }, true] },
    true,
  ],
};
const HISTOGRAM_POINT: Schema = {
  9: ['attributes', KEY_VALUE, true],
  4: ['count', 'fixed64'],
  5: ['sum', 'double'],
};
const METRICS: Schema = {
  1: [
    'resourceMetrics',
    {
      1: ['resource', RESOURCE],
      2: [
        'scopeMetrics',
        {
          2: [
            'metrics',
            {
              1: ['name', 'string'],
              3: ['unit', 'string'],
              9: ['histogram', { 1: ['dataPoints', HISTOGRAM_POINT, true] }],
            },
            true,
          ],
        },
        true,
      ],
    },
    true,
  ],
};

function decodeRequest(path: string, body: Buffer): Json {
  return decode(body, path.endsWith('/v1/metrics') ? METRICS : TRACES);
}

/** Reads a protobuf message by `schema`; unknown fields are skipped by their wire type. */
function decode(buffer: Buffer, schema: Schema): Json {
  const out: Json = {};
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[at++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buffer.length) {
    const tag = Number(varint());
    const field = tag >>> 3;
    const wire = tag & 7;
    let raw: Buffer | bigint | number;
    if (wire === 0) raw = varint();
    else if (wire === 1) {
      raw = buffer.subarray(at, at + 8);
      at += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      raw = buffer.subarray(at, at + length);
      at += length;
    } else if (wire === 5) {
      at += 4;
      continue;
    } else throw new Error(`protobuf wire type ${wire} not supported`);
    const spec = schema[field];
    if (!spec) continue;
    const [name, type, repeated] = spec;
    let value: unknown;
    if (type === 'string') value = (raw as Buffer).toString('utf8');
    else if (type === 'bytes') value = (raw as Buffer).toString('hex');
    else if (type === 'varint') value = Number(raw);
    else if (type === 'double') value = (raw as Buffer).readDoubleLE(0);
    else if (type === 'fixed64') value = Number((raw as Buffer).readBigUInt64LE(0));
    else value = decode(raw as Buffer, type);
    if (repeated) ((out[name] ??= []) as unknown[]).push(value);
    else out[name] = value;
  }
  return out;
}
