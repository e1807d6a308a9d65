/**
 * One POST of a JSON message to a Slack URL (a response_url, an incoming webhook) the caller has checked:
 * no redirects, since that check only holds for the first hop, and bounded by `timeoutMs`.
 *
 * @example
 * const res = await postToSlack(fetch, responseUrl, JSON.stringify(message), 5_000);
 */
export function postToSlack(
  fetchImpl: typeof fetch,
  url: string,
  body: string,
  timeoutMs: number,
): Promise<Response> {
  return fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
}
