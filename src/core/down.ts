import { EnvironmentFile } from '../env/environment.js';
import type { Provider } from '../providers/types.js';
import { tailnetDownStep } from '../tailnet/teardown.js';

/** One step of `down`, run in order. Later issues put theirs (e.g. tailnet cleanup) before 'provider'. */
export interface DownStep {
  name: string;
  run(
    envFile: EnvironmentFile,
    provider: Provider,
    progress: (s: string, m: string) => void,
  ): Promise<boolean>;
}

export const DOWN_PASSES = 3;

/** Deletes the provider's resources (recorded, then swept) and checks nothing owned is left. */
export const providerDownStep: DownStep = {
  name: 'provider',
  async run(envFile, provider, progress) {
    // Teardown is not interruptible: a half-done teardown is worse than a finished one.
    const ctx = { envFile, signal: new AbortController().signal, progress };
    // Another pass when something is still there: a command an interrupted `up` had started
    // (e.g. `ip netns add`) may finish only after the first sweep looked.
    for (let pass = 1; ; pass++) {
      const report = await provider.deleteAll(ctx);
      for (const r of report.swept)
        progress('down', `swept unrecorded ${r.kind} ${r.id}${r.name ? ` (${r.name})` : ''}`);
      for (const f of report.failed)
        progress('down', `FAILED to delete ${f.resource.kind} ${f.resource.id}: ${f.error}`);
      const left = await provider.listOwned(envFile.data.id);
      progress(
        'down',
        `${report.deleted.length} deleted, ${report.swept.length} swept, ${report.failed.length} failed`,
      );
      if (report.failed.length === 0 && left.length === 0) return true;
      if (pass === DOWN_PASSES) {
        for (const r of left) progress('down', `still present: ${r.kind} ${r.id}`);
        return false;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  },
};

export const downSteps: DownStep[] = [tailnetDownStep, providerDownStep];

/** Runs every down step; removes the Environment file (and its key) only when nothing is left. */
export async function tearDown(
  envFile: EnvironmentFile,
  provider: Provider,
  progress: (s: string, m: string) => void,
  err: (text: string) => void,
): Promise<boolean> {
  let ok = true;
  for (const step of downSteps) {
    try {
      ok = (await step.run(envFile, provider, progress)) && ok;
    } catch (e) {
      ok = false;
      err(`lm-env down: step ${step.name} failed: ${(e as Error).message}\n`);
    }
  }
  const remaining = envFile.data.resources;
  if (ok && remaining.length === 0) {
    envFile.remove();
    progress('down', `environment ${envFile.data.id} removed; ${envFile.path} deleted`);
    return true;
  }
  if (remaining.length > 0) {
    err(
      `lm-env down: ${remaining.length} resource(s) remain in ${envFile.path} (${remaining
        .map((r) => `${r.kind} ${r.id}`)
        .slice(0, 10)
        .join(', ')}); run 'lm-env down' again\n`,
    );
  }
  return false;
}
