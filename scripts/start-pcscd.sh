#!/usr/bin/env bash
# Makes sure pcscd (the PC/SC daemon) runs with vsmartcard's vpcd reader, so the CLI tests can
# put kiln-sim's simulated token into "Virtual PCD 00 00" (vpcd listens on TCP 35963 for it;
# its second slot, "Virtual PCD 00 01" on 35964, is used by the reader-choice tests):
#
#   sudo bash scripts/start-pcscd.sh
#   cargo test -p kiln-cli --features vpcd-tests
#
# Idempotent: when pcscd already runs with the vpcd reader, it does nothing. No systemd needed.
# Needs root (pcscd's socket lives in /run/pcscd) and the Debian packages pcscd and
# vsmartcard-vpcd (scripts/bootstrap.sh installs them).
#
# PCSCD_LOG=/some/file: start pcscd in the foreground with debug logging into that file (handy
# when a test says pcscd did not see the card), instead of as a silent daemon.
set -euo pipefail

VPCD_CONF=/etc/reader.conf.d/vpcd
VPCD_PORT_HEX=8C7B # 35963, vpcd's first slot
# KILN_MOLTO2_READER=1: also a second vpcd reader whose name says "Molto2", for the simulated
# Molto2 (Kiln finds a Molto2 by its USB reader name, protocol §2.7): "Token2 Molto2 virtual" on
# TCP 35968 (0x8C80). Without it that reader is removed again (pcscd restarts when this changes),
# because the reader-choice tests expect only the "Virtual PCD" readers.
MOLTO2_CONF=/etc/reader.conf.d/kiln-molto2-vpcd
MOLTO2_PORT_HEX=8C80
PID_FILE=/run/pcscd/pcscd.pid
SOCKET=/run/pcscd/pcscd.comm

die() {
  echo "start-pcscd: $*" >&2
  exit 1
}

# The pid of a live (not zombie) pcscd, or nothing.
pcscd_pid() {
  local pid state
  [ -S "$SOCKET" ] && [ -r "$PID_FILE" ] || return 0
  pid=$(tr -dc '0-9' <"$PID_FILE")
  [ -r "/proc/$pid/stat" ] || return 0
  state=$(awk '{print $3}' "/proc/$pid/stat")
  [ "$state" != Z ] && [ "$(cat "/proc/$pid/comm")" = pcscd ] && echo "$pid"
  return 0
}

# vpcd listens (checked in /proc, not by connecting: a connection would be taken for a card).
port_listening() {
  grep -qiE "^ *[0-9]+: [0-9A-F]+:$1 [0-9A-F]+:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
vpcd_listening() {
  port_listening "$VPCD_PORT_HEX" && { [ ! -f "$MOLTO2_CONF" ] || port_listening "$MOLTO2_PORT_HEX"; }
}

command -v pcscd >/dev/null ||
  die "pcscd is not installed: apt-get install pcscd vsmartcard-vpcd (or run scripts/bootstrap.sh)"
[ -f "$VPCD_CONF" ] ||
  die "vsmartcard's vpcd reader driver is not installed ($VPCD_CONF is missing): apt-get install vsmartcard-vpcd"
[ "$(id -u)" -eq 0 ] || die "run me as root (sudo bash $0): pcscd needs /run/pcscd"
# vpcd keeps its slots in global variables, so a second reader entry needs its own copy of the
# driver library (a different file is loaded as a separate instance).
molto2_reader_conf() {
  local lib dir=/usr/local/lib/kiln-molto2-vpcd
  lib=$(awk '$1 == "LIBPATH" {print $2}' "$VPCD_CONF")
  mkdir -p "$dir"
  cmp -s "$lib" "$dir/libifdvpcd.so" || cp "$lib" "$dir/libifdvpcd.so"
  printf 'FRIENDLYNAME "Token2 Molto2 virtual"\nDEVICENAME   /dev/null:0x%s\nLIBPATH      %s\nCHANNELID    0x%s\n' \
    "$MOLTO2_PORT_HEX" "$dir/libifdvpcd.so" "$MOLTO2_PORT_HEX"
}
molto2_conf_changed=false
if [ "${KILN_MOLTO2_READER:-0}" = 1 ]; then
  if [ "$(molto2_reader_conf)" != "$(cat "$MOLTO2_CONF" 2>/dev/null)" ]; then
    molto2_reader_conf >"$MOLTO2_CONF"
    molto2_conf_changed=true
  fi
elif [ -f "$MOLTO2_CONF" ]; then
  rm -f "$MOLTO2_CONF"
  molto2_conf_changed=true
fi

pid=$(pcscd_pid)
if [ -n "$pid" ] && vpcd_listening && [ "$molto2_conf_changed" = false ]; then
  echo "pcscd already runs with the vpcd reader (pid $pid)"
  exit 0
fi
if [ -n "$pid" ]; then
  # It was started before vpcd was installed; pcscd reads reader.conf.d only at start.
  echo "pcscd (pid $pid) runs without the vpcd readers as configured: restarting it"
  kill "$pid"
  for _ in $(seq 50); do [ -z "$(pcscd_pid)" ] && break; sleep 0.1; done
  [ -z "$(pcscd_pid)" ] || die "pcscd (pid $pid) did not stop"
fi

# Runs a command without the file descriptors this script inherited beyond 0-2. Started under
# `flock /tmp/kiln-vpcd.lock …`, the script holds the lock file open; a daemon that inherited it
# would hold the lock for as long as it runs, and every later `flock` would wait forever.
without_inherited_fds() (
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  exec "$@"
)

if [ -n "${PCSCD_LOG:-}" ]; then
  without_inherited_fds setsid pcscd --foreground --debug >>"$PCSCD_LOG" 2>&1 </dev/null &
else
  without_inherited_fds pcscd # daemonises itself
fi

for _ in $(seq 100); do
  if [ -n "$(pcscd_pid)" ] && vpcd_listening; then
    echo "pcscd runs with the vpcd reader (pid $(pcscd_pid)); the virtual card connects to 127.0.0.1:35963"
    exit 0
  fi
  sleep 0.1
done
die "pcscd did not come up with the vpcd reader within 10 s (try PCSCD_LOG=/tmp/pcscd.log $0 and read the log)"
