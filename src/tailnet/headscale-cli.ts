import type { Exec } from '../exec/types.js';
import {
  type AuthKey,
  type AuthKeyRequest,
  type NodeFilter,
  TailnetApiError,
  type TailnetControl,
  type TailnetNode,
  nodeMatches,
  createKeyWithoutStrays,
} from './control.js';
import {
  headscaleKey,
  headscaleNode,
  type HeadscaleKeyInfo,
  possiblyOurs,
  timestampMs,
} from './headscale.js';
import { q } from './node.js';
import { Redactor } from './redact.js';

/**
 * TailnetControl through the headscale CLI on the machine (or lab namespace) where headscale runs,
 * reached with the Exec port: no API key and no route from the runner to headscale's address needed.
 * The CLI talks gRPC to the local server over its unix socket (unix_socket in the config).
 * `-o json` prints the proto structs with Go's encoding/json: snake_case names, numeric ids, and
 * timestamps as {seconds, nanos} — the mappers in headscale.ts read both that and the API's form.
 */

export interface HeadscaleCliOptions {
  exec: Exec;
  /** How to call headscale, e.g. "/var/cache/lm-env/bin/headscale -c /run/lm-x/headscale/config.yaml". */
  command: string;
  /** server_url, for `tailscale up --login-server`. */
  loginServer: string;
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Minted keys are added to it so nothing later logs them. */
  redactor?: Redactor;
}

/** Thrown when the CLI could not be run to the end: a create may or may not have happened. */
class CliAmbiguous extends Error {}

export class HeadscaleCli implements TailnetControl {
  readonly kind = 'headscale' as const;
  readonly loginServer: string;
  private readonly redactor: Redactor;

  constructor(private readonly o: HeadscaleCliOptions) {
    this.loginServer = o.loginServer.replace(/\/+$/, '');
    this.redactor = o.redactor ?? new Redactor();
  }

  /** Runs a subcommand with JSON output; returns the parsed JSON. Output is never logged (it may hold keys). */
  private async json(args: string[]): Promise<unknown> {
    const cmd = `${this.o.command} ${args.map(q).join(' ')} --force -o json`;
    this.o.log?.(`[${this.o.exec.target}] $ ${this.redactor.redact(cmd)}`);
    let r;
    try {
      r = await this.o.exec.run(cmd, { timeoutMs: this.o.timeoutMs ?? 30_000 });
    } catch (e) {
      throw new CliAmbiguous(
        `headscale ${args.slice(0, 2).join(' ')} on ${this.o.exec.target}: ${(e as Error).message}`,
      );
    }
    if (r.code !== 0) {
      const msg = this.redactor.redact((r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' '));
      throw new TailnetApiError(
        `headscale ${args.slice(0, 2).join(' ')} on ${this.o.exec.target} failed (exit ${r.code}): ${msg}`,
      );
    }
    const text = r.stdout.trim();
    try {
      return text === '' ? null : JSON.parse(text);
    } catch {
      throw new TailnetApiError(
        `headscale ${args.slice(0, 2).join(' ')} printed no JSON: ${this.redactor.redact(text.slice(0, 200))}`,
      );
    }
  }

  async createAuthKey(req: AuthKeyRequest): Promise<AuthKey> {
    const args = [
      'preauthkeys',
      'create',
      `--reusable=${req.reusable}`,
      `--ephemeral=${req.ephemeral}`,
      '--expiration',
      `${req.expirySeconds}s`,
      '--tags',
      req.tags.join(','),
    ];
    return createKeyWithoutStrays({
      what: 'a headscale preauth key',
      rounds: 3,
      attempt: async () => {
        const k = (await this.json(args)) as Record<string, unknown> | null;
        if (!k || typeof k.key !== 'string')
          throw new TailnetApiError('headscale preauthkeys create printed no key');
        this.redactor.add(k.key);
        const exp = timestampMs(k.expiration);
        return { id: String(k.id), key: k.key, expires: exp ? new Date(exp).toISOString() : undefined };
      },
      isAmbiguous: (e) => e instanceof CliAmbiguous,
      cleanUp: async (since) => {
        for (const k of possiblyOurs(await this.listKeys(), req.tags, since)) await this.revokeAuthKey(k.id);
      },
    });
  }

  async listKeys(): Promise<HeadscaleKeyInfo[]> {
    const out = await this.json(['preauthkeys', 'list']);
    return (Array.isArray(out) ? out : []).map(headscaleKey);
  }

  async revokeAuthKey(id: string): Promise<void> {
    await this.json(['preauthkeys', 'delete', '--id', id]);
  }

  async findNodes(filter: NodeFilter): Promise<TailnetNode[]> {
    const out = await this.json(['nodes', 'list']);
    return (Array.isArray(out) ? out : []).map(headscaleNode).filter((n) => nodeMatches(n, filter));
  }

  async approveRoutes(nodeId: string, routes: string[]): Promise<void> {
    await this.json(['nodes', 'approve-routes', '--identifier', nodeId, '--routes', routes.join(',')]);
  }

  async deleteNode(nodeId: string): Promise<void> {
    try {
      await this.json(['nodes', 'delete', '--identifier', nodeId]);
    } catch (e) {
      // Already gone counts as done.
      if (e instanceof TailnetApiError && /not found/i.test(e.message)) return;
      throw e;
    }
  }
}
