import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from './errors.js';
import type { HostPlan, Plan } from './plan.js';

export const ENVIRONMENT_VERSION = 1;

export type ResourceKind =
  | 'device'
  | 'vlan'
  | 'ssh-key'
  | 'user-data'
  | 'tailnet-node'
  | 'auth-key'
  | 'netns'
  | 'link'
  | 'process'
  | 'file'
  | 'mount';

/** Something that exists because of this environment; recorded the moment it is created. */
export interface Resource {
  kind: ResourceKind;
  id: string;
  name?: string;
  /** Which host it belongs to, when it belongs to one. */
  host?: string;
  /** Adapter-specific details needed to delete it (e.g. a pid's start time, a namespace). */
  meta?: Record<string, string | number | boolean>;
  createdAt: string;
}

/** One tailnet member lm-env runs (the hub subnet router or the runner). */
export interface TailnetMember {
  /** `tailscale up --hostname`. */
  hostname: string;
  /** The control server's id of the node (delete/route calls take it). */
  nodeId?: string;
  /** Tailnet IPv4 address. */
  ip?: string;
  /** Working directory on its machine: socket, pid file, state, logs. */
  dir: string;
  tun: string;
  tailscale: string;
  tailscaled: string;
  /** How tailscaled runs: a systemd unit, or detached (lab namespaces, runners). */
  service: 'systemd' | 'direct';
  systemdUnit?: string;
  /** Where it runs: a host of the environment (over SSH), the lab runner namespace, or this machine. */
  where: 'host' | 'lab-runner' | 'local';
  /** Paths lm-env created on that machine (removed by down), e.g. the sysctl file, installed binaries. */
  createdPaths?: string[];
  /** Extra environment of its daemon and CLI (e.g. SSL_CERT_FILE for the lab CA). */
  env?: Record<string, string>;
}

/** The tailnet side of an environment (join-tailscale), never any secret. */
export interface TailnetState {
  control: 'tailscale' | 'headscale';
  /** `--login-server`; undefined = Tailscale. */
  loginServer?: string;
  /** The control server is the lab's own headscale (in the inet namespace). */
  labControl?: boolean;
  tags: string[];
  advertisedRoutes: string[];
  /** advertised → approved (control server) → live (runner has it in table 52 and reaches every endpoint). */
  routeStatus: 'none' | 'advertised' | 'approved' | 'live';
  hub?: TailnetMember;
  runner?: TailnetMember;
  /** Time from join start to every flintlock endpoint reachable through the tailnet. */
  joinMs?: number;
}

export interface HostSsh {
  user: string;
  port: number;
  /** OpenSSH public host key line ("ssh-ed25519 AAAA…"), pinned. */
  hostKey: string;
}

export interface EnvHost extends HostPlan {
  publicIp?: string;
  ssh?: HostSsh;
  lab?: { netns: string };
  providerId?: string;
}

export interface Environment extends Omit<Plan, 'hosts'> {
  version: number;
  hosts: EnvHost[];
  resources: Resource[];
  /** Public half of the per-environment client key; the private half lives in `<file>.key`. */
  sshPublicKey?: string;
  tailscale?: TailnetState;
  lab?: {
    internet?: {
      netns: string;
      httpUrl: string;
      dnsServer: string;
      testName: string;
      address?: string;
      /** Directory the inet HTTP server serves (files dropped here appear under httpUrl). */
      docRoot?: string;
    };
    runner?: { netns: string; address?: string };
    switch?: { netns: string };
    dir?: string;
    /** The environment's public block (documentation range) and the root namespace's veth into it. */
    publicSubnet?: string;
    rootLink?: string;
    rootAddress?: string;
  };
  /** The last verification: each check with pass/fail, timing and what was seen. */
  verify?: { at: string; results: { name: string; ok: boolean; durationMs: number; detail: string }[] };
  /** Step results: which steps completed (provision, configure, join, verify). */
  steps?: Record<string, { at: string; ok: boolean }>;
}

