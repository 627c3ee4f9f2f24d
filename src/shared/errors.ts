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
  'REP_SPONSORS_ITSELF',
  'SPONSOR_UNKNOWN',
  'SPONSOR_RECRUITED_LATER',
  'REP_UNKNOWN',
  'SALE_BEFORE_RECRUITMENT',
  'SUBSCRIPTION_UNKNOWN',
  'SUBSCRIPTION_ALREADY_STARTED',
  'RENEWAL_CURRENCY_MISMATCH',
  'RENEWAL_BEFORE_SALE',
  'RENEWAL_EXCEEDS_SALE_RATIO',
  'AFFILIATE_UNKNOWN',
  'CONVERSION_BEFORE_REGISTRATION',
  'ORDER_ALREADY_CONVERTED',
  'SALE_UNKNOWN',
  'REFUND_CURRENCY_MISMATCH',
  'REFUND_BEFORE_SALE',
  'REFUND_EXCEEDS_SALE',
  'SUBSCRIPTION_CANCELLED',
  'CANCELLATION_BEFORE_SALE',
  'CANCELLATION_BEFORE_RENEWALS',
  'OCCURRED_IN_FUTURE',
  // 422: queries
  'AS_OF_IN_FUTURE',
  'STATEMENT_TOO_LARGE',
  'FORECAST_TOO_LARGE',
  // 422 / 409: the pay cycle
  'PERIOD_NOT_NEXT',
  'PERIOD_NOT_ENDED',
  'PERIOD_NOT_CLOSED',
  'HOLD_ID_REUSED',
  'HOLD_ALREADY_LIFTED',
  'HOLD_UNKNOWN',
  'PAYOUT_NOT_PAYABLE',
  'PAYOUT_ALREADY_RECORDED',
  // 406
  'NOT_ACCEPTABLE',
  // 499: the client closed the connection first (nobody reads the answer)
  'CLIENT_GONE',
  // 429: expensive reads of one caller
  'TOO_MANY_STATEMENTS',
  // 409: operations
  'REBUILD_IN_PROGRESS',
  'ACCESS_CONTROL_OFF',
  // 404
  'PERSON_UNKNOWN',
  'LINE_UNKNOWN',
  'REBUILD_UNKNOWN',
  // 503
  'PROJECTION_BEHIND',
  'REFOLD_BUSY',
  'FORECAST_BUSY',
  'STATEMENTS_BUSY',
  'STORE_UNAVAILABLE',
  // API keys issued over the API: 409 a name taken, a key from configuration, access control off; 404 unknown;
  // 422 too many in force
  'API_KEY_NAME_TAKEN',
  'API_KEY_CONFIGURED',
  'API_KEY_UNKNOWN',
  'API_KEYS_LIMIT_REACHED',
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
