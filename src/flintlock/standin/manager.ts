import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MicroVM, MicroVMSpecInput } from '../types.js';
import type { StandinConfig } from './config.js';
import { Cancelled, provisionNetwork, refreshLeases, teardownNetwork, type VmResources } from './network.js';
import { emptyMicroVM, newUid, normalizeSpec, randomName, unsupportedReason } from './spec.js';
import { renderUdhcpcScript } from './udhcpc-script.js';

export type Logger = (msg: string) => void;

/** vm.json: the microVM as served plus what the stand-in created for it. */
interface VmRecord {
  microvm: MicroVM;
  res: VmResources;
}

interface Entry {
  rec: VmRecord;
  dir: string;
  task: Promise<void>;
  deleting: boolean;
}

/** Not found, reported like flintlock: gRPC Unknown with "not found" in the message. */
export class NotFoundError extends Error {}
export class ConflictError extends Error {}

/**
 * Owns the stand-in's microVMs: in memory for serving, on disk under <state-dir>/vms/<uid>/ so a
 * restarted stand-in removes what a killed one left behind.
 */
export class MicroVMManager {
  private readonly vms = new Map<string, Entry>();
  private readonly vmsDir: string;
  private readonly udhcpcScript: string;

  constructor(
    private readonly cfg: StandinConfig,
    private readonly log: Logger,
  ) {
    this.vmsDir = join(cfg.stateDir, 'vms');
    this.udhcpcScript = join(cfg.stateDir, 'udhcpc.script');
  }

  /** Prepares the state dir and removes microVMs a previous run left (their processes and links). */
  async init(): Promise<number> {
    mkdirSync(this.vmsDir, { recursive: true, mode: 0o700 });
    writeFileSync(this.udhcpcScript, renderUdhcpcScript(), { mode: 0o755 });
    chmodSync(this.udhcpcScript, 0o755);
    let cleaned = 0;
    for (const uid of readdirSync(this.vmsDir)) {
      const dir = join(this.vmsDir, uid);
      try {
        const rec = JSON.parse(readFileSync(join(dir, 'vm.json'), 'utf8')) as VmRecord;
        await teardownNetwork(rec.res);
        this.log(`removed microVM ${uid} left by a previous run`);
      } catch (e) {
        this.log(`state of ${uid} unreadable (${(e as Error).message}); removing its directory`);
      }
      rmSync(dir, { recursive: true, force: true });
      cleaned++;
    }
    return cleaned;
  }

  create(input: MicroVMSpecInput | null | undefined): MicroVM {
    const now = new Date();
    const spec = normalizeSpec(input, {
      now,
      uid: newUid(now),
      defaultProvider: this.cfg.defaultProvider,
      randomName: () => randomName(),
    });
    for (const e of this.vms.values()) {
      if (
        e.rec.microvm.spec.id === spec.id &&
        e.rec.microvm.spec.namespace === spec.namespace &&
        !e.deleting
      ) {
        throw new ConflictError(`microvm ${spec.namespace}/${spec.id} already exists`);
      }
    }
    const uid = spec.uid!;
    const dir = join(this.vmsDir, uid);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const rec: VmRecord = { microvm: emptyMicroVM(spec), res: { dhcp: [], hostDevices: [] } };
    const entry: Entry = { rec, dir, deleting: false, task: Promise.resolve() };
    this.vms.set(uid, entry);
    this.save(entry);
    const snapshot = structuredClone(rec.microvm);
    entry.task = this.provision(entry);
    this.log(`microVM ${spec.namespace}/${spec.id} (${uid}) accepted`);
    return snapshot;
  }

  private async provision(entry: Entry): Promise<void> {
    const { microvm, res } = entry.rec;
    const status = microvm.status;
    try {
      const why = unsupportedReason(microvm.spec, this.cfg);
      if (why) throw new Error(why);
      await provisionNetwork(microvm.spec, {
        dir: entry.dir,
        udhcpcScript: this.udhcpcScript,
        parentIface: this.cfg.parentIface,
        bridgeName: this.cfg.bridgeName,
        leaseTimeoutSeconds: this.cfg.leaseTimeoutSeconds,
        res,
        save: () => this.save(entry),
        cancelled: () => entry.deleting,
        status: status.networkInterfaces,
        setNetnsPid: (pid) => (status.lmenvNetnsPid = pid),
      });
      status.state = 'CREATED';
      this.log(`microVM ${microvm.spec.id} (${microvm.spec.uid}) created: ${describe(microvm)}`);
    } catch (e) {
      if (e instanceof Cancelled) return;
      status.state = 'FAILED';
      status.lmenvMessage = (e as Error).message;
      this.log(`microVM ${microvm.spec.id} (${microvm.spec.uid}) failed: ${status.lmenvMessage}`);
    }
    microvm.version++;
    if (!entry.deleting) this.save(entry);
  }

  get(uid: string): MicroVM {
    const e = this.vms.get(uid);
    if (!e || e.deleting) throw new NotFoundError(`microvm ${uid} not found`);
    return this.view(e);
  }

  list(namespace: string, name?: string): MicroVM[] {
    return [...this.vms.values()]
      .filter((e) => !e.deleting)
      .filter((e) => !namespace || e.rec.microvm.spec.namespace === namespace)
      .filter((e) => name === undefined || name === '' || e.rec.microvm.spec.id === name)
      .map((e) => this.view(e));
  }

  /** Stops the DHCP clients and the holder (the namespace and its links go with it), drops the state. */
  async delete(uid: string): Promise<void> {
    const e = this.vms.get(uid);
    if (!e || e.deleting) throw new NotFoundError(`microvm ${uid} not found`);
    e.deleting = true;
    e.rec.microvm.status.state = 'DELETING';
    await e.task.catch(() => undefined);
    await teardownNetwork(e.rec.res);
    rmSync(e.dir, { recursive: true, force: true });
    this.vms.delete(uid);
    this.log(`microVM ${e.rec.microvm.spec.id} (${uid}) deleted`);
  }

  /** Deletes every microVM (SIGTERM path: the stand-in leaves nothing behind). */
  async deleteAll(): Promise<void> {
    await Promise.all([...this.vms.keys()].map((uid) => this.delete(uid).catch(() => undefined)));
  }

  private view(e: Entry): MicroVM {
    if (e.rec.microvm.status.state === 'CREATED')
      refreshLeases(e.dir, e.rec.microvm.status.networkInterfaces);
    return structuredClone(e.rec.microvm);
  }

  private save(e: Entry): void {
    const file = join(e.dir, 'vm.json');
    try {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(e.rec, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      this.log(`could not persist ${file}: ${(err as Error).message}`);
    }
  }
}

function describe(vm: MicroVM): string {
  const parts = Object.entries(vm.status.networkInterfaces).map(
    ([dev, s]) =>
      `${dev}=${s.lmenvIpv4Address || 'no address'} via ${s.lmenvGateway || '-'} (${s.hostDeviceName})`,
  );
  return `netns pid ${vm.status.lmenvNetnsPid}; ${parts.join(', ') || 'no interfaces'}`;
}
