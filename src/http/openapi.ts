// The OpenAPI document, derived from what the code already declares: each route's @Access scope, its
// body, query and path parameters, the problems its handler can answer (@ApiProblems), and the shared
// problem+json schema. Generators (openapi-typescript) read it; `npm run openapi` writes it to a file.
import type { INestApplication, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import {
  DocumentBuilder,
  SwaggerModule,
  getSchemaPath,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { AccessAudit, type RouteHandler } from '../access/access-audit.js';
import type { Requirement } from '../access/api-keys.js';
import { assert } from '../shared/errors.js';
import { PROBLEM_STATUS, Problem, type ProblemCode } from './problem.js';
import { ParseIdPipe } from './validation.js';

const PROBLEMS_METADATA = 'residual-ledger:problems';

/** Answered before any route is found, so no operation lists them; the document's description does. */
export const ANSWERED_BEFORE_ANY_ROUTE = ['NOT_FOUND', 'HEADERS_TOO_LARGE'] as const satisfies ProblemCode[];

/**
 * The problems a route's handler can answer beyond those every route of its shape can (see
 * `shapeProblems`): its deciders' codes, its reads' and its store's. On a controller, for all its routes.
 */
export const ApiProblems =
  (...codes: ProblemCode[]) =>
  (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const on: object = descriptor?.value !== undefined ? (descriptor.value as object) : target;
    const own = (Reflect.getMetadata(PROBLEMS_METADATA, on) as ProblemCode[] | undefined) ?? [];
    Reflect.defineMetadata(PROBLEMS_METADATA, [...own, ...codes], on);
  };

/** The service's OpenAPI document, with every route's security, scope and problem answers filled in. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('residual-ledger')
    .setDescription(
      'Event-sourced income ledger: one-off, residual and passive income per person. Every error is ' +
        'application/problem+json with a stable `code`; each operation lists the codes it can give. Before any ' +
        'route is found: 404 `NOT_FOUND` (no such route) and 431 `HEADERS_TOO_LARGE` (URL and headers over 16 KiB).',
    )
    .setVersion('0.1.0')
    // No bearerFormat: a key is an opaque secret the operator configured, not a JWT (see docs/security.md).
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description:
        'An API key: an opaque secret of 24 to 256 printable characters, as configured in API_KEYS (not a JWT). ' +
        'Each route says the scope it needs (x-required-scope). Not needed when access control is off.',
    })
    .addSecurity('apiKey', {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      description: 'The same key, as a header',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [Problem] });
  for (const route of app.get(AccessAudit).handlers) describeRoute(document, route);
  return document;
}

function describeRoute(document: OpenAPIObject, route: RouteHandler): void {
  const [method, path] = route.route.split(' ') as [string, string];
  const operation = document.paths[path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[method.toLowerCase() as 'get'];
  assert(operation !== undefined, `${route.route} is in the OpenAPI document`);
  const access = route.access ?? 'admin'; // none is refused at start (AccessAudit); the guard fails closed
  describeAccess(operation, access, path.includes(':personId'));
  const codes = new Set<ProblemCode>([...shapeProblems(operation, access, route), ...declaredProblems(route)]);
  for (const [status, ofStatus] of byStatus(codes)) operation.responses[status] = problemResponse(ofStatus);
}

function describeAccess(operation: OperationObject, access: Requirement, aboutPerson: boolean): void {
  Object.assign(operation, { 'x-required-scope': access });
  if (access === 'public') {
    operation.security = [];
    return;
  }
  operation.security = [{ bearer: [] }, { apiKey: [] }];
  const scope = access === 'read' && aboutPerson ? '`read`, or `read=<personId>` for this person' : `\`${access}\``;
  operation.description = [operation.description, `Needs a key with the ${scope} scope.`].filter(Boolean).join('\n\n');
}

/** What any route of this shape can answer: from its key, its body, its query, its path ids, and a bug. */
function shapeProblems(operation: OperationObject, access: Requirement, route: RouteHandler): ProblemCode[] {
  const codes: ProblemCode[] = ['RATE_LIMITED', 'INTERNAL_ERROR'];
  if (access !== 'public') codes.push('UNAUTHENTICATED', 'FORBIDDEN');
  if (operation.requestBody !== undefined) {
    codes.push(
      'VALIDATION_FAILED',
      'INVALID_JSON',
      'FORBIDDEN_JSON_KEY',
      'DUPLICATE_JSON_KEY',
      'INVALID_CONTENT_LENGTH',
    );
    codes.push('BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  }
  const parameters = (operation.parameters ?? []) as { in?: string }[];
  if (parameters.some((p) => p.in === 'query')) codes.push('VALIDATION_FAILED');
  if (parameters.some((p) => p.in === 'path')) codes.push('INVALID_URL');
  if (checksPathIds(route.controller, route.handlerName)) codes.push('INVALID_PARAMETER');
  return codes;
}

/** Whether a path parameter of the handler goes through ParseIdPipe (400 INVALID_PARAMETER). */
function checksPathIds(controller: Type, handlerName: string): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<
    string,
    { pipes?: unknown[] }
  >;
  return Object.values(args).some((arg) =>
    (arg.pipes ?? []).some((pipe) => pipe === ParseIdPipe || pipe instanceof ParseIdPipe),
  );
}

function declaredProblems(route: RouteHandler): ProblemCode[] {
  const handler = (route.controller.prototype as Record<string, object>)[route.handlerName]!;
  const onClass = (Reflect.getMetadata(PROBLEMS_METADATA, route.controller) as ProblemCode[] | undefined) ?? [];
  const onHandler = (Reflect.getMetadata(PROBLEMS_METADATA, handler) as ProblemCode[] | undefined) ?? [];
  return [...onClass, ...onHandler];
}

function byStatus(codes: ReadonlySet<ProblemCode>): Map<string, ProblemCode[]> {
  const groups = new Map<string, ProblemCode[]>();
  for (const code of [...codes].sort()) {
    const status = String(PROBLEM_STATUS[code]);
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

/** One answer per status: the shared Problem schema, its `code` narrowed to the codes this route can give. */
function problemResponse(codes: readonly ProblemCode[]): ResponseObject {
  return {
    description: `problem+json: ${codes.map((code) => `\`${code}\``).join(', ')} (see docs/api.md#errors)`,
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            { $ref: getSchemaPath(Problem) },
            { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: [...codes] } } },
          ],
        },
      },
    },
  };
}

/** The document as `npm run openapi` writes it and /docs-json serves it (a test compares the two). */
export function openApiJson(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
