import { spawn } from 'node:child_process';
import { HOLDER_SCRIPT } from './host-files.js';
import { startTimeOf, type ProcRef } from './procs.js';
import { waitUntil } from './wait.js';

export interface HolderSpec {
  envId: string;
  hostName: string;
  hostname: string;
  /** The host's network namespace (named). */
  netns: string;
  /** Roots of the overlay upper and work directories (one subdirectory per overlaid path). */
  upper: string;
  work: string;
}

/**
 * Starts the process that owns a host's mount and UTS namespaces: inside the host's network
 * namespace it unshares, mounts the per-host overlays and tmpfs, prints "ready" and sleeps.
 * `onSpawned` runs as soon as the pid exists (record it there); resolves once the mounts are in place.
 */
export async function startHolder(
  h: HolderSpec,
  signal: AbortSignal,
  onSpawned: (p: ProcRef) => void,
): Promise<ProcRef> {
  signal.throwIfAborted();
  const child = spawn(
    'nsenter',
    [
      `--net=/run/netns/${h.netns}`,
      'unshare',
      '--mount',
      '--uts',
      '--propagation',
      'private',
      'bash',
      '-c',
      HOLDER_SCRIPT,
      'lm-holder',
      h.envId,
      h.hostname,
      h.upper,
      h.work,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  const startTime = pid !== undefined ? startTimeOf(pid) : undefined;
  if (pid === undefined || startTime === undefined)
    throw new Error(`cannot start the mount holder of ${h.hostName}`);
  const ref = { pid, startTime };
  onSpawned(ref);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  try {
    await waitUntil(async () => out.includes('ready'), 15000, signal, `mounts of ${h.hostName}`, exited);
  } catch (e) {
    if (signal.aborted) throw e;
    throw new Error(`${(e as Error).message}${err ? `: ${err.trim()}` : ''}`);
  } finally {
    // Whatever happened, the holder must not keep this process alive (it is recorded for down).
    child.stdout!.destroy();
    child.stderr!.destroy();
    child.unref();
  }
  return ref;
}
