import * as core from '@actions/core';
import { tearDown } from '../../core/down.js';
import { EnvironmentFile } from '../../env/environment.js';
import { providerFor } from '../../providers/index.js';
import { actionIO } from './io.js';

/** Tears down the environment in `path`; returns what remains (empty when clean). Missing file = done. */
export async function teardownEnvironment(path: string): Promise<string[]> {
  if (!EnvironmentFile.exists(path)) {
    core.info(`nothing to tear down: ${path} does not exist`);
    return [];
  }
  const envFile = EnvironmentFile.load(path);
  const provider = providerFor(envFile.data.provider);
  await provider.preflight();
  const io = actionIO();
  const ok = await tearDown(envFile, provider, io.progress, io.err);
  return ok ? [] : envFile.data.resources.map((r) => `${r.kind} ${r.id}`);
}
