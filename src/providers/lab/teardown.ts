import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { EnvironmentFile, Resource } from '../../env/environment.js';
import type { OwnedResource, ProviderContext, TeardownReport } from '../types.js';
import { claimsOf } from './claims.js';
import { labDirFor } from './create.js';
import { labNames } from './names.js';
import { isAlive, nsInode, processesInNamespaces, startTimeOf, stopProcess, type ProcRef } from './procs.js';
import { ip, trySys } from './sys.js';

/**
 * Everything of one environment that exists on this machine right now, found by name and owner
 * alone (no Environment file needed): namespaces `lm-<id>-*`, root links `lm<id>-*`, processes in
 * those namespaces (or in a holder's mount namespace, or started by one of them), the lab
 * directory and the block claims.
 */
export async function findOwned(
  envId: string,
  recorded: readonly Resource[] = [],
): Promise<{ namespaces: string[]; links: string[]; processes: ProcRef[]; files: string[] }> {
  const n = labNames(envId);
  const namespaces = (await listNetns()).filter((x) => x.startsWith(n.nsPrefix));
  const links = (await listRootLinks()).filter((x) => x.startsWith(n.linkPrefix));
  const netInodes = new Set<number>();
  for (const ns of namespaces) {
    const i = nsInode(`/run/netns/${ns}`);
    if (i) netInodes.add(i);
  }
  // Mount namespaces of live holders (verified by start time). Recorded inode numbers are never
  // trusted on their own: once a namespace is gone its inode may belong to someone else's.
  const mntInodes = new Set<number>();
  for (const r of recorded) {
    if (r.kind !== 'mount' || !isAlive({ pid: Number(r.id), startTime: Number(r.meta?.startTime) })) continue;
    const i = nsInode(`/proc/${r.id}/ns/mnt`);
    if (i) mntInodes.add(i);
  }
  const processes = withDescendants(
    netInodes.size + mntInodes.size > 0 ? processesInNamespaces(netInodes, mntInodes) : [],
  );
  const files = [...claimsOf(envId)];
  const dir = labDirFor(envId);
  if (existsSync(dir)) files.push(dir);
  for (const r of recorded)
    if (r.kind === 'file' && existsSync(r.id) && !files.includes(r.id)) files.push(r.id);
  return { namespaces, links, processes, files };
}

/** Adds every live descendant (e.g. a DHCP client a daemon in the host started and moved elsewhere). */
function withDescendants(roots: ProcRef[]): ProcRef[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      // exited meanwhile
    }
  }
  const seen = new Map<number, ProcRef>(roots.map((r) => [r.pid, r]));
  const queue = roots.map((r) => r.pid);
  while (queue.length > 0) {
    const pid = queue.pop()!;
    for (const c of children.get(pid) ?? []) {
      if (seen.has(c) || c === process.pid) continue;
      const startTime = startTimeOf(c);
      if (startTime === undefined) continue;
      seen.set(c, { pid: c, startTime });
      queue.push(c);
    }
  }
  return [...seen.values()];
}

async function listNetns(): Promise<string[]> {
  try {
    return readdirSync('/run/netns');
  } catch {
    return [];
  }
}

async function listRootLinks(): Promise<string[]> {
  try {
    return readdirSync('/sys/class/net');
  } catch {
    const out = await ip(undefined, '-o', 'link', 'show');
    return out
      .split('\n')
      .map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1] ?? '')
      .filter(Boolean);
  }
}

export async function listOwnedLab(
  envId: string,
  recorded: readonly Resource[] = [],
): Promise<OwnedResource[]> {
  const o = await findOwned(envId, recorded);
  return [
    ...o.processes.map((p) => ({ kind: 'process' as const, id: String(p.pid) })),
    ...o.links.map((l) => ({ kind: 'link' as const, id: l })),
    ...o.namespaces.map((ns) => ({ kind: 'netns' as const, id: ns })),
    ...o.files.map((f) => ({ kind: 'file' as const, id: f })),
  ];
}

/**
 * Deletes an environment: recorded resources first (processes verified by start time, then
 * links, namespaces, files), then a sweep by name/owner for what an interrupted `up` left
 * unrecorded. Safe to run again at any point; a thing already gone counts as deleted.
 */
