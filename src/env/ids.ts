import { randomBytes } from 'node:crypto';

/** A fresh environment id: lm- and 6 hex digits (short, because it ends up in interface names). */
export function randomEnvironmentId(): string {
  return `lm-${randomBytes(3).toString('hex')}`;
}
