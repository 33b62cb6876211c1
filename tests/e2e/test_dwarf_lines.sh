#!/bin/bash
# test_dwarf_lines.sh - the DWARF line-table reader (vmm/dwarf_line.c)
# against binutils' objdump --dwarf=decodedline, the oracle, through
# dwarf-lines (tests/tools/dwarf_lines.c): for every ELF guest the build
# makes in guests/, and for programs built here from tests/e2e/dwarf/ with
# gcc (DWARF 2 to 5, -m32 and -m64, -O0 and -O2), clang (DWARF 4 and 5) when
# installed, and nasm -g -F dwarf (elf32, elf64).  Then the errors: a
# stripped file, no .debug_line, a truncated file, a corrupt unit length.
# Needs no KVM.
#
# How the two sides are compared (objdump -w --dwarf=decodedline):
# - objdump prints a row for every DW_LNS_copy, special opcode and
#   DW_LNE_end_sequence, as "NAME LINE ADDRESS [VIEW] [x]": NAME is the file
#   table's name for the row's file (no directory), LINE is "-" in an end row,
#   x marks is_stmt (never printed in an end row), and address 0 prints as
#   "0".  Both sides are turned into "ADDRESS LINE STMT NAME" lines, STMT
#   being x, - or end, and compared in order, every row.
# - The directory objdump shows only in its "dir/name:" headers, relative
#   and without the compilation directory, so the paths are checked apart:
#   every path is absolute and ends in the row's name; it is the path
#   tests/e2e/dwarf/paths_oracle.py computes for the row's unit and name
#   from readelf's raw dumps (the unit's directory and file tables, the
#   compilation unit's DW_AT_comp_dir); and for the programs built here
#   every path is one of the sources' real paths (C: main.c, util.c, util.h,
#   body.inc; nasm: prog.asm, helper.inc), and each source but the header is
#   named by some row.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

