// The fault suites print their figures as plain lines, so the test output reads like a report
// (console.log inside Jest adds a stack trace to every line).
export function reportFigure(line: string): void {
  process.stderr.write(`    ▸ ${line}\n`);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same choices, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
