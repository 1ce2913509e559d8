import { generateKeyPairSync } from 'node:crypto';
import { fingerprintOfLine, opensshPrivateKey, publicKeyLine, rawEd25519 } from './openssh.js';

/** An ed25519 key pair in the encodings sshd, ssh and ssh2 read. `privateKey` is a secret: never log it. */
export interface SshKeyPair {
  /** openssh-key-v1 PEM ("-----BEGIN OPENSSH PRIVATE KEY-----"), unencrypted. */
  privateKey: string;
  /** "ssh-ed25519 AAAA… comment" */
  publicKey: string;
  /** "SHA256:…" as ssh-keygen -l prints it. */
  fingerprint: string;
}

export function generateEd25519(comment: string): SshKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const { seed, publicKey } = rawEd25519(privateKey);
  const line = publicKeyLine(publicKey, comment);
  return {
    privateKey: opensshPrivateKey(seed, publicKey, comment),
    publicKey: line,
    fingerprint: fingerprintOfLine(line),
  };
}

/** The environment's client key: its private half goes beside the Environment file (`<file>.key`, 0600). */
export function generateClientKey(envId: string): SshKeyPair {
  return generateEd25519(`lm-env ${envId}`);
}

/**
 * A host's SSH host key, made by lm-env before the host exists so it can be pinned from the start
 * (cloud hosts receive it through user-data; lab hosts' sshd reads it from their own /etc/ssh).
 */
export function generateHostKey(envId: string, hostName: string): SshKeyPair {
  return generateEd25519(`${envId}-${hostName}`);
}
