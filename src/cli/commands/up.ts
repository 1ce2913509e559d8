import { resolve } from 'node:path';
import { environmentFromPlan, EnvironmentFile, writeFileAtomic } from '../../env/environment.js';
import { UserError } from '../../env/errors.js';
import { randomEnvironmentId } from '../../env/ids.js';
import { resolveInputs } from '../../env/plan.js';
import { renderPlanText } from '../../env/render.js';
import type { EnvSpec } from '../../env/spec.js';
import { generateClientKey } from '../../keys/generate.js';
import { providerFor } from '../../providers/index.js';
import type { Provider, ProviderContext } from '../../providers/types.js';
import type { CliIO, Command } from '../command.js';
import { ENV_FILE_OPTIONS, envFilePath, progressPrinter } from './env-options.js';
import { tearDown } from './down.js';

/** What every step of `up` gets. */
export interface UpContext extends ProviderContext {
  spec: EnvSpec;
  provider: Provider;
  io: CliIO;
}

/** One step of `up`. Later steps (configure, tailnet, verify) are appended to `upSteps`. */
export interface UpStep {
  name: string;
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

export const upSteps: UpStep[] = [provisionStep];

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

export const upCommand: Command = {
  name: 'up',
  summary:
    'Create the environment (lab: namespaces on this machine) and write the Environment file. Needs root for the lab.',
  takesSpec: true,
  options: [
    ...ENV_FILE_OPTIONS,
    {
      name: 'keep-on-failure',
      boolean: true,
      description: 'When a step fails, keep what was created (default: tear it down)',
    },
  ],
  async run({ spec: raw, options }, io) {
    const started = Date.now();
    const progress = progressPrinter(io.err, started);
    const path = envFilePath(options);
    const { spec, plan } = resolveInputs(raw, { id: randomEnvironmentId(), now: new Date() });
    if (spec.dryRun) {
      io.out(renderPlanText(plan));
      return 0;
    }
    const provider = providerFor(plan.provider);
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
        `Environment file ${path} already exists; tear that environment down first ('lm-env down --env-file ${path}') or pass another --env-file`,
      );
    }
    io.signal.throwIfAborted();
    const envFile = EnvironmentFile.create(path, environmentFromPlan(plan));
    progress('up', `environment ${plan.id} (${plan.provider}, hub + ${spec.hosts} host(s)) → ${path}`);
    const ctx: UpContext = { envFile, signal: io.signal, progress, spec, provider, io };
    for (const step of upSteps) {
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
            `lm-env up: interrupted during ${step.name}; everything created so far is listed in ${path} — run 'lm-env down --env-file ${path}'\n`,
          );
          return 130;
        }
        io.err(`lm-env up: step ${step.name} failed: ${(e as Error).message}\n`);
        if (options['keep-on-failure']) {
          io.err(
            `lm-env up: keeping what was created (--keep-on-failure); remove it with 'lm-env down --env-file ${path}'\n`,
          );
          return 1;
        }
        io.err('lm-env up: tearing down what was created\n');
        await tearDown(envFile, provider, progress, io);
        return 1;
      }
    }
    io.out(summary(envFile, ((Date.now() - started) / 1000).toFixed(1)));
    return 0;
  },
};

function summary(file: EnvironmentFile, secs: string): string {
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
