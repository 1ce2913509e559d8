import { describe, expect, it } from '@jest/globals';
import {
  InvalidSpecError,
  newUid,
  normalizeSpec,
  unsupportedReason,
} from '../../src/flintlock/standin/spec.js';

const ctx = {
  now: new Date('2026-11-27T10:00:00.250Z'),
  uid: 'UID1',
  defaultProvider: 'cloudhypervisor',
  randomName: () => 'microvm-r',
};

describe('normalizeSpec', () => {
  it('applies flintlock create defaults', () => {
    const s = normalizeSpec({ interfaces: [{ deviceId: '' }] }, ctx);
    expect(s).toMatchObject({
      id: 'microvm-r',
      namespace: 'default',
      vcpu: 2,
      memoryInMb: 1024,
      uid: 'UID1',
      provider: 'cloudhypervisor',
      interfaces: [{ deviceId: 'eth1', type: 'MACVTAP' }],
      createdAt: { seconds: String(Date.parse('2026-11-27T10:00:00Z') / 1000), nanos: 250_000_000 },
    });
    expect(
      normalizeSpec({ id: 'a', namespace: 'ns', vcpu: 4, memoryInMb: 512, provider: 'firecracker' }, ctx),
    ).toMatchObject({
      id: 'a',
      namespace: 'ns',
      vcpu: 4,
      memoryInMb: 512,
      provider: 'firecracker',
    });
  });

  it('rejects a missing spec and malformed interfaces as invalid arguments', () => {
    expect(() => normalizeSpec(undefined, ctx)).toThrow(InvalidSpecError);
    expect(() => normalizeSpec({ interfaces: [{ deviceId: 'eth1' }, { deviceId: 'eth1' }] }, ctx)).toThrow(
      /used twice/,
    );
    expect(() => normalizeSpec({ interfaces: [{ deviceId: 'eth1', guestMac: 'zz' }] }, ctx)).toThrow(/MAC/);
    expect(() =>
      normalizeSpec({ interfaces: [{ deviceId: 'eth1', address: { address: '10.0.0.5' } }] }, ctx),
    ).toThrow(/IPv4 CIDR/);
    expect(() => normalizeSpec({ id: 'bad/name' }, ctx)).toThrow(/not a valid name/);
  });

  it('models the macvtap/firecracker pitfall and missing parent interface', () => {
    const fc = normalizeSpec({ provider: 'firecracker', interfaces: [{ deviceId: 'eth1' }] }, ctx);
    expect(unsupportedReason(fc, { parentIface: 'bond0.1000', bridgeName: '' })).toMatch(
      /not supported by the firecracker/,
    );
    const ch = normalizeSpec({ interfaces: [{ deviceId: 'eth1' }] }, ctx);
    expect(unsupportedReason(ch, { parentIface: 'bond0.1000', bridgeName: '' })).toBeUndefined();
    expect(unsupportedReason(ch, { parentIface: '', bridgeName: 'br0' })).toMatch(/needs parent-iface/);
    const tap = normalizeSpec({ interfaces: [{ deviceId: 'eth1', type: 'TAP' }] }, ctx);
    expect(unsupportedReason(tap, { parentIface: 'bond0.1000', bridgeName: '' })).toMatch(
      /needs bridge-name/,
    );
  });
});

describe('newUid', () => {
  it('is a 26-character time-ordered ULID', () => {
    const a = newUid(new Date(1_000_000), Buffer.alloc(16));
    const b = newUid(new Date(2_000_000), Buffer.alloc(16, 255));
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
  });
});
