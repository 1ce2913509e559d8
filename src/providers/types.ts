import type { EnvironmentFile, Resource } from '../env/environment.js';
import type { ProviderName } from '../env/spec.js';

/**
 * The Provider port: where hosts come from. An adapter creates the devices and the VLAN for one
 * environment, records every created thing in the Environment file the moment it exists
 * (EnvironmentFile.addResource), fills hosts[].publicIp / ssh / providerId, and deletes by the
 * recorded ids first, then sweeps by owner (environment id) for anything an interrupted create left.
 */
export interface ProviderContext {
  envFile: EnvironmentFile;
  /** Aborted on SIGINT: stop between operations and leave the Environment file complete. */
  signal: AbortSignal;
  /** One progress line (the caller adds the timestamp), e.g. progress('hub', 'namespace … created'). */
  progress(scope: string, message: string): void;
}

export interface ResourceState {
  resource: Resource;
  present: boolean;
}

export interface OwnedResource {
  kind: Resource['kind'];
  id: string;
  name?: string;
}

export interface TeardownReport {
  deleted: OwnedResource[];
  /** Found by the owner sweep (not in the Environment file) and deleted. */
  swept: OwnedResource[];
  /** Could not be deleted: teardown failed. */
  failed: { resource: OwnedResource; error: string }[];
}

export interface Provider {
  readonly name: ProviderName;
  /** Checks what the provider needs (root, binaries, credentials) before anything is created. */
  preflight(): Promise<void>;
  /**
   * Site-level things the hosts need first: register the environment's SSH key (clouds); the
   * lab's "internet" (bridge, DNS, HTTP), the root namespace's veth and the runner.
   */
  prepare(ctx: ProviderContext): Promise<void>;
  /** The private VLAN (or its stand-in) the hosts attach to. */
  createVlan(ctx: ProviderContext): Promise<void>;
  /** The hub and the flintlock hosts, attached to the VLAN, with pinned SSH host keys. */
  createHosts(ctx: ProviderContext): Promise<void>;
  /** Until every host accepts SSH with its pinned key (or the timeout passes). */
  waitReachable(ctx: ProviderContext, timeoutMs: number): Promise<void>;
  /** Which recorded resources still exist. */
  status(envFile: EnvironmentFile): Promise<ResourceState[]>;
  /** Everything that exists and carries this environment's owner id (recorded or not). */
  listOwned(envId: string): Promise<OwnedResource[]>;
  /** Deletes by recorded ids, then sweeps by owner. Idempotent: gone counts as deleted. */
  deleteAll(ctx: ProviderContext): Promise<TeardownReport>;
}
