import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { makeTestSshd, type TestSshd } from '../../__fixtures__/exec/sshd.js';
import { connectSsh, hostKeyAlgorithms, remoteCommand, type SshTarget } from '../../src/exec/ssh.js';
import { ExecError, type Exec } from '../../src/exec/types.js';
import { generateHostKey } from '../../src/keys/generate.js';

// Real sshd on 127.0.0.1 (random port, temp dir). Needs root (sshd drops privileges per session).
let sshd: TestSshd;
let exec: Exec;
const opened: Exec[] = [];

function target(over: Partial<SshTarget> = {}): SshTarget {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    privateKey: sshd.client.privateKey,
    hostKey: sshd.hostKey.publicKey,
    label: 'local',
    connectTimeoutMs: 5000,
    ...over,
  };
}

async function open(over: Partial<SshTarget> = {}): Promise<Exec> {
  const e = await connectSsh(target(over));
  opened.push(e);
  return e;
}

beforeAll(async () => {
  sshd = await makeTestSshd();
  await sshd.start();
  exec = await open();
});

afterAll(async () => {
  for (const e of opened) await e.close();
  await sshd.cleanup();
});

describe('remoteCommand', () => {
  test('runs bash with quoting that survives single quotes and env values', () => {
    expect(remoteCommand("echo 'a'", { X: "it's" })).toBe(
      `exec bash -c 'export X='\\''it'\\''\\'\\'''\\''s'\\''; echo '\\''a'\\'''`,
    );
    expect(() => remoteCommand('true', { 'BAD-NAME': 'x' })).toThrow(/invalid environment variable/);
    expect(remoteCommand('true', undefined, 'abc')).toBe(`exec env LM_ENV_EXEC=abc bash -c 'true'`);
  });

  test('host key algorithms follow the pinned key type', () => {
    expect(hostKeyAlgorithms('ssh-ed25519')).toEqual(['ssh-ed25519']);
    expect(hostKeyAlgorithms('ssh-rsa')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});

describe('connectSsh against a real sshd', () => {
  test('pinned key: runs a command, exit code, stdout, stderr, stdin and env', async () => {
    const r = await exec.run('echo out; echo err >&2; cat; echo "$FOO"; exit 3', {
      input: 'in\n',
      env: { FOO: "b'ar" },
    });
    expect(r).toEqual({ code: 3, stdout: `out\nin\nb'ar\n`, stderr: 'err\n' });
    expect(exec.target).toBe(`ssh root@127.0.0.1:${sshd.port} (local)`);
  });

  test('wrong pinned key: refused with a clear message and no retry', async () => {
    const other = generateHostKey('lm-test', 'other');
    const started = Date.now();
    const err = await connectSsh(target({ hostKey: other.publicKey, retryForMs: 5000 })).catch((e) => e);
    expect(err).toBeInstanceOf(ExecError);
    expect((err as ExecError).reason).toBe('host-key');
    expect((err as Error).message).toBe(
      `host key mismatch for 127.0.0.1:${sshd.port} (local): expected ${other.fingerprint}, got ${sshd.hostKey.fingerprint} — refusing to connect`,
    );
    expect(Date.now() - started).toBeLessThan(4000);
  });

  test('a garbled pinned key is refused before connecting', async () => {
    const err = await connectSsh(target({ hostKey: 'ssh-ed25519 bm90LWEta2V5' })).catch((e) => e);
    expect((err as ExecError).reason).toBe('host-key');
  });

  test('per-command timeout kills the remote process tree and the connection stays usable', async () => {
    const marker = `lm-timeout-${process.pid}-${Date.now()}`;
    const started = Date.now();
    const err = await exec
      .run(`(exec -a ${marker} sleep 30) & wait; echo never`, { timeoutMs: 500 })
      .catch((e) => e);
    expect((err as ExecError).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
    // the remote process is gone (signal request or channel close)
    let left = '';
    for (let i = 0; i < 20; i++) {
      left = (await exec.run(`pgrep -f '^${marker}' || true`)).stdout.trim();
      if (left === '') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe('');
    expect((await exec.run('echo still')).stdout).toBe('still\n');
  });

  test('abort signal stops a running command', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const err = await exec.run('sleep 30', { signal: ac.signal }).catch((e) => e);
    expect((err as ExecError).reason).toBe('aborted');
    const pre = await exec.run('true', { signal: ac.signal }).catch((e) => e);
    expect((pre as ExecError).reason).toBe('aborted');
  });

  test('upload writes atomically with the given mode, binary-safe', async () => {
    const path = `${sshd.dir}/sub/dir/file.bin`;
    const data = Buffer.from([0, 1, 2, 255, 10, 13, 0]);
    await exec.upload(data, path, 0o600);
    const r = await exec.run(`stat -c %a ${path}; od -An -tx1 ${path}; ls ${sshd.dir}/sub/dir`);
    expect(r.stdout.split('\n').map((l) => l.trim())).toEqual([
      '600',
      '00 01 02 ff 0a 0d 00',
      'file.bin',
      '',
    ]);
    await exec.upload('hello\n', path, 0o755);
    expect((await exec.run(`stat -c %a ${path}; cat ${path}`)).stdout).toBe('755\nhello\n');
  });

  test('connection refused is retried until sshd comes up', async () => {
    await sshd.stop();
    const pending = open({ retryForMs: 15000 });
    await new Promise((r) => setTimeout(r, 1200));
    await sshd.start();
    const e = await pending;
    expect((await e.run('echo up')).stdout).toBe('up\n');
    exec = e;
  });

  test('retrying gives up at the deadline with the refusal as the reason', async () => {
    const { freePort } = await import('../../__fixtures__/exec/sshd.js');
    const port = await freePort();
    const started = Date.now();
    const err = await connectSsh(target({ port, retryForMs: 800 })).catch((e) => e);
    expect((err as ExecError).reason).toBe('connect');
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('abort while waiting for a booting host', async () => {
    const { freePort } = await import('../../__fixtures__/exec/sshd.js');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const err = await connectSsh(
      target({ port: await freePort(), retryForMs: 20000, signal: ac.signal }),
    ).catch((e) => e);
    expect((err as ExecError).reason).toBe('aborted');
  });

  test('an RSA host key (e.g. a static host made elsewhere) is pinned the same way', async () => {
    const file = `${sshd.dir}/rsa_key`;
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', file]);
    const rsa = {
      privateKey: readFileSync(file, 'utf8'),
      publicKey: readFileSync(`${file}.pub`, 'utf8').trim(),
      fingerprint: '',
    };
    await sshd.stop();
    await sshd.start(rsa);
    const e = await open({ hostKey: rsa.publicKey });
    expect((await e.run('echo rsa')).stdout).toBe('rsa\n');
    const err = await connectSsh(target()).catch((x) => x);
    expect((err as ExecError).reason).toBe('host-key');
    await sshd.stop();
    await sshd.start();
  });

  test('a host whose sshd restarted with another key is refused', async () => {
    await sshd.stop();
    await sshd.start(generateHostKey('lm-test', 'impostor'));
    const err = await connectSsh(target()).catch((e) => e);
    expect((err as ExecError).reason).toBe('host-key');
    expect((err as Error).message).toMatch(
      /host key mismatch for 127\.0\.0\.1:\d+ \(local\): expected SHA256:.*, got SHA256:.* — refusing to connect/,
    );
    await sshd.stop();
    await sshd.start();
  });
});
