import { execFile, spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';

/** A process identified by pid and kernel start time, so a recycled pid is never mistaken for it. */
export interface ProcRef {
  pid: number;
  start: string;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": index 0 is field 3 (state), index 19 is field 22 (starttime).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export function procRef(pid: number): ProcRef | undefined {
  const f = statFields(pid);
  return f ? { pid, start: f[19] } : undefined;
}

/** Running (not a zombie) and still the same process as when recorded. */
export function isAlive(ref: ProcRef): boolean {
  const f = statFields(ref.pid);
  return !!f && f[0] !== 'Z' && f[0] !== 'X' && f[19] === ref.start;
}

export function netnsOf(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone (or was never ours). */
export async function terminate(ref: ProcRef, graceMs = 3000): Promise<void> {
  if (!isAlive(ref)) return;
  try {
    process.kill(ref.pid, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + graceMs;
  while (isAlive(ref) && Date.now() < until) await sleep(50);
  if (isAlive(ref)) {
    try {
      process.kill(ref.pid, 'SIGKILL');
    } catch {
      return;
    }
    const hard = Date.now() + 2000;
    while (isAlive(ref) && Date.now() < hard) await sleep(50);
  }
}

/** Runs a command without a shell; rejects with its stderr on a non-zero exit. */
export function run(cmd: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${[cmd, ...args].join(' ')}: ${(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}

/** Prefix that runs a command in the network namespace held by `pid`. */
export function inNetns(pid: number, cmd: string, args: string[]): [string, string[]] {
  return ['nsenter', [`--net=/proc/${pid}/ns/net`, '--', cmd, ...args]];
}

/**
 * Starts the process that holds a microVM's network namespace: `unshare --net` execs `sleep`, so
 * the pid we get is the holder itself. Anonymous (no `ip netns` name): the namespace lives exactly
 * as long as the holder, and no bind mount under /run is needed (hosts may have a private /run).
 */
export async function startHolder(): Promise<ProcRef> {
  const child = spawn('unshare', ['--net', '--', 'sleep', 'infinity'], { detached: true, stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(e)));
  failed.catch(() => undefined);
  child.unref();
  const pid = child.pid;
  if (!pid) return failed;
  const own = netnsOf('self');
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const ns = netnsOf(pid);
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      break;
    }
    if (ns && ns !== own && comm === 'sleep') return procRef(pid)!;
    await sleep(20);
  }
  const ref = procRef(pid);
  if (ref) await terminate(ref, 500);
  throw new Error(`unshare --net did not produce a namespace holder (pid ${pid})`);
}
