// Client ↔ stand-in over real gRPC on 127.0.0.1 (root: microVMs here are real namespace holders,
// created without interfaces or with a parent interface that does not exist).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FlintlockClient, FlintlockError } from '../../src/flintlock/client.js';
import { loadMicroVMService } from '../../src/flintlock/proto/load.js';
import { MicroVMManager } from '../../src/flintlock/standin/manager.js';
import { startServer } from '../../src/flintlock/standin/server.js';
import type { MicroVM } from '../../src/flintlock/types.js';

const TOKEN = 'lab-token-123';
const stateDir = mkdtempSync(join(tmpdir(), 'lm-fl-grpc-'));
const logs: string[] = [];
let mgr: MicroVMManager;
let server: grpc.Server;
let endpoint: string;
let client: FlintlockClient;

async function rejection(p: Promise<unknown>): Promise<FlintlockError> {
  try {
    await p;
  } catch (e) {
    return e as FlintlockError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  mgr = new MicroVMManager(
    {
      grpcEndpoint: { host: '127.0.0.1', port: 0, text: '127.0.0.1:0' },
      parentIface: 'lmnoexist0',
      bridgeName: '',
      insecure: true,
      stateDir,
      defaultProvider: 'cloudhypervisor',
      basicAuthToken: TOKEN,
      leaseTimeoutSeconds: 5,
    },
    (m) => logs.push(m),
  );
  await mgr.init();
  const started = await startServer(mgr, '127.0.0.1:0', TOKEN, (m) => logs.push(m));
  server = started.server;
  endpoint = `127.0.0.1:${started.port}`;
  client = new FlintlockClient(endpoint, { basicAuthToken: TOKEN, timeoutMs: 5000 });
});

