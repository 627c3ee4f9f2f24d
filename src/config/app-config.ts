// Configuration is this one validated class. Nothing else reads process.env.
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value);

export class AppConfig {
  /** TCP port of the HTTP API. */
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Bind address. The default serves this machine only. */
  @IsString() @IsNotEmpty()
  HOST = '127.0.0.1';

  /**
   * EventStoreDB (KurrentDB) connection string, e.g. `esdb://localhost:2113?tls=false`.
   * When set, the service runs on EventStoreDB; when empty, on the embedded SQLite store.
   */
  @IsOptional() @IsString() @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/\S+$/, {
    message: 'EVENTSTORE_CONNECTION_STRING must look like esdb://host:2113?tls=false',
  })
  EVENTSTORE_CONNECTION_STRING?: string = undefined;

  /** The embedded event store's SQLite file, or `:memory:`. */
  @IsString() @IsNotEmpty()
  EVENT_STORE_PATH = 'data/events.sqlite';

  /** Folder of the read models: a catalogue and one SQLite file per generation. */
  @IsString() @IsNotEmpty()
  READ_MODEL_DIR = 'data/read-models';

  /** When the plan changes so that folded lines would be priced differently: rebuild at once, or wait for an operator. */
  @IsIn(['auto', 'manual'])
  PLAN_CHANGE_REBUILD: 'auto' | 'manual' = 'auto';

  /** Retired and what-if read model generations kept (for diffs) before their files are deleted. */
  @Transform(toInt) @IsInt() @Min(0) @Max(100)
  GENERATIONS_KEPT = 2;

  /** The compensation plan, validated at start. */
  @IsString() @IsNotEmpty()
  PLAN_FILE = 'plans/default.plan.json';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** How long a query with minPosition waits for the projection before answering 503. */
  @Transform(toInt) @IsInt() @Min(0) @Max(60_000)
  READ_WAIT_MS_MAX = 5000;

  /** Largest request body accepted; larger ones get 413. */
  @Transform(toInt) @IsInt() @Min(1024) @Max(10_485_760)
  BODY_LIMIT_BYTES = 16_384;
}

export type ConfigOverrides = Partial<Record<keyof AppConfig, string>>;

export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment (and test overrides) into a checked AppConfig, or throws naming each bad variable. */
export function loadAppConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defaults = new AppConfig();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults) as (keyof AppConfig)[]) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`));
  }
  return config;
}
