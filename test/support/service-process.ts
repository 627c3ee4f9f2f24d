// The built service (dist/main.js) as a child process, so a test can kill -9 it like a crash would.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the service printed so far, stdout and stderr interleaved as it arrived. */
  readonly output: () => string;
}

const START_WAIT_MS_MAX = 20_000;

/** Starts `node dist/main.js` on a free port (PORT=0) and waits until GET /health answers 200. */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the service did not start within ${START_WAIT_MS_MAX} ms: ${output}`)),
      START_WAIT_MS_MAX,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code ?? signal}) before listening: ${output}`));
    });
  });
  const deadline = Date.now() + START_WAIT_MS_MAX;
  for (;;) {
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service at ${url} did not become healthy within ${START_WAIT_MS_MAX} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url, child, exited, output: () => output };
}
