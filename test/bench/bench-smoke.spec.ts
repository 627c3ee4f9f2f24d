// CI's smoke run of `npm run bench`: the 10k workload once, into a temp folder. It checks that every
// figure was produced and written, never how fast: benchmarks are not timed tests.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { removeDir, tempDir } from '../support/test-app.js';

const dir = tempDir('bench-smoke-');
afterAll(() => removeDir(dir));

describe('npm run bench (smoke, 10k events)', () => {
  it('produces every figure beside their baselines and writes them as JSON and Markdown', async () => {
    const out = join(dir, 'results');
    // dist-bench/ is built by `npm test`'s pretest (npm run build:bench)
    await promisify(execFile)(
      process.execPath,
      [
        'dist-bench/bench/src/bench.js',
        '--sizes',
        '10k',
        '--out',
        out,
        '--work',
        join(dir, 'work'),
        '--http-seconds',
        '1',
        '--query-seconds',
        '1',
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );

    const result = JSON.parse(readFileSync(join(out, '10k.json'), 'utf8'));
    expect(result.events).toBe(10_000);
    expect(result.figures.map((f: { id: string }) => f.id)).toEqual([
      'B1',
      'B2',
      'B3',
      'B4',
      'B5',
      'B6',
      'B7',
      'B8',
      'B9',
      'B10',
      'B11',
    ]);
    for (const figure of result.figures) {
      expect(Number.isFinite(figure.value)).toBe(true);
      expect(typeof figure.met).toBe('boolean');
      if (['B1', 'B2', 'B3', 'B7', 'B9', 'B10'].includes(figure.id))
        expect(Number.isFinite(figure.baseline) && Number.isFinite(figure.ratio)).toBe(true);
    }
    expect(result.figures.find((f: { id: string }) => f.id === 'B2').detail).toMatchObject({ non2xx: 0, errors: 0 });
    expect(result.figures.find((f: { id: string }) => f.id === 'B6').detail.samples).toBeGreaterThan(0);
    expect(existsSync(join(out, 'results.md'))).toBe(true);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('| 10k (10,000 events) | B6 |');
  }, 180_000);

  it("is not part of the service's build: dist/ is compiled from src/ alone, and src/ holds no bench", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'tsconfig.build.json',
      '--listFilesOnly',
    ]);
    const ours = stdout
      .split('\n')
      .filter((file) => file.startsWith(process.cwd()) && !file.includes('/node_modules/'));

    expect(ours.length).toBeGreaterThan(100);
    expect(ours.filter((file) => file.includes('/bench/'))).toEqual([]);
    expect(existsSync('bench/src/bench.ts')).toBe(true);
  }, 60_000);
});
