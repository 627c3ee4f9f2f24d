import { ValidationPipe, type ArgumentMetadata, type PipeTransform, Injectable } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { isId } from '../shared/ids.js';
import { RequestInvalidError, type FieldProblem } from './problem.js';

/** Bodies and query strings: known fields only, exact types, no implicit conversion. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new RequestInvalidError('VALIDATION_FAILED', 'the request has invalid fields', flatten(errors)),
  });
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Path parameters that are ids: 1 to 64 of A-Z a-z 0-9 . _ : - */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (isId(value)) return value;
    const field = metadata.data ?? 'id';
    throw new RequestInvalidError('INVALID_PARAMETER', `${field} is not a valid id`, [
      { field, problems: [`${field} must be 1 to 64 of A-Z a-z 0-9 . _ : -`] },
    ]);
  }
}
