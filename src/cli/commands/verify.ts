import { EnvironmentFile } from '../../env/environment.js';
import { verifyEnvironment } from '../../core/verify.js';
import { formatCheck, summarize } from '../../verify/checks.js';
import type { Command } from '../command.js';
import { ENV_FILE_OPTIONS, envFilePath } from './env-options.js';

export const verifyCommand: Command = {
  name: 'verify',
  summary:
    'Check the environment from the outside: a probe microVM per host gets a planned lease, resolves, reaches the internet through NAT; flintlock answers; nothing private is reachable from the public side.',
  takesSpec: false,
  options: [...ENV_FILE_OPTIONS, { name: 'json', boolean: true, description: 'Print the results as JSON' }],
  async run({ options }, io) {
    const envFile = EnvironmentFile.load(envFilePath(options));
    const results = await verifyEnvironment(envFile, {
      signal: io.signal,
      onResult: options.json ? undefined : (r) => io.out(`${formatCheck(r)}\n`),
    });
    envFile.update((e) => (e.verify = { at: new Date().toISOString(), results }));
    if (options.json)
      io.out(
        `${JSON.stringify({ id: envFile.data.id, ok: results.every((r) => r.ok), results }, null, 2)}\n`,
      );
    else io.out(`${summarize(results)}\n`);
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