export async function teardownLab(ctx: ProviderContext): Promise<TeardownReport> {
  const file: EnvironmentFile = ctx.envFile;
  const env = file.data;
  const report: TeardownReport = { deleted: [], swept: [], failed: [] };
  const recorded = [...env.resources];
  const owned = await findOwned(env.id, recorded);
  const done = (r: OwnedResource, swept: boolean): void => {
    (swept ? report.swept : report.deleted).push(r);
    if (!swept) file.removeResource(r.kind, r.id);
  };
  const attempt = async (r: OwnedResource, swept: boolean, f: () => Promise<void>): Promise<void> => {
    try {
      await f();
      done(r, swept);
    } catch (e) {
      report.failed.push({ resource: r, error: (e as Error).message });
    }
  };

  // 1. Processes: recorded ones (pid + start time), then everything else living in our namespaces.
  const recordedProcs = recorded.filter((r) => r.kind === 'process' || r.kind === 'mount');
  const procKeys = new Set<string>();
  const stops: Promise<void>[] = [];
  for (const r of recordedProcs) {
    const p = { pid: Number(r.id), startTime: Number(r.meta?.startTime) };
    procKeys.add(`${p.pid}:${p.startTime}`);
    stops.push(
      attempt({ kind: r.kind, id: r.id, name: r.name }, false, async () => {
        await stopProcess(p);
        if (isAlive(p)) throw new Error(`process ${p.pid} (${r.name}) is still running`);
      }),
    );
  }
  for (const p of owned.processes) {
    if (procKeys.has(`${p.pid}:${p.startTime}`)) continue;
    stops.push(
      attempt({ kind: 'process', id: String(p.pid), name: commOf(p.pid) }, true, async () => {
        await stopProcess(p);
        if (isAlive(p)) throw new Error(`process ${p.pid} is still running`);
      }),
    );
  }
  await Promise.all(stops);
  ctx.progress('down', `processes stopped (${stops.length})`);

  // 2. The root link (its peer goes with the inet namespace; deleting it explicitly is cheaper).
  const links = new Set([
    ...recorded.filter((r) => r.kind === 'link' && r.meta?.netns === '').map((r) => r.id),
    ...owned.links,
  ]);
  for (const l of links) {
    const swept = !recorded.some((r) => r.kind === 'link' && r.id === l);
    await attempt({ kind: 'link', id: l }, swept, async () => {
      if (existsSync(`/sys/class/net/${l}`)) await ip(undefined, 'link', 'del', l);
    });
  }

  // 3. Namespaces (their veths go with them).
  const namespaces = new Set([
    ...recorded.filter((r) => r.kind === 'netns').map((r) => r.id),
    ...owned.namespaces,
  ]);
  for (const ns of namespaces) {
    const swept = !recorded.some((r) => r.kind === 'netns' && r.id === ns);
    await attempt({ kind: 'netns', id: ns }, swept, async () => {
      if (!existsSync(`/run/netns/${ns}`)) return;
      const r = await trySys(['ip', 'netns', 'del', ns]);
      if (r.code !== 0 && existsSync(`/run/netns/${ns}`)) throw new Error(r.stderr.trim());
    });
  }
  // Links inside namespaces are gone with them.
  for (const r of recorded.filter((x) => x.kind === 'link' && x.meta?.netns !== '')) {
    await attempt({ kind: 'link', id: r.id }, false, async () => {
      const ns = String(r.meta?.netns ?? '');
      if (ns && existsSync(`/run/netns/${ns}`)) throw new Error(`namespace ${ns} still exists`);
    });
  }
  ctx.progress('down', `namespaces deleted (${namespaces.size})`);

  // 4. Files: claims and the lab directory (host keys, overlays, document root, logs).
  const files = new Set([...recorded.filter((r) => r.kind === 'file').map((r) => r.id), ...owned.files]);
  for (const f of files) {
    const swept = !recorded.some((r) => r.kind === 'file' && r.id === f);
    await attempt({ kind: 'file', id: f }, swept, async () => {
      rmSync(f, { recursive: true, force: true });
    });
  }
  // Resources of kinds the lab never creates stay listed (another step's to delete).
  return report;
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
