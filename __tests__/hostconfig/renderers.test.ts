import { describe, expect, test } from '@jest/globals';
import {
  dhcpFacts,
  dhcpdConf,
  dhcpdDefaults,
  dnsmasqDhcpConf,
  dnsmasqDnsConf,
  keaConf,
} from '../../src/hostconfig/dhcp-config.js';
import { firewalldDirectFile, firewalldPolicyFiles } from '../../src/hostconfig/nat-firewalld.js';
import { nftablesFile } from '../../src/hostconfig/nat-nftables.js';
import { sysctlFile } from '../../src/hostconfig/sysctl.js';
import {
  ifupdownFile,
  modulesLoadFile,
  netplanFile,
  networkdFiles,
  vlanFacts,
} from '../../src/hostconfig/vlan.js';
import { describePersistedVlan } from '../../src/configure/state.js';
import { testPlan } from '../../__fixtures__/hostconfig/plans.js';

const plan = testPlan();
const hub = plan.hosts[0];
const host2 = plan.hosts[2];

describe('VLAN persistence renderers describe the same interface, vid and address', () => {
  const f = vlanFacts(plan, host2);

  test('facts come from the plan', () => {
    expect(f).toEqual({ interface: 'bond0.1000', parent: 'bond0', vid: 1000, cidr: '192.168.1.4/25' });
  });

  test('ifupdown', () => {
    const file = ifupdownFile(plan, f);
    expect(file.path).toBe('/etc/network/interfaces.d/lm-env-bond0.1000');
    expect(file.content).toContain('auto bond0.1000\niface bond0.1000 inet static\n');
    expect(file.content).toContain('    address 192.168.1.4/25\n');
    expect(file.content).toContain('    vlan-raw-device bond0\n');
  });

  test('netplan', () => {
    const file = netplanFile(plan, f);
    expect(file.mode).toBe('600');
    expect(file.content).toContain(
      'network:\n  version: 2\n  vlans:\n    bond0.1000:\n      id: 1000\n      link: bond0\n      addresses:\n        - 192.168.1.4/25\n',
    );
  });

  test('systemd-networkd: netdev, network and a drop-in for the parent', () => {
    const [netdev, network, dropin] = networkdFiles(plan, f);
    expect(netdev.path).toBe('/etc/systemd/network/60-lm-env-bond0.1000.netdev');
    expect(netdev.content).toContain('[NetDev]\nName=bond0.1000\nKind=vlan\n\n[VLAN]\nId=1000\n');
    expect(network.content).toContain('[Match]\nName=bond0.1000\n');
    expect(network.content).toContain('Address=192.168.1.4/25\n');
    expect(dropin.path).toBe('/etc/systemd/network/<bond0.network>.d/60-lm-env-vlan.conf');
    expect(dropin.content).toContain('[Network]\nVLAN=bond0.1000\n');
  });

  test('each backend parses back to the same VLAN (state reader)', () => {
    const [netdev, network] = networkdFiles(plan, f);
    const byBackend = {
      ifupdown: { [ifupdownFile(plan, f).path]: ifupdownFile(plan, f).content },
      netplan: { [netplanFile(plan, f).path]: netplanFile(plan, f).content },
      networkd: {
        [netdev.path]: netdev.content,
        [network.path]: network.content,
        '/etc/systemd/network/10-bond0.network.d/60-lm-env-vlan.conf': '[Network]\nVLAN=bond0.1000\n',
        '/run/systemd/network/10-bond0.network': '[Match]\nName=bond0\n\n[Network]\nDHCP=yes\n',
      },
    };
    for (const [backend, files] of Object.entries(byBackend)) {
      expect(describePersistedVlan(files, 'bond0.1000')).toMatchObject({
        backend,
        interface: 'bond0.1000',
        vid: 1000,
        addresses: ['192.168.1.4/25'],
      });
    }
    expect(describePersistedVlan(byBackend.ifupdown, 'bond0.1000')?.parent).toBe('bond0');
    expect(describePersistedVlan(byBackend.netplan, 'bond0.1000')?.parent).toBe('bond0');
    expect(describePersistedVlan(byBackend.networkd, 'bond0.1000')?.parent).toBe('bond0');
  });

  test('modules-load persists 8021q', () => {
    expect(modulesLoadFile(plan)).toMatchObject({ path: '/etc/modules-load.d/lm-env.conf' });
    expect(modulesLoadFile(plan).content.split('\n')).toContain('8021q');
  });

  test('other VLAN ids, parents and subnets flow through', () => {
    const p = testPlan({ vlan: '42', 'parent-interface': 'eth1', subnet: '10.20.0.0/24', hosts: '1' });
    const g = vlanFacts(p, p.hosts[1]);
    expect(g).toEqual({ interface: 'eth1.42', parent: 'eth1', vid: 42, cidr: '10.20.0.3/24' });
    expect(netplanFile(p, g).content).toContain('      id: 42\n      link: eth1\n');
  });
});

