#!/usr/bin/env bash
# Builds pinned tailscale, tailscaled and headscale from their Go modules into a cache directory outside
# the repository (default /var/cache/lm-env/bin, override with LM_ENV_BIN_DIR).
#
# Why not `go install <pkg>@<version>`: the module proxy refuses headscale's version list, which
# `go install` asks for (deprecation check); it does serve the exact version. So each module is fetched
# with `go mod download` at its exact version, copied to a temp dir and built there with its own
# go.mod/go.sum — the same dependency set its authors pinned and checksummed.
#
# Versions: headscale v0.29.0 is compiled against tailscale.com v1.101.0-pre and accepts clients from
# v1.80 on; tailscale v1.100.0 is the newest stable release not newer than that, and it builds with
# Go 1.26 (v1.104 needs Go 1.27.3).
#
# Idempotent: a stamp file records what was built; a run that finds the stamp matching and every binary
# reporting the pinned version exits without building. Static binaries (CGO_ENABLED=0) so they run in
# lab namespaces and on remote hosts alike; stripped (-s -w) to keep uploads to hosts small.
set -euo pipefail

TAILSCALE_VERSION="${LM_ENV_TAILSCALE_VERSION:-v1.100.0}"
HEADSCALE_VERSION="${LM_ENV_HEADSCALE_VERSION:-v0.29.0}"
BIN_DIR="${LM_ENV_BIN_DIR:-/var/cache/lm-env/bin}"
STAMP="$BIN_DIR/.tailnet-versions"
# Bump when the build recipe changes so existing caches are rebuilt.
RECIPE=2
WANT_STAMP="recipe=$RECIPE tailscale=$TAILSCALE_VERSION headscale=$HEADSCALE_VERSION"

log() { printf 'build-tailnet: %s\n' "$*" >&2; }

up_to_date() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT_STAMP" ]] || return 1
  local b
  for b in tailscale tailscaled headscale; do [[ -x "$BIN_DIR/$b" ]] || return 1; done
  # The stamp could outlive a binary replaced by hand: ask the binaries themselves.
  [[ "$("$BIN_DIR/tailscale" version 2>/dev/null | head -n1)" == "${TAILSCALE_VERSION#v}" ]] || return 1
  [[ "$("$BIN_DIR/tailscaled" --version 2>/dev/null | head -n1)" == "${TAILSCALE_VERSION#v}" ]] || return 1
  "$BIN_DIR/headscale" version >/dev/null 2>&1 || return 1
}

mkdir -p "$BIN_DIR"

# Serialise concurrent runs (parallel CI jobs on one machine share the cache).
exec 9>"$BIN_DIR/.lock"
flock 9

if up_to_date; then
  log "up to date in $BIN_DIR ($WANT_STAMP)"
  exit 0
fi

# Only a build needs Go: a warm cache works on a machine without it. A non-login shell (CI) may
# not have the usual install directory on PATH.
command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "go is not installed (need Go >= 1.26.4)"; exit 1; }

WORK="$(mktemp -d /tmp/lm-env-build-tailnet.XXXXXX)"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

# Prints the module's source directory in the module cache, downloading it if needed.
module_dir() {
  local json dir
  json="$(cd "$WORK" && go mod download -json "$1@$2")"
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    log "could not download $1@$2:"
    printf '%s\n' "$json" >&2
    return 1
  fi
  printf '%s\n' "$dir"
}

# Copies a module (read-only in the cache) to a writable temp dir so it can be the main module.
stage() {
  local src dest="$WORK/$3"
  src="$(module_dir "$1" "$2")"
  cp -r "$src" "$dest"
  chmod -R u+w "$dest"
  printf '%s\n' "$dest"
}

export CGO_ENABLED=0
mkdir -p "$WORK/out"
log "$(go version)"

start=$SECONDS
ts_src="$(stage tailscale.com "$TAILSCALE_VERSION" tailscale)"
hs_src="$(stage github.com/juanfont/headscale "$HEADSCALE_VERSION" headscale)"
log "sources ready in $((SECONDS - start))s"

start=$SECONDS
ts_ver="${TAILSCALE_VERSION#v}"
(cd "$ts_src" && go build -trimpath \
  -ldflags "-s -w -X tailscale.com/version.shortStamp=$ts_ver -X tailscale.com/version.longStamp=$ts_ver-lm-env" \
  -o "$WORK/out/" ./cmd/tailscale ./cmd/tailscaled)
log "tailscale + tailscaled $TAILSCALE_VERSION built in $((SECONDS - start))s"

start=$SECONDS
(cd "$hs_src" && go build -trimpath -ldflags "-s -w" -o "$WORK/out/headscale" ./cmd/headscale)
log "headscale $HEADSCALE_VERSION built in $((SECONDS - start))s"

# Install each binary atomically (rename within BIN_DIR), then the stamp last.
rm -f "$STAMP"
for b in tailscale tailscaled headscale; do
  install -m 0755 "$WORK/out/$b" "$BIN_DIR/.$b.new"
  mv -f "$BIN_DIR/.$b.new" "$BIN_DIR/$b"
done
printf '%s\n' "$WANT_STAMP" >"$STAMP.new"
mv -f "$STAMP.new" "$STAMP"

up_to_date || { log "built binaries do not report the pinned versions"; exit 1; }
log "installed tailscale, tailscaled, headscale in $BIN_DIR"
