import { renderPlanText } from '../../env/render.js';
import { randomEnvironmentId } from '../../env/ids.js';
import { resolveInputs } from '../../env/plan.js';
import { bringUp, upSummary } from '../../core/up.js';
import type { Command } from '../command.js';
import { ENV_FILE_OPTIONS, envFilePath, progressPrinter } from './env-options.js';

export const upCommand: Command = {
  name: 'up',
  summary:
    'Create the environment (lab: namespaces on this machine), configure it and verify it; writes the Environment file. Needs root for the lab.',
  takesSpec: true,
  options: [
    ...ENV_FILE_OPTIONS,
    {
      name: 'until',
      description: 'Stop after this step: provision | configure | tailnet | verify (default: all)',
    },
    {
      name: 'keep-on-failure',
      boolean: true,
      description: 'When a step fails, keep what was created (default: tear it down)',
    },
  ],
  async run({ spec: raw, options }, io) {
    const started = Date.now();
    const progress = progressPrinter(io.err, started);
    const path = envFilePath(options);
    const { spec, plan } = resolveInputs(raw, { id: randomEnvironmentId(), now: new Date() });
    if (spec.dryRun) {
      io.out(renderPlanText(plan));
      return 0;
    }
    const { code, envFile } = await bringUp(raw, {
      path,
      io,
      progress,
      keepOnFailure: Boolean(options['keep-on-failure']),
      until: typeof options.until === 'string' ? options.until : undefined,
    });
    if (code === 0 && envFile) io.out(upSummary(envFile, ((Date.now() - started) / 1000).toFixed(1)));
    return code;
  },
};
