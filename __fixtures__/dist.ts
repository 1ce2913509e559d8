import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A committed bundle, dist/<out>/index.js: what the actions and the `lm-env` binary run. Tests spawn
 * these rather than building their own; __tests__/build/dist.test.ts fails when dist/ is not the
 * build of src/, so they always run the current sources.
 */
export function distBundle(out: string): string {
  const p = join(process.cwd(), 'dist', out, 'index.js');
  if (!existsSync(p)) throw new Error(`${p} is missing: run 'npm run build'`);
  return p;
}
