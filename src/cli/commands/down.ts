import { EnvironmentFile } from '../../env/environment.js';
import { providerFor } from '../../providers/index.js';
import { tearDown } from '../../core/down.js';
import type { Command } from '../command.js';
import { ENV_FILE_OPTIONS, envFilePath, progressPrinter } from './env-options.js';

export const downCommand: Command = {
  name: 'down',
  summary:
    'Delete everything an environment created (by the Environment file, then by name), also after an interrupted up. Idempotent.',
  takesSpec: false,
  options: [...ENV_FILE_OPTIONS],
  async run({ options }, io) {
    const started = Date.now();
    const progress = progressPrinter(io.err, started);
    const path = envFilePath(options);
    if (!EnvironmentFile.exists(path)) {
      io.out(`nothing to tear down: ${path} does not exist (already down?)\n`);
      return 0;
    }
    const envFile = EnvironmentFile.load(path);
    const provider = providerFor(envFile.data.provider);
    await provider.preflight();
    const id = envFile.data.id;
    const ok = await tearDown(envFile, provider, progress, io.err);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (ok) io.out(`environment ${id} is down (${secs}s)\n`);
    return ok ? 0 : 1;
  },
};
