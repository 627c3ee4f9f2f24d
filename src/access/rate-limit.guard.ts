import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../shared/clock.js';
import { AccessDeniedError } from './access-denied.error.js';
import { callerOf } from './key-ring.js';
import { FixedWindowLimiter } from './rate-limit.js';

/**
 * RATE_LIMIT_PER_MINUTE requests per minute per API key, across all routes; with access control off (or on
 * a public route), per client address. Runs after the access guard, which names the key.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: FixedWindowLimiter,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const key = callerOf(request);
    const verdict = this.limiter.take(key === undefined ? `address:${request.ip}` : `key:${key.name}`, this.clock.now().getTime());
    if (!verdict.allowed) {
      void reply.header('retry-after', String(verdict.retryAfterSeconds));
      throw new AccessDeniedError('RATE_LIMITED', `more than ${this.limiter.limit} requests in a minute; retry after ${verdict.retryAfterSeconds} s`);
    }
    void reply.header('x-ratelimit-limit', String(this.limiter.limit));
    void reply.header('x-ratelimit-remaining', String(verdict.remaining));
    void reply.header('x-ratelimit-reset', String(verdict.resetSeconds));
    return true;
  }
}
