#!/bin/bash
# test_cli.sh - command-line handling: help, version, and every bad value,
# each refused with a one-line message and status 2 before any VM exists.
# None of these needs /dev/kvm.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

run --help
if [ "$STATUS" = 0 ] && grep -q '^Usage: gdbvm \[OPTIONS\] \[GUEST\]' "$TMP/out" &&
   [ "$(grep -cE '^ +(0|2|4|6|8|10|12|14|16|18|20|22|24|26|28|30|odd)  ' "$TMP/out")" = 17 ]; then
	ok "--help prints usage and all seventeen exit statuses"
else
	not_ok "--help prints usage and all seventeen exit statuses" "status $STATUS" "$(cat "$TMP/out")"
fi

run --version
check "--version" 0 "gdbvm 0.1.0\n" ""

# usage_error NAME EXPECTED_STDERR ARGS...: status 2, nothing on stdout.
usage_error() {
	local name=$1 msg=$2
	shift 2
	run --kvm-device /nonexistent/kvm "$@"
	check "$name" 2 "" "$(lit "$msg")"
}

usage_error "memory size that does not parse" \
	"gdbvm: invalid memory size '5x': expected a number with an optional K, M or G suffix" -m 5x
usage_error "memory size with two suffixes" \
	"gdbvm: invalid memory size '1MK': expected a number with an optional K, M or G suffix" -m 1MK
usage_error "memory size below the minimum" \
	"gdbvm: invalid memory size '32K': must be between 64K and 3G" -m 32K
usage_error "memory size above the maximum" \
	"gdbvm: invalid memory size '4G': must be between 64K and 3G" -m 4G
usage_error "memory size that overflows" \
	"gdbvm: invalid memory size '99999999999999999999': out of range" -m 99999999999999999999
usage_error "memory size not a multiple of 4K" \
	"gdbvm: invalid memory size '65537': must be a multiple of 4K" -m 65537
usage_error "load address that does not parse" \
	"gdbvm: invalid load address '0x1g': not a valid number" -l 0x1g
usage_error "load address past RAM" \
	"gdbvm: invalid load address '0x100000': past the end of guest RAM (0x100000 bytes)" -l 0x100000
usage_error "load address past a small RAM" \
	"gdbvm: invalid load address '0x10000': past the end of guest RAM (0x10000 bytes)" -m 64K -l 0x10000
usage_error "load address beyond real-mode reach without --entry" \
	"gdbvm: load address '0x100000' is beyond real-mode reach; give the entry point with --entry" \
	-m 2M -l 0x100000
usage_error "entry point without a colon" \
	"gdbvm: invalid entry point '7c00': expected SEG:OFF (two hexadecimal numbers up to ffff) or a linear address" -e 7c00
usage_error "entry point segment too large" \
	"gdbvm: invalid entry point '10000:0': expected SEG:OFF, two hexadecimal numbers up to ffff" -e 10000:0
usage_error "entry point past RAM" \
	"gdbvm: invalid entry point 'ffff:0010': linear address 0x100000 is past the end of guest RAM (0x100000 bytes)" \
	-e ffff:0010
usage_error "unknown register" \
	"gdbvm: invalid register assignment 'xmm0=1': unknown register (see --help for the names)" --reg xmm0=1
usage_error "register value too wide" \
	"gdbvm: invalid register assignment 'al=256': value does not fit in the register" --reg al=256
usage_error "segment register value too wide" \
	"gdbvm: invalid register assignment 'cs=0x10000': value does not fit in the register" --reg cs=0x10000
usage_error "register assignment without a value" \
	"gdbvm: invalid register assignment 'ax': expected NAME=VALUE" --reg ax
usage_error "register value that does not parse" \
	"gdbvm: invalid register assignment 'ax=twelve': expected NAME=VALUE" --reg ax=twelve
usage_error "timeout of zero" \
	"gdbvm: invalid timeout '0': expected a number of seconds above 0 and up to 1000000" -t 0
usage_error "timeout that does not parse" \
	"gdbvm: invalid timeout 'soon': expected a number of seconds above 0 and up to 1000000" --timeout soon
usage_error "unknown long option" "gdbvm: unknown option '--bogus' (see --help)" --bogus
usage_error "unknown short option" "gdbvm: unknown option '-Z' (see --help)" -Z
usage_error "flag given a value" "gdbvm: option '--trace' takes no value (see --help)" --trace=1
usage_error "option without its value" "gdbvm: option '--memory' needs a value (see --help)" --memory
usage_error "gdb port out of range" \
	"gdbvm: invalid gdb address '70000': expected [HOST:]PORT with PORT from 0 to 65535" -g 70000
usage_error "gdb address without a port" \
	"gdbvm: invalid gdb address '127.0.0.1:': expected [HOST:]PORT with PORT from 0 to 65535" --gdb 127.0.0.1:
usage_error "gdb address with an empty host" \
	"gdbvm: invalid gdb address ':1234': expected [HOST:]PORT with PORT from 0 to 65535" --gdb :1234
usage_error "-S without a gdb server" "gdbvm: -S waits for gdb: give --gdb or -s as well" -S
usage_error "--gdb-batch with -s" \
	"gdbvm: --gdb-batch picks its own port: do not combine it with --gdb or -s" --gdb-batch x.gdb -s
usage_error "two guest files" \
	"gdbvm: unexpected argument 'b.bin': only one GUEST can be given" a.bin b.bin

finish
