import type { EnvironmentFile } from '../env/environment.js';
import { localExec } from '../exec/local.js';
import type { Exec } from '../exec/types.js';
import { hostExec, labNamespaceExec } from '../providers/access.js';
import { runChecks, summarize, formatCheck, type Check, type CheckResult } from '../verify/checks.js';
import { environmentChecks } from '../verify/environment.js';
import type { UpStep } from './up.js';
import { tailnetChecks } from '../tailnet/checks.js';

/** Further checks other parts add (e.g. the tailnet's), given the Environment file. */
export const extraVerifyChecks: ((envFile: EnvironmentFile) => Check[])[] = [tailnetChecks];

/**
 * Looks at the environment from the outside and reports each check with pass/fail and timing.
 * Private endpoints are reached through an SSH tunnel via the hub, as an operator would.
 */
export async function verifyEnvironment(
  envFile: EnvironmentFile,
  o: { onResult?: (r: CheckResult) => void; signal?: AbortSignal } = {},
): Promise<CheckResult[]> {
  const env = envFile.data;
  const execs = new Map<string, Promise<Exec>>();
  const exec = (name: string): Promise<Exec> => {
    if (!execs.has(name)) execs.set(name, hostExec(envFile, name, { signal: o.signal }));
    return execs.get(name)!;
  };
  const hub = env.hosts.find((h) => h.role === 'hub')!;
  const lab = env.provider === 'lab';
  try {
    const checks = [
      ...environmentChecks({
        env,
        hostExec: exec,
        publicExec: lab ? labNamespaceExec(env, 'inet') : localExec(),
        dial: async (endpoint) => {
          const [ip, port] = endpoint.split(':');
          const hubExec = await exec(hub.name);
          if (!hubExec.forward) throw new Error(`${hubExec.target} cannot forward ports`);
          return hubExec.forward(ip, Number(port));
        },
        lab,
      }),
      ...extraVerifyChecks.flatMap((f) => f(envFile)),
    ];
    return await runChecks(checks, o.onResult, o.signal);
  } finally {
    for (const p of execs.values()) await p.then((e) => e.close()).catch(() => undefined);
  }
}

export const verifyStep: UpStep = {
  name: 'verify',
  async run(ctx) {
    const results = await verifyEnvironment(ctx.envFile, {
      signal: ctx.signal,
      onResult: (r) => ctx.progress('verify', formatCheck(r)),
    });
    ctx.envFile.update((e) => (e.verify = { at: new Date().toISOString(), results }));
    ctx.progress('verify', summarize(results));
    const failed = results.filter((r) => !r.ok);
    if (failed.length)
      throw new Error(`verify: ${failed.length} check(s) failed: ${failed.map((f) => f.name).join('; ')}`);
  },
};
