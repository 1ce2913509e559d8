import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, envIdOf, leftovers } from '../../__fixtures__/lab/lab.js';
import { upSteps, type UpContext } from '../../src/core/up.js';
import { downSteps } from '../../src/core/down.js';
import { EnvironmentFile } from '../../src/env/environment.js';
import { parseSpecOrThrow } from '../../src/env/spec.js';
import { labNamespaceExec } from '../../src/providers/access.js';
import { providerFor } from '../../src/providers/index.js';
import { runChecks } from '../../src/verify/checks.js';
import { tcpConnectFrom } from '../../src/tailnet/join.js';
import { LAB_BIN_DIR } from '../../src/tailnet/lab-control.js';
import { tailnetChecks } from '../../src/tailnet/checks.js';
import { tailnetDownStep } from '../../src/tailnet/teardown.js';
import { distBundle } from '../../__fixtures__/dist.js';

/**
 * The lab's tailnet end to end: `lm-env up --tailscale off` builds hub + 2 flintlock hosts
 * (configured: VLAN, NAT, DHCP, flintlock stand-in on private addresses); the registered `tailnet`
 * step of `up` then joins the hub (subnet router, over SSH) and the runner namespace to the lab's own
 * headscale; flintlock answers gRPC from the runner through the tailnet and from nowhere else;
 * the tailnet part of `down` leaves headscale without nodes; `down` leaves nothing. Needs root,
 * the tailnet binaries (scripts/build-tailnet.sh) and the bundles (npm run build).
 */

const IS_ROOT = process.getuid?.() === 0;
const HAVE = ['tailscale', 'tailscaled', 'headscale'].every((b) => existsSync(join(LAB_BIN_DIR, b)));
const d = IS_ROOT && HAVE ? describe : describe.skip;
if (!HAVE) console.warn('lab-join: skipped, run scripts/build-tailnet.sh');
/** The shipped flintlock client bundle, run inside the runner namespace. */
let CLIENT = '';

beforeAll(() => {
  if (IS_ROOT && HAVE) CLIENT = distBundle('flintlock-client');
}, 180_000);

afterAll(() => {});

/** A whole headscale key: hskey-auth-<12-char prefix>-<secret>, both base64url (may contain - and _). */
const KEY_RE = /hskey-(auth|api)-[A-Za-z0-9_-]{12}-[A-Za-z0-9_-]{20,}/;

let dir = '';
let envPath = '';
let envId = '';
let output = '';
const progressLines: string[] = [];
const timings: Record<string, number> = {};

function file(): EnvironmentFile {
  return EnvironmentFile.load(envPath);
}

function headscaleNodes(): { name: string }[] {
  const env = file().data;
  const cfg = join(env.lab!.dir!, 'tailnet', 'headscale', 'config.yaml');
  const out = execFileSync(
    'nsenter',
    [
      `--net=/run/netns/${env.lab!.internet!.netns}`,
      join(LAB_BIN_DIR, 'headscale'),
      '-c',
      cfg,
      'nodes',
      'list',
      '-o',
      'json',
    ],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out.trim() || '[]') ?? []) as { name: string }[];
}

/** gRPC ListMicroVMs with the flintlock client bundle, run inside a namespace. */
function listMicroVMs(netns: string, endpoint: string): { code: number; out: string } {
  try {
    const out = execFileSync(
      'nsenter',
      [
        `--net=/run/netns/${netns}`,
        process.execPath,
        CLIENT,
        '--endpoint',
        endpoint,
        '--timeout-ms',
        '5000',
        'list',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 },
    );
    return { code: 0, out };
  } catch (e) {
    const err = e as { status?: number; stderr?: string };
    return { code: err.status ?? -1, out: err.stderr ?? '' };
  }
}

async function reachable(which: 'runner' | 'inet'): Promise<boolean[]> {
  const env = file().data;
  const exec = labNamespaceExec(env, which);
  return Promise.all(env.flintlock.endpoints.map((ep) => tcpConnectFrom(exec, ep)));
}

