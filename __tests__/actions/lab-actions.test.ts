import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBundle, type BundleRun } from '../../__fixtures__/actions/run-bundle.js';
import { cli, envIdOf, leftovers } from '../../__fixtures__/lab/lab.js';

// The action bundles as the runner runs them, against the lab: sub-actions chained through the
// Environment file, and the root action's main → post hand-off through GITHUB_STATE.
const isRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'lm-env-actions-'));
const runs: BundleRun[] = [];
const ids: string[] = [];
afterAll(async () => {
  for (const f of ['sub.json', 'root.json']) await cli(['down', '--env', join(dir, f)]);
  runs.forEach((r) => r.cleanup());
  rmSync(dir, { recursive: true, force: true });
  for (const id of ids) expect(await leftovers(id)).toEqual([]);
}, 60_000);

async function run(
  bundle: string,
  inputs: Record<string, string>,
  state?: Record<string, string>,
): Promise<BundleRun> {
  const r = await runBundle(bundle, inputs, { state, timeoutMs: 240_000 });
  runs.push(r);
  if (r.code !== 0)
    throw new Error(
      `${bundle} exited ${r.code}:\n${r.stdout.split('\n').slice(-30).join('\n')}\n${r.stderr}`,
    );
  return r;
}

(isRoot ? describe : describe.skip)('action bundles on the lab', () => {
  test('provision-metal → configure-network (twice) → teardown', async () => {
    const envFile = join(dir, 'sub.json');
    const p = await run('dist/provision-metal/index.js', { 'env-file': envFile, hosts: '2' });
    ids.push(envIdOf(envFile));
    expect(p.outputs['env-file']).toBe(envFile);
    expect(p.outputs['flintlock-endpoints']).toBe('192.168.1.3:9090,192.168.1.4:9090');
    const c1 = await run('dist/configure-network/index.js', { 'env-file': envFile });
    expect(c1.outputs.changed).toBe('true');
    const hosts = JSON.parse(c1.outputs.results);
    expect(hosts.map((h: { host: string }) => h.host)).toEqual(['hub', 'host1', 'host2']);
    expect(hosts.find((h: { host: string }) => h.host === 'host1').changed).toContain('flintlock-binary');
    const c2 = await run('dist/configure-network/index.js', { 'env-file': envFile });
    expect(c2.outputs.changed).toBe('false');
    const t = await run('dist/teardown/index.js', { 'env-file': envFile });
    expect(t.outputs.remaining).toBe('[]');
    expect(existsSync(envFile)).toBe(false);
    const again = await run('dist/teardown/index.js', { 'env-file': envFile });
    expect(again.outputs.remaining).toBe('[]');
  }, 300_000);

  test('root action: main brings it up and verifies, post tears it down', async () => {
    const envFile = join(dir, 'root.json');
    const main = await run('dist/index.js', { 'env-file': envFile, tailscale: 'off', hosts: '2' });
    ids.push(envIdOf(envFile));
    expect(main.outputs['dry-run']).toBe('false');
    expect(main.outputs['flintlock-endpoints']).toBe('192.168.1.3:9090,192.168.1.4:9090');
    expect(main.summary).toContain('✅');
    expect(main.summary).not.toContain('❌');
    expect(main.state['env-file']).toBe(envFile);
    const post = await run('dist/post/index.js', {}, main.state);
    expect(post.stdout).toContain('removed');
    expect(existsSync(envFile)).toBe(false);
  }, 300_000);

  test('configure-network without env-file fails clearly', async () => {
    const r = await runBundle('dist/configure-network/index.js', {});
    runs.push(r);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('env-file is required');
  });
});
