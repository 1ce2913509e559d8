import { EnvironmentFile } from '../../env/environment.js';
import { providerFor } from '../../providers/index.js';
import type { Command } from '../command.js';
import { ENV_FILE_OPTIONS, envFilePath } from './env-options.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show what an environment has created and whether each thing still exists (present/missing).',
  takesSpec: false,
  options: [...ENV_FILE_OPTIONS, { name: 'json', boolean: true, description: 'Print the states as JSON' }],
  async run({ options }, io) {
    const envFile = EnvironmentFile.load(envFilePath(options));
    const env = envFile.data;
    const provider = providerFor(env.provider);
    const states = await provider.status(envFile);
    if (options.json) {
      io.out(
        `${JSON.stringify(
          {
            id: env.id,
            provider: env.provider,
            steps: env.steps ?? {},
            hosts: env.hosts.map((h) => ({ name: h.name, publicIp: h.publicIp, privateIp: h.privateIp })),
            resources: states.map((s) => ({ ...s.resource, present: s.present })),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const present = states.filter((s) => s.present).length;
    const lines = [
      `environment ${env.id} (${env.provider}): ${present} of ${states.length} resource(s) present`,
      ...Object.entries(env.steps ?? {}).map(([k, v]) => `  step ${k}: ${v.ok ? 'ok' : 'FAILED'} at ${v.at}`),
      ...env.hosts.map((h) => `  host ${h.name}: public ${h.publicIp ?? '-'}, private ${h.privateIp}`),
      ...states.map(
        (s) =>
          `  ${s.present ? 'present' : 'missing'}  ${s.resource.kind.padEnd(7)} ${s.resource.id}${
            s.resource.name ? ` (${s.resource.name})` : ''
          }${s.resource.host ? ` [${s.resource.host}]` : ''}`,
      ),
    ];
    io.out(`${lines.join('\n')}\n`);
    return 0;
  },
};
