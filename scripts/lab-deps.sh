#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the lab provider and its tests need. Idempotent: checks each
# package with dpkg first and runs apt-get (update + install) only when something is missing.
# Daemons that come with the packages (dnsmasq, isc-dhcp-server, kea) must never run in the root
# namespace: a temporary policy-rc.d forbids service starts during the install, and those newly
# installed services are disabled afterwards. The lab starts its own daemons inside namespaces.
#
# Usage: scripts/lab-deps.sh [--check]   (--check: only report what is missing; exit 1 if any)
set -euo pipefail

PACKAGES=(
  iproute2 openssh-server openssh-client dnsmasq-base nftables busybox udhcpc util-linux mount
  hostname procps psmisc kea-dhcp4-server isc-dhcp-server shellcheck curl ca-certificates
)
# Services those packages may install; never left running or enabled in the root namespace.
SERVICES=(isc-dhcp-server isc-dhcp-server6 kea-dhcp4-server kea-dhcp6-server kea-dhcp-ddns-server kea-ctrl-agent dnsmasq)

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "lab-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "lab-deps: missing: ${missing[*]}"
if [ "${1:-}" = "--check" ]; then
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "lab-deps: run as root (or with sudo) to install them" >&2
  exit 1
fi

# Forbid service starts while installing (invoke-rc.d and deb-systemd-invoke both honour this),
# unless a policy is already in place; put back exactly what was there before.
policy=${LAB_DEPS_POLICY_RC:-/usr/sbin/policy-rc.d} # overridable for tests
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# lab-deps.sh: no service starts during package installation\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  own_policy=1
fi
cleanup() {
  if [ "$own_policy" -eq 1 ]; then rm -f "$policy"; fi
}
trap cleanup EXIT

has_unit() {
  [ -d /run/systemd/system ] && systemctl cat "$1.service" >/dev/null 2>&1
}
had=()
for s in "${SERVICES[@]}"; do
  if has_unit "$s"; then had+=("$s"); fi
done

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

# Services that arrived with this install: stopped and not enabled (systemd hosts only).
for s in "${SERVICES[@]}"; do
  case " ${had[*]} " in *" $s "*) continue ;; esac
  if has_unit "$s"; then
    systemctl disable --now "$s.service" >/dev/null 2>&1 || true
    echo "lab-deps: disabled $s.service (the lab runs its own daemons inside namespaces)"
  fi
done
echo "lab-deps: installed ${missing[*]}"
