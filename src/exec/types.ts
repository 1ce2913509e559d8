import type { Forward } from './forward.js';

/**
 * The Exec port: run a shell command somewhere and capture what it did. Configure, join and verify
 * are written against it, so the same code drives a lab namespace and a bare-metal box over SSH.
 */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Written to the command's stdin. */
  input?: string | Buffer;
  /** Per-command timeout; the command is killed (locally) or its channel closed (SSH) when it passes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  /** Streaming callbacks, e.g. for per-host prefixed progress. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface Exec {
  /** Human-readable target, e.g. "ssh root@198.51.100.11:22 (host1)". Never contains secrets. */
  readonly target: string;
  /** Runs `command` with bash (-c) on the target. Never throws on a non-zero exit: check `code`. */
  run(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Writes a file on the target (atomically where possible) with the given mode. */
  upload(content: string | Buffer, remotePath: string, mode?: number): Promise<void>;
  /** SSH only: a loopback TCP port that leads to host:port as the target sees it (ssh -L). */
  forward?(host: string, port: number): Promise<Forward>;
  close(): Promise<void>;
}

/** Thrown when a command could not be run at all (connection, timeout, abort) — not for non-zero exits. */
export class ExecError extends Error {
  constructor(
    message: string,
    readonly target: string,
    readonly reason: 'timeout' | 'aborted' | 'connect' | 'host-key' | 'spawn' | 'transport',
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

/** Runs a command and throws with its output when it exits non-zero. */
export async function runChecked(exec: Exec, command: string, opts?: ExecOptions): Promise<ExecResult> {
  const r = await exec.run(command, opts);
  if (r.code !== 0) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-20).join('\n');
    throw new Error(
      `command failed on ${exec.target} (exit ${r.code}): ${command.split('\n')[0].slice(0, 120)}\n${tail}`,
    );
  }
  return r;
}
