#!/bin/bash
# tests/sysd.sh: boot a throw-away systemd as PID 1 in new namespaces, for
# tests that need a real service manager.
#
#   bash tests/sysd.sh check            exit 77 with the reason on stderr if
#                                       this machine cannot boot a container
#   bash tests/sysd.sh install DIR      `make install DESTDIR=DIR` of the build
#                                       in $top_builddir (quiet; log on failure),
#                                       ready for SYSD_PREPARE: units outside
#                                       systemd's search path are copied to
#                                       /etc/systemd/system, and a prefix under
#                                       /tmp gets a BindReadOnlyPaths= drop-in
#   bash tests/sysd.sh start NAME       boot; returns once the system is up
#   bash tests/sysd.sh exec NAME CMD... run CMD inside (as root, all of the
#                                       container's namespaces and its root)
#   bash tests/sysd.sh root NAME        print a host path to the container's /
#   bash tests/sysd.sh log NAME         print the path of the boot console log
#   bash tests/sysd.sh stop NAME        power off, kill what is left, remove
#                                       the cgroups (idempotent)
#
# How: `script` gives a pty that becomes the container's /dev/console; inside
# `unshare --pid --mount --uts --ipc --net` the new PID 1 mounts an overlay
# with the host's / as its read-only lower layer and a tmpfs as the upper
# one, so nothing the container writes reaches the host; it adds proc, a
# read-only sysfs and /proc/sys, a minimal /dev, fresh tmpfs /run and /tmp,
# pivot_root's into it, moves itself into its own cgroup2 subtree, unshares a
# cgroup namespace and execs /lib/systemd/systemd.  The container has its own
# network namespace with only lo (systemd brings it up).  Every mount lives in
# the container's mount namespace and dies with it.
#
# Environment:
#   SYSD_DIR      state directory on the host (default ${TMPDIR:-/tmp}/fs-sysd);
#                 NAME's files are in SYSD_DIR/NAME (console.log, pids)
#   SYSD_PREPARE  a tree (e.g. a `make install DESTDIR`) copied onto the
#                 container's / before boot; directory symlinks such as
#                 /lib -> usr/lib are kept.  The container's /tmp is a fresh
#                 tmpfs (the tree's own /tmp part is kept through boot), and
#                 PrivateTmp= services do not see it: prefer /usr/local
#   SYSD_MASK     more units to mask.  Every service, socket, timer and path
#                 unit the host has enabled is masked anyway (they slow the
#                 boot or fail in a container), as are the console and ttys
#   SYSD_BIND     host directories bind-mounted read-only at the same path
#                 (for what is not on the host's root file system)
#   SYSD_NETNS    join this `ip netns` instead of a new network namespace
#
# A scenario, with tests/lib.sh (its trap stops the container):
#   SYSD="bash $top_srcdir/tests/sysd.sh"
#   $SYSD check || fs_skip "cannot boot systemd in a container"
#   export SYSD_DIR=$FS_TMP/sysd
#   $SYSD install "$FS_TMP/stage"
#   stop_ct() { $SYSD stop ct1; }; fs_on_exit stop_ct
#   SYSD_PREPARE=$FS_TMP/stage $SYSD start ct1
#   $SYSD exec ct1 systemctl start fake-servers
#   $SYSD exec ct1 runuser -u nobody -- env X=1 /usr/local/bin/fake-client ...
# exec starts CMD with a clean environment (PATH, LC_ALL) and passes stdin,
# stdout, stderr and the exit status through.
#
# Needs root, overlayfs, cgroup2, util-linux (unshare, nsenter, script) and
# systemd.  Boot takes about half a second, stop about a tenth.
set -eu

