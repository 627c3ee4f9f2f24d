// class-validator decorators for the shapes of the HTTP contract. Shape only: meaning
// (does this rep exist?) is the deciders' business.
import {
  IsString,
  Matches,
  ValidateBy,
  ValidationArguments,
  buildMessage,
  type ValidationOptions,
} from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { ID_PATTERN, ID_RULE } from '../shared/ids.js';
import { amountProblem, isKnownCurrency } from '../shared/money.js';
import { parseInstant } from '../shared/time.js';

export function IsLedgerId(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    IsString(options),
    Matches(ID_PATTERN, { ...options, message: `$property must be ${ID_RULE}` }),
  );
}

export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCurrencyCode',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isKnownCurrency(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO 4217 currency code such as USD`,
          options,
        ),
      },
    },
    options,
  );
}

/** A decimal string amount, valid for the currency named by a sibling property. */
export function IsAmount(currencyProperty: string, options?: ValidationOptions): PropertyDecorator {
  const problemOf = (value: unknown, args: ValidationArguments): string | null => {
    if (typeof value === 'number') return 'must be a decimal string such as "12.50", not a JSON number';
    if (typeof value !== 'string') return 'must be a decimal string such as "12.50"';
    const currency = (args.object as Record<string, unknown>)[currencyProperty];
    return amountProblem(value, typeof currency === 'string' ? currency : '');
  };
  return ValidateBy(
    {
      name: 'isAmount',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => problemOf(value, args!) === null,
        defaultMessage: (args?: ValidationArguments) => `${args!.property} ${problemOf(args!.value, args!)}`,
      },
    },
    options,
  );
}

/** An ISO 8601 date-time with an explicit offset: 2026-03-01T09:30:00Z or ...+01:00. */
export function IsInstantWithOffset(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstantWithOffset',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO 8601 date-time with an offset, such as 2026-03-01T09:30:00Z`,
          options,
        ),
      },
    },
    options,
  );
}
