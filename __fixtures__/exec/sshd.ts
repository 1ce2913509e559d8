import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateClientKey, generateHostKey, type SshKeyPair } from '../../src/keys/generate.js';

/** A real OpenSSH server on 127.0.0.1 with a temp config dir: for SSH exec tests (needs root). */
export interface TestSshd {
  port: number;
  dir: string;
  client: SshKeyPair;
  hostKey: SshKeyPair;
  start(hostKey?: SshKeyPair): Promise<void>;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 10000): Promise<void> {
  const { connect } = await import('node:net');
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function makeTestSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'lm-sshd-'));
  const port = await freePort();
  const client = generateClientKey('lm-test');
  const hostKey = generateHostKey('lm-test', 'local');
  // sshd's privilege-separation dir; removed again by cleanup() when this fixture made it.
  const madePrivsep = !existsSync('/run/sshd');
  if (madePrivsep) mkdirSync('/run/sshd', { mode: 0o755 });
  writeFileSync(join(dir, 'authorized_keys'), `${client.publicKey}\n`, { mode: 0o600 });
  let child: ChildProcess | undefined;
  const t: TestSshd = {
    port,
    dir,
    client,
    hostKey,
    async start(key = hostKey) {
      writeFileSync(join(dir, 'host_key'), key.privateKey, { mode: 0o600 });
      writeFileSync(
        join(dir, 'sshd_config'),
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${join(dir, 'host_key')}`,
          `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
          'PidFile none',
          'UsePAM no',
          'StrictModes no',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin prohibit-password',
          '',
        ].join('\n'),
      );
      child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.resume();
      await waitForPort(port);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((r) => {
        c.once('exit', () => r());
        c.kill('SIGTERM');
      });
    },
    async cleanup() {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
      if (madePrivsep) rmSync('/run/sshd', { recursive: true, force: true });
    },
  };
  return t;
}