die() { echo "sysd: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 check|start|exec|root|log|stop NAME [CMD...]"
cmd=$1; shift
if [ "$cmd" != check ] && [ "$cmd" != install ]; then
	[ $# -ge 1 ] || die "usage: $0 $cmd NAME"
	NAME=$1; shift
	case $NAME in *[!A-Za-z0-9_.-]*|'') die "bad name '$NAME'";; esac
fi
SYSD_DIR=${SYSD_DIR:-${TMPDIR:-/tmp}/fs-sysd}
export SYSD_DIR
B=$SYSD_DIR/${NAME:-}
SELF=$(readlink -f "$0")

# The cgroup2 hierarchy: /sys/fs/cgroup on a unified host, .../unified on a
# hybrid one.
cg2root() {
	if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
		echo /sys/fs/cgroup
	elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
		echo /sys/fs/cgroup/unified
	else
		return 1
	fi
}

# Why this machine cannot boot a container, or nothing.
why_not() {
	local t
	[ "$(id -u)" -eq 0 ] || { echo "not root"; return; }
	for t in unshare nsenter script setsid flock; do
		command -v $t >/dev/null 2>&1 || { echo "$t (util-linux) is not installed"; return; }
	done
	[ -x /lib/systemd/systemd ] || { echo "systemd is not installed"; return; }
	grep -qw overlay /proc/filesystems || { echo "the kernel has no overlayfs"; return; }
	cg2root >/dev/null || { echo "no cgroup2 hierarchy is mounted"; return; }
	[ -w "$(cg2root)" ] || { echo "the cgroup2 hierarchy $(cg2root) is read-only"; return; }
	unshare --pid --fork --mount --uts --ipc --net true 2>/dev/null ||
		{ echo "unshare of pid/mount/net namespaces is not permitted"; return; }
	unshare --cgroup true 2>/dev/null || { echo "cgroup namespaces are not permitted"; return; }
	# The mounts stay in the probe's namespace; only the empty $t remains.
	t=$(mktemp -d "${TMPDIR:-/tmp}/fs-sysd-probe.XXXXXX")
	unshare --mount sh -c "mount -t tmpfs probe $t && mkdir $t/u $t/w $t/m &&
		mount -t overlay probe -o lowerdir=/,upperdir=$t/u,workdir=$t/w $t/m" 2>/dev/null ||
		echo "an overlay with / as its lower layer cannot be mounted"
	rmdir "$t"
}

pid1() { cat "$B/pid1" 2>/dev/null || true; }
# A zombie counts as gone: the launcher is reaped by the host's init, late.
alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

in_ct() {
	local p
	p=$(pid1)
	[ -n "$p" ] || die "container $NAME is not running"
	nsenter --target "$p" --mount --uts --ipc --net --pid --root --wd -- \
		/usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		TERM=dumb SYSTEMD_PAGER=cat SYSTEMD_COLORS=0 LC_ALL=C.UTF-8 "$@"
}

# Units to mask: what the host enables (services and the like, not
# targets; read from /etc, as `systemctl list-unit-files` takes a second),
# the console and tty gettys, and $SYSD_MASK.
mask_list() {
	local f
	for f in /etc/systemd/system/*.wants/* /etc/systemd/system/*.requires/*; do
		case $f in *.service|*.socket|*.timer|*.path) echo "${f##*/}" ;; esac
	done
	echo console-getty.service getty.target systemd-timesyncd.service ${SYSD_MASK:-}
}

# The container's PID 1: the process in our payload cgroup (or below it:
# systemd moves itself to init.scope) whose pid in its own namespace is 1.
find_pid1() {
	local p
	for p in $(find "$CG/payload" -name cgroup.procs -exec cat {} + 2>/dev/null); do
		grep -qE '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$p/status" 2>/dev/null &&
			{ echo "$p"; return 0; }
	done
	return 1
}

boot_failed() {
	echo "sysd: $NAME: $*; last lines of $B/console.log:" >&2
	tail -n 40 "$B/console.log" >&2 2>/dev/null || true
	[ -n "$(pid1)" ] && in_ct systemctl --failed --no-legend >&2 2>/dev/null || true
	exit 1
}

