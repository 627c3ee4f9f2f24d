// Configuration is this one validated class. Nothing else reads process.env.
import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  type ValidationArguments,
  type ValidationError,
} from 'class-validator';
import { isLoopback, parseApiKeys, type ApiKeyEntry } from '../access/api-keys.js';
import { OperatorError } from '../shared/operator-error.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;

/** A whole number in [min, max], refused with one message saying so (not one per broken constraint). */
function WholeNumber(min: number, max: number): PropertyDecorator {
  const message = (args: ValidationArguments) =>
    `${args.property} must be a whole number from ${min} to ${max} (got ${JSON.stringify(String(args.value))})`;
  return (target, key) => {
    Transform(toInt)(target, key);
    IsInt({ message })(target, key);
    Min(min, { message })(target, key);
    Max(max, { message })(target, key);
  };
}

export class AppConfig {
  /** TCP port of the HTTP API. */
  @WholeNumber(0, 65535)
  PORT = 3000;

  /** Bind address. The default serves this machine only. */
  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  /**
   * EventStoreDB (KurrentDB) connection string, e.g. `esdb://localhost:2113?tls=false`.
   * When set, the service runs on EventStoreDB; when empty, on the embedded SQLite store.
   */
  @IsOptional()
  @IsString()
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/\S+$/, {
    message: 'EVENTSTORE_CONNECTION_STRING must look like esdb://host:2113?tls=false',
  })
  EVENTSTORE_CONNECTION_STRING?: string = undefined;

  /** The embedded event store's SQLite file, or `:memory:`. */
  @IsString()
  @IsNotEmpty()
  EVENT_STORE_PATH = 'data/events.sqlite';

  /** Folder of the read models: a catalogue and one SQLite file per generation. */
  @IsString()
  @IsNotEmpty()
  READ_MODEL_DIR = 'data/read-models';

  /** When the plan changes so that folded lines would be priced differently: rebuild at once, or wait for an operator. */
  @IsIn(['auto', 'manual'])
  PLAN_CHANGE_REBUILD: 'auto' | 'manual' = 'auto';

  /** Retired and what-if read model generations kept (for diffs) before their files are deleted. */
  @WholeNumber(0, 100)
  GENERATIONS_KEPT = 2;

  /**
   * The heap (V8's old generation, MB) a build worker starts with; one that reaches it goes on without
   * it, from its checkpoint. What the fold holds stays well under the default: the 1M-event benchmark log
   * builds under a third of it (docs/performance.md, B4).
   */
  @WholeNumber(8, 65_536)
  BUILD_HEAP_MB = 192;

  /** The compensation plan, validated at start. */
  @IsString()
  @IsNotEmpty()
  PLAN_FILE = 'plans/default.plan.json';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** How long a query with minPosition waits for the projection before answering 503. */
  @WholeNumber(0, 60_000)
  READ_WAIT_MS_MAX = 5000;

  /**
   * How far past the time of recording a fact may be dated (its recruitedAt, occurredAt, renewedAt, ...);
   * later ones are refused, 422 OCCURRED_IN_FUTURE. Default one day.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(31_622_400_000) // 366 days
  FUTURE_MARGIN_MS = 86_400_000;

  /** Largest request body accepted; larger ones get 413. */
  @WholeNumber(1024, 10_485_760)
  BODY_LIMIT_BYTES = 16_384;

  /**
   * API keys, `name:scopes:secret` separated by commas; scopes `write`, `read`, `read=<personId>`, `admin`,
   * joined with `+`. Secret: never printed. With no keys (here or in API_KEYS_FILE) access control is off,
   * which only a loopback HOST allows.
   */
  @IsOptional()
  @IsString()
  API_KEYS?: string = undefined;

  /** A file of further API key entries, one per line (`#` comments), so secrets need not sit in the environment. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  API_KEYS_FILE?: string = undefined;

  /** The key `npm run rebuild` presents to the running service (default: the first admin key configured). Secret. */
  @IsOptional()
  @IsString()
  LEDGER_API_KEY?: string = undefined;

  /** Requests per minute allowed to one API key (or, with access control off, one client address); 0: no limit. */
  @WholeNumber(0, 100_000_000)
  RATE_LIMIT_PER_MINUTE = 300_000;
}

