import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemOf } from './problem.js';

/** The one place errors become answers. A 500 is logged with its stack; the client sees none. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendProblem(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const body = problemOf(exception);
  if (body.status >= 500 && body.code !== 'PROJECTION_BEHIND' && body.code !== 'STORE_UNAVAILABLE') {
    logger.error({ err: exception, requestId: request.id, url: request.url }, 'request failed');
  }
  // RFC 9110: a 401 says how to authenticate.
  if (body.status === 401) void reply.header('www-authenticate', 'Bearer realm="residual-ledger"');
  void reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, instance: request.url.split('?')[0] });
}