describe('hub renderers', () => {
  test('sysctl: forwarding on, loose reverse-path filtering', () => {
    const f = sysctlFile(plan);
    expect(f.path).toBe('/etc/sysctl.d/90-lm-env.conf');
    expect(f.content).toContain('net.ipv4.ip_forward = 1\n');
    expect(f.content).toContain('net.ipv4.conf.all.rp_filter = 2\n');
  });

  test('nftables: one replaceable table, forward VLAN→uplink, replies only back, tailscale0 into the VLAN, masquerade', () => {
    const t = nftablesFile(plan).content;
    const lines = t.split('\n').map((l) => l.trim());
    // the delete is preceded by a declaration so the first load works too
    expect(lines.indexOf('table ip lm_env')).toBeLessThan(lines.indexOf('delete table ip lm_env'));
    expect(lines).toContain('type filter hook forward priority filter; policy drop;');
    expect(lines).toContain('ct state established,related accept');
    expect(lines).toContain('iifname "bond0.1000" oifname "bond0" accept');
    expect(lines).toContain('iifname "tailscale0" oifname "bond0.1000" accept');
    expect(lines).toContain('ip saddr 192.168.1.0/25 oifname "bond0" masquerade');
    // nothing lets the uplink open connections into the VLAN
    expect(lines.filter((l) => /iifname "bond0" oifname "bond0\.1000"/.test(l))).toEqual([]);
    // `fwd`/`post` are nft keywords
    expect(t).not.toMatch(/chain (fwd|post)\b/);
  });

  test('nftables file loads in a scratch namespace-free check (nft -c)', async () => {
    const { localExec } = await import('../../src/exec/local.js');
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/lm-nftcheck-');
    try {
      writeFileSync(`${dir}/t.nft`, nftablesFile(plan).content);
      // -c only parses and validates against the kernel, it changes nothing
      const r = await localExec().run(`nft -c -f ${dir}/t.nft`);
      expect([r.code, r.stderr]).toEqual([0, '']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('tailscale interface is configurable', () => {
    expect(nftablesFile(plan, 'ts1').content).toContain('iifname "ts1" oifname "bond0.1000" accept');
  });

  test('firewalld policies: VLAN zone, egress policy with masquerade, tailnet policy into the VLAN', () => {
    const files = firewalldPolicyFiles(plan, { uplinkZone: 'external' });
    const by = Object.fromEntries(files.map((f) => [f.path, f.content]));
    expect(by['/etc/firewalld/zones/lm-env-vlan.xml']).toContain('<interface name="bond0.1000"/>');
    expect(by['/etc/firewalld/zones/lm-env-vlan.xml']).toContain('<service name="dhcp"/>');
    const egress = by['/etc/firewalld/policies/lm-env-vlan-egress.xml'];
    expect(egress).toContain('<policy target="ACCEPT"');
    expect(egress).toContain('<ingress-zone name="lm-env-vlan"/>');
    expect(egress).toContain('<egress-zone name="external"/>');
    expect(egress).toContain('<masquerade/>');
    expect(by['/etc/firewalld/zones/lm-env-tailnet.xml']).toContain('<interface name="tailscale0"/>');
    const tn = by['/etc/firewalld/policies/lm-env-tailnet-vlan.xml'];
    expect(tn).toContain('<ingress-zone name="lm-env-tailnet"/>');
    expect(tn).toContain('<egress-zone name="lm-env-vlan"/>');
    for (const f of files)
      expect(f.content.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
  });

  test('firewalld direct fallback: the original rules plus replies and the tailnet', () => {
    const c = firewalldDirectFile(plan).content;
    expect(c).toContain('chain="FORWARD" priority="0">-i bond0.1000 -o bond0 -j ACCEPT</rule>');
    expect(c).toContain('chain="POSTROUTING" priority="0">-s 192.168.1.0/25 -o bond0 -j MASQUERADE</rule>');
    expect(c).toContain('-i bond0 -o bond0.1000 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
    expect(c).toContain('-i tailscale0 -o bond0.1000 -j ACCEPT');
  });
});

describe('DHCP and DNS renderers', () => {
  const f = dhcpFacts(plan, hub.privateIp);

  test('facts: the hub serves DNS by default (dns defaults to the gateway)', () => {
    expect(f.hubServesDns).toBe(true);
    expect(f.dnsServers).toEqual(['192.168.1.2']);
  });

  test('isc-dhcp-server dhcpd.conf as in the original', () => {
    const c = dhcpdConf(f).content;
    expect(c).toContain('subnet 192.168.1.0 netmask 255.255.255.128 {');
    expect(c).toContain('range 192.168.1.26 192.168.1.126;');
    expect(c).toContain('option routers 192.168.1.2;');
    expect(c).toContain('option domain-name-servers 192.168.1.2;');
    expect(c).toContain('default-lease-time 600;');
    expect(c).toContain('max-lease-time 7200;');
    expect(c).toContain('authoritative;');
    expect(dhcpdDefaults(f).content).toContain('INTERFACESv4="bond0.1000"\n');
  });

  test('kea config parses and has the pool, router, DNS, lifetimes and interface', () => {
    const text = keaConf(f).content;
    const json = JSON.parse(text.replace(/^\/\/.*\n/gm, ''));
    const d = json.Dhcp4;
    expect(d['interfaces-config'].interfaces).toEqual(['bond0.1000']);
    expect(d['valid-lifetime']).toBe(600);
    expect(d['max-valid-lifetime']).toBe(7200);
    expect(d['lease-database']).toMatchObject({ type: 'memfile', name: '/var/lib/kea/kea-leases4.csv' });
    expect(d.subnet4).toHaveLength(1);
    expect(d.subnet4[0]).toMatchObject({
      id: 1,
      subnet: '192.168.1.0/25',
      pools: [{ pool: '192.168.1.26 - 192.168.1.126' }],
    });
    expect(d.subnet4[0]['option-data']).toEqual([
      { name: 'routers', data: '192.168.1.2' },
      { name: 'domain-name-servers', data: '192.168.1.2' },
    ]);
  });

  test('kea config is accepted by kea-dhcp4 -t', async () => {
    const { localExec } = await import('../../src/exec/local.js');
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/lm-keacheck-');
    try {
      // -t also checks that the interface exists: check against one that does
      writeFileSync(`${dir}/kea.conf`, keaConf(f).content.replace('"bond0.1000"', '"lo"'));
      const r = await localExec().run(
        `KEA_LOCKFILE_DIR=${dir} KEA_PIDFILE_DIR=${dir} kea-dhcp4 -t ${dir}/kea.conf`,
      );
      expect([r.code, r.stderr.includes('ERROR')]).toEqual([0, false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('dnsmasq: DHCP and DNS in one instance on the VLAN', () => {
    const lines = dnsmasqDhcpConf(f).content.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'interface=bond0.1000',
        'except-interface=lo',
        'port=53',
        'resolv-file=/etc/lm-env/upstream.resolv',
        'dhcp-range=192.168.1.26,192.168.1.126,255.255.255.128,600',
        'dhcp-option=option:router,192.168.1.2',
        'dhcp-option=option:dns-server,192.168.1.2',
        'dhcp-authoritative',
      ]),
    );
    expect(lines).not.toContain('port=0');
  });

  test('dnsmasq: DHCP only when the DNS servers were given and do not include the hub', () => {
    const p = testPlan({ dns: '198.51.100.53,198.51.100.54' });
    const g = dhcpFacts(p, p.hosts[0].privateIp);
    expect(g.hubServesDns).toBe(false);
    const lines = dnsmasqDhcpConf(g).content.split('\n');
    expect(lines).toContain('port=0');
    expect(lines).toContain('dhcp-option=option:dns-server,198.51.100.53,198.51.100.54');
    expect(lines.some((l) => l.startsWith('resolv-file='))).toBe(false);
    expect(dhcpdConf(g).content).toContain('option domain-name-servers 198.51.100.53, 198.51.100.54;');
  });

  test('dnsmasq DNS-only instance listens on the hub VLAN address without DHCP', () => {
    const lines = dnsmasqDnsConf(f).content.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['listen-address=192.168.1.2', 'port=53', 'bind-dynamic']));
    expect(lines.some((l) => l.startsWith('dhcp-range'))).toBe(false);
  });

  test('dnsmasq configs pass dnsmasq --test', async () => {
    const { localExec } = await import('../../src/exec/local.js');
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/lm-dnsmasqcheck-');
    try {
      for (const [name, file] of [
        ['dhcp', dnsmasqDhcpConf(f)],
        ['dns', dnsmasqDnsConf(f)],
      ] as const) {
        writeFileSync(`${dir}/${name}.conf`, file.content);
        const r = await localExec().run(`dnsmasq --test --conf-file=${dir}/${name}.conf`);
        expect([name, r.code]).toEqual([name, 0]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
