/** Refusals that only exist at the HTTP edge (routing, framing); the core never sees these requests. */
export class HttpError extends Error {
  constructor(
    readonly status: 404 | 405 | 413 | 415,
    readonly title: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
