#!/bin/bash
# test_rtc.sh - the CMOS RAM and real-time clock (ports 0x70/0x71) seen by
# guests in a real KVM VM: guests/rtc.bin prints the date and time in BCD
# and in binary, compared with the host's clock read just before and just
# after the run; guests/boot/cmos.img prints the CMOS RAM's machine fields,
# compared with what the options gave the machine.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# in_window NAME LINE LABEL BEFORE AFTER: LINE is "LABEL YYYY-MM-DD HH:MM:SS"
# with a UTC time from BEFORE to AFTER (seconds since the epoch).
in_window() {
	local name=$1 line=$2 label=$3 before=$4 after=$5 stamp t
	stamp=$(printf '%s' "$line" | sed -E "s/^$label +//")
	if [ "$stamp" = "$line" ] ||
	   ! [[ $stamp =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}$ ]] ||
	   ! t=$(date -u -d "$stamp" +%s 2>/dev/null); then
		not_ok "$name" "line: '$line'" "expected '$label YYYY-MM-DD HH:MM:SS'"
		return
	fi
	if [ "$t" -ge "$before" ] && [ "$t" -le "$after" ]; then
		ok "$name"
	else
		not_ok "$name" "guest time $stamp ($t)" \
			"host time from $(date -u -d "@$before" '+%F %T') to $(date -u -d "@$after" '+%F %T')"
	fi
}

if kvm_case "rtc.bin runs and exits cleanly"; then
	before=$(date -u +%s)
	run guests/rtc.bin
	after=$(date -u +%s)
	# An empty stderr also says no port of the guest was unknown.
	if [ "$STATUS" = 0 ] && [ ! -s "$TMP/err" ] && [ "$(wc -l <"$TMP/out")" = 2 ]; then
		ok "rtc.bin runs and exits cleanly"
	else
		not_ok "rtc.bin runs and exits cleanly" "status $STATUS" "stdout: $(cat "$TMP/out")" \
			"stderr: $(cat "$TMP/err")"
	fi
	in_window "the BCD time the guest reads is the host's UTC time" \
		"$(sed -n 1p "$TMP/out")" bcd "$before" "$after"
	in_window "the binary time the guest reads is the host's UTC time" \
		"$(sed -n 2p "$TMP/out")" binary "$before" "$after"
fi

# cmos_case NAME IMAGE_SIZE MEM FLOPPY EQUIPMENT: boot guests/boot/cmos.img
# padded to IMAGE_SIZE with -m MEM, and check the fields it prints.
cmos_case() {
	local name=$1 size=$2 mem=$3 floppy=$4 equip=$5 mem_k ext high line1 line2 sum computed
	kvm_case "$name" || return
	cp guests/boot/cmos.img "$TMP/cmos.img"
	truncate -s "$size" "$TMP/cmos.img"
	run -m "$mem" --boot "$TMP/cmos.img"
	mem_k=$(numfmt --from=iec "$mem")
	mem_k=$((mem_k / 1024))
	ext=$((mem_k > 1024 ? mem_k - 1024 : 0)); [ "$ext" -gt 65535 ] && ext=65535
	high=$((mem_k > 16384 ? (mem_k - 16384) / 64 : 0)); [ "$high" -gt 65535 ] && high=65535
	line1=$(printf 'floppy %s equipment %s base %04x ext %04x ext2 %04x high %04x\r' \
		"$floppy" "$equip" 639 "$ext" "$ext" "$high")
	read -r _ sum _ computed < <(sed -n 2p "$TMP/out")
	if [ "$STATUS" = 0 ] && [ "$(sed -n 1p "$TMP/out")" = "$line1" ] &&
	   [ -n "$sum" ] && [ "$sum" = "${computed%$'\r'}" ]; then
		ok "$name"
	else
		not_ok "$name" "status $STATUS" "stdout: $(cat -v "$TMP/out")" "expected: $line1" \
			"stderr: $(cat "$TMP/err")"
	fi
}

cmos_case "CMOS fields: 1.44M floppy, 64M of RAM, valid checksum" 1440K 64M 40 03
cmos_case "CMOS fields: 720K floppy, 1M of RAM" 720K 1M 30 03
cmos_case "CMOS fields: hard disk (no floppy), 3G of RAM (extended memory saturates)" 512 3G 00 02

finish
