import type { Environment, EnvHost } from '../env/environment.js';
import type { Exec } from '../exec/types.js';
import type { Forward } from '../exec/forward.js';
import { FlintlockClient } from '../flintlock/client.js';
import type { MicroVM } from '../flintlock/types.js';
import { DHCPD_LEASES, DNSMASQ_LEASES, KEA_LEASES } from '../hostconfig/dhcp-config.js';
import type { Check } from './checks.js';
import { addressForMac, leaseProblems, type ObservedLease } from './lease.js';

/** What verify needs to look at an environment from the outside. */
export interface VerifyTarget {
  env: Readonly<Environment>;
  /** SSH to a host with its pinned key (cached by the caller). */
  hostExec(name: string): Promise<Exec>;
  /** A shell on the public side: the lab's inet namespace, or this machine for cloud hosts. */
  publicExec: Exec;
  /** A TCP address that leads to a private endpoint (a tunnel through the hub, or the tailnet). */
  dial(endpoint: string): Promise<Forward>;
  /** The lab allows looking inside probe microVMs and routing from the public side. */
  lab: boolean;
  probeTimeoutMs?: number;
}

export const PROBE_NAMESPACE = 'lm-env-verify';

const LEASE_FILES = { dnsmasq: DNSMASQ_LEASES, kea: KEA_LEASES, 'isc-dhcp-server': DHCPD_LEASES } as const;

