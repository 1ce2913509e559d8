import ipaddr from 'ipaddr.js';
import { UserError } from '../env/errors.js';

/** Values for /etc/opt/flintlockd/config.yaml (keys = flintlockd flag names). */
export interface FlintlockdConfigValues {
  /** host:port — the host's private (VLAN) IPv4 address, never 0.0.0.0 or a public address. */
  grpcEndpoint: string;
  /** Parent of the per-microVM macvtap: the VLAN interface, e.g. bond0.1000. */
  parentIface?: string;
  /** Alternative to parentIface: TAP devices on this bridge. */
  bridgeName?: string;
  insecure: boolean;
  /** Default: cloudhypervisor with parentIface (Firecracker rejects macvtap since v0.7), else firecracker. */
  defaultProvider?: 'firecracker' | 'cloudhypervisor';
  stateDir?: string;
  /** Secret: ends up only in the 0600 config file. */
  basicAuthToken?: string;
  verbosity?: number;
  /** Further keys written as-is (e.g. containerd-socket, or lease-timeout for the lab stand-in). */
  extra?: Record<string, string | number | boolean>;
}

export interface FlintlockInstallPaths {
  bin: string;
  configFile: string;
  unitFile: string;
  pidFile: string;
  logFile: string;
}

export const DEFAULT_INSTALL_PATHS: FlintlockInstallPaths = {
  bin: '/usr/local/bin/flintlockd',
  configFile: '/etc/opt/flintlockd/config.yaml',
  unitFile: '/etc/systemd/system/flintlockd.service',
  pidFile: '/run/flintlockd.pid',
  logFile: '/var/log/flintlockd.log',
};

export interface FlintlockInstallOptions {
  /** Where curl downloads the flintlockd binary from (the release asset, or the lab's HTTP server). */
  artifactUrl: string;
  /** Expected sha256 of the artifact (64 hex digits); the script refuses anything else. */
  sha256: string;
  /** Version label, for messages only. */
  version: string;
  config: FlintlockdConfigValues;
  /** auto (default): systemd unit when systemd is PID 1, else nohup + pidfile + log file. */
  service?: 'auto' | 'systemd' | 'direct';
  /** Requires=containerd.service in the unit (real flintlockd: true; the lab stand-in: false). */
  requiresContainerd?: boolean;
  /** Seconds to wait for the gRPC port to accept connections (default 30). */
  readyTimeoutSeconds?: number;
  paths?: Partial<FlintlockInstallPaths>;
}

/** Problems with a grpc-endpoint for a flintlock host: must be a private IPv4 address and a port. Pure. */
export function grpcEndpointProblems(endpoint: string): string[] {
  const m = /^([0-9.]+):(\d{1,5})$/.exec(endpoint);
  if (!m) return [`grpc-endpoint "${endpoint}" must be <private IPv4>:<port>`];
  const [, host, portText] = m;
  const problems: string[] = [];
  const port = Number(portText);
  if (port < 1 || port > 65535) problems.push(`grpc-endpoint port ${portText} is out of range`);
  if (!ipaddr.IPv4.isValidFourPartDecimal(host)) {
    problems.push(`grpc-endpoint host "${host}" is not an IPv4 address`);
  } else {
    const range = ipaddr.IPv4.parse(host).range();
    if (range === 'unspecified') {
      problems.push(
        `grpc-endpoint ${endpoint} binds every interface, including the public one: use the host's private VLAN address`,
      );
    } else if (range !== 'private') {
      problems.push(
        `grpc-endpoint host ${host} is not a private address (${range}): bind flintlock to the host's VLAN address`,
      );
    }
  }
  return problems;
}

function yamlValue(v: string | number | boolean): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** config.yaml for flintlockd (and the stand-in, which reads the same keys). Throws UserError. Pure. */
export function renderFlintlockdConfig(c: FlintlockdConfigValues): string {
  const problems = grpcEndpointProblems(c.grpcEndpoint);
  if (!c.parentIface && !c.bridgeName) problems.push('one of parent-iface or bridge-name is required');
  for (const n of [c.parentIface, c.bridgeName]) {
    if (n !== undefined && !/^[A-Za-z0-9_.@-]{1,15}$/.test(n))
      problems.push(`"${n}" is not a valid interface name`);
  }
  const provider = c.defaultProvider ?? (c.parentIface ? 'cloudhypervisor' : 'firecracker');
  if (c.parentIface && !c.bridgeName && provider === 'firecracker') {
    problems.push(
      'parent-iface means macvtap, which the firecracker provider rejects: use default-provider cloudhypervisor',
    );
  }
  const entries: [string, string | number | boolean][] = [['grpc-endpoint', c.grpcEndpoint]];
  if (c.parentIface) entries.push(['parent-iface', c.parentIface]);
  if (c.bridgeName) entries.push(['bridge-name', c.bridgeName]);
  entries.push(['insecure', c.insecure], ['default-provider', provider]);
  if (c.stateDir) entries.push(['state-dir', c.stateDir]);
  if (c.basicAuthToken) entries.push(['basic-auth-token', c.basicAuthToken]);
  if (c.verbosity !== undefined) entries.push(['verbosity', c.verbosity]);
  for (const [k, v] of Object.entries(c.extra ?? {})) {
    if (!/^[a-z0-9-]+$/.test(k)) problems.push(`config key "${k}" is not a flag name`);
    if (entries.some(([e]) => e === k)) problems.push(`config key "${k}" is set twice`);
    entries.push([k, v]);
  }
  if (problems.length) throw new UserError(`flintlock config: ${problems.join('; ')}`);
  return `---\n# flintlockd configuration, written by lm-env\n${entries.map(([k, v]) => `${k}: ${yamlValue(v)}`).join('\n')}\n`;
}

