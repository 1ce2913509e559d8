import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DhcpServer, NatBackend } from '../../src/env/spec.js';
import { localExec } from '../../src/exec/local.js';
import { parseItems } from '../../src/hostconfig/items.js';
import { LMENV_LIB } from '../../src/hostconfig/lib.js';
import { renderHostScript } from '../../src/hostconfig/render.js';
import { writeFileStep } from '../../src/hostconfig/shell.js';
import type { HostConfigOptions, PersistBackend } from '../../src/hostconfig/types.js';
import { testPlan } from '../../__fixtures__/hostconfig/plans.js';

const plan = testPlan();
const [hub, host1] = plan.hosts;
const NATS: NatBackend[] = ['nftables', 'firewalld'];
const DHCPS: DhcpServer[] = ['dnsmasq', 'kea', 'isc-dhcp-server'];
const PERSIST: Array<'auto' | PersistBackend> = ['auto', 'ifupdown', 'netplan', 'networkd'];

describe('rendered apply scripts', () => {
  test('every variant (role × nat × dhcp × persistence × DNS) passes shellcheck', async () => {
    const dir = mkdtempSync('/tmp/lm-shellcheck-');
    const explicitDns = testPlan({ dns: '198.51.100.53' });
    try {
      const files: string[] = [];
      const add = (name: string, script: string): void => {
        const p = join(dir, `${name}.sh`);
        writeFileSync(p, script);
        files.push(p);
      };
      for (const persistence of PERSIST) {
        add(`host-${persistence}`, renderHostScript(plan, host1, { persistence }).script);
        for (const nat of NATS) {
          for (const dhcp of DHCPS) {
            add(
              `hub-${nat}-${dhcp}-${persistence}`,
              renderHostScript(plan, hub, { nat, dhcp, persistence }).script,
            );
          }
        }
      }
      for (const dhcp of DHCPS) {
        add(`hub-extdns-${dhcp}`, renderHostScript(explicitDns, explicitDns.hosts[0], { dhcp }).script);
      }
      add('hub-systemd', renderHostScript(plan, hub, { serviceManager: 'systemd' }).script);
      expect(files).toHaveLength(4 + 24 + 3 + 1);
      // two shellchecks at a time (the machine has two cores); xargs exits non-zero if any found something
      const r = await localExec().run(
        `printf '%s\\n' ${files.join(' ')} | xargs -P 2 -n 4 shellcheck --shell=bash --severity=style`,
        {
          timeoutMs: 120_000,
        },
      );
      expect(r.stdout + r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  test('rendering is pure: same inputs, same script', () => {
    expect(renderHostScript(plan, hub).script).toBe(renderHostScript(plan, hub).script);
  });

  test('strict mode and the library come first', () => {
    const { script } = renderHostScript(plan, host1);
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('set -Eeuo pipefail\n');
    expect(script.indexOf('set -Eeuo pipefail')).toBeLessThan(script.indexOf('lmenv_item()'));
  });

  test('flintlock hosts get only the VLAN part; the hub gets NAT, DHCP, DNS', () => {
    const h = renderHostScript(plan, host1);
    expect(h.items).toEqual([
      'packages',
      'modules-load',
      'vlan-module',
      'vlan-link',
      'vlan-address',
      'vlan-persist',
    ]);
    expect(h.script).not.toContain('nft ');
    const b = renderHostScript(plan, hub);
    expect(b.items).toEqual([
      'packages',
      'modules-load',
      'vlan-module',
      'vlan-link',
      'vlan-address',
      'vlan-persist',
      'sysctl',
      'nat',
      'nat-persist',
      'nat-leftovers',
      'dns-upstream',
      'dhcp-config',
      'dhcp-service',
      'dhcp-leftovers',
      'dns-config',
      'dns-service',
    ]);
  });

  test('packages follow the chosen backends', () => {
    const pk = (o: HostConfigOptions): string =>
      /lmenv_ensure_packages packages (.*)/.exec(renderHostScript(plan, hub, o).script)![1];
    expect(pk({})).toBe("'iproute2' 'nftables' 'dnsmasq-base'");
    expect(pk({ dhcp: 'kea' })).toBe("'iproute2' 'nftables' 'kea-dhcp4-server' 'dnsmasq-base'");
    expect(pk({ dhcp: 'isc-dhcp-server', nat: 'firewalld' })).toBe(
      "'iproute2' 'firewalld' 'isc-dhcp-server' 'dnsmasq-base'",
    );
    const ext = testPlan({ dns: '198.51.100.53' });
    expect(
      /lmenv_ensure_packages packages (.*)/.exec(
        renderHostScript(ext, ext.hosts[0], { dhcp: 'kea' }).script,
      )![1],
    ).toBe("'iproute2' 'nftables' 'kea-dhcp4-server'");
  });

  test('with explicit DNS servers not including the hub there is no DNS instance and no upstream lookup', () => {
    const ext = testPlan({ dns: '198.51.100.53' });
    const s = renderHostScript(ext, ext.hosts[0], { dhcp: 'kea' });
    expect(s.items).not.toContain('dns-upstream');
    expect(s.files.map((f) => f.path)).not.toContain('/etc/lm-env/dnsmasq-dns.conf');
    const k = renderHostScript(plan, hub, { dhcp: 'kea' });
    expect(k.files.map((f) => f.path)).toContain('/etc/lm-env/dnsmasq-dns.conf');
  });

  test('the files list has every file the hub script embeds', () => {
    const { script, files } = renderHostScript(plan, hub);
    for (const f of files.filter((x) => !x.path.includes('<'))) {
      expect([
        f.path,
        script.includes(
          `lmenv_write_file '${f.path}' ${f.mode} <<'LMENV_FILE_EOF'\n${f.content}LMENV_FILE_EOF`,
        ),
      ]).toEqual([f.path, true]);
    }
  });

  test('extra sections from other renderers run after the network part, with their files listed', () => {
    const unit = { path: '/etc/systemd/system/x.service', content: '[Unit]\n', mode: '644', item: 'x-unit' };
    const s = renderHostScript(plan, host1, {
      sections: [{ name: 'flintlock', body: writeFileStep(unit), files: [unit] }],
    });
    expect(s.script.indexOf('# ---- flintlock ----')).toBeGreaterThan(
      s.script.indexOf('# ---- vlan-persist ----'),
    );
    expect(s.items[s.items.length - 1]).toBe('x-unit');
    expect(s.files).toContainEqual(unit);
  });

  test('a forced service manager is rendered; auto detects at run time', () => {
    expect(renderHostScript(plan, hub, { serviceManager: 'direct' }).script).toContain("LMENV_INIT='direct'");
    expect(renderHostScript(plan, hub).script).toContain('LMENV_INIT="$(lmenv_detect_init)"');
  });
});

describe('the bash library', () => {
  const run = async (body: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    localExec().run(`set -Eeuo pipefail\n${LMENV_LIB}\nLMENV_INIT=direct\n${body}`);

  test('lmenv_write_file writes only when content or mode differ, atomically', async () => {
    const dir = mkdtempSync('/tmp/lm-writefile-');
    try {
      const file = {
        path: join(dir, 'sub', 'f.conf'),
        content: 'a = 1\n$HOME `x`\n',
        mode: '640',
        item: 'thing',
      };
      const step = writeFileStep(file);
      const first = parseItems((await run(step)).stdout);
      expect(first).toEqual([{ item: 'thing', status: 'changed', detail: file.path }]);
      expect(readFileSync(file.path, 'utf8')).toBe(file.content);
      expect((statSync(file.path).mode & 0o777).toString(8)).toBe('640');
      expect(parseItems((await run(step)).stdout)[0].status).toBe('unchanged');
      await localExec().run(`chmod 644 ${file.path}`);
      expect(parseItems((await run(step)).stdout)[0].status).toBe('changed');
      writeFileSync(file.path, 'edited\n');
      expect(parseItems((await run(step)).stdout)[0].status).toBe('changed');
      expect(readFileSync(file.path, 'utf8')).toBe(file.content);
      const left = await localExec().run(`ls -A ${dir}/sub`);
      expect(left.stdout.trim()).toBe('f.conf');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('errors are reported with LMENV-ERROR and a non-zero exit', async () => {
    const r = await run('lmenv_item a unchanged\nfalse\nlmenv_item b unchanged');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/LMENV-ERROR line \d+: false/);
    expect(parseItems(r.stdout).map((i) => i.item)).toEqual(['a']);
  });

  test('lmenv_ensure_packages checks with dpkg-query and installs nothing when present', async () => {
    const r = await run('lmenv_ensure_packages packages bash coreutils');
    expect(parseItems(r.stdout)).toEqual([
      { item: 'packages', status: 'unchanged', detail: 'bash coreutils' },
    ]);
  });

  test('service detection: this test process is not under a systemd PID 1 in its namespaces', async () => {
    const r = await localExec().run(`${LMENV_LIB}\nlmenv_detect_init`);
    const pid1 = readFileSync('/proc/1/comm', 'utf8').trim();
    expect(r.stdout.trim()).toBe(pid1 === 'systemd' ? 'systemd' : 'direct');
  });
});

describe('parseItems', () => {
  test('reads item lines and ignores everything else', () => {
    expect(
      parseItems(
        'noise\nLMENV-ITEM nat changed loaded x y\r\nLMENV-ITEM sysctl unchanged\nLMENV-ITEM bad maybe\n',
      ),
    ).toEqual([
      { item: 'nat', status: 'changed', detail: 'loaded x y' },
      { item: 'sysctl', status: 'unchanged' },
    ]);
  });
});
