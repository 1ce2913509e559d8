import { describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    signal: new AbortController().signal,
  });
  return { code, out, err };
}

describe('lm-env plan', () => {
  test('prints the original plan as a table', async () => {
    const r = await cli('plan');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/subnet\s+192\.168\.1\.0\/25/);
    expect(r.out).toMatch(/DHCP pool\s+192\.168\.1\.26 – 192\.168\.1\.126/);
    expect(r.out).toMatch(/hub\s+hub\s+192\.168\.1\.2\s+bond0\.1000/);
    expect(r.out).toMatch(/host2\s+flintlock\s+192\.168\.1\.4\s+bond0\.1000\s+192\.168\.1\.4:9090/);
  });

  test('--json gives the Environment file shape for network and hosts', async () => {
    const r = await cli(
      'plan',
      '--json',
      '--hosts',
      '3',
      '--subnet',
      '10.1.0.0/24',
      '--vlan',
      '200',
      '--dhcp',
      'kea',
    );
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out);
    expect(p.network.vlan).toEqual({ vid: 200, parent: 'bond0', interface: 'bond0.200' });
    expect(p.hosts).toHaveLength(4);
    expect(p.hosts[3]).toMatchObject({ name: 'host3', role: 'flintlock', privateIp: '10.1.0.5' });
    expect(p.services.dhcp).toBe('kea');
  });

  test('accepts every documented flag', async () => {
    const r = await cli(
      'plan',
      '--provider',
      'lab',
      '--hosts',
      '2',
      '--subnet',
      '192.168.1.0/25',
      '--vlan',
      '1000',
      '--gateway',
      '192.168.1.2',
      '--dhcp-range',
      '192.168.1.26-192.168.1.126',
      '--dns',
      '192.168.1.2,198.51.100.53',
      '--nat',
      'nftables',
      '--dhcp',
      'isc-dhcp-server',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  test('bad input: exit 2 and every problem named', async () => {
    const r = await cli('plan', '--vlan', '9999', '--subnet', '192.168.1.1/24');
    expect(r.code).toBe(2);
    expect(r.err).toContain('vlan (--vlan) = "9999"');
    expect(r.err).toContain('subnet (--subnet) = "192.168.1.1/24"');
    expect(r.out).toBe('');
  });

  test('unknown flag: exit 2 with a hint', async () => {
    const r = await cli('plan', '--colour', 'blue');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--colour/);
    expect(r.err).toMatch(/--help/);
  });

  test('unknown command: exit 2 with usage', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'frobnicate'");
    expect(r.err).toContain('Commands:');
  });

  test('--help lists the spec flags with defaults', async () => {
    const r = await cli('plan', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--subnet VALUE\s+Private VLAN subnet .*default 192\.168\.1\.0\/25/);
    expect(r.out).toMatch(/--json/);
  });
});
