/**
 * Expected refusals: a stable machine-readable code and a sentence for people.
 * No HTTP here; the problem filter maps codes to statuses.
 */
export const LEDGER_ERROR_CODES = [
  // 409: the id exists with other content, or the stream kept moving under us
  'REP_ID_REUSED',
  'SALE_ID_REUSED',
  'RENEWAL_ID_REUSED',
  'CLICK_ID_REUSED',
  'REFUND_ID_REUSED',
  'SUBSCRIPTION_ALREADY_CANCELLED',
  'CONCURRENCY_CONFLICT',
  // 422: a reference or business rule fails
  'SPONSOR_UNKNOWN',
  'SPONSOR_RECRUITED_LATER',
  'REP_UNKNOWN',
  'SALE_BEFORE_RECRUITMENT',
  'SUBSCRIPTION_UNKNOWN',
  'SUBSCRIPTION_ALREADY_STARTED',
  'RENEWAL_CURRENCY_MISMATCH',
  'RENEWAL_BEFORE_SALE',
  'AFFILIATE_UNKNOWN',
  'CONVERSION_BEFORE_REGISTRATION',
  'SALE_UNKNOWN',
  'REFUND_CURRENCY_MISMATCH',
  'REFUND_BEFORE_SALE',
  'REFUND_EXCEEDS_SALE',
  'SUBSCRIPTION_CANCELLED',
  'CANCELLATION_BEFORE_SALE',
  // 422: queries
  'AS_OF_IN_FUTURE',
  'STATEMENT_TOO_LARGE',
  // 406
  'NOT_ACCEPTABLE',
  // 499: the client closed the connection first (nobody reads the answer)
  'CLIENT_GONE',
  // 429: expensive reads of one caller
  'TOO_MANY_STATEMENTS',
  // 409: operations
  'REBUILD_IN_PROGRESS',
  // 404
  'PERSON_UNKNOWN',
  'REBUILD_UNKNOWN',
  // 503
  'PROJECTION_BEHIND',
  'REFOLD_BUSY',
  'STATEMENTS_BUSY',
  'STORE_UNAVAILABLE',
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

/** A broken invariant: a programmer error, never a user's. Crashes loudly. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
