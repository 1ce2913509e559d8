import * as core from '@actions/core';
import { EnvironmentFile } from '../../env/environment.js';
import { UserError } from '../../env/errors.js';
import { joinOutputs, maskingRedactor, readTailnetInputs } from '../../tailnet/action-io.js';
import { joinTailnet, tailnetSettingsFor } from '../../tailnet/join-step.js';
import { runAction } from '../common/run.js';

// Makes the hub a subnet router and this runner an ephemeral node that reaches the VLAN.
await runAction('join-tailscale', async () => {
  const raw = readTailnetInputs((n) => core.getInput(n));
  // Masked before anything else can print them; minted keys are masked as they appear.
  const redactor = maskingRedactor(raw, (s) => core.setSecret(s));
  const path = core.getInput('env-file');
  if (!path)
    throw new UserError('join-tailscale: env-file is required (the env-file output of provision-metal)');
  const envFile = EnvironmentFile.load(path);
  const settings = tailnetSettingsFor(envFile.data.provider, raw);
  core.saveState('env-file', path);
  const r = await joinTailnet(envFile, {
    settings,
    redactor,
    progress: (m) => core.info(redactor.redact(m)),
    log: (l) => core.debug(redactor.redact(l)),
    runner: envFile.data.provider === 'lab' ? 'lab' : 'local',
  });
  for (const [k, v] of Object.entries(joinOutputs(r))) core.setOutput(k, v);
});
