import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment, EnvHost, EnvironmentFile } from '../env/environment.js';
import { parseThinpool, thinpoolSection } from '../hostconfig/thinpool.js';
import type { ScriptSection } from '../hostconfig/types.js';
import { UserError } from '../env/errors.js';
import { configureHosts, formatApplyResult, type ApplyResult } from '../configure/apply.js';
import { flintlockSection, labStandin, type FlintlockArtifact } from '../configure/flintlock.js';
import { hostExec } from '../providers/access.js';
import type { UpStep } from './up.js';

export interface ConfigureOptions {
  /** One line of output, already prefixed with the host ("[hub] …"). */
  log(line: string): void;
  signal?: AbortSignal;
}

/** Where flintlock hosts get flintlockd: the lab publishes its stand-in on the lab internet. */
export function publishFlintlockArtifact(envFile: EnvironmentFile): FlintlockArtifact {
  const env = envFile.data;
  const internet = env.lab?.internet;
  if (env.provider === 'lab' && internet?.docRoot) {
    const a = labStandin();
    mkdirSync(internet.docRoot, { recursive: true });
    const file = join(internet.docRoot, 'flintlockd');
    writeFileSync(file, a.bytes);
    chmodSync(file, 0o644);
    return {
      url: new URL('flintlockd', internet.httpUrl).href,
      sha256: a.sha256,
      version: a.version,
      requiresContainerd: false,
    };
  }
  throw new UserError(
    `installing flintlock on ${env.provider} hosts needs the flintlockd release checksum, which this build cannot pin; only the lab provider is supported`,
  );
}

/**
 * configure-network: renders each host's apply script (VLAN, and on the hub forwarding, NAT, DHCP,
 * DNS; on flintlock hosts flintlockd on the private address) and runs it once per host over SSH,
 * hosts in parallel. Never throws for a host's failure: see the result.
 */
export async function configureEnvironment(
  envFile: EnvironmentFile,
  o: ConfigureOptions,
): Promise<ApplyResult> {
  const env = envFile.data;
  const artifact = publishFlintlockArtifact(envFile);
  return configureHosts(env, env.hosts, {
    sectionsFor: (h) => (h.role === 'flintlock' ? flintlockHostSections(env, h, artifact) : []),
    execFor: (h) => hostExec(envFile, h.name, { signal: o.signal }),
    log: o.log,
    signal: o.signal,
  });
}

/** A flintlock host's extra sections: its thin pool (when asked for), then flintlockd. */
function flintlockHostSections(env: Environment, h: EnvHost, artifact: FlintlockArtifact): ScriptSection[] {
  const tp = parseThinpool(env.services.thinpool ?? 'none');
  return [...(tp && tp !== 'none' ? [thinpoolSection(tp)] : []), flintlockSection(env, h, artifact)];
}

export const configureStep: UpStep = {
  name: 'configure',
  async run(ctx) {
    const r = await configureEnvironment(ctx.envFile, {
      log: (l) => ctx.progress('configure', l),
      signal: ctx.signal,
    });
    for (const line of formatApplyResult(r).split('\n')) ctx.progress('configure', line);
    if (!r.ok) throw new Error(`configure-network failed on ${r.failed.join(', ')}`);
  },
};
