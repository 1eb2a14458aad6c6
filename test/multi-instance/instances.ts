import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { PROJECT_ROOT, startCommandArguments } from '../support/start-command.js';

export interface AppInstance {
  readonly name: string;
  readonly url: string;
  /** Everything the process has written to stdout so far (pino JSON lines and the start-up banner). */
  output(): string;
  /** The JSON log lines written so far. */
  logLines(): Array<Record<string, unknown>>;
  /** Resolves when a line matching `pattern` has been written. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, as a process manager would send; resolves with the exit code once the process has shut down. */
  stop(): Promise<number | null>;
}

/** A free TCP port: with PORT=0 the process would not tell us which port it took. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}

/** Starts `src/server.ts` as its own process, exactly as `npm start` does, with the given environment. */
export async function startInstance(name: string, env: Record<string, string>): Promise<AppInstance> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, startCommandArguments(), {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const watcher of watchers.filter((candidate) => candidate.pattern.test(stdout))) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    resolve(code);
  }));

  const instance: AppInstance = {
    name,
    url: `http://127.0.0.1:${String(port)}`,
    output: () => stdout,
    logLines: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    waitForOutput(pattern, timeoutMs = 60_000) {
      if (pattern.test(stdout)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${name} did not write ${String(pattern)} within ${String(timeoutMs)} ms.\nstdout:\n${stdout.slice(-3000)}\nstderr:\n${stderr.slice(-3000)}`));
        }, timeoutMs);
        watchers.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited with ${String(code)} before writing ${String(pattern)}.\nstderr:\n${stderr.slice(-3000)}`));
        });
      });
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
  };
  await instance.waitForOutput(/is running at/);
  return instance;
}
