// String.raw keeps bash's backslashes; `\${` in the source stands for bash's `${`.
function unescapeDollar(s: string): string {
  return s.replace(/\\\$\{/g, '${');
}

/**
 * The bash library every apply script starts with. Sections (ours and other renderers') call:
 *   lmenv_item ITEM changed|unchanged [DETAIL]   one structured result line per managed item
 *   lmenv_item_if FLAG ITEM [DETAIL]              same, changed when FLAG is 1
 *   lmenv_write_file PATH MODE <<'EOF' … EOF      writes only when content/mode differ; sets LMENV_CHANGED
 *   lmenv_remove_file PATH                        removes if present; sets LMENV_CHANGED
 *   lmenv_ensure_packages ITEM PKG…               dpkg-query check, apt-get install -y only what is missing
 *   lmenv_service NAME COMM RESTART UNIT ARGV…    keeps one instance running (systemd unit or pidfile)
 *   lmenv_stop_service NAME COMM UNIT             stops it (both ways); sets LMENV_CHANGED
 *   lmenv_netns_pids COMM [CMDLINE-SUBSTRING]     pids of COMM in this network namespace
 *   $LMENV_INIT                                   'systemd' or 'direct'
 */
export const LMENV_LIB = unescapeDollar(String.raw`
export LC_ALL=C
# non-login SSH shells may lack the sbin directories; appended so an existing PATH keeps precedence
export PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
umask 022
LMENV_RUN=/run/lm-env
LMENV_CHANGED=0

lmenv_on_err() {
  printf 'LMENV-ERROR line %s: %s (exit %s)\n' "$1" "$2" "$3" >&2
}
trap 'lmenv_on_err "$LINENO" "$BASH_COMMAND" "$?"' ERR

lmenv_die() {
  printf 'LMENV-ERROR %s\n' "$*" >&2
  exit 1
}

lmenv_log() {
  printf '%s\n' "$*"
}

lmenv_item() {
  if [ -n "\${3:-}" ]; then
    printf 'LMENV-ITEM %s %s %s\n' "$1" "$2" "$3"
  else
    printf 'LMENV-ITEM %s %s\n' "$1" "$2"
  fi
}

lmenv_item_if() {
  if [ "$1" = 1 ]; then lmenv_item "$2" changed "\${3:-}"; else lmenv_item "$2" unchanged "\${3:-}"; fi
}

lmenv_write_file() {
  local path=$1 mode=$2 dir tmp
  dir=$(dirname "$path")
  mkdir -p "$dir"
  tmp=$(mktemp "$dir/.lmenv.XXXXXX")
  cat >"$tmp"
  if [ -f "$path" ] && cmp -s "$tmp" "$path" && [ "$(stat -c %a "$path")" = "$mode" ]; then
    rm -f "$tmp"
    LMENV_CHANGED=0
  else
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$path"
    LMENV_CHANGED=1
  fi
}

lmenv_remove_file() {
  if [ -e "$1" ]; then
    rm -f "$1"
    LMENV_CHANGED=1
  else
    LMENV_CHANGED=0
  fi
}

lmenv_ensure_packages() {
  local item=$1 p missing=()
  shift
  command -v dpkg-query >/dev/null 2>&1 || lmenv_die "dpkg-query not found: lm-env configures Debian/Ubuntu hosts"
  for p in "$@"; do
    if [ "$(dpkg-query -W -f='\${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
      missing+=("$p")
    fi
  done
  if [ "\${#missing[@]}" -eq 0 ]; then
    lmenv_item "$item" unchanged "$*"
    return 0
  fi
  lmenv_log "installing \${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q || lmenv_die "apt-get update failed (needed to install \${missing[*]})"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "\${missing[@]}" ||
    lmenv_die "apt-get install \${missing[*]} failed"
  lmenv_item "$item" changed "installed \${missing[*]}"
}

# systemd only when PID 1 is systemd AND we share its network and mount namespaces: a network
# namespace on a systemd machine (the lab) must never start units in the root namespace.
lmenv_detect_init() {
  local comm=""
  read -r comm </proc/1/comm 2>/dev/null || true
  if [ "$comm" = systemd ] && [ -d /run/systemd/system ] &&
    [ "$(readlink /proc/1/ns/net)" = "$(readlink /proc/self/ns/net)" ] &&
    [ "$(readlink /proc/1/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]; then
    echo systemd
  else
    echo direct
  fi
}

lmenv_netns_pids() {
  local want=$1 pat=\${2:-} self p c args
  self=$(readlink /proc/self/ns/net)
  for p in /proc/[0-9]*; do
    c=""
    read -r c <"$p/comm" 2>/dev/null || continue
    [ "$c" = "$want" ] || continue
    [ "$(readlink "$p/ns/net" 2>/dev/null || true)" = "$self" ] || continue
    if [ -n "$pat" ]; then
      args=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null || true)
      case "$args" in *"$pat"*) ;; *) continue ;; esac
    fi
    printf '%s\n' "\${p#/proc/}"
  done
}

lmenv_pid_is() {
  local pid=$1 want=$2 c="" state=""
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  read -r c <"/proc/$pid/comm" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)
  [ "$c" = "$want" ] && [ "$state" != Z ]
}

lmenv_kill_wait() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" != Z ] || return 0
    sleep 0.25
    : "$i"
  done
  kill -KILL "$pid" 2>/dev/null || true
}

lmenv_direct_pid() {
  local name=$1 comm=$2 pid=""
  [ -f "$LMENV_RUN/$name.pid" ] && read -r pid <"$LMENV_RUN/$name.pid"
  if lmenv_pid_is "$pid" "$comm"; then printf '%s\n' "$pid"; fi
}

# shellcheck disable=SC2034 # LMENV_SERVICE_* are read by the sections that start services
# lmenv_service NAME COMM RESTART UNIT ARGV... — under systemd: enable UNIT, restart it when
# RESTART is 1, start it when inactive. Directly: run ARGV (a foreground daemon) in its own
# session with a pidfile; restart only when RESTART is 1 or it is not running.
lmenv_service() {
  local name=$1 comm=$2 restart=$3 unit=$4 pid what="" i
  shift 4
  LMENV_CHANGED=0
  if [ "$LMENV_INIT" = systemd ]; then
    if ! systemctl is-enabled --quiet "$unit" 2>/dev/null; then
      systemctl enable --quiet "$unit"
      what="enabled "
      LMENV_CHANGED=1
    fi
    if [ "$restart" = 1 ]; then
      systemctl restart "$unit"
      LMENV_CHANGED=1
      what="\${what}restarted"
    elif ! systemctl is-active --quiet "$unit"; then
      systemctl start "$unit"
      LMENV_CHANGED=1
      what="\${what}started"
    fi
    systemctl is-active --quiet "$unit" || lmenv_die "$unit is not active after start"
    LMENV_SERVICE_PID=$(systemctl show -p MainPID --value "$unit")
    LMENV_SERVICE_DETAIL="\${what:-running} ($unit, pid $LMENV_SERVICE_PID)"
    return 0
  fi
  mkdir -p "$LMENV_RUN"
  pid=$(lmenv_direct_pid "$name" "$comm")
  if [ -n "$pid" ] && [ "$restart" != 1 ]; then
    LMENV_SERVICE_PID=$pid
    LMENV_SERVICE_DETAIL="running (pid $pid)"
    return 0
  fi
  if [ -n "$pid" ]; then
    lmenv_kill_wait "$pid"
    what="restarted"
  else
    what="started"
  fi
  setsid "$@" >>"$LMENV_RUN/$name.log" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$LMENV_RUN/$name.pid"
  # A daemon that rejects its config exits at once: wait a moment and check it is still there.
  for i in 1 2 3 4 5 6; do
    sleep 0.25
    lmenv_pid_is "$pid" "$comm" || {
      tail -n 20 "$LMENV_RUN/$name.log" >&2 || true
      lmenv_die "$name ($*) exited right after start"
    }
    : "$i"
  done
  LMENV_CHANGED=1
  LMENV_SERVICE_PID=$pid
  LMENV_SERVICE_DETAIL="$what (pid $pid)"
}

lmenv_stop_service() {
  local name=$1 comm=$2 unit=$3 pid
  LMENV_CHANGED=0
  if [ "$LMENV_INIT" = systemd ]; then
    if systemctl is-active --quiet "$unit" 2>/dev/null || systemctl is-enabled --quiet "$unit" 2>/dev/null; then
      systemctl disable --now --quiet "$unit" 2>/dev/null || systemctl stop "$unit"
      LMENV_CHANGED=1
    fi
    return 0
  fi
  pid=$(lmenv_direct_pid "$name" "$comm")
  if [ -n "$pid" ]; then
    lmenv_kill_wait "$pid"
    LMENV_CHANGED=1
  fi
  rm -f "$LMENV_RUN/$name.pid"
}

# Kills every COMM process in this network namespace whose command line contains PAT, except KEEP.
lmenv_kill_strays() {
  local comm=$1 pat=$2 keep=$3 pid
  LMENV_KILLED=""
  for pid in $(lmenv_netns_pids "$comm" "$pat"); do
    [ "$pid" = "$keep" ] && continue
    lmenv_kill_wait "$pid"
    LMENV_KILLED="$LMENV_KILLED $comm:$pid"
  done
}

`);
