#!/bin/sh
# A real Prometheus server (Debian's) scrapes the daemon every second; a
# query through its HTTP API for nv_inference_request_success of a worker
# returns the number of requests the client made, and the supervisor's
# figures are there too.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/metrics_lib.sh"

PROM=$(command -v prometheus) || fs_skip "prometheus (Debian's prometheus package) is not installed"

p=$(fs_free_ports 2)
mt_setup
sv_conf <<EOF
Echo:echo:$p:cost_ms = 1;
Cls:classification:$((p + 1)):cost_ms = 2;
EOF
sv_start
retry 10 sv_all READY || fs_fail "workers not READY: $(sv_states)"

pport=$(fs_free_ports 1)
PURL=http://127.0.0.1:$pport
cat >"$FS_TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: fake-servers
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
EOF
fs_spawn prometheus "$PROM" --config.file="$FS_TMP/prometheus.yml" \
	--storage.tsdb.path="$FS_TMP/tsdb" --web.listen-address="127.0.0.1:$pport" \
	--log.level=warn
ready() { $PY -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$PURL/-/ready"; }
retry 60 ready || fs_fail "prometheus is not ready on $PURL"
fs_ok "prometheus up on $PURL, scraping $MURL every second"

n=$($MT hello "tcp://127.0.0.1:$p" 42) && [ "$n" = 42 ] || fs_fail "42 Hellos to Echo: $n"
q() { $MT query "$PURL" "$1"; }
got=
scraped() { got=$(q 'nv_inference_request_success{job="fake-servers",model="Echo",version="0",kind="echo"}') && [ "$got" = 42 ]; }
retry 30 scraped || fs_fail "Prometheus says Echo had $got successful requests, not 42"
fs_ok "Prometheus: nv_inference_request_success of Echo = 42"

[ "$(q 'nv_inference_request_success{model="Cls"}')" = 0 ] || fs_fail "Cls is not 0 in Prometheus"
[ "$(q 'up{job="fake-servers"}')" = 1 ] || fs_fail "the scrape target is not up"
[ "$(q 'fake_servers_worker_up{model="Cls"}')" = 1 ] || fs_fail "Cls is not up in Prometheus"
[ "$(q 'fake_servers_request_duration_seconds_count{model="Echo"}')" = 42 ] || fs_fail "histogram count"
[ "$(q 'scrape_samples_scraped{job="fake-servers"}')" -gt 50 ] || fs_fail "few samples scraped"
fs_ok "up = 1; the supervisor's figures and the histogram are in Prometheus"
