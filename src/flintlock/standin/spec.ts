import { randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { MicroVM, MicroVMSpec, MicroVMSpecInput, NetworkInterface } from '../types.js';

/** A request flintlock rejects with InvalidArgument. */
export class InvalidSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSpecError';
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (time-ordered, 26 Crockford base32 characters) — the form flintlock's uids take. */
export function newUid(now: Date, random: Buffer = randomBytes(16)): string {
  let t = now.getTime();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[random[i] % 32];
  return time + rand;
}

/** Name for a microVM created without an id (flintlock picks a random one too). */
export function randomName(random: Buffer = randomBytes(4)): string {
  return `microvm-${random.toString('hex')}`;
}

export interface NormalizeContext {
  now: Date;
  uid: string;
  defaultProvider: string;
  randomName: () => string;
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/**
 * Applies flintlock's create defaults (namespace default, random id, vcpu 2, 1024 MiB, server uid,
 * provider = default-provider) and rejects what the stand-in cannot model. Pure.
 */
export function normalizeSpec(
  input: MicroVMSpecInput | null | undefined,
  ctx: NormalizeContext,
): MicroVMSpec {
  if (!input) throw new InvalidSpecError('invalid create microvm request: MicroVMSpec required');
  const interfaces: NetworkInterface[] = (input.interfaces ?? []).map((i, k) => ({
    ...i,
    deviceId: i.deviceId || `eth${k + 1}`,
    type: i.type ?? 'MACVTAP',
  }));
  const seen = new Set<string>();
  for (const i of interfaces) {
    if (!IFNAME.test(i.deviceId) || i.deviceId === 'lo') {
      throw new InvalidSpecError(`interface device_id "${i.deviceId}" is not a valid interface name`);
    }
    if (seen.has(i.deviceId)) throw new InvalidSpecError(`interface device_id "${i.deviceId}" is used twice`);
    seen.add(i.deviceId);
    if (i.guestMac && !MAC.test(i.guestMac))
      throw new InvalidSpecError(`guest_mac "${i.guestMac}" is not a MAC address`);
    if (i.address) {
      const [ip, prefix] = i.address.address.split('/');
      if (!isIPv4(ip) || !/^\d+$/.test(prefix ?? '') || Number(prefix) > 32) {
        throw new InvalidSpecError(`static address "${i.address.address}" must be IPv4 CIDR (a.b.c.d/n)`);
      }
      if (i.address.gateway && !isIPv4(i.address.gateway)) {
        throw new InvalidSpecError(`gateway "${i.address.gateway}" is not an IPv4 address`);
      }
    }
  }
  const id = input.id || ctx.randomName();
  const namespace = input.namespace || 'default';
  for (const [what, v] of [
    ['id', id],
    ['namespace', namespace],
  ]) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(v))
      throw new InvalidSpecError(`microvm ${what} "${v}" is not a valid name`);
  }
  const ts = {
    seconds: String(Math.floor(ctx.now.getTime() / 1000)),
    nanos: (ctx.now.getTime() % 1000) * 1e6,
  };
  return {
    id,
    namespace,
    labels: input.labels ?? {},
    vcpu: input.vcpu || 2,
    memoryInMb: input.memoryInMb || 1024,
    kernel: input.kernel ?? null,
    rootVolume: input.rootVolume ?? null,
    additionalVolumes: input.additionalVolumes ?? [],
    interfaces,
    metadata: input.metadata ?? {},
    createdAt: ts,
    updatedAt: ts,
    deletedAt: null,
    uid: ctx.uid,
    provider: input.provider || ctx.defaultProvider,
  };
}

/** Why a spec cannot run with this provider/config, or undefined. Mirrors flintlock v0.7+: Firecracker has no macvtap. */
export function unsupportedReason(
  spec: MicroVMSpec,
  cfg: { parentIface: string; bridgeName: string },
): string | undefined {
  if (spec.provider !== 'firecracker' && spec.provider !== 'cloudhypervisor') {
    return `unknown microvm provider "${spec.provider}"`;
  }
  for (const i of spec.interfaces) {
    if (i.type === 'MACVTAP' && spec.provider === 'firecracker') {
      return `interface ${i.deviceId}: macvtap interfaces are not supported by the firecracker provider (use cloudhypervisor, or TAP with bridge-name)`;
    }
    if (i.type === 'MACVTAP' && !cfg.parentIface)
      return `interface ${i.deviceId}: macvtap needs parent-iface, which is not set`;
    if (i.type === 'TAP' && !cfg.bridgeName)
      return `interface ${i.deviceId}: tap needs bridge-name, which is not set`;
  }
  return undefined;
}

export function emptyMicroVM(spec: MicroVMSpec): MicroVM {
  return {
    version: 1,
    spec,
    status: { state: 'PENDING', networkInterfaces: {}, retry: 0, lmenvNetnsPid: 0, lmenvMessage: '' },
  };
}
