// Request bodies: JSON objects, parsed by Fastify's own parser, with keys that could alter an object's
// prototype refused by name (400 FORBIDDEN_JSON_KEY) rather than called invalid JSON, which they are not.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RequestInvalidError } from './problem.js';

/** Replaces Fastify's JSON parser with the same parser plus a check that names a forbidden key and where it is. */
export function useJsonBodies(fastify: FastifyInstance): void {
  // 'ignore' is plain JSON.parse, which makes `__proto__` an own data property and sets no prototype;
  // the keys are then refused below, so none reaches a pipe or a handler.
  const parse = fastify.getDefaultJsonParser('ignore', 'ignore');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
      void parse(request, body as string, (error, value) => {
        if (error !== null) return done(error);
        const field = forbiddenKeyOf(value);
        if (field === null) return done(null, value);
        const key = field.endsWith('__proto__') ? '__proto__' : 'constructor (holding a prototype)';
        const problem = `${key} is refused as a key, anywhere in a body: it could change an object's prototype`;
        done(
          new RequestInvalidError('FORBIDDEN_JSON_KEY', `the body is valid JSON, but has a ${key} key`, [
            { field, problems: [problem] },
          ]),
        );
      });
    },
  );
}

/**
 * Where the first `__proto__` key, or `constructor` key holding an object with a `prototype`, is (the keys
 * Fastify's parser refuses by default), as a dotted path such as `x.0.constructor`; null if there is none.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function forbiddenKeyOf(value: unknown): string | null {
  const pending: [unknown, string][] = [[value, '']];
  while (pending.length > 0) {
    const [node, path] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node) as [string, unknown][]) {
      const at = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') return at;
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype'))
        return at;
      pending.push([child, at]);
    }
  }
  return null;
}
