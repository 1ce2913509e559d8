import { spawnCapture } from '../../exec/spawn.js';
import type { ExecResult } from '../../exec/types.js';

/**
 * Runs a system command (argv, no shell) for the lab and throws with its stderr when it fails.
 * The lab's own plumbing uses this; configure/verify code uses the Exec port instead.
 */
export async function sys(
  argv: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const r = await trySys(argv, opts);
  if (r.code !== 0) {
    throw new Error(
      `${argv.join(' ')} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 500)}`,
    );
  }
  return r.stdout;
}

export function trySys(
  argv: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return spawnCapture(argv, 'local', { timeoutMs: opts.timeoutMs ?? 30000, input: opts.input });
}

/** `ip` inside a named namespace (or the root namespace when ns is undefined). */
export function ip(ns: string | undefined, ...args: string[]): Promise<string> {
  return sys(ns ? ['ip', '-n', ns, ...args] : ['ip', ...args]);
}
