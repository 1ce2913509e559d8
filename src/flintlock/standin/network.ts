import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MicroVMSpec, NetworkInterfaceStatus } from '../types.js';
import { inNetns, isAlive, procRef, run, startHolder, terminate, type ProcRef } from './proc.js';

/** What the stand-in owns for one microVM; persisted (vm.json) so a restarted stand-in can remove it. */
export interface VmResources {
  holder?: ProcRef;
  dhcp: { dev: string; proc: ProcRef }[];
  /** Links created in the stand-in's own namespace (macvlans move out; veth host ends stay). */
  hostDevices: string[];
}

export interface ProvisionContext {
  dir: string;
  udhcpcScript: string;
  parentIface: string;
  bridgeName: string;
  leaseTimeoutSeconds: number;
  res: VmResources;
  /** Called whenever `res` or the status changed, to persist them. */
  save: () => void;
  /** True once the microVM is being deleted: provisioning stops at the next step. */
  cancelled: () => boolean;
  status: Record<string, NetworkInterfaceStatus>;
  setNetnsPid: (pid: number) => void;
}

export class Cancelled extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ns(pid: number, cmd: string, args: string[]): Promise<string> {
  const [c, a] = inNetns(pid, cmd, args);
  return run(c, a);
}

/** Unique per interface, at most 15 characters, and recognisable as the stand-in's. */
function hostName(prefix: 'lmmv' | 'lmmp', hex: string): string {
  return `${prefix}${hex}`;
}

/**
 * Builds a microVM's network: a namespace holder, one macvlan (mode bridge, child of parent-iface —
 * the lab's model of flintlock's macvtap) or veth (TAP + bridge-name) per interface, renamed to the
 * guest device name inside; then static addresses or a busybox udhcpc per interface, and waits for
 * every lease. Throws with a message for the FAILED status.
 */
export async function provisionNetwork(spec: MicroVMSpec, ctx: ProvisionContext): Promise<void> {
  const check = (): void => {
    if (ctx.cancelled()) throw new Cancelled('deleted while being created');
  };
  const holder = await startHolder();
  ctx.res.holder = holder;
  ctx.setNetnsPid(holder.pid);
  ctx.save();
  check();
  await ns(holder.pid, 'ip', ['link', 'set', 'lo', 'up']);

  for (const iface of spec.interfaces) {
    check();
    const hex = randomBytes(4).toString('hex');
    const host = hostName('lmmv', hex);
    const mac = iface.guestMac ? ['address', iface.guestMac] : [];
    let inner: string;
    if (iface.type === 'TAP') {
      inner = hostName('lmmp', hex);
      await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', inner]);
      ctx.res.hostDevices.push(host);
      ctx.save();
      await run('ip', ['link', 'set', host, 'master', ctx.bridgeName, 'up']);
      if (mac.length) await run('ip', ['link', 'set', inner, ...mac]);
    } else {
      inner = host;
      await run('ip', [
        'link',
        'add',
        'link',
        ctx.parentIface,
        'name',
        host,
        ...mac,
        'type',
        'macvlan',
        'mode',
        'bridge',
      ]);
      ctx.res.hostDevices.push(host);
      ctx.save();
    }
    await run('ip', ['link', 'set', inner, 'netns', String(holder.pid)]);
    await ns(holder.pid, 'ip', ['link', 'set', inner, 'name', iface.deviceId]);
    await ns(holder.pid, 'ip', ['link', 'set', iface.deviceId, 'up']);
    const [info] = JSON.parse(await ns(holder.pid, 'ip', ['-j', 'link', 'show', 'dev', iface.deviceId])) as {
      ifindex: number;
      address: string;
    }[];
    ctx.status[iface.deviceId] = {
      hostDeviceName: host,
      index: info.ifindex,
      macAddress: info.address,
      lmenvIpv4Address: '',
      lmenvGateway: '',
      lmenvNameservers: [],
    };
    ctx.save();
  }

  const primary = spec.interfaces[0]?.deviceId ?? '';
  const dhcpDevs: string[] = [];
  for (const iface of spec.interfaces) {
    check();
    if (iface.address) {
      await applyStatic(holder.pid, iface.deviceId, iface.address, iface.deviceId === primary, ctx.dir);
    } else {
      startDhcp(holder.pid, iface.deviceId, primary, spec.id, ctx);
      dhcpDevs.push(iface.deviceId);
    }
  }
  ctx.save();
  await waitForLeases(dhcpDevs, ctx);
}