d('lab tailnet: hub subnet router + ephemeral runner on the lab headscale', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lm-tailnet-'));
    envPath = join(dir, 'env.json');
    // The real `up` (provision, configure, verify) with the tailnet left out, so the state before
    // the join can be looked at; the tailnet step of `up` runs below.
    const up = await cli([
      'up',
      '--provider',
      'lab',
      '--hosts',
      '2',
      '--tailscale',
      'off',
      '--env-file',
      envPath,
    ]);
    output += up.out + up.err;
    if (existsSync(envPath)) envId = envIdOf(envPath);
    if (up.code !== 0) throw new Error(`up failed:\n${up.err}`);
    expect(file().data.steps?.configure?.ok).toBe(true);
  }, 300_000);

  afterAll(async () => {
    if (envPath && existsSync(envPath)) {
      const down = await cli(['down', '--env-file', envPath]);
      output += down.out + down.err;
    }
    if (envId) expect(await leftovers(envId)).toEqual([]);
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`lab-join timings: ${JSON.stringify(timings)}`);
  }, 120_000);

  it('before joining, neither the runner nor the public side reaches any flintlock endpoint', async () => {
    expect(await reachable('runner')).toEqual([false, false]);
    expect(await reachable('inet')).toEqual([false, false]);
  }, 60_000);

  it('the tailnet step of up joins hub and runner; every endpoint answers ListMicroVMs from the runner', async () => {
    const names = upSteps.map((s) => s.name);
    expect(names.indexOf('tailnet')).toBeGreaterThan(names.indexOf('configure'));
    expect(names.indexOf('tailnet')).toBeLessThan(names.indexOf('verify'));
    const envFile = file();
    const spec = parseSpecOrThrow({ provider: 'lab', hosts: '2' });
    expect(spec.tailscale).toBe('on');
    const ctx: UpContext = {
      envFile,
      spec,
      provider: providerFor('lab'),
      signal: new AbortController().signal,
      progress: (scope, m) => {
        progressLines.push(`${scope}: ${m}`);
        output += `${scope}: ${m}\n`;
      },
      io: { out: (t) => (output += t), err: (t) => (output += t), signal: new AbortController().signal },
    };
    const t0 = Date.now();
    await upSteps.find((s) => s.name === 'tailnet')!.run(ctx);
    timings.joinToReachableMs = Date.now() - t0;
    console.log(`lab-join: join start → all flintlock endpoints reachable: ${timings.joinToReachableMs} ms`);

    const t = file().data.tailscale!;
    expect(t.routeStatus).toBe('live');
    expect(t.labControl).toBe(true);
    expect(t.runner?.ip).toMatch(/^100\./);
    expect(t.hub?.nodeId).toBeTruthy();
    expect(t.runner?.nodeId).toBeTruthy();
    const kinds = file().data.resources.map((r) => `${r.kind}:${r.name ?? ''}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'process:headscale',
        'process:tailscaled (hub)',
        'process:tailscaled (runner)',
        'tailnet-node:' + t.hub!.hostname,
        'tailnet-node:' + t.runner!.hostname,
      ]),
    );
    // Minted keys were single-use and revoked right after use.
    expect(file().data.resources.filter((r) => r.kind === 'auth-key')).toEqual([]);
    expect(
      headscaleNodes()
        .map((n) => n.name)
        .sort(),
    ).toEqual([t.hub!.hostname, t.runner!.hostname].sort());

    const env = file().data;
    for (const ep of env.flintlock.endpoints) {
      const r = listMicroVMs(env.lab!.runner!.netns, ep);
      expect([ep, r.code]).toEqual([ep, 0]);
    }
    // A namespace on the public side that never joined still cannot reach them.
    expect(await reachable('inet')).toEqual([false, false]);
    for (const ep of env.flintlock.endpoints)
      expect(listMicroVMs(env.lab!.internet!.netns, ep).code).not.toBe(0);
  }, 300_000);

  it('neither daemon reached for anything outside the lab (no log uploads, only the lab DERP)', () => {
    const env = file().data;
    const t = env.tailscale!;
    const logs = {
      runner: readFileSync(join(t.runner!.dir, 'tailscaled.log'), 'utf8'),
      // The hub's /var/lib is an overlay whose upper layer lives in the lab directory.
      hub: readFileSync(join(env.lab!.dir!, 'hosts', 'hub', 'upper', t.hub!.dir, 'tailscaled.log'), 'utf8'),
    };
    for (const [who, text] of Object.entries(logs)) {
      expect([who, text.includes('connecting to derp-999 (lab)')]).toEqual([who, true]);
      expect([who, text.match(/[a-z0-9.-]*tailscale\.(com|io)\b/g) ?? []]).toEqual([who, []]);
      expect([who, /logtail: (upload|dial|POST)/i.test(text)]).toEqual([who, false]);
    }
  });

  it('verify: the tailnet checks pass', async () => {
    const results = await runChecks(tailnetChecks(file()));
    expect(results.map((r) => [r.name, r.ok, r.ok ? '' : r.detail])).toEqual(
      results.map((r) => [r.name, true, '']),
    );
    expect(results.length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('no secret appears in any output, log or the Environment file', () => {
    const logPath = `${envPath}.tailnet.log`;
    const all = [
      output,
      readFileSync(envPath, 'utf8'),
      existsSync(logPath) ? readFileSync(logPath, 'utf8') : '',
    ].join('\n');
    // headscale preauth keys: hskey-auth-<prefix>-<secret>; API keys hskey-api-…
    expect(`x hskey-auth-ab-cdEF_hijk-${'k_-'.repeat(22)} y`).toMatch(KEY_RE);
    expect('hskey-auth-ab-cdEF_hijk-*** (as headscale lists it)').not.toMatch(KEY_RE);
    expect(all).not.toMatch(KEY_RE);
    expect(all).toMatch(/tailscale --socket=\S+ up --reset --auth-key=file:\S+ /);
  });

  it('tailnet teardown logs out and deletes both nodes; the runner loses the route', async () => {
    expect(downSteps.map((s) => s.name).indexOf('tailnet')).toBeLessThan(
      downSteps.map((s) => s.name).indexOf('provider'),
    );
    const lines: string[] = [];
    const ok = await tailnetDownStep.run(file(), providerFor('lab'), (s, m) => lines.push(`${s}: ${m}`));
    output += lines.join('\n');
    expect([ok, lines.filter((l) => l.includes('FAILED'))]).toEqual([true, []]);
    expect(headscaleNodes()).toEqual([]);
    const env = file().data;
    expect(env.tailscale).toBeUndefined();
    expect(env.resources.filter((r) => ['tailnet-node', 'auth-key'].includes(r.kind))).toEqual([]);
    expect(env.resources.filter((r) => r.name?.startsWith('tailscaled'))).toEqual([]);
    expect(await reachable('runner')).toEqual([false, false]);
  }, 120_000);
});

d(
  'lab tailnet: the default `lm-env up` includes it, verify checks it, `down` removes it (even with the hub unreachable)',
  () => {
    let dir2 = '';
    let env2 = '';
    let id2 = '';
    let out2 = '';

    beforeAll(async () => {
      dir2 = mkdtempSync(join(tmpdir(), 'lm-tailnet-'));
      env2 = join(dir2, 'env.json');
    }, 90_000);

    afterAll(async () => {
      if (env2 && existsSync(env2)) await cli(['down', '--env-file', env2]);
      if (id2) expect(await leftovers(id2)).toEqual([]);
      if (dir2) rmSync(dir2, { recursive: true, force: true });
    }, 120_000);

    it('up → tailnet live and verified; endpoints answer from the runner; down leaves nothing', async () => {
      const up = await cli(['up', '--provider', 'lab', '--hosts', '2', '--env-file', env2]);
      out2 += up.out + up.err;
      if (existsSync(env2)) id2 = envIdOf(env2);
      expect([up.code, up.code === 0 ? '' : up.err]).toEqual([0, '']);
      const env = EnvironmentFile.load(env2).data;
      expect(env.tailscale?.routeStatus).toBe('live');
      console.log(`lab-join (default up): join start → all endpoints reachable: ${env.tailscale?.joinMs} ms`);
      const tailnetResults = env.verify!.results.filter((r) => r.name.startsWith('tailnet:'));
      expect(tailnetResults.map((r) => [r.name, r.ok])).toEqual(tailnetResults.map((r) => [r.name, true]));
      expect(tailnetResults.length).toBe(3 + env.flintlock.endpoints.length);
      for (const ep of env.flintlock.endpoints)
        expect([ep, listMicroVMs(env.lab!.runner!.netns, ep).code]).toEqual([ep, 0]);

      const logPath = `${env2}.tailnet.log`;
      const seen = [out2, readFileSync(env2, 'utf8'), readFileSync(logPath, 'utf8')].join('\n');
      expect(seen).not.toMatch(KEY_RE);

      // A hub that no longer answers SSH does not stop the rest: its node is deleted through the control
      // server, the runner logs out, and the provider removes the host with its tailscaled.
      const sshd = env.resources.find((r) => r.kind === 'process' && r.name === 'sshd' && r.host === 'hub')!;
      process.kill(Number(sshd.id), 'SIGKILL');
      const down = await cli(['down', '--env-file', env2]);
      out2 += down.out + down.err;
      expect([down.code, down.err.split('\n').filter((l) => /FAILED|remain/.test(l))]).toEqual([0, []]);
      expect(down.err).toContain('tailnet: warning: hub not reachable over SSH');
      expect(down.err).toMatch(/tailnet: runner: tailscale logout/);
      expect(down.err).toMatch(new RegExp(`tailnet: node \\d+ \\(${id2}-hub\\) deleted`));
      expect(existsSync(logPath)).toBe(false);
      expect(await leftovers(id2)).toEqual([]);
    }, 400_000);
  },
);
