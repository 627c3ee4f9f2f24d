import { LedgerError } from '../../src/shared/errors.js';

/** The code of the LedgerError `decide` throws, or 'decided' when it throws nothing. */
export function refusal(decide: () => unknown): string {
  try {
    decide();
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
  return 'decided';
}
