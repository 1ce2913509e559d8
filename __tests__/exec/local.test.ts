import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localExec } from '../../src/exec/local.js';
import { netnsExec } from '../../src/exec/netns.js';
import { ExecError, runChecked } from '../../src/exec/types.js';

const dir = mkdtempSync(join(tmpdir(), 'lm-env-exec-'));
const ns = `lm-t${process.pid.toString(16)}-exec`;
const isRoot = process.getuid?.() === 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (isRoot) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
});

/** Running (a zombie waiting for a reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('local exec', () => {
  const exec = localExec();
  test('captures exit code, stdout and stderr; stdin is passed', async () => {
    const r = await exec.run('read x; echo "got $x"; echo oops >&2; exit 3', { input: 'hello\n' });
    expect(r).toEqual({ code: 3, stdout: 'got hello\n', stderr: 'oops\n' });
  });

  test('a hung command is killed at the timeout, with its children', async () => {
    const pidFile = join(dir, 'child.pid');
    const started = Date.now();
    await expect(exec.run(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 300 })).rejects.toMatchObject(
      {
        reason: 'timeout',
      },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(child)).toBe(false);
  });

  test('abort stops a running command', async () => {
    const ac = new AbortController();
    const p = exec.run('sleep 30', { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.toBeInstanceOf(ExecError);
  });

  test('streams output as it comes', async () => {
    const chunks: string[] = [];
    await exec.run('echo one; echo two', { onStdout: (c) => chunks.push(c) });
    expect(chunks.join('')).toBe('one\ntwo\n');
  });

  test('upload writes atomically with the mode', async () => {
    const f = join(dir, 'sub', 'file');
    await exec.upload('secret', f, 0o600);
    expect(readFileSync(f, 'utf8')).toBe('secret');
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  test('runChecked throws with the output on failure', async () => {
    await expect(runChecked(exec, 'echo broken >&2; exit 4')).rejects.toThrow(/exit 4[\s\S]*broken/);
  });
});

(isRoot ? describe : describe.skip)('netns exec', () => {
  test('runs inside the namespace and uploads there', async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    const exec = netnsExec({ netns: ns, label: 'test' });
    const r = await exec.run('ip -o link show | wc -l');
    expect(r.code).toBe(0);
    expect(Number(r.stdout.trim())).toBe(1); // only lo: a fresh namespace
    const f = join(dir, 'netns-file');
    await exec.upload(Buffer.from([0, 1, 2, 255]), f, 0o640);
    expect([...readFileSync(f)]).toEqual([0, 1, 2, 255]);
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(exec.target).toBe(`netns ${ns} (test)`);
  });
});
