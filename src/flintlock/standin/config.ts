import { isIP } from 'node:net';
import { parseSimpleYaml, type ConfigScalar } from './yaml.js';

/** What the stand-in runs with, resolved from flags over the config file over defaults. */
export interface StandinConfig {
  grpcEndpoint: { host: string; port: number; text: string };
  parentIface: string;
  bridgeName: string;
  insecure: boolean;
  stateDir: string;
  defaultProvider: 'firecracker' | 'cloudhypervisor';
  basicAuthToken: string;
  /** Stand-in only (`--lease-timeout`, seconds): how long a microVM waits for its DHCP lease. */
  leaseTimeoutSeconds: number;
}

export const DEFAULT_CONFIG_PATH = '/etc/opt/flintlockd/config.yaml';

/** Flags the stand-in acts on: name → takes a value (false = boolean switch). */
const USED: Record<string, boolean> = {
  'grpc-endpoint': true,
  'parent-iface': true,
  'bridge-name': true,
  insecure: false,
  'state-dir': true,
  'default-provider': true,
  'basic-auth-token': true,
  'lease-timeout': true,
};

/** Real flintlockd flags the stand-in accepts so the same command line and config work, but ignores. */
const IGNORED: Record<string, boolean> = {
  'enable-http': false,
  'http-endpoint': true,
  'tls-cert': true,
  'tls-key': true,
  'tls-client-validate': false,
  'tls-client-ca': true,
  'containerd-socket': true,
  'containerd-ns': true,
  'firecracker-bin': true,
  'firecracker-detach': false,
  'cloudhypervisor-bin': true,
  'cloudhypervisor-detach': false,
  'resync-period': true,
  'maximum-retry': true,
  'disable-reconcile': false,
  'disable-api': false,
  'debug-endpoint': true,
  verbosity: true,
  'kernel-dir': true,
};

export interface Invocation {
  command: 'run' | 'version' | 'help';
  configPath?: string;
  flags: Record<string, ConfigScalar>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`flintlockd: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `flintlockd run [--flag value | --flag=value | --switch] …`, cobra-style. Pure. */
export function parseInvocation(argv: string[]): Invocation {
  const [cmd, ...rest] = argv;
  if (cmd === 'version') return { command: 'version', flags: {} };
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h')
    return { command: 'help', flags: {} };
  if (cmd !== 'run') throw new ConfigError([`unknown command "${cmd}" (expected run or version)`]);
  const flags: Record<string, ConfigScalar> = {};
  let configPath: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new ConfigError([`unexpected argument "${arg}"`]);
    const [, name, inline] = m;
    const takesValue = name === 'config' ? true : (USED[name] ?? IGNORED[name]);
    if (takesValue === undefined) throw new ConfigError([`unknown flag --${name}`]);
    let value: ConfigScalar;
    if (!takesValue) {
      if (inline === undefined) value = true;
      else if (/^(true|false)$/i.test(inline)) value = inline.toLowerCase() === 'true';
      else throw new ConfigError([`--${name} takes true or false, got "${inline}"`]);
    } else if (inline !== undefined) value = inline;
    else if (i + 1 < rest.length) value = rest[++i];
    else throw new ConfigError([`flag --${name} needs a value`]);
    if (name === 'config') configPath = String(value);
    else flags[name] = value;
  }
  return { command: 'run', configPath, flags };
}

/** Flags win over the config file (as with viper). Returns every problem at once. Pure. */
export function resolveConfig(
  flags: Record<string, ConfigScalar>,
  file: Record<string, ConfigScalar>,
): StandinConfig {
  const problems: string[] = [];
  const get = (k: string): ConfigScalar | undefined => flags[k] ?? file[k];
  const str = (k: string, def: string): string => {
    const v = get(k);
    return v === undefined ? def : String(v);
  };
  const bool = (k: string): boolean => {
    const v = get(k);
    if (v === undefined) return false;
    if (typeof v === 'boolean') return v;
    if (/^(true|false)$/i.test(String(v))) return String(v).toLowerCase() === 'true';
    problems.push(`${k} must be true or false, got "${v}"`);
    return false;
  };

  const endpointText = str('grpc-endpoint', 'localhost:9090');
  const grpcEndpoint = parseEndpoint(endpointText);
  if (!grpcEndpoint) problems.push(`grpc-endpoint "${endpointText}" is not host:port`);
  const parentIface = str('parent-iface', '');
  const bridgeName = str('bridge-name', '');
  if (!parentIface && !bridgeName) problems.push('one of parent-iface or bridge-name is required');
  for (const [k, v] of [
    ['parent-iface', parentIface],
    ['bridge-name', bridgeName],
  ]) {
    if (v && !/^[A-Za-z0-9_.@-]{1,15}$/.test(v)) problems.push(`${k} "${v}" is not a valid interface name`);
  }
  const insecure = bool('insecure');
  if (!insecure) {
    problems.push(
      'the lab stand-in serves plain gRPC only: set insecure: true (TLS is not implemented by it)',
    );
  }
  const provider = str('default-provider', 'firecracker');
  if (provider !== 'firecracker' && provider !== 'cloudhypervisor') {
    problems.push(`default-provider "${provider}" must be firecracker or cloudhypervisor`);
  }
  const leaseText = str('lease-timeout', '30');
  const leaseTimeoutSeconds = Number(leaseText);
  if (!/^\d+$/.test(leaseText) || leaseTimeoutSeconds < 1 || leaseTimeoutSeconds > 600) {
    problems.push(`lease-timeout "${leaseText}" must be whole seconds between 1 and 600`);
  }
  const stateDir = str('state-dir', '/var/lib/flintlock');
  if (!stateDir.startsWith('/')) problems.push(`state-dir "${stateDir}" must be an absolute path`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    grpcEndpoint: grpcEndpoint!,
    parentIface,
    bridgeName,
    insecure,
    stateDir,
    defaultProvider: provider as StandinConfig['defaultProvider'],
    basicAuthToken: str('basic-auth-token', ''),
    leaseTimeoutSeconds,
  };
}

/** Config keys neither used nor known to flintlockd: viper ignores them, the stand-in warns. Pure. */
export function unknownConfigKeys(file: Record<string, ConfigScalar>): string[] {
  return Object.keys(file).filter((k) => !(k in USED) && !(k in IGNORED));
}

/** "host:port" or "[v6]:port"; port 0 = any free port (tests). Pure. */
export function parseEndpoint(text: string): StandinConfig['grpcEndpoint'] | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const host = m[1] ?? m[2];
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  if (m[1] && isIP(host) !== 6) return undefined;
  return { host, port, text };
}

export { parseSimpleYaml };
