import { spawn } from 'node:child_process';
import { ExecError, type ExecOptions, type ExecResult } from './types.js';

/**
 * Spawns argv, captures output, enforces the timeout and abort signal by killing the whole
 * process group (a hung child must not outlive its timeout).
 */
export function spawnCapture(argv: string[], target: string, opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ExecError(`aborted before running on ${target}`, target, 'aborted'));
      return;
    }
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let failure: ExecError | undefined;
    const kill = (why: ExecError): void => {
      failure ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(
            () => kill(new ExecError(`timed out after ${opts.timeoutMs} ms on ${target}`, target, 'timeout')),
            opts.timeoutMs,
          )
        : undefined;
    const onAbort = (): void => kill(new ExecError(`aborted on ${target}`, target, 'aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      opts.onStdout?.(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onStderr?.(d);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    child.on('error', (e) => {
      failure ??= new ExecError(`cannot run ${argv[0]} on ${target}: ${e.message}`, target, 'spawn');
    });
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
    });
  });
}
