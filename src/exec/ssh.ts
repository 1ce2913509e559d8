import './cjs-globals.js';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { NodeSSH } from 'node-ssh';
import type { ClientChannel, ServerHostKeyAlgorithm } from 'ssh2';
import { fingerprintOfBlob, parsePublicKeyLine } from '../keys/openssh.js';
import { forwardThrough } from './forward.js';
import { sleepAbortable } from './sleep.js';
import { ExecError, type Exec, type ExecOptions, type ExecResult } from './types.js';

export interface SshTarget {
  host: string;
  port?: number;
  user: string;
  /** OpenSSH or PEM private key text. A secret: never logged, never part of an error. */
  privateKey: string;
  /** The pinned host key as an OpenSSH public line ("ssh-ed25519 AAAA…"). Required: there is no unpinned mode. */
  hostKey: string;
  /** Shown in messages, e.g. "host1". */
  label?: string;
  /** Per connection attempt: TCP connect + handshake + auth (default 15 s). */
  connectTimeoutMs?: number;
  /** Keep retrying refused/unreachable connections this long while the host boots (default 0: one attempt). */
  retryForMs?: number;
  signal?: AbortSignal;
}

/** Errors worth another attempt while a host boots: nothing listens yet, or the route is not up yet. */
const RETRYABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT']);

