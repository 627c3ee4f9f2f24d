import { LedgerError } from '../../shared/errors.js';
import type { ReadModel } from '../read-model/read-model.js';

/** 404 PERSON_UNKNOWN: no such person in the serving read model. */
export function unknownPerson(personId: string): LedgerError {
  return new LedgerError('PERSON_UNKNOWN', `no person ${personId} in the read model`, { personId });
}

/** Every query about a person first checks that the read model knows them. */
export function assertKnownPerson(readModel: ReadModel, personId: string): void {
  if (readModel.person(personId) === undefined) throw unknownPerson(personId);
}
