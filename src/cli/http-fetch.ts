import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { HttpAnswer, HttpFetch } from './api-client';

type Send = (
  url: URL,
  options: RequestOptions,
  answer: (response: IncomingMessage) => void,
) => ReturnType<typeof httpRequest>;

/** node:https loads TLS; a CLI that talks to a local API over http never pays for it. */
function sender(url: URL): Send {
  if (url.protocol === 'http:') return httpRequest;
  if (url.protocol === 'https:') return (require('node:https') as typeof import('node:https')).request;
  throw new TypeError(`unsupported protocol ${url.protocol}`);
}

function answerOf(response: IncomingMessage, text: string): HttpAnswer {
  const status = response.statusCode ?? 0;
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: response.statusMessage ?? '',
    headers: {
      get: (name) => {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: async () => text,
  };
}

/**
 * The API client's transport over node:http and node:https. Node 20's global fetch loads undici and
 * compiles its WebAssembly HTTP parser on first use: about 110 ms, more than all the rest of
 * `maintenance status` (bench/cli-start.ts measures it). It does what the client needs and no more: one
 * request with a string body, the whole answer read before it resolves, the signal aborting either. It
 * follows no redirect (the API sends none; a 3xx is reported as the refusal it is) and asks for no
 * compression, so the body arrives as sent.
 *
 * @example
 * const answer = await httpFetch(new URL('http://127.0.0.1:3000/maintenance'), {
 *   method: 'GET', headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(35_000),
 * });
 * answer.status // 200
 */
export const httpFetch: HttpFetch = (url, init) =>
  new Promise((resolve, reject) => {
    const { signal } = init;
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const headers = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const request = sender(url)(url, { method: init.method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        signal.removeEventListener('abort', abort);
        resolve(answerOf(response, Buffer.concat(chunks).toString('utf8')));
      });
    });
    function abort(): void {
      request.destroy(signal.reason);
    }
    signal.addEventListener('abort', abort, { once: true });
    request.on('error', (error) => {
      signal.removeEventListener('abort', abort);
      reject(error);
    });
    request.end(init.body);
  });
