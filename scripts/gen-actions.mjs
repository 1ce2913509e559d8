#!/usr/bin/env node
// Writes every action.yml from src/actions/common/definitions.ts. Run after changing inputs or outputs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Transpile the few pure modules needed into a temp dir (imports already end in .js).
const out = mkdtempSync(join(tmpdir(), 'lm-env-gen-'));
const files = [
  'src/env/inputs.ts',
  'src/tailnet/inputs.ts',
  'src/actions/common/definitions.ts',
  'src/actions/common/action-yml.ts',
];
for (const f of files) {
  const js = ts.transpileModule(readFileSync(join(root, f), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dest = join(out, f.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, js);
}
writeFileSync(join(out, 'package.json'), '{"type":"module"}');
// resolve 'yaml' from the project's node_modules
mkdirSync(join(out, 'node_modules'), { recursive: true });
symlinkSync(join(root, 'node_modules', 'yaml'), join(out, 'node_modules', 'yaml'));
try {
  const { ACTIONS } = await import(pathToFileURL(join(out, 'src/actions/common/definitions.js')).href);
  const { renderActionYml, updateReadmeTables } = await import(
    pathToFileURL(join(out, 'src/actions/common/action-yml.js')).href
  );
  for (const a of ACTIONS) {
    mkdirSync(join(root, a.dir), { recursive: true });
    writeFileSync(join(root, a.dir, 'action.yml'), renderActionYml(a));
  }
  const readme = join(root, 'README.md');
  writeFileSync(readme, updateReadmeTables(readFileSync(readme, 'utf8'), ACTIONS));
  console.log(`wrote ${ACTIONS.length} action.yml files and the README tables`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
