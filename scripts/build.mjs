#!/usr/bin/env node
// Builds one ncc bundle per entry point into dist/<name>/index.js (the root action's main is dist/index.js).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, mkdirSync, readdirSync, renameSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entries } from './entries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = process.argv[2] ?? join(root, 'dist');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

rmSync(outRoot, { recursive: true, force: true });
for (const { name, src, out } of entries) {
  const dir = join(outRoot, out);
  const tmp = join(outRoot, '.tmp', name);
  execFileSync(process.execPath, [ncc, 'build', join(root, src), '-o', tmp, '--quiet', '--target', 'es2022'], {
    stdio: 'inherit',
  });
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(tmp)) {
    if (f === 'index.js' || f.endsWith('.proto') || f === 'package.json') renameSync(join(tmp, f), join(dir, f));
  }
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  if (name === 'cli') {
    const file = join(dir, 'index.js');
    const text = readFileSync(file, 'utf8');
    if (!text.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${text}`);
    chmodSync(file, 0o755);
  }
}
rmSync(join(outRoot, '.tmp'), { recursive: true, force: true });
console.log(`built ${entries.length} bundles into ${outRoot}`);
