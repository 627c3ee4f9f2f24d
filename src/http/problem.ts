// Every error answer is application/problem+json (RFC 9457) with a stable `code`.
import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AccessDeniedError } from '../access/access-denied.error.js';
import {
  AppendTooLargeError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../event-store/event-store.port.js';
import { LedgerError, type LedgerErrorCode } from '../shared/errors.js';
import { DuplicateJsonKeyError } from './json-body.js';

export class FieldProblem {
  @ApiProperty({ description: 'The field or parameter, dotted for nested ones (`x.0.constructor`)', example: 'amount' })
  readonly field!: string;

  @ApiProperty({ type: [String], example: ['amount must be greater than zero'] })
  readonly problems!: readonly string[];
}

/** The one error answer (the OpenAPI document's `Problem` schema). */
export class Problem {
  @ApiProperty({ example: 'urn:residual-ledger:problem:validation-failed' })
  readonly type!: string;

  @ApiProperty({ example: 'Bad Request' })
  readonly title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  readonly status!: number;

  @ApiProperty({
    description: 'Stable, for machines; each answer lists the codes it can give',
    example: 'VALIDATION_FAILED',
  })
  readonly code!: string;

  @ApiProperty({ description: 'For people; may change', example: 'the request has invalid fields' })
  readonly detail!: string;

  @ApiProperty({ required: false, description: 'The path of the request', example: '/sales' })
  readonly instance?: string;

  @ApiProperty({ required: false, type: [FieldProblem], description: 'Validation problems, per field' })
  readonly errors?: readonly FieldProblem[];

  readonly [extension: string]: unknown;
}

type RequestInvalidCode = 'VALIDATION_FAILED' | 'INVALID_PARAMETER' | 'FORBIDDEN_JSON_KEY';

/** Malformed input caught at the edge: unknown, missing or ill-shaped fields and parameters. */
export class RequestInvalidError extends Error {
  constructor(
    readonly code: RequestInvalidCode,
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
  REP_SPONSORS_ITSELF: 422,
  SPONSOR_UNKNOWN: 422,
  SPONSOR_RECRUITED_LATER: 422,
  REP_UNKNOWN: 422,
  SALE_BEFORE_RECRUITMENT: 422,
  SUBSCRIPTION_UNKNOWN: 422,
  SUBSCRIPTION_ALREADY_STARTED: 422,
  RENEWAL_CURRENCY_MISMATCH: 422,
  RENEWAL_BEFORE_SALE: 422,
  RENEWAL_EXCEEDS_SALE_RATIO: 422,
  AFFILIATE_UNKNOWN: 422,
  CONVERSION_BEFORE_REGISTRATION: 422,
  ORDER_ALREADY_CONVERTED: 422,
  SALE_UNKNOWN: 422,
  REFUND_CURRENCY_MISMATCH: 422,
  REFUND_BEFORE_SALE: 422,
  REFUND_EXCEEDS_SALE: 422,
  SUBSCRIPTION_CANCELLED: 422,
  CANCELLATION_BEFORE_SALE: 422,
  CANCELLATION_BEFORE_RENEWALS: 422,
  OCCURRED_IN_FUTURE: 422,
  PERSON_UNKNOWN: 404,
  LINE_UNKNOWN: 404,
  REBUILD_UNKNOWN: 404,
  AS_OF_IN_FUTURE: 422,
  STATEMENT_TOO_LARGE: 422,
  FORECAST_TOO_LARGE: 422,
  PERIOD_NOT_NEXT: 422,
  PERIOD_NOT_ENDED: 422,
  PERIOD_NOT_CLOSED: 409,
  HOLD_ID_REUSED: 409,
  HOLD_ALREADY_LIFTED: 409,
  HOLD_UNKNOWN: 404,
  PAYOUT_NOT_PAYABLE: 422,
  PAYOUT_ALREADY_RECORDED: 409,
  NOT_ACCEPTABLE: 406,
  REBUILD_IN_PROGRESS: 409,
  PROJECTION_BEHIND: 503,
  REFOLD_BUSY: 503,
  FORECAST_BUSY: 503,
  STATEMENTS_BUSY: 503,
  CLIENT_GONE: 499,
  TOO_MANY_STATEMENTS: 429,
  STORE_UNAVAILABLE: 503,
  API_KEY_NAME_TAKEN: 409,
  API_KEY_CONFIGURED: 409,
  ACCESS_CONTROL_OFF: 409,
  API_KEY_UNKNOWN: 404,
  API_KEYS_LIMIT_REACHED: 422,
};

type FastifyCode =
  'BODY_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INVALID_CONTENT_LENGTH' | 'INVALID_JSON' | 'INVALID_URL';

/** Fastify's own request errors (body parsing happens before any route). */
const FASTIFY_CODES: Record<string, { status: number; code: FastifyCode; detail: string }> = {
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

/** Codes answered by no rule of ours but by HTTP itself, the store or the health check. */
const OTHER_STATUS = {
  DUPLICATE_JSON_KEY: 400,
  APPEND_TOO_LARGE: 413,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  BAD_REQUEST: 400,
} as const;

const REQUEST_INVALID_STATUS: Record<RequestInvalidCode, 400> = {
  VALIDATION_FAILED: 400,
  INVALID_PARAMETER: 400,
  FORBIDDEN_JSON_KEY: 400,
};

/** Every stable code the service answers with, and its status: what the OpenAPI document lists. */
export const PROBLEM_STATUS = {
  ...STATUS_OF,
  ...ACCESS_STATUS,
  ...REQUEST_INVALID_STATUS,
  ...Object.fromEntries(Object.values(FASTIFY_CODES).map(({ code, status }) => [code, status])),
  ...OTHER_STATUS,
} as Readonly<Record<ProblemCode, number>>;

export type ProblemCode =
  LedgerErrorCode | AccessDeniedError['code'] | RequestInvalidCode | FastifyCode | keyof typeof OTHER_STATUS;

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
  if (cause instanceof DuplicateJsonKeyError) {
    return problem(400, 'DUPLICATE_JSON_KEY', cause.message, { key: cause.key, path: cause.path });
  }
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
