# tests/metrics_lib.sh: helpers of the metrics scenarios (sourced after
# tests/servers_lib.sh): the daemon's metrics address and reading it.
fs_need_python
MT="$PY $top_srcdir/tests/metrics_tool.py"

# mt_setup: MPORT, a free port for GET /metrics, and its URL; the config
# gets the key through SV_GLOBAL.
mt_setup() {
	MPORT=$(fs_free_ports 1)
	MURL=http://127.0.0.1:$MPORT/metrics
	SV_GLOBAL="metrics = \"127.0.0.1:$MPORT\"; ${SV_GLOBAL:-}"
}

# mt_value NAME [K=V...]: one sample's value, as an integer when it is one.
mt_value() { $MT value "$MURL" "$@" | sed 's/\.0*$//'; }

# mt_is VALUE NAME [K=V...]: has the sample that value?
mt_is() { want=$1; shift; [ "$(mt_value "$@")" = "$want" ]; }

# mt_promtool FILE: promtool's findings on a page, less those Triton's own
# metric names always draw (they are the names its dashboards query):
# counters without _total, "_count" and "_us" in names.
mt_promtool() {
	promtool check metrics <"$1" >"$FS_TMP/promtool.out" 2>&1
	rc=$?
	grep -v -E '^nv_inference_[a-z_]+ (counter metrics should have "_total" suffix|non-histogram and non-summary metrics should not have "_count" suffix|metric names should not contain abbreviated units)$' \
		"$FS_TMP/promtool.out" | grep . && return 1
	[ $rc -eq 0 ] || [ $rc -eq 3 ]	# 3: lint findings only, all Triton's
}