afterAll(async () => {
  client?.close();
  await mgr?.deleteAll();
  server?.forceShutdown();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('flintlock client against the stand-in', () => {
  it('answers the readiness probe', async () => {
    await expect(client.probe()).resolves.toBeUndefined();
  });

  it('creates with defaults, gets, lists by namespace/name and deletes (holder gone)', async () => {
    const created = await client.createMicroVM({ namespace: 'ns1' });
    expect(created.status.state).toBe('PENDING');
    expect(created.spec).toMatchObject({
      namespace: 'ns1',
      vcpu: 2,
      memoryInMb: 1024,
      provider: 'cloudhypervisor',
    });
    expect(created.spec.id).toMatch(/^microvm-[0-9a-f]{8}$/);
    const uid = created.spec.uid!;
    expect(uid).toMatch(/^[0-9A-Z]{26}$/);

    const vm = await client.waitSettled(uid, 10_000);
    expect(vm.status.state).toBe('CREATED');
    const pid = vm.status.lmenvNetnsPid;
    expect(pid).toBeGreaterThan(0);
    expect(existsSync(`/proc/${pid}`)).toBe(true);

    const other = await client.createMicroVM({ id: 'other', namespace: 'ns2' });
    expect((await client.listMicroVMs('ns1')).map((m: MicroVM) => m.spec.uid)).toEqual([uid]);
    expect((await client.listMicroVMs('ns2', 'other')).map((m) => m.spec.id)).toEqual(['other']);
    expect(await client.listMicroVMs('ns2', 'nope')).toEqual([]);
    expect((await client.listMicroVMs()).length).toBe(2);

    await client.deleteMicroVM(uid);
    expect(existsSync(`/proc/${pid}/ns`)).toBe(false);
    expect(existsSync(join(stateDir, 'vms', uid))).toBe(false);
    const gone = await rejection(client.getMicroVM(uid));
    expect(gone.code).toBe(grpc.status.UNKNOWN);
    expect(gone.notFound).toBe(true);
    expect(gone.message).toContain(`flintlock at ${endpoint}: GetMicroVM failed: UNKNOWN`);
    await client.deleteMicroVM(other.spec.uid!);
  });

  it('maps errors like flintlock: InvalidArgument for missing spec/uid, Unknown for not found and conflicts', async () => {
    const { Client } = loadMicroVMService();
    const raw = new Client(endpoint, grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set('authorization', `Basic ${Buffer.from(TOKEN).toString('base64')}`);
    const code = await new Promise<number>((resolve) =>
      (raw as unknown as Record<string, Function>).CreateMicroVM({}, md, (e: grpc.ServiceError | null) =>
        resolve(e ? e.code : 0),
      ),
    );
    raw.close();
    expect(code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await rejection(client.getMicroVM(''))).code).toBe(grpc.status.INVALID_ARGUMENT);
    const del = await rejection(client.deleteMicroVM('01NOPE'));
    expect(del.code).toBe(grpc.status.UNKNOWN);
    expect(del.details).toMatch(/not found/);
    const a = await client.createMicroVM({ id: 'dup' });
    expect((await rejection(client.createMicroVM({ id: 'dup' }))).details).toMatch(/already exists/);
    await client.deleteMicroVM(a.spec.uid!);
  });

  it('marks a microVM FAILED with a message when its network cannot be built', async () => {
    const fc = await client.createMicroVM({
      id: 'fc',
      provider: 'firecracker',
      interfaces: [{ deviceId: 'eth1' }],
    });
    const fcDone = await client.waitSettled(fc.spec.uid!, 10_000);
    expect(fcDone.status.state).toBe('FAILED');
    expect(fcDone.status.lmenvMessage).toMatch(
      /macvtap interfaces are not supported by the firecracker provider/,
    );

    const ch = await client.createMicroVM({ id: 'ch', interfaces: [{ deviceId: 'eth1' }] });
    const chDone = await client.waitSettled(ch.spec.uid!, 10_000);
    expect(chDone.status.state).toBe('FAILED');
    expect(chDone.status.lmenvMessage).toMatch(/lmnoexist0/);
    const pid = chDone.status.lmenvNetnsPid;
    await client.deleteMicroVM(ch.spec.uid!);
    await client.deleteMicroVM(fc.spec.uid!);
    expect(existsSync(`/proc/${pid}/ns`)).toBe(false);
    expect(readdirSync(join(stateDir, 'vms'))).toEqual([]);
  });

  it('streams ListMicroVMsStream', async () => {
    const a = await client.createMicroVM({ id: 's1', namespace: 'st' });
    const { Client } = loadMicroVMService();
    const raw = new Client(endpoint, grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set('authorization', `Basic ${Buffer.from(TOKEN).toString('base64')}`);
    const ids: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const s = (raw as unknown as Record<string, Function>).ListMicroVMsStream(
        { namespace: 'st' },
        md,
      ) as grpc.ClientReadableStream<{
        microvm: MicroVM;
      }>;
      s.on('data', (m) => ids.push(m.microvm.spec.id));
      s.on('end', () => resolve());
      s.on('error', reject);
    });
    raw.close();
    expect(ids).toEqual(['s1']);
    await client.deleteMicroVM(a.spec.uid!);
  });

  it('rejects calls without the basic-auth token, and never logs the token', async () => {
    const anon = new FlintlockClient(endpoint, { timeoutMs: 3000 });
    const wrong = new FlintlockClient(endpoint, { basicAuthToken: 'nope', timeoutMs: 3000 });
    expect((await rejection(anon.listMicroVMs())).code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await rejection(wrong.listMicroVMs())).code).toBe(grpc.status.UNAUTHENTICATED);
    anon.close();
    wrong.close();
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('names the endpoint when nothing listens', async () => {
    const dead = new FlintlockClient('127.0.0.1:1', { timeoutMs: 1500 });
    const e = await rejection(dead.probe());
    expect(e.message).toMatch(
      /^flintlock at 127\.0\.0\.1:1: ListMicroVMs failed: (UNAVAILABLE|DEADLINE_EXCEEDED)/,
    );
    await expect(dead.waitReady(1000, 300)).rejects.toThrow(
      /flintlock at 127\.0\.0\.1:1 not ready after 1000 ms/,
    );
    dead.close();
  });
});
