/** A request refused at the door: no valid key (401), a key without the scope (403), too many requests (429). */
export class AccessDeniedError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED',
    message: string,
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}
