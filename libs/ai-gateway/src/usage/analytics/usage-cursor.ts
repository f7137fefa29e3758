import { GatewayError } from '../../errors/gateway.error';

/** The first instant after 9999-12-31: the end of what a database timestamp holds. */
export const MAX_TIMESTAMP_MS = 253_402_300_800_000;

/**
 * A position in the newest-first order of the usage log: the last row of a page. The
 * next page starts strictly after it, so rows inserted meanwhile (newer, hence before
 * the position) never shift or repeat the pages that follow.
 */
export interface UsageCursor {
  /** The row's `created_at`, epoch milliseconds. */
  createdAt: number;
  /** The row's request id, the tie-breaker between rows of the same millisecond. */
  requestId: string;
}

/** Longest request id the usage log keeps. */
const MAX_REQUEST_ID = 128;
const BASE64URL = /^[A-Za-z0-9_-]{1,1024}$/;

/** The opaque cursor string of a position: base64url of `[createdAt, requestId]`. */
export function encodeUsageCursor(cursor: UsageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.requestId]), 'utf8').toString(
    'base64url',
  );
}

/** The position of a cursor string; anything but a cursor this API issued is a 400 on `cursor`. */
export function parseUsageCursor(value: unknown): UsageCursor {
  const cursor = typeof value === 'string' && BASE64URL.test(value) ? decode(value) : undefined;
  if (!cursor) {
    throw GatewayError.invalidRequest(
      "Invalid 'cursor': pass the nextCursor of the previous page as is",
      'cursor',
    );
  }
  return cursor;
}

function decode(value: string): UsageCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [createdAt, requestId] = parsed as [unknown, unknown];
  // A time past year 9999 or an id with a control character fails in the database: a 500.
  if (
    typeof createdAt !== 'number' ||
    !Number.isSafeInteger(createdAt) ||
    createdAt < 0 ||
    createdAt >= MAX_TIMESTAMP_MS
  ) {
    return undefined;
  }
  if (
    typeof requestId !== 'string' ||
    requestId === '' ||
    requestId.length > MAX_REQUEST_ID ||
    /[\u0000-\u001f\u007f]/.test(requestId)
  ) {
    return undefined;
  }
  return { createdAt, requestId };
}
