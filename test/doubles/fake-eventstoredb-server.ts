// TEST DOUBLE — THIS IS NOT EVENTSTOREDB. It is a small in-memory gRPC server for tests
// only, because no machine here can run EventStoreDB. It speaks the wire protocol of the
// service definitions shipped in @eventstore/db-client/generated, and implements only what
// the real client sends for appendToStream (Streams.BatchAppend, or the classic Streams.Append
// when the server advertises no features), readStream, readAll and subscribeToAll, plus
// ServerFeatures.GetSupportedMethods, following KurrentDB/EventStoreDB (21.10+) semantics as
// closely as the client can observe them. It is never to be used outside tests, and passing
// tests against it prove nothing about EventStoreDB's durability, clustering, performance or
// security.
import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import type {
  sendUnaryData,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  StatusObject,
} from '@grpc/grpc-js';
// google-protobuf is @eventstore/db-client's own runtime (the generated code requires it), so
// this is the very Any/Empty the client decodes with.
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import googleEmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import type { Message as ProtobufMessage } from 'google-protobuf';
import streamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import codePb from '@eventstore/db-client/generated/code_pb.js';
import serverFeaturesGrpcPb from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb.js';
import type { Empty as EmptyMessage, UUID as UuidMessage } from '@eventstore/db-client/generated/shared_pb.js';
import type { Status as RpcStatusMessage } from '@eventstore/db-client/generated/status_pb.js';
import type { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb.js';

/**
 * How ServerFeatures.GetSupportedMethods answers:
 * - 'modern' (default): like KurrentDB/EventStoreDB 21.10+, a server version and the methods it
 *   serves, BatchAppend included, so the client's appendToStream goes through Streams.BatchAppend;
 * - 'none': like EventStoreDB before 21.10, UNIMPLEMENTED and no BatchAppend, so the client falls
 *   back to the classic Streams.Append.
 */
export type FakeServerFeatures = 'modern' | 'none';

export interface FakeEventStoreDbOptions {
  /** Default 'modern'. */
  readonly serverFeatures?: FakeServerFeatures;
}

/** What the appends went through, so tests can tell which path the client took. */
export interface FakeAppendStats {
  /** Streams.Append calls answered. */
  readonly classicAppends: number;
  /** Streams.BatchAppend requests (correlation ids) answered. */
  readonly batchAppends: number;
  /** Streams.BatchAppend calls open right now. */
  readonly openBatchAppendStreams: number;
}

export interface FakeEventStoreDb {
  readonly port: number;
  /** esdb://127.0.0.1:<port>?tls=false */
  readonly connectionString: string;
  readonly serverFeatures: FakeServerFeatures;
  /**
   * The server goes away: live subscriptions and open BatchAppend streams end with UNAVAILABLE,
   * then forceShutdown; the data stays in memory.
   */
  stop(): Promise<void>;
  /** Serves again on the same port with the same data and the same server features. */
  restart(): Promise<void>;
  /**
   * Ends every live subscription (Streams.Read with subscription options) with a gRPC error.
   * 'unavailable' also ends every open BatchAppend stream with UNAVAILABLE (as when the server
   * goes away); 'consumer-too-slow' concerns subscriptions only.
   */
  dropSubscriptions(reason?: 'unavailable' | 'consumer-too-slow'): void;
  /** Default 1_048_576 bytes, like EventStoreDB's MaxAppendSize. */
  setMaxAppendSizeBytes(bytes: number): void;
  /** Writes a '$'-typed event (e.g. ('$settings', '$metadata')) straight into the log, so it shows in $all. */
  appendSystemEvent(stream: string, type: string): void;
  appendStats(): FakeAppendStats;
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
const CONSUMER_TOO_SLOW =
  'Operation timed out: Consumer too slow to handle event while live. Client resubscription required.';
/** What a 24.10 server reports; the client only logs it. */
const MODERN_SERVER_VERSION = '24.10.0';
/** KurrentDB's default WriteTimeoutMs: a BatchAppend write waits at most this long for its final chunk. */
const BATCH_WRITE_TIMEOUT_MS = 2_000;

const Status = grpc.status;
type ServerStatusResponse = Partial<StatusObject>;
const {
  ReadReq: ReadReqClass,
  ReadResp: ReadRespClass,
  AppendReq: AppendReqClass,
  AppendResp: AppendRespClass,
  BatchAppendResp: BatchAppendRespClass,
} = streamsPb;
const ExpectedCase = AppendReqClass.Options.ExpectedStreamRevisionCase;
const BatchExpectedCase = streamsPb.BatchAppendReq.Options.ExpectedStreamPositionCase;
type StreamIdentifierMessage = InstanceType<typeof sharedPb.StreamIdentifier>;
type BatchAppendCall = ServerDuplexStream<BatchAppendReq, BatchAppendResp>;

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

type ExpectedRevision =
  { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

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

interface OpenBatchAppend {
  readonly call: BatchAppendCall;
  /** Forgets the call's pending writes (and their timers) and the call itself. */
  close(): void;
}

/** What the storage writer decides; Append and BatchAppend each put it on the wire their own way. */
type AppendOutcome =
  | { readonly kind: 'success'; readonly revision: bigint; readonly position: bigint | undefined }
  | { readonly kind: 'wrong-expected-version'; readonly current: bigint; readonly expected: ExpectedRevision };

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
    filter.getWindowCase() === ReadReqClass.Options.FilterOptions.WindowCase.MAX
      ? filter.getMax()
      : DEFAULT_MAX_SEARCH_WINDOW;
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
  /** Event id → event, like the server's committed-events cache used by the idempotency check. */
  readonly byId = new Map<string, StoredEvent>();
  readonly subscriptions = new Set<LiveSubscription>();
  readonly batchAppends = new Set<OpenBatchAppend>();
  readonly stats = { classicAppends: 0, batchAppends: 0 };
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
      this.byId.set(event.id, event);
      written.push(event);
    }
    for (const subscription of this.subscriptions) this.deliver(subscription, written);
    return written;
  }

  /**
   * EventStoreDB's commit check (IndexWriter.CheckCommit), then the write. An idempotent write
   * (every proposed id already in the stream where the expectation puts it) writes nothing and
   * succeeds with the revision of the last of those events and the log position of that original
   * event, as the server answers (AlreadyCommitted carries the event's LogPosition). If only some
   * ids match, it is a wrong expected version.
   */
  append(streamName: string, expected: ExpectedRevision, proposed: readonly ProposedEvent[]): AppendOutcome {
    const events = this.streams.get(streamName) ?? [];
    const current = this.lastRevision(streamName);
    const wrongExpectedVersion: AppendOutcome = { kind: 'wrong-expected-version', current, expected };
    const alreadyWritten = (last: StoredEvent): AppendOutcome => ({
      kind: 'success',
      revision: last.revision,
      position: last.position,
    });
    const commit = (): AppendOutcome => {
      const written = this.write(streamName, proposed);
      const last = written[written.length - 1]!;
      return { kind: 'success', revision: last.revision, position: last.position };
    };

    if (proposed.length === 0) {
      const satisfied =
        expected.kind === 'any' ||
        (expected.kind === 'no_stream' && current === -1n) ||
        (expected.kind === 'stream_exists' && current >= 0n) ||
        (expected.kind === 'revision' && expected.revision === current);
      return satisfied ? { kind: 'success', revision: current, position: undefined } : wrongExpectedVersion;
    }

    switch (expected.kind) {
      case 'stream_exists':
      case 'any': {
        if (expected.kind === 'stream_exists' && current === -1n) return wrongExpectedVersion;
        // Like the server: each id is looked up on its own among the stream's events. The first
        // one unknown → an ordinary write; a later one unknown → corrupted idempotency.
        const found: StoredEvent[] = [];
        for (const p of proposed) {
          const event = this.byId.get(p.id);
          if (!event || event.streamName !== streamName) return found.length === 0 ? commit() : wrongExpectedVersion;
          found.push(event);
        }
        return alreadyWritten(found[found.length - 1]!);
      }
      case 'no_stream':
      case 'revision': {
        const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
        if (expectedRevision === current) return commit();
        if (expectedRevision > current) return wrongExpectedVersion;
        // The proposed ids must be exactly the events right after the expected revision.
        const start = Number(expectedRevision + 1n);
        for (let i = 0; i < proposed.length; i++) {
          if (events[start + i]?.id !== proposed[i]!.id) return wrongExpectedVersion;
        }
        return alreadyWritten(events[start + proposed.length - 1]!);
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

  /** Ends every open BatchAppend call with `status`; their pending writes are dropped unanswered. */
  dropBatchAppends(status: ServerStatusResponse): void {
    const dropped = [...this.batchAppends];
    for (const open of dropped) {
      open.close();
      if (!open.call.cancelled && !open.call.writableEnded) open.call.emit('error', status);
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

function parseBatchExpected(options: InstanceType<typeof streamsPb.BatchAppendReq.Options>): ExpectedRevision {
  switch (options.getExpectedStreamPositionCase()) {
    case BatchExpectedCase.ANY:
      return { kind: 'any' };
    case BatchExpectedCase.NO_STREAM:
      return { kind: 'no_stream' };
    case BatchExpectedCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case BatchExpectedCase.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    default:
      throw rpcError(Status.INVALID_ARGUMENT, 'Expected stream position is required');
  }
}

/** AppendReq.ProposedMessage and BatchAppendReq.ProposedMessage have the same shape. */
interface ProposedMessageLike {
  getId(): UuidMessage | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

function parseProposed(message: ProposedMessageLike): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) {
    throw rpcError(Status.INVALID_ARGUMENT, 'Required metadata properties are missing', {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'type,content-type',
    });
  }
  return {
    id: uuidToString(message.getId()),
    type,
    // EventStoreDB stores only an is-json flag.
    contentType: contentType === JSON_CONTENT_TYPE ? JSON_CONTENT_TYPE : BINARY_CONTENT_TYPE,
    data: Uint8Array.from(message.getData_asU8()),
    customMetadata: Uint8Array.from(message.getCustomMetadata_asU8()),
  };
}

/** What counts against MaxAppendSize: EventStoreDB's Event.SizeOnDisk (the type counted as UTF-16). */
function sizeOnDisk(event: ProposedEvent): number {
  return event.data.length + event.customMetadata.length + event.type.length * 2;
}

function appendResp(outcome: AppendOutcome): AppendResp {
  if (outcome.kind === 'wrong-expected-version') {
    const { current, expected } = outcome;
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
        // The server puts ulong.MaxValue in expected_revision_20_6_0, which a JS number cannot hold.
        wev.setExpectedNoStream(empty());
        break;
      case 'revision':
        wev.setExpectedRevision(expected.revision.toString(10));
        wev.setExpectedRevision2060(Number(expected.revision));
        break;
    }
    return new AppendRespClass().setWrongExpectedVersion(wev);
  }
  const ok = new AppendRespClass.Success();
  if (outcome.revision >= 0n) ok.setCurrentRevision(outcome.revision.toString(10));
  else ok.setNoStream(empty());
  if (outcome.position === undefined) ok.setNoPosition(empty());
  else {
    const position = new AppendRespClass.Position();
    position.setCommitPosition(outcome.position.toString(10));
    position.setPreparePosition(outcome.position.toString(10));
    ok.setPosition(position);
  }
  return new AppendRespClass().setSuccess(ok);
}

/** A google.rpc.Status whose details pack an event_store.client message, like KurrentDB's Status helpers. */
function rpcStatus(code: codePb.Code, message: string, detailType: string, detail: ProtobufMessage): RpcStatusMessage {
  const details = new anyPb.Any();
  details.pack(detail.serializeBinary(), `event_store.client.${detailType}`);
  return new statusPb.Status().setCode(code).setMessage(message).setDetails(details);
}

function wrongExpectedVersionStatus(current: bigint, expected: ExpectedRevision): RpcStatusMessage {
  const wev = new sharedPb.WrongExpectedVersion();
  if (current >= 0n) wev.setCurrentStreamRevision(current.toString(10));
  else wev.setCurrentNoStream(new googleEmptyPb.Empty());
  switch (expected.kind) {
    case 'any':
      wev.setExpectedAny(new googleEmptyPb.Empty());
      break;
    case 'stream_exists':
      wev.setExpectedStreamExists(new googleEmptyPb.Empty());
      break;
    case 'no_stream':
      wev.setExpectedNoStream(new googleEmptyPb.Empty());
      break;
    case 'revision':
      wev.setExpectedStreamPosition(expected.revision.toString(10));
      break;
  }
  return rpcStatus(codePb.Code.ALREADY_EXISTS, 'WrongExpectedVersion', 'WrongExpectedVersion', wev);
}

function maximumAppendSizeExceededStatus(maxAppendSize: number): RpcStatusMessage {
  const detail = new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize);
  return rpcStatus(codePb.Code.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', 'MaximumAppendSizeExceeded', detail);
}

function timeoutStatus(): RpcStatusMessage {
  return rpcStatus(codePb.Code.DEADLINE_EXCEEDED, 'Timeout', 'Timeout', new sharedPb.Timeout());
}

function badRequestStatus(message: string): RpcStatusMessage {
  return rpcStatus(
    codePb.Code.INVALID_ARGUMENT,
    'BadRequest',
    'BadRequest',
    new sharedPb.BadRequest().setMessage(message),
  );
}

function batchAppendResp(
  correlationId: UuidMessage | undefined,
  identifier: StreamIdentifierMessage | undefined,
  result: AppendOutcome | RpcStatusMessage,
): BatchAppendResp {
  const resp = new BatchAppendRespClass();
  // The server echoes the request's correlation id and names the stream, errors included
  // (the client reads the stream name from every error response).
  if (correlationId) resp.setCorrelationId(correlationId);
  if (identifier) resp.setStreamIdentifier(identifier);
  if (result instanceof statusPb.Status) return resp.setError(result);
  if (result.kind === 'wrong-expected-version')
    return resp.setError(wrongExpectedVersionStatus(result.current, result.expected));
  const ok = new BatchAppendRespClass.Success();
  if (result.revision >= 0n) ok.setCurrentRevision(result.revision.toString(10));
  else ok.setNoStream(new googleEmptyPb.Empty());
  if (result.position === undefined) ok.setNoPosition(new googleEmptyPb.Empty());
  else {
    const position = new sharedPb.AllStreamPosition();
    position.setCommitPosition(result.position.toString(10));
    position.setPreparePosition(result.position.toString(10));
    ok.setPosition(position);
  }
  return resp.setSuccess(ok);
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
        const event = parseProposed(message);
        size += sizeOnDisk(event);
        if (size > store.maxAppendSize) {
          throw rpcError(Status.INVALID_ARGUMENT, `Maximum Append Size of ${store.maxAppendSize} Exceeded.`, {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(store.maxAppendSize),
          });
        }
        proposed.push(event);
      } catch (error) {
        failure = error instanceof RpcError ? error : rpcError(Status.INTERNAL, String(error));
        proposed.length = 0;
      }
    });
    call.on('end', () => {
      store.stats.classicAppends += 1;
      if (failure) return callback(failure.status);
      if (streamName === undefined || expected === undefined) {
        return callback(rpcError(Status.INVALID_ARGUMENT, 'No AppendReq options received').status);
      }
      callback(null, appendResp(store.append(streamName, expected, proposed)));
    });
    call.on('error', () => {
      // Cancelled by the client: nothing was written.
    });
  };
}

