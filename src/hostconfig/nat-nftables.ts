import { shq, writeFileSnippet } from './shell.js';
import type { ConfigSource, RenderedFile } from './types.js';

export const NFT_TABLE = 'lm_env';
export const NFT_FILE = '/etc/nftables.d/lm-env.nft';
export const NFT_CONF = '/etc/nftables.conf';
/** Listing of the table right after the last load; a different listing later means someone changed it. */
export const NFT_STATE = '/run/lm-env/nat-nftables.list';

export interface NatFacts {
  vlanIf: string;
  uplink: string;
  subnet: string;
  tailscaleIf: string;
}

export function natFacts(src: ConfigSource, tailscaleIf = 'tailscale0'): NatFacts {
  return {
    vlanIf: src.network.vlan.interface,
    uplink: src.network.vlan.parent,
    subnet: src.network.subnet,
    tailscaleIf,
  };
}

/**
 * The table file. Loading it with `nft -f` is one transaction: the empty declaration makes the
 * delete valid on the first load, so re-applying replaces the table and never duplicates rules.
 * The forward chain drops by default (no new connections into the VLAN from the uplink) but lets
 * the Tailscale subnet router's traffic into and out of the VLAN through.
 */
export function nftablesFile(src: ConfigSource, tailscaleIf?: string): RenderedFile {
  const f = natFacts(src, tailscaleIf);
  const content = `#!/usr/sbin/nft -f
# Managed by lm-env (${src.id}): NAT from the VLAN ${f.vlanIf} (${f.subnet}) to the uplink ${f.uplink}.
table ip ${NFT_TABLE}
delete table ip ${NFT_TABLE}
table ip ${NFT_TABLE} {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "${f.vlanIf}" oifname "${f.uplink}" accept
		iifname "${f.tailscaleIf}" oifname "${f.vlanIf}" accept
		iifname "${f.vlanIf}" oifname "${f.tailscaleIf}" accept
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr ${f.subnet} oifname "${f.uplink}" masquerade
	}
}
`;
  return { path: NFT_FILE, content, mode: '644', item: 'nat' };
}

export function nftablesSection(src: ConfigSource, tailscaleIf?: string): string {
  const file = nftablesFile(src, tailscaleIf);
  const include = `include "${NFT_FILE}"`;
  return `
${writeFileSnippet(file)}
NAT_FILE_CHANGED=$LMENV_CHANGED
NAT_NOW=$(nft list table ip ${NFT_TABLE} 2>/dev/null || true)
if [ "$NAT_FILE_CHANGED" = 1 ] || [ -z "$NAT_NOW" ] || [ ! -f ${NFT_STATE} ] ||
  [ "$NAT_NOW" != "$(cat ${NFT_STATE})" ]; then
  nft -f ${NFT_FILE}
  nft list table ip ${NFT_TABLE} >${NFT_STATE}
  lmenv_item nat changed "nftables table ip ${NFT_TABLE} loaded from ${NFT_FILE}"
else
  lmenv_item nat unchanged "nftables table ip ${NFT_TABLE}"
fi

# Persistence: the distribution's nftables.conf (loaded at boot by nftables.service) includes our file.
NAT_PERSIST=0
if [ ! -f ${NFT_CONF} ]; then
  printf '#!/usr/sbin/nft -f\\n%s\\n' ${shq(include)} >${NFT_CONF}
  NAT_PERSIST=1
elif ! grep -qxF ${shq(include)} ${NFT_CONF}; then
  printf '%s\\n' ${shq(include)} >>${NFT_CONF}
  NAT_PERSIST=1
fi
if [ "$LMENV_INIT" = systemd ] && ! systemctl is-enabled --quiet nftables 2>/dev/null; then
  systemctl enable --quiet nftables
  NAT_PERSIST=1
fi
lmenv_item_if "$NAT_PERSIST" nat-persist "${NFT_CONF} includes ${NFT_FILE}"
`;
}

/** Removes what the nftables backend left (when the host now uses firewalld). */
export function nftablesCleanupSection(): string {
  const include = `include "${NFT_FILE}"`;
  return `
NAT_OTHER=0
if nft list table ip ${NFT_TABLE} >/dev/null 2>&1; then
  nft delete table ip ${NFT_TABLE}
  NAT_OTHER=1
fi
if [ -f ${NFT_CONF} ] && grep -qxF ${shq(include)} ${NFT_CONF}; then
  grep -vxF ${shq(include)} ${NFT_CONF} >${NFT_CONF}.lmenv-tmp || true
  cat ${NFT_CONF}.lmenv-tmp >${NFT_CONF}
  rm -f ${NFT_CONF}.lmenv-tmp
  NAT_OTHER=1
fi
lmenv_remove_file ${NFT_FILE}
if [ "$LMENV_CHANGED" = 1 ]; then NAT_OTHER=1; fi
rm -f ${NFT_STATE}
lmenv_item_if "$NAT_OTHER" nat-leftovers "nftables table ip ${NFT_TABLE}"
`;
}
