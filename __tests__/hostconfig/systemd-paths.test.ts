import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localExec } from '../../src/exec/local.js';
import { parseItems } from '../../src/hostconfig/items.js';
import { LMENV_LIB } from '../../src/hostconfig/lib.js';
import { firewalldSection } from '../../src/hostconfig/nat-firewalld.js';
import { nftablesCleanupSection } from '../../src/hostconfig/nat-nftables.js';
import { testPlan } from '../../__fixtures__/hostconfig/plans.js';

/**
 * The systemd and firewalld branches of the script cannot run for real here (no systemd, no
 * firewalld): they run against fake systemctl/firewall-cmd, in a fresh network namespace and a
 * private mount namespace whose /etc and /run are throw-away, so nothing on this machine changes.
 */
const FAKEBIN = resolve('__fixtures__/hostconfig/fakebin');
const isRoot = process.getuid?.() === 0;
const d = isRoot ? describe : describe.skip;

d('systemd and firewalld branches (fakes, isolated namespaces)', () => {
  let dir: string;
  let state: string;

  beforeEach(() => {
    dir = mkdtempSync('/tmp/lm-sdpaths-');
    state = join(dir, 'state');
    for (const p of ['state', 'etc-up', 'etc-work']) mkdirSync(join(dir, p));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (body: string, env: Record<string, string> = {}) => {
    const script = join(dir, 'run.sh');
    writeFileSync(
      script,
      `set -Eeuo pipefail\n${LMENV_LIB}\nLMENV_INIT=systemd\nmkdir -p "$LMENV_RUN"\n${body}\n`,
    );
    const inner =
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${dir}/etc-up,workdir=${dir}/etc-work /etc && ` +
      `mount -t tmpfs tmpfs /run && PATH=${FAKEBIN}:$PATH FAKE_STATE=${state} bash ${script}`;
    return localExec().run(`unshare --net --mount --propagation private bash -c '${inner}'`, {
      env,
      timeoutMs: 30_000,
    });
  };
  const calls = (): string[] => {
    const f = join(state, 'calls');
    const c = existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n') : [];
    rmSync(f, { force: true });
    return c;
  };
  const mutating = (c: string[]): string[] =>
    c.filter(
      (l) => !/ (is-enabled|is-active|show|--version|--state|--info-policy|--direct --get-all-rules)/.test(l),
    );

  test('lmenv_service under systemd: enable+start once, then nothing, restart only when asked', async () => {
    const body =
      'lmenv_service dhcp-dnsmasq dnsmasq "$R" lm-env-dnsmasq.service true\necho "R=$LMENV_CHANGED $LMENV_SERVICE_DETAIL"';
    const first = await run(body, { R: '0' });
    expect(first.stdout).toContain('R=1 enabled started (lm-env-dnsmasq.service, pid 4242)');
    expect(mutating(calls())).toEqual([
      'systemctl enable --quiet lm-env-dnsmasq.service',
      'systemctl start lm-env-dnsmasq.service',
    ]);
    const second = await run(body, { R: '0' });
    expect(second.stdout).toContain('R=0 running (lm-env-dnsmasq.service, pid 4242)');
    expect(mutating(calls())).toEqual([]);
    const third = await run(body, { R: '1' });
    expect(third.stdout).toContain('R=1 restarted');
    expect(mutating(calls())).toEqual(['systemctl restart lm-env-dnsmasq.service']);
    const stop = await run(
      'lmenv_stop_service dhcp-dnsmasq dnsmasq lm-env-dnsmasq.service\necho "S=$LMENV_CHANGED"',
    );
    expect(stop.stdout).toContain('S=1');
    expect(mutating(calls())).toEqual(['systemctl disable --now --quiet lm-env-dnsmasq.service']);
  });

  const plan = testPlan();
  const fwBody = firewalldSection(plan) + nftablesCleanupSection();

  test('firewalld ≥ 0.9: zones and policies written, reloaded once, then unchanged', async () => {
    const r1 = await run(fwBody, { FAKE_FW_VERSION: '1.3.0' });
    expect([r1.code, r1.stderr]).toEqual([0, '']);
    expect(parseItems(r1.stdout)).toEqual([
      { item: 'nat', status: 'changed', detail: 'firewalld 1.3.0 (policies) reloaded' },
      { item: 'nat-leftovers', status: 'unchanged', detail: 'nftables table ip lm_env' },
    ]);
    expect(mutating(calls())).toEqual(['systemctl enable --now --quiet firewalld', 'firewall-cmd --reload']);
    const up = join(dir, 'etc-up/firewalld');
    expect(readFileSync(join(up, 'policies/lm-env-vlan-egress.xml'), 'utf8')).toContain('<masquerade/>');
    expect(existsSync(join(up, 'zones/lm-env-vlan.xml'))).toBe(true);
    expect(existsSync(join(up, 'direct.xml'))).toBe(false);

    const r2 = await run(fwBody, { FAKE_FW_VERSION: '1.3.0' });
    expect(parseItems(r2.stdout)[0]).toEqual({
      item: 'nat',
      status: 'unchanged',
      detail: 'firewalld 1.3.0 (policies)',
    });
    expect(mutating(calls())).toEqual([]);
  });

  test('firewalld < 0.9: the direct-rules fallback replaces the policy files', async () => {
    await run(fwBody, { FAKE_FW_VERSION: '1.0.0' });
    calls();
    const r = await run(fwBody, { FAKE_FW_VERSION: '0.8.2' });
    expect(parseItems(r.stdout)[0]).toEqual({
      item: 'nat',
      status: 'changed',
      detail: 'firewalld 0.8.2 (direct) reloaded',
    });
    const up = join(dir, 'etc-up/firewalld');
    expect(readFileSync(join(up, 'direct.xml'), 'utf8')).toContain('-o bond0 -j MASQUERADE');
    expect(existsSync(join(up, 'policies/lm-env-vlan-egress.xml'))).toBe(false);
  });

  test('firewalld refuses to run without systemd, with a clear reason', async () => {
    const r = await run(`LMENV_INIT=direct\n${fwBody}`, { FAKE_FW_VERSION: '1.3.0' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('firewalld needs systemd');
  });
});
