import * as core from '@actions/core';
import { join } from 'node:path';
import type { CliIO } from '../../cli/command.js';
import { UserError } from '../../env/errors.js';
import { ENV_FILE_INPUT } from './definitions.js';

/**
 * The CLI's IO on top of the toolkit: lines go to the log, and the runner's cancel (SIGINT, then
 * SIGTERM 7.5 s later) aborts the work so the Environment file stays complete for the post step.
 */
export function actionIO(): CliIO & { progress(scope: string, message: string): void } {
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      core.warning(`lm-env: ${sig} received, stopping; the post step/teardown removes what exists`);
      controller.abort(new Error(`cancelled (${sig})`));
    });
  }
  const started = Date.now();
  const lines = (t: string): void => {
    for (const l of t.replace(/\n$/, '').split('\n')) core.info(l);
  };
  return {
    out: lines,
    err: lines,
    signal: controller.signal,
    progress: (scope, message) =>
      core.info(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${scope}: ${message}`),
  };
}

/** The env-file input, or the default under RUNNER_TEMP. */
export function envFileInput(required: boolean): string {
  const given = core.getInput(ENV_FILE_INPUT.name);
  if (given) return given;
  if (required) {
    throw new UserError(
      `input env-file is required: pass the env-file output of provision-metal (or of the root action)`,
    );
  }
  return join(process.env.RUNNER_TEMP ?? process.cwd(), 'lm-env', 'environment.json');
}
