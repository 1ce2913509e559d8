/**
 * The script busybox udhcpc runs on lease events inside a microVM's network namespace. It applies
 * the address (and, on the primary interface, the default route), and records the lease where a
 * verifier can read it: $LMENV_VM_DIR/lease-<iface>.json, lease.json and resolv.conf for the
 * primary interface. udhcpc passes its environment through, so the stand-in sets LMENV_VM_DIR and
 * LMENV_PRIMARY_IFACE when it starts the client. Files are replaced atomically (write + mv). Pure.
 */
export function renderUdhcpcScript(): string {
  return `#!/bin/sh
# lm-env flintlockd stand-in: udhcpc event handler (generated).
# shellcheck disable=SC2154 # ip, mask, router, dns, lease, serverid and interface are set by udhcpc
set -u
dir="\${LMENV_VM_DIR:?}"
primary="\${LMENV_PRIMARY_IFACE:-}"
iface="\${interface:?}"

json_list() {
  out=""
  for v in "$@"; do out="\${out:+$out,}\\"$v\\""; done
  printf '[%s]' "$out"
}

case "$1" in
  deconfig)
    ip -4 addr flush dev "$iface"
    ip link set "$iface" up
    rm -f "$dir/lease-$iface.json"
    ;;
  bound|renew)
    # A renew with the same address must not drop it (open connections in the microVM survive).
    if ! ip -4 -o addr show dev "$iface" | grep -qF "inet $ip/$mask "; then
      ip -4 addr flush dev "$iface"
      ip -4 addr add "$ip/$mask" dev "$iface"
    fi
    first_router=""
    for r in \${router:-}; do first_router="$r"; break; done
    if [ "$iface" = "$primary" ] && [ -n "$first_router" ]; then
      ip -4 route replace default via "$first_router" dev "$iface"
    fi
    # shellcheck disable=SC2086 # word splitting of the lists is intended
    json=$(printf '{"interface":"%s","address":"%s/%s","router":"%s","routers":%s,"dns":%s,"leaseSeconds":%s,"server":"%s","event":"%s"}' \\
      "$iface" "$ip" "$mask" "$first_router" "$(json_list \${router:-})" "$(json_list \${dns:-})" \\
      "\${lease:-0}" "\${serverid:-}" "$1")
    printf '%s\\n' "$json" > "$dir/.lease-$iface.tmp" && mv -f "$dir/.lease-$iface.tmp" "$dir/lease-$iface.json"
    if [ "$iface" = "$primary" ]; then
      printf '%s\\n' "$json" > "$dir/.lease.tmp" && mv -f "$dir/.lease.tmp" "$dir/lease.json"
      : > "$dir/.resolv.tmp"
      for s in \${dns:-}; do printf 'nameserver %s\\n' "$s" >> "$dir/.resolv.tmp"; done
      mv -f "$dir/.resolv.tmp" "$dir/resolv.conf"
    fi
    ;;
  leasefail|nak)
    ;;
esac
exit 0
`;
}
