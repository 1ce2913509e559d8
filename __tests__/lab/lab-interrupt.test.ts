import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli } from '../../__fixtures__/lab/built-cli.js';
import { cli, envIdOf, leftovers } from '../../__fixtures__/lab/lab.js';
import type { Environment } from '../../src/env/environment.js';
import { listOwnedLab } from '../../src/providers/lab/teardown.js';

// `up` of the built CLI killed half-way (SIGKILL, SIGINT), then `down`: nothing may be left. Needs root.
let bundle: { path: string; dir?: string };
const dir = mkdtempSync(join(tmpdir(), 'lm-intr-'));
const files: string[] = [];

beforeAll(() => {
  bundle = builtCli();
}, 180000);

afterAll(async () => {
  for (const f of files) if (existsSync(f)) await cli(['down', '--env', f]);
  rmSync(dir, { recursive: true, force: true });
}, 60000);

/** Starts `up` and sends `sig` as soon as a stderr line matches `when`. */
function upAndKill(
  envPath: string,
  when: RegExp,
  sig: NodeJS.Signals,
): Promise<{ code: number | null; signal: string | null; err: string }> {
  files.push(envPath);
  return new Promise((resolve) => {
    // --env, not --env-file: Node 20 takes --env-file anywhere on its command line for itself.
    const child = spawn(
      process.execPath,
      [bundle.path, 'up', '--provider', 'lab', '--hosts', '2', '--env', envPath],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (!sent && when.test(err)) {
        sent = true;
        child.kill(sig);
      }
    });
    child.on('exit', (code, signal) => resolve({ code, signal, err }));
  });
}

async function downAndCheck(envPath: string): Promise<void> {
  const id = envIdOf(envPath);
  const r = await cli(['down', '--env', envPath]);
  expect(r.err).not.toMatch(/FAILED|still present/);
  expect(r.code).toBe(0);
  expect(await leftovers(id)).toEqual([]);
  expect(existsSync(envPath)).toBe(false);
}

describe('failed up', () => {
  test('a failing step tears down what was created (unless --keep-on-failure)', async () => {
    // 'lo' as the VLAN parent collides with every namespace's loopback: host creation fails.
    const p = join(dir, 'fail.json');
    files.push(p);
    const r = await cli(['up', '--provider', 'lab', '--parent-interface', 'lo', '--env', p]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/step provision failed: .*File exists/);
    expect(r.err).toMatch(/tearing down what was created/);
    const id = /environment (lm-[a-z0-9]+) \(lab/.exec(r.err)![1];
    expect(await leftovers(id)).toEqual([]);
    expect(existsSync(p)).toBe(false);

    const k = await cli([
      'up',
      '--provider',
      'lab',
      '--parent-interface',
      'lo',
      '--keep-on-failure',
      '--env',
      p,
    ]);
    expect(k.code).toBe(1);
    expect(existsSync(p)).toBe(true);
    expect((await listOwnedLab(envIdOf(p))).length).toBeGreaterThan(0);
    await downAndCheck(p);
  }, 60000);
});

describe('interrupted up', () => {
  test('SIGKILL while hosts are being created, then down', async () => {
    const p = join(dir, 'kill.json');
    const r = await upAndKill(p, /host\d: link host\d \(lm-/, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    const id = envIdOf(p);
    expect((await listOwnedLab(id)).length).toBeGreaterThan(0);
    await downAndCheck(p);
  }, 60000);

  test('SIGKILL right after the first namespace, then down', async () => {
    const p = join(dir, 'early.json');
    const r = await upAndKill(p, /lab: directory /, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    await downAndCheck(p);
  }, 60000);

  test('SIGINT: exits 130, the Environment file lists everything that exists, down removes it', async () => {
    const p = join(dir, 'int.json');
    const r = await upAndKill(p, /host\d: private mounts ready/, 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/interrupted during provision/);
    const env = JSON.parse(readFileSync(p, 'utf8')) as Environment;
    const recorded = new Set(env.resources.map((x) => `${x.kind === 'mount' ? 'process' : x.kind} ${x.id}`));
    const owned = await listOwnedLab(env.id, env.resources);
    expect(owned.length).toBeGreaterThan(0);
    // A process counts as listed when it or one of its ancestors is (e.g. a `mount` the holder
    // was still running when the signal came).
    const listed = (kind: string, id: string): boolean => {
      if (recorded.has(`${kind} ${id}`)) return true;
      if (kind !== 'process') return false;
      for (let pid = Number(id); pid > 1;) {
        if (recorded.has(`process ${pid}`)) return true;
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        } catch {
          return true; // exited meanwhile: nothing left to list
        }
      }
      return false;
    };
    for (const o of owned)
      expect(`${o.kind} ${o.id} listed=${listed(o.kind, o.id)}`).toBe(`${o.kind} ${o.id} listed=true`);
    await downAndCheck(p);
  }, 60000);
});
