import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { runBundle, type BundleRun } from '../../__fixtures__/actions/run-bundle.js';

const runs: BundleRun[] = [];
afterAll(() => runs.forEach((r) => r.cleanup()));

describe('root action bundle, dry-run', () => {
  test('validates, writes the plan to outputs and summary, creates nothing', async () => {
    const r = await runBundle('dist/index.js', {
      'dry-run': 'true',
      hosts: '3',
      subnet: '10.42.0.0/24',
      vlan: '300',
    });
    runs.push(r);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.outputs.plan);
    expect(plan.network.subnet).toBe('10.42.0.0/24');
    expect(plan.network.vlan.interface).toBe('bond0.300');
    expect(plan.hosts.map((h: { privateIp: string }) => h.privateIp)).toEqual([
      '10.42.0.2',
      '10.42.0.3',
      '10.42.0.4',
      '10.42.0.5',
    ]);
    expect(r.outputs['flintlock-endpoints']).toBe('10.42.0.3:9090,10.42.0.4:9090,10.42.0.5:9090');
    expect(r.outputs['environment-id']).toMatch(/^lm-[0-9a-f]{6}$/);
    expect(r.outputs['dry-run']).toBe('true');
    expect(r.summary).toContain('lm-env plan (dry run: nothing created)');
    expect(r.summary).toContain('| host3 | flintlock | 10.42.0.5 | `10.42.0.5:9090` |');
    // nothing created: RUNNER_TEMP was not even written to
    expect(existsSync(r.runnerTemp) ? readdirSync(r.runnerTemp) : []).toEqual([]);
  });

  test('the defaults give the original plan', async () => {
    const r = await runBundle('dist/index.js', { 'dry-run': 'true' });
    runs.push(r);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.outputs.plan);
    expect(plan.network.dhcpRange).toEqual({ start: '192.168.1.26', end: '192.168.1.126' });
    expect(r.outputs.gateway).toBe('192.168.1.2');
  });

  test('bad inputs fail with every problem named, exit 2, before anything', async () => {
    const r = await runBundle('dist/index.js', {
      'dry-run': 'true',
      vlan: '0',
      'dhcp-range': '192.168.1.1-192.168.1.9',
    });
    runs.push(r);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('::error::');
    expect(r.stdout).toContain('vlan (--vlan) = "0"');
    expect(r.stdout).toContain('dhcp-range (--dhcp-range)');
    expect(r.outputs.plan).toBeUndefined();
  });
});