/** Settings whose values are never printed, not even in a configuration error. */
const SECRET_SETTINGS: ReadonlySet<string> = new Set(['API_KEYS', 'LEDGER_API_KEY']);

export type ConfigOverrides = Partial<Record<keyof AppConfig, string>>;

/** Every problem of the configuration, on one line. */
export class ConfigError extends OperatorError {
  constructor(problems: readonly string[]) {
    super(problems.join('; '));
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
    throw new ConfigError(errors.map(describeProblem));
  }
  const keys = loadApiKeys(config);
  if (!keys.ok) throw new ConfigError(keys.problems);
  if (keys.keys.length === 0 && !isLoopback(config.HOST)) {
    throw new ConfigError([
      `HOST=${JSON.stringify(config.HOST)} is reachable from other machines, and no API keys are configured: set API_KEYS or API_KEYS_FILE (or bind to 127.0.0.1)`,
    ]);
  }
  apiKeys.set(config, keys.keys);
  return config;
}

/** `PORT must be …` as it stands when the message names the setting, else `SETTING="value": what is wrong`. */
function describeProblem(error: ValidationError): string {
  const messages = [...new Set(Object.values(error.constraints ?? {}))];
  if (messages.every((m) => m.startsWith(`${error.property} must be a whole number`))) return messages.join('; ');
  const value = SECRET_SETTINGS.has(error.property) ? '(secret)' : JSON.stringify(error.value);
  return `${error.property}=${value}: ${messages.join('; ')}`;
}

const apiKeys = new WeakMap<AppConfig, readonly ApiKeyEntry[]>();

/** The API keys of a configuration loaded by loadAppConfig (empty: access control is off). */
export function apiKeysOf(config: AppConfig): readonly ApiKeyEntry[] {
  const keys = apiKeys.get(config);
  // An AppConfig built any other way has unchecked keys; refusing here keeps access control from failing open.
  if (keys === undefined) throw new Error('programmer error: an AppConfig not made by loadAppConfig');
  return keys;
}

function loadApiKeys(config: AppConfig): ReturnType<typeof parseApiKeys> {
  let fileText = '';
  if (config.API_KEYS_FILE !== undefined) {
    try {
      fileText = readFileSync(config.API_KEYS_FILE, 'utf8');
    } catch (error) {
      return {
        ok: false,
        problems: [
          `API_KEYS_FILE=${JSON.stringify(config.API_KEYS_FILE)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        ],
      };
    }
  }
  const fromEnv = parseApiKeys(config.API_KEYS ?? '', 'API_KEYS');
  const fromFile = parseApiKeys(fileText, 'API_KEYS_FILE');
  if (!fromEnv.ok || !fromFile.ok)
    return {
      ok: false,
      problems: [...(fromEnv.ok ? [] : fromEnv.problems), ...(fromFile.ok ? [] : fromFile.problems)],
    };
  // Names and secrets must also be unique across both sources.
  const both = [...fromEnv.keys, ...fromFile.keys];
  if (fromEnv.keys.length > 0 && fromFile.keys.length > 0) {
    const names = new Set<string>();
    const secrets = new Set<string>();
    const problems: string[] = [];
    for (const key of both) {
      if (names.has(key.name)) problems.push(`API_KEYS and API_KEYS_FILE both define "${key.name}"`);
      if (secrets.has(key.secret)) problems.push(`API_KEYS_FILE: "${key.name}" has the secret of another key`);
      names.add(key.name);
      secrets.add(key.secret);
    }
    if (problems.length > 0) return { ok: false, problems };
  }
  return { ok: true, keys: both };
}
