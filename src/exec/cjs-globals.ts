import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// ssh2's bundled poly1305 (emscripten output) reads the CommonJS global `__dirname` when it loads.
// In our ESM bundles that global does not exist and the whole process dies at the first SSH
// connection; give it one. Imported before node-ssh/ssh2 so it runs first.
const g = globalThis as { __dirname?: string; __filename?: string };
if (typeof g.__dirname !== 'string') {
  const file = fileURLToPath(import.meta.url);
  g.__filename = file;
  g.__dirname = dirname(file);
}
