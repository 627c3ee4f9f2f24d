#!/usr/bin/env node
// The npm registry these machines reach serves only the Linux builds of packages that ship one
// package per platform (unrs-resolver, used by Jest). npm then leaves the other platforms out of
// package-lock.json, and `npm ci` refuses the lock as out of sync. This adds lock entries for the
// missing platform packages, marked optional with their os and cpu, so `npm ci` skips them on
// Linux as it would with a lock written elsewhere. Run it after any `npm install` that rewrites
// the lock: node scripts/lockfile-add-foreign-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const OS = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'wasm32'];
const CPU = {
  'arm-eabi': 'arm',
  arm64: 'arm64',
  x64: 'x64',
  'arm-gnueabihf': 'arm',
  'arm-musleabihf': 'arm',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  ia32: 'ia32',
  wasi: 'wasm32',
};
let added = 0;

for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || !/binding-/.test(name)) continue;
    const platform = name.split('binding-')[1]; // e.g. darwin-arm64, linux-arm-gnueabihf, win32-x64-msvc
    const os = OS.find((o) => platform.startsWith(o));
    const arch = platform.slice(os.length + 1).replace(/-(gnu|musl|msvc)$/, '');
    const libc = platform.endsWith('-gnu') ? ['glibc'] : platform.endsWith('-musl') ? ['musl'] : undefined;
    lock.packages[key] = {
      version,
      cpu: [CPU[arch] ?? arch],
      os: [os === 'wasm32' ? 'wasi' : os],
      ...(libc ? { libc } : {}),
      optional: true,
      dev: entry.dev,
    };
    added += 1;
    console.log(`added ${key}@${version} for ${path || 'the root'}`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} entries added`);
