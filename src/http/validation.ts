import { ValidationPipe, type ArgumentMetadata, type PipeTransform, Injectable } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ID_RULE, isId } from '../shared/ids.js';
import { RequestInvalidError, type FieldProblem } from './problem.js';

/** Bodies and query strings: known fields only, exact types, no implicit conversion. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The value is kept only to tell a missing field from an ill-shaped one; answers never quote it.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) =>
      new RequestInvalidError('VALIDATION_FAILED', 'the request has invalid fields', flatten(errors)),
  });
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: problemsOf(field, e) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * A missing field is required: its shape constraints ("must be a string", "must not be a JSON number")
 * would describe a value that is not there. A constraint that already says why it is required is kept.
 */
function problemsOf(field: string, error: ValidationError): string[] {
  const problems = Object.values(error.constraints ?? {});
  if (error.value !== undefined) return problems;
  const required = problems.filter((problem) => problem.includes(' is required'));
  return required.length > 0 ? required : [`${field} is required`];
}

const NESTING_DEPTH_MAX = 16;

/**
 * Refuses bodies nested deeper than any request needs, before class-transformer walks them
 * recursively (a 16 KiB body of `[[[[...` would otherwise overflow the stack). Iterative.
 */
@Injectable()
export class RejectDeepNestingPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || typeof value !== 'object' || value === null) return value;
    const pending: [unknown, number][] = [[value, 1]];
    while (pending.length > 0) {
      const [node, depth] = pending.pop()!;
      if (typeof node !== 'object' || node === null) continue;
      if (depth > NESTING_DEPTH_MAX) {
        throw new RequestInvalidError(
          'VALIDATION_FAILED',
          `the body is nested deeper than ${NESTING_DEPTH_MAX} levels`,
          [{ field: '', problems: [`nesting deeper than ${NESTING_DEPTH_MAX} levels`] }],
        );
      }
      for (const child of Object.values(node)) pending.push([child, depth + 1]);
    }
    return value;
  }
}

/**
 * A body, when there is one, is a JSON object: Nest's ValidationPipe turns a `null` body into `{}`,
 * which a request whose fields are all optional (a rebuild) accepted.
 *
 * No body or query key is `prototype` or named like a member of Object.prototype (`toString`,
 * `hasOwnProperty`, `valueOf`, `__proto__`, `constructor`, ...). No request declares such a field, yet
 * they escaped the unknown-field check: Nest's ValidationPipe silently strips `__proto__`, `prototype`
 * and `constructor`, and class-validator's whitelist looks field names up in a plain object, where the
 * others are always found. So a command with one landed and a query ignored it. (Fastify's JSON
 * parser refuses `__proto__` and `constructor` in bodies, not in query strings.)
 */
@Injectable()
export class PlainRequestPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (
      metadata.type === 'body' &&
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw new RequestInvalidError('VALIDATION_FAILED', 'the body must be a JSON object', [
        { field: '', problems: ['the body must be a JSON object'] },
      ]);
    }
    if ((metadata.type !== 'body' && metadata.type !== 'query') || typeof value !== 'object' || value === null)
      return value;
    const inherited = Object.keys(value).filter((key) => key in Object.prototype || key === 'prototype');
    if (inherited.length > 0) {
      throw new RequestInvalidError(
        'VALIDATION_FAILED',
        'the request has invalid fields',
        inherited.map((field) => ({ field, problems: [`property ${field} should not exist`] })),
      );
    }
    return value;
  }
}

/** Path parameters that are ids (see ID_RULE). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (isId(value)) return value;
    const field = metadata.data ?? 'id';
    throw new RequestInvalidError('INVALID_PARAMETER', `${field} is not a valid id`, [
      { field, problems: [`${field} must be ${ID_RULE}`] },
    ]);
  }
}
