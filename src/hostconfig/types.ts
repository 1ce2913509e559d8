import type { NetworkPlan, Role } from '../env/plan.js';
import type { DhcpServer, NatBackend } from '../env/spec.js';

/** What the renderers read from a Plan or an Environment (both have these fields). */
export interface ConfigSource {
  id: string;
  network: NetworkPlan;
  services: { nat: NatBackend; dhcp: DhcpServer };
}

/** The host being configured: an entry of Plan.hosts / Environment.hosts. */
export interface ConfigHost {
  name: string;
  role: Role;
  privateIp: string;
}

/** Who owns the uplink's persistent configuration on a host. */
export type PersistBackend = 'ifupdown' | 'netplan' | 'networkd';
export const PERSIST_BACKENDS: readonly PersistBackend[] = ['ifupdown', 'netplan', 'networkd'];

/** How services are run: systemd units where PID 1 is systemd, else started directly with pidfiles. */
export type ServiceManager = 'systemd' | 'direct';

/** A file the apply script writes (only when its content or mode differs). */
export interface RenderedFile {
  /**
   * Absolute path on the host. For the systemd-networkd drop-in the directory depends on which
   * .network file matches the parent on that host; the path then contains `<parent.network>`.
   */
  path: string;
  content: string;
  /** Octal mode as `stat -c %a` prints it, e.g. '644'. */
  mode: string;
  /** The LMENV-ITEM that reports this file. */
  item: string;
  /** Written only when the host turns out to use this persistence backend / service manager / NAT backend. */
  when?: PersistBackend | ServiceManager | 'firewalld-policies' | 'firewalld-direct';
}

/**
 * A piece of the per-host apply script. Other renderers (e.g. the flintlock install) hand their
 * own sections to renderHostScript; a section's body runs after the network configuration with
 * the lmenv_* library (see lib.ts) available and must report each thing it manages with
 * `lmenv_item <item> changed|unchanged [detail]`.
 */
export interface ScriptSection {
  name: string;
  body: string;
  /** Files the body writes, listed for callers and tests (the body writes them itself, e.g. via writeFileStep). */
  files?: RenderedFile[];
}

export interface HostConfigOptions {
  /** NAT backend on the hub; defaults to source.services.nat. */
  nat?: NatBackend;
  /** DHCP server on the hub; defaults to source.services.dhcp. */
  dhcp?: DhcpServer;
  /** Force a persistence backend instead of detecting it on the host. */
  persistence?: 'auto' | PersistBackend;
  /** Force a service manager instead of detecting it on the host. */
  serviceManager?: 'auto' | ServiceManager;
  /** firewalld zone the uplink (parent interface) belongs to; default 'public'. */
  firewalldUplinkZone?: string;
  /** Interface of the Tailscale subnet router; its traffic into the VLAN is let through. Default 'tailscale0'. */
  tailscaleInterface?: string;
  /** Extra sections appended after the network configuration (e.g. flintlock install and config). */
  sections?: ScriptSection[];
}

export interface HostScript {
  script: string;
  /** Every file the script may write (see RenderedFile.when for conditional ones). */
  files: RenderedFile[];
  /** The LMENV-ITEM names this script reports, in order. */
  items: string[];
}
