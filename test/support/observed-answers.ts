// Every answer the HTTP suites get is recorded with its route, status and problem code; when a test app
// stops, each status it answered on a route, and each code, must be one the OpenAPI document declares there.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

export interface ObservedAnswer {
  readonly method: string;
  /** The route as Fastify registered it: `/people/:personId/income`. */
  readonly route: string;
  readonly status: number;
  /** The `code` of a problem+json answer. */
  readonly code?: string;
}

export interface AnswerRecorder {
  /** Every route the app registered, as `GET /people/:personId/income`. */
  readonly routes: string[];
  readonly answers: Map<string, ObservedAnswer>;
}

/**
 * The service's own routes: not HEAD (Fastify adds one per GET), nor the OpenAPI pages themselves, nor the
 * console's static files (pages, not API).
 */
export const isServiceRoute = (method: string, route: string): boolean =>
  method !== 'HEAD' &&
  route !== '/docs' &&
  !route.startsWith('/docs/') &&
  !route.startsWith('/docs-') &&
  route !== '/console' &&
  !route.startsWith('/console/');

/** Hooks into an app that is not yet listening (its routes are registered when it starts). */
export function recordAnswers(app: NestFastifyApplication): AnswerRecorder {
  const recorder: AnswerRecorder = { routes: [], answers: new Map() };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (isServiceRoute(method, route.url)) recorder.routes.push(`${method} ${route.url}`);
    }
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && isServiceRoute(request.method, route)) {
      const answer = { method: request.method, route, status: reply.statusCode, code: problemCodeOf(reply, payload) };
      recorder.answers.set(`${answer.method} ${answer.route} ${answer.status} ${answer.code ?? ''}`, answer);
    }
    done(null, payload);
  });
  return recorder;
}

function problemCodeOf(reply: FastifyReply, payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !String(reply.getHeader('content-type')).includes('problem+json'))
    return undefined;
  return (JSON.parse(payload) as { code?: string }).code;
}

/**
 * The answers whose status the document does not declare for their route (or whose route it lacks), or
 * whose problem code is not among those it lists for that status.
 */
export function undeclaredAnswers(document: OpenAPIObject, answers: Iterable<ObservedAnswer>): string[] {
  const undeclared: string[] = [];
  for (const { method, route, status, code } of answers) {
    const operation = document.paths[openApiPath(route)]?.[method.toLowerCase() as 'get'];
    const response = operation?.responses[String(status)] as ProblemResponse | undefined;
    const codes = response?.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.code?.enum;
    if (response === undefined) undeclared.push(`${method} ${route} ${status}`);
    else if (code !== undefined && !(codes ?? []).includes(code))
      undeclared.push(`${method} ${route} ${status} ${code}`);
  }
  return undeclared.sort();
}

/** A problem answer as src/http/openapi.ts writes it. */
interface ProblemResponse {
  readonly content?: Record<
    string,
    { schema?: { allOf?: { properties?: { code?: { enum?: string[] } } }[] } } | undefined
  >;
}

export const openApiPath = (route: string): string => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
