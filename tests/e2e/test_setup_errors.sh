#!/bin/bash
# test_setup_errors.sh - guest files that cannot be loaded (status 4) and a
# KVM device that cannot be used (status 6).  The guest file is checked
# before KVM is opened, so a bad file gives 4 even with no KVM at all.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

NOKVM=(--kvm-device /nonexistent/kvm)

run "${NOKVM[@]}" "$TMP/missing.bin"
check "missing guest file" 4 "" \
	"$(lit "gdbvm: cannot open guest '$TMP/missing.bin': No such file or directory")"

run "${NOKVM[@]}" "$TMP"
check "guest that is a directory" 4 "" "$(lit "gdbvm: guest '$TMP' is not a regular file")"

: >"$TMP/empty.bin"
run "${NOKVM[@]}" "$TMP/empty.bin"
check "empty guest file" 4 "" "$(lit "gdbvm: guest '$TMP/empty.bin' is empty")"

head -c 2000 /dev/zero >"$TMP/big.bin"
run "${NOKVM[@]}" -m 64K -l 0xfc00 "$TMP/big.bin"
check "guest larger than RAM from its load address" 4 "" \
	"$(lit "gdbvm: guest '$TMP/big.bin' (2000 bytes) does not fit in guest RAM at load address 0xfc00 (RAM is 0x10000 bytes)")"

head -c 1024 /dev/zero >"$TMP/fits.bin"
run "${NOKVM[@]}" -m 64K -l 0xfc00 "$TMP/fits.bin"
check "guest that exactly fills RAM up to the end gets as far as KVM" 6 "" \
	"$(lit "gdbvm: cannot open /nonexistent/kvm: No such file or directory (is KVM enabled and do you have access to it?)")"

if [ "$(id -u)" = 0 ]; then
	skip "unreadable guest file" "running as root, which can read any file"
else
	echo x >"$TMP/secret.bin"; chmod 000 "$TMP/secret.bin"
	run "${NOKVM[@]}" "$TMP/secret.bin"
	check "unreadable guest file" 4 "" \
		"$(lit "gdbvm: cannot open guest '$TMP/secret.bin': Permission denied")"
fi

run --kvm-device /nonexistent/kvm
check "KVM device missing" 6 "" \
	"$(lit "gdbvm: cannot open /nonexistent/kvm: No such file or directory (is KVM enabled and do you have access to it?)")"

run --kvm-device /dev/null
check "KVM device that is not KVM" 6 "" \
	"$(lit "gdbvm: KVM_GET_API_VERSION on /dev/null failed: Inappropriate ioctl for device")"

if have_kvm; then
	skip "clear message when /dev/kvm is missing" "this machine has /dev/kvm"
else
	run
	want="gdbvm: cannot open /dev/kvm: No such file or directory (is KVM enabled and do you have access to it?)"
	[ -e /dev/kvm ] && want="gdbvm: cannot open /dev/kvm: Permission denied (is KVM enabled and do you have access to it?)"
	check "clear message when /dev/kvm is missing" 6 "" "$(lit "$want")"
fi

finish
