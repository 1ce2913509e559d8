import * as core from '@actions/core';
import { UserError, ValidationError } from '../../env/errors.js';

/** Runs an action entry: failures become one clear `core.setFailed`; bad input exits 2. */
export async function runAction(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof ValidationError || e instanceof UserError) {
      core.setFailed(`${name}: ${e.message}`);
      process.exitCode = e instanceof ValidationError ? 2 : e.exitCode;
      return;
    }
    core.setFailed(`${name}: ${(e as Error).stack ?? String(e)}`);
  }
}