/**
 * flintlockd.service with upstream's semantics: needs containerd, restarts always after 5 s,
 * KillMode=process (microVM processes outlive a flintlockd restart). Pure.
 */
export function renderFlintlockdUnit(o: {
  bin: string;
  configFile: string;
  requiresContainerd: boolean;
}): string {
  const config = o.configFile === DEFAULT_INSTALL_PATHS.configFile ? '' : ` --config ${o.configFile}`;
  const containerd = o.requiresContainerd ? ['Requires=containerd.service'] : [];
  return [
    '[Unit]',
    'Description=flintlock microVM service (installed by lm-env)',
    'Documentation=https://github.com/liquidmetal-dev/flintlock',
    `After=network-online.target${o.requiresContainerd ? ' containerd.service' : ''}`,
    'Wants=network-online.target',
    ...containerd,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${o.bin} run${config}`,
    'Restart=always',
    'RestartSec=5',
    'KillMode=process',
    'Delegate=yes',
    'LimitNOFILE=1048576',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Single-quotes a value for bash. */
function q(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function heredoc(name: string, text: string): string {
  const end = `LMENV_${name}_EOF`;
  if (text.split('\n').includes(end))
    throw new UserError(`flintlock install: content contains the line ${end}`);
  return `<<'${end}'\n${text.endsWith('\n') ? text : `${text}\n`}${end}`;
}

/**
 * The idempotent install script for one flintlock host (run as root, bash). Downloads the binary with
 * curl only when the installed one differs, verifies its sha256, writes config (and unit), (re)starts
 * the service only when something changed or it is not running, then waits until the gRPC port
 * accepts connections. Prints `LMENV-ITEM <item> <state>` lines: flintlock-binary, flintlock-config,
 * flintlock-unit (systemd), flintlock-service (unchanged|started|restarted). Contains the basic-auth
 * token when one is set — upload it, do not log it. Pure; throws UserError on bad options.
 */
export function renderFlintlockInstallScript(o: FlintlockInstallOptions): string {
  const p = { ...DEFAULT_INSTALL_PATHS, ...o.paths };
  const problems: string[] = [];
  if (!/^[0-9a-f]{64}$/.test(o.sha256))
    problems.push('a sha256 (64 lowercase hex digits) of the flintlockd artifact is required');
  if (!/^https?:\/\/\S+$/.test(o.artifactUrl))
    problems.push(`artifact URL "${o.artifactUrl}" must be http(s)`);
  for (const [k, v] of Object.entries(p))
    if (!/^\/[A-Za-z0-9_./-]+$/.test(v)) problems.push(`${k} path "${v}" must be absolute`);
  if (problems.length) throw new UserError(`flintlock install: ${problems.join('; ')}`);
  const config = renderFlintlockdConfig(o.config);
  const unit = renderFlintlockdUnit({
    bin: p.bin,
    configFile: p.configFile,
    requiresContainerd: o.requiresContainerd ?? true,
  });
  const [host, port] = o.config.grpcEndpoint.split(':');
  const mode = o.service ?? 'auto';
  return `#!/usr/bin/env bash
# lm-env: install and start flintlockd ${o.version} (generated; safe to re-run).
set -euo pipefail
umask 022

BIN=${q(p.bin)}
CONFIG=${q(p.configFile)}
UNIT=${q(p.unitFile)}
PIDFILE=${q(p.pidFile)}
LOGFILE=${q(p.logFile)}
URL=${q(o.artifactUrl)}
SHA256=${q(o.sha256)}
VERSION=${q(o.version)}
HOST=${q(host)}
PORT=${q(port)}
MODE=${q(mode)}
READY_TIMEOUT=${o.readyTimeoutSeconds ?? 30}
changed=0

item() { printf 'LMENV-ITEM %s %s\\n' "$1" "$2"; }
die() { printf 'lm-env flintlock install: %s\\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"
command -v curl >/dev/null || die "curl is required to download flintlockd"
command -v sha256sum >/dev/null || die "sha256sum is required to verify flintlockd"

# Writes stdin to $1 (mode $2) unless it already has exactly that content; returns 0 if it changed.
put_file() {
  local dest=$1 mode=$2 tmp
  mkdir -p "$(dirname "$dest")"
  tmp=$(mktemp "$dest.lmenv.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f $dest ]] && cmp -s "$tmp" "$dest" && [[ $(stat -c %a "$dest") == "$mode" ]]; then
    rm -f "$tmp"
    return 1
  fi
  mv -f "$tmp" "$dest"
  return 0
}

# --- binary ---------------------------------------------------------------------------------
if [[ -x $BIN ]] && [[ $(sha256sum "$BIN" | cut -d' ' -f1) == "$SHA256" ]]; then
  item flintlock-binary unchanged
else
  mkdir -p "$(dirname "$BIN")"
  dl=$(mktemp "$BIN.download.XXXXXX")
  trap 'rm -f "$dl"' EXIT
  curl -fsSL --retry 3 --connect-timeout 10 --max-time 300 -o "$dl" "$URL" || die "download of flintlockd $VERSION from $URL failed"
  got=$(sha256sum "$dl" | cut -d' ' -f1)
  [[ $got == "$SHA256" ]] || die "sha256 mismatch for $URL: expected $SHA256, got $got (refusing to install)"
  chmod 0755 "$dl"
  mv -f "$dl" "$BIN"
  trap - EXIT
  item flintlock-binary changed
  changed=1
fi

# --- config (0600: it may hold the basic-auth token) -----------------------------------------
if put_file "$CONFIG" 600 ${heredoc('CONFIG', config)}
then
  item flintlock-config changed
  changed=1
else
  item flintlock-config unchanged
fi

wait_ready() {
  local i
  for ((i = 0; i < READY_TIMEOUT * 2; i++)); do
    # shellcheck disable=SC2016 # $1 and $2 expand in the inner bash
    if timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$HOST" "$PORT" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

if [[ $MODE == auto ]]; then
  if [[ $(cat /proc/1/comm 2>/dev/null || true) == systemd ]]; then MODE=systemd; else MODE=direct; fi
fi

if [[ $MODE == systemd ]]; then
  # --- systemd unit ---------------------------------------------------------------------------
  if put_file "$UNIT" 644 ${heredoc('UNIT', unit)}
  then
    item flintlock-unit changed
    systemctl daemon-reload
    changed=1
  else
    item flintlock-unit unchanged
  fi
  systemctl enable flintlockd.service >/dev/null 2>&1 || die "systemctl enable flintlockd.service failed"
  if [[ $changed -eq 1 ]] && systemctl is-active --quiet flintlockd.service; then
    systemctl restart flintlockd.service
    state=restarted
  elif ! systemctl is-active --quiet flintlockd.service; then
    systemctl start flintlockd.service
    state=started
  else
    state=unchanged
  fi
  if ! wait_ready; then
    journalctl -u flintlockd.service -n 30 --no-pager >&2 || true
    die "flintlockd is not accepting connections on $HOST:$PORT after \${READY_TIMEOUT}s"
  fi
else
  # --- no systemd (containers, the lab): nohup + pidfile + log file ----------------------------
  alive() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [[ -n $st && $st != Z ]]
  }
  running_pid() {
    local pid
    pid=$(cat "$PIDFILE" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$BIN run" || return 1
    printf '%s' "$pid"
  }
  start() {
    mkdir -p "$(dirname "$LOGFILE")" "$(dirname "$PIDFILE")"
    nohup setsid "$BIN" run --config "$CONFIG" >>"$LOGFILE" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
  }
  state=unchanged
  if pid=$(running_pid); then
    if [[ $changed -eq 1 ]]; then
      kill -TERM "$pid"
      # The stand-in removes its microVMs on SIGTERM; wait for that. A zombie counts as stopped
      # (where PID 1 does not reap, e.g. in containers).
      for ((i = 0; i < 60; i++)); do
        alive "$pid" || break
        sleep 0.5
      done
      alive "$pid" && die "flintlockd (pid $pid) did not stop within 30s"
      start
      state=restarted
    fi
  else
    start
    state=started
  fi
  if ! wait_ready; then
    tail -n 30 "$LOGFILE" >&2 || true
    die "flintlockd is not accepting connections on $HOST:$PORT after \${READY_TIMEOUT}s (log: $LOGFILE)"
  fi
fi
item flintlock-service "$state"
`;
}