export function quoteShell(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The remote command line: always bash, whatever the login shell, with env vars exported first.
 * `token` marks the command's environment so the whole process tree can be found and killed on
 * timeout or abort (sshd ignores "signal" requests for root logins, so ssh2's signal is no help).
 */
export function remoteCommand(command: string, env?: Record<string, string>, token?: string): string {
  const exports = Object.entries(env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name ${k}`);
    return `export ${k}=${quoteShell(v)}; `;
  });
  const mark = token ? `env ${TOKEN_VAR}=${token} ` : '';
  return `exec ${mark}bash -c ${quoteShell(exports.join('') + command)}`;
}

const TOKEN_VAR = 'LM_ENV_EXEC';
/** How long a timeout/abort waits for the remote kill before giving up on it. */
const KILL_WAIT_MS = 3000;

/** Kills every process whose environment carries the token (the command and all it started). */
export function killByTokenCommand(token: string): string {
  return (
    `for f in /proc/[0-9]*/environ; do ` +
    `if grep -qzx '${TOKEN_VAR}=${token}' "$f" 2>/dev/null; then p=\${f#/proc/}; kill -KILL "\${p%/environ}" 2>/dev/null; fi; ` +
    `done; true`
  );
}

function describe(t: SshTarget): string {
  return `ssh ${t.user}@${t.host}:${t.port ?? 22}${t.label ? ` (${t.label})` : ''}`;
}

/**
 * Connects over SSH and returns an Exec. The host key is always checked against `hostKey` (the
 * raw key blob is compared; fingerprints are only for messages): a different key fails with reason
 * 'host-key' and is never retried.
 */
export async function connectSsh(t: SshTarget): Promise<Exec> {
  const target = describe(t);
  const where = `${t.host}:${t.port ?? 22}${t.label ? ` (${t.label})` : ''}`;
  let pinned: { type: string; blob: Buffer };
  try {
    pinned = parsePublicKeyLine(t.hostKey);
  } catch (e) {
    throw new ExecError(
      `pinned host key for ${where} is unusable: ${(e as Error).message}`,
      target,
      'host-key',
    );
  }
  const deadline = Date.now() + (t.retryForMs ?? 0);
  for (let attempt = 0; ; attempt++) {
    if (t.signal?.aborted) throw new ExecError(`aborted while connecting to ${where}`, target, 'aborted');
    try {
      const ssh = await connectOnce(t, pinned, target, where);
      return sshExec(ssh, target);
    } catch (e) {
      const err = e as ExecError & { code?: string };
      const code = (e as { cause?: { code?: string } }).cause?.code;
      if (err.reason !== 'connect' || !code || !RETRYABLE.has(code) || Date.now() >= deadline) throw e;
      // Exponential backoff with full jitter, capped at 1 s: a booting host answers soon.
      const wait = Math.min(deadline - Date.now(), Math.random() * Math.min(1000, 100 * 2 ** attempt));
      await sleepAbortable(Math.max(wait, 20), t.signal).catch(() => {
        throw new ExecError(`aborted while connecting to ${where}`, target, 'aborted');
      });
    }
  }
}

/** Signature algorithms that make a server present a key of the pinned type (RSA keys sign with SHA-2). */
export function hostKeyAlgorithms(type: string): ServerHostKeyAlgorithm[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [type as ServerHostKeyAlgorithm];
}

function connectOnce(
  t: SshTarget,
  pinned: { type: string; blob: Buffer },
  target: string,
  where: string,
): Promise<NodeSSH> {
  const ssh = new NodeSSH();
  let presented: Buffer | undefined;
  const onAbort = (): void => ssh.dispose();
  t.signal?.addEventListener('abort', onAbort, { once: true });
  return ssh
    .connect({
      host: t.host,
      port: t.port ?? 22,
      username: t.user,
      privateKey: t.privateKey,
      readyTimeout: t.connectTimeoutMs ?? 15000,
      // Offer only the pinned key's type, so a server with several host keys shows us the one we pinned.
      algorithms: { serverHostKey: hostKeyAlgorithms(pinned.type) },
      hostVerifier: (key: Buffer): boolean => {
        presented = key;
        return key.equals(pinned.blob);
      },
    })
    .then(
      (s) => {
        t.signal?.removeEventListener('abort', onAbort);
        // A command-level error after connect must not become an unhandled 'error' event.
        s.connection?.on('error', () => undefined);
        return s;
      },
      (e: Error & { code?: string; level?: string }) => {
        t.signal?.removeEventListener('abort', onAbort);
        ssh.dispose();
        if (t.signal?.aborted) throw new ExecError(`aborted while connecting to ${where}`, target, 'aborted');
        if (presented && !presented.equals(pinned.blob)) {
          throw new ExecError(
            `host key mismatch for ${where}: expected ${fingerprintOfBlob(pinned.blob)}, got ${fingerprintOfBlob(presented)} — refusing to connect`,
            target,
            'host-key',
          );
        }
        if (/no matching host key/i.test(e.message)) {
          throw new ExecError(
            `host ${where} offers no ${pinned.type} host key (pinned ${fingerprintOfBlob(pinned.blob)}) — refusing to connect`,
            target,
            'host-key',
          );
        }
        const err = new ExecError(`cannot connect to ${where}: ${e.message}`, target, 'connect');
        (err as { cause?: unknown }).cause = e;
        throw err;
      },
    );
}

function sshExec(ssh: NodeSSH, target: string): Exec {
  const run = (command: string, opts: ExecOptions = {}): Promise<ExecResult> =>
    new Promise<ExecResult>((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new ExecError(`aborted before running on ${target}`, target, 'aborted'));
        return;
      }
      if (!ssh.isConnected()) {
        reject(new ExecError(`connection to ${target} is closed`, target, 'transport'));
        return;
      }
      let channel: ClientChannel | undefined;
      let settled = false;
      let stdout = '';
      let stderr = '';
      const token = randomBytes(8).toString('hex');
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        f();
      };
      // execCommand has no timeout or abort: kill the remote process tree (found by its token, on a
      // second channel, bounded) and close the command's channel, then report.
      const stop = (err: ExecError): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const kill = ssh.execCommand(killByTokenCommand(token)).catch(() => undefined);
        const bounded = new Promise((r) => setTimeout(r, KILL_WAIT_MS).unref());
        void Promise.race([kill, bounded]).finally(() => {
          try {
            channel?.close();
          } catch {
            // already closed
          }
          reject(err);
        });
      };
      const timer =
        opts.timeoutMs !== undefined
          ? setTimeout(
              () =>
                stop(new ExecError(`timed out after ${opts.timeoutMs} ms on ${target}`, target, 'timeout')),
              opts.timeoutMs,
            )
          : undefined;
      const onAbort = (): void => stop(new ExecError(`aborted on ${target}`, target, 'aborted'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      let remote: string;
      try {
        remote = remoteCommand(command, opts.env, token);
      } catch (e) {
        finish(() => reject(e));
        return;
      }
      const stdin =
        opts.input === undefined
          ? undefined
          : typeof opts.input === 'string'
            ? opts.input
            : Readable.from([opts.input]);
      ssh
        .execCommand(remote, {
          stdin,
          noTrim: true,
          onChannel: (c) => {
            channel = c;
          },
          onStdout: (b) => {
            const s = b.toString('utf8');
            stdout += s;
            opts.onStdout?.(s);
          },
          onStderr: (b) => {
            const s = b.toString('utf8');
            stderr += s;
            opts.onStderr?.(s);
          },
        })
        .then(
          (r) =>
            finish(() => {
              if (r.code === null && r.signal === null) {
                reject(
                  new ExecError(
                    `connection to ${target} closed before the command finished`,
                    target,
                    'transport',
                  ),
                );
              } else {
                resolve({ code: r.code ?? 128 + signalNumber(r.signal), stdout, stderr });
              }
            }),
          (e: Error) =>
            finish(() =>
              reject(new ExecError(`command on ${target} failed: ${e.message}`, target, 'transport')),
            ),
        );
    });

  return {
    target,
    run,
    async upload(content, remotePath, mode = 0o644) {
      const q = quoteShell;
      const tmp = `${remotePath}.lm-env-tmp`;
      // umask 077 until chmod: a secret is never readable by others, not even briefly.
      const r = await run(
        `mkdir -p "$(dirname ${q(remotePath)})" && (umask 077; cat > ${q(tmp)}) && chmod ${mode.toString(8)} ${q(tmp)} && mv -f ${q(tmp)} ${q(remotePath)}`,
        { input: content, timeoutMs: 120000 },
      );
      if (r.code !== 0) throw new Error(`upload of ${remotePath} to ${target} failed: ${r.stderr.trim()}`);
    },
    forward(host: string, port: number) {
      if (!ssh.connection || !ssh.isConnected()) {
        return Promise.reject(new ExecError(`connection to ${target} is closed`, target, 'transport'));
      }
      return forwardThrough(ssh.connection, host, port);
    },
    async close() {
      ssh.dispose();
    },
  };
}

function signalNumber(sig: string | null): number {
  const n: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, PIPE: 13, TERM: 15 };
  return (sig && n[sig.replace(/^SIG/, '')]) || 1;
}
