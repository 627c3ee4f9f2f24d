import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError, apiKeysOf, loadAppConfig } from './app-config.js';

describe('configuration', () => {
  it('defaults to the embedded store under ./data on 127.0.0.1:3000', () => {
    const config = loadAppConfig({}, {});
    expect([config.HOST, config.PORT, config.EVENT_STORE_PATH, config.READ_MODEL_DIR]).toEqual([
      '127.0.0.1',
      3000,
      'data/events.sqlite',
      'data/read-models',
    ]);
  });

  it('reads numbers from the environment and lets overrides win', () => {
    const config = loadAppConfig({ PORT: '4000' }, { PORT: '5000', READ_WAIT_MS_MAX: '250' });
    expect([config.PORT, config.READ_WAIT_MS_MAX]).toEqual([4000, 250]);
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => loadAppConfig({}, { PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadAppConfig({}, { PORT: 'eighty' })).toThrow(
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
    );
  });

  it('says in one sentence what a number setting must be, and what it got', () => {
    const problem = (env: Record<string, string>) => () => loadAppConfig({}, env);
    expect(problem({ PORT: 'abc' })).toThrow(
      new ConfigError(['PORT must be a whole number from 0 to 65535 (got "abc")']),
    );
    expect(problem({ PORT: '70000' })).toThrow('PORT must be a whole number from 0 to 65535 (got "70000")');
    expect(problem({ PORT: '-1', LOG_LEVEL: 'loud' })).toThrow(
      'PORT must be a whole number from 0 to 65535 (got "-1"); LOG_LEVEL="loud": LOG_LEVEL must be one of the following values: fatal, error, warn, info, debug, trace, silent',
    );
  });

  it('takes a future margin from none to 366 days, one day by default', () => {
    expect(loadAppConfig({}, {}).FUTURE_MARGIN_MS).toBe(86_400_000);
    expect(loadAppConfig({}, { FUTURE_MARGIN_MS: '0' }).FUTURE_MARGIN_MS).toBe(0);
    expect(() => loadAppConfig({}, { FUTURE_MARGIN_MS: '31622400001' })).toThrow(/FUTURE_MARGIN_MS=31622400001/);
    expect(() => loadAppConfig({}, { FUTURE_MARGIN_MS: '1d' })).toThrow(/FUTURE_MARGIN_MS="1d"/);
  });
});

describe('access configuration', () => {
  const KEY = 'ops:admin:0123456789abcdefghijklmnop';

  it('starts with access control off on a loopback address and no keys', () => {
    expect(apiKeysOf(loadAppConfig({}, {}))).toEqual([]);
    expect(apiKeysOf(loadAppConfig({ HOST: '::1' }, {}))).toEqual([]);
  });

  it('refuses any other address without keys', () => {
    expect(() => loadAppConfig({}, { HOST: '0.0.0.0' })).toThrow(
      /HOST="0.0.0.0" is reachable from other machines, and no API keys are configured/,
    );
    expect(apiKeysOf(loadAppConfig({}, { HOST: '0.0.0.0', API_KEYS: KEY })).map((k) => k.name)).toEqual(['ops']);
  });

  it('reads keys from API_KEYS_FILE too, one per line, and refuses a name defined twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys');
    writeFileSync(file, '# rep keys\nrep-ana:read=ana:ana-0123456789abcdefghijklmnop\n');
    try {
      expect(apiKeysOf(loadAppConfig({}, { API_KEYS: KEY, API_KEYS_FILE: file })).map((k) => k.name)).toEqual([
        'ops',
        'rep-ana',
      ]);
      writeFileSync(file, 'ops:read:another-0123456789abcdefghijklmnop\n');
      expect(() => loadAppConfig({}, { API_KEYS: KEY, API_KEYS_FILE: file })).toThrow(/both define "ops"/);
      expect(() => loadAppConfig({}, { API_KEYS_FILE: join(dir, 'missing') })).toThrow(
        /API_KEYS_FILE=.*cannot be read \(ENOENT\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never prints a secret setting, even when it is refused', () => {
    expect(() => loadAppConfig({}, { API_KEYS: 'ops:admin:0123456789abcdefghij-WRONG x' })).toThrow(ConfigError);
    expect(() => loadAppConfig({}, { API_KEYS: 'ops:admin:0123456789abcdefghij-WRONG x' })).not.toThrow(/WRONG/);
  });

  it('an AppConfig not loaded and checked here has no keys to give', () => {
    expect(() => apiKeysOf(new AppConfig())).toThrow(/programmer error/);
  });

  it('rate limit: 300000 a minute by default, 0 for none', () => {
    expect(loadAppConfig({}, {}).RATE_LIMIT_PER_MINUTE).toBe(300_000);
    expect(loadAppConfig({}, { RATE_LIMIT_PER_MINUTE: '0' }).RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(() => loadAppConfig({}, { RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});
