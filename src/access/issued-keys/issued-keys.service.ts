// Keeps the key ring in step with the keys issued over the API: loaded from their stream at start,
// changed at once on issue and revoke. One process issues keys (the service); the CLI needs none.
import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EventStore, WrongExpectedVersionError, atRevision, NO_STREAM } from '../../event-store/event-store.port.js';
import { Clock } from '../../shared/clock.js';
import { LedgerError } from '../../shared/errors.js';
import { eventIdFor } from '../../shared/ids.js';
import { parseScopes, type Scopes } from '../api-keys.js';
import { KeyRing, digestOf } from '../key-ring.js';
import {
  API_KEYS_STREAM,
  decideIssue,
  decideRevoke,
  decodeKeyEvent,
  evolve,
  type IssuedKey,
  type IssuedKeyEvent,
  type IssuedKeys,
} from './issued-keys.js';

const ATTEMPTS_MAX = 8;
const KEY_EVENTS_MAX = 100_000;
const LOAD_RETRY_MS_MAX = 5_000;

@Injectable()
export class IssuedKeysService implements OnModuleInit, OnApplicationShutdown {
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly keyRing: KeyRing,
    private readonly clock: Clock,
  ) {}

  /**
   * Reads the issued keys at start, or else in the background: the service starts (and serves configured keys) while the
   * store is down; until the stream is read, issued keys are refused, never a revoked one admitted.
   */
  async onModuleInit(): Promise<void> {
    try {
      this.apply((await this.load()).keys); // read before the first request, when the store answers
    } catch (error) {
      new Logger('IssuedKeys').warn(`could not read the issued API keys, retrying: ${String(error)}`);
      void this.loadUntilRead();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async loadUntilRead(): Promise<void> {
    for (let waitMs = 100; !this.stopped; waitMs = Math.min(LOAD_RETRY_MS_MAX, waitMs * 2)) {
      try {
        this.apply((await this.load()).keys);
        return;
      } catch (error) {
        new Logger('IssuedKeys').warn(`could not read the issued API keys, retrying: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
      }
    }
  }

  async list(): Promise<IssuedKey[]> {
    return [...(await this.load()).keys.values()];
  }

  /** Issues a key; the answer holds its secret, which is shown this once and stored only as a digest. */
  async issue(name: string, scopes: Scopes, by: string): Promise<{ key: IssuedKey; secret: string; position: string }> {
    if (!this.keyRing.enabled)
      throw new LedgerError('ACCESS_CONTROL_OFF', 'configure an admin key in API_KEYS before issuing keys');
    const secret = randomBytes(32).toString('base64url');
    const digest = digestOf(secret).toString('hex');
    const at = this.clock.now().toISOString();
    const { keys, position } = await this.decideAndAppend(`issue:${name}`, (k) =>
      decideIssue(k, this.keyRing.configuredNames, { name, scopes, digest, by, at }),
    );
    return { key: keys.get(name)!, secret, position };
  }

  async revoke(name: string, by: string): Promise<IssuedKey> {
    const at = this.clock.now().toISOString();
    const { keys } = await this.decideAndAppend(`revoke:${name}`, (k) =>
      decideRevoke(k, this.keyRing.configuredNames, { name, by, at }),
    );
    return keys.get(name)!;
  }

  private async decideAndAppend(
    businessKey: string,
    decide: (keys: IssuedKeys) => IssuedKeyEvent[],
  ): Promise<{ keys: IssuedKeys; position: string }> {
    for (let attempt = 1; ; attempt++) {
      const { keys, revision } = await this.load();
      const events = decide(keys);
      if (events.length === 0) return { keys, position: '' };
      const recordedAt = this.clock.now().toISOString();
      const correlationId = randomUUID();
      try {
        const appended = await this.store.append(
          API_KEYS_STREAM,
          events.map((e) => ({
            id: eventIdFor(e.type, `apikey:${businessKey}`),
            type: e.type,
            data: e.data,
            metadata: { recordedAt, correlationId, causationId: correlationId, businessKey: `apikey:${businessKey}` },
          })),
          revision === null ? NO_STREAM : atRevision(revision),
        );
        const after = events.reduce(evolve, keys);
        this.apply(after);
        return { keys: after, position: appended.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= ATTEMPTS_MAX) throw error;
      }
    }
  }

  private async load(): Promise<{ keys: IssuedKeys; revision: number | null }> {
    const stored = await this.store.readStream(API_KEYS_STREAM, { maxCount: KEY_EVENTS_MAX });
    const keys = stored.map((e) => decodeKeyEvent(e.type, e.data)).reduce(evolve, new Map() as IssuedKeys);
    return { keys, revision: stored.length === 0 ? null : stored[stored.length - 1]!.revision };
  }

  private apply(keys: IssuedKeys): void {
    const live = [...keys.values()].filter((k) => k.revokedAt === null);
    this.keyRing.useIssued(
      live.map((k) => {
        const scopes = parseScopes(k.scopes);
        if (typeof scopes === 'string') throw new Error(`issued key ${k.name} has scopes ${k.scopes}: ${scopes}`);
        return { name: k.name, scopes, digestHex: k.digest };
      }),
    );
  }
}
