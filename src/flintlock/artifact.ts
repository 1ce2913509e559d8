import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The lab's flintlockd "release binary": the stand-in bundle (dist/flintlockd-standin/index.js) with
 * a node shebang, so it runs as /usr/local/bin/flintlockd like the real binary. (Node ≥ 20.19 loads
 * an extensionless ESM file outside any package.json as ESM.) The sha256 is computed here, at run
 * time, from the exact bytes served — there is nothing to pin for a locally built artifact.
 */
export function standinArtifact(bundlePath: string): { bytes: Buffer; sha256: string } {
  const body = readFileSync(bundlePath);
  const bytes =
    body.subarray(0, 2).toString() === '#!'
      ? body
      : Buffer.concat([Buffer.from('#!/usr/bin/env node\n'), body]);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
