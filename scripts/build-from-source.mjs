#!/usr/bin/env node
// Before `npm start`, `npm run rebuild`, `seed`, `copy-log` and `bench`: builds dist/ from src/ and the console (as
// `npm run build` does) in a clone, so a tool never runs stale code. The Docker image has dist/, built when
// the image was, and neither src/ nor the compiler: there it has nothing to build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('src') && existsSync('tsconfig.build.json')) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0 || !existsSync('console')) process.exit(tsc.status ?? 1);
  // The console's bundle (Vite), which the service serves at /console.
  const console_ = spawnSync('npm', ['run', '--silent', 'build:console'], { stdio: 'inherit' });
  process.exit(console_.status ?? 1);
}
if (!existsSync('dist/main.js')) {
  console.error(
    'nothing to run: dist/ is missing and there is no src/ to build it from (run this in a clone, or in the image)',
  );
  process.exit(1);
}
