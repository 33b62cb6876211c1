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

# A FIFO nobody writes: refused at once, not waited for (run has a bound).
mkfifo "$TMP/fifo"
run "${NOKVM[@]}" "$TMP/fifo"
check "guest that is a FIFO (not waited for)" 4 "" "$(lit "gdbvm: guest '$TMP/fifo' is not a regular file")"
run "${NOKVM[@]}" --boot "$TMP/fifo"
check "--boot image that is a FIFO (not waited for)" 4 "" \
	"$(lit "gdbvm: disk image '$TMP/fifo' is not a regular file")"

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

# ELF guests: malformed or unsupported files are refused before KVM is
# opened; a good one gets as far as KVM.  The files are made from a real
# guest ELF (guests/hello.elf), cut short or patched.
ELF=guests/hello.elf
if [ ! -f "$ELF" ]; then
	for t in "truncated ELF" "ELF header cut inside the program headers" "ELF for ARM" \
		"big-endian ELF" "ELF object file" "ELF that fits in 64K gets as far as KVM" \
		"ELF segment beyond RAM" "--load with ELF" "good ELF gets as far as KVM"; do
		skip "$t" "$ELF is not built (make guests)"
	done
else
	head -c 30 "$ELF" >"$TMP/short.elf"
	run "${NOKVM[@]}" "$TMP/short.elf"
	check "truncated ELF" 4 "" \
		"$(lit "gdbvm: guest '$TMP/short.elf': truncated ELF header (30 bytes)")"

	head -c 60 "$ELF" >"$TMP/phdr.elf"
	run "${NOKVM[@]}" "$TMP/phdr.elf"
	check "ELF header cut inside the program headers" 4 "" \
		"$(lit "gdbvm: guest '$TMP/phdr.elf': truncated ELF file: program headers at 0x34 run past its end (60 bytes)")"

	# patch FILE OFFSET HEXBYTES: overwrite bytes of FILE in place.
	patch() { printf "$(sed 's/../\\x&/g' <<<"$3")" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

	cp "$ELF" "$TMP/arm.elf"; patch "$TMP/arm.elf" 18 2800
	run "${NOKVM[@]}" "$TMP/arm.elf"
	check "ELF for ARM" 4 "" \
		"$(lit "gdbvm: guest '$TMP/arm.elf': ELF machine type 40 is not x86 (expected EM_386 or EM_X86_64)")"

	cp "$ELF" "$TMP/be.elf"; patch "$TMP/be.elf" 5 02
	run "${NOKVM[@]}" "$TMP/be.elf"
	check "big-endian ELF" 4 "" \
		"$(lit "gdbvm: guest '$TMP/be.elf': not a little-endian ELF file (x86 is little-endian)")"

	cp "$ELF" "$TMP/rel.elf"; patch "$TMP/rel.elf" 16 0100
	run "${NOKVM[@]}" "$TMP/rel.elf"
	check "ELF object file" 4 "" \
		"$(lit "gdbvm: guest '$TMP/rel.elf': ELF file is a relocatable object file (link it into an executable first)")"

	run "${NOKVM[@]}" -m 64K "guests/cguest.elf"
	check "ELF that fits in 64K gets as far as KVM" 6 "" \
		"$(lit "gdbvm: cannot open /nonexistent/kvm: No such file or directory (is KVM enabled and do you have access to it?)")"

	# p_paddr of the first program header (ELF32: at 0x34 + 12) -> 0x10000.
	cp "$ELF" "$TMP/far.elf"; patch "$TMP/far.elf" 64 00000100
	run "${NOKVM[@]}" -m 64K "$TMP/far.elf"
	check "ELF segment beyond RAM" 4 "" \
		"gdbvm: guest '$(lit "$TMP/far.elf")': ELF segment 0 at physical address 0x10000 \(0x[0-9a-f]+ bytes\) lies outside guest RAM \(0x10000 bytes\)"

	run "${NOKVM[@]}" -l 0x2000 "$ELF"
	check "--load with ELF" 4 "" \
		"$(lit "gdbvm: --load does not apply to ELF guest '$ELF': its segments name their own physical addresses")"

	run "${NOKVM[@]}" "$ELF"
	check "good ELF gets as far as KVM" 6 "" \
		"$(lit "gdbvm: cannot open /nonexistent/kvm: No such file or directory (is KVM enabled and do you have access to it?)")"
fi

if have_kvm; then
	skip "clear message when /dev/kvm is missing" "this machine has /dev/kvm"
else
	run
	want="gdbvm: cannot open /dev/kvm: No such file or directory (is KVM enabled and do you have access to it?)"
	[ -e /dev/kvm ] && want="gdbvm: cannot open /dev/kvm: Permission denied (is KVM enabled and do you have access to it?)"
	check "clear message when /dev/kvm is missing" 6 "" "$(lit "$want")"
fi

finish