do_start() {
	local net p i state
	[ -z "$(pid1)" ] || die "$NAME is already started"
	mkdir -p "$B" "$CG/launcher" "$CG/payload"
	: >"$B/console.log"
	mask_list | tr ' ' '\n' | grep . | sort -u >"$B/mask"
	if [ -n "${SYSD_NETNS:-}" ]; then
		net="nsenter --net=/run/netns/$SYSD_NETNS unshare"
	else
		net="unshare --net"
	fi
	# The launcher must not sit in the cgroup that becomes the container's
	# cgroup namespace root, or systemd cannot move processes out of it.
	setsid script -qfec "echo \$\$ >$CG/launcher/cgroup.procs; exec $net --pid --fork --mount --uts --ipc bash $SELF _inner $NAME" \
		"$B/console.log" </dev/null >/dev/null 2>&1 &
	echo $! >"$B/launcher.pid"
	p=
	for i in $(seq 200); do
		p=$(find_pid1) && break
		alive "$(cat "$B/launcher.pid")" || break
		sleep 0.05
	done
	[ -n "$p" ] || boot_failed "no PID 1 appeared"
	echo "$p" >"$B/pid1"
	for i in $(seq 300); do
		in_ct test -S /run/systemd/private 2>/dev/null && break
		alive "$p" || boot_failed "PID 1 died"
		sleep 0.05
	done
	state=$(in_ct timeout 20 systemctl is-system-running --wait 2>/dev/null) || true
	case $state in
	running|degraded) echo "$NAME: pid1=$p state=$state" ;;
	*) boot_failed "boot did not finish (state '$state')" ;;
	esac
}

