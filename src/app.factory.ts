import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AccessDeniedError } from './access/access-denied.error.js';
import { describeScopes } from './access/api-keys.js';
import { KeyRing, credentialOf } from './access/key-ring.js';
import { apiKeysOf, type AppConfig } from './config/app-config.js';
import { useJsonBodies } from './http/json-body.js';
import { openApiDocument } from './http/openapi.js';
import { loadPlanFile } from './income/plan/plan-file.js';
import { DataOwnership } from './ownership/data-ownership.js';
import { serveConsole } from './console-assets.js';
import { ProblemFilter, sendClientErrorProblem, sendProblem } from './http/problem.filter.js';
import { RejectDeepNestingPipe, PlainRequestPipe, requestValidationPipe } from './http/validation.js';
import { ID_PATTERN } from './shared/ids.js';

/**
 * Builds the service (not yet listening): used by main.ts and by the HTTP tests alike. First it takes
 * ownership of its data (DataOwnedError if another live process has it), given back when the app closes.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  // A bad plan file is the operator's to fix: refused here in one line (PlanFileError), before Nest starts
  // and would log it as a crash with a stack trace. The plan module loads it again, for the app.
  loadPlanFile(config.PLAN_FILE);
  const ownership = DataOwnership.take(config, {
    role: 'service',
    since: new Date(),
    readModels: true,
    writesEventStore: true,
  });
  for (const message of ownership.takenOver) new NestLogger('Ownership').warn(message);
  try {
    return await buildApp(config, ownership);
  } catch (error) {
    ownership.release();
    throw error;
  }
}

async function buildApp(config: AppConfig, ownership: DataOwnership): Promise<NestFastifyApplication> {
  const problemLogger = new NestLogger('Problem');
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Errors Fastify raises before any route (a malformed URL): problem+json like every other.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(error, request, reply, problemLogger),
    // Errors before there is a request at all (a URL and headers over 16 KiB): problem+json too.
    clientErrorHandler: sendClientErrorProblem,
    // A caller's x-request-id becomes the correlation id stored with its events, if it is a safe id.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && ID_PATTERN.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, ownership), adapter, {
    bufferLogs: true,
    // A start that fails (a bad plan file) throws to main.ts, which says why in one line, rather than abort.
    abortOnError: false,
    // Fastify's own JSON parser only (http/json-body.ts refuses __proto__ and constructor keys); no form bodies.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  announceAccess(config);
  app.enableShutdownHooks();
  app.useGlobalPipes(new PlainRequestPipe(), new RejectDeepNestingPipe(), requestValidationPipe());
  app.useGlobalFilters(new ProblemFilter());

  // Security headers on every answer, JSON and errors included. The default CSP (script-src 'self', inline
  // styles allowed) is what the Swagger UI at /docs needs; no upgrade-insecure-requests, as TLS is the
  // deployment's (a plain-HTTP /docs on 127.0.0.1 must still load), and no framing of any page.
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
  });

  if (config.RATE_LIMIT_PER_MINUTE > 0) await registerRateLimit(app, config.RATE_LIMIT_PER_MINUTE, app.get(KeyRing));

  const fastify = app.getHttpAdapter().getInstance();
  closeKeptAliveConnectionsOnStop(fastify);
  fastify.removeContentTypeParser(['text/plain']); // JSON only: anything else is 415
  useJsonBodies(fastify); // __proto__ keys are 400 FORBIDDEN_JSON_KEY, a key twice in one object DUPLICATE_JSON_KEY
  // Errors Fastify raises in its hooks and parsers (a body too large, a rate limit) reach Nest's error
  // handler, which Nest installs at init, and so the ProblemFilter, like every other error.

  await serveConsole(app);

  // Built on the first request to /docs, when every route is registered.
  SwaggerModule.setup('docs', app, () => openApiDocument(app));
  return app;
}

/**
 * `limit` requests per minute per API key, across all routes, before any other work; a request with no
 * key or an unknown one counts against its client address, so guessing keys is limited too. Answers
 * 429 RATE_LIMITED with Retry-After. Counters live in this process.
 */
async function registerRateLimit(app: NestFastifyApplication, limit: number, keys: KeyRing): Promise<void> {
  await app.register(rateLimit, {
    max: limit,
    timeWindow: 60_000,
    cache: 10_000,
    keyGenerator: (request: FastifyRequest) => {
      const credential = credentialOf(request.headers);
      const key = credential.kind === 'secret' ? keys.identify(credential.secret) : null;
      return key === null ? `address:${request.ip}` : `key:${key.name}`;
    },
    errorResponseBuilder: (_request: FastifyRequest, context: { max: number; after: string }) =>
      new AccessDeniedError('RATE_LIMITED', `more than ${context.max} requests in a minute; retry in ${context.after}`),
  });
}

/**
 * A stop (SIGTERM, app.close) lets the requests under way finish, then closes every kept-alive
 * connection. Fastify closes those idle when the stop begins, but Node does not count every idle one as
 * idle (seen in the HTTP suites under load: four connections with no request on them held a stop past
 * 30 s), and each would hold the stop for the keep-alive timeout, 72 s in Fastify.
 */
function closeKeptAliveConnectionsOnStop(fastify: FastifyInstance): void {
  const server = fastify.server;
  let underWay = 0;
  let closing = false;
  const closeIfIdle = () => {
    if (closing && underWay === 0) server.closeAllConnections();
  };
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    underWay += 1;
    response.once('close', () => {
      underWay -= 1;
      closeIfIdle();
    });
  });
  fastify.addHook('preClose', (done) => {
    closing = true;
    closeIfIdle();
    done();
  });
}

/** Says at start who may call: loudly when nobody needs a key. */
function announceAccess(config: AppConfig): void {
  const logger = new NestLogger('Access');
  const keys = apiKeysOf(config);
  if (keys.length === 0) {
    logger.warn(
      `ACCESS CONTROL IS OFF: no API keys configured, so anyone who can reach ${config.HOST}:${config.PORT} can record and read income. ` +
        'Allowed only on a loopback address, for development; set API_KEYS before binding anywhere else.',
    );
    return;
  }
  const limit =
    config.RATE_LIMIT_PER_MINUTE === 0
      ? 'no rate limit'
      : `${config.RATE_LIMIT_PER_MINUTE} requests per minute per key`;
  logger.log(`access control on: ${keys.map((k) => `${k.name} (${describeScopes(k.scopes)})`).join(', ')}; ${limit}`);
}
