// The keys issued over the API: folded from the key ring stream at start, followed every second (so a key
// issued or revoked by another instance on the same log takes effect here too), and updated at once after
// this process appends. Every change is handed to the KeyRing, which the access guard asks.
import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventStore, NO_STREAM, atRevision, type RecordedEvent } from '../../event-store/event-store.port.js';
import { retryOnConflict } from '../../income/ledger-streams.js';
import { Clock } from '../../shared/clock.js';
import { LedgerError, assert } from '../../shared/errors.js';
import { eventIdFor } from '../../shared/ids.js';
import { describeScopes, parseScopes, type Scopes } from '../api-keys.js';
import { KeyRing, secretDigestOf, type ApiKey } from '../key-ring.js';
import {
  EMPTY_KEY_RING,
  decideIssueKey,
  decideRevokeKey,
  fold,
  type IssuedKey,
  type KeyRingState,
} from './api-key.decider.js';
import { KEY_RING_STREAM, apiKeyBusinessKey, decodeApiKeyEvent, type ApiKeyEvent } from './api-key.events.js';

/** Bytes of randomness in a secret: 32 (256 bits), 43 characters of base64url. */
const SECRET_BYTES = 32;
/** How often the key ring stream is read for appends by other processes. */
export const KEY_RING_FOLLOW_MS = 1_000;
const STREAM_PAGE = 1_000;

export interface IssuedSecret {
  readonly key: IssuedKey;
  /** Shown once, in the answer to the issue; only its digest is stored. */
  readonly secret: string;
}

@Injectable()
export class IssuedKeys implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('IssuedKeys');
  private state: KeyRingState = EMPTY_KEY_RING;
  private reading: Promise<KeyRingState> = Promise.resolve(EMPTY_KEY_RING);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly ring: KeyRing,
    private readonly clock: Clock,
  ) {}

  /** Before the service listens: the issued keys are known before the first request is admitted. */
  async onModuleInit(): Promise<void> {
    await this.catchUp().catch((error: unknown) => this.logFailure(error));
    this.timer = setInterval(
      () => void this.catchUp().catch((error: unknown) => this.logFailure(error)),
      KEY_RING_FOLLOW_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Every issued key, revoked ones included, in the order they were issued. */
  async list(): Promise<IssuedKey[]> {
    return [...(await this.catchUp()).keys.values()];
  }

  async issue(name: string, scopes: Scopes, caller: ApiKey | null, correlationId: string): Promise<IssuedSecret> {
    const issuedBy = this.auditedCaller(caller);
    const secret = randomBytes(SECRET_BYTES).toString('base64url');
    const digest = secretDigestOf(secret);
    const configured = new Set(this.ring.configuredKeys.map((k) => k.name));
    await retryOnConflict(async () => {
      const state = await this.catchUp();
      const command = { name, scopes: describeScopes(scopes), digest, issuedBy, now: this.now() };
      const decided = decideIssueKey(command, state, configured);
      const written = await this.append(state, decided, apiKeyBusinessKey.issue(name, digest), correlationId);
      // The same event id is only ever this very secret's: not written means it was already there.
      assert(written, `the issue of ${name} was already in the log`);
    });
    const key = (await this.catchUp()).keys.get(name);
    assert(key !== undefined && key.digest === digest, `the key ${name} is not in the ring after its issue`);
    return { key, secret };
  }

  /** The key revoked; `created` false when it was revoked already (nothing written). */
  async revoke(
    name: string,
    caller: ApiKey | null,
    correlationId: string,
  ): Promise<{ key: IssuedKey; created: boolean }> {
    const revokedBy = this.auditedCaller(caller);
    const configured = new Set(this.ring.configuredKeys.map((k) => k.name));
    const created = await retryOnConflict(async () => {
      const state = await this.catchUp();
      const decided = decideRevokeKey({ name, revokedBy, now: this.now() }, state, configured);
      return decided.length > 0 && (await this.append(state, decided, apiKeyBusinessKey.revoke(name), correlationId));
    });
    const key = (await this.catchUp()).keys.get(name);
    assert(key !== undefined && key.revokedAt !== null, `the key ${name} is not revoked after its revocation`);
    return { key, created };
  }

  /** Reads what was appended since the last read, one read at a time, and hands the result to the ring. */
  catchUp(): Promise<KeyRingState> {
    this.reading = this.reading.catch(() => this.state).then(() => this.readNew());
    return this.reading;
  }

  private async readNew(): Promise<KeyRingState> {
    for (;;) {
      const fromRevision = this.state.revision === null ? 0 : this.state.revision + 1;
      const page = await this.store.readStream(KEY_RING_STREAM, { fromRevision, maxCount: STREAM_PAGE });
      if (page.length === 0) return this.state;
      this.state = this.folded(page);
      this.ring.admitIssued(activeKeys(this.state));
      if (page.length < STREAM_PAGE) return this.state;
    }
  }

  /**
   * The state with these events folded in. An event that does not decode or fold fails closed: no issued
   * key is admitted until it is mended, lest a revocation after it be missed.
   */
  private folded(page: readonly RecordedEvent[]): KeyRingState {
    try {
      return fold(this.state, page.map(decodeApiKeyEvent));
    } catch (error) {
      this.ring.admitIssued([]);
      throw error;
    }
  }

  private async append(
    state: KeyRingState,
    decided: readonly ApiKeyEvent[],
    businessKey: string,
    correlationId: string,
  ): Promise<boolean> {
    assert(decided.length === 1, `a key command decided ${decided.length} events`);
    const event = decided[0]!;
    const metadata = { recordedAt: this.now(), correlationId, causationId: correlationId, businessKey };
    const result = await this.store.append(
      KEY_RING_STREAM,
      [{ id: eventIdFor(event.type, businessKey), type: event.type, data: event.data, metadata }],
      state.revision === null ? NO_STREAM : atRevision(state.revision),
    );
    return result.written;
  }

  /** Issues and revocations name the admin key that made them; with access control off there is none. */
  private auditedCaller(caller: ApiKey | null): string {
    if (caller === null || !this.ring.enabled)
      throw new LedgerError(
        'ACCESS_CONTROL_OFF',
        'access control is off (no API keys configured): configure an admin key to issue and revoke keys',
      );
    return caller.name;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private logFailure(error: unknown): void {
    this.logger.error(`cannot read the issued API keys (${KEY_RING_STREAM}); retrying: ${String(error)}`);
  }
}

/** The keys that are admitted: issued and not revoked. */
function activeKeys(state: KeyRingState): { name: string; scopes: Scopes; digest: string }[] {
  return [...state.keys.values()]
    .filter((key) => key.revokedAt === null)
    .map((key) => ({ name: key.name, scopes: parseScopes(key.scopes) as Scopes, digest: key.digest }));
}
