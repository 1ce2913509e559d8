import * as core from '@actions/core';
import { UserError } from '../../env/errors.js';
import { teardownEnvironment } from '../common/teardown.js';
import { runAction } from '../common/run.js';

// Root action, post: tears down what main created (always runs, also after a failure or cancel).
await runAction('lm-env post', async () => {
  const path = core.getState('env-file');
  if (!path) {
    core.info('nothing to tear down (dry run, or main stopped before creating anything)');
    return;
  }
  if (core.getState('keep') === 'true') {
    core.info(`keep: true — the environment stays; remove it with org/lm-env/teardown (env-file: ${path})`);
    return;
  }
  const remaining = await teardownEnvironment(path);
  if (remaining.length)
    throw new UserError(`teardown left ${remaining.length} resource(s): ${remaining.join(', ')}`);
});
