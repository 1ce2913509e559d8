import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { localExec } from '../../src/exec/local.js';
import { netnsExec } from '../../src/exec/netns.js';
import { runChecked, type Exec } from '../../src/exec/types.js';
import type { AuthKey } from '../../src/tailnet/control.js';
import { HeadscaleApi } from '../../src/tailnet/headscale.js';
import { HeadscaleCli } from '../../src/tailnet/headscale-cli.js';
import { renderHeadscaleConfig, renderHeadscalePolicy } from '../../src/tailnet/headscale-config.js';
import { TailscaleNode } from '../../src/tailnet/node.js';
import { Redactor } from '../../src/tailnet/redact.js';

/**
 * A whole offline tailnet on this machine: headscale (embedded DERP + STUN, lab CA, https) and two
 * tailscaled in network namespaces this test creates (lm-<id>-*), joined with tagged preauth keys
 * minted through both headscale adapters. Node A is a subnet router for a private /24 inside its own
 * namespace; B accepts routes and reaches it through the tailnet. Only documentation-range addresses
 * on a bridge in our own namespace; nothing touches the root namespace except a loopback listener
 * that forwards the headscale API for the HTTP adapter.
 */

const BIN = process.env.LM_ENV_BIN_DIR ?? '/var/cache/lm-env/bin';
const HAVE_BINS = ['tailscale', 'tailscaled', 'headscale'].every((b) => existsSync(`${BIN}/${b}`));
const IS_ROOT = process.getuid?.() === 0;
const d = HAVE_BINS && IS_ROOT ? describe : describe.skip;
if (!HAVE_BINS)
  console.warn(`headscale-real: skipped, binaries missing in ${BIN}: run scripts/build-tailnet.sh`);
else if (!IS_ROOT) console.warn('headscale-real: skipped, needs root for network namespaces');

const id = randomBytes(3).toString('hex');
const NS = { sw: `lm-${id}-sw`, hs: `lm-${id}-hs`, a: `lm-${id}-a`, b: `lm-${id}-b` };
const ADDR = { hs: '203.0.113.1', a: '203.0.113.2', b: '203.0.113.3' };
const SUBNET = '192.168.77.0/24';
const DIR = `/tmp/lm-${id}-tailnet`;
const SERVER_URL = `https://${ADDR.hs}:8443`;
const HUB = `lm-${id}-hub`;
const RUNNER = `lm-${id}-runner`;

const root = localExec();
const lines: string[] = [];
const redactor = new Redactor();
const log = (l: string) => lines.push(l);
let hsExec: Exec;
let cli: HeadscaleCli;
let api: HeadscaleApi;
let nodeA: TailscaleNode;
let nodeB: TailscaleNode;
let proxy: Server | undefined;
const proxyChildren = new Set<ChildProcess>();
const keys: AuthKey[] = [];
const timings: Record<string, number> = {};

async function sh(cmd: string, exec: Exec = root): Promise<string> {
  return (await runChecked(exec, cmd, { timeoutMs: 60_000 })).stdout;
}

