# tests/deb_lib.sh: the Debian package built from this source tree, for the
# scenarios that install it; sourced after tests/lib.sh. deb_get sets DEB to
# the .deb, built by scripts/deb (in a copy of the tree, lintian clean) once
# per state of the tree: the build is kept in $FS_DEB_DIR (default
# $top_builddir/deb) under a hash of the files it was made from, so the
# scenarios of one run, and the runs after it, share it until a file changes.
# Skips where it cannot be built: not a git checkout (a release tarball has
# no debian/), or no dpkg-buildpackage. FS_DEB=FILE uses that .deb instead.
# The package is always built apart, without sanitizers, even from a
# sanitizer build (deb_sanitized tells a scenario it is in one).

# A hash of what scripts/deb copies: git's files as they are now.
deb_key() {
	(cd "$top_srcdir" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
		xargs -0 sha256sum | sha256sum | cut -c1-16)
}

deb_get() {
	local dir key
	if [ -n "${FS_DEB:-}" ]; then
		[ -f "$FS_DEB" ] || fs_fail "FS_DEB=$FS_DEB is not a file"
		DEB=$FS_DEB
		return 0
	fi
	[ -f "$top_srcdir/debian/control" ] || fs_skip "no debian/ in $top_srcdir (a release tarball)"
	git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1 ||
		fs_skip "$top_srcdir is not a git checkout: scripts/deb copies git's files"
	for t in dpkg-buildpackage dh lintian; do
		command -v $t >/dev/null 2>&1 || fs_skip "$t is not installed (sh scripts/deps)"
	done
	dir=${FS_DEB_DIR:-$top_builddir/deb}
	mkdir -p "$dir"
	key=$(deb_key) && [ -n "$key" ] || fs_fail "cannot hash the source tree"
	# One build at a time; whoever waited finds it done.
	exec 8>"$dir/lock"
	flock 8
	if ! ls "$dir/$key"/fake-servers_*.deb >/dev/null 2>&1; then
		find "$dir" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
		t0=$(date +%s)
		DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
			sh "$top_srcdir/scripts/deb" "$dir/$key" >"$dir/scripts-deb.log" 2>&1 ||
			{ cat "$dir/scripts-deb.log" >&2; rm -rf "${dir:?}/$key"; flock -u 8;
			  fs_fail "scripts/deb failed"; }
		fs_ok "built the package in $(( $(date +%s) - t0 )) s (the suite runs its unit tests):" \
			"$(grep -c . "$dir/$key/lintian.log") lines of lintian output, no error or warning"
	fi
	flock -u 8
	exec 8>&-
	DEB=$(ls "$dir/$key"/fake-servers_*.deb)
}

# deb_sanitized: true in a sanitizer build (configure --enable-sanitizers).
deb_sanitized() {
	grep -q -e __asan_init -e __ubsan_handle "$top_builddir/fake-servers" 2>/dev/null
}

# A container (ct) that starts as a copy of this host, made a plain system
# for packages: no trace of the package or of an install from source; no
# policy-rc.d (a build image's way to stop packages from starting services,
# which here is what is tested); no man-db index rebuild after each install
# (slow, and nothing here reads it).
deb_prepare_ct() {
	ct sh -c 'if dpkg-query -W fake-servers >/dev/null 2>&1; then
			dpkg --purge fake-servers >/dev/null || exit 1; fi
		rm -rf /etc/fake-servers /usr/sbin/policy-rc.d /var/lib/man-db/auto-update'
}