# PID 1 of the new pid namespace, in new mount/uts/ipc/net namespaces.
do_inner() {
	local r=$B/root d u console
	export LIBMOUNT_UTAB=$B/utab	# keep util-linux out of the host's /run
	mount --make-rprivate /
	mkdir -p "$B/ov" "$r"
	mount -t tmpfs -o mode=755 fs-sysd-ov "$B/ov"
	mkdir -p "$B/ov/upper" "$B/ov/work"
	mount -t overlay fs-sysd-root \
		-o "lowerdir=/,upperdir=$B/ov/upper,workdir=$B/ov/work" "$r"
	mount -t proc -o nosuid,nodev,noexec proc "$r/proc"
	# Most of /proc/sys is not namespaced: systemd-sysctl and friends
	# would tune the host's kernel.  Read-only makes them skip.
	mount --bind "$r/proc/sys" "$r/proc/sys"
	mount -o remount,bind,ro "$r/proc/sys"
	if [ -e "$r/proc/sysrq-trigger" ]; then
		mount --bind "$r/proc/sysrq-trigger" "$r/proc/sysrq-trigger"
		mount -o remount,bind,ro "$r/proc/sysrq-trigger"
	fi
	mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$r/sys"
	mount -t tmpfs -o mode=755,nosuid tmpfs "$r/dev"
	for d in null zero full random urandom tty; do
		touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"
	done
	mkdir -p "$r/dev/pts" "$r/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$r/dev/pts"
	ln -s pts/ptmx "$r/dev/ptmx"
	ln -s /proc/self/fd "$r/dev/fd"
	ln -s /proc/self/fd/0 "$r/dev/stdin"
	ln -s /proc/self/fd/1 "$r/dev/stdout"
	ln -s /proc/self/fd/2 "$r/dev/stderr"
	mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$r/dev/shm"
	console=$(readlink /proc/self/fd/0)
	case $console in
	/dev/pts/*) touch "$r/dev/console"; mount --bind "$console" "$r/dev/console" ;;
	esac
	mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$r/run"
	mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$r/tmp"
	for d in ${SYSD_BIND:-}; do
		mkdir -p "$r$d"
		mount --rbind "$d" "$r$d"
		mount -o remount,bind,ro "$r$d"
	done
	if [ -n "${SYSD_PREPARE:-}" ]; then
		tar -C "$SYSD_PREPARE" -cf - . |
			tar -C "$r" --keep-directory-symlink --no-same-owner -xf -
		# systemd-tmpfiles would empty /tmp at boot (tmp.conf's "D").
		[ -d "$SYSD_PREPARE/tmp" ] && mkdir -p "$r/etc/tmpfiles.d" &&
			echo 'd /tmp 1777 root root -' >"$r/etc/tmpfiles.d/tmp.conf"
	fi
	while read -r u; do
		ln -sfn /dev/null "$r/etc/systemd/system/$u"
	done <"$B/mask"
	echo "$NAME" >"$r/etc/hostname"
	echo 0 >"$CG/payload/cgroup.procs"
	cd "$r"
	mkdir -p run/oldroot
	pivot_root . run/oldroot
	exec unshare --cgroup /bin/sh -c '
		umount -l /run/oldroot && rmdir /run/oldroot
		mount -t cgroup2 cgroup2 /sys/fs/cgroup
		exec /usr/bin/env -i container=fs-sysd TERM=dumb \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			/lib/systemd/systemd --system --show-status=yes'
}

do_stop() {
	local l p i
	l=$(cat "$B/launcher.pid" 2>/dev/null || true)
	p=$(pid1)
	[ -n "$p" ] || p=$(find_pid1) || true
	if [ -n "$p" ] && alive "$p"; then
		kill -s SIGRTMIN+4 "$p"	# systemd's "poweroff"
		for i in $(seq 250); do alive "$p" || break; sleep 0.02; done
		alive "$p" && echo "sysd: $NAME: poweroff timed out, killing" >&2
	fi
	[ -e "$CG/cgroup.kill" ] && echo 1 >"$CG/cgroup.kill" 2>/dev/null || true
	for i in $(seq 100); do
		[ -n "$l" ] && alive "$l" || break
		sleep 0.02
	done
	for _ in $(seq 100); do
		[ -d "$CG" ] || break
		find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null || true
		[ -d "$CG" ] && sleep 0.02
	done
	rm -f "$B/pid1" "$B/launcher.pid"
	[ ! -d "$CG" ] || die "$NAME: cgroup $CG is left over"
}

# The make running the test suite exports its command line (TESTS=...)
# and jobserver in MAKEFLAGS: the install must not inherit them.
do_install() {
	local d u t
	[ -n "${top_builddir:-}" ] || die "install: top_builddir is not set"
	mkdir -p "$1"
	d=$(cd "$1" && pwd)
	# One install at a time in a build directory: two tests may stage
	# at once, and a make that has to remake something must not race.
	flock "$top_builddir" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$top_builddir" install DESTDIR="$d" >"$d.log" 2>&1 ||
		{ cat "$d.log" >&2; die "make install DESTDIR=$1 failed"; }
	# A unit installed outside systemd's search path (a distcheck
	# prefix) is copied to /etc/systemd/system.
	find "$d" -path "$d/etc/systemd/system" -prune -o -path '*/systemd/system/*' \
			-name '*.service' -type f -print | while read -r u; do
		case ${u#"$d"} in
		/lib/systemd/system/*|/usr/lib/systemd/system/*|/usr/local/lib/systemd/system/*) ;;
		*) mkdir -p "$d/etc/systemd/system"
		   cp "$u" "$d/etc/systemd/system/" ;;
		esac
	done
	# A prefix under /tmp or /var/tmp (a build there) is hidden from
	# services by PrivateTmp=: bind it in with a drop-in for each unit.
	for t in "$d"/tmp/* "$d"/var/tmp/*; do
		[ -e "$t" ] || continue
		for u in $(find "$d" -path '*/systemd/system/*.service' -type f |
				sed 's,.*/,,' | sort -u); do
			mkdir -p "$d/etc/systemd/system/$u.d"
			printf '[Service]\nBindReadOnlyPaths=%s\n' "${t#"$d"}" \
				>>"$d/etc/systemd/system/$u.d/tmp-prefix.conf"
		done
	done
}

case $cmd in
check)
	r=$(why_not)
	[ -z "$r" ] || { echo "$r" >&2; exit 77; }
	exit 0 ;;
install)
	[ $# -eq 1 ] || die "usage: $0 install DIR"
	do_install "$1"
	exit 0 ;;
esac
CG=$(cg2root)/fs-sysd-$NAME
case $cmd in
start)	do_start ;;
_inner)	do_inner ;;
exec)	in_ct "$@" ;;
root)	echo "/proc/$(pid1)/root" ;;
log)	echo "$B/console.log" ;;
stop)	do_stop ;;
*)	die "unknown command '$cmd'" ;;
esac
