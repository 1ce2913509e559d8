import { SPEC_INPUTS, type InputDef } from '../../env/inputs.js';
import { JOIN_OUTPUTS, TAILNET_INPUTS } from '../../tailnet/inputs.js';

/**
 * What each action takes and gives. The action.yml files and README tables are checked against
 * this by tests, so the three never drift apart.
 */
export interface ActionDef {
  dir: string;
  name: string;
  description: string;
  inputs: InputDef[];
  outputs: { name: string; description: string }[];
  main: string;
  post?: string;
}

export const ENV_FILE_INPUT: InputDef = {
  name: 'env-file',
  default: '',
  derived: '$RUNNER_TEMP/lm-env/environment.json',
  description: 'Path of the Environment file that hands state between steps and jobs',
};

const PLAN_OUTPUTS = [
  { name: 'environment-id', description: 'Environment id (owner tag on every resource), e.g. lm-3f9c2a' },
  { name: 'env-file', description: 'Path of the Environment file' },
  { name: 'plan', description: 'The plan as JSON (network and hosts as in the Environment file)' },
  { name: 'subnet', description: 'Private VLAN subnet' },
  { name: 'gateway', description: "Hub's private address (router and DNS for microVMs)" },
  { name: 'vlan-interface', description: 'VLAN interface on every host, e.g. bond0.1000' },
  { name: 'flintlock-endpoints', description: 'Comma list of flintlock gRPC endpoints (host:port)' },
];

export const ACTIONS: ActionDef[] = [
  {
    dir: '.',
    name: 'lm-env',
    description:
      'Bring up a liquid-metal environment (hub + flintlock hosts on a private VLAN); tear it down in post',
    inputs: [...SPEC_INPUTS, ENV_FILE_INPUT, ...TAILNET_INPUTS],
    outputs: [...PLAN_OUTPUTS, { name: 'dry-run', description: "'true' when nothing was created" }],
    main: 'dist/index.js',
    post: 'dist/post/index.js',
  },
  {
    dir: 'provision-metal',
    name: 'lm-env provision-metal',
    description: 'Create the hub and flintlock hosts and the VLAN; write the Environment file',
    inputs: [...SPEC_INPUTS, ENV_FILE_INPUT],
    outputs: PLAN_OUTPUTS,
    main: '../dist/provision-metal/index.js',
  },
  {
    dir: 'configure-network',
    name: 'lm-env configure-network',
    description: 'Configure VLAN, NAT, DHCP, DNS and flintlock on every host of an Environment file',
    inputs: [{ ...ENV_FILE_INPUT, default: '', derived: 'required' }],
    outputs: [
      { name: 'changed', description: "'true' when any host changed" },
      { name: 'results', description: 'Per-host results as JSON (items changed/unchanged)' },
    ],
    main: '../dist/configure-network/index.js',
  },
  {
    dir: 'join-tailscale',
    name: 'lm-env join-tailscale',
    description: 'Make the hub a Tailscale subnet router and join this runner as an ephemeral node',
    inputs: [{ ...ENV_FILE_INPUT, default: '', derived: 'required' }, ...TAILNET_INPUTS],
    outputs: JOIN_OUTPUTS,
    main: '../dist/join-tailscale/index.js',
    post: '../dist/join-tailscale/post/index.js',
  },
  {
    dir: 'teardown',
    name: 'lm-env teardown',
    description: 'Delete everything an Environment file records, then sweep by owner tag',
    inputs: [{ ...ENV_FILE_INPUT, default: '', derived: 'required' }],
    outputs: [
      {
        name: 'remaining',
        description: 'Resources that could not be deleted, as JSON (empty list when clean)',
      },
    ],
    main: '../dist/teardown/index.js',
  },
];
