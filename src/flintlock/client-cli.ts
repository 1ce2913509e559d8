// flintlock-client: a small command-line front end to FlintlockClient, bundled on its own so lab
// steps and tests can call flintlock from inside another network namespace (`ip netns exec … node
// dist/flintlock-client/index.js …`). Prints JSON on stdout; errors on stderr, exit 1 (2 = usage).
import { FlintlockClient, FlintlockError } from './client.js';
import type { MicroVMSpecInput } from './types.js';

const USAGE = `Usage: flintlock-client --endpoint HOST:PORT [--timeout-ms N] COMMAND
  list [--namespace NS] [--name ID]   ListMicroVMs
  get UID                             GetMicroVM
  create SPEC_JSON                    CreateMicroVM (SPEC_JSON: MicroVMSpec, camelCase fields)
  wait UID [--timeout-ms N]           GetMicroVM until the microVM is CREATED or FAILED
  delete UID                          DeleteMicroVM
  probe                               readiness (ListMicroVMs)
  wait-ready [--timeout-ms N]         probe until it answers
Basic auth: set FLINTLOCK_BASIC_AUTH_TOKEN (kept out of the command line).`;

class Usage extends Error {}

export async function runClientCli(argv: string[], env: NodeJS.ProcessEnv): Promise<unknown> {
  const opts: Record<string, string> = {};
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) pos.push(argv[i]);
    else if (m[2] !== undefined) opts[m[1]] = m[2];
    else if (i + 1 < argv.length) opts[m[1]] = argv[++i];
    else throw new Usage(`--${m[1]} needs a value`);
  }
  const endpoint = opts.endpoint;
  if (!endpoint) throw new Usage('--endpoint is required');
  const timeoutMs = opts['timeout-ms'] ? Number(opts['timeout-ms']) : undefined;
  const client = new FlintlockClient(endpoint, { basicAuthToken: env.FLINTLOCK_BASIC_AUTH_TOKEN, timeoutMs });
  const [cmd, arg] = pos;
  const need = (): string => {
    if (!arg) throw new Usage(`${cmd} needs an argument`);
    return arg;
  };
  try {
    switch (cmd) {
      case 'list':
        return await client.listMicroVMs(opts.namespace ?? '', opts.name);
      case 'get':
        return await client.getMicroVM(need());
      case 'create':
        return await client.createMicroVM(JSON.parse(need()) as MicroVMSpecInput);
      case 'wait':
        return await client.waitSettled(need(), timeoutMs ?? 60_000);
      case 'delete':
        await client.deleteMicroVM(need());
        return { deleted: arg };
      case 'probe':
        await client.probe();
        return { ready: true, endpoint };
      case 'wait-ready':
        await client.waitReady(timeoutMs ?? 30_000);
        return { ready: true, endpoint };
      default:
        throw new Usage(cmd ? `unknown command ${cmd}` : 'a command is required');
    }
  } finally {
    client.close();
  }
}

runClientCli(process.argv.slice(2), process.env).then(
  (out) => {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  },
  (e) => {
    if (e instanceof Usage) {
      process.stderr.write(`flintlock-client: ${e.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      const code = e instanceof FlintlockError ? ` (grpc code ${e.code})` : '';
      process.stderr.write(`flintlock-client: ${(e as Error).message}${code}\n`);
      process.exitCode = 1;
    }
  },
);
