import { describe, expect, it } from '@jest/globals';
import { FixedWindowLimiter } from './rate-limit.js';

describe('the fixed-window limiter', () => {
  it('lets `limit` requests through per window, then says when to retry', () => {
    const limiter = new FixedWindowLimiter(2, 60_000);
    expect(limiter.take('k', 0)).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    expect(limiter.take('k', 1_000)).toEqual({ allowed: true, remaining: 0, resetSeconds: 59 });
    expect(limiter.take('k', 30_500)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(limiter.take('k', 60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('counts each caller on its own', () => {
    const limiter = new FixedWindowLimiter(1, 60_000);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 1).allowed).toBe(false);
    expect(limiter.take('b', 2).allowed).toBe(true);
  });

  it('remembers at most trackedMax callers, forgetting the oldest windows first', () => {
    const limiter = new FixedWindowLimiter(1, 60_000, 3);
    for (const caller of ['a', 'b', 'c', 'd', 'e']) limiter.take(caller, 0);
    expect(limiter.tracked).toBe(3);
    expect(limiter.take('e', 1).allowed).toBe(false); // the newest is still counted
  });

  it('refuses a meaningless limit', () => {
    expect(() => new FixedWindowLimiter(0, 60_000)).toThrow();
    expect(() => new FixedWindowLimiter(1.5, 60_000)).toThrow();
  });
});
