import fs from 'node:fs';
import path from 'node:path';

/**
 * Which server processes have the embedded database open: each writes its process id under DATA_DIR/running while
 * it runs, so `restore` can refuse to swap the file from under a live service.
 */
export const runningFolder = (dataDir: string): string => path.resolve(dataDir, 'running');

/** Marks this process as serving from the data folder; the returned function unmarks it (on shutdown). */
export function markRunning(dataDir: string): () => void {
  const marker = path.join(runningFolder(dataDir), String(process.pid));
  fs.mkdirSync(runningFolder(dataDir), { recursive: true, mode: 0o700 });
  fs.writeFileSync(marker, new Date().toISOString(), { mode: 0o600 });
  return () => {
    fs.rmSync(marker, { force: true });
  };
}

/** Process ids of servers still running from the data folder; markers left by a server that died are removed. */
export function runningServers(dataDir: string): number[] {
  if (!fs.existsSync(runningFolder(dataDir))) return [];
  return fs.readdirSync(runningFolder(dataDir)).flatMap((name) => {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return [pid];
    fs.rmSync(path.join(runningFolder(dataDir), name), { force: true });
    return [];
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
