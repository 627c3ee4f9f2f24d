// The console's first load stays small: its JavaScript, gzipped, within the budget (a size, not a time).
import { describe, expect, it } from '@jest/globals';
import { CONSOLE_FIRST_LOAD_BUDGET_BYTES, consoleFirstLoad } from '../../src/console-assets.js';

describe('the console bundle', () => {
  it('loads at most 300 KB of gzipped JavaScript at first', () => {
    const { files, gzipBytes } = consoleFirstLoad();
    process.stdout.write(`console first load: ${files.join(', ')}: ${gzipBytes} bytes gzipped\n`);
    expect(files.length).toBeGreaterThan(0);
    expect(gzipBytes).toBeLessThanOrEqual(CONSOLE_FIRST_LOAD_BUDGET_BYTES);
  });
});
