// TEST DOUBLE — THIS IS NOT EVENTSTOREDB. It is a small in-memory gRPC server for tests
// only, because no machine here can run EventStoreDB. It speaks the wire protocol of the
// service definitions shipped in @eventstore/db-client/generated, and implements only what
// the real client sends for appendToStream (classic Streams.Append), readStream, readAll and
// subscribeToAll, following EventStoreDB's semantics as closely as the client can observe
// them. It is never to be used outside tests, and passing tests against it prove nothing
// about EventStoreDB's durability, clustering, performance or security.
import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import type {
  sendUnaryData,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  StatusObject,
} from '@grpc/grpc-js';
import streamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import serverFeaturesGrpcPb from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import type { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { Empty as EmptyMessage, UUID as UuidMessage } from '@eventstore/db-client/generated/shared_pb.js';

export interface FakeEventStoreDb {
  readonly port: number;
  /** esdb://127.0.0.1:<port>?tls=false */
  readonly connectionString: string;
  /** The server goes away (forceShutdown); the data stays in memory. */
  stop(): Promise<void>;
  /** Serves again on the same port with the same data. */
  restart(): Promise<void>;
  /** Ends every live subscription (Streams.Read with subscription options) with a gRPC error. */
  dropSubscriptions(reason?: 'unavailable' | 'consumer-too-slow'): void;
  /** Default 1_048_576 bytes, like EventStoreDB's MaxAppendSize. */
  setMaxAppendSizeBytes(bytes: number): void;
  /** Writes a '$'-typed event (e.g. ('$settings', '$metadata')) straight into the log, so it shows in $all. */
  appendSystemEvent(stream: string, type: string): void;
}

const DEFAULT_MAX_APPEND_SIZE = 1_048_576;
/** EventStoreDB's chunk header is 128 bytes, so no record ever sits at log position 0. */
const FIRST_LOG_POSITION = 128n;
/** Rough fixed size of a prepare record's header, to make positions look like byte offsets. */
const RECORD_OVERHEAD = 74;
/** EventStoreDB's default max search window for filtered reads/subscriptions. */
const DEFAULT_MAX_SEARCH_WINDOW = 32;
const TICKS_PER_MILLISECOND = 10_000n;
const JSON_CONTENT_TYPE = 'application/json';
const BINARY_CONTENT_TYPE = 'application/octet-stream';
const CONSUMER_TOO_SLOW = 'Operation timed out: Consumer too slow to handle event while live. Client resubscription required.';

const Status = grpc.status;
type ServerStatusResponse = Partial<StatusObject>;
const { ReadReq: ReadReqClass, ReadResp: ReadRespClass, AppendReq: AppendReqClass, AppendResp: AppendRespClass } = streamsPb;
const ExpectedCase = AppendReqClass.Options.ExpectedStreamRevisionCase;

interface StoredEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  /** Commit position; the prepare position is the same number. */
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  /** .NET ticks (100 ns) since the Unix epoch, which is what the client parses. */
  readonly createdTicks: bigint;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

type ExpectedRevision = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

interface EventFilter {
  matches(event: StoredEvent): boolean;
  /** In events scanned (matching or not): multiplier × max search window, as EventStoreDB does. */
  readonly checkpointInterval: number;
}

interface LiveSubscription {
  readonly call: ServerWritableStream<ReadReq, ReadResp>;
  readonly filter: EventFilter | undefined;
  readonly structuredUuids: boolean;
  scannedSinceCheckpoint: number;
}

class RpcError extends Error {
  constructor(readonly status: ServerStatusResponse) {
    super(status.details);
  }
}

function rpcError(code: number, details: string, metadata?: Record<string, string>): RpcError {
  const status: ServerStatusResponse = { code, details };
  if (metadata) {
    const md = new grpc.Metadata();
    for (const [key, value] of Object.entries(metadata)) md.set(key, value);
    status.metadata = md;
  }
  return new RpcError(status);
}

function empty(): EmptyMessage {
  return new sharedPb.Empty();
}

function streamIdentifier(name: string): InstanceType<typeof sharedPb.StreamIdentifier> {
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')));
  return identifier;
}

function streamNameOf(identifier: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string {
  if (!identifier) throw rpcError(Status.INVALID_ARGUMENT, 'Stream identifier is required');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

function uuidToString(uuid: UuidMessage | undefined): string {
  if (!uuid) throw rpcError(Status.INVALID_ARGUMENT, 'Event id is required');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const buffer = Buffer.alloc(16);
    buffer.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
    buffer.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
    const hex = buffer.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString();
}

function uuidMessage(id: string, structured: boolean): UuidMessage {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const buffer = Buffer.from(id.replace(/-/g, ''), 'hex');
  const parts = new sharedPb.UUID.Structured();
  parts.setMostSignificantBits(buffer.readBigInt64BE(0).toString(10));
  parts.setLeastSignificantBits(buffer.readBigInt64BE(8).toString(10));
  return uuid.setStructured(parts);
}

function readEventResp(event: StoredEvent, structuredUuids: boolean, fromAll: boolean): ReadResp {
  const recorded = new ReadRespClass.ReadEvent.RecordedEvent();
  recorded.setId(uuidMessage(event.id, structuredUuids));
  recorded.setStreamIdentifier(streamIdentifier(event.streamName));
  recorded.setStreamRevision(event.revision.toString(10));
  recorded.setPreparePosition(event.position.toString(10));
  recorded.setCommitPosition(event.position.toString(10));
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.createdTicks.toString(10));
  recorded.setCustomMetadata(event.customMetadata);
  recorded.setData(event.data);
  const readEvent = new ReadRespClass.ReadEvent();
  readEvent.setEvent(recorded);
  // EventStoreDB only knows the original ($all) position when the read went through $all.
  if (fromAll) readEvent.setCommitPosition(event.position.toString(10));
  else readEvent.setNoPosition(empty());
  return new ReadRespClass().setEvent(readEvent);
}

function checkpointResp(position: bigint): ReadResp {
  const checkpoint = new ReadRespClass.Checkpoint();
  checkpoint.setCommitPosition(position.toString(10));
  checkpoint.setPreparePosition(position.toString(10));
  return new ReadRespClass().setCheckpoint(checkpoint);
}

function compileFilter(options: InstanceType<typeof ReadReqClass.Options>): EventFilter | undefined {
  if (options.getFilterOptionCase() !== ReadReqClass.Options.FilterOptionCase.FILTER) return undefined;
  const filter = options.getFilter()!;
  const onStreamName = filter.getFilterCase() === ReadReqClass.Options.FilterOptions.FilterCase.STREAM_IDENTIFIER;
  const expression = onStreamName ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regexSource = expression?.getRegex() ?? '';
  let regex: RegExp | undefined;
  if (prefixes.length === 0 && regexSource !== '') {
    try {
      regex = new RegExp(regexSource);
    } catch {
      throw rpcError(Status.INVALID_ARGUMENT, `Invalid filter regex: ${regexSource}`);
    }
  }
  const window =
    filter.getWindowCase() === ReadReqClass.Options.FilterOptions.WindowCase.MAX ? filter.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
  const multiplier = Math.max(1, filter.getCheckpointintervalmultiplier());
  return {
    checkpointInterval: Math.max(1, multiplier * Math.max(1, window)),
    matches(event) {
      const subject = onStreamName ? event.streamName : event.type;
      // Like EventStoreDB: prefixes win over a regex; a regex matches anywhere (Regex.IsMatch).
      if (prefixes.length > 0) return prefixes.some((prefix) => subject.startsWith(prefix));
      return regex ? regex.test(subject) : true;
    },
  };
}

class FakeStore {
  readonly log: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  readonly subscriptions = new Set<LiveSubscription>();
  maxAppendSize = DEFAULT_MAX_APPEND_SIZE;
  private nextPosition = FIRST_LOG_POSITION;

  lastRevision(streamName: string): bigint {
    const events = this.streams.get(streamName);
    return events && events.length > 0 ? BigInt(events.length - 1) : -1n;
  }

  write(streamName: string, proposed: readonly ProposedEvent[]): StoredEvent[] {
    let events = this.streams.get(streamName);
    if (!events) {
      events = [];
      this.streams.set(streamName, events);
    }
    const createdTicks = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    const written: StoredEvent[] = [];
    for (const p of proposed) {
      const event: StoredEvent = {
        ...p,
        streamName,
        revision: BigInt(events.length),
        position: this.nextPosition,
        createdTicks,
      };
      const recordSize =
        RECORD_OVERHEAD +
        Buffer.byteLength(streamName, 'utf8') +
        Buffer.byteLength(p.type, 'utf8') +
        p.data.length +
        p.customMetadata.length;
      this.nextPosition += BigInt(recordSize);
      events.push(event);
      this.log.push(event);
      written.push(event);
    }
    for (const subscription of this.subscriptions) this.deliver(subscription, written);
    return written;
  }

  append(streamName: string, expected: ExpectedRevision, proposed: readonly ProposedEvent[]): AppendResp {
    const events = this.streams.get(streamName) ?? [];
    const current = this.lastRevision(streamName);
    const wrongExpectedVersion = (): AppendResp => {
      const wev = new AppendRespClass.WrongExpectedVersion();
      if (current >= 0n) {
        wev.setCurrentRevision(current.toString(10));
        wev.setCurrentRevision2060(Number(current));
      } else {
        wev.setCurrentNoStream(empty());
        wev.setNoStream2060(empty());
      }
      switch (expected.kind) {
        case 'any':
          wev.setExpectedAny(empty());
          wev.setAny2060(empty());
          break;
        case 'stream_exists':
          wev.setExpectedStreamExists(empty());
          wev.setStreamExists2060(empty());
          break;
        case 'no_stream':
          // The 20.6.0 fields have no "no stream" expectation.
          wev.setExpectedNoStream(empty());
          break;
        case 'revision':
          wev.setExpectedRevision(expected.revision.toString(10));
          wev.setExpectedRevision2060(Number(expected.revision));
          break;
      }
      return new AppendRespClass().setWrongExpectedVersion(wev);
    };
    const success = (revision: bigint, position: bigint | undefined): AppendResp => {
      const ok = new AppendRespClass.Success();
      if (revision >= 0n) ok.setCurrentRevision(revision.toString(10));
      else ok.setNoStream(empty());
      if (position === undefined) ok.setNoPosition(empty());
      else {
        const pos = new AppendRespClass.Position();
        pos.setCommitPosition(position.toString(10));
        pos.setPreparePosition(position.toString(10));
        ok.setPosition(pos);
      }
      return new AppendRespClass().setSuccess(ok);
    };
    /**
     * EventStoreDB's idempotency check: the proposed ids must be exactly the stream's events
     * starting at `from`. All match → succeed without writing, answering the existing last
     * revision and no position (EventStoreDB reports an idempotent write with log positions of
     * -1, which its gRPC API answers as no_position); only some match → wrong expected version.
     */
    const idempotent = (from: bigint): AppendResp | 'not-idempotent' | 'corrupted' => {
      const start = Number(from);
      const first = events[start];
      if (!first || first.id !== proposed[0]!.id) return 'not-idempotent';
      for (let i = 0; i < proposed.length; i++) {
        if (events[start + i]?.id !== proposed[i]!.id) return 'corrupted';
      }
      const last = events[start + proposed.length - 1]!;
      return success(last.revision, undefined);
    };
    const commit = (): AppendResp => {
      const written = this.write(streamName, proposed);
      const last = written[written.length - 1]!;
      return success(last.revision, last.position);
    };

    if (proposed.length === 0) {
      const satisfied =
        expected.kind === 'any' ||
        (expected.kind === 'no_stream' && current === -1n) ||
        (expected.kind === 'stream_exists' && current >= 0n) ||
        (expected.kind === 'revision' && expected.revision === current);
      return satisfied ? success(current, undefined) : wrongExpectedVersion();
    }

    switch (expected.kind) {
      case 'stream_exists':
      case 'any': {
        if (expected.kind === 'stream_exists' && current === -1n) return wrongExpectedVersion();
        const at = events.findIndex((e) => e.id === proposed[0]!.id);
        if (at < 0) return commit();
        const outcome = idempotent(BigInt(at));
        return typeof outcome === 'string' ? wrongExpectedVersion() : outcome;
      }
      case 'no_stream':
      case 'revision': {
        const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
        if (expectedRevision === current) return commit();
        if (expectedRevision > current) return wrongExpectedVersion();
        const outcome = idempotent(expectedRevision + 1n);
        return typeof outcome === 'string' ? wrongExpectedVersion() : outcome;
      }
    }
  }

  /** Writes to a live subscription; false once the call is gone. */
  private send(subscription: LiveSubscription, message: ReadResp): boolean {
    const { call } = subscription;
    if (call.cancelled || call.writableEnded || call.destroyed) {
      this.subscriptions.delete(subscription);
      return false;
    }
    call.write(message);
    return true;
  }

  /** Sends matching events; for filtered subscriptions a checkpoint every `checkpointInterval` scanned events. */
  deliver(subscription: LiveSubscription, events: readonly StoredEvent[]): boolean {
    for (const event of events) {
      if (!subscription.filter || subscription.filter.matches(event)) {
        if (!this.send(subscription, readEventResp(event, subscription.structuredUuids, true))) return false;
      }
      if (subscription.filter) {
        subscription.scannedSinceCheckpoint += 1;
        if (subscription.scannedSinceCheckpoint >= subscription.filter.checkpointInterval) {
          subscription.scannedSinceCheckpoint = 0;
          if (!this.send(subscription, checkpointResp(event.position))) return false;
        }
      }
    }
    return true;
  }

  dropSubscriptions(status: ServerStatusResponse): void {
    const dropped = [...this.subscriptions];
    this.subscriptions.clear();
    for (const { call } of dropped) {
      if (!call.cancelled && !call.writableEnded) call.emit('error', status);
    }
  }
}

function parseExpected(options: InstanceType<typeof AppendReqClass.Options>): ExpectedRevision {
  switch (options.getExpectedStreamRevisionCase()) {
    case ExpectedCase.ANY:
      return { kind: 'any' };
    case ExpectedCase.NO_STREAM:
      return { kind: 'no_stream' };
    case ExpectedCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case ExpectedCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    default:
      throw rpcError(Status.INVALID_ARGUMENT, 'Expected stream revision is required');
  }
}

function appendHandler(store: FakeStore) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let streamName: string | undefined;
    let expected: ExpectedRevision | undefined;
    const proposed: ProposedEvent[] = [];
    let size = 0;
    let failure: RpcError | undefined;
    call.on('data', (req: AppendReq) => {
      if (failure) return;
      try {
        if (streamName === undefined) {
          const options = req.getOptions();
          if (!options) throw rpcError(Status.INVALID_ARGUMENT, 'The first AppendReq must carry the options');
          streamName = streamNameOf(options.getStreamIdentifier());
          expected = parseExpected(options);
          return;
        }
        const message = req.getProposedMessage();
        if (!message) throw rpcError(Status.INVALID_ARGUMENT, 'Expected a proposed message');
        const metadata = message.getMetadataMap();
        const type = metadata.get('type');
        const contentType = metadata.get('content-type');
        if (type === undefined || contentType === undefined) {
          throw rpcError(Status.INVALID_ARGUMENT, 'Required metadata properties are missing', {
            exception: 'missing-required-metadata-property',
            'required-metadata-properties': 'type,content-type',
          });
        }
        const data = message.getData_asU8();
        const customMetadata = message.getCustomMetadata_asU8();
        size += data.length + customMetadata.length;
        if (size > store.maxAppendSize) {
          throw rpcError(Status.INVALID_ARGUMENT, `Maximum Append Size of ${store.maxAppendSize} Exceeded.`, {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(store.maxAppendSize),
          });
        }
        proposed.push({
          id: uuidToString(message.getId()),
          type,
          // EventStoreDB stores only an is-json flag.
          contentType: contentType === JSON_CONTENT_TYPE ? JSON_CONTENT_TYPE : BINARY_CONTENT_TYPE,
          data: Uint8Array.from(data),
          customMetadata: Uint8Array.from(customMetadata),
        });
      } catch (error) {
        failure = error instanceof RpcError ? error : rpcError(Status.INTERNAL, String(error));
        proposed.length = 0;
      }
    });
    call.on('end', () => {
      if (failure) return callback(failure.status);
      if (streamName === undefined || expected === undefined) {
        return callback(rpcError(Status.INVALID_ARGUMENT, 'No AppendReq options received').status);
      }
      callback(null, store.append(streamName, expected, proposed));
    });
    call.on('error', () => {
      // Cancelled by the client: nothing was written.
    });
  };
}