async function applyStatic(
  pid: number,
  dev: string,
  addr: { address: string; gateway?: string; nameservers?: string[] },
  primary: boolean,
  dir: string,
): Promise<void> {
  await ns(pid, 'ip', ['-4', 'addr', 'add', addr.address, 'dev', dev]);
  if (primary && addr.gateway)
    await ns(pid, 'ip', ['-4', 'route', 'replace', 'default', 'via', addr.gateway, 'dev', dev]);
  const lease = {
    interface: dev,
    address: addr.address,
    router: addr.gateway ?? '',
    routers: addr.gateway ? [addr.gateway] : [],
    dns: addr.nameservers ?? [],
    leaseSeconds: 0,
    server: '',
    event: 'static',
  };
  writeAtomic(join(dir, `lease-${dev}.json`), `${JSON.stringify(lease)}\n`);
  if (primary) {
    writeAtomic(join(dir, 'lease.json'), `${JSON.stringify(lease)}\n`);
    writeAtomic(join(dir, 'resolv.conf'), lease.dns.map((s) => `nameserver ${s}\n`).join(''));
  }
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/**
 * busybox udhcpc in the microVM's namespace. Not -q: it keeps running to renew the lease (lab leases
 * are short, demos long); -n gives up after -t discovers; -R releases the lease when it is stopped.
 */
function startDhcp(pid: number, dev: string, primary: string, hostname: string, ctx: ProvisionContext): void {
  const tries = Math.max(1, Math.floor(ctx.leaseTimeoutSeconds / 2));
  const args = ['-f', '-i', dev, '-s', ctx.udhcpcScript, '-n', '-t', String(tries), '-T', '2', '-R'];
  args.push('-x', `hostname:${hostname.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63)}`);
  const [cmd, a] = inNetns(pid, 'udhcpc', args);
  const log = openSync(join(ctx.dir, `udhcpc-${dev}.log`), 'a');
  const child = spawn(cmd, a, {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      LMENV_VM_DIR: ctx.dir,
      LMENV_PRIMARY_IFACE: primary,
    },
  });
  closeSync(log);
  child.on('error', () => undefined);
  child.unref();
  const ref = child.pid ? procRef(child.pid) : undefined;
  if (!ref) throw new Error(`could not start udhcpc on ${dev}`);
  ctx.res.dhcp.push({ dev, proc: ref });
}

interface LeaseFile {
  address: string;
  router: string;
  dns: string[];
}

export function readLease(dir: string, dev: string): LeaseFile | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, `lease-${dev}.json`), 'utf8')) as LeaseFile;
  } catch {
    return undefined;
  }
}

/** Copies the recorded leases into the interface statuses (lm-env extension fields). */
export function refreshLeases(dir: string, status: Record<string, NetworkInterfaceStatus>): void {
  for (const [dev, st] of Object.entries(status)) {
    const l = readLease(dir, dev);
    st.lmenvIpv4Address = l?.address ?? '';
    st.lmenvGateway = l?.router ?? '';
    st.lmenvNameservers = l?.dns ?? [];
  }
}

async function waitForLeases(devs: string[], ctx: ProvisionContext): Promise<void> {
  const until = Date.now() + ctx.leaseTimeoutSeconds * 1000;
  for (;;) {
    if (ctx.cancelled()) throw new Cancelled('deleted while being created');
    refreshLeases(ctx.dir, ctx.status);
    const missing = devs.filter((d) => !readLease(ctx.dir, d));
    if (missing.length === 0) return;
    const gaveUp = ctx.res.dhcp.filter((d) => missing.includes(d.dev) && !isAlive(d.proc)).map((d) => d.dev);
    if (gaveUp.length > 0 || Date.now() > until) {
      const which = (gaveUp.length > 0 ? gaveUp : missing).join(', ');
      throw new Error(`no DHCP lease on ${which} within ${ctx.leaseTimeoutSeconds}s`);
    }
    await sleep(200);
  }
}

/** Removes everything in `res`: DHCP clients first (so they can release), then the holder, then host links. */
export async function teardownNetwork(res: VmResources): Promise<void> {
  await Promise.all(res.dhcp.map((d) => terminate(d.proc, 3000)));
  if (res.holder) await terminate(res.holder, 2000);
  for (const dev of res.hostDevices) {
    if (await linkExists(dev)) {
      await run('ip', ['link', 'del', dev]).catch(() => undefined);
    }
  }
}

async function linkExists(dev: string): Promise<boolean> {
  try {
    await run('ip', ['link', 'show', 'dev', dev]);
    return true;
  } catch {
    return false;
  }
}
