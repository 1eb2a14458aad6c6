import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { currentTotpCode } from '../../src/platform/auth/totp.js';
import { DEMO_PASSWORD, DEMO_PERSONAS } from '../../src/platform/seed/demo-users.js';
import { PROJECT_ROOT, startCommandArguments } from '../../test/support/start-command.js';

export interface ServerProcess {
  readonly pid: number;
  readonly baseUrl: string;
  /** Resident memory of the server process, in bytes (from the operating system, as an operator would read it). */
  rss(): number;
  stop(): Promise<void>;
}

/**
 * Starts the server exactly as `npm start` runs it (the same Node arguments) in its own process, on a free
 * port, so its memory can be read on its own without the load generator's.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, startCommandArguments(), {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('The server process did not start.');
  await waitForBanner(child);
  return {
    pid,
    baseUrl: `http://127.0.0.1:${String(port)}`,
    rss: () => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) * 1024,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Signs a demo persona in over HTTP (password, then authenticator code) and returns the Cookie header. */
export async function signInOverHttp(baseUrl: string, email: string): Promise<string> {
  const persona = DEMO_PERSONAS.find((candidate) => candidate.email === email);
  if (!persona) throw new Error(`No demo persona ${email}`);
  const jar = new Map<string, string>();
  const send = async (url: string, form?: Record<string, string>) => {
    const headers: Record<string, string> = { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${baseUrl}${url}`, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const body = await response.text();
    return { status: response.status, csrf: /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '' };
  };
  const signInPage = await send('/app/sign-in');
  const password = await send('/app/sign-in', { _csrf: signInPage.csrf, email, password: DEMO_PASSWORD });
  if (password.status !== 303) throw new Error(`Password step answered ${String(password.status)}`);
  const codePage = await send('/app/sign-in/code');
  const code = await send('/app/sign-in/code', { _csrf: codePage.csrf, code: currentTotpCode(persona.totpSecret) });
  if (code.status !== 303) throw new Error(`Code step answered ${String(code.status)}`);
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function waitForBanner(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`The server did not start within 60 s:\n${output}`));
    }, 60_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running at')) {
        clearTimeout(timer);
        // Keep draining the pipes so request logs never fill the buffer and stall the server.
        resolve();
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with ${String(code)} before it was ready:\n${output}`));
    });
  });
}