function readHandler(store: FakeStore) {
  return (call: ServerWritableStream<ReadReq, ReadResp>): void => {
    try {
      const options = call.request.getOptions();
      if (!options) throw rpcError(Status.INVALID_ARGUMENT, 'ReadReq options are required');
      const structuredUuids = options.getUuidOption()?.hasStructured() ?? false;
      const backwards = options.getReadDirection() === ReadReqClass.Options.ReadDirection.BACKWARDS;
      const isSubscription = options.getCountOptionCase() === ReadReqClass.Options.CountOptionCase.SUBSCRIPTION;
      const count = options.getCountOptionCase() === ReadReqClass.Options.CountOptionCase.COUNT ? BigInt(options.getCount()) : 0n;
      const filter = compileFilter(options);

      if (options.getStreamOptionCase() === ReadReqClass.Options.StreamOptionCase.STREAM) {
        if (isSubscription) {
          throw rpcError(Status.UNIMPLEMENTED, 'The fake EventStoreDB only implements subscriptions to $all');
        }
        const streamOptions = options.getStream()!;
        const streamName = streamNameOf(streamOptions.getStreamIdentifier());
        const events = store.streams.get(streamName) ?? [];
        if (events.length === 0) {
          const notFound = new ReadRespClass.StreamNotFound();
          notFound.setStreamIdentifier(streamIdentifier(streamName));
          call.write(new ReadRespClass().setStreamNotFound(notFound));
          call.end();
          return;
        }
        const last = BigInt(events.length - 1);
        const Revision = ReadReqClass.Options.StreamOptions.RevisionOptionCase;
        let from: bigint;
        switch (streamOptions.getRevisionOptionCase()) {
          case Revision.START:
            from = 0n;
            break;
          case Revision.END:
            from = backwards ? last : last + 1n;
            break;
          case Revision.REVISION:
            from = BigInt(streamOptions.getRevision());
            if (backwards && from > last) from = last;
            break;
          default:
            throw rpcError(Status.INVALID_ARGUMENT, 'Stream revision option is required');
        }
        let sent = 0n;
        for (let r = from; r >= 0n && r <= last && sent < count; r += backwards ? -1n : 1n) {
          call.write(readEventResp(events[Number(r)]!, structuredUuids, false));
          sent += 1n;
        }
        call.end();
        return;
      }

      if (options.getStreamOptionCase() !== ReadReqClass.Options.StreamOptionCase.ALL) {
        throw rpcError(Status.INVALID_ARGUMENT, 'Stream option is required');
      }
      const allOptions = options.getAll()!;
      const AllCase = ReadReqClass.Options.AllOptions.AllOptionCase;
      const lastPosition = store.log.length > 0 ? store.log[store.log.length - 1]!.position : undefined;

      if (isSubscription) {
        // A subscription from a position starts AFTER it, like EventStoreDB.
        let after: bigint;
        switch (allOptions.getAllOptionCase()) {
          case AllCase.START:
            after = -1n;
            break;
          case AllCase.END:
            after = lastPosition ?? -1n;
            break;
          case AllCase.POSITION:
            after = BigInt(allOptions.getPosition()!.getCommitPosition());
            break;
          default:
            throw rpcError(Status.INVALID_ARGUMENT, 'All option is required');
        }
        const subscription: LiveSubscription = { call, filter, structuredUuids, scannedSinceCheckpoint: 0 };
        const confirmation = new ReadRespClass.SubscriptionConfirmation();
        confirmation.setSubscriptionId(randomUUID());
        call.write(new ReadRespClass().setConfirmation(confirmation));
        // Catch-up runs synchronously, so no append can slip in between it and going live.
        const pastEvents = store.log.filter((e) => e.position > after);
        if (!store.deliver(subscription, pastEvents)) return;
        if (filter) {
          const lastScanned = pastEvents.length > 0 ? pastEvents[pastEvents.length - 1]!.position : after < 0n ? 0n : after;
          subscription.scannedSinceCheckpoint = 0;
          call.write(checkpointResp(lastScanned));
        }
        call.write(new ReadRespClass().setCaughtUp(new ReadRespClass.CaughtUp()));
        store.subscriptions.add(subscription);
        const forget = (): void => {
          store.subscriptions.delete(subscription);
        };
        call.on('cancelled', forget);
        call.on('close', forget);
        return;
      }

      let selected: StoredEvent[];
      switch (allOptions.getAllOptionCase()) {
        case AllCase.START:
          selected = backwards ? [] : [...store.log];
          break;
        case AllCase.END:
          selected = backwards ? [...store.log].reverse() : [];
          break;
        case AllCase.POSITION: {
          // Forwards includes an event exactly at the position; backwards reads what lies before it.
          const position = BigInt(allOptions.getPosition()!.getCommitPosition());
          selected = backwards
            ? store.log.filter((e) => e.position < position).reverse()
            : store.log.filter((e) => e.position >= position);
          break;
        }
        default:
          throw rpcError(Status.INVALID_ARGUMENT, 'All option is required');
      }
      let sent = 0n;
      for (const event of selected) {
        if (sent >= count) break;
        if (filter && !filter.matches(event)) continue;
        call.write(readEventResp(event, structuredUuids, true));
        sent += 1n;
      }
      call.end();
    } catch (error) {
      const status = error instanceof RpcError ? error.status : { code: Status.INTERNAL, details: String(error) };
      call.emit('error', status);
    }
  };
}

