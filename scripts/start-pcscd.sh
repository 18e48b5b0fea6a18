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
vpcd_listening() {
  grep -qiE "^ *[0-9]+: [0-9A-F]+:$VPCD_PORT_HEX [0-9A-F]+:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

command -v pcscd >/dev/null ||
  die "pcscd is not installed: apt-get install pcscd vsmartcard-vpcd (or run scripts/bootstrap.sh)"
[ -f "$VPCD_CONF" ] ||
  die "vsmartcard's vpcd reader driver is not installed ($VPCD_CONF is missing): apt-get install vsmartcard-vpcd"
[ "$(id -u)" -eq 0 ] || die "run me as root (sudo bash $0): pcscd needs /run/pcscd"

pid=$(pcscd_pid)
if [ -n "$pid" ] && vpcd_listening; then
  echo "pcscd already runs with the vpcd reader (pid $pid)"
  exit 0
fi
if [ -n "$pid" ]; then
  # It was started before vpcd was installed; pcscd reads reader.conf.d only at start.
  echo "pcscd (pid $pid) runs without the vpcd reader: restarting it"
  kill "$pid"
  for _ in $(seq 50); do [ -z "$(pcscd_pid)" ] && break; sleep 0.1; done
  [ -z "$(pcscd_pid)" ] || die "pcscd (pid $pid) did not stop"
fi

if [ -n "${PCSCD_LOG:-}" ]; then
  setsid pcscd --foreground --debug >>"$PCSCD_LOG" 2>&1 </dev/null &
else
  pcscd # daemonises itself
fi

for _ in $(seq 100); do
  if [ -n "$(pcscd_pid)" ] && vpcd_listening; then
    echo "pcscd runs with the vpcd reader (pid $(pcscd_pid)); the virtual card connects to 127.0.0.1:35963"
    exit 0
  fi
  sleep 0.1
done
die "pcscd did not come up with the vpcd reader within 10 s (try PCSCD_LOG=/tmp/pcscd.log $0 and read the log)"
