import * as core from '@actions/core';
import { UserError } from '../../env/errors.js';
import { envFileInput } from '../common/io.js';
import { teardownEnvironment } from '../common/teardown.js';
import { runAction } from '../common/run.js';

// Deletes everything an Environment file records (then sweeps by owner); idempotent.
await runAction('teardown', async () => {
  const remaining = await teardownEnvironment(envFileInput(true));
  core.setOutput('remaining', JSON.stringify(remaining));
  if (remaining.length)
    throw new UserError(`teardown left ${remaining.length} resource(s): ${remaining.join(', ')}`);
});
