import * as core from '@actions/core';
import { bringUp } from '../../core/up.js';
import { EnvironmentFile } from '../../env/environment.js';
import { UserError } from '../../env/errors.js';
import { randomEnvironmentId } from '../../env/ids.js';
import { resolveInputs } from '../../env/plan.js';
import { readSpecInputs } from '../common/inputs.js';
import { actionIO, envFileInput } from '../common/io.js';
import { planOutputs } from '../common/outputs.js';
import { publishEnvironment } from '../common/environment-outputs.js';
import { runAction } from '../common/run.js';

// Creates the hosts and the VLAN (no configuration yet) and writes the Environment file.
await runAction('provision-metal', async () => {
  const raw = readSpecInputs();
  const { spec, plan } = resolveInputs(raw, { id: randomEnvironmentId(), now: new Date() });
  if (spec.dryRun) {
    for (const [k, v] of Object.entries(planOutputs(plan))) core.setOutput(k, v);
    core.info(`dry run: plan for ${plan.id} written to the outputs; nothing was created`);
    return;
  }
  const path = envFileInput(false);
  const io = actionIO();
  const { code, envFile } = await bringUp(raw, { path, io, progress: io.progress, until: 'provision' });
  if (envFile && EnvironmentFile.exists(path))
    await publishEnvironment(envFile.data, path, 'lm-env provision-metal');
  if (code !== 0) throw new UserError(`provisioning failed (exit ${code}); see the log above`);
});
