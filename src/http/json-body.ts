// Request bodies: Fastify's own JSON parser, then two refusals by name of JSON that parses but must not be taken:
// keys that could alter an object's prototype (400 FORBIDDEN_JSON_KEY) and a key twice in one object
// (400 DUPLICATE_JSON_KEY).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RequestInvalidError } from './problem.js';

/**
 * A body with a key twice in one object. JSON.parse keeps the last value, while a proxy, a signature
 * check or an audit log in front of the service may read the first: the same bytes would be two
 * different requests. Refused at the edge, like malformed JSON.
 */
export class DuplicateJsonKeyError extends Error {
  readonly code = 'DUPLICATE_JSON_KEY';
  readonly statusCode = 400;

  constructor(
    readonly key: string,
    readonly path: string,
  ) {
    super(`the body has the key "${key}" more than once${path === key ? '' : ` (at ${path})`}`);
    this.name = 'DuplicateJsonKeyError';
  }
}

type Frame =
  | { readonly kind: 'object'; readonly keys: Set<string>; key: string | null; expectingKey: boolean }
  | { readonly kind: 'array'; index: number };

/**
 * The first key found twice in one object of a JSON text JSON.parse accepted, with its path
 * (`items[1].x`); null when there is none. A scan of the text, not a recursive parser: a 16 KiB body of
 * `[[[[…` must not overflow the stack. (jsonc-parser, the maintained parser that reports keys, recurses.)
 */
export function firstDuplicateKey(json: string): { key: string; path: string } | null {
  const open: Frame[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    const top = open[open.length - 1];
    if (c === '"') {
      const end = endOfString(json, i);
      if (top?.kind === 'object' && top.expectingKey) {
        const key = keyText(json.slice(i, end + 1));
        if (top.keys.has(key)) return { key, path: pathOf(open, key) };
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end;
    } else if (c === '{') open.push({ kind: 'object', keys: new Set(), key: null, expectingKey: true });
    else if (c === '[') open.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') open.pop();
    else if (c === ',' && top?.kind === 'object') top.expectingKey = true;
    else if (c === ',' && top?.kind === 'array') top.index += 1;
  }
  return null;
}

/** The index of the quote that closes the string opening at `start`. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
  return i;
}

/** A key as JSON.parse reads it: "rep\u0049d" is "repId". */
function keyText(quoted: string): string {
  return quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
}

function pathOf(open: readonly Frame[], key: string): string {
  const parts = open.slice(0, -1).map((frame) => (frame.kind === 'array' ? `[${frame.index}]` : `.${frame.key}`));
  return `${parts.join('')}.${key}`.replace(/^\./, '');
}

/**
 * Replaces Fastify's application/json parser with the same parser (its limits, its errors), followed by the
 * forbidden key check and the duplicate key check. The checks only ever see text JSON.parse accepted.
 */
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
        if (field !== null) return done(forbiddenKeyError(field));
        const duplicate = firstDuplicateKey(body as string);
        if (duplicate !== null) return done(new DuplicateJsonKeyError(duplicate.key, duplicate.path));
        done(null, value);
      });
    },
  );
}

function forbiddenKeyError(field: string): RequestInvalidError {
  const key = field.endsWith('__proto__') ? '__proto__' : 'constructor (holding a prototype)';
  const problem = `${key} is refused as a key, anywhere in a body: it could change an object's prototype`;
  return new RequestInvalidError('FORBIDDEN_JSON_KEY', `the body is valid JSON, but has a ${key} key`, [
    { field, problems: [problem] },
  ]);
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
