// Request bodies: Fastify's own JSON parser, and no key twice in one object.
import type { FastifyBodyParser, FastifyInstance } from 'fastify';

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
 * Replaces Fastify's application/json parser with the same parser (its limits, its refusal of
 * `__proto__` and `constructor` keys, its errors), followed by the duplicate key check. The check only
 * ever sees text JSON.parse accepted.
 */
export function refuseDuplicateJsonKeys(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parser: FastifyBodyParser<string> = (request, body, done) => {
    void parseJson(request, body, (error: Error | null, value?: unknown) => {
      if (error !== null) return done(error, undefined);
      const duplicate = firstDuplicateKey(body);
      if (duplicate !== null) return done(new DuplicateJsonKeyError(duplicate.key, duplicate.path), undefined);
      done(null, value);
    });
  };
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
}