export function environmentFromPlan(plan: Plan): Environment {
  return { version: ENVIRONMENT_VERSION, ...plan, hosts: plan.hosts.map((h) => ({ ...h })), resources: [] };
}

const REQUIRED: (keyof Environment)[] = ['version', 'id', 'provider', 'network', 'hosts', 'resources'];

/** Validates the shape of a parsed Environment file; returns a description of the first problem. */
export function checkEnvironment(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'it is not a JSON object';
  const o = v as Record<string, unknown>;
  if (typeof o.version !== 'number') return "field 'version' is missing";
  if (o.version > ENVIRONMENT_VERSION) {
    return `it was written by a newer lm-env (file version ${o.version}, this lm-env reads up to ${ENVIRONMENT_VERSION}); upgrade lm-env`;
  }
  for (const k of REQUIRED) if (!(k in o)) return `field '${k}' is missing`;
  if (!Array.isArray(o.hosts)) return "field 'hosts' is not a list";
  if (!Array.isArray(o.resources)) return "field 'resources' is not a list";
  if (typeof o.id !== 'string' || !/^lm-[a-z0-9]{1,8}$/.test(o.id)) return "field 'id' is not an lm-env id";
  return undefined;
}

/**
 * The Environment file: the one contract between steps, actions, jobs and the CLI.
 * Every change is written at once (write to a temp file, then rename) so a crash never leaves
 * a half-written file and never loses a created resource id.
 */
export class EnvironmentFile {
  private constructor(
    readonly path: string,
    private env: Environment,
  ) {}

  static create(path: string, env: Environment): EnvironmentFile {
    const f = new EnvironmentFile(path, env);
    f.save();
    return f;
  }

  static exists(path: string): boolean {
    return existsSync(path);
  }

  static load(path: string): EnvironmentFile {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new UserError(
          `Environment file ${path} not found: pass the file written by 'lm-env up' with --env (or the env-file output of the action)`,
        );
      }
      throw new UserError(`cannot read Environment file ${path}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new UserError(`Environment file ${path} is corrupt (not valid JSON: ${(e as Error).message})`);
    }
    const problem = checkEnvironment(parsed);
    if (problem) throw new UserError(`Environment file ${path} is not usable: ${problem}`);
    return new EnvironmentFile(path, parsed as Environment);
  }

  get data(): Readonly<Environment> {
    return this.env;
  }

  get keyPath(): string {
    return `${this.path}.key`;
  }

  /** Applies a change and persists it before returning. */
  update(change: (env: Environment) => void): Environment {
    change(this.env);
    this.save();
    return this.env;
  }

  /** Records a created resource at once. Re-recording the same kind+id replaces it. */
  addResource(r: Omit<Resource, 'createdAt'> & { createdAt?: string }): void {
    this.update((env) => {
      env.resources = env.resources.filter((x) => !(x.kind === r.kind && x.id === r.id));
      env.resources.push({ ...r, createdAt: r.createdAt ?? new Date().toISOString() });
    });
  }

  removeResource(kind: ResourceKind, id: string): void {
    this.update((env) => {
      env.resources = env.resources.filter((x) => !(x.kind === kind && x.id === id));
    });
  }

  /** Saves the private key beside the file, mode 0600, never anywhere else. */
  writePrivateKey(pem: string): string {
    mkdirSync(dirname(this.keyPath), { recursive: true });
    writeFileAtomic(this.keyPath, pem, 0o600);
    return this.keyPath;
  }

  readPrivateKey(): string {
    try {
      return readFileSync(this.keyPath, 'utf8');
    } catch {
      throw new UserError(`private key ${this.keyPath} for environment ${this.env.id} is missing`);
    }
  }

  /** Deletes the file and its key (after a complete teardown). */
  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(this.keyPath, { force: true });
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomic(this.path, `${JSON.stringify(this.env, null, 2)}\n`, 0o644);
  }
}

export function writeFileAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}
