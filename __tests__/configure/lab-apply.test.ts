import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { applyAll, type ApplyResult } from '../../src/configure/apply.js';
import { readPersistentState, readRuntimeState } from '../../src/configure/state.js';
import { localExec } from '../../src/exec/local.js';
import type { DhcpServer } from '../../src/env/spec.js';
import { renderHostScript } from '../../src/hostconfig/render.js';
import { testPlan } from '../../__fixtures__/hostconfig/plans.js';
import { createNetLab, dhcpLease, type NetLab } from '../../__fixtures__/configure/netlab.js';

const isRoot = process.getuid?.() === 0;
const d = isRoot ? describe : describe.skip;

// Files in this machine's own /etc that a leak from the namespaces would touch.
const WATCHED = [
  '/etc/dhcp/dhcpd.conf',
  '/etc/default/isc-dhcp-server',
  '/etc/kea/kea-dhcp4.conf',
  '/etc/nftables.conf',
  '/etc/resolv.conf',
];
const MUST_NOT_EXIST = [
  '/etc/lm-env',
  '/etc/sysctl.d/90-lm-env.conf',
  '/etc/modules-load.d/lm-env.conf',
  '/etc/nftables.d/lm-env.nft',
  '/etc/network/interfaces.d/lm-env-bond0.1000',
  '/var/lib/lm-env',
];

function fingerprint(): Record<string, string> {
  return Object.fromEntries(
    WATCHED.map((p) => [
      p,
      existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent',
    ]),
  );
}