interface PendingBatch {
  readonly correlationId: UuidMessage;
  readonly identifier: StreamIdentifierMessage;
  readonly streamName: string;
  readonly expected: ExpectedRevision;
  readonly proposed: ProposedEvent[];
  size: number;
  readonly timer: NodeJS.Timeout;
}

/** Milliseconds left until the request's deadline (a Timestamp, the 21.10 field the client sends). */
function requestedTimeoutMs(options: InstanceType<typeof streamsPb.BatchAppendReq.Options>): number {
  const deadline = options.getDeadline();
  if (!deadline) return Number.POSITIVE_INFINITY;
  return deadline.getSeconds() * 1000 + Math.floor(deadline.getNanos() / 1_000_000) - Date.now();
}

/**
 * Streams.BatchAppend, after KurrentDB's BatchAppendWorker: one long-lived call carries many
 * writes, each a run of BatchAppendReq chunks sharing a correlation id (the first with options,
 * the last with is_final); each write gets exactly one BatchAppendResp: success, or an error
 * google.rpc.Status whose details say what went wrong. The call itself stays open.
 */
function batchAppendHandler(store: FakeStore) {
  return (call: BatchAppendCall): void => {
    const pending = new Map<string, PendingBatch>();
    const open: OpenBatchAppend = {
      call,
      close() {
        for (const batch of pending.values()) clearTimeout(batch.timer);
        pending.clear();
        store.batchAppends.delete(open);
      },
    };
    store.batchAppends.add(open);
    const live = (): boolean =>
      !call.cancelled && !call.writableEnded && !call.destroyed && store.batchAppends.has(open);
    const reply = (
      correlationId: UuidMessage | undefined,
      identifier: StreamIdentifierMessage | undefined,
      result: AppendOutcome | RpcStatusMessage,
    ): void => {
      if (!live()) return;
      store.stats.batchAppends += 1;
      call.write(batchAppendResp(correlationId, identifier, result));
    };
    const settle = (key: string): PendingBatch | undefined => {
      const batch = pending.get(key);
      if (!batch) return undefined;
      pending.delete(key);
      clearTimeout(batch.timer);
      return batch;
    };

    call.on('data', (req: BatchAppendReq) => {
      if (!live()) return;
      const correlationId = req.getCorrelationId();
      const options = req.getOptions();
      let key: string | undefined;
      try {
        key = uuidToString(correlationId);
        if (options) {
          const identifier = options.getStreamIdentifier();
          if (!identifier) {
            return reply(correlationId, undefined, badRequestStatus('Required field StreamIdentifier not set.'));
          }
          const timeoutMs = Math.min(requestedTimeoutMs(options), BATCH_WRITE_TIMEOUT_MS);
          if (timeoutMs <= 0) return reply(correlationId, identifier, timeoutStatus());
          if (!pending.has(key)) {
            const pendingKey = key;
            const timer = setTimeout(() => {
              const expired = settle(pendingKey);
              if (expired) reply(expired.correlationId, expired.identifier, timeoutStatus());
            }, timeoutMs);
            timer.unref();
            pending.set(key, {
              correlationId: correlationId!,
              identifier,
              streamName: streamNameOf(identifier),
              expected: parseBatchExpected(options),
              proposed: [],
              size: 0,
              timer,
            });
          }
        }
        // Chunks of an unknown (or already answered) correlation id are ignored.
        const batch = pending.get(key);
        if (!batch) return;
        for (const message of req.getProposedMessagesList()) {
          const event = parseProposed(message);
          batch.proposed.push(event);
          batch.size += sizeOnDisk(event);
        }
        if (batch.size > store.maxAppendSize) {
          settle(key);
          return reply(batch.correlationId, batch.identifier, maximumAppendSizeExceededStatus(store.maxAppendSize));
        }
        if (!req.getIsFinal()) return;
        settle(key);
        reply(batch.correlationId, batch.identifier, store.append(batch.streamName, batch.expected, batch.proposed));
      } catch (error) {
        // The server answers BadRequest and keeps the call open. Unlike the server, the fake also
        // drops the write, so that it is never answered twice (the client cannot take that).
        const batch = key === undefined ? undefined : settle(key);
        const message = error instanceof Error ? error.message : String(error);
        reply(correlationId, batch?.identifier ?? options?.getStreamIdentifier(), badRequestStatus(message));
      }
    });
    call.on('end', () => {
      // The client half-closed: every write it finished has been answered; end with OK.
      const wasLive = live();
      open.close();
      if (wasLive) call.end();
    });
    call.on('cancelled', () => open.close());
    call.on('close', () => open.close());
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
      const count =
        options.getCountOptionCase() === ReadReqClass.Options.CountOptionCase.COUNT ? BigInt(options.getCount()) : 0n;
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
          const lastScanned =
            pastEvents.length > 0 ? pastEvents[pastEvents.length - 1]!.position : after < 0n ? 0n : after;
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

/** A SupportedMethod named like KurrentDB names them: service and method, lower-cased, from the gRPC path. */
function supportedMethod(
  path: string,
  features: readonly string[] = [],
): InstanceType<typeof serverFeaturesPb.SupportedMethod> {
  const [, service = '', method = ''] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
  return new serverFeaturesPb.SupportedMethod()
    .setServiceName(service.toLowerCase())
    .setMethodName(method.toLowerCase())
    .setFeaturesList([...features]);
}

/**
 * What a 21.10+ server answers, restricted to what the fake serves (a real server also lists
 * Delete, Tombstone, persistent subscriptions, projections, …; the client asks about those only
 * to pick a code path, which the fake would answer UNIMPLEMENTED anyway). Features are the
 * server's: Read has "position" and "events". BatchAppend gets no "deadline_duration": the fake
 * reads the 21.10 Timestamp deadline only, which is what a client then sends.
 */
function modernSupportedMethods(): SupportedMethods {
  const streams = streamsGrpcPb.StreamsService;
  return new serverFeaturesPb.SupportedMethods()
    .setEventStoreServerVersion(MODERN_SERVER_VERSION)
    .setMethodsList([
      supportedMethod(streams.read.path, ['position', 'events']),
      supportedMethod(streams.append.path),
      supportedMethod(streams.batchAppend.path),
      supportedMethod(serverFeaturesGrpcPb.ServerFeaturesService.getSupportedMethods.path),
    ]);
}

function getSupportedMethodsHandler(mode: FakeServerFeatures) {
  return (_call: ServerUnaryCall<EmptyMessage, SupportedMethods>, callback: sendUnaryData<SupportedMethods>): void => {
    if (mode === 'modern') return callback(null, modernSupportedMethods());
    // Like EventStoreDB before 21.10: the client takes UNIMPLEMENTED as "unknown server version"
    // and falls back to the classic Streams.Append.
    callback({ code: Status.UNIMPLEMENTED, details: 'The fake EventStoreDB does not advertise server features' });
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

async function serve(
  store: FakeStore,
  port: number,
  mode: FakeServerFeatures,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  // Only Read, Append and (on a 'modern' server) BatchAppend are implemented; grpc-js answers
  // UNIMPLEMENTED for the rest (Delete, Tombstone, and every other service), and an old server
  // ('none') has no BatchAppend at all.
  const streams: grpc.UntypedServiceImplementation = { read: readHandler(store), append: appendHandler(store) };
  if (mode === 'modern') streams.batchAppend = batchAppendHandler(store);
  server.addService(streamsGrpcPb.StreamsService, streams);
  server.addService(serverFeaturesGrpcPb.ServerFeaturesService, {
    getSupportedMethods: getSupportedMethodsHandler(mode),
  });
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

export async function startFakeEventStoreDb(options: FakeEventStoreDbOptions = {}): Promise<FakeEventStoreDb> {
  const mode = options.serverFeatures ?? 'modern';
  const store = new FakeStore();
  const first = await serve(store, 0, mode);
  let server: grpc.Server | undefined = first.server;
  const port = first.port;

  const drop = (reason: 'unavailable' | 'consumer-too-slow'): void => {
    if (reason === 'consumer-too-slow') {
      store.dropSubscriptions({ code: Status.ABORTED, details: CONSUMER_TOO_SLOW });
      return;
    }
    store.dropSubscriptions({ code: Status.UNAVAILABLE, details: 'Subscription dropped: server unavailable' });
    store.dropBatchAppends({ code: Status.UNAVAILABLE, details: 'Server unavailable' });
  };

  return {
    port,
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    serverFeatures: mode,
    async stop() {
      if (!server) return;
      const stopping = server;
      server = undefined;
      // End live subscriptions and open BatchAppend calls with UNAVAILABLE first and let that
      // status reach the wire, so the client sees the same error as on any other call, then
      // kill everything else.
      drop('unavailable');
      await new Promise((resolve) => setTimeout(resolve, 10));
      stopping.forceShutdown();
    },
    async restart() {
      if (server) return;
      server = (await serve(store, port, mode)).server;
    },
    dropSubscriptions(reason = 'unavailable') {
      drop(reason);
    },
    appendStats() {
      return { ...store.stats, openBatchAppendStreams: store.batchAppends.size };
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
