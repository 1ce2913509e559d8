import { randomEnvironmentId } from '../../env/ids.js';
import { planFromRaw } from '../../env/plan.js';
import { renderPlanText } from '../../env/render.js';
import type { Command } from '../command.js';

export const planCommand: Command = {
  name: 'plan',
  summary:
    'Validate the settings and print every address, interface and name the environment would use. Creates nothing.',
  takesSpec: true,
  options: [
    {
      name: 'json',
      boolean: true,
      description: 'Print the plan as JSON (network and hosts as in the Environment file)',
    },
  ],
  async run({ spec, options }, io) {
    const plan = planFromRaw(spec, { id: randomEnvironmentId(), now: new Date() });
    io.out(options.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanText(plan));
    return 0;
  },
};
