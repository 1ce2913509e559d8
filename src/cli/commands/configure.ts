import { EnvironmentFile } from '../../env/environment.js';
import { configureEnvironment } from '../../core/configure.js';
import { formatApplyResult } from '../../configure/apply.js';
import type { Command } from '../command.js';
import { ENV_FILE_OPTIONS, envFilePath, progressPrinter } from './env-options.js';

export const configureCommand: Command = {
  name: 'configure',
  summary:
    'Configure VLAN, NAT, DHCP, DNS and flintlock on every host of an existing environment (idempotent: a second run reports no changes).',
  takesSpec: false,
  options: [
    ...ENV_FILE_OPTIONS,
    { name: 'json', boolean: true, description: 'Print the per-host results as JSON' },
  ],
  async run({ options }, io) {
    const envFile = EnvironmentFile.load(envFilePath(options));
    const progress = progressPrinter(io.err);
    const r = await configureEnvironment(envFile, {
      log: (l) => progress('configure', l),
      signal: io.signal,
    });
    io.out(options.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatApplyResult(r)}\n`);
    return r.ok ? 0 : 1;
  },
};
