#!/bin/bash
# kvm-vm.sh - run a command against a real /dev/kvm on machines that have
# none: boot a Debian kernel under qemu TCG with an SVM-capable CPU (EPYC),
# load kvm + kvm-amd in it, share the host's root filesystem read-only over
# virtio-9p and run the command chrooted into it, in the caller's directory.
# This file owns tests/nested/ and the cache dir ($GDBVM_NESTED_CACHE,
# default .cache/nested); the guest's /init is embedded below (GUEST_INIT).
#
#   kvm-vm.sh --prepare                      install packages, fetch the kernel,
#                                            build the base initramfs (cached)
#   kvm-vm.sh [--timeout SECONDS] -- CMD [ARGS...]
#
# CMD's stdout and stderr both come out on stdout, live; the exit status is
# CMD's.  Environment inside: PATH, HOME=/root, TERM=dumb, LANG=C.UTF-8 and
# the variables named in $GDBVM_NESTED_ENV (space-separated names).  Stdin
# is /dev/null; /tmp, /run and /dev/shm are fresh tmpfs (a caller directory
# under them is shared into the guest on its own, read-only).  Failures of the harness
# itself (no kvm, no boot, timeout...) print "kvm-vm: REASON" on stderr and
# exit 125.
# SC2015: "A && B || die" is meant (die when any step fails).  SC2016: the
# single-quoted texts are guest shell code.  SC2317: cleanup runs from a trap.
# shellcheck disable=SC2015,SC2016,SC2317
set -uo pipefail

