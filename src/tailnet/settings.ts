import { parseDuration } from '../env/duration.js';
import { ValidationError, type ValidationIssue } from '../env/errors.js';
import { TAILNET_INPUTS, TAILNET_SECRET_INPUTS, TAILSCALE_DEFAULT_VERSION } from './inputs.js';

/**
 * The tailnet inputs of join-tailscale and their validation (pure). Every combination problem is
 * reported at once, before a key is minted or a daemon started. Secret values never appear in messages.
 */

export { TAILNET_INPUTS, TAILNET_SECRET_INPUTS, TAILSCALE_DEFAULT_VERSION };

export type TailnetAuth =
  | { kind: 'oauth'; clientId: string; secret: string; tags: string[] }
  | { kind: 'authkey'; key: string; tags: string[] }
  | { kind: 'headscale-api'; apiKey: string; tags: string[] }
  /** The lab's own headscale: lm-env starts it and mints keys through its CLI (no credentials). */
  | { kind: 'lab'; tags: string[] };

export interface TailnetSettings {
  auth: TailnetAuth;
  /** headscale URL; undefined = Tailscale's control server. */
  loginServer?: string;
  version: string;
  hostname?: string;
  timeoutSeconds: number;
  acceptDns: boolean;
  /** sha256 of the tailscale tarball for `version` ('' = none given). */
  sha256: string;
}

export interface ParseTailnetOptions {
  /**
   * The environment can run its own control server (provider lab): with no credentials and no
   * login-server given, auth is { kind: 'lab' } instead of an error.
   */
  labControl?: boolean;
}

export type RawTailnetInputs = Record<string, string | undefined>;

/** Every secret value present in the inputs (for masking and redaction). */
export function tailnetSecrets(raw: RawTailnetInputs): string[] {
  return TAILNET_SECRET_INPUTS.map((n) => (raw[n] ?? '').trim()).filter((v) => v !== '');
}

const TAG_RE = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
const HOSTNAME_RE = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

