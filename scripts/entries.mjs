// Every bundle the project ships: the root action (main + post), the four sub-actions, and the CLI.
export const entries = [
  { name: 'main', src: 'src/actions/up/main.ts', out: '.' },
  { name: 'post', src: 'src/actions/up/post.ts', out: 'post' },
  { name: 'provision-metal', src: 'src/actions/provision-metal/main.ts', out: 'provision-metal' },
  { name: 'configure-network', src: 'src/actions/configure-network/main.ts', out: 'configure-network' },
  { name: 'join-tailscale', src: 'src/actions/join-tailscale/main.ts', out: 'join-tailscale' },
  { name: 'join-tailscale-post', src: 'src/actions/join-tailscale/post.ts', out: 'join-tailscale/post' },
  { name: 'teardown', src: 'src/actions/teardown/main.ts', out: 'teardown' },
  { name: 'cli', src: 'src/cli/index.ts', out: 'cli' },
  // lab: flintlockd stand-in (installed as /usr/local/bin/flintlockd) and a flintlock gRPC client CLI
  { name: 'flintlockd-standin', src: 'src/flintlock/standin/main.ts', out: 'flintlockd-standin' },
  { name: 'flintlock-client', src: 'src/flintlock/client-cli.ts', out: 'flintlock-client' },
];