ME=kvm-vm
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P) || exit 125
SELF=$ROOT/tests/nested/kvm-vm.sh
CACHE=${GDBVM_NESTED_CACHE:-$ROOT/.cache/nested}
case $CACHE in /*) ;; *) CACHE=$PWD/$CACHE ;; esac
PACKAGES=(qemu-system-x86 busybox-static cpio kmod)
# Modules to load in the guest; their dependencies are added (in order).
ROOT_MODULES=(kvm-amd virtio_pci 9pnet_virtio 9p)
MARK=@@KVM-VM

die() { printf '%s: %s\n' "$ME" "$*" >&2; exit 125; }
note() { printf '%s: %s\n' "$ME" "$*" >&2; }
usage() {
	cat >&2 <<-EOF
	usage: $0 --prepare
	       $0 [--timeout SECONDS] -- CMD [ARGS...]
	EOF
	exit 125
}

# ---------------------------------------------------------------- prepare --

# as_root CMD...: run CMD as root (directly, or through sudo -n).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null; then sudo -n "$@"
	else return 1
	fi
}

prepare_packages() {
	local p missing=()
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	note "installing ${missing[*]}"
	as_root apt-get update -qq >"$CACHE/apt.log" 2>&1 ||
		die "apt-get update failed (see $CACHE/apt.log)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >>"$CACHE/apt.log" 2>&1 ||
		die "apt-get install ${missing[*]} failed (see $CACHE/apt.log)"
}

# The concrete kernel package linux-image-amd64 depends on (empty if unknown).
kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# extract_vmlinux BZIMAGE OUT: write the uncompressed kernel inside BZIMAGE
# to OUT if it is an ELF with a PVH entry point.  qemu boots that directly,
# ~3 s faster under TCG than a bzImage that decompresses itself.
extract_vmlinux() {
	local m off
	for m in '\xfd7zXZ\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -dcq' '\x1f\x8b\x08:gzip -dc'; do
		for off in $(LC_ALL=C grep -obUaP "${m%%:*}" "$1" | head -5 | cut -d: -f1); do
			tail -c +$((off + 1)) "$1" | ${m#*:} >"$2" 2>/dev/null
			[ "$(head -c 4 "$2")" = $'\x7fELF' ] || continue
			# XEN_ELFNOTE_PHYS32_ENTRY (18): the PVH entry qemu needs.
			command -v readelf >/dev/null || return 0
			readelf -n "$2" 2>/dev/null | grep -Eq 'PHYS32_ENTRY|\(0x00000012\)'
			return
		done
	done
	return 1
}

# Fetch the kernel package, keep vmlinuz + the modules we load.  Result:
# $CACHE/kernel/{vmlinux or vmlinuz,version,mods/NAME.ko,mods/order}.
prepare_kernel() {
	[ -f "$CACHE/kernel/mods/order" ] && return
	local tmp=$CACHE/kernel.tmp pkg deb kv kdir f n
	rm -rf "$tmp" && mkdir -p "$tmp/deb" "$tmp/x" "$tmp/out/mods" ||
		die "cannot create $tmp"
	pkg=$(kernel_package)
	note "downloading the guest kernel (${pkg:-linux-image-amd64})"
	if [ -z "$pkg" ] || ! (cd "$tmp/deb" && apt-get download "$pkg") >"$tmp/apt.log" 2>&1; then
		# Package lists missing or stale: refresh them once and retry.
		as_root apt-get update -qq >>"$tmp/apt.log" 2>&1 ||
			die "apt-get update failed (see $tmp/apt.log)"
		pkg=$(kernel_package)
		[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 to a kernel package"
		(cd "$tmp/deb" && apt-get download "$pkg") >>"$tmp/apt.log" 2>&1 ||
			die "apt-get download $pkg failed (see $tmp/apt.log)"
	fi
	deb=("$tmp"/deb/*.deb)
	[ -f "${deb[0]}" ] || die "apt-get download $pkg produced no .deb"
	dpkg-deb -x "${deb[0]}" "$tmp/x" || die "cannot extract ${deb[0]}"
	rm -f "${deb[@]}"
	for kdir in "$tmp"/x/lib/modules/*/ "$tmp"/x/usr/lib/modules/*/; do
		[ -d "$kdir" ] && break
	done
	kv=$(basename "$kdir")
	[ -f "$tmp/x/boot/vmlinuz-$kv" ] || die "no vmlinuz/modules in $pkg"
	echo "$kv" >"$tmp/out/version" || die "cannot write $tmp/out/version"
	if ! extract_vmlinux "$tmp/x/boot/vmlinuz-$kv" "$tmp/out/vmlinux"; then
		rm -f "$tmp/out/vmlinux"
		cp "$tmp/x/boot/vmlinuz-$kv" "$tmp/out/vmlinuz" || die "cannot copy vmlinuz"
	fi

	# Index the module files by name ('-' and '_' are the same to the kernel).
	local -A kofile=() done_=()
	local order=()
	while IFS= read -r f; do
		n=${f##*/}; n=${n%%.ko*}; kofile[${n//-/_}]=$f
	done < <(find "$kdir/kernel" -name '*.ko*' -type f)
	add_module() {
		local n=${1//-/_} d
		[ -n "${done_[$n]:-}" ] && return
		done_[$n]=1
		if [ -z "${kofile[$n]:-}" ]; then
			grep -q "/${n}\.ko" <(tr - _ <"$kdir/modules.builtin") 2>/dev/null && return
			die "kernel module $n not found in $pkg"
		fi
		for d in $(modinfo -F depends "${kofile[$n]}" | tr , ' '); do add_module "$d"; done
		case ${kofile[$n]} in
		*.ko) cp "${kofile[$n]}" "$tmp/out/mods/$n.ko" ;;
		*.ko.xz) xz -dc "${kofile[$n]}" >"$tmp/out/mods/$n.ko" ;;
		*.ko.zst) zstd -qdc "${kofile[$n]}" >"$tmp/out/mods/$n.ko" ;;
		*) false ;;
		esac || die "cannot copy module ${kofile[$n]}"
		order+=("$n")
	}
	for n in "${ROOT_MODULES[@]}"; do add_module "$n"; done
	printf '%s\n' "${order[@]}" >"$tmp/out/mods/order"
	rm -rf "$CACHE/kernel" && mv "$tmp/out" "$CACHE/kernel" && rm -rf "$tmp" ||
		die "cannot install the kernel into $CACHE/kernel"
}

# The guest's /init (busybox sh).  It loads the modules, mounts the host's
# root, runs the command from /kvm-vm/run (appended per run) in a chroot
# and reports its status as a marker line, which the host strips.
GUEST_INIT='#!/bin/sh
# /init of the kvm-vm.sh guest (generated by tests/nested/kvm-vm.sh, which owns it).
PATH=/bin; export PATH
fail() { echo "@@KVM-VM-FAIL=$*@@"; reboot -f; sleep 10; }
mount -t proc proc /proc && mount -t sysfs sys /sys &&
	mount -t devtmpfs dev /dev || fail "cannot mount /proc, /sys or /dev"
exec </dev/null >/dev/console 2>&1
stty -F /dev/console -onlcr
while read -r m; do
	insmod "/mods/$m.ko" 2>/tmp/err || fail "insmod $m failed: $(head -1 /tmp/err)"
