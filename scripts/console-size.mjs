// Prints what a first load of the console costs: its JavaScript, gzipped (test/console/bundle.spec.ts
// holds the build to the budget).
import { CONSOLE_FIRST_LOAD_BUDGET_BYTES, consoleFirstLoad } from '../dist/console-assets.js';

const { files, gzipBytes } = consoleFirstLoad();
console.log(
  `console first load: ${files.length} JS file(s), ${(gzipBytes / 1000).toFixed(1)} kB gzipped ` +
    `(budget ${CONSOLE_FIRST_LOAD_BUDGET_BYTES / 1000} kB)`,
);
