import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The CLI bundle to spawn (what `npm run build` makes as dist/cli/index.js): $LM_ENV_CLI when set,
 * else built here with ncc into a temp dir so the test runs the current sources.
 */
export function builtCli(): { path: string; dir?: string } {
  if (process.env.LM_ENV_CLI) return { path: process.env.LM_ENV_CLI };
  const root = join(import.meta.dirname ?? process.cwd(), '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'lm-cli-'));
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  execFileSync(
    process.execPath,
    [ncc, 'build', join(root, 'src/cli/index.ts'), '-o', dir, '--quiet', '--target', 'es2022'],
    {
      stdio: 'ignore',
    },
  );
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return { path: join(dir, 'index.js'), dir };
}
