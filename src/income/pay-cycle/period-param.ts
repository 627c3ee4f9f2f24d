import type { PipeTransform } from '@nestjs/common';
import { RequestInvalidError } from '../../http/problem.js';
import { isPeriodName } from './period.js';

/** A period in a path: `YYYY-MM`; anything else is 400 INVALID_PARAMETER. */
export class ParsePeriodPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (isPeriodName(value)) return value;
    throw new RequestInvalidError('INVALID_PARAMETER', 'period is not a month such as 2025-02', [
      { field: 'period', problems: ['period must be YYYY-MM, a calendar month from 1900'] },
    ]);
  }
}
