import { timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { loadMicroVMService } from '../proto/load.js';
import type { MicroVM, MicroVMSpecInput } from '../types.js';
import { ConflictError, NotFoundError, type Logger, type MicroVMManager } from './manager.js';
import { InvalidSpecError } from './spec.js';

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;
type Done = grpc.sendUnaryData<unknown>;

function grpcError(code: grpc.status, details: string): Partial<grpc.StatusObject> {
  return { code, details };
}

/** flintlock's error mapping: InvalidArgument for bad requests, everything else Unknown. */
function toStatus(e: unknown): Partial<grpc.StatusObject> {
  if (e instanceof InvalidSpecError) return grpcError(grpc.status.INVALID_ARGUMENT, e.message);
  if (e instanceof NotFoundError || e instanceof ConflictError)
    return grpcError(grpc.status.UNKNOWN, e.message);
  return grpcError(grpc.status.UNKNOWN, (e as Error).message ?? String(e));
}

/** Checks `authorization: Basic <base64(token)>` when a token is configured (constant-time compare). */
export function authorized(md: grpc.Metadata, token: string): boolean {
  if (!token) return true;
  const got = Buffer.from(String(md.get('authorization')[0] ?? ''));
  const want = Buffer.from(`Basic ${Buffer.from(token).toString('base64')}`);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The MicroVM service implementation backed by the manager. */
export function microVMHandlers(
  mgr: MicroVMManager,
  token: string,
  log: Logger,
): grpc.UntypedServiceImplementation {
  const guard =
    <Req>(name: string, fn: (req: Req) => Promise<unknown> | unknown) =>
    (call: Call<Req>, cb: Done): void => {
      if (!authorized(call.metadata, token)) {
        log(`${name}: rejected unauthenticated call from ${call.getPeer()}`);
        cb(grpcError(grpc.status.UNAUTHENTICATED, 'invalid or missing basic auth token'));
        return;
      }
      Promise.resolve()
        .then(() => fn(call.request))
        .then(
          (res) => cb(null, res),
          (e) => cb(toStatus(e)),
        );
    };
  const uidOf = (req: { uid?: string }): string => {
    if (!req.uid) throw new InvalidSpecError('uid is required');
    return req.uid;
  };
  return {
    CreateMicroVM: guard<{ microvm?: MicroVMSpecInput | null }>('CreateMicroVM', (req) => ({
      microvm: mgr.create(req.microvm),
    })),
    DeleteMicroVM: guard<{ uid?: string }>('DeleteMicroVM', async (req) => {
      await mgr.delete(uidOf(req));
      return {};
    }),
    GetMicroVM: guard<{ uid?: string }>('GetMicroVM', (req) => ({ microvm: mgr.get(uidOf(req)) })),
    ListMicroVMs: guard<{ namespace?: string; name?: string }>('ListMicroVMs', (req) => ({
      microvm: mgr.list(req.namespace ?? '', req.name),
    })),
    ListMicroVMsStream: (call: grpc.ServerWritableStream<{ namespace?: string; name?: string }, unknown>) => {
      if (!authorized(call.metadata, token)) {
        call.destroy(
          Object.assign(new Error('invalid or missing basic auth token'), {
            code: grpc.status.UNAUTHENTICATED,
          }),
        );
        return;
      }
      for (const vm of mgr.list(call.request.namespace ?? '', call.request.name) as MicroVM[])
        call.write({ microvm: vm });
      call.end();
    },
  };
}

/** Binds the MicroVM service on host:port (plain gRPC). Resolves with the bound port. */
export function startServer(
  mgr: MicroVMManager,
  endpoint: string,
  token: string,
  log: Logger,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  server.addService(loadMicroVMService().service, microVMHandlers(mgr, token, log));
  return new Promise((resolve, reject) => {
    server.bindAsync(endpoint, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(new Error(`cannot listen on ${endpoint}: ${err.message}`));
      else resolve({ server, port });
    });
  });
}
