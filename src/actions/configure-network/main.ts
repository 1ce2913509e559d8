import * as core from '@actions/core';
import { UserError } from '../../env/errors.js';
import { configureEnvironment } from '../../core/configure.js';
import { formatApplyResult } from '../../configure/apply.js';
import { EnvironmentFile } from '../../env/environment.js';
import { actionIO, envFileInput } from '../common/io.js';
import { runAction } from '../common/run.js';

// Configures VLAN, NAT, DHCP, DNS and flintlock on every host of the Environment file it is given.
await runAction('configure-network', async () => {
  const envFile = EnvironmentFile.load(envFileInput(true));
  const io = actionIO();
  const r = await configureEnvironment(envFile, { log: (l) => core.info(l), signal: io.signal });
  core.setOutput('changed', String(r.changed));
  core.setOutput('results', JSON.stringify(r.hosts));
  for (const line of formatApplyResult(r).split('\n')) core.info(line);
  if (!r.ok) throw new UserError(`configure-network failed on ${r.failed.join(', ')}`);
});