done </mods/order
[ -c /dev/kvm ] || fail "/dev/kvm did not appear after loading kvm-amd"
ip link set lo up || fail "cannot bring up the loopback interface"
R=/host
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288,cache=loose,ro hostroot $R 2>/tmp/err ||
	fail "9p mount of the host root failed: $(head -1 /tmp/err)"
for d in proc sys dev tmp run; do
	[ -d $R/$d ] || fail "the host root has no /$d"
done
mount -t proc proc $R/proc && mount -t sysfs sys $R/sys &&
	mount -t devtmpfs dev $R/dev && mkdir -p $R/dev/pts $R/dev/shm &&
	mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts &&
	mount -t tmpfs -o mode=1777 shm $R/dev/shm &&
	mount -t tmpfs -o mode=1777 tmp $R/tmp &&
	mount -t tmpfs -o mode=755 run $R/run || fail "cannot mount /proc, /sys, /dev, /tmp or /run in the chroot"
# A caller directory under /tmp, /run or /dev/shm is hidden by the fresh
# mounts above: mount the caller directory itself (shared separately) there.
c=$(cat /kvm-vm/cwd)
case $c in
/tmp|/tmp/*|/run|/run/*|/dev/shm|/dev/shm/*)
	mkdir -p "$R$c" && mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288,cache=loose,ro \
		cwd "$R$c" 2>/tmp/err || fail "9p mount of the caller directory failed: $(head -1 /tmp/err)" ;;
esac
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr
. /kvm-vm/run
echo "@@KVM-VM-START@@"
chroot $R "$@"
echo "@@KVM-VM-RC=$?@@"
reboot -f
sleep 10
'

prepare_initramfs() {
	local stamp tmp a
	stamp=$( { cat "$SELF" "$CACHE/kernel/version"; busybox 2>&1 | head -1; } | sha256sum | cut -c1-16)
	[ -f "$CACHE/base.cpio.gz" ] && [ "$(cat "$CACHE/base.stamp" 2>/dev/null)" = "$stamp" ] &&
		return
	tmp=$CACHE/initramfs.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"/{bin,proc,sys,dev,tmp,host,kvm-vm} &&
		cp /bin/busybox "$tmp/bin/busybox" && cp -r "$CACHE/kernel/mods" "$tmp/mods" &&
		printf '%s' "$GUEST_INIT" >"$tmp/init" && chmod 755 "$tmp/init" ||
		die "cannot populate $tmp"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$tmp/bin/$a"
	done
	# Pad to 4 bytes with zeros: the kernel reads the per-run archive
	# appended at run time only if it starts 4-byte aligned.
	(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
		>"$CACHE/base.cpio.gz.tmp" &&
		truncate -s %4 "$CACHE/base.cpio.gz.tmp" &&
		mv "$CACHE/base.cpio.gz.tmp" "$CACHE/base.cpio.gz" &&
		echo "$stamp" >"$CACHE/base.stamp" && rm -rf "$tmp" ||
		die "cannot build the base initramfs"
}

prepare() {
	mkdir -p "$CACHE" || die "cannot create the cache dir $CACHE"
	# Serialise concurrent prepares (parallel test jobs).
	exec 9>"$CACHE/.lock" && flock 9 || die "cannot lock $CACHE/.lock"
	prepare_packages
	prepare_kernel
	prepare_initramfs
	exec 9>&-
}

# -------------------------------------------------------------------- run --

# q STRING: STRING quoted for a POSIX shell.
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

QPID='' TMPD=''
cleanup() {
	[ -n "$QPID" ] && kill -KILL "$QPID" 2>/dev/null
	[ -n "$TMPD" ] && rm -rf "$TMPD"
}

run() {
	local timeout=$1; shift
	local name cwd kernel w envs=() fd line started='' rc='' failure='' tail=() left t0
	cwd=$(pwd -P) || die "cannot get the current directory"
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kvm-vm.XXXXXX") || die "cannot create a temporary dir"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP

	# The per-run archive: /kvm-vm/run sets "$@" to the chroot command line.
	envs=("PATH=$PATH" HOME=/root TERM=dumb LANG=C.UTF-8)
	for name in ${GDBVM_NESTED_ENV:-}; do
		[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad name in GDBVM_NESTED_ENV: $name"
		[ -n "${!name+set}" ] && envs+=("$name=${!name}")
	done
	mkdir -p "$TMPD/run/kvm-vm" || die "cannot create $TMPD/run"
	{
		printf 'set -- /usr/bin/env -i'
		for w in "${envs[@]}"; do printf ' %s' "$(q "$w")"; done
		printf ' /bin/sh -c %s kvm-vm %s' \
			"$(q 'cd -- "$1" 2>/dev/null || { echo "@@KVM-VM-FAIL=cannot cd to $1 in the guest@@"; exit 125; }; shift; exec "$@"')" \
			"$(q "$cwd")"
		for w in "$@"; do printf ' %s' "$(q "$w")"; done
		printf '\n'
	} >"$TMPD/run/kvm-vm/run" || die "cannot write the run file"
	printf '%s\n' "$cwd" >"$TMPD/run/kvm-vm/cwd" || die "cannot write the run file"
	(cd "$TMPD/run" && printf 'kvm-vm\nkvm-vm/run\nkvm-vm/cwd\n' | cpio -o -H newc -R 0:0 --quiet) \
		>"$TMPD/run.cpio" && cat "$CACHE/base.cpio.gz" "$TMPD/run.cpio" >"$TMPD/initrd" ||
		die "cannot build the per-run initramfs"

	kernel=$CACHE/kernel/vmlinux
	[ -f "$kernel" ] || kernel=$CACHE/kernel/vmlinuz
	# qemu writes the serial console to a pipe we read; it never sees our
	# stdin, and dies with us (pdeathsig) even if we are killed hard.
	t0=$SECONDS
	exec {fd}< <(exec setpriv --pdeathsig KILL qemu-system-x86_64 \
		-cpu EPYC -accel tcg -smp 1 -m 2048 -nographic -nodefaults -no-reboot \
		-chardev file,id=con,path=/proc/self/fd/1 -serial chardev:con \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		-fsdev local,id=cwd,path="${cwd//,/,,}",security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=cwd,mount_tag=cwd \
		-kernel "$kernel" -initrd "$TMPD/initrd" \
		-append 'console=ttyS0 quiet loglevel=0 panic=-1' \
		</dev/null 2>"$TMPD/qemu.err") || die "cannot start qemu"
	QPID=$!

	while :; do
		left=$((timeout - (SECONDS - t0)))
		[ "$left" -gt 0 ] || break
		IFS= read -r -t "$left" -u "$fd" line
		case $? in
		0) ;;
		1) [ -n "$line" ] || break ;;        # EOF: qemu exited
		*) break ;;                          # timeout
		esac
		line=${line%$'\r'}
		if [ -z "$started" ]; then
			case $line in
			*"$MARK-START@@"*) started=1 ;;
			*"$MARK-FAIL="*"@@"*) failure=${line#*"$MARK-FAIL="}; failure=${failure%%@@*}; break ;;
			*) tail+=("$line"); [ ${#tail[@]} -le 40 ] || tail=("${tail[@]:1}") ;;
			esac
			continue
		fi
		case $line in
		*"$MARK-RC="*"@@"*)
			printf '%s' "${line%%"$MARK-RC="*}"
			rc=${line##*"$MARK-RC="}; rc=${rc%%@@*}
			break ;;
		*"$MARK-FAIL="*"@@"*)
			failure=${line#*"$MARK-FAIL="}; failure=${failure%%@@*}; break ;;
		esac
		printf '%s\n' "$line"
	done

	if [ -n "$rc" ] && [ -z "$failure" ]; then
		# The guest reboots itself (qemu exits); give it a moment, then kill.
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$QPID" 2>/dev/null || break; sleep 0.2; done
		exit "$rc"
	fi
	if [ -z "$failure" ]; then
		if [ "$((SECONDS - t0))" -ge "$timeout" ]; then
			failure="timed out after $timeout s (qemu killed)"
		elif [ -n "$started" ]; then
			failure="the VM stopped before the command finished (kernel panic or qemu crash?)"
		else
			failure="the VM did not boot"
		fi
	fi
	kill -KILL "$QPID" 2>/dev/null
	note "$failure"
	if [ -z "$started" ]; then
		for line in "${tail[@]}"; do printf '%s: console: %s\n' "$ME" "$line"; done >&2
		sed -n '/./s/^/'"$ME"': qemu: /p' "$TMPD/qemu.err" | grep -v 'TCG doesn.t support' >&2
	fi
	exit 125
}

# ------------------------------------------------------------------- main --

timeout=1800
case ${1:-} in
--prepare)
	[ $# -eq 1 ] || usage
	prepare
	exit 0 ;;
esac
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--timeout=*) timeout=${1#*=}; shift ;;
	--) shift; break ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || usage
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "bad --timeout: $timeout"
prepare
run "$timeout" "$@"
