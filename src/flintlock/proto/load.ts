import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { MICROVM_PROTO, MICROVM_PROTO_PATH, TYPES_PROTO, TYPES_PROTO_PATH } from './text.js';

/**
 * How messages look in JavaScript: camelCase fields, enums as their names, int64 as strings,
 * unset scalars as their defaults. Client and stand-in share these options so both sides agree.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export interface MicroVMServiceBinding {
  /** For grpc.Server#addService. */
  service: grpc.ServiceDefinition;
  /** Generic client constructor for the MicroVM service. */
  Client: grpc.ServiceClientConstructor;
}

let cached: MicroVMServiceBinding | undefined;

/**
 * Loads the MicroVM service from the embedded proto text. proto-loader only reads files, so the text
 * goes to a private temporary directory that is removed right after parsing — this works the same
 * from the sources and from an ncc bundle, which carries no .proto files.
 */
export function loadMicroVMService(): MicroVMServiceBinding {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'lmenv-proto-'));
  try {
    for (const [rel, text] of [
      [TYPES_PROTO_PATH, TYPES_PROTO],
      [MICROVM_PROTO_PATH, MICROVM_PROTO],
    ]) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    const def = protoLoader.loadSync(join(dir, MICROVM_PROTO_PATH), {
      ...LOADER_OPTIONS,
      includeDirs: [dir],
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      microvm: { services: { api: { v1alpha1: { MicroVM: grpc.ServiceClientConstructor } } } };
    };
    const Client = pkg.microvm.services.api.v1alpha1.MicroVM;
    cached = { service: Client.service, Client };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
