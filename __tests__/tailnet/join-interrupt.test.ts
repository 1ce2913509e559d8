import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, envIdOf, leftovers } from '../../__fixtures__/lab/lab.js';
import type { Environment } from '../../src/env/environment.js';
import { LAB_BIN_DIR } from '../../src/tailnet/lab-control.js';
import { distBundle } from '../../__fixtures__/dist.js';

/**
 * `lm-env up` killed in the middle of the tailnet join: everything the join had created is in the
 * Environment file already, and `down` removes it all (headscale, both tailscaled, files). Uses the
 * CLI and the flintlock stand-in built from the current sources. Needs root and the tailnet binaries.
 */

const IS_ROOT = process.getuid?.() === 0;
const HAVE = ['tailscale', 'tailscaled', 'headscale'].every((b) => existsSync(join(LAB_BIN_DIR, b)));
const d = IS_ROOT && HAVE ? describe : describe.skip;

let dir = '';
let cliPath = '';
const envs: string[] = [];

/** Starts `up` and sends `sig` once stderr matches `when`. */
function upAndKill(
  envPath: string,
  when: RegExp,
  sig: NodeJS.Signals,
): Promise<{ code: number | null; err: string }> {
  envs.push(envPath);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [cliPath, 'up', '--provider', 'lab', '--hosts', '1', '--env', envPath],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      if (!sent && when.test(err)) {
        sent = true;
        child.kill(sig);
      }
    });
    child.on('exit', (code) => resolve({ code, err }));
  });
}

const recorded = (envPath: string): string[] =>
  (JSON.parse(readFileSync(envPath, 'utf8')) as Environment).resources.map(
    (r) => `${r.kind}:${r.name ?? ''}`,
  );

async function downClean(envPath: string): Promise<string> {
  const id = envIdOf(envPath);
  const r = await cli(['down', '--env', envPath]);
  expect([r.code, r.err.split('\n').filter((l) => /FAILED|still present|remain/.test(l))]).toEqual([0, []]);
  expect(await leftovers(id)).toEqual([]);
  return r.err;
}

d('an interrupted tailnet join', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lm-tailnet-intr-'));
    cliPath = distBundle('cli');
  });

  afterAll(async () => {
    for (const e of envs) if (existsSync(e)) await cli(['down', '--env', e]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('SIGKILL right after the hub joined: the join so far is recorded; down removes all of it', async () => {
    const env = join(dir, 'kill.json');
    const r = await upAndKill(env, /tailnet: hub: node \d+ .*route approved/, 'SIGKILL');
    expect(r.code).toBeNull();
    expect(recorded(env)).toEqual(
      expect.arrayContaining([
        'process:headscale',
        'process:tailscaled (hub)',
        `tailnet-node:${envIdOf(env)}-hub`,
      ]),
    );
    const err = await downClean(env);
    expect(err).toContain('tailnet: hub: tailscale logout');
  }, 300_000);

  it('SIGINT while the runner joins: exit 130, then down removes everything', async () => {
    const env = join(dir, 'int.json');
    const r = await upAndKill(env, /tailnet: hub: node \d+ .*route approved/, 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.err).toContain('interrupted during tailnet');
    await downClean(env);
  }, 300_000);
});