d.each(['dnsmasq', 'kea', 'isc-dhcp-server'] as DhcpServer[])(
  'configure on lab namespaces with %s + nftables',
  (dhcp) => {
    const plan = testPlan({ hosts: '1', dhcp });
    const vlanIf = plan.network.vlan.interface;
    let lab: NetLab;
    const logs: string[] = [];
    const rootBefore = fingerprint();
    let rootForward = '';

    const apply = (): Promise<ApplyResult> => {
      logs.length = 0;
      return applyAll(plan.hosts, {
        scriptFor: (h) => renderHostScript(plan, h).script,
        execFor: async (h) => lab.execFor(h.name as 'hub' | 'host1'),
        log: (l) => logs.push(l),
        timeoutMs: 120_000,
      });
    };

    const expectOk = (r: ApplyResult): void => {
      if (!r.ok) {
        const errors = r.hosts.filter((h) => !h.ok).map((h) => `${h.host}: ${h.error}`);
        throw new Error(`apply failed: ${errors.join('\n')}\n${logs.slice(-40).join('\n')}`);
      }
    };

    beforeAll(async () => {
      rootForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
      lab = await createNetLab(plan.network.vlan.vid, plan.network.subnet);
    }, 60_000);

    afterAll(async () => {
      const problems = lab ? await lab.destroy() : [];
      expect(problems).toEqual([]);
      // nothing leaked into this machine
      expect(fingerprint()).toEqual(rootBefore);
      for (const p of MUST_NOT_EXIST) expect([p, existsSync(p)]).toEqual([p, false]);
      expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(rootForward);
      const rootTables = await localExec().run('nft list tables 2>/dev/null || true');
      expect(rootTables.stdout).not.toContain('lm_env');
    }, 60_000);

    test('first apply configures hub and host, items are reported per host', async () => {
      const r = await apply();
      expectOk(r);
      const hubR = r.hosts.find((h) => h.host === 'hub')!;
      const hostR = r.hosts.find((h) => h.host === 'host1')!;
      expect(hubR.changed).toEqual(
        expect.arrayContaining([
          'vlan-address',
          'vlan-persist',
          'sysctl',
          'nat',
          'dhcp-config',
          'dhcp-service',
        ]),
      );
      expect(hostR.changed).toEqual(expect.arrayContaining(['vlan-address', 'vlan-persist']));
      expect(hostR.items.map((i) => i.item)).not.toContain('nat');
      expect(logs.some((l) => l.startsWith('[hub] LMENV-ITEM '))).toBe(true);
      expect(logs.some((l) => l.startsWith('[host1] LMENV-ITEM '))).toBe(true);
    }, 180_000);

    test('runtime state and persistent files agree', async () => {
      for (const h of plan.hosts) {
        const exec = lab.execFor(h.name as 'hub' | 'host1');
        const rt = await readRuntimeState(exec, vlanIf);
        const ps = await readPersistentState(exec, vlanIf);
        const cidr = `${h.privateIp}/${plan.network.prefixLength}`;
        expect(rt.vlan.addresses).toEqual([cidr]);
        expect(rt.vlan.up).toBe(true);
        expect(ps.vlan).toMatchObject({ backend: 'ifupdown', interface: vlanIf, vid: 1000, parent: 'bond0' });
        expect(ps.vlan?.addresses).toEqual(rt.vlan.addresses);
        expect(ps.modulesLoad).toContain('8021q');
      }
      const rt = await readRuntimeState(lab.execFor('hub'), vlanIf);
      expect(rt.nftTables.filter((t) => t === 'ip lm_env')).toHaveLength(1);
      expect(rt.ipForward).toBe('1');
      expect(rt.dhcpServers).toHaveLength(1);
      expect(rt.dnsOnlyServers).toHaveLength(dhcp === 'dnsmasq' ? 0 : 1);
      const ps = await readPersistentState(lab.execFor('hub'), vlanIf);
      expect(ps.nftablesConfIncludes).toBe(true);
      expect(ps.sysctl).toContain('net.ipv4.ip_forward = 1');
    }, 60_000);

    test('a client on the VLAN gets a lease, resolves through the hub and reaches the wan through NAT', async () => {
      const lease = await dhcpLease(lab);
      const last = Number(lease.ip.split('.')[3]);
      expect(lease.ip.startsWith('192.168.1.')).toBe(true);
      expect(last).toBeGreaterThanOrEqual(26);
      expect(last).toBeLessThanOrEqual(126);
      expect(lease.router).toBe(plan.network.gateway);
      expect(lease.dns.split(/\s+/)).toEqual(plan.network.dnsServers);
      expect(lease.mask).toBe('25');

      const ns = await lab.inNs(lab.ns.client, `busybox nslookup www.lab.test ${plan.network.dnsServers[0]}`);
      expect(ns.stdout).toMatch(/Address:\s*198\.51\.100\.1\b/);

      const http = await lab.inNs(lab.ns.client, 'curl -sS --max-time 5 http://198.51.100.1/');
      expect([http.code, http.stdout.trim(), http.stderr.trim()]).toEqual([0, '198.51.100.2', '']);

      // the private service is there (reachable on the VLAN) but the wan cannot open connections to it
      const inside = await lab.inNs(lab.ns.client, 'timeout 3 bash -c "exec 3<>/dev/tcp/192.168.1.3/8080"');
      expect(inside.code).toBe(0);
      const outside = await lab.inNs(lab.ns.wan, 'timeout 3 bash -c "exec 3<>/dev/tcp/192.168.1.3/8080"');
      expect(outside.code).not.toBe(0);
    }, 90_000);

    test('a second apply changes nothing and keeps one NAT table and one DHCP server', async () => {
      const r = await apply();
      expectOk(r);
      const changed = r.hosts.flatMap((h) => h.changed.map((c) => `${h.host}:${c}`));
      expect(changed).toEqual([]);
      expect(r.changed).toBe(false);
      const rt = await readRuntimeState(lab.execFor('hub'), vlanIf);
      expect(rt.nftTables.filter((t) => t === 'ip lm_env')).toHaveLength(1);
      expect(rt.dhcpServers).toHaveLength(1);
    }, 120_000);

    test('repair: a deleted NAT table and a killed DHCP server are restored and reported', async () => {
      const hubExec = lab.execFor('hub');
      const before = await readRuntimeState(hubExec, vlanIf);
      expect((await hubExec.run('nft delete table ip lm_env')).code).toBe(0);
      expect((await hubExec.run(`kill ${before.dhcpServers[0].pid}`)).code).toBe(0);
      const r = await apply();
      expectOk(r);
      const hubR = r.hosts.find((h) => h.host === 'hub')!;
      expect(hubR.changed.sort()).toEqual(['dhcp-service', 'nat']);
      expect(r.hosts.find((h) => h.host === 'host1')!.changed).toEqual([]);
      const after = await readRuntimeState(hubExec, vlanIf);
      expect(after.nftTables.filter((t) => t === 'ip lm_env')).toHaveLength(1);
      expect(after.natTable).toBe(before.natTable);
      expect(after.dhcpServers).toHaveLength(1);
      expect(after.dhcpServers[0].pid).not.toBe(before.dhcpServers[0].pid);
      const lease = await dhcpLease(lab);
      expect(lease.router).toBe(plan.network.gateway);
    }, 120_000);

    test('a wrong address on the VLAN interface is corrected', async () => {
      const hostExec = lab.execFor('host1');
      await hostExec.run(`ip addr add 192.168.1.77/24 dev ${vlanIf}`);
      const r = await apply();
      const hostR = r.hosts.find((h) => h.host === 'host1')!;
      expect(hostR.changed).toEqual(['vlan-address']);
      expect(hostR.items.find((i) => i.item === 'vlan-address')?.detail).toContain('removed 192.168.1.77/24');
      const rt = await readRuntimeState(hostExec, vlanIf);
      expect(rt.vlan.addresses).toEqual(['192.168.1.3/25']);
    }, 120_000);
  },
);

