import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ProblemFilter, sendClientErrorProblem, sendProblem } from './http/problem.filter.js';
import { RejectDeepNestingPipe, PlainRequestPipe, requestValidationPipe } from './http/validation.js';
import { ID_PATTERN } from './shared/ids.js';

/** Builds the service (not yet listening): used by main.ts and by the HTTP tests alike. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const problemLogger = new NestLogger('Problem');
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Errors Fastify raises before any route (a malformed URL): problem+json like every other.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(error, request, reply, problemLogger),
    // Errors before there is a request at all (a URL and headers over 16 KiB): problem+json too.
    clientErrorHandler: sendClientErrorProblem,
    // A caller's x-request-id becomes the correlation id stored with its events, if it is a safe id.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && ID_PATTERN.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bufferLogs: true,
    // Fastify's own JSON parser only (it refuses __proto__ and constructor keys); no form bodies.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.useGlobalPipes(new PlainRequestPipe(), new RejectDeepNestingPipe(), requestValidationPipe());
  app.useGlobalFilters(new ProblemFilter());

  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']); // JSON only: anything else is 415
  fastify.setErrorHandler((error, request, reply) => sendProblem(error, request, reply, problemLogger));

  const openApi = new DocumentBuilder()
    .setTitle('residual-ledger')
    .setDescription('Event-sourced income ledger: one-off, residual and passive income per person.')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  return app;
}
