import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { runCli } from '../../src/cli/main.js';
import { listOwnedLab } from '../../src/providers/lab/teardown.js';
import { labNames } from '../../src/providers/lab/names.js';
import { CLAIMS_DIR, LAB_RUN_DIR } from '../../src/providers/lab/claims.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process, like the binary would (its own abort signal). */
export async function cli(
  argv: string[],
  signal: AbortSignal = new AbortController().signal,
): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), signal });
  return { code, out, err };
}

/** Everything on this machine that carries the environment's id: must be empty after `down`. */
export async function leftovers(envId: string): Promise<string[]> {
  const n = labNames(envId);
  const found: string[] = [];
  for (const r of await listOwnedLab(envId)) found.push(`${r.kind} ${r.id}`);
  for (const ns of existsSync('/run/netns') ? readdirSync('/run/netns') : []) {
    if (ns.startsWith(n.nsPrefix)) found.push(`netns ${ns}`);
  }
  for (const l of readdirSync('/sys/class/net')) if (l.startsWith(n.linkPrefix)) found.push(`link ${l}`);
  if (existsSync(`${LAB_RUN_DIR}/${envId}`)) found.push(`dir ${LAB_RUN_DIR}/${envId}`);
  for (const c of existsSync(CLAIMS_DIR) ? readdirSync(CLAIMS_DIR) : []) {
    try {
      if (readFileSync(`${CLAIMS_DIR}/${c}`, 'utf8').includes(envId)) found.push(`claim ${c}`);
    } catch {
      // removed meanwhile
    }
  }
  // Live processes whose command line names the environment (zombies have none).
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(envId) && Number(p) !== process.pid) found.push(`process ${p} ${cmd.slice(0, 80)}`);
    } catch {
      // exited
    }
  }
  return [...new Set(found)];
}

export function envIdOf(envPath: string): string {
  return (JSON.parse(readFileSync(envPath, 'utf8')) as { id: string }).id;
}
