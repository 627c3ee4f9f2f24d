// There is no Docker engine here, so the image is never built in CI. This checks what can be checked
// without one, by reading the Dockerfile and .dockerignore: the runtime stage holds every file that
// `npm start` and `npm run rebuild` (and seed, copy-log) run, runs as the node user with data/ and
// reports/ its own, and is based on a Node LTS that package.json's engines allows.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runNode } from '../support/cli-process.js';
import { removeDir, tempDir } from '../support/test-app.js';

interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: readonly { op: string; args: string }[];
}

/** The Dockerfile's stages, continuation lines joined, comments dropped. */
function stages(): Stage[] {
  const text = readFileSync('Dockerfile', 'utf8').replace(/\\\n/g, ' ');
  const result: { from: string; name: string | null; instructions: { op: string; args: string }[] }[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') {
      const [image, , name] = args!.split(/\s+/);
      result.push({ from: image!, name: name ?? null, instructions: [] });
    } else result.at(-1)!.instructions.push({ op: op!.toUpperCase(), args: args!.replace(/\s+/g, ' ') });
  }
  return result;
}

const runtime = () => stages().at(-1)!;
const build = () => stages().find((s) => s.name === 'build')!;
const scripts = () => (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/** What a stage's COPY instructions bring in: [source, from another stage?]. */
function copied(stage: Stage): { source: string; fromStage: boolean }[] {
  return stage.instructions
    .filter((i) => i.op === 'COPY')
    .flatMap((i) => {
      const words = i.args.split(' ');
      const fromStage = words[0]!.startsWith('--from=');
      const paths = words.filter((w) => !w.startsWith('--'));
      return paths.slice(0, -1).map((source) => ({ source: source.replace(/^\/app\//, ''), fromStage }));
    });
}

/** Whether `file` is in the image: copied itself, or under a copied folder. */
function inImage(file: string): boolean {
  return copied(runtime()).some(({ source }) => file === source || file.startsWith(`${source.replace(/\/$/, '')}/`));
}

/** The files `npm run <script>` runs with node, its pre-script's included. */
function nodeFilesOf(script: string): string[] {
  const all = scripts();
  const lines = [all[`pre${script}`], all[script]].filter((s): s is string => s !== undefined);
  return lines.flatMap((line) => [...line.matchAll(/(?:^|&& )node (\S+)/g)].map((m) => m[1]!));
}

describe('the Docker image', () => {
  it.each(['start', 'rebuild', 'seed', 'copy-log'])('holds every file npm run %s runs', (script) => {
    const files = nodeFilesOf(script);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect([file, inImage(file)]).toEqual([file, true]);
      // and dist/ is what `npm run build` makes, here as in the image's build stage
      expect([file, existsSync(file)]).toEqual([file, true]);
    }
    expect(inImage('package.json')).toBe(true);
  });

  it('builds dist/ with every file tsc needs, and copies the plans and the sample network', () => {
    const buildCopies = copied(build()).map((c) => c.source);
    const tsconfig = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { extends?: string };
    expect(buildCopies).toEqual(expect.arrayContaining(['tsconfig.build.json', 'src', 'package-lock.json']));
    if (tsconfig.extends) expect(buildCopies).toContain(tsconfig.extends.replace(/^\.\//, ''));
    expect(build().instructions.map((i) => i.args)).toContain('npm run build && npm prune --omit=dev');
    expect(copied(runtime())).toContainEqual({ source: 'dist', fromStage: true });
    expect(inImage('plans/default.plan.json')).toBe(true);
    expect(inImage('scripts/sample-network.json')).toBe(true);
  });

  it('runs as the node user, who owns data/ and reports/ (where npm run rebuild -- --dry-run writes)', () => {
    const ops = runtime().instructions;
    const user = ops.findIndex((i) => i.op === 'USER');
    expect(ops[user]!.args).toBe('node');
    const owned = ops
      .slice(0, user)
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args)
      .join(' && ');
    expect(owned).toMatch(/mkdir -p data reports && chown node:node data reports/);
    expect(ops.find((i) => i.op === 'WORKDIR')?.args).toBe('/app');
    expect(readFileSync('src/cli/rebuild.ts', 'utf8')).toContain("mkdirSync('reports'");
  });

  it('is based on a Node LTS line that package.json engines allows, the same in both stages', () => {
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    const [, floorMajor] = /^>=(\d+)\.\d+$/.exec(engines)!;
    for (const stage of stages()) {
      const [, major] = /^node:(\d+)-/.exec(stage.from)!;
      // the tag follows the newest release of its line, which is past any minor of the floor's line
      expect(Number(major)).toBeGreaterThanOrEqual(Number(floorMajor));
      expect(Number(major) % 2).toBe(0); // even lines are the LTS ones
    }
    expect(new Set(stages().map((s) => s.from)).size).toBe(1);
  });

  it('leaves the host build and data out of the build context (.dockerignore)', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', 'reports']));
  });
});

describe('scripts/build-from-source.mjs', () => {
  it('in a folder like the image (dist/, no src/) builds nothing and lets the tool run', async () => {
    const dir = tempDir('image-like-');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'main.js'), '');
    const run = await runNode(resolve('scripts/build-from-source.mjs'), [], {}, dir);
    await removeDir(dir);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
  });

  it('with neither dist/ nor src/ says so in one line and exits 1', async () => {
    const dir = tempDir('empty-');
    const run = await runNode(resolve('scripts/build-from-source.mjs'), [], {}, dir);
    await removeDir(dir);
    expect([run.code, run.stderr.trim().split('\n').length]).toEqual([1, 1]);
    expect(run.stderr).toContain('dist/ is missing and there is no src/ to build it from');
  });
});
