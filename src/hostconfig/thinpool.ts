import { shq } from './shell.js';
import type { ScriptSection } from './types.js';

/**
 * The devmapper thin pool containerd's snapshotter needs on a flintlock host:
 * - `direct-lvm` on a spare disk (what production hosts use): PV → VG `flintlock` → thin pool with an
 *   autoextend profile; a disk holding a filesystem or partitions is refused, never wiped;
 * - `loop`: sparse files on loop devices (flintlock's "devpool"), for hosts without a spare disk.
 *   It does not survive a reboot; re-running the apply script brings it back.
 */
export type ThinpoolSpec = { kind: 'direct-lvm'; device: string } | { kind: 'loop'; sizeGb?: number };

export const THINPOOL_VG = 'flintlock';
export const LOOP_POOL_NAME = 'flintlock-dev-thinpool';
export const LOOP_POOL_DIR = '/var/lib/lm-env/thinpool';

/** The pool name containerd's devmapper `pool_name` must use. */
export function thinpoolName(t: ThinpoolSpec): string {
  return t.kind === 'loop' ? LOOP_POOL_NAME : `${THINPOOL_VG}-thinpool`;
}

function directLvm(device: string): string {
  return `
TP_DEV=${shq(device)}
TP_VG=${THINPOOL_VG}
lmenv_ensure_packages thinpool-packages lvm2 thin-provisioning-tools
if lvs "$TP_VG/thinpool" >/dev/null 2>&1; then
  lmenv_item thinpool unchanged "$TP_VG/thinpool"
else
  [ -b "$TP_DEV" ] || lmenv_die "thinpool: $TP_DEV is not a block device"
  if ! pvs "$TP_DEV" >/dev/null 2>&1; then
    if [ -n "$(lsblk -no FSTYPE "$TP_DEV" | tr -d '[:space:]')" ] || [ "$(lsblk -no NAME "$TP_DEV" | wc -l)" -gt 1 ]; then
      lmenv_die "thinpool: $TP_DEV holds a filesystem or partitions; refusing to wipe it (give an empty disk)"
    fi
    pvcreate "$TP_DEV"
  fi
  vgs "$TP_VG" >/dev/null 2>&1 || vgcreate "$TP_VG" "$TP_DEV"
  lvcreate --wipesignatures y -n thinpool "$TP_VG" -l 95%VG
  lvcreate --wipesignatures y -n thinpoolmeta "$TP_VG" -l 1%VG
  lvconvert -y --zero n -c 512K --thinpool "$TP_VG/thinpool" --poolmetadata "$TP_VG/thinpoolmeta"
  lmenv_item thinpool changed "$TP_VG/thinpool on $TP_DEV"
fi
lmenv_write_file "/etc/lvm/profile/$TP_VG-thinpool.profile" 644 <<'LMENV_EOF'
activation {
  thin_pool_autoextend_threshold=80
  thin_pool_autoextend_percent=20
}
LMENV_EOF
lmenv_item_if "$LMENV_CHANGED" thinpool-profile
if [ "$(lvs --noheadings -o lv_profile "$TP_VG/thinpool" | tr -d '[:space:]')" != "$TP_VG-thinpool" ]; then
  lvchange --metadataprofile "$TP_VG-thinpool" "$TP_VG/thinpool"
fi
`;
}

function loop(sizeGb: number): string {
  return `
TP_DIR=${LOOP_POOL_DIR}
TP_NAME=${LOOP_POOL_NAME}
lmenv_ensure_packages thinpool-packages dmsetup thin-provisioning-tools
lmenv_attach_loop() {
  local dev
  dev=$(losetup --output NAME --noheadings --associated "$1" | head -n 1)
  [ -n "$dev" ] || dev=$(losetup --find --show "$1")
  printf '%s\\n' "$dev"
}
if dmsetup status "$TP_NAME" >/dev/null 2>&1; then
  lmenv_item thinpool unchanged "$TP_NAME"
else
  mkdir -p "$TP_DIR"
  [ -f "$TP_DIR/data" ] || truncate -s ${sizeGb}G "$TP_DIR/data"
  [ -f "$TP_DIR/meta" ] || truncate -s ${Math.max(1, Math.ceil(sizeGb / 10))}G "$TP_DIR/meta"
  tp_data=$(lmenv_attach_loop "$TP_DIR/data")
  tp_meta=$(lmenv_attach_loop "$TP_DIR/meta")
  tp_sectors=$(( $(blockdev --getsize64 "$tp_data") / 512 ))
  dmsetup create "$TP_NAME" --table "0 $tp_sectors thin-pool $tp_meta $tp_data 128 32768 1 skip_block_zeroing"
  lmenv_item thinpool changed "$TP_NAME on $tp_data (loop, not persistent across reboots)"
fi
`;
}

/** The apply-script section for a flintlock host's thin pool. Pure. */
export function thinpoolSection(t: ThinpoolSpec): ScriptSection {
  return { name: 'thinpool', body: t.kind === 'loop' ? loop(t.sizeGb ?? 100) : directLvm(t.device) };
}

/** Parses the `thinpool` setting: none | loop | /dev/<disk>. Undefined = invalid. */
export function parseThinpool(v: string): ThinpoolSpec | 'none' | undefined {
  if (v === 'none') return 'none';
  if (v === 'loop') return { kind: 'loop' };
  if (/^\/dev\/[A-Za-z0-9/_.-]+$/.test(v) && !v.includes('..')) return { kind: 'direct-lvm', device: v };
  return undefined;
}
