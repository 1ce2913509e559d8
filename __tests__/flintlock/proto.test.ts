import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadMicroVMService } from '../../src/flintlock/proto/load.js';
import { MICROVM_PROTO, TYPES_PROTO } from '../../src/flintlock/proto/text.js';

const dir = join(process.cwd(), 'src', 'flintlock', 'proto');

describe('embedded protos', () => {
  it('are identical to the .proto files', () => {
    expect(TYPES_PROTO).toBe(readFileSync(join(dir, 'types.proto'), 'utf8'));
    expect(MICROVM_PROTO).toBe(readFileSync(join(dir, 'microvm.proto'), 'utf8'));
  });

  it('load as the MicroVM service with flintlock method paths', () => {
    const { service } = loadMicroVMService();
    expect(
      Object.values(service)
        .map((m) => m.path)
        .sort(),
    ).toEqual([
      '/microvm.services.api.v1alpha1.MicroVM/CreateMicroVM',
      '/microvm.services.api.v1alpha1.MicroVM/DeleteMicroVM',
      '/microvm.services.api.v1alpha1.MicroVM/GetMicroVM',
      '/microvm.services.api.v1alpha1.MicroVM/ListMicroVMs',
      '/microvm.services.api.v1alpha1.MicroVM/ListMicroVMsStream',
    ]);
    expect(service.ListMicroVMsStream.responseStream).toBe(true);
  });

  it('encode the lm-env extensions at field numbers 100+ (wire bytes)', () => {
    const { service } = loadMicroVMService();
    const bytes = service.GetMicroVM.responseSerialize({
      microvm: {
        status: {
          state: 'CREATED',
          lmenvNetnsPid: 7,
          networkInterfaces: { eth1: { hostDeviceName: 'x', lmenvIpv4Address: '192.168.1.30/25' } },
        },
      },
    });
    // MicroVMStatus.lmenv_netns_pid: field 100, varint → tag (100<<3|0) = 0xa0 0x06, value 7.
    expect(bytes.includes(Buffer.from([0xa0, 0x06, 0x07]))).toBe(true);
    // NetworkInterfaceStatus.lmenv_ipv4_address: field 100, length-delimited → 0xa2 0x06, len 15.
    expect(
      bytes.includes(Buffer.concat([Buffer.from([0xa2, 0x06, 15]), Buffer.from('192.168.1.30/25')])),
    ).toBe(true);
    const back = service.GetMicroVM.responseDeserialize(bytes) as { microvm: { status: { state: string } } };
    expect(back.microvm.status.state).toBe('CREATED');
  });
});
