import * as core from '@actions/core';
import { randomEnvironmentId } from '../../env/ids.js';
import { resolveInputs } from '../../env/plan.js';
import { renderPlanMarkdown } from '../../env/render.js';
import { readSpecInputs } from '../common/inputs.js';
import { planOutputs } from '../common/outputs.js';
import { runAction } from '../common/run.js';

await runAction('lm-env', async () => {
  const { spec, plan } = resolveInputs(readSpecInputs(), { id: randomEnvironmentId(), now: new Date() });
  for (const [k, v] of Object.entries(planOutputs(plan))) core.setOutput(k, v);
  core.setOutput('dry-run', String(spec.dryRun));
  if (spec.dryRun) {
    await core.summary.addRaw(renderPlanMarkdown(plan, 'lm-env plan (dry run: nothing created)')).write();
    core.info(`dry run: plan for ${plan.id} written to the outputs; nothing was created`);
    return;
  }
  throw new Error(
    `provider '${spec.provider}' cannot bring environments up in this build yet; use dry-run: true`,
  );
});