function getSupportedMethods(_call: ServerUnaryCall<EmptyMessage, unknown>, callback: sendUnaryData<unknown>): void {
  // Like EventStoreDB before 21.10: the client takes UNIMPLEMENTED as "unknown server version"
  // and falls back to the classic Streams.Append.
  callback({ code: Status.UNIMPLEMENTED, details: 'The fake EventStoreDB does not advertise server features' });
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
}

async function serve(store: FakeStore, port: number): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  // Only Read and Append are implemented; grpc-js answers UNIMPLEMENTED for the rest
  // (BatchAppend, Delete, Tombstone, and every other service).
  server.addService(streamsGrpcPb.StreamsService, {
    read: readHandler(store),
    append: appendHandler(store),
  } as grpc.UntypedServiceImplementation);
  server.addService(serverFeaturesGrpcPb.ServerFeaturesService, { getSupportedMethods } as grpc.UntypedServiceImplementation);
  for (let attempt = 0; ; attempt++) {
    try {
      return { server, port: await bind(server, `127.0.0.1:${port}`) };
    } catch (error) {
      if (port === 0 || attempt >= 20) {
        server.forceShutdown();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export async function startFakeEventStoreDb(): Promise<FakeEventStoreDb> {
  const store = new FakeStore();
  const first = await serve(store, 0);
  let server: grpc.Server | undefined = first.server;
  const port = first.port;

  const drop = (reason: 'unavailable' | 'consumer-too-slow'): void => {
    const status: ServerStatusResponse =
      reason === 'consumer-too-slow'
        ? { code: Status.ABORTED, details: CONSUMER_TOO_SLOW }
        : { code: Status.UNAVAILABLE, details: 'Subscription dropped: server unavailable' };
    store.dropSubscriptions(status);
  };

  return {
    port,
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    async stop() {
      if (!server) return;
      const stopping = server;
      server = undefined;
      // End live subscriptions with UNAVAILABLE first and let that status reach the wire,
      // so subscribers see the same error as any other call, then kill everything else.
      drop('unavailable');
      await new Promise((resolve) => setTimeout(resolve, 10));
      stopping.forceShutdown();
    },
    async restart() {
      if (server) return;
      server = (await serve(store, port)).server;
    },
    dropSubscriptions(reason = 'unavailable') {
      drop(reason);
    },
    setMaxAppendSizeBytes(bytes: number) {
      store.maxAppendSize = bytes;
    },
    appendSystemEvent(stream: string, type: string) {
      store.write(stream, [
        {
          id: randomUUID(),
          type,
          contentType: JSON_CONTENT_TYPE,
          data: Uint8Array.from(Buffer.from('{}', 'utf8')),
          customMetadata: new Uint8Array(0),
        },
      ]);
    },
  };
}