d('configure on lab namespaces: switching DHCP backends and repairing drift', () => {
  const plan = testPlan({ hosts: '1' });
  const vlanIf = plan.network.vlan.interface;
  let lab: NetLab;
  const logs: string[] = [];

  const apply = async (dhcp: DhcpServer): Promise<ApplyResult> => {
    logs.length = 0;
    const r = await applyAll(plan.hosts.slice(0, 1), {
      scriptFor: (h) => renderHostScript(plan, h, { dhcp }).script,
      execFor: async () => lab.execFor('hub'),
      log: (l) => logs.push(l),
      timeoutMs: 120_000,
    });
    if (!r.ok) throw new Error(`apply failed: ${r.hosts[0].error}\n${logs.slice(-40).join('\n')}`);
    return r;
  };

  beforeAll(async () => {
    lab = await createNetLab(plan.network.vlan.vid, plan.network.subnet);
  }, 60_000);

  afterAll(async () => {
    const problems = lab ? await lab.destroy() : [];
    expect(problems).toEqual([]);
  }, 60_000);

  test.each([
    ['dnsmasq', 0],
    ['kea', 1],
    ['isc-dhcp-server', 1],
    ['dnsmasq', 0],
  ] as Array<[DhcpServer, number]>)(
    'switch to %s: exactly one DHCP server, the lease still works',
    async (dhcp, dnsOnly) => {
      const r = await apply(dhcp);
      const rt = await readRuntimeState(lab.execFor('hub'), vlanIf);
      const comm = { dnsmasq: 'dnsmasq', kea: 'kea-dhcp4', 'isc-dhcp-server': 'dhcpd' }[dhcp];
      expect(rt.dhcpServers.map((p) => p.comm)).toEqual([comm]);
      expect(rt.dnsOnlyServers).toHaveLength(dnsOnly);
      expect(r.hosts[0].changed).toContain('dhcp-service');
      const lease = await dhcpLease(lab);
      expect(lease.router).toBe(plan.network.gateway);
      const ns = await lab.inNs(lab.ns.client, `busybox nslookup www.lab.test ${plan.network.gateway}`);
      expect(ns.stdout).toMatch(/Address:\s*198\.51\.100\.1\b/);
    },
    90_000,
  );

  test('a stray DHCP server started by hand is removed', async () => {
    const hub = lab.execFor('hub');
    const stray = await hub.run(
      `mkdir -p /run/stray && (setsid kea-dhcp4 -c /etc/kea/kea-dhcp4.conf >/dev/null 2>&1 </dev/null & echo $!) && sleep 0.5`,
      { env: { KEA_PIDFILE_DIR: '/run/stray', KEA_LOCKFILE_DIR: '/run/stray' } },
    );
    const pid = Number(stray.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    expect((await readRuntimeState(hub, vlanIf)).dhcpServers.map((p) => p.pid)).toContain(pid);
    const r = await apply('dnsmasq');
    expect(r.hosts[0].changed).toEqual(['dhcp-leftovers']);
    expect(r.hosts[0].items.find((i) => i.item === 'dhcp-leftovers')?.detail).toContain(`kea-dhcp4:${pid}`);
    const rt = await readRuntimeState(hub, vlanIf);
    expect(rt.dhcpServers.map((p) => p.comm)).toEqual(['dnsmasq']);
  }, 60_000);

  test('DNS upstreams come from the hub resolv.conf without local stubs or the hub itself', async () => {
    const hub = lab.execFor('hub');
    await hub.run(
      "printf 'nameserver 127.0.0.53\\nnameserver 192.168.1.2\\nnameserver 198.51.100.1\\n' >/etc/resolv.conf",
    );
    const r = await apply('dnsmasq');
    expect(r.hosts[0].changed).toEqual([]);
    expect(r.hosts[0].items.find((i) => i.item === 'dns-upstream')?.detail).toBe('198.51.100.1');
    const up = await hub.run('grep ^nameserver /etc/lm-env/upstream.resolv');
    expect(up.stdout).toBe('nameserver 198.51.100.1\n');

    // only a local stub and no resolvectl: the apply fails and says why
    await hub.run("printf 'nameserver 127.0.0.53\\n' >/etc/resolv.conf");
    const bad = await applyAll(plan.hosts.slice(0, 1), {
      scriptFor: (h) => renderHostScript(plan, h).script,
      execFor: async () => lab.execFor('hub'),
    });
    await hub.run("printf 'nameserver 198.51.100.1\\n' >/etc/resolv.conf");
    expect(bad.ok).toBe(false);
    expect(bad.failed).toEqual(['hub']);
    expect(bad.hosts[0].error).toContain('no upstream DNS resolvers on the hub');
  }, 60_000);

  test('an edited NAT table is reloaded from the file', async () => {
    const hub = lab.execFor('hub');
    const before = (await readRuntimeState(hub, vlanIf)).natTable;
    expect((await hub.run('nft add rule ip lm_env forward iifname "bond0" accept')).code).toBe(0);
    const r = await apply('dnsmasq');
    expect(r.hosts[0].changed).toEqual(['nat']);
    expect((await readRuntimeState(hub, vlanIf)).natTable).toBe(before);
  }, 60_000);
});

d('configure on lab namespaces: persistence follows whoever owns the uplink', () => {
  const plan = testPlan({ hosts: '1' });
  const host = plan.hosts[1];
  const vlanIf = plan.network.vlan.interface;
  let lab: NetLab;

  const apply = async (): Promise<ApplyResult> => {
    const logs: string[] = [];
    const r = await applyAll([host], {
      scriptFor: (h) => renderHostScript(plan, h).script,
      execFor: async () => lab.execFor('host1'),
      log: (l) => logs.push(l),
    });
    if (!r.ok) throw new Error(`apply failed: ${r.hosts[0].error}\n${logs.join('\n')}`);
    return r;
  };
  const persistItem = (r: ApplyResult) => r.hosts[0].items.find((i) => i.item === 'vlan-persist');

  beforeAll(async () => {
    lab = await createNetLab(plan.network.vlan.vid, plan.network.subnet);
  }, 60_000);

  afterAll(async () => {
    const problems = lab ? await lab.destroy() : [];
    expect(problems).toEqual([]);
  }, 60_000);

  test('ifupdown when nothing else owns it, then netplan, then systemd-networkd; one definition at a time', async () => {
    const exec = lab.execFor('host1');
    expect(persistItem(await apply())?.detail).toMatch(/^ifupdown:/);
    expect((await exec.run('cat /etc/network/interfaces')).stdout).toContain(
      'source /etc/network/interfaces.d/*',
    );

    await exec.run(
      "mkdir -p /etc/netplan && printf 'network:\\n  version: 2\\n  ethernets:\\n    bond0:\\n      dhcp4: false\\n' >/etc/netplan/01-uplink.yaml",
    );
    const r2 = await apply();
    expect(persistItem(r2)).toMatchObject({ status: 'changed' });
    expect(persistItem(r2)?.detail).toMatch(/^netplan:/);
    let ps = await readPersistentState(exec, vlanIf);
    const rt = await readRuntimeState(exec, vlanIf);
    expect(ps.vlan).toMatchObject({
      backend: 'netplan',
      interface: vlanIf,
      vid: 1000,
      parent: 'bond0',
      addresses: rt.vlan.addresses,
    });
    expect(Object.keys(ps.files)).not.toContain(`/etc/network/interfaces.d/lm-env-${vlanIf}`);
    expect((await exec.run('stat -c %a /etc/netplan/60-lm-env.yaml')).stdout.trim()).toBe('600');

    await exec.run(
      "rm /etc/netplan/01-uplink.yaml && mkdir -p /etc/systemd/network && printf '[Match]\\nName=bond0\\n\\n[Network]\\nAddress=198.51.100.3/24\\n' >/etc/systemd/network/10-uplink.network",
    );
    const r3 = await apply();
    expect(persistItem(r3)?.detail).toMatch(/^networkd:/);
    ps = await readPersistentState(exec, vlanIf);
    expect(ps.vlan).toMatchObject({
      backend: 'networkd',
      interface: vlanIf,
      vid: 1000,
      parent: 'bond0',
      addresses: rt.vlan.addresses,
    });
    expect(ps.files['/etc/systemd/network/10-uplink.network.d/60-lm-env-vlan.conf']).toContain(
      `VLAN=${vlanIf}`,
    );
    expect(Object.keys(ps.files)).not.toContain('/etc/netplan/60-lm-env.yaml');

    expect(persistItem(await apply())).toMatchObject({ status: 'unchanged' });
  }, 60_000);
});
