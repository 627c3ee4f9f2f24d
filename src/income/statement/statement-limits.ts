// Statements cost far more than other reads (a period's lines; a refold of the log for a point a
// generation no longer serving answered), and a rate limit counts requests, not their cost. So
// statements are limited by concurrency: a few at once per caller, a small pool in all; the
// cheap reads of every other caller are never queued behind them.
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { credentialOf } from '../../access/key-ring.js';
import { LedgerError } from '../../shared/errors.js';

/** Statements at once per caller (an API key, or a client address where none is sent). */
export const STATEMENTS_PER_CALLER_MAX = 2;
/** Statements at once in all. */
export const STATEMENTS_IN_FLIGHT_MAX = 8;
/** A statement usually takes milliseconds; a refold, about as long as a rebuild of the log up to its point. */
const RETRY_AFTER_SECONDS = 1;

/** Who asks: their key, hashed (the secret is never kept as such), or their address. */
export function callerOf(request: FastifyRequest): string {
  const credential = credentialOf(request.headers);
  if (credential.kind !== 'secret') return `address:${request.ip}`;
  return `key:${createHash('sha256').update(credential.secret).digest('base64url')}`;
}

@Injectable()
export class StatementLimits {
  private readonly inFlight = new Map<string, number>();
  private total = 0;

  /** Runs `work` if the caller and the pool have room; refuses with Retry-After otherwise. */
  async run<T>(caller: string, work: () => Promise<T>): Promise<T> {
    const mine = this.inFlight.get(caller) ?? 0;
    if (mine >= STATEMENTS_PER_CALLER_MAX) {
      throw new LedgerError(
        'TOO_MANY_STATEMENTS',
        `at most ${STATEMENTS_PER_CALLER_MAX} statements at once per key; retry when one has been answered`,
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    if (this.total >= STATEMENTS_IN_FLIGHT_MAX) {
      throw new LedgerError(
        'STATEMENTS_BUSY',
        `${STATEMENTS_IN_FLIGHT_MAX} statements are being prepared for other callers; retry shortly`,
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    this.inFlight.set(caller, mine + 1);
    this.total += 1;
    try {
      return await work();
    } finally {
      this.total -= 1;
      const left = (this.inFlight.get(caller) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(caller);
      else this.inFlight.set(caller, left);
    }
  }
}