interface Probe {
  host: EnvHost;
  vm: MicroVM;
  address: string;
  pid: number;
  nameservers: string[];
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** bash one-liner that succeeds when a TCP connect to ip:port succeeds within `secs`. */
export function tcpConnectCommand(ip: string, port: number, secs = 3): string {
  return `timeout ${secs} bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ ${q(ip)} ${q(String(port))}`;
}

async function withClient<T>(
  t: VerifyTarget,
  endpoint: string,
  f: (c: FlintlockClient) => Promise<T>,
): Promise<T> {
  const fwd = await t.dial(endpoint);
  const client = new FlintlockClient(fwd.address, { timeoutMs: 15000 });
  try {
    return await f(client);
  } finally {
    client.close();
    await fwd.close();
  }
}

function httpHost(url: string): string {
  return new URL(url).hostname;
}

/**
 * The environment's checks, in order: flintlock answers, a probe microVM per host gets a planned
 * lease, resolves the test name, reaches the internet through NAT; from the public side the
 * flintlock ports and the microVM subnet are unreachable; probes are removed again.
 */
export function environmentChecks(t: VerifyTarget): Check[] {
  const env = t.env;
  const hub = env.hosts.find((h) => h.role === 'hub')!;
  const flintlockHosts = env.hosts.filter((h) => h.role === 'flintlock');
  const probes = new Map<string, Probe>();
  const checks: Check[] = [];
  const endpointOf = (h: EnvHost): string => `${h.privateIp}:${env.flintlock.port}`;

  for (const h of flintlockHosts) {
    checks.push({
      name: `flintlock ${h.name}: ListMicroVMs on ${endpointOf(h)}`,
      run: async () => {
        const vms = await withClient(t, endpointOf(h), (c) => c.listMicroVMs());
        return `answered (${vms.length} microVM(s))`;
      },
    });
  }

  for (const h of flintlockHosts) {
    checks.push({
      name: `probe on ${h.name}: DHCP lease in the pool with router and DNS`,
      run: async () => {
        const vm = await withClient(t, endpointOf(h), async (c) => {
          const id = `probe-${h.name}`;
          for (const old of await c.listMicroVMs(PROBE_NAMESPACE, id)) await c.deleteMicroVM(old.spec.uid!);
          const created = await c.createMicroVM({
            id,
            namespace: PROBE_NAMESPACE,
            labels: { 'lm-env/owner': env.id, 'lm-env/role': 'verify-probe' },
            interfaces: [{ deviceId: 'eth1', type: 'MACVTAP' }],
          });
          return c.waitSettled(created.spec.uid!, t.probeTimeoutMs ?? 60000);
        });
        probes.set(h.name, { host: h, vm, address: '', pid: 0, nameservers: [] });
        if (vm.status.state !== 'CREATED') {
          throw new Error(
            `probe microVM is ${vm.status.state}: ${vm.status.lmenvMessage || 'no reason given'}`,
          );
        }
        const iface = Object.values(vm.status.networkInterfaces ?? {})[0];
        if (!iface) throw new Error('probe microVM reports no network interface');
        let lease: ObservedLease;
        if (iface.lmenvIpv4Address) {
          lease = {
            address: iface.lmenvIpv4Address,
            gateway: iface.lmenvGateway,
            nameservers: iface.lmenvNameservers,
          };
        } else {
          // Real flintlock does not report leases: find the MAC in the hub's lease database.
          const hubExec = await t.hostExec(hub.name);
          const file = LEASE_FILES[env.services.dhcp];
          const text = (await hubExec.run(`cat ${q(file)} 2>/dev/null || true`)).stdout;
          const addr = addressForMac(env.services.dhcp, text, iface.macAddress);
          if (!addr) throw new Error(`no lease for ${iface.macAddress} in the hub's ${file}`);
          lease = { address: addr };
        }
        const problems = leaseProblems(env.network, lease);
        const address = lease.address.split('/')[0];
        probes.set(h.name, {
          host: h,
          vm,
          address,
          pid: vm.status.lmenvNetnsPid,
          nameservers: lease.nameservers ?? [],
        });
        if (problems.length) throw new Error(problems.join('; '));
        return `${lease.address} via ${lease.gateway ?? '?'} dns ${(lease.nameservers ?? []).join(',') || '?'} (mac ${iface.macAddress})`;
      },
    });
  }

  const inside = (p: Probe, cmd: string): string => `nsenter --net=/proc/${p.pid}/ns/net -- ${cmd}`;
  const needProbe = (h: EnvHost): Probe => {
    const p = probes.get(h.name);
    if (!p?.address || !p.pid) throw new Error('no running probe microVM to test from (see the lease check)');
    return p;
  };
  const internet = env.lab?.internet;

  if (t.lab && internet) {
    for (const h of flintlockHosts) {
      checks.push({
        name: `probe on ${h.name}: resolves ${internet.testName} through the planned DNS`,
        run: async () => {
          const p = needProbe(h);
          const dns = p.nameservers[0] ?? env.network.dnsServers[0];
          const exec = await t.hostExec(h.name);
          const r = await exec.run(inside(p, `busybox nslookup ${q(internet.testName)} ${q(dns)}`), {
            timeoutMs: 15000,
          });
          const want = httpHost(internet.httpUrl);
          const answers = [...r.stdout.matchAll(/Address:\s*([0-9.]+)(?!#)\s*$/gm)]
            .map((m) => m[1])
            .filter((a) => a !== dns);
          // busybox also asks for AAAA, which the lab resolver refuses: only the A answer matters.
          if (!answers.includes(want)) {
            throw new Error(
              `lookup via ${dns} gave ${answers.join(', ') || 'no address'} (want ${want}): ${r.stderr.trim() || r.stdout.trim()}`,
            );
          }
          return `${internet.testName} → ${want} via ${dns}`;
        },
      });
      checks.push({
        name: `probe on ${h.name}: reaches ${internet.httpUrl} through the hub's NAT`,
        run: async () => {
          const p = needProbe(h);
          const exec = await t.hostExec(h.name);
          const r = await exec.run(
            inside(p, `curl -sS -o /dev/null -w '%{http_code}' --max-time 10 ${q(internet.httpUrl)}`),
            { timeoutMs: 20000 },
          );
          // The internet has no route back to the private subnet: an answer proves the hub masqueraded.
          if (r.code !== 0) throw new Error(`no answer from ${internet.httpUrl}: ${r.stderr.trim()}`);
          return `HTTP ${r.stdout.trim()} from ${p.address}`;
        },
      });
    }
  }

  for (const h of flintlockHosts) {
    checks.push({
      name: `public side: flintlock port ${env.flintlock.port} on ${h.name}'s public address is closed`,
      run: async () => {
        if (!h.publicIp) throw new Error(`${h.name} has no public address`);
        const r = await t.publicExec.run(tcpConnectCommand(h.publicIp, env.flintlock.port));
        if (r.code === 0)
          throw new Error(`${h.publicIp}:${env.flintlock.port} accepted a connection from the public side`);
        const hubExec = await t.hostExec(hub.name);
        const ok = await hubExec.run(tcpConnectCommand(h.privateIp, env.flintlock.port));
        if (ok.code !== 0)
          throw new Error(`the private endpoint ${endpointOf(h)} is not reachable from the hub either`);
        return `refused/filtered from ${t.publicExec.target}; private ${endpointOf(h)} reachable from the hub`;
      },
    });
  }

  if (t.lab && hub.publicIp) {
    checks.push({
      name: `public side: the microVM subnet ${env.network.subnet} is unreachable even when routed to the hub`,
      run: async () => {
        const targets = [...probes.values()].filter((p) => p.address);
        if (targets.length === 0) throw new Error('no probe microVM to aim at (see the lease checks)');
        const hubExec = await t.hostExec(hub.name);
        // Positive control first: the hub itself reaches the probes.
        for (const p of targets) {
          const r = await hubExec.run(`busybox ping -c 1 -W 2 ${q(p.address)}`);
          if (r.code !== 0)
            throw new Error(
              `the hub cannot reach probe ${p.address} either, so the test would prove nothing`,
            );
        }
        // An attacker next to the hub routes the private subnet at it: the hub must not forward.
        const route = `${q(env.network.subnet)} via ${q(hub.publicIp!)}`;
        await t.publicExec.run(`ip route replace ${route}`);
        try {
          for (const p of targets) {
            const r = await t.publicExec.run(`busybox ping -c 2 -W 1 ${q(p.address)}`);
            if (r.code === 0) throw new Error(`probe ${p.address} answered from the public side`);
          }
        } finally {
          await t.publicExec.run(`ip route del ${route} 2>/dev/null || true`);
        }
        return `${targets.map((p) => p.address).join(', ')} unreachable from ${t.publicExec.target}`;
      },
    });
  }

  for (const h of flintlockHosts) {
    checks.push({
      name: `probe on ${h.name}: removed`,
      run: async () => {
        const p = probes.get(h.name);
        if (!p?.vm.spec.uid) return 'no probe was created';
        await withClient(t, endpointOf(h), async (c) => {
          await c.deleteMicroVM(p.vm.spec.uid!);
          const left = await c.listMicroVMs(PROBE_NAMESPACE);
          if (left.some((v) => v.spec.uid === p.vm.spec.uid))
            throw new Error(`probe ${p.vm.spec.uid} is still listed`);
        });
        return `deleted ${p.vm.spec.uid}`;
      },
    });
  }
  return checks;
}
