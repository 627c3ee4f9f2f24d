// Prints what a first load of the console costs: the JavaScript its page loads (the entry and what it
// preloads), gzipped. The budget is 300 KB; test/console/bundle.spec.ts holds the build to it.
import { consoleFirstLoad } from './console-first-load.mjs';

const { files, gzipBytes } = consoleFirstLoad('dist/console');
console.log(
  `console first load: ${files.length} JS file(s), ${(gzipBytes / 1024).toFixed(1)} KiB gzipped (budget 300 KB)`,
);
