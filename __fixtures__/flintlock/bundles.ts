import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(process.cwd());

/**
 * Builds the stand-in and client bundles with ncc exactly as scripts/build.mjs does (one entry each,
 * ESM, package.json {"type":"module"} beside, every other emitted asset dropped as build.mjs drops
 * them), into a temp dir. Tests run the bundles, not the
 * sources, which also proves the embedded protos load from dist/<bundle>/index.js.
 */
export function buildFlintlockBundles(): { dir: string; standin: string; client: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lm-fl-dist-'));
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const out: Record<string, string> = {};
  for (const [name, src] of [
    ['flintlockd-standin', 'src/flintlock/standin/main.ts'],
    ['flintlock-client', 'src/flintlock/client-cli.ts'],
  ]) {
    const o = join(dir, name);
    execFileSync(
      process.execPath,
      [ncc, 'build', join(root, src), '-o', o, '--quiet', '--target', 'es2022'],
      {
        stdio: 'inherit',
      },
    );
    for (const f of readdirSync(o))
      if (f !== 'index.js') rmSync(join(o, f), { recursive: true, force: true });
    writeFileSync(join(o, 'package.json'), '{ "type": "module" }\n');
    out[name] = join(o, 'index.js');
  }
  return { dir, standin: out['flintlockd-standin'], client: out['flintlock-client'] };
}
