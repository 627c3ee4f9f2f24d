// A writer thread's module that throws as it loads, for test/cli/rebuild-writer.spec.ts: what a
// writer whose code cannot start (a missing file, a broken build) does to a generation's build.
throw new Error('this writer cannot start (a test)');
