import type { EnvironmentFile } from '../../env/environment.js';
import { connectSsh } from '../../exec/ssh.js';
import type { OwnedResource, Provider, ProviderContext, ResourceState, TeardownReport } from '../types.js';
import { LabBuilder } from './create.js';
import { labPreflight } from './preflight.js';
import { labStatus } from './status.js';
import { listOwnedLab, teardownLab } from './teardown.js';

/**
 * The lab provider: a whole bare-metal site in network namespaces on this machine. Each host is a
 * namespace with its own sshd on a public (documentation-range) address and a pinned host key, so
 * configure/join/verify reach it exactly as they reach a real machine: over SSH.
 */
export function labProvider(): Provider {
  const builders = new WeakMap<ProviderContext, LabBuilder>();
  const builder = (ctx: ProviderContext): LabBuilder => {
    let b = builders.get(ctx);
    if (!b) builders.set(ctx, (b = new LabBuilder(ctx)));
    return b;
  };
  return {
    name: 'lab',
    async preflight() {
      labPreflight();
    },
    async prepare(ctx) {
      await builder(ctx).prepare();
    },
    async createVlan(ctx) {
      await builder(ctx).createVlan();
    },
    async createHosts(ctx) {
      await builder(ctx).createHosts();
    },
    async waitReachable(ctx, timeoutMs) {
      const env = ctx.envFile.data;
      const key = ctx.envFile.readPrivateKey();
      await Promise.all(
        env.hosts.map(async (h) => {
          if (!h.publicIp || !h.ssh) throw new Error(`host ${h.name} has no public address or SSH details`);
          const exec = await connectSsh({
            host: h.publicIp,
            port: h.ssh.port,
            user: h.ssh.user,
            privateKey: key,
            hostKey: h.ssh.hostKey,
            label: h.name,
            connectTimeoutMs: 5000,
            retryForMs: timeoutMs,
            signal: ctx.signal,
          });
          try {
            const r = await exec.run('true', { timeoutMs: 10000, signal: ctx.signal });
            if (r.code !== 0) throw new Error(`ssh to ${h.name} runs commands with exit ${r.code}`);
          } finally {
            await exec.close();
          }
          ctx.progress(h.name, `reachable over SSH at ${h.publicIp} (pinned host key)`);
        }),
      );
    },
    async status(envFile: EnvironmentFile): Promise<ResourceState[]> {
      return labStatus(envFile.data);
    },
    async listOwned(envId: string): Promise<OwnedResource[]> {
      return listOwnedLab(envId);
    },
    async deleteAll(ctx): Promise<TeardownReport> {
      return teardownLab(ctx);
    },
  };
}
