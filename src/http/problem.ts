// Every error answer is application/problem+json (RFC 9457) with a stable `code`.
import { HttpException, HttpStatus } from '@nestjs/common';
import { AccessDeniedError } from '../access/access-denied.error.js';
import {
  AppendTooLargeError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../event-store/event-store.port.js';
import { LedgerError, type LedgerErrorCode } from '../shared/errors.js';

export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[];
  readonly [extension: string]: unknown;
}

/** Malformed input caught at the edge: unknown, missing or ill-shaped fields and parameters. */
export class RequestInvalidError extends Error {
  constructor(
    readonly code: 'VALIDATION_FAILED' | 'INVALID_PARAMETER',
    message: string,
    readonly errors: readonly FieldProblem[],
  ) {
    super(message);
    this.name = 'RequestInvalidError';
  }
}

const ACCESS_STATUS: Record<AccessDeniedError['code'], number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
};

const STATUS_OF: Record<LedgerErrorCode, number> = {
  REP_ID_REUSED: 409,
  SALE_ID_REUSED: 409,
  RENEWAL_ID_REUSED: 409,
  CLICK_ID_REUSED: 409,
  REFUND_ID_REUSED: 409,
  SUBSCRIPTION_ALREADY_CANCELLED: 409,
  CONCURRENCY_CONFLICT: 409,
  SPONSOR_UNKNOWN: 422,
  SPONSOR_RECRUITED_LATER: 422,
  REP_UNKNOWN: 422,
  SALE_BEFORE_RECRUITMENT: 422,
  SUBSCRIPTION_UNKNOWN: 422,
  SUBSCRIPTION_ALREADY_STARTED: 422,
  RENEWAL_CURRENCY_MISMATCH: 422,
  RENEWAL_BEFORE_SALE: 422,
  AFFILIATE_UNKNOWN: 422,
  CONVERSION_BEFORE_REGISTRATION: 422,
  SALE_UNKNOWN: 422,
  REFUND_CURRENCY_MISMATCH: 422,
  REFUND_BEFORE_SALE: 422,
  REFUND_EXCEEDS_SALE: 422,
  SUBSCRIPTION_CANCELLED: 422,
  CANCELLATION_BEFORE_SALE: 422,
  PERSON_UNKNOWN: 404,
  REBUILD_UNKNOWN: 404,
  AS_OF_IN_FUTURE: 422,
  STATEMENT_TOO_LARGE: 422,
  NOT_ACCEPTABLE: 406,
  REBUILD_IN_PROGRESS: 409,
  PROJECTION_BEHIND: 503,
  REFOLD_BUSY: 503,
  STATEMENTS_BUSY: 503,
  CLIENT_GONE: 499,
  TOO_MANY_STATEMENTS: 429,
  STORE_UNAVAILABLE: 503,
};

/** Fastify's own request errors (body parsing happens before any route). */
const FASTIFY_CODES: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    detail: 'the request body is larger than the limit',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'INVALID_CONTENT_LENGTH',
    detail: 'content-length does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', detail: 'the body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON', detail: 'the body is not valid JSON' },
  FST_ERR_BAD_URL: { status: 400, code: 'INVALID_URL', detail: 'the URL is not validly encoded' },
};

export function problemOf(error: unknown): Problem {
  if (error instanceof LedgerError) {
    return problem(STATUS_OF[error.code], error.code, error.message, error.details);
  }
  if (error instanceof AccessDeniedError) {
    return problem(ACCESS_STATUS[error.code], error.code, error.message);
  }
  if (error instanceof RequestInvalidError) {
    return problem(400, error.code, error.message, { errors: error.errors });
  }
  if (error instanceof WrongExpectedVersionError) {
    return problem(409, 'CONCURRENCY_CONFLICT', 'the stream changed during the command; retry it');
  }
  if (error instanceof AppendTooLargeError) {
    return problem(
      413,
      'APPEND_TOO_LARGE',
      `the event store refused the event as larger than ${error.maxAppendSizeBytes} bytes`,
    );
  }
  if (error instanceof StoreUnavailableError) {
    return problem(503, 'STORE_UNAVAILABLE', 'the event store is not available; retry later');
  }
  // Nest wraps Fastify's body-parsing errors in an HttpException whose cause is the original.
  const cause = error instanceof HttpException && error.cause !== undefined ? error.cause : error;
  const fastifyCode = (cause as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
    const known = FASTIFY_CODES[fastifyCode];
    return problem(known.status, known.code, known.detail);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return problem(404, 'NOT_FOUND', 'no such resource');
    if (status < 500) return problem(status, httpCode(status), error.message);
    if (status === 503) {
      return problem(503, 'UNAVAILABLE', 'the service is not ready', { checks: error.getResponse() });
    }
  }
  const status = statusOf(error);
  if (status !== null && status >= 400 && status < 500)
    return problem(status, httpCode(status), 'the request was not accepted');
  return problem(500, 'INTERNAL_ERROR', 'an unexpected error occurred; it has been logged');
}

function statusOf(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}

function httpCode(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name : 'BAD_REQUEST';
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Errors Node's HTTP parser raises before there is a request for Fastify to route. */
export function clientErrorProblem(error: { code?: unknown }): Problem {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return problem(431, 'HEADERS_TOO_LARGE', 'the URL and headers together are larger than the limit');
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return problem(408, 'REQUEST_TIMEOUT', 'the request did not arrive in time');
  return problem(400, 'BAD_REQUEST', 'the request is not valid HTTP');
}

function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return {
    type: `urn:residual-ledger:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extensions,
  };
}
