import * as core from '@actions/core';
import { EnvironmentFile } from '../../env/environment.js';
import { maskingRedactor, readTailnetInputs } from '../../tailnet/action-io.js';
import { teardownTailnet } from '../../tailnet/teardown.js';
import { runAction } from '../common/run.js';

// Post: leave the tailnet (logout, daemons stopped, nodes deleted, keys revoked). Failures are reported
// as warnings; the teardown action (or `lm-env down`) retries what is still recorded.
await runAction('join-tailscale post', async () => {
  const path = core.getState('env-file');
  if (!path || !EnvironmentFile.exists(path)) {
    core.info('nothing to leave: the environment is already gone');
    return;
  }
  const raw = readTailnetInputs((n) => core.getInput(n));
  const redactor = maskingRedactor(raw, (s) => core.setSecret(s));
  const r = await teardownTailnet(EnvironmentFile.load(path), (m) => core.info(redactor.redact(m)), raw);
  for (const f of r.failed) core.warning(redactor.redact(f));
});
