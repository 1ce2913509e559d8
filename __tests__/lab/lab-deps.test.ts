import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/lab-deps.sh against fake dpkg-query/apt-get (no network, no real installs).
const dir = mkdtempSync(join(tmpdir(), 'lm-deps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(
  missing: string[],
  args: string[] = [],
): { code: number; out: string; log: string; policy: string } {
  const bin = join(dir, `bin-${missing.join('-') || 'none'}-${args.join('')}`);
  mkdirSync(bin, { recursive: true });
  const log = join(bin, 'apt.log');
  const policy = join(bin, 'policy-rc.d');
  writeFileSync(
    join(bin, 'dpkg-query'),
    `#!/bin/sh\nfor a; do last="$a"; done\nfor p in ${missing.join(' ') || '__none__'}; do [ "$p" = "$last" ] && exit 1; done\nprintf 'install ok installed'\n`,
    { mode: 0o755 },
  );
  // The fake apt-get records its arguments and whether service starts were forbidden at that moment.
  writeFileSync(
    join(bin, 'apt-get'),
    `#!/bin/sh\necho "$* policy=$(cat ${policy} 2>/dev/null | tail -1)" >> ${log}\n`,
    { mode: 0o755 },
  );
  const r = spawnSync('bash', ['scripts/lab-deps.sh', ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LAB_DEPS_POLICY_RC: policy },
  });
  return {
    code: r.status ?? -1,
    out: r.stdout + r.stderr,
    log: existsSync(log) ? readFileSync(log, 'utf8') : '',
    policy: existsSync(policy) ? 'present' : 'absent',
  };
}

describe('scripts/lab-deps.sh', () => {
  test('nothing missing: no apt-get at all', () => {
    const r = run([]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/all \d+ packages present/);
    expect(r.log).toBe('');
  });

  test('something missing: update + install of just that, with service starts forbidden meanwhile', () => {
    const r = run(['isc-dhcp-server', 'dnsmasq-base']);
    expect(r.code).toBe(0);
    expect(r.log.split('\n')).toEqual([
      'update -q policy=exit 101',
      'install -y -q --no-install-recommends dnsmasq-base isc-dhcp-server policy=exit 101',
      '',
    ]);
    expect(r.policy).toBe('absent'); // removed again
  });

  test('--check reports and installs nothing', () => {
    const r = run(['nftables'], ['--check']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('missing: nftables');
    expect(r.log).toBe('');
  });
});
