import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { sleepAbortable } from '../../exec/sleep.js';

/**
 * Processes the lab starts and stops. A process is identified by pid *and* start time (clock
 * ticks since boot, /proc/<pid>/stat field 22), so a recycled pid is never killed by mistake.
 */
export interface ProcRef {
  pid: number;
  startTime: number;
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone or a zombie. */
export function startTimeOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseStat(stat);
}

/** Pure: parses a /proc/<pid>/stat line (comm may contain spaces and parentheses). */
export function parseStat(stat: string): number | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field 22 is rest[19].
  if (rest[0] === 'Z' || rest[0] === 'X') return undefined;
  const t = Number(rest[19]);
  return Number.isFinite(t) ? t : undefined;
}

export function isAlive(p: ProcRef): boolean {
  return startTimeOf(p.pid) === p.startTime;
}

/** SIGTERM, then SIGKILL after `graceMs`; only while pid and start time still match. */
export async function stopProcess(p: ProcRef, graceMs = 1500): Promise<'stopped' | 'gone'> {
  if (!isAlive(p)) return 'gone';
  try {
    process.kill(p.pid, 'SIGTERM');
  } catch {
    return 'gone';
  }
  const end = Date.now() + graceMs;
  while (Date.now() < end) {
    await sleepAbortable(25);
    if (!isAlive(p)) return 'stopped';
  }
  if (isAlive(p)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // exited between the check and the kill
    }
    for (let i = 0; i < 40 && isAlive(p); i++) await sleepAbortable(25);
  }
  return 'stopped';
}

/** Inode of a namespace file (/run/netns/<name> or /proc/<pid>/ns/net): identifies the namespace. */
export function nsInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** Every live process whose network or mount namespace is one of `inodes`. */
export function processesInNamespaces(netInodes: Set<number>, mntInodes: Set<number> = new Set()): ProcRef[] {
  const out: ProcRef[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    const net = linkInode(`/proc/${pid}/ns/net`);
    const mnt = mntInodes.size > 0 ? linkInode(`/proc/${pid}/ns/mnt`) : undefined;
    if ((net !== undefined && netInodes.has(net)) || (mnt !== undefined && mntInodes.has(mnt))) {
      const startTime = startTimeOf(pid);
      if (startTime !== undefined) out.push({ pid, startTime });
    }
  }
  return out;
}

/** "net:[4026532290]" → 4026532290 */
function linkInode(path: string): number | undefined {
  try {
    const m = /\[(\d+)\]/.exec(readlinkSync(path));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a long-running process detached from us (it outlives the CLI), output to a log file.
 * Returns its pid and start time at once, so the caller can record it before doing anything else.
 */
export function spawnDaemon(argv: string[], logFile: string): ProcRef & { exited: Promise<number | null> } {
  const fd = openSync(logFile, 'a', 0o600);
  try {
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`cannot start ${argv[0]}`);
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(-1));
    });
    child.unref();
    const startTime = startTimeOf(child.pid);
    if (startTime === undefined) throw new Error(`${argv[0]} exited at once (see ${logFile})`);
    return { pid: child.pid, startTime, exited };
  } finally {
    closeSync(fd);
  }
}