/** Forwards 127.0.0.1:<port> to headscale inside its namespace (a process per connection in that namespace). */
async function startProxy(): Promise<number> {
  const pipe =
    `const s=require('net').connect(8443,'${ADDR.hs}');process.stdin.pipe(s);s.pipe(process.stdout);` +
    `s.on('error',()=>process.exit(1));s.on('close',()=>process.exit(0));`;
  proxy = createServer((sock) => {
    const c = spawn('nsenter', [`--net=/run/netns/${NS.hs}`, process.execPath, '-e', pipe], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    proxyChildren.add(c);
    c.stdin.on('error', () => sock.destroy());
    c.stdout.on('error', () => sock.destroy());
    c.on('exit', () => {
      proxyChildren.delete(c);
      sock.destroy();
    });
    sock.pipe(c.stdin);
    c.stdout.pipe(sock);
    sock.on('error', () => c.kill('SIGKILL'));
    sock.on('close', () => c.kill('SIGKILL'));
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return (proxy.address() as AddressInfo).port;
}

async function makeCa(): Promise<void> {
  await sh(
    `cd ${DIR} && umask 077 && ` +
      `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 1 ` +
      `-subj /CN=lm-env-lab-CA -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null && ` +
      `openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout hs.key -out hs.csr -subj /CN=${ADDR.hs} 2>/dev/null && ` +
      `printf 'subjectAltName=IP:${ADDR.hs},IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > hs.ext && ` +
      `openssl x509 -req -in hs.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out hs.pem -days 1 -extfile hs.ext 2>/dev/null && chmod 644 ca.pem`,
  );
}

async function makeNetwork(): Promise<void> {
  for (const n of Object.values(NS)) await sh(`ip netns add ${n} && ip -n ${n} link set lo up`);
  await sh(`ip -n ${NS.sw} link add br0 type bridge && ip -n ${NS.sw} link set br0 up`);
  for (const k of ['hs', 'a', 'b'] as const) {
    await sh(
      `ip -n ${NS.sw} link add p-${k} type veth peer name eth0 netns ${NS[k]} && ` +
        `ip -n ${NS.sw} link set p-${k} master br0 up && ` +
        `ip -n ${NS[k]} addr add ${ADDR[k]}/24 dev eth0 && ip -n ${NS[k]} link set eth0 up`,
    );
  }
  // The private subnet behind node A (the "VLAN" a hub would route to).
  await sh(
    `ip -n ${NS.a} link add lan0 type veth peer name lan1 && ip -n ${NS.a} addr add 192.168.77.1/24 dev lan0 && ` +
      `ip -n ${NS.a} link set lan1 up && ip -n ${NS.a} link set lan0 up`,
  );
  await sh(`ip netns exec ${NS.a} sysctl -qw net.ipv4.ip_forward=1`);
}

async function startHeadscale(): Promise<void> {
  const data = `${DIR}/hs`;
  mkdirSync(data, { recursive: true, mode: 0o700 });
  writeFileSync(`${data}/policy.json`, renderHeadscalePolicy({ tags: ['tag:lm-hub', 'tag:ci'] }));
  writeFileSync(
    `${data}/config.yaml`,
    renderHeadscaleConfig({
      serverUrl: SERVER_URL,
      listenAddr: `${ADDR.hs}:8443`,
      dataDir: data,
      tlsCertPath: `${DIR}/hs.pem`,
      tlsKeyPath: `${DIR}/hs.key`,
      stunListenAddr: `${ADDR.hs}:3478`,
      derpIpv4: ADDR.hs,
      policyPath: `${data}/policy.json`,
      ephemeralInactivityTimeout: '5m',
    }),
  );
  const inner = `echo $$ > ${data}/pid; exec ${BIN}/headscale -c ${data}/config.yaml serve`;
  await sh(`setsid bash -c '${inner}' > ${data}/log 2>&1 < /dev/null &`, hsExec);
  const t0 = Date.now();
  for (;;) {
    const r = await hsExec.run(`curl -sf --max-time 2 --cacert ${DIR}/ca.pem ${SERVER_URL}/health`, {
      timeoutMs: 10_000,
    });
    if (r.code === 0) break;
    const alive = await hsExec.run(`kill -0 $(cat ${data}/pid)`);
    if (alive.code !== 0 || Date.now() - t0 > 30_000)
      throw new Error(`headscale did not start:\n${readFileSync(`${data}/log`, 'utf8').slice(-2000)}`);
    await new Promise((res) => setTimeout(res, 300));
  }
  timings.headscaleStartMs = Date.now() - t0;
}

async function cleanup(): Promise<void> {
  for (const n of [nodeA, nodeB]) await n?.stopDaemon().catch(() => undefined);
  for (const c of proxyChildren) c.kill('SIGKILL');
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  const pidFile = `${DIR}/hs/pid`;
  if (existsSync(pidFile))
    await root.run(
      `kill ${readFileSync(pidFile, 'utf8').trim()} 2>/dev/null; sleep 0.5; kill -9 ${readFileSync(pidFile, 'utf8').trim()} 2>/dev/null; true`,
    );
  // Anything we started that is still inside our namespaces, by pid.
  for (const n of Object.values(NS)) {
    await root.run(
      `[ -e /run/netns/${n} ] && for p in $(ip netns pids ${n}); do kill -9 $p; done; ip netns del ${n} 2>/dev/null; true`,
    );
  }
  rmSync(DIR, { recursive: true, force: true });
}

d('headscale + tailscaled in namespaces (real binaries)', () => {
  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true, mode: 0o700 });
    try {
      await makeCa();
      await makeNetwork();
      hsExec = netnsExec({ netns: NS.hs, label: 'headscale' });
      await startHeadscale();
      cli = new HeadscaleCli({
        exec: hsExec,
        command: `${BIN}/headscale -c ${DIR}/hs/config.yaml`,
        loginServer: SERVER_URL,
        log,
        redactor,
      });
      const apiKey = (
        await sh(`${BIN}/headscale -c ${DIR}/hs/config.yaml apikeys create --expiration 1h`, hsExec)
      )
        .trim()
        .split('\n')
        .pop()!;
      redactor.add(apiKey);
      const port = await startProxy();
      api = new HeadscaleApi({
        url: `https://127.0.0.1:${port}`,
        apiKey,
        ca: readFileSync(`${DIR}/ca.pem`, 'utf8'),
      });
      const common = {
        tailscale: `${BIN}/tailscale`,
        tailscaled: `${BIN}/tailscaled`,
        tun: `ts-${id}`,
        env: { SSL_CERT_FILE: `${DIR}/ca.pem` },
        log,
        redactor,
      };
      nodeA = new TailscaleNode({
        ...common,
        exec: netnsExec({ netns: NS.a, label: 'hub' }),
        dir: `${DIR}/a`,
      });
      nodeB = new TailscaleNode({
        ...common,
        exec: netnsExec({ netns: NS.b, label: 'runner' }),
        dir: `${DIR}/b`,
      });
    } catch (e) {
      await cleanup();
      throw e;
    }
  }, 120_000);

  afterAll(async () => {
    await cleanup();
    const left = await root.run(`ip netns list | grep -c 'lm-${id}-' || true`);
    expect(left.stdout.trim()).toBe('0');
    expect(existsSync(DIR)).toBe(false);
    console.log(`headscale-real timings: ${JSON.stringify(timings)}`);
  }, 60_000);

  it('mints tagged, single-use, ephemeral preauth keys through the CLI and the HTTP API', async () => {
    const req = {
      description: 'lm-env test',
      ephemeral: true,
      reusable: false,
      preauthorized: true,
      expirySeconds: 600,
    };
    const hubKey = await cli.createAuthKey({ ...req, tags: ['tag:lm-hub'] });
    const runnerKey = await api.createAuthKey({ ...req, tags: ['tag:ci'] });
    keys.push(hubKey, runnerKey);
    expect(hubKey.key).toMatch(/^hskey-auth-/);
    expect(runnerKey.key).toMatch(/^hskey-auth-/);
    const listed = await api.listKeys();
    expect(listed.map((k) => k.id).sort()).toEqual([hubKey.id, runnerKey.id].sort());
    expect(listed.find((k) => k.id === hubKey.id)!.tags).toEqual(['tag:lm-hub']);
    await expect(api.createAuthKey({ ...req, tags: ['nottag'] })).rejects.toThrow(
      /headscale API POST \/preauthkey: (400|500)/,
    );
    const wrong = new HeadscaleApi({
      url: api.loginServer,
      apiKey: 'not-a-key',
      ca: readFileSync(`${DIR}/ca.pem`, 'utf8'),
    });
    await expect(wrong.findNodes({})).rejects.toThrow(/refused the API key \(401\).*api-key/);
  }, 60_000);

  it('joins a subnet router and a runner; the route is approved through the API and reaches the runner', async () => {
    let t = Date.now();
    await nodeA.startDaemon();
    await nodeB.startDaemon();
    timings.daemonsStartMs = Date.now() - t;
    t = Date.now();
    const stA = await nodeA.up({
      authKey: keys[0].key,
      hostname: HUB,
      loginServer: SERVER_URL,
      advertiseRoutes: [SUBNET],
      timeoutSeconds: 60,
    });
    timings.upHubMs = Date.now() - t;
    t = Date.now();
    await nodeB.up({
      authKey: keys[1].key,
      hostname: RUNNER,
      loginServer: SERVER_URL,
      acceptRoutes: true,
      timeoutSeconds: 60,
    });
    timings.upRunnerMs = Date.now() - t;
    expect(stA.self?.tags).toEqual(['tag:lm-hub']);

    const [hub] = await api.findNodes({ hostname: HUB });
    expect(hub).toBeDefined();
    expect(hub.tags).toEqual(['tag:lm-hub']);
    expect(hub.advertisedRoutes).toEqual([SUBNET]);
    expect(hub.enabledRoutes).toEqual([]);
    await api.approveRoutes(hub.id, [SUBNET]);
    expect((await cli.findNodes({ hostname: HUB }))[0].enabledRoutes).toEqual([SUBNET]);

    t = Date.now();
    await nodeB.waitForSubnetRoute(HUB, SUBNET, 60_000, 500);
    timings.routeLiveMs = Date.now() - t;
    const hubIp = hub.addresses.find((a) => a.includes('.'))!;
    const tp = Date.now();
    expect(await nodeB.ping(hubIp, 5)).toBe(true);
    timings.firstPingMs = Date.now() - tp;
    timings.pingRetries = lines.filter((l) => / ping \S+ \d+\/\d+:/.test(l)).length;
    // Real traffic to the private subnet through the tailnet.
    const r = await netnsExec({ netns: NS.b }).run('ping -c 3 -i 0.3 -W 3 192.168.77.1', {
      timeoutMs: 10_000,
    });
    expect(r.code).toBe(0);
  }, 180_000);

  it('never logged a key; logout + delete leave no nodes and no keys', async () => {
    const logged = lines.join('\n');
    for (const k of keys) expect(logged).not.toContain(k.key);
    await nodeB.logout();
    await nodeA.logout();
    for (const n of await cli.findNodes({})) await cli.deleteNode(n.id);
    await cli.deleteNode('999'); // gone already: still fine
    for (const k of await cli.listKeys()) await cli.revokeAuthKey(k.id);
    expect(await api.findNodes({})).toEqual([]);
    expect(await api.listKeys()).toEqual([]);
    await nodeA.stopDaemon();
    await nodeB.stopDaemon();
    for (const n of [NS.a, NS.b]) {
      expect(
        (
          await sh(`for p in $(ip netns pids ${n}); do cat /proc/$p/cmdline | tr '\\0' ' '; echo; done`)
        ).trim(),
      ).toBe('');
    }
  }, 90_000);
});
