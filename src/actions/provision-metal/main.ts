import * as core from '@actions/core';
import { randomEnvironmentId } from '../../env/ids.js';
import { resolveInputs } from '../../env/plan.js';
import { readSpecInputs } from '../common/inputs.js';
import { planOutputs } from '../common/outputs.js';
import { runAction } from '../common/run.js';

await runAction('provision-metal', async () => {
  const { spec, plan } = resolveInputs(readSpecInputs(), { id: randomEnvironmentId(), now: new Date() });
  for (const [k, v] of Object.entries(planOutputs(plan))) core.setOutput(k, v);
  if (!spec.dryRun) throw new Error('provision-metal: not available in this build yet; use dry-run: true');
});
