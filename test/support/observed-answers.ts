// Every answer the HTTP suites get is recorded with its route and status; when a test app stops, each
// status it answered on a route must be one the OpenAPI document declares for that route.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

export interface ObservedAnswer {
  readonly method: string;
  /** The route as Fastify registered it: `/people/:personId/income`. */
  readonly route: string;
  readonly status: number;
}

export interface AnswerRecorder {
  /** Every route the app registered, as `GET /people/:personId/income`. */
  readonly routes: string[];
  readonly answers: Map<string, ObservedAnswer>;
}

/** The service's own routes: not HEAD (Fastify adds one per GET) nor the OpenAPI pages themselves. */
export const isServiceRoute = (method: string, route: string): boolean =>
  method !== 'HEAD' && route !== '/docs' && !route.startsWith('/docs/') && !route.startsWith('/docs-');

/** Hooks into an app that is not yet listening (its routes are registered when it starts). */
export function recordAnswers(app: NestFastifyApplication): AnswerRecorder {
  const recorder: AnswerRecorder = { routes: [], answers: new Map() };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (isServiceRoute(method, route.url)) recorder.routes.push(`${method} ${route.url}`);
    }
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && isServiceRoute(request.method, route)) {
      const answer = { method: request.method, route, status: reply.statusCode };
      recorder.answers.set(`${answer.method} ${answer.route} ${answer.status}`, answer);
    }
    done();
  });
  return recorder;
}

/** The answers whose status the document does not declare for their route (or whose route it lacks). */
export function undeclaredAnswers(document: OpenAPIObject, answers: Iterable<ObservedAnswer>): string[] {
  const undeclared: string[] = [];
  for (const { method, route, status } of answers) {
    const operation = document.paths[openApiPath(route)]?.[method.toLowerCase() as 'get'];
    if (operation?.responses[String(status)] === undefined) undeclared.push(`${method} ${route} ${status}`);
  }
  return undeclared.sort();
}

export const openApiPath = (route: string): string => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
