import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import { clientErrorProblem, problemOf } from './problem.js';

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
  // RFC 9110: a 429 or 503 may say when to come back.
  const retryAfterSeconds = (body as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfterSeconds === 'number') void reply.header('retry-after', String(retryAfterSeconds));
  void reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, instance: request.url.split('?')[0] });
}

/**
 * Errors Node's HTTP parser raises before Fastify has a request (a URL and headers over Node's 16 KiB
 * limit: 431): problem+json like every other error, written on the raw socket, which is then
 * closed (as Fastify's own handler does; it answered plain JSON with no code).
 */
export function sendClientErrorProblem(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const body = clientErrorProblem(error);
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${body.status} ${body.title}\r\nConnection: close\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
