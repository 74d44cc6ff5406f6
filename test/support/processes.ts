import { ChildProcess, spawn } from 'node:child_process';

export const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Collects a child's output and resolves when it exits; kills it if it outlives `timeoutMs`
 * (generous: jest runs several spec files at once on a 2-core machine, and a process start that
 * takes 2 s alone has been seen to take over 20 s then).
 */
export function finished(child: ChildProcess, timeoutMs = 60_000): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `node dist/src/cli.js ...args` with the test run's environment plus `env`. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return finished(child);
}
