import { describe, expect, it } from '@jest/globals';
import {
  ConfigError,
  parseEndpoint,
  parseInvocation,
  resolveConfig,
  unknownConfigKeys,
} from '../../src/flintlock/standin/config.js';
import { ConfigSyntaxError, parseSimpleYaml } from '../../src/flintlock/standin/yaml.js';

describe('parseSimpleYaml', () => {
  it('reads flintlockd config files as provision.sh and lm-env write them', () => {
    const text = [
      '---',
      '# written by lm-env',
      'grpc-endpoint: "192.168.1.3:9090"',
      "parent-iface: 'bond0.1000'",
      'insecure: true',
      'verbosity: 9',
      'state-dir: /var/lib/flintlock   # trailing comment',
      'basic-auth-token: "a#b c"',
      '',
    ].join('\n');
    expect(parseSimpleYaml(text)).toEqual({
      'grpc-endpoint': '192.168.1.3:9090',
      'parent-iface': 'bond0.1000',
      insecure: true,
      verbosity: 9,
      'state-dir': '/var/lib/flintlock',
      'basic-auth-token': 'a#b c',
    });
  });

  it('rejects what it would misread, naming the line', () => {
    expect(() => parseSimpleYaml('a: 1\n  b: 2\n')).toThrow(/line 2: nested/);
    expect(() => parseSimpleYaml('a: 1\na: 2\n')).toThrow(/line 2: duplicate key "a"/);
    expect(() => parseSimpleYaml('just words\n')).toThrow(ConfigSyntaxError);
    expect(() => parseSimpleYaml('a: "open\n')).toThrow(/unterminated/);
    expect(() => parseSimpleYaml('a: [1, 2]\n')).toThrow(/unsupported YAML value/);
  });
});

describe('parseInvocation', () => {
  it('accepts the real flintlockd command line, with = and separate values', () => {
    const inv = parseInvocation([
      'run',
      '--config',
      '/etc/opt/flintlockd/config.yaml',
      '--grpc-endpoint=10.0.0.3:9090',
      '--insecure',
      '--parent-iface',
      'bond0.1000',
      '--containerd-socket',
      '/run/containerd/containerd.sock',
      '--enable-http=false',
    ]);
    expect(inv).toEqual({
      command: 'run',
      configPath: '/etc/opt/flintlockd/config.yaml',
      flags: {
        'grpc-endpoint': '10.0.0.3:9090',
        insecure: true,
        'parent-iface': 'bond0.1000',
        'containerd-socket': '/run/containerd/containerd.sock',
        'enable-http': false,
      },
    });
    expect(parseInvocation(['version']).command).toBe('version');
  });

  it('rejects unknown flags and commands and missing values', () => {
    expect(() => parseInvocation(['run', '--grpc-adress', 'x'])).toThrow(/unknown flag --grpc-adress/);
    expect(() => parseInvocation(['serve'])).toThrow(/unknown command "serve"/);
    expect(() => parseInvocation(['run', '--state-dir'])).toThrow(/needs a value/);
    expect(() => parseInvocation(['run', '--insecure=yes'])).toThrow(/true or false/);
  });
});

describe('resolveConfig', () => {
  const file = {
    'grpc-endpoint': '192.168.1.3:9090',
    'parent-iface': 'bond0.1000',
    insecure: true,
    verbosity: 9,
  };

  it('lets flags override the file and fills flintlockd defaults', () => {
    const cfg = resolveConfig({ 'state-dir': '/tmp/x', 'default-provider': 'cloudhypervisor' }, file);
    expect(cfg).toEqual({
      grpcEndpoint: { host: '192.168.1.3', port: 9090, text: '192.168.1.3:9090' },
      parentIface: 'bond0.1000',
      bridgeName: '',
      insecure: true,
      stateDir: '/tmp/x',
      defaultProvider: 'cloudhypervisor',
      basicAuthToken: '',
      leaseTimeoutSeconds: 30,
    });
    expect(resolveConfig({ 'grpc-endpoint': '192.168.1.9:1' }, file).grpcEndpoint.host).toBe('192.168.1.9');
    expect(resolveConfig({}, { 'bridge-name': 'br0', insecure: 'true' }).grpcEndpoint.text).toBe(
      'localhost:9090',
    );
  });

  it('refuses to start without parent-iface or bridge-name, and lists every problem', () => {
    let err: ConfigError | undefined;
    try {
      resolveConfig({ 'grpc-endpoint': 'nope', 'default-provider': 'qemu', 'lease-timeout': '0' }, {});
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual([
      'grpc-endpoint "nope" is not host:port',
      'one of parent-iface or bridge-name is required',
      'the lab stand-in serves plain gRPC only: set insecure: true (TLS is not implemented by it)',
      'default-provider "qemu" must be firecracker or cloudhypervisor',
      'lease-timeout "0" must be whole seconds between 1 and 600',
    ]);
  });

  it('reports unknown keys (viper ignores them; the stand-in warns)', () => {
    expect(unknownConfigKeys({ ...file, 'grpc-adress': 'x' })).toEqual(['grpc-adress']);
  });

  it('parses endpoints', () => {
    expect(parseEndpoint('[fd00::3]:9090')).toEqual({ host: 'fd00::3', port: 9090, text: '[fd00::3]:9090' });
    expect(parseEndpoint('127.0.0.1:0')?.port).toBe(0);
    expect(parseEndpoint('host:70000')).toBeUndefined();
    expect(parseEndpoint('1.2.3.4')).toBeUndefined();
  });
});
