#!/bin/bash
# run.sh - gdbvm's benchmark ("make bench" runs it after building).
#
# 1. Installs what it compares against when missing, through apt-get on
#    Debian/Ubuntu: qemu-system-x86 (QEMU with KVM), gdbserver, gdb, strace,
#    time (/usr/bin/time).  Without apt-get the missing ones are skipped and
#    the report says so.
# 2. Measures (bench/bench.py measure): directly when /dev/kvm is usable;
#    otherwise inside the nested KVM VM of tests/nested/kvm-vm.sh (AMD SVM
#    under QEMU's TCG), the way tests/run.sh decides; NESTED=0 turns that
#    off.  The raw results go to build/bench/results.jsonl.
# 3. Prints the table and writes the report (bench/report.py):
#    docs/performance.md, or build/bench/performance-quick.md for a quick run.
#
# Environment: BENCH_QUICK=1 (tiny counts, a smoke test), BENCH_<KNOB>=N
# (the counts, listed in bench/bench.py), BENCH_ONLY="start-up modes exits
# gdb round-trip memory attach scaling interrupts record coverage bp-scale
# profile" (a subset), BENCH_SKIP="qemu gdbserver" (peers left out),
# BENCH_REPORT=FILE, GDBVM=PATH.  gdbvm against
# gdb's ceiling alone, over 15 rounds:
#   BENCH_ONLY=gdb BENCH_SKIP="qemu gdbserver" BENCH_GDB_REPS=15 \
#   BENCH_REPORT=build/bench/ceiling.md make bench
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
OUT=build/bench
mkdir -p "$OUT" || exit 1
quick=${BENCH_QUICK:-0}
if [ "$quick" != 0 ]; then report=${BENCH_REPORT:-$OUT/performance-quick.md}
else report=${BENCH_REPORT:-docs/performance.md}; fi
export GDBVM=${GDBVM:-./gdbvm}

for f in "$GDBVM" "$OUT/floor" "$OUT/loop.bin" "$OUT/qemu-loop.rom" "$OUT/native_loop" "$OUT/rtt" "$OUT/ceiling"; do
	[ -e "$f" ] || { echo "bench: $f is missing: run 'make gdbvm bench-build'" >&2; exit 1; }
done

# ------------------------------------------------------------ tools --
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
	else return 1
	fi
}
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v gdbserver >/dev/null || missing+=(gdbserver)
command -v gdb >/dev/null || missing+=(gdb)
command -v strace >/dev/null || missing+=(strace)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
	if command -v apt-get >/dev/null; then
		echo "bench: installing ${missing[*]}"
		{ as_root apt-get update -qq &&
		  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}"; } >"$OUT/apt.log" 2>&1 ||
			echo "bench: apt-get install failed (see $OUT/apt.log); what is missing is skipped"
	else
		echo "bench: no apt-get: ${missing[*]} missing; the figures that need them are skipped"
	fi
fi
command -v gdb >/dev/null || { echo "bench: gdb is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed" >&2; exit 1; }

# ---------------------------------------------------------- measure --
# The host the report describes besides the one that measured.
host_info=$(printf '{"kernel":"%s","cpu":"%s","cpus":%s,"where":"%s"}' \
	"$(uname -r)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
	"$(nproc)" "$(hostname 2>/dev/null || echo unknown)")
knob_env=$(env | sed -n 's/^\(BENCH_[A-Z_]*\)=.*/\1/p' | tr '\n' ' ')
raw=$OUT/raw.log
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	mode=direct
	echo "bench: measuring on this machine's /dev/kvm"
	python3 bench/bench.py measure 2>&1 | tee "$raw"
	rc=${PIPESTATUS[0]}
elif [ "${NESTED:-1}" != 0 ] && tests/nested/kvm-vm.sh --prepare; then
	mode=nested
	echo "bench: no usable /dev/kvm here: measuring inside the nested KVM VM" \
		"(tests/nested/kvm-vm.sh: AMD SVM under QEMU TCG)"
	BENCH_NESTED=1 GDBVM_NESTED_ENV="GDBVM BENCH_NESTED $knob_env" \
		tests/nested/kvm-vm.sh --timeout "${BENCH_TIMEOUT:-3600}" -- \
		python3 bench/bench.py measure 2>&1 | tee "$raw"
	rc=${PIPESTATUS[0]}
else
	echo "bench: skipped: no usable /dev/kvm and no nested KVM VM (NESTED=${NESTED:-1})"
	exit 0
fi
sed -n 's/^.*@@BENCH-JSON //p' "$raw" >"$OUT/results.jsonl"
if [ "$rc" -ne 0 ] || [ ! -s "$OUT/results.jsonl" ]; then
	echo "bench: the measurement failed (status $rc, see $raw)" >&2
	exit 1
fi

# ----------------------------------------------------------- report --
python3 bench/bench.py report "$OUT/results.jsonl" "$report" "$mode" "$host_info"
