import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentFile, environmentFromPlan } from '../../src/env/environment.js';
import { UserError } from '../../src/env/errors.js';
import { planFromRaw } from '../../src/env/plan.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lm-env-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const plan = planFromRaw({}, { id: 'lm-abc123', now: new Date('2026-11-27T10:00:00Z') });

describe('EnvironmentFile', () => {
  test('create writes a versioned file whose network and hosts match the plan', () => {
    const path = join(dir, 'env.json');
    EnvironmentFile.create(path, environmentFromPlan(plan));
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk.version).toBe(1);
    expect(onDisk.id).toBe('lm-abc123');
    expect(onDisk.network).toEqual(plan.network);
    expect(onDisk.hosts).toEqual(plan.hosts);
    expect(onDisk.resources).toEqual([]);
  });

  test('addResource persists immediately and a fresh load sees it', () => {
    const path = join(dir, 'env.json');
    const f = EnvironmentFile.create(path, environmentFromPlan(plan));
    f.addResource({ kind: 'netns', id: 'lm-abc123-hub', host: 'hub' });
    const again = EnvironmentFile.load(path);
    expect(again.data.resources).toHaveLength(1);
    expect(again.data.resources[0]).toMatchObject({ kind: 'netns', id: 'lm-abc123-hub', host: 'hub' });
    f.addResource({ kind: 'netns', id: 'lm-abc123-hub', host: 'hub' });
    expect(EnvironmentFile.load(path).data.resources).toHaveLength(1);
    f.removeResource('netns', 'lm-abc123-hub');
    expect(EnvironmentFile.load(path).data.resources).toHaveLength(0);
  });

  test('saves atomically: no temp files are left beside it', () => {
    const path = join(dir, 'env.json');
    const f = EnvironmentFile.create(path, environmentFromPlan(plan));
    for (let i = 0; i < 20; i++) f.addResource({ kind: 'process', id: String(i) });
    expect(readdirSync(dir)).toEqual(['env.json']);
  });

  test('private key is written beside the file with mode 0600 and never into it', () => {
    const path = join(dir, 'env.json');
    const f = EnvironmentFile.create(path, environmentFromPlan(plan));
    const secret = '-----BEGIN OPENSSH PRIVATE KEY-----\ncanary-secret\n-----END OPENSSH PRIVATE KEY-----\n';
    const keyPath = f.writePrivateKey(secret);
    expect(keyPath).toBe(`${path}.key`);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain('canary-secret');
    expect(f.readPrivateKey()).toBe(secret);
  });

  test('load: a missing file says how to get one', () => {
    expect(() => EnvironmentFile.load(join(dir, 'nope.json'))).toThrow(
      /not found: pass the file written by 'lm-env up'/,
    );
  });

  test('load: corrupt JSON is reported as corrupt', () => {
    const path = join(dir, 'env.json');
    writeFileSync(path, '{"version": 1, "id": ');
    expect(() => EnvironmentFile.load(path)).toThrow(UserError);
    expect(() => EnvironmentFile.load(path)).toThrow(/is corrupt/);
  });

  test('load: a newer version asks for an upgrade', () => {
    const path = join(dir, 'env.json');
    writeFileSync(path, JSON.stringify({ ...environmentFromPlan(plan), version: 2 }));
    expect(() => EnvironmentFile.load(path)).toThrow(/newer lm-env \(file version 2/);
  });

  test('load: missing fields are named', () => {
    const path = join(dir, 'env.json');
    const { resources: _r, ...rest } = environmentFromPlan(plan);
    writeFileSync(path, JSON.stringify(rest));
    expect(() => EnvironmentFile.load(path)).toThrow(/field 'resources' is missing/);
  });

  test('remove deletes the file and its key', () => {
    const path = join(dir, 'env.json');
    const f = EnvironmentFile.create(path, environmentFromPlan(plan));
    f.writePrivateKey('k');
    f.remove();
    expect(readdirSync(dir)).toEqual([]);
  });
});
