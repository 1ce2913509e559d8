import * as core from '@actions/core';
import { bringUp } from '../../core/up.js';
import { randomEnvironmentId } from '../../env/ids.js';
import { resolveInputs } from '../../env/plan.js';
import { renderPlanMarkdown } from '../../env/render.js';
import { EnvironmentFile } from '../../env/environment.js';
import { UserError } from '../../env/errors.js';
import { passTailnetInputs } from '../common/tailnet-inputs.js';
import { readSpecInputs } from '../common/inputs.js';
import { actionIO, envFileInput } from '../common/io.js';
import { planOutputs } from '../common/outputs.js';
import { publishEnvironment } from '../common/environment-outputs.js';
import { runAction } from '../common/run.js';

// Root action, main: validate; on dry-run publish the plan; else bring the environment up and hand
// the Environment file to the post step (which tears it down unless keep: true).
await runAction('lm-env', async () => {
  const raw = readSpecInputs();
  const { spec, plan } = resolveInputs(raw, { id: randomEnvironmentId(), now: new Date() });
  core.setOutput('dry-run', String(spec.dryRun));
  if (spec.dryRun) {
    for (const [k, v] of Object.entries(planOutputs(plan))) core.setOutput(k, v);
    await core.summary.addRaw(renderPlanMarkdown(plan, 'lm-env plan (dry run: nothing created)')).write();
    core.info(`dry run: plan for ${plan.id} written to the outputs; nothing was created`);
    return;
  }
  passTailnetInputs();
  const path = envFileInput(false);
  const io = actionIO();
  // Saved before anything exists: a cancelled main still gets its post step.
  core.saveState('env-file', path);
  core.saveState('keep', String(spec.keep));
  const { code, envFile } = await bringUp(raw, { path, io, progress: io.progress });
  if (envFile && EnvironmentFile.exists(path))
    await publishEnvironment(envFile.data, path, 'lm-env environment');
  if (code !== 0) throw new UserError(`bringing the environment up failed (exit ${code}); see the log above`);
});
