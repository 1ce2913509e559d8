import { describe, expect, test, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { generateClientKey, generateHostKey } from '../../src/keys/generate.js';
import {
  fingerprintOfLine,
  opensshPrivateKey,
  parsePublicKeyLine,
  publicKeyLine,
} from '../../src/keys/openssh.js';

const dir = mkdtempSync(join(tmpdir(), 'lm-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, pem: string): string {
  const p = join(dir, name);
  writeFileSync(p, pem, { mode: 0o600 });
  return p;
}

describe('openssh key serialization', () => {
  test('ssh-keygen -y recovers the same public key from our private key', () => {
    const k = generateClientKey('lm-abc123');
    const recovered = execFileSync('ssh-keygen', ['-y', '-f', keyFile('client', k.privateKey)], {
      encoding: 'utf8',
    });
    expect(recovered.trim().split(' ').slice(0, 2)).toEqual(k.publicKey.split(' ').slice(0, 2));
    expect(k.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* lm-env lm-abc123$/);
  });

  test('our fingerprint equals ssh-keygen -l', () => {
    const k = generateHostKey('lm-abc123', 'host1');
    const pub = join(dir, 'host.pub');
    writeFileSync(pub, `${k.publicKey}\n`);
    const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' });
    expect(line.split(' ')[1]).toBe(k.fingerprint);
    expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  test('ssh2 parses the private key and derives the same public blob', () => {
    const k = generateClientKey('lm-abc123');
    const parsed = ssh2.utils.parseKey(k.privateKey);
    expect(parsed).not.toBeInstanceOf(Error);
    const key = Array.isArray(parsed) ? parsed[0] : (parsed as ssh2.ParsedKey);
    expect(key.type).toBe('ssh-ed25519');
    expect(key.getPublicSSH().toString('base64')).toBe(k.publicKey.split(' ')[1]);
  });

  test('is deterministic for a fixed check integer and pads to 8 bytes', () => {
    const seed = Buffer.alloc(32, 1);
    const pub = Buffer.alloc(32, 2);
    const a = opensshPrivateKey(seed, pub, 'c', 0x01020304);
    expect(opensshPrivateKey(seed, pub, 'c', 0x01020304)).toBe(a);
    expect(a.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n')).toBe(true);
    const body = Buffer.from(a.split('\n').slice(1, -2).join(''), 'base64');
    expect(body.subarray(0, 15).toString('binary')).toBe('openssh-key-v1\0');
    for (const l of a.split('\n').slice(1, -2)) expect(l.length).toBeLessThanOrEqual(70);
    // Walk the fields: magic, cipher, kdf, kdfopts, nkeys, public blob, private section.
    let off = 15;
    const str = (): Buffer => {
      const n = body.readUInt32BE(off);
      const v = body.subarray(off + 4, off + 4 + n);
      off += 4 + n;
      return v;
    };
    expect([str().toString(), str().toString(), str().length]).toEqual(['none', 'none', 0]);
    expect(body.readUInt32BE(off)).toBe(1);
    off += 4;
    str();
    const priv = str();
    expect(off).toBe(body.length);
    expect(priv.length % 8).toBe(0);
    expect(priv.readUInt32BE(0)).toBe(0x01020304);
    expect(priv.readUInt32BE(4)).toBe(0x01020304);
    expect(() => opensshPrivateKey(Buffer.alloc(31), pub)).toThrow(/32 bytes/);
  });

  test('parsePublicKeyLine rejects a mangled line', () => {
    const line = publicKeyLine(Buffer.alloc(32, 7), 'x');
    expect(parsePublicKeyLine(line).type).toBe('ssh-ed25519');
    expect(() => parsePublicKeyLine('ssh-rsa ' + line.split(' ')[1])).toThrow(/corrupt/);
    expect(() => parsePublicKeyLine('garbage')).toThrow(/not an OpenSSH public key line/);
    expect(fingerprintOfLine(line)).toMatch(/^SHA256:/);
  });
});
