import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';

/**
 * OpenSSH encodings of ed25519 keys, written by hand so lm-env needs no ssh-keygen:
 * the public line ("ssh-ed25519 AAAA… comment") and the unencrypted "openssh-key-v1" private key
 * that sshd (HostKey) and ssh2 (client auth) both read. Pure apart from the random check integer.
 */

const KEY_TYPE = 'ssh-ed25519';
const AUTH_MAGIC = 'openssh-key-v1\0';

/** SSH wire "string": uint32 length + bytes. */
function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** The public key blob as it goes on the wire and into authorized_keys (base64 of this). */
export function ed25519PublicBlob(publicKey32: Buffer): Buffer {
  if (publicKey32.length !== 32)
    throw new Error(`an ed25519 public key has 32 bytes, got ${publicKey32.length}`);
  return Buffer.concat([sshString(KEY_TYPE), sshString(publicKey32)]);
}

export function publicKeyLine(publicKey32: Buffer, comment = ''): string {
  const line = `${KEY_TYPE} ${ed25519PublicBlob(publicKey32).toString('base64')}`;
  return comment ? `${line} ${comment}` : line;
}

/**
 * Serializes an unencrypted openssh-key-v1 private key. `checkInt` is normally random: sshd only
 * compares the two copies to detect a wrong passphrase; tests pass a fixed one.
 */
export function opensshPrivateKey(
  seed32: Buffer,
  publicKey32: Buffer,
  comment = '',
  checkInt = randomBytes(4).readUInt32BE(),
): string {
  if (seed32.length !== 32) throw new Error(`an ed25519 private seed has 32 bytes, got ${seed32.length}`);
  const blob = ed25519PublicBlob(publicKey32);
  let priv = Buffer.concat([
    uint32(checkInt),
    uint32(checkInt),
    sshString(KEY_TYPE),
    sshString(publicKey32),
    sshString(Buffer.concat([seed32, publicKey32])),
    sshString(comment),
  ]);
  // Cipher "none" has a block size of 8; pad with 1, 2, 3, … as the format requires.
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from(AUTH_MAGIC, 'binary'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(blob),
    sshString(priv),
  ]);
  const b64 = body
    .toString('base64')
    .replace(/(.{70})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** Raw 32-byte halves of a node:crypto ed25519 key pair (via JWK, which exposes them unwrapped). */
export function rawEd25519(privateKey: KeyObject): { seed: Buffer; publicKey: Buffer } {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x) throw new Error('not an ed25519 private key');
  return { seed: Buffer.from(jwk.d, 'base64url'), publicKey: Buffer.from(jwk.x, 'base64url') };
}

/** Parses "ssh-ed25519 AAAA… [comment]" (or any "type base64" line) into its type and blob. */
export function parsePublicKeyLine(line: string): { type: string; blob: Buffer } {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2) throw new Error('not an OpenSSH public key line (expected "type base64 [comment]")');
  const blob = Buffer.from(parts[1], 'base64');
  // The blob starts with its own type string: a cheap check that the line was not mangled.
  const inner = blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('utf8') : '';
  if (inner !== parts[0])
    throw new Error(`public key line is corrupt: type ${parts[0]} but blob says ${inner || '?'}`);
  return { type: parts[0], blob };
}

/** OpenSSH-style fingerprint of a key blob: "SHA256:" + unpadded base64 of its SHA-256. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function fingerprintOfLine(line: string): string {
  return fingerprintOfBlob(parsePublicKeyLine(line).blob);
}

/** Recovers the public key line from a PKCS8 PEM (e.g. for keys written by older code or tools). */
export function publicLineFromPkcs8(pem: string, comment = ''): string {
  const pub = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' });
  if (!pub.x) throw new Error('not an ed25519 key');
  return publicKeyLine(Buffer.from(pub.x, 'base64url'), comment);
}
