import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { type FieldError, ValidationError } from '../../src/domain/errors';
import { HttpError } from './http-errors';
import { findDuplicateKey } from './json-duplicates';

export const MAX_BODY_BYTES = 1024 * 1024;

type Event = APIGatewayProxyEventV2;

/** A request header by lower-case name, whatever casing the event carries. */
export function header(event: Event, name: string): string | undefined {
  // HTTP API lower-cases header names; REST (and some tests) may not.
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/**
 * The body's bytes as the client sent them, base64-decoded when API Gateway encoded them. serverless-offline
 * hands a JSON body that parses to a primitive (`0`, `false`) over as that value, not as text: it is
 * turned back into its JSON text, so it is refused as what it is rather than crashing the handler.
 */
export function rawBody(event: Event): Buffer {
  const body: unknown = event.body;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== 'string') return Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string, field = 'body'): ValidationError {
  return new ValidationError([{ field, message }], `The body ${message}.`);
}

/** 415 unless the media type is JSON and any declared charset is UTF-8 (RFC 8259 §8.1: JSON is UTF-8). */
function checkMediaType(contentType: string | undefined): void {
  const [type = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim());
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";]*)"?$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  if (type.toLowerCase() !== 'application/json') {
    throw new HttpError(
      415,
      'Unsupported media type',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new HttpError(
      415,
      'Unsupported media type',
      `The body is declared as ${charset}; send JSON in UTF-8 (charset=utf-8, or no charset).`,
    );
  }
}

function schemaErrors(issues: z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const at = issue.path.join('.');
    // Name each unknown key, so the caller sees which one to drop.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: at || 'body', message: issue.message }];
  });
}

/**
 * Reads and validates a JSON body, refusing in this order: 413 over 1 MiB; 415 unless
 * `application/json` in UTF-8; 400 for bytes that are not UTF-8, malformed JSON, a duplicate member name
 * anywhere (named by its path), anything but an object at the top, and whatever the schema refuses (wrong
 * types, unknown fields), each listed in `errors`.
 *
 * @example
 * const body = readJsonBody(event, z.strictObject({ enabled: z.boolean() }));
 */
export function readJsonBody<TBody>(event: Event, schema: z.ZodMiniType<TBody>): TBody {
  const raw = rawBody(event);
  if (raw.length > MAX_BODY_BYTES) {
    throw new HttpError(
      413,
      'Payload too large',
      `The body is ${raw.length} bytes; the limit is ${MAX_BODY_BYTES}.`,
    );
  }
  checkMediaType(header(event, 'content-type'));
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw invalid('is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('is not valid JSON');
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) {
    throw new ValidationError(
      [{ field: duplicate, message: 'appears more than once; name each field once' }],
      `The body names ${duplicate} more than once.`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw invalid('must be a JSON object');
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ValidationError(schemaErrors(parsed.error.issues));
  return parsed.data;
}
