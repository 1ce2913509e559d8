import { describe, expect, it } from '@jest/globals';
import { renderHeadscaleConfig, renderHeadscalePolicy } from '../../src/tailnet/headscale-config.js';
import { headscaleKey, headscaleNode, possiblyOurs, timestampMs } from '../../src/tailnet/headscale.js';

// Node/key shapes as headscale v0.29 prints them: the HTTP API (gRPC-gateway: camelCase, uint64 as
// strings, RFC 3339 times) and the CLI's -o json (Go encoding/json of the proto structs).
const API_NODE = {
  id: '3',
  name: 'lm-3f9c2a-hub',
  givenName: 'lm-3f9c2a-hub',
  ipAddresses: ['100.64.0.1', 'fd7a:115c:a1e0::1'],
  online: true,
  approvedRoutes: [],
  availableRoutes: ['192.168.1.0/25'],
  subnetRoutes: [],
  tags: ['tag:lm-hub'],
};
const CLI_NODE = {
  id: 3,
  name: 'lm-3f9c2a-hub',
  given_name: 'lm-3f9c2a-hub',
  ip_addresses: ['100.64.0.1'],
  approved_routes: ['192.168.1.0/25'],
  available_routes: ['192.168.1.0/25'],
  tags: ['tag:lm-hub'],
};

describe('headscale mappers', () => {
  it('reads a node from the API and from the CLI', () => {
    expect(headscaleNode(API_NODE)).toEqual({
      id: '3',
      hostname: 'lm-3f9c2a-hub',
      addresses: ['100.64.0.1', 'fd7a:115c:a1e0::1'],
      tags: ['tag:lm-hub'],
      online: true,
      advertisedRoutes: ['192.168.1.0/25'],
      enabledRoutes: [],
    });
    // online is omitted by encoding/json when false.
    expect(headscaleNode(CLI_NODE)).toMatchObject({
      id: '3',
      online: false,
      enabledRoutes: ['192.168.1.0/25'],
    });
  });

  it('reads timestamps in both forms', () => {
    expect(timestampMs('2026-11-27T10:00:00Z')).toBe(Date.parse('2026-11-27T10:00:00Z'));
    expect(timestampMs({ seconds: 1_800_000_000, nanos: 500_000_000 })).toBe(1_800_000_000_500);
    expect(timestampMs(undefined)).toBeUndefined();
  });

  it('finds the keys an ambiguous create may have made: same tags, unused, recent', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    const keys = [
      headscaleKey({ id: '1', aclTags: ['tag:ci'], used: false, createdAt: '2026-11-27T10:00:01Z' }),
      headscaleKey({ id: 2, acl_tags: ['tag:ci'], used: true, created_at: { seconds: now / 1000 + 1 } }),
      headscaleKey({ id: '3', aclTags: ['tag:lm-hub'], createdAt: '2026-11-27T10:00:01Z' }),
      headscaleKey({ id: '4', aclTags: ['tag:ci'], createdAt: '2026-11-27T09:00:00Z' }),
    ];
    expect(possiblyOurs(keys, ['tag:ci'], now).map((k) => k.id)).toEqual(['1']);
  });
});

describe('headscale config', () => {
  const yaml = renderHeadscaleConfig({
    serverUrl: 'https://203.0.113.1:8443',
    listenAddr: '203.0.113.1:8443',
    dataDir: '/run/lm-x/hs',
    tlsCertPath: '/run/lm-x/hs.pem',
    tlsKeyPath: '/run/lm-x/hs.key',
    stunListenAddr: '203.0.113.1:3478',
    derpIpv4: '203.0.113.1',
    policyPath: '/run/lm-x/hs/policy.json',
  });

  it('switches off everything that would reach the internet', () => {
    expect(yaml).toContain('  urls: []');
    expect(yaml).toContain('  auto_update_enabled: false');
    expect(yaml).toContain('disable_check_updates: true');
    expect(yaml).toMatch(/logtail:\n {2}enabled: false/);
    expect(yaml).toContain('    global: []');
    expect(yaml).not.toMatch(/1\.1\.1\.1|controlplane\.tailscale\.com|letsencrypt/);
  });

  it('runs the embedded DERP with STUN on the lab address and keeps state in the data dir', () => {
    expect(yaml).toMatch(/derp:\n {2}server:\n {4}enabled: true/);
    expect(yaml).toContain('    stun_listen_addr: "203.0.113.1:3478"');
    expect(yaml).toContain('server_url: "https://203.0.113.1:8443"');
    expect(yaml).toContain('    path: "/run/lm-x/hs/db.sqlite"');
    expect(yaml).toContain('unix_socket: "/run/lm-x/hs/headscale.sock"');
  });

  it('renders a policy declaring the tags, with optional route auto-approval', () => {
    const p = JSON.parse(
      renderHeadscalePolicy({ tags: ['tag:ci'], autoApprove: { '192.168.1.0/25': ['tag:lm-hub'] } }),
    );
    expect(p.tagOwners).toEqual({ 'tag:ci': [] });
    expect(p.autoApprovers).toEqual({ routes: { '192.168.1.0/25': ['tag:lm-hub'] } });
    expect(JSON.parse(renderHeadscalePolicy({ tags: [] })).autoApprovers).toBeUndefined();
  });
});
