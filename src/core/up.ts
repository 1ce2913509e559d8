import { resolve } from 'node:path';
import { environmentFromPlan, EnvironmentFile, writeFileAtomic } from '../env/environment.js';
import { UserError, ValidationError } from '../env/errors.js';
import { randomEnvironmentId } from '../env/ids.js';
import { resolveInputs } from '../env/plan.js';
import type { EnvSpec } from '../env/spec.js';
import { generateClientKey } from '../keys/generate.js';
import { providerFor } from '../providers/index.js';
import type { Provider, ProviderContext } from '../providers/types.js';
import type { CliIO } from '../cli/command.js';
import { configureStep } from './configure.js';
import { tearDown } from './down.js';
import { verifyStep } from './verify.js';
import { tailnetStep } from '../tailnet/join-step.js';

/** What every step of `up` gets. */
export interface UpContext extends ProviderContext {
  spec: EnvSpec;
  provider: Provider;
  io: CliIO;
}

/** One step of `up`. Later steps (configure, tailnet, verify) are appended to `upSteps`. */
export interface UpStep {
  name: string;
  /** Checks the step's own inputs before anything is created (throws ValidationError). */
  preflight?(spec: EnvSpec): void;
  run(ctx: UpContext): Promise<void>;
}

/** How long hosts get to accept SSH after they were created. */
export const REACHABLE_TIMEOUT_MS = 60000;

/** Provision: the environment's SSH key, the site, the VLAN, the hosts, and SSH reachability. */
export const provisionStep: UpStep = {
  name: 'provision',
  async run(ctx) {
    const file = ctx.envFile;
    if (!file.data.sshPublicKey) {
      const key = generateClientKey(file.data.id);
      const keyPath = file.writePrivateKey(key.privateKey);
      file.update((e) => (e.sshPublicKey = key.publicKey));
      file.addResource({ kind: 'file', id: resolve(keyPath), name: 'ssh client key' });
      ctx.progress('keys', `client key ${key.fingerprint} written to ${keyPath} (0600)`);
    }
    await ctx.provider.prepare(ctx);
    await ctx.provider.createVlan(ctx);
    await ctx.provider.createHosts(ctx);
    writeKnownHosts(file);
    await ctx.provider.waitReachable(ctx, REACHABLE_TIMEOUT_MS);
  },
};

// Order matters: the tailnet needs the configured hub (VLAN address, NAT), verify needs everything.
export const upSteps: UpStep[] = [provisionStep, configureStep, tailnetStep, verifyStep];

/** `<file>.known_hosts`: lets a person use plain `ssh` with the same pinned keys. */
export function knownHostsPath(file: EnvironmentFile): string {
  return `${file.path}.known_hosts`;
}

function writeKnownHosts(file: EnvironmentFile): void {
  const lines = file.data.hosts
    .filter((h) => h.publicIp && h.ssh)
    .map((h) => `${h.ssh!.port === 22 ? h.publicIp : `[${h.publicIp}]:${h.ssh!.port}`} ${h.ssh!.hostKey}`);
  const path = knownHostsPath(file);
  writeFileAtomic(path, `${lines.join('\n')}\n`, 0o644);
  file.addResource({ kind: 'file', id: resolve(path), name: 'known_hosts' });
}

/** The steps to run, up to and including `until`; a clear error for an unknown name. */
export function stepsUntil(until?: string): UpStep[] {
  if (until === undefined) return upSteps;
  const i = upSteps.findIndex((s) => s.name === until);
  if (i < 0) {
    throw new ValidationError([
      {
        field: 'until',
        value: until,
        problem: 'not a step of up',
        fix: `use one of ${upSteps.map((s) => s.name).join(', ')}`,
      },
    ]);
  }
  return upSteps.slice(0, i + 1);
}

export interface UpOptions {
  /** Environment file to create. */
  path: string;
  keepOnFailure?: boolean;
  /** Stop after this step (e.g. 'provision' for bare hosts, 'configure' to skip the tailnet and verify). */
  until?: string;
  io: CliIO;
  progress(scope: string, message: string): void;
}

