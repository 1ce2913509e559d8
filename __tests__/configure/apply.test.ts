import { describe, expect, test } from '@jest/globals';
import { applyAll, formatApplyResult, REMOTE_SCRIPT } from '../../src/configure/apply.js';
import { ExecError } from '../../src/exec/types.js';
import { FakeExec } from '../../__fixtures__/configure/fake-exec.js';

const hosts = [
  { name: 'hub', role: 'hub' as const, privateIp: '192.168.1.2' },
  { name: 'host1', role: 'flintlock' as const, privateIp: '192.168.1.3' },
  { name: 'host2', role: 'flintlock' as const, privateIp: '192.168.1.4' },
];

describe('applyAll', () => {
  test('uploads and runs once per host, streams prefixed lines, collects items', async () => {
    const execs = new Map<string, FakeExec>();
    const lines: string[] = [];
    const r = await applyAll(hosts, {
      scriptFor: (h) => `#!/bin/bash\n# ${h.name}\n`,
      execFor: async (h) => {
        const e = new FakeExec(`fake ${h.name}`, () => ({
          code: 0,
          stdout: `hello\nLMENV-ITEM vlan-address ${h.name === 'hub' ? 'changed added 192.168.1.2/25' : 'unchanged'}\nLMENV-ITEM nat unchanged\nbye`,
          stderr: '',
        }));
        execs.set(h.name, e);
        return e;
      },
      log: (l) => lines.push(l),
    });
    expect(r.ok).toBe(true);
    expect(r.changed).toBe(true);
    expect(r.failed).toEqual([]);
    for (const h of hosts) {
      const e = execs.get(h.name)!;
      expect(e.uploads).toEqual([
        { path: REMOTE_SCRIPT, content: `#!/bin/bash\n# ${h.name}\n`, mode: 0o700 },
      ]);
      expect(e.runs).toEqual([`bash ${REMOTE_SCRIPT}`]);
      expect(e.closed).toBe(1);
    }
    const hub = r.hosts.find((h) => h.host === 'hub')!;
    expect(hub.changed).toEqual(['vlan-address']);
    expect(hub.unchanged).toEqual(['nat']);
    expect(hub.items[0]).toEqual({ item: 'vlan-address', status: 'changed', detail: 'added 192.168.1.2/25' });
    expect(r.hosts.find((h) => h.host === 'host1')!.changed).toEqual([]);
    expect(lines).toContain('[hub] hello');
    expect(lines).toContain('[host2] LMENV-ITEM nat unchanged');
    expect(lines).toContain('[host1] bye');
    expect(formatApplyResult(r)).toContain('hub: ok, changed: vlan-address');
    expect(formatApplyResult(r)).toContain('host1: ok, no changes');
  });

  test('one host failing (script error or transport) does not hide the others', async () => {
    const r = await applyAll(hosts, {
      scriptFor: () => 'x',
      execFor: async (h) => {
        if (h.name === 'host2') throw new ExecError('connect ECONNREFUSED', 'ssh host2', 'connect');
        return new FakeExec(`fake ${h.name}`, () =>
          h.name === 'hub'
            ? {
                code: 1,
                stdout: 'LMENV-ITEM vlan-address unchanged\n',
                stderr: 'LMENV-ERROR parent interface bond0 does not exist\n',
              }
            : { code: 0, stdout: 'LMENV-ITEM vlan-address changed\n', stderr: '' },
        );
      },
    });
    expect(r.ok).toBe(false);
    expect(r.failed.sort()).toEqual(['host2', 'hub']);
    const hub = r.hosts.find((h) => h.host === 'hub')!;
    expect(hub).toMatchObject({ ok: false, exitCode: 1, error: 'parent interface bond0 does not exist' });
    expect(hub.unchanged).toEqual(['vlan-address']);
    expect(r.hosts.find((h) => h.host === 'host1')).toMatchObject({ ok: true, changed: ['vlan-address'] });
    expect(r.hosts.find((h) => h.host === 'host2')!.error).toContain('ECONNREFUSED');
    expect(formatApplyResult(r)).toContain('host2: FAILED');
  });

  test('a failure without LMENV-ERROR reports the output tail', async () => {
    const r = await applyAll(hosts.slice(0, 1), {
      scriptFor: () => 'x',
      execFor: async () =>
        new FakeExec('fake', () => ({ code: 127, stdout: '', stderr: 'bash: nft: command not found\n' })),
    });
    expect(r.hosts[0].error).toBe('exit 127: bash: nft: command not found');
  });

  test('keepOpen leaves the Exec open', async () => {
    const e = new FakeExec('fake', () => ({ code: 0, stdout: '', stderr: '' }));
    await applyAll(hosts.slice(0, 1), { scriptFor: () => 'x', execFor: async () => e, keepOpen: true });
    expect(e.closed).toBe(0);
  });
});

describe('configureHosts', () => {
  test('renders each host script with the other renderers sections and applies it', async () => {
    const { testPlan } = await import('../../__fixtures__/hostconfig/plans.js');
    const { renderHostScript } = await import('../../src/hostconfig/render.js');
    const { configureHosts } = await import('../../src/configure/apply.js');
    const plan = testPlan({ hosts: '1' });
    const execs = new Map<string, FakeExec>();
    const r = await configureHosts(plan, plan.hosts, {
      options: { dhcp: 'kea' },
      sectionsFor: (h) =>
        h.role === 'flintlock' ? [{ name: 'flintlock', body: 'lmenv_item flintlock-config unchanged' }] : [],
      execFor: async (h) => {
        const e = new FakeExec(h.name, () => ({ code: 0, stdout: '', stderr: '' }));
        execs.set(h.name, e);
        return e;
      },
    });
    expect(r.ok).toBe(true);
    const hostScript = execs.get('host1')!.uploads[0].content;
    expect(hostScript).toContain('lmenv_item flintlock-config unchanged');
    expect(hostScript).toBe(
      renderHostScript(plan, plan.hosts[1], {
        dhcp: 'kea',
        sections: [{ name: 'flintlock', body: 'lmenv_item flintlock-config unchanged' }],
      }).script,
    );
    expect(execs.get('hub')!.uploads[0].content).toContain("/etc/kea/kea-dhcp4.conf' 644");
    expect(execs.get('hub')!.uploads[0].content).not.toContain('flintlock-config');
  });
});
