import ipaddr from 'ipaddr.js';

/** IPv4 helpers over ipaddr.js; addresses are handled as dotted strings and offsets as numbers. */
export function isIPv4(s: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(s);
}

export function toNumber(addr: string): number {
  const b = ipaddr.IPv4.parse(addr).toByteArray();
  return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
}

export function fromNumber(n: number): string {
  return new ipaddr.IPv4([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();
}

export interface Subnet {
  cidr: string;
  network: string;
  broadcast: string;
  prefix: number;
  netmask: string;
  size: number;
}

/** Parses an IPv4 CIDR; returns an error string instead of throwing. */
export function parseSubnet(cidr: string): Subnet | { error: string; suggestion?: string } {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !ipaddr.IPv4.isValidCIDR(cidr)) {
    return { error: 'not an IPv4 CIDR (a.b.c.d/prefix)' };
  }
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (addr.toString() !== network) {
    return { error: 'host bits are set', suggestion: `${network}/${prefix}` };
  }
  return {
    cidr: `${network}/${prefix}`,
    network,
    broadcast: ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString(),
    prefix,
    netmask: ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString(),
    size: 2 ** (32 - prefix),
  };
}

export function contains(subnet: Subnet, addr: string): boolean {
  return ipaddr.IPv4.parse(addr).match(ipaddr.IPv4.parse(subnet.network), subnet.prefix);
}

/** Offset of addr inside the subnet (0 = network address). */
export function offsetOf(subnet: Subnet, addr: string): number {
  return toNumber(addr) - toNumber(subnet.network);
}

export function atOffset(subnet: Subnet, offset: number): string {
  return fromNumber(toNumber(subnet.network) + offset);
}