export interface UpOutcome {
  code: number;
  envFile?: EnvironmentFile;
}

/**
 * Brings an environment up: validates, creates the Environment file, runs every step. On failure
 * it tears down what was created (unless keepOnFailure); on interrupt it stops and exits 130 with the
 * Environment file complete. Shared by `lm-env up` and the actions.
 */
export async function bringUp(raw: Record<string, string | undefined>, o: UpOptions): Promise<UpOutcome> {
  const { io, progress, path } = o;
  const { spec, plan } = resolveInputs(raw, { id: randomEnvironmentId(), now: new Date() });
  const steps = stepsUntil(o.until);
  const provider = providerFor(plan.provider);
  for (const step of steps) step.preflight?.(spec);
  await provider.preflight();
  // Same id as something that exists (e.g. --name reused): refuse, never adopt or sweep it.
  const existing = await provider.listOwned(plan.id);
  if (existing.length > 0) {
    throw new UserError(
      `environment ${plan.id} already exists on this machine (${existing
        .slice(0, 3)
        .map((r) => `${r.kind} ${r.id}`)
        .join(', ')}${existing.length > 3 ? ', …' : ''}); pick another --name or tear it down first`,
    );
  }
  if (EnvironmentFile.exists(path)) {
    throw new UserError(
      `Environment file ${path} already exists; tear that environment down first ('lm-env down --env ${path}') or pass another --env`,
    );
  }
  io.signal.throwIfAborted();
  const envFile = EnvironmentFile.create(path, environmentFromPlan(plan));
  progress('up', `environment ${plan.id} (${plan.provider}, hub + ${spec.hosts} host(s)) → ${path}`);
  const ctx: UpContext = { envFile, signal: io.signal, progress, spec, provider, io };
  for (const step of steps) {
    try {
      await step.run(ctx);
      envFile.update(
        (e) => (e.steps = { ...e.steps, [step.name]: { at: new Date().toISOString(), ok: true } }),
      );
      progress(step.name, 'done');
    } catch (e) {
      envFile.update(
        (x) => (x.steps = { ...x.steps, [step.name]: { at: new Date().toISOString(), ok: false } }),
      );
      if (io.signal.aborted) {
        io.err(
          `lm-env up: interrupted during ${step.name}; everything created so far is listed in ${path} — run 'lm-env down --env ${path}'\n`,
        );
        return { code: 130, envFile };
      }
      io.err(`lm-env up: step ${step.name} failed: ${(e as Error).message}\n`);
      if (o.keepOnFailure) {
        io.err(
          `lm-env up: keeping what was created (--keep-on-failure); remove it with 'lm-env down --env ${path}'\n`,
        );
        return { code: 1, envFile };
      }
      io.err('lm-env up: tearing down what was created\n');
      await tearDown(envFile, provider, progress, io.err);
      return { code: 1 };
    }
  }
  return { code: 0, envFile };
}

export function upSummary(file: EnvironmentFile, secs: string): string {
  const env = file.data;
  const w = Math.max(...env.hosts.map((h) => h.name.length));
  const hosts = env.hosts.map(
    (h) =>
      `  ${h.name.padEnd(w)}  ${h.publicIp ?? '-'}  private ${h.privateIp}  ${h.lab?.netns ?? h.providerId ?? ''}`,
  );
  const lines = [`environment ${env.id} is up (${secs}s); Environment file ${file.path}`, ...hosts];
  if (env.lab?.internet) {
    lines.push(
      `  internet: http ${env.lab.internet.httpUrl} (serves ${env.lab.internet.docRoot}), dns ${env.lab.internet.dnsServer} (${env.lab.internet.testName})`,
    );
  }
  const first = env.hosts[0];
  if (first?.publicIp) {
    lines.push(
      `  ssh: ssh -i ${file.keyPath} -o UserKnownHostsFile=${knownHostsPath(file)} -o StrictHostKeyChecking=yes root@${first.publicIp}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