case "$GDBVM" in
*/san/*) : "${DWARF_LINES:=build/san/dwarf-lines}" ;;
*) : "${DWARF_LINES:=build/rel/dwarf-lines}" ;;
esac
SRC=$PWD/tests/e2e/dwarf

# oracle FILE: objdump's rows, normalised.
oracle() {
	objdump -w --dwarf=decodedline "$1" | awk '
		NF >= 3 && ($3 ~ /^0x[0-9a-f]+$/ || $3 == "0") && ($2 ~ /^[0-9]+$/ || $2 == "-") {
			addr = ($3 == "0") ? "0x0" : $3
			if ($2 == "-") stmt = "end"
			else stmt = ($NF == "x" && NF >= 4) ? "x" : "-"
			print addr, $2, stmt, $1
		}'
}

# ours FILE: dwarf-lines' rows in the same shape; its paths in $TMP/paths.
ours() {
	"$DWARF_LINES" "$1" >"$TMP/ours.raw" 2>"$TMP/ours.err" || return 1
	awk -F'\t' '{ print $1, $2, $3, $4 }' "$TMP/ours.raw"
	awk -F'\t' '{ print $4 "\t" $5 }' "$TMP/ours.raw" | sort -u >"$TMP/paths"
}

# paths_ok: every path absolute and ending in its name; prints the bad ones.
paths_ok() {
	awk -F'\t' '{
		n = $1; p = $2
		if (substr(p, 1, 1) != "/") { print "not absolute: " p; next }
		if (substr(n, 1, 1) == "/") { if (p != n) print "absolute name changed: " n " -> " p; next }
		sub(/^(\.\/)+/, "", n)
		if (length(p) <= length(n) || substr(p, length(p) - length(n)) != "/" n)
			print "does not end in /" n ": " p
	}' "$TMP/paths"
}

# compare NAME FILE [EXPECTED_PATHS]: one TAP line.
compare() {
	local name=$1 file=$2 want=$3 problems=() bad
	oracle "$file" >"$TMP/want"
	if ! ours "$file" >"$TMP/got"; then
		not_ok "$name" "dwarf-lines failed: $(cat "$TMP/ours.err")"
		return
	fi
	[ -s "$TMP/want" ] || problems+=("objdump printed no rows")
	cmp -s "$TMP/want" "$TMP/got" ||
		problems+=("rows differ from objdump's (< objdump, > dwarf-lines):"
			   "$(diff "$TMP/want" "$TMP/got" | head -20)")
	bad=$(paths_ok)
	[ -z "$bad" ] || problems+=("$bad")
	if command -v python3 >/dev/null; then
		bad=$(python3 tests/e2e/dwarf/paths_oracle.py "$file" "$TMP/ours.raw" 2>&1 | head -5)
		[ -z "$bad" ] || problems+=("paths differ from the ones readelf's tables give:" "$bad")
	fi
	if [ -n "$want" ]; then
		# Every path is one of the sources; all but the header (whose
		# inlined code -O2 may attribute elsewhere) must appear.
		cut -f2 "$TMP/paths" | sort -u >"$TMP/got_paths"
		printf '%s\n' $want | sort -u >"$TMP/want_paths"
		bad=$(comm -13 "$TMP/want_paths" "$TMP/got_paths")
		[ -z "$bad" ] || problems+=("paths that are not the sources: $bad")
		bad=$(comm -23 "$TMP/want_paths" "$TMP/got_paths" | grep -v '\.h$')
		[ -z "$bad" ] || problems+=("sources no row names: $bad")
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$name ($(wc -l <"$TMP/want") rows)"
	else
		not_ok "$name" "${problems[@]}"
	fi
}

if [ ! -x "$DWARF_LINES" ] || ! command -v objdump >/dev/null; then
	skip "dwarf-lines against objdump" "no $DWARF_LINES (make $DWARF_LINES) or no objdump"
	echo "1..$TEST_N"
	exit 0
fi

# 1. Every ELF guest the build makes.
guests=$(find guests -name '*.elf' | sort)
[ -n "$guests" ] || not_ok "the build made ELF guests" "none in guests/ (run make first)"
for g in $guests; do
	compare "$g: rows as objdump decodes them" "$g"
done

# 2. Programs built here.
B=$TMP/build
mkdir -p "$B"
C_PATHS="$SRC/main.c $SRC/util.c $SRC/util.h $SRC/body.inc"
C_FLAGS="-ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector \
	-fcf-protection=none -fno-asynchronous-unwind-tables -Wl,-e,_start -Wl,--build-id=none"

# build_c CC OUT FLAGS...: compile and link main.c and util.c; false when CC cannot.
build_c() {
	local cc=$1 out=$2
	shift 2
	(cd "$SRC" && $cc $C_FLAGS "$@" -o "$out" main.c util.c) >"$TMP/cc.log" 2>&1
}

for m in 32 64; do
	for g in 2 3 4 5; do
		for o in O0 O2; do
			out=$B/gcc-m$m-dwarf$g-$o
			if build_c gcc "$out" -m$m -gdwarf-$g -$o; then
				compare "gcc -m$m -gdwarf-$g -$o, two files and #include'd code" "$out" \
					"$C_PATHS"
			else
				not_ok "gcc -m$m -gdwarf-$g -$o builds" "$(head -5 "$TMP/cc.log")"
			fi
		done
	done
done
out=$B/gcc-default
if build_c gcc "$out" -g -O1; then
	compare "gcc -g (its default DWARF version) -O1" "$out" "$C_PATHS"
else
	not_ok "gcc -g -O1 builds" "$(head -5 "$TMP/cc.log")"
fi

# A generated program of 2,000 lines (the generator the start-up timing uses).
tests/e2e/dwarf/gen_lines.sh 2000 >"$B/gen.c"
if (cd "$B" && gcc -m32 -g -O0 $C_FLAGS -o "$B/gen" gen.c) >"$TMP/cc.log" 2>&1; then
	compare "a generated 2,000-line program" "$B/gen" "$B/gen.c"
else
	not_ok "the generated program builds" "$(head -5 "$TMP/cc.log")"
fi

if command -v clang >/dev/null; then
	for m in 32 64; do
		for g in 4 5; do
			for o in O0 O2; do
				out=$B/clang-m$m-dwarf$g-$o
				if build_c clang "$out" -m$m -gdwarf-$g -$o -fuse-ld=bfd; then
					compare "clang -m$m -gdwarf-$g -$o" "$out" "$C_PATHS"
				else
					not_ok "clang -m$m -gdwarf-$g -$o builds" "$(head -5 "$TMP/cc.log")"
				fi
			done
		done
	done
else
	skip "clang-built programs" "clang is not installed"
fi

if command -v nasm >/dev/null; then
	for f in 32:elf_i386 64:elf_x86_64; do
		bits=${f%%:*} emu=${f#*:}
		out=$B/nasm-elf$bits
		if (cd "$SRC" && nasm -f elf$bits -g -F dwarf -o "$out.o" prog.asm &&
		    ld -m "$emu" -e _start -o "$out" "$out.o") >"$TMP/cc.log" 2>&1; then
			compare "nasm -f elf$bits -g -F dwarf with an %include'd file" "$out" \
				"$SRC/prog.asm $SRC/helper.inc"
		else
			not_ok "nasm -f elf$bits builds" "$(head -5 "$TMP/cc.log")"
		fi
	done
else
	skip "nasm-built programs" "nasm is not installed"
fi

# 3. The first instructions: one per is_stmt row address (the rows' own
# oracle above), sorted, each (address, file, line) once.
out=$B/gcc-m32-dwarf5-O2
if [ -f "$out" ]; then
	"$DWARF_LINES" "$out" | awk -F'\t' '$3 == "x" { print $1 "\t" $5 "\t" $2 }' |
		sort -u | sort -t"$(printf '\t')" -k1,1 -k2,2 -k3,3n >"$TMP/want_stmts"
	"$DWARF_LINES" --stmts "$out" >"$TMP/got_stmts"
	if [ -s "$TMP/want_stmts" ] && sort -u "$TMP/got_stmts" | sort -t"$(printf '\t')" \
		-k1,1 -k2,2 -k3,3n | cmp -s - "$TMP/want_stmts"; then
		ok "--stmts lists each is_stmt row's (address, file, line) once"
	else
		not_ok "--stmts lists each is_stmt row's (address, file, line) once" \
			"$(diff "$TMP/want_stmts" "$TMP/got_stmts" | head)"
	fi
fi

# 4. Errors: each a one-line message naming the file, status 1.
# expect_error NAME FILE REGEX
expect_error() {
	"$DWARF_LINES" "$2" >"$TMP/out" 2>"$TMP/err"
	STATUS=$?
	check "$1" 1 "" "$3"
}
src=$B/gcc-m64-dwarf5-O0
cp "$src" "$B/stripped" && strip --strip-all "$B/stripped"
expect_error "a stripped file: no line table" "$B/stripped" \
	"$(lit "gdbvm: $B/stripped: no .debug_line section (the file is stripped): build it with -g (nasm: -g -F dwarf)")"
(cd "$SRC" && gcc -m64 $C_FLAGS -O0 -o "$B/nodebug" main.c util.c) >/dev/null 2>&1
expect_error "a file built without -g: no .debug_line" "$B/nodebug" \
	"$(lit "gdbvm: $B/nodebug: no .debug_line section: build it with -g (nasm: -g -F dwarf)")"
head -c 2000 "$src" >"$B/truncated"
expect_error "a truncated file: its section headers are missing" "$B/truncated" \
	"gdbvm: $(lit "$B/truncated"): section headers at 0x[0-9a-f]+ lie past the file's end \(2000 bytes\)"
# A unit length larger than .debug_line: patch the first unit's length.
cp "$src" "$B/corrupt"
off=$(objdump -h "$B/corrupt" | awk '$2 == ".debug_line" { print $6 }')
printf '\xf0\xff\xff\x7f' | dd of="$B/corrupt" bs=1 seek=$((16#$off)) conv=notrunc status=none
expect_error "a unit that runs past .debug_line's end" "$B/corrupt" \
	"gdbvm: $(lit "$B/corrupt"): \.debug_line: unit at offset 0x0 runs past the section end .*"
expect_error "a file that is not ELF" "$SRC/main.c" "$(lit "gdbvm: $SRC/main.c: not an ELF file")"

echo "1..$TEST_N"
[ "$TEST_FAILED" -eq 0 ]
