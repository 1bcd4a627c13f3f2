#!/usr/bin/env bash
# start-s3.sh DIR — starts a throwaway one-machine S3 endpoint (Ceph RGW) for tests and benchmarks.
#
# Contract: DIR is emptied and holds everything (config, logs, pid files, monitor store); one
# monitor and one memstore OSD (data in RAM, gone when stopped), no manager, no cephx, radosgw
# (beast) on a free 127.0.0.1 port, and a user with fixed test keys. When ready, prints on
# stdout, one per line:
#   endpoint=http://127.0.0.1:PORT
#   access_key=...
#   secret_key=...
#   region=us-east-1
#   seconds=N            (how long it took to be ready)
# and exits 0; the daemons keep running. Stop with: scripts/start-s3.sh --stop DIR (kills the
# daemons by the PIDs in DIR/run and removes DIR). On failure it stops what it started, prints
# the reason on stderr (with the tail of the failing daemon's log) and exits 1.
# (S3_KEEP_ON_FAILURE=1 keeps DIR and the daemons for a look; stop them with --stop DIR.)
# Needs: radosgw ceph-mon ceph-osd (scripts/install-deps.sh), python3, curl.
set -euo pipefail

stop() {
  local d=$1
  [ -d "$d/run" ] || return 0
  local pids=()
  for n in client.rgw osd.0 mon.a; do
    if [ -f "$d/run/$n.pid" ]; then
      local p
      p=$(cat "$d/run/$n.pid")
      if [ -n "$p" ] && kill "$p" 2>/dev/null; then pids+=("$p"); fi
    fi
  done
  for _ in $(seq 1 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$d"
}

if [ "${1:-}" = "--stop" ]; then
  stop "${2:?usage: start-s3.sh --stop DIR}"
  exit 0
fi

D=${1:?usage: start-s3.sh DIR | start-s3.sh --stop DIR}
D=$(realpath -m "$D")
ACCESS_KEY=WENKUTESTACCESSKEY
SECRET_KEY=wenkutestsecretkey0123456789
START=$(date +%s.%N)

fail() {
  echo "start-s3: $1" >&2
  if [ -n "${2:-}" ] && [ -f "$D/log/$2.log" ]; then
    echo "--- last lines of $D/log/$2.log:" >&2
    tail -n 15 "$D/log/$2.log" >&2
  fi
  [ -n "${S3_KEEP_ON_FAILURE:-}" ] && exit 1
  stop "$D"
  exit 1
}

for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool python3 curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (run scripts/install-deps.sh)"
done

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
MON_PORT=$(free_port)
RGW_PORT=$(free_port)
while [ "$RGW_PORT" = "$MON_PORT" ]; do RGW_PORT=$(free_port); done

rm -rf "$D"
mkdir -p "$D"/{run,log,mon.a,osd.0,rgw}
cd "$D"
FSID=$(cat /proc/sys/kernel/random/uuid)
cat >ceph.conf <<CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
ms bind ipv6 = false
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 1073741824
osd pool default pg num = 8
osd pool default pgp num = 8
run dir = $D/run
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
admin socket = $D/run/\$name.asok
mon data = $D/mon.\$id
osd data = $D/osd.\$id
keyring = $D/keyring
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $D/rgw
CONF

ceph-authtool --create-keyring keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null ||
  fail "ceph-authtool failed"
monmaptool --create --addv a "[v1:127.0.0.1:$MON_PORT]" --fsid "$FSID" monmap >/dev/null ||
  fail "monmaptool failed"
ceph-mon -c ceph.conf --mkfs -i a --monmap monmap --keyring keyring >log/mkfs-mon.out 2>&1 ||
  fail "ceph-mon --mkfs failed: $(tail -n 3 log/mkfs-mon.out)" mon.a
ceph-mon -c ceph.conf -i a >>log/mon.out 2>&1 || fail "ceph-mon did not start" mon.a
OSD_ID=$(timeout 30 ceph -c ceph.conf osd create 2>>log/ceph-cli.out) ||
  fail "the monitor did not answer on 127.0.0.1:$MON_PORT within 30 s" mon.a
[ "$OSD_ID" = 0 ] || fail "unexpected OSD id '$OSD_ID'"
ceph-osd -c ceph.conf -i 0 --mkfs >log/mkfs-osd.out 2>&1 || fail "ceph-osd --mkfs failed" osd.0
# The OSD's first commands to the monitor sometimes fail ("wrong fsid") while the monitor is
# still settling; the daemon then exits at once. Try again a few times.
osd_started=0
for _ in 1 2 3 4 5; do
  if ceph-osd -c ceph.conf -i 0 >>log/osd.out 2>&1; then
    osd_started=1
    break
  fi
  sleep 1
done
[ $osd_started = 1 ] || fail "ceph-osd did not start: $(tail -n 3 log/osd.out)" osd.0
radosgw -c ceph.conf -n client.rgw >>log/rgw.out 2>&1 || fail "radosgw did not start" client.rgw

ready=0
for _ in $(seq 1 240); do  # up to 60 s: radosgw creates its pools first
  if curl -sf -o /dev/null "http://127.0.0.1:$RGW_PORT/"; then
    ready=1
    break
  fi
  if [ -f run/client.rgw.pid ] && ! kill -0 "$(cat run/client.rgw.pid)" 2>/dev/null; then
    fail "radosgw exited" client.rgw
  fi
  sleep 0.25
done
[ $ready = 1 ] || fail "radosgw did not answer on 127.0.0.1:$RGW_PORT within 60 s" client.rgw

timeout 30 radosgw-admin -c ceph.conf user create --uid=wenku-test --display-name=wenku-test \
  --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >log/user-create.out 2>&1 ||
  fail "radosgw-admin user create failed: $(tail -n 3 log/user-create.out)"

END=$(date +%s.%N)
echo "endpoint=http://127.0.0.1:$RGW_PORT"
echo "access_key=$ACCESS_KEY"
echo "secret_key=$SECRET_KEY"
echo "region=us-east-1"
echo "seconds=$(python3 -c "print(round($END-$START,1))")"
