import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadAppConfig } from './app-config.js';

describe('configuration', () => {
  it('defaults to the embedded store under ./data on 127.0.0.1:3000', () => {
    const config = loadAppConfig({}, {});
    expect([config.HOST, config.PORT, config.EVENT_STORE_PATH, config.READ_MODEL_DIR]).toEqual(['127.0.0.1', 3000, 'data/events.sqlite', 'data/read-models']);
  });

  it('reads numbers from the environment and lets overrides win', () => {
    const config = loadAppConfig({ PORT: '4000' }, { PORT: '5000', READ_WAIT_MS_MAX: '250' });
    expect([config.PORT, config.READ_WAIT_MS_MAX]).toEqual([4000, 250]);
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => loadAppConfig({}, { PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadAppConfig({}, { PORT: 'eighty' })).toThrow(/PORT="eighty"/);
  });
});
