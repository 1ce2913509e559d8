import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blocksFor, granules, overlaps, prefixFor, type Block } from './addresses.js';

/**
 * Claims a public block for an environment on this machine. Each /28 granule of the block is a
 * file created with O_EXCL under /run/lm-env/claims (atomic across concurrent `up`s) holding the
 * environment id; blocks that overlap a route or address already in the root namespace are skipped.
 */
export const LAB_RUN_DIR = '/run/lm-env';
export const CLAIMS_DIR = join(LAB_RUN_DIR, 'claims');

export function claimPath(granule: string): string {
  return join(CLAIMS_DIR, `${granule}_28`);
}

/**
 * A claim is stale when its environment has no inet namespace (an environment claims only after
 * creating it) and the claim is older than a minute (so a `down` racing us is not misread).
 */
function isStale(path: string): boolean {
  try {
    const owner = readFileSync(path, 'utf8').trim();
    const age = Date.now() - statSync(path).mtimeMs;
    return /^lm-[a-z0-9]{1,8}$/.test(owner) && !existsSync(`/run/netns/${owner}-inet`) && age > 60000;
  } catch {
    return false;
  }
}

export function claimBlock(
  envId: string,
  hosts: number,
  rootRoutes: string[],
): { block: Block; files: string[] } {
  mkdirSync(CLAIMS_DIR, { recursive: true, mode: 0o755 });
  const prefix = prefixFor(hosts);
  for (const block of blocksFor(envId, prefix)) {
    if (rootRoutes.some((r) => overlaps(block, r))) continue;
    const taken: string[] = [];
    let ok = true;
    for (const g of granules(block)) {
      const p = claimPath(g);
      if (existsSync(p) && isStale(p)) rmSync(p, { force: true });
      try {
        writeFileSync(p, `${envId}\n`, { flag: 'wx', mode: 0o644 });
        taken.push(p);
      } catch {
        ok = false;
        break;
      }
    }
    if (ok) return { block, files: taken };
    for (const p of taken) rmSync(p, { force: true });
  }
  throw new Error(
    `no free public block /${prefix} left in the lab ranges for ${envId} (too many environments up at once?); ` +
      `see ${CLAIMS_DIR}`,
  );
}

/** Claim files that belong to an environment (for the sweep). */
export function claimsOf(envId: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(CLAIMS_DIR);
  } catch {
    return [];
  }
  return entries
    .map((e) => join(CLAIMS_DIR, e))
    .filter((p) => {
      try {
        return readFileSync(p, 'utf8').trim() === envId;
      } catch {
        return false;
      }
    });
}
