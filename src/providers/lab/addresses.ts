import { fromNumber, toNumber } from '../../env/addr.js';

/**
 * Public addressing of a lab environment (pure). Each environment gets its own aligned block of the
 * documentation ranges, so several environments can be up at once and the root namespace's routes
 * (one connected route per environment, via its own veth) never overlap.
 *
 * Block layout: .1 root namespace end, .2 inet (bridge: gateway, DNS, HTTP), .3 runner, .4 hub,
 * .5… the flintlock hosts.
 */
export const PUBLIC_RANGES = ['198.51.100.0/24', '203.0.113.0/24'];
/** Claims are made in /28 granules: the smallest block (14 usable addresses). */
export const GRANULE_PREFIX = 28;
const FIXED = 4; // root end, inet, runner, hub

export interface Block {
  network: string;
  prefix: number;
}

export function blockCidr(b: Block): string {
  return `${b.network}/${b.prefix}`;
}

/** Smallest block prefix (28 at most) that holds the fixed addresses plus `hosts` flintlock hosts. */
export function prefixFor(hosts: number): number {
  const needed = FIXED + hosts + 2; // + network and broadcast
  let prefix = GRANULE_PREFIX;
  while (2 ** (32 - prefix) < needed) prefix--;
  if (prefix < 24) throw new Error(`the lab holds at most ${256 - FIXED - 2} hosts, asked for ${hosts}`);
  return prefix;
}

/** Every aligned block of that prefix inside the documentation ranges, in a stable order. */
export function candidateBlocks(prefix: number): Block[] {
  const out: Block[] = [];
  for (const r of PUBLIC_RANGES) {
    const base = toNumber(r.split('/')[0]);
    for (let off = 0; off < 256; off += 2 ** (32 - prefix))
      out.push({ network: fromNumber(base + off), prefix });
  }
  return out;
}

/** Candidate order for an environment: starts at a position derived from its id, wraps around. */
export function blocksFor(envId: string, prefix: number): Block[] {
  const all = candidateBlocks(prefix);
  let h = 0;
  for (const c of envId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const start = h % all.length;
  return [...all.slice(start), ...all.slice(0, start)];
}

/** The /28 granules a block covers (each is claimed separately). */
export function granules(b: Block): string[] {
  const base = toNumber(b.network);
  const n = 2 ** (GRANULE_PREFIX - b.prefix);
  return Array.from({ length: n }, (_, i) => fromNumber(base + i * 16));
}

export function overlaps(a: Block, cidr: string): boolean {
  const [net, p] = cidr.includes('/') ? cidr.split('/') : [cidr, '32'];
  const bp = Number(p);
  const aStart = toNumber(a.network);
  const aEnd = aStart + 2 ** (32 - a.prefix) - 1;
  const mask = bp === 0 ? 0 : (0xffffffff << (32 - bp)) >>> 0;
  const bStart = (toNumber(net) & mask) >>> 0;
  const bEnd = bStart + 2 ** (32 - bp) - 1;
  return aStart <= bEnd && bStart <= aEnd;
}

export interface LabAddresses {
  block: Block;
  root: string;
  inet: string;
  runner: string;
  /** By host name: hub, host1, … */
  hosts: Record<string, string>;
}

export function assignAddresses(block: Block, hostNames: string[]): LabAddresses {
  const base = toNumber(block.network);
  const size = 2 ** (32 - block.prefix);
  if (FIXED + hostNames.length - 1 + 2 > size) throw new Error(`block ${blockCidr(block)} is too small`);
  const hosts: Record<string, string> = {};
  // The hub is the first name; it takes .4, the hosts follow.
  hostNames.forEach((n, i) => (hosts[n] = fromNumber(base + FIXED + i)));
  return {
    block,
    root: fromNumber(base + 1),
    inet: fromNumber(base + 2),
    runner: fromNumber(base + 3),
    hosts,
  };
}
