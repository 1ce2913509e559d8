import { describe, expect, it } from '@jest/globals';
import { statusSample, TABLE_52 } from '../../__fixtures__/tailnet/status-samples.js';
import { findPeer, parseStatusJson, routeInTable52, routeReadiness } from '../../src/tailnet/status.js';

const parse = (o: unknown) => parseStatusJson(JSON.stringify(o));

describe('parseStatusJson', () => {
  it('reads backend state, self and peers', () => {
    const s = parse(statusSample({ primaryRoutes: ['192.168.1.0/25'] }));
    expect(s.backendState).toBe('Running');
    expect(s.self?.hostname).toBe('github-runner-1');
    expect(s.tailscaleIps).toEqual(['100.64.0.2', 'fd7a:115c:a1e0::2']);
    expect(s.peers.map((p) => p.hostname).sort()).toEqual(['lm-3f9c2a-hub', 'other-node']);
    const hub = findPeer(s, 'LM-3F9C2A-HUB')!;
    expect(hub).toMatchObject({ online: true, primaryRoutes: ['192.168.1.0/25'], tags: ['tag:lm-hub'] });
  });

  it('copes with a node that has no peers yet (Peer null) and no Self', () => {
    const s = parseStatusJson(
      '{"BackendState":"NeedsLogin","Peer":null,"AuthURL":"https://login.example/a/1"}',
    );
    expect(s).toEqual({
      backendState: 'NeedsLogin',
      self: undefined,
      peers: [],
      health: [],
      authUrl: 'https://login.example/a/1',
      tailscaleIps: [],
    });
  });

  it('rejects output that is not status JSON, quoting it', () => {
    expect(() => parseStatusJson('failed to connect to local tailscaled')).toThrow(
      /printed no JSON: failed to connect/,
    );
    expect(() => parseStatusJson('{"x":1}')).toThrow(/no BackendState/);
  });
});

describe('routeReadiness', () => {
  const subnet = '192.168.1.0/25';
  it('is ready when the hub is online and serves the subnet', () => {
    expect(routeReadiness(parse(statusSample({ primaryRoutes: [subnet] })), 'lm-3f9c2a-hub', subnet)).toEqual(
      { ready: true, reason: 'ready' },
    );
  });
  it('names what is missing', () => {
    const cases: [Parameters<typeof statusSample>[0], string, RegExp][] = [
      [{ backendState: 'Starting', primaryRoutes: [subnet] }, 'lm-3f9c2a-hub', /backend is Starting/],
      [{ primaryRoutes: [subnet] }, 'nohub', /nohub is not among the peers/],
      [{ hubOnline: false, primaryRoutes: [subnet] }, 'lm-3f9c2a-hub', /is not online/],
      [{ primaryRoutes: null }, 'lm-3f9c2a-hub', /does not serve 192.168.1.0\/25 yet/],
      [{ primaryRoutes: ['10.0.0.0/24'] }, 'lm-3f9c2a-hub', /does not serve/],
    ];
    for (const [sample, hub, re] of cases) {
      const r = routeReadiness(parse(statusSample(sample)), hub, subnet);
      expect(r.ready).toBe(false);
      expect(r.reason).toMatch(re);
    }
  });
});

describe('routeInTable52', () => {
  it('finds the subnet as a destination, not as a throw rule or substring', () => {
    expect(routeInTable52(TABLE_52, '192.168.1.0/25')).toBe(true);
    expect(routeInTable52(TABLE_52, '192.168.0.0/24')).toBe(false);
    expect(routeInTable52(TABLE_52, '192.168.1.0/2')).toBe(false);
    expect(routeInTable52(TABLE_52, '100.64.0.1/32')).toBe(true);
    expect(routeInTable52('', '192.168.1.0/25')).toBe(false);
  });
});
