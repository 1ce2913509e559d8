import type { InputDef } from '../env/inputs.js';

/**
 * The tailnet inputs of join-tailscale (and of the root action). Kept free of runtime imports so the
 * action.yml generator can load it on its own.
 */

export const TAILSCALE_DEFAULT_VERSION = '1.100.0';

export const TAILNET_INPUTS: InputDef[] = [
  {
    name: 'oauth-client-id',
    default: '',
    description:
      'Tailscale OAuth client id; with oauth-secret and tags, per-environment auth keys are minted from it',
  },
  {
    name: 'oauth-secret',
    default: '',
    secret: true,
    description:
      'Tailscale OAuth client secret (tskey-client-…); needs the auth_keys, devices:core, devices:routes scopes',
  },
  {
    name: 'tags',
    default: '',
    description: 'Comma list of tags for the nodes (tag:ci,…); required with oauth-secret or api-key',
  },
  {
    name: 'authkey',
    default: '',
    secret: true,
    description:
      'A ready-made auth key instead of an OAuth client (Tailscale tskey-auth-… or a headscale preauth key)',
  },
  {
    name: 'login-server',
    default: '',
    description: 'Control server URL for headscale (https://…); empty = Tailscale',
  },
  {
    name: 'api-key',
    default: '',
    secret: true,
    description: 'headscale API key (from `headscale apikeys create`); preauth keys are minted with it',
  },
  { name: 'version', default: TAILSCALE_DEFAULT_VERSION, description: 'Tailscale client version (x.y.z)' },
  {
    name: 'hostname',
    default: '',
    derived: 'github-<runner hostname>',
    description: 'Tailnet hostname of this runner (a DNS label, at most 63 characters)',
  },
  {
    name: 'sha256sum',
    default: '',
    description:
      'sha256 of the tailscale static tarball for `version`; required to install Tailscale where it is missing (the lab serves its own)',
  },
  { name: 'timeout', default: '2m', description: 'Time allowed for each `tailscale up` attempt (30s, 2m)' },
  {
    name: 'accept-dns',
    default: 'false',
    boolean: true,
    description: "Use the tailnet's DNS settings on this runner",
  },
];

/** Names of the inputs whose values are secrets: mask them (core.setSecret) before anything logs. */
export const TAILNET_SECRET_INPUTS: readonly string[] = TAILNET_INPUTS.filter((i) => i.secret).map(
  (i) => i.name,
);

/** Outputs of the join-tailscale action. */
export const JOIN_OUTPUTS = [
  { name: 'tailnet-ip', description: "The runner's tailnet IPv4 address" },
  { name: 'node-id', description: "The runner's node id on the control server" },
  { name: 'hub-node-id', description: "The hub's node id on the control server" },
  {
    name: 'route-status',
    description: "'live' when the VLAN subnet is routed to the runner and every flintlock endpoint answers",
  },
  { name: 'join-seconds', description: 'Seconds from the start of the join until every endpoint answered' },
];
