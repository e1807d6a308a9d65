import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CustomResourceResponse } from './custom-resource';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Answers CloudFormation: an HTTPS PUT of the JSON response to the request's presigned `ResponseURL`
 * (an S3 presigned URL), with an empty `content-type`, as AWS's own `cfn-response` module sends it (AWS
 * CloudFormation User Guide, "cfn-response module"; the fields: "Custom resource response objects"): S3
 * checks the signature against the headers, and the URL was signed without a content type. Plain HTTP is
 * accepted for a loopback listener only (the tests'). Resolves once S3 answers 2xx; rejects otherwise, or
 * when no answer came within `timeoutMs`.
 *
 * @example
 * await putCustomResourceResponse(event.ResponseURL, responseBody(event, outcome), 4_000);
 */
export function putCustomResourceResponse(
  responseUrl: string,
  body: CustomResourceResponse,
  timeoutMs: number,
): Promise<void> {
  const url = new URL(responseUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    return Promise.reject(new Error(`ResponseURL must be https: ${url.protocol}//${url.host}`));
  }
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': payload.byteLength },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`The ResponseURL answered the PUT with HTTP ${status}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