export function parseTailnetSettings(raw: RawTailnetInputs, opts: ParseTailnetOptions = {}): TailnetSettings {
  const issues: ValidationIssue[] = [];
  const get = (n: string) => (raw[n] ?? '').trim();
  const shown = (n: string) => (TAILNET_SECRET_INPUTS.includes(n) && get(n) !== '' ? '(secret)' : get(n));
  const bad = (field: string, problem: string, fix: string) =>
    issues.push({ field, value: shown(field), problem, fix });

  const clientId = get('oauth-client-id');
  const secret = get('oauth-secret');
  const authkey = get('authkey');
  const apiKey = get('api-key');
  const loginServer = get('login-server');

  const tags =
    get('tags') === ''
      ? []
      : get('tags')
          .split(/[\s,]+/)
          .filter((t) => t !== '');
  const badTags = tags.filter((t) => !TAG_RE.test(t));
  if (badTags.length > 0) {
    bad(
      'tags',
      `${badTags.join(', ')} ${badTags.length === 1 ? 'is not a tag' : 'are not tags'}`,
      'write each as tag:<name> (a letter, then letters, digits or -), comma-separated',
    );
  }

  let auth: TailnetAuth | undefined;
  const oauth = clientId !== '' || secret !== '';
  const modes = [
    oauth && 'oauth-client-id/oauth-secret',
    authkey !== '' && 'authkey',
    apiKey !== '' && 'api-key',
  ].filter(Boolean);
  const labMode = modes.length === 0 && opts.labControl === true && loginServer === '';
  if (labMode) auth = { kind: 'lab', tags: tags.length > 0 ? tags : ['tag:lm-env'] };
  else if (modes.length === 0) {
    bad(
      'oauth-secret',
      'no tailnet credentials given',
      'set oauth-client-id, oauth-secret and tags (Tailscale), or login-server and api-key (headscale), or authkey',
    );
  } else if (modes.length > 1) {
    bad(
      authkey !== '' ? 'authkey' : 'api-key',
      `conflicts with ${modes.filter((m) => m !== (authkey !== '' ? 'authkey' : 'api-key')).join(' and ')}`,
      'give exactly one kind of credentials',
    );
  }

  if (oauth) {
    if (clientId === '')
      bad(
        'oauth-client-id',
        'required with oauth-secret',
        'set the id of the OAuth client the secret belongs to',
      );
    if (secret === '')
      bad('oauth-secret', 'required with oauth-client-id', 'set the OAuth client secret (tskey-client-…)');
    else if (!secret.startsWith('tskey-client-')) {
      bad(
        'oauth-secret',
        'is not an OAuth client secret (they start with tskey-client-)',
        secret.startsWith('tskey-auth-')
          ? 'this is an auth key: pass it as authkey instead'
          : 'copy the secret shown when the OAuth client was created',
      );
    }
    if (tags.length === 0)
      bad(
        'tags',
        'required with an OAuth client: keys it mints must be tagged',
        'set tags to tags the OAuth client owns, e.g. tag:ci',
      );
    if (loginServer !== '')
      bad(
        'login-server',
        'OAuth clients work only with Tailscale, not headscale',
        'for headscale use api-key (or authkey) instead of oauth-client-id/oauth-secret',
      );
    if (modes.length === 1) auth = { kind: 'oauth', clientId, secret, tags };
  }
  if (authkey !== '') {
    if (authkey.startsWith('tskey-client-'))
      bad(
        'authkey',
        'is an OAuth client secret, not an auth key',
        'pass it as oauth-secret with oauth-client-id and tags',
      );
    else if (loginServer === '' && !authkey.startsWith('tskey-auth-'))
      bad(
        'authkey',
        'is not a Tailscale auth key (they start with tskey-auth-)',
        'set login-server for a headscale key, or create an auth key in the Tailscale admin console',
      );
    if (modes.length === 1) auth = { kind: 'authkey', key: authkey, tags };
  }
  if (apiKey !== '') {
    if (loginServer === '')
      bad(
        'api-key',
        'is a headscale API key and needs login-server',
        'set login-server to the headscale URL',
      );
    if (tags.length === 0)
      bad('tags', 'required with api-key: preauth keys are minted tagged', 'set tags, e.g. tag:ci');
    if (modes.length === 1) auth = { kind: 'headscale-api', apiKey, tags };
  }

  if (loginServer !== '') {
    let u: URL | undefined;
    try {
      u = new URL(loginServer);
    } catch {
      u = undefined;
    }
    if (!u || !['http:', 'https:'].includes(u.protocol) || u.username || u.password || u.search) {
      bad(
        'login-server',
        'is not an http(s) URL without credentials or query',
        'e.g. https://headscale.example.com',
      );
    }
  }

  const version = get('version') || TAILSCALE_DEFAULT_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(version))
    bad('version', 'is not a version x.y.z', `e.g. ${TAILSCALE_DEFAULT_VERSION}`);

  const hostname = get('hostname');
  if (hostname !== '') {
    if (hostname.length > 63)
      bad('hostname', `is ${hostname.length} characters long; at most 63 fit a DNS label`, 'shorten it');
    else if (!HOSTNAME_RE.test(hostname))
      bad('hostname', 'is not a DNS label', 'use letters, digits and -, not at the start or end');
  }

  const timeoutRaw = get('timeout') || '2m';
  const timeoutSeconds = parseDuration(timeoutRaw);
  if (timeoutSeconds === undefined || timeoutSeconds < 5 || timeoutSeconds > 3600) {
    bad('timeout', 'is not a duration between 5s and 1h', 'e.g. 30s, 2m, 1m30s');
  }

  const sha256 = get('sha256sum').toLowerCase();
  if (sha256 !== '' && !/^[0-9a-f]{64}$/.test(sha256))
    bad('sha256sum', 'is not a sha256 (64 hex digits)', 'copy the sha256 published beside the tarball');

  const dnsRaw = get('accept-dns') || 'false';
  if (![...TRUE, ...FALSE].includes(dnsRaw)) bad('accept-dns', 'is not a boolean', 'use true or false');

  if (issues.length > 0 || !auth) throw new ValidationError(issues);
  return {
    auth,
    loginServer: loginServer === '' ? undefined : loginServer.replace(/\/+$/, ''),
    version,
    hostname: hostname === '' ? undefined : hostname.toLowerCase(),
    timeoutSeconds: timeoutSeconds!,
    acceptDns: TRUE.includes(dnsRaw),
    sha256,
  };
}
