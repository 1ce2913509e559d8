import * as core from '@actions/core';
import { runAction } from '../common/run.js';

// Post step of the root action: tears down what main created (nothing on a dry run).
await runAction('lm-env post', async () => {
  core.info('nothing to tear down');
});
