import * as grpc from '@grpc/grpc-js';
import { loadMicroVMService } from './proto/load.js';
import type { MicroVM, MicroVMSpecInput } from './types.js';

export interface FlintlockClientOptions {
  /** flintlockd --basic-auth-token; sent as `authorization: Basic <base64(token)>`. Never logged. */
  basicAuthToken?: string;
  /** Deadline per call (default 10 s). */
  timeoutMs?: number;
}

/** A failed call, naming the endpoint and method; `code` is the gRPC status (e.g. grpc.status.UNKNOWN). */
export class FlintlockError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
    readonly method: string,
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(message);
    this.name = 'FlintlockError';
  }

  /** flintlock reports a missing microVM as Unknown with "not found" in the message. */
  get notFound(): boolean {
    return this.code === grpc.status.NOT_FOUND || /not found/i.test(this.details);
  }
}

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: unknown) => void,
) => void;

/** Insecure gRPC client for flintlock's MicroVM service at "host:port". */
export class FlintlockClient {
  private readonly client: grpc.Client;
  private readonly timeoutMs: number;
  private readonly authorization?: string;

  constructor(
    readonly endpoint: string,
    opts: FlintlockClientOptions = {},
  ) {
    const { Client } = loadMicroVMService();
    this.client = new Client(endpoint, grpc.credentials.createInsecure());
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    if (opts.basicAuthToken)
      this.authorization = `Basic ${Buffer.from(opts.basicAuthToken).toString('base64')}`;
  }

  async createMicroVM(spec: MicroVMSpecInput): Promise<MicroVM> {
    const r = (await this.unary('CreateMicroVM', { microvm: spec })) as { microvm: MicroVM };
    return r.microvm;
  }

  async deleteMicroVM(uid: string): Promise<void> {
    await this.unary('DeleteMicroVM', { uid });
  }

  async getMicroVM(uid: string): Promise<MicroVM> {
    const r = (await this.unary('GetMicroVM', { uid })) as { microvm: MicroVM };
    return r.microvm;
  }

  /** Empty namespace = every namespace; `name` filters on the spec id. */
  async listMicroVMs(namespace = '', name?: string): Promise<MicroVM[]> {
    const r = (await this.unary(
      'ListMicroVMs',
      name === undefined ? { namespace } : { namespace, name },
    )) as {
      microvm: MicroVM[];
    };
    return r.microvm ?? [];
  }

  /** flintlockd has no health service: a ListMicroVMs call that answers is the readiness signal. */
  async probe(): Promise<void> {
    await this.listMicroVMs();
  }

  /** Probes until the server answers or `timeoutMs` passes; the last error is in the message. */
  async waitReady(timeoutMs: number, intervalMs = 500): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.probe();
      } catch (e) {
        if (Date.now() + intervalMs > until) {
          throw new Error(
            `flintlock at ${this.endpoint} not ready after ${timeoutMs} ms: ${(e as Error).message}`,
          );
        }
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** Polls GetMicroVM until the microVM leaves PENDING (CREATED or FAILED) or the timeout passes. */
  async waitSettled(uid: string, timeoutMs: number, intervalMs = 300): Promise<MicroVM> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const vm = await this.getMicroVM(uid);
      if (vm.status.state !== 'PENDING') return vm;
      if (Date.now() + intervalMs > until) {
        throw new Error(
          `microVM ${uid} on flintlock at ${this.endpoint} still PENDING after ${timeoutMs} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  close(): void {
    this.client.close();
  }

  private unary(method: string, req: unknown): Promise<unknown> {
    const md = new grpc.Metadata();
    if (this.authorization) md.set('authorization', this.authorization);
    const fn = (this.client as unknown as Record<string, Unary>)[method].bind(this.client);
    return new Promise((resolve, reject) => {
      fn(req, md, { deadline: Date.now() + this.timeoutMs }, (err, res) => {
        if (!err) return resolve(res);
        const name = grpc.status[err.code] ?? String(err.code);
        reject(
          new FlintlockError(
            `flintlock at ${this.endpoint}: ${method} failed: ${name}: ${err.details || err.message}`,
            this.endpoint,
            method,
            err.code,
            err.details ?? '',
          ),
        );
      });
    });
  }
}
