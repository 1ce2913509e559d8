import type { Environment, EnvironmentFile } from '../env/environment.js';
import { UserError } from '../env/errors.js';
import { netnsExec } from '../exec/netns.js';
import { connectSsh } from '../exec/ssh.js';
import type { Exec } from '../exec/types.js';
import { isAlive } from './lab/procs.js';

export interface HostExecOptions {
  signal?: AbortSignal;
  connectTimeoutMs?: number;
  /** Retry refused connections this long (a host still booting). Default 30 s. */
  retryForMs?: number;
}

/**
 * An Exec on one host of the environment, over SSH with the environment's key and the host's
 * pinned host key — the same for lab and bare-metal hosts. Close it when done.
 */
export async function hostExec(
  envFile: EnvironmentFile,
  hostName: string,
  opts: HostExecOptions = {},
): Promise<Exec> {
  const env = envFile.data;
  const h = env.hosts.find((x) => x.name === hostName);
  if (!h)
    throw new UserError(
      `environment ${env.id} has no host '${hostName}' (hosts: ${env.hosts.map((x) => x.name).join(', ')})`,
    );
  if (!h.publicIp || !h.ssh) {
    throw new UserError(
      `host ${hostName} of ${env.id} has no public address or SSH details yet (did 'up' finish provisioning?)`,
    );
  }
  return connectSsh({
    host: h.publicIp,
    port: h.ssh.port,
    user: h.ssh.user,
    privateKey: envFile.readPrivateKey(),
    hostKey: h.ssh.hostKey,
    label: hostName,
    connectTimeoutMs: opts.connectTimeoutMs ?? 10000,
    retryForMs: opts.retryForMs ?? 30000,
    signal: opts.signal,
  });
}

/** An Exec inside one of the lab's own namespaces: 'inet' (the internet) or 'runner' (the CI runner). */
export function labNamespaceExec(env: Readonly<Environment>, which: 'inet' | 'runner' | 'switch'): Exec {
  const ns =
    which === 'inet'
      ? env.lab?.internet?.netns
      : which === 'runner'
        ? env.lab?.runner?.netns
        : env.lab?.switch?.netns;
  if (!ns)
    throw new UserError(`environment ${env.id} has no lab ${which} namespace (provider ${env.provider})`);
  return netnsExec({ netns: ns, label: which });
}

/**
 * An Exec inside a lab host's namespaces without SSH (network + mount namespace of its holder):
 * for lab plumbing and tests. Configure/verify code should use hostExec, which works everywhere.
 */
export function labHostLocalExec(env: Readonly<Environment>, hostName: string): Exec {
  const h = env.hosts.find((x) => x.name === hostName);
  const holder = env.resources.find((r) => r.kind === 'mount' && r.host === hostName);
  const alive = holder && isAlive({ pid: Number(holder.id), startTime: Number(holder.meta?.startTime) });
  if (!h?.lab?.netns || !holder || !alive)
    throw new UserError(`lab host ${hostName} of ${env.id} does not exist`);
  return netnsExec({ netns: h.lab.netns, mountNsPath: `/proc/${holder.id}/ns/mnt`, label: hostName });
}
