// lm-env's flintlockd stand-in for the lab: same command line, config file and gRPC MicroVM API as
// flintlockd, but a "microVM" is a network namespace with a macvlan on parent-iface running a real
// DHCP client — the network half of a microVM, without KVM or containerd.
import { existsSync, readFileSync } from 'node:fs';
import {
  ConfigError,
  DEFAULT_CONFIG_PATH,
  parseInvocation,
  parseSimpleYaml,
  resolveConfig,
  unknownConfigKeys,
  type StandinConfig,
} from './config.js';
import { STANDIN_VERSION } from '../versions.js';
import { MicroVMManager } from './manager.js';
import { startServer } from './server.js';

const USAGE = `Usage: flintlockd run [--config FILE] [--grpc-endpoint HOST:PORT] [--parent-iface IFACE | --bridge-name BR]
                      [--insecure] [--state-dir DIR] [--default-provider firecracker|cloudhypervisor]
                      [--basic-auth-token TOKEN] [--lease-timeout SECONDS]
       flintlockd version
lm-env lab stand-in: serves flintlock's MicroVM gRPC API; microVMs are network namespaces with a DHCP client.`;

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} flintlockd-standin: ${msg}\n`);
}

function loadConfig(argv: string[]): StandinConfig | undefined {
  const inv = parseInvocation(argv);
  if (inv.command === 'version') {
    process.stdout.write(`flintlockd ${STANDIN_VERSION}\n`);
    return undefined;
  }
  if (inv.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  const path = inv.configPath ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
  let file = {};
  if (path) {
    try {
      file = parseSimpleYaml(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ConfigError([`${path}: ${(e as Error).message}`]);
    }
    const unknown = unknownConfigKeys(file);
    if (unknown.length) log(`ignoring unknown config keys in ${path}: ${unknown.join(', ')}`);
  }
  return resolveConfig(inv.flags, file);
}

async function main(): Promise<void> {
  const cfg = loadConfig(process.argv.slice(2));
  if (!cfg) return;
  const mgr = new MicroVMManager(cfg, log);
  const leftovers = await mgr.init();
  if (leftovers) log(`cleaned ${leftovers} microVM(s) left by a previous run`);
  const { server, port } = await startServer(mgr, cfg.grpcEndpoint.text, cfg.basicAuthToken, log);
  const iface = cfg.parentIface ? `parent-iface ${cfg.parentIface}` : `bridge ${cfg.bridgeName}`;
  log(
    `serving MicroVM API on ${cfg.grpcEndpoint.host}:${port} (${iface}, state ${cfg.stateDir}, auth ${cfg.basicAuthToken ? 'basic' : 'none'})`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: removing all microVMs and stopping`);
    server.tryShutdown(() => undefined);
    mgr
      .deleteAll()
      .then(() => {
        server.forceShutdown();
        log('stopped');
        process.exit(0);
      })
      .catch((e) => {
        log(`cleanup failed: ${(e as Error).message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : `flintlockd: ${(e as Error).message}`}\n`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
