#!/bin/bash
# test_boot.sh - --boot: boot sectors run unchanged on the built-in BIOS
# (guests/boot/*.img): INT 10h output, a two-stage loader reading with
# INT 13h CHS and LBA calls, a keyboard echo through INT 16h fed from a
# pipe, VGA text memory shown with --screen, an unsupported call, refused
# images and options, and a gdb session from 0000:7C00 into the BIOS and
# back.  Needs /dev/kvm (or the nested VM); without it the tests that run
# a guest report SKIP.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

# 1. Refused images and options: no KVM needed, nothing runs.
printf 'x' >"$TMP/odd.img"
: >"$TMP/empty.img"
head -c 1024 /dev/zero >"$TMP/nosig.img"
truncate -s $((1024 * 255 * 63 * 512 + 512)) "$TMP/huge.img"
head -c 512 guests/boot/hello.img >"$TMP/ok.img"

run --boot "$TMP/empty.img"
check "an empty image is refused" 4 "" \
	"gdbvm: disk image '$(lit "$TMP/empty.img")' \(0 bytes\) is empty"
run --boot "$TMP/odd.img"
check "an image shorter than a sector is refused: its padded sector 0 has no 55 AA" 4 "" \
	"gdbvm: disk image '$(lit "$TMP/odd.img")' is not bootable: sector 0 ends with 0x00 0x00, not the boot signature 0x55 0xaa"
run --boot "$TMP/nosig.img"
check "an image without 55 AA is refused" 4 "" \
	"gdbvm: disk image '$(lit "$TMP/nosig.img")' is not bootable: sector 0 ends with 0x00 0x00, not the boot signature 0x55 0xaa"
run --boot "$TMP/huge.img"
check "an image beyond 1024x255x63 sectors is refused" 4 "" \
	"gdbvm: disk image '$(lit "$TMP/huge.img")' \(8422687232 bytes\) is too large: at most 8422686720 bytes \(1024 cylinders x 255 heads x 63 sectors\) can be booted"
run --boot "$TMP/missing.img"
check "a missing image is refused" 4 "" \
	"gdbvm: cannot open disk image '$(lit "$TMP/missing.img")': No such file or directory"
truncate -s 3M "$TMP/big-floppy.img"; dd if=guests/boot/hello.img of="$TMP/big-floppy.img" conv=notrunc status=none
run --boot "$TMP/big-floppy.img" --drive 0x00
check "an image above 2880K as a floppy is refused" 4 "" \
	"gdbvm: disk image '$(lit "$TMP/big-floppy.img")' \(3145728 bytes\) is too large for a floppy drive \(at most 2880K\); boot it as a hard disk with --drive 0x80"
run --boot "$TMP/ok.img" -m 512K
check "--boot with less than 1M of RAM is refused" 2 "" \
	"gdbvm: --boot needs at least 1M of guest RAM \(the BIOS ROM is at 0xf0000-0xfffff\); -m gives 0x80000 bytes"
run --boot "$TMP/ok.img" guests/hello.bin
check "--boot and GUEST together are refused" 2 "" \
	"gdbvm: give either --boot IMAGE or GUEST, not both"
run --boot "$TMP/ok.img" --drive 0x42
check "a bad --drive is refused" 2 "" \
	"gdbvm: invalid drive number '0x42': expected 0x00 to 0x03 \(floppy\) or 0x80 to 0x8f \(hard disk\)"
run --writable guests/hello.bin
check "--writable without --boot is refused" 2 "" "gdbvm: --writable applies to --boot only"

# 2. Boot sectors running on the BIOS.
if kvm_case "hello: INT 10h teletype, DL=80h, stack at 0000:7C00"; then
	run --boot guests/boot/hello.img
	check "hello: INT 10h teletype, DL=80h, stack at 0000:7C00" 0 \
		"Hello from the boot sector! drive 80, stack 0000:7c00\r\n" ""
fi

if kvm_case "a floppy-sized image boots as drive 00h"; then
	cp guests/boot/hello.img "$TMP/floppy.img"
	truncate -s 1440K "$TMP/floppy.img"
	run --boot "$TMP/floppy.img"
	check "a floppy-sized image boots as drive 00h" 0 \
		"Hello from the boot sector! drive 00, stack 0000:7c00\r\n" ""
fi

if kvm_case "--drive 0x81 sets DL"; then
	run --boot guests/boot/hello.img --drive 0x81
	check "--drive 0x81 sets DL" 0 \
		"Hello from the boot sector! drive 81, stack 0000:7c00\r\n" ""
fi

LOADER_OUT="stage 1\r\nstage 2: read with CHS\r\nstage 3: read with LBA\r\nsector written and read back\r\n"
if kvm_case "two-stage loader: CHS read, LBA read, write, geometry"; then
	cp guests/boot/loader.img "$TMP/loader.img"
	run --boot "$TMP/loader.img"
	check "two-stage loader: CHS read, LBA read, write, geometry" 0 \
		"${LOADER_OUT}last head, sectors per track: 0f 3f\r\n" ""
	if cmp -s "$TMP/loader.img" guests/boot/loader.img; then
		ok "without --writable the image file is not modified"
	else
		not_ok "without --writable the image file is not modified"
	fi
fi

if kvm_case "two-stage loader from a 1.44M floppy: geometry 2 heads, 18 sectors"; then
	cp guests/boot/loader.img "$TMP/loader144.img"
	truncate -s 1440K "$TMP/loader144.img"
	run --boot "$TMP/loader144.img"
	check "two-stage loader from a 1.44M floppy: geometry 2 heads, 18 sectors" 0 \
		"${LOADER_OUT}last head, sectors per track: 01 12\r\n" ""
fi

if kvm_case "--writable: INT 13h writes reach the image file"; then
	cp guests/boot/loader.img "$TMP/loaderw.img"
	run --boot "$TMP/loaderw.img" --writable
	if [ "$STATUS" = 0 ] && [ "$(dd if="$TMP/loaderw.img" bs=512 skip=4 count=1 status=none | head -c 18)" = "written by stage 3" ]; then
		ok "--writable: INT 13h writes reach the image file"
	else
		not_ok "--writable: INT 13h writes reach the image file" "status $STATUS" "$(cat "$TMP/err")"
	fi
fi

# An image that is not whole sectors (as "cat boot.bin kernel.bin" makes):
# the loader's stage 3 write goes to sector 4, of which the file has 100 bytes.
head -c $((4 * 512 + 100)) guests/boot/loader.img >"$TMP/partial.img"
if kvm_case "an image of 2148 bytes boots; its last sector reads padded with zeros"; then
	cp "$TMP/partial.img" "$TMP/partial-ro.img"
	run --boot "$TMP/partial-ro.img"
	check "an image of 2148 bytes boots; its last sector reads padded with zeros" 0 \
		"${LOADER_OUT}last head, sectors per track: 0f 3f\r\n" ""
	if cmp -s "$TMP/partial-ro.img" "$TMP/partial.img"; then
		ok "a partial image without --writable is not modified"
	else
		not_ok "a partial image without --writable is not modified"
	fi
fi
if kvm_case "--writable: a write into the padded last sector grows the file and says so"; then
	cp "$TMP/partial.img" "$TMP/partial-rw.img"
	run --boot "$TMP/partial-rw.img" --writable
	check "--writable: a write into the padded last sector grows the file and says so" 0 \
		"${LOADER_OUT}last head, sectors per track: 0f 3f\r\n" \
		"gdbvm: the guest wrote into the zero-padded end of disk image '$(lit "$TMP/partial-rw.img")': the file grew from 2148 to 2560 bytes"
	if [ "$(stat -c %s "$TMP/partial-rw.img")" = 2560 ] &&
	   cmp -s -n 2048 "$TMP/partial-rw.img" "$TMP/partial.img"; then
		ok "the grown file is whole sectors and keeps its first sectors"
	else
		not_ok "the grown file is whole sectors and keeps its first sectors"
	fi
fi

if kvm_case "keyboard echo through INT 16h from a pipe"; then
	printf 'hi there\nok.not this' >"$TMP/keys"
	run --stdin "$TMP/keys" --boot guests/boot/echo.img
	check "keyboard echo through INT 16h from a pipe" 0 "hi there\r\nok." ""
fi

# Terminal escape sequences as keys: AH=00h (grey keys' E0h as 00h, F12
# dropped) until Enter, then AH=10h until Esc (a lone ESC at the end).
if kvm_case "keys: escape sequences become scan codes (INT 16h AH=00h and AH=10h)"; then
	printf '\033[A\033[24~\033[3~\033OP\n\033[A\033OB\033[5~\033[24~\033[1;5Dx\033' >"$TMP/keys"
	run --stdin "$TMP/keys" --boot guests/boot/keys.img
	check "keys: escape sequences become scan codes (INT 16h AH=00h and AH=10h)" 0 \
		"4800 5300 3b00 1c0d \r\n48e0 50e0 49e0 8600 4be0 2d78 011b \r\n" ""
fi

name="keys at a terminal: each key at once, no echo, the terminal restored after"
if kvm_case "$name"; then
	if ! command -v python3 >/dev/null; then
		skip "$name" "no python3 to drive a pseudo-terminal"
	elif timeout -k 5 "$RUN_LIMIT" python3 tests/e2e/pty_keys.py "$GDBVM" >"$TMP/pty" 2>&1; then
		ok "$name"
	else
		not_ok "$name" "$(cat "$TMP/pty")"
	fi
fi

if kvm_case "keyboard: INT 16h waiting after stdin ended stops at --timeout"; then
	printf 'ab' >"$TMP/keys"
	run --stdin "$TMP/keys" --boot guests/boot/echo.img -t 0.5
	check "keyboard: INT 16h waiting after stdin ended stops at --timeout" 16 "ab" \
		"gdbvm: INT 16h: stdin has ended; no more keys will come.gdbvm: guest still running after 0\.5 seconds \(--timeout\); stopped at [0-9a-f]{4}:[0-9a-f]{4} \(linear 0x[0-9a-f]+\)"
fi

if kvm_case "sysinfo: INT 12h, INT 11h, E820 map, A20 on, RTC time"; then
	run --boot guests/boot/sysinfo.img -m 2M
	check "sysinfo: INT 12h, INT 11h, E820 map, A20 on, RTC time" 0 \
		"int12 027f int11 0222\r\n0000000000000000 000000000009fc00 01\r\n000000000009fc00 0000000000000400 02\r\n00000000000f0000 0000000000010000 02\r\n0000000000100000 0000000000100000 01\r\na20 01 time 1\r\n" ""
fi

SEP80="--------------------------------------------------------------------------------"
# sep WORDS COLS: the separator line --screen prints before the screen.
sep() { local line="-- $1 --$SEP80"; printf '%s' "${line:0:$(( ${#1} + 6 > $2 ? ${#1} + 6 : $2 ))}"; }
if kvm_case "VGA text memory shown with --screen, after a separator line"; then
	run --boot guests/boot/vga.img --screen
	check "VGA text memory shown with --screen, after a separator line" 0 \
		">\n$(sep "screen: mode 03h, 80x25 text" 80)\nWritten to B800:0000\n\n    *****\n\n>\n" ""
fi

if kvm_case "--screen=plain: mode 01h is 40 columns; BDA 0x44A says 40; NUL as a blank"; then
	run --boot guests/boot/colour.img --screen=plain
	check "--screen=plain: mode 01h is 40 columns; BDA 0x44A says 40; NUL as a blank" 0 \
		"2828\r\n$(sep "screen: mode 01h, 40x25 text" 40)\n2828\n\nHi !.\n$(printf '%39s#')\n" ""
fi

if kvm_case "--screen=ansi: attributes as ANSI colours, coloured blanks shown, CP437 as UTF-8"; then
	run --boot guests/boot/colour.img --screen=ansi
	E=$'\033'
	want_row1="$E[0;37;40m  $E[0;30;41m      $E[0m"
	want_row2="$E[0;93;44mHi$E[0;37;40m !─$E[0m"
	if [ "$STATUS" = 0 ] && [ "$(sed -n 4p "$TMP/out")" = "$want_row1" ] &&
	   [ "$(sed -n 5p "$TMP/out")" = "$want_row2" ]; then
		ok "--screen=ansi: attributes as ANSI colours, coloured blanks shown, CP437 as UTF-8"
	else
		not_ok "--screen=ansi: attributes as ANSI colours, coloured blanks shown, CP437 as UTF-8" \
			"status $STATUS" "$(od -c "$TMP/out" | head -12)"
	fi
fi

run --boot "$TMP/ok.img" --screen=colour
check "a bad --screen style is refused" 2 "" \
	"gdbvm: invalid --screen style 'colour': expected ansi, plain or auto"
run --screenshot "$TMP/x.png" guests/hello.bin
check "--screenshot without --boot is refused" 2 "" "gdbvm: --screenshot applies to --boot only"

# Graphics: mode 13h and CGA mode 04h, drawn with INT 10h AH=0Ch and
# directly, read back with AH=0Dh; the PNG is checked by Python's zlib.
png_case() {
	kvm_case "$1" || return 1
	command -v python3 >/dev/null && return 0
	skip "$1" "no python3 to read the PNG"
	return 1
}
if kvm_case "mode 13h: DAC ports and INT 10h AX=1010h/1015h, pixels with AH=0Ch/0Dh and directly"; then
	run --boot guests/boot/gfx13.img --screen --screenshot "$TMP/13.png"
	check "mode 13h: DAC ports and INT 10h AX=1010h/1015h, pixels with AH=0Ch/0Dh and directly" 0 \
		"0a 14 1e 28 32 3c 0f 28\r\n$(sep "screen: mode 13h, 320x200 256-colour graphics, not text (see --screenshot)" 80)\n" ""
fi
# The palette's 6-bit levels become 8 bits as v * 4 + v / 16: (10, 20, 30)
# is 28 51 79, (40, 50, 60) a2 cb f3; entry 15 is white, entry 40 red.  The
# guest's teletype output is drawn in colour 7 (its BL) in the top row, its
# three AH=09h 'X's in colour 12 in cells 0-2 of row 20, and AH=06h clears
# cells 0-9 of rows 22-24 to colour 3.
if png_case "--screenshot: mode 13h as a PNG with the palette the guest set"; then
	if [ -s "$TMP/13.png" ] &&
	   python3 tests/e2e/png_check.py "$TMP/13.png" 0,0 319,199 10,5 0,100 99,100 100,100 0,0-7,7 \
		0,160-23,167 24,160-31,167 0,176-79,199 80,176-318,199 >"$TMP/png" 2>&1 &&
	   [ "$(cat "$TMP/png")" = "$(printf '%s\n' "320x200 256 colours" "0,0 200 285179" \
		"319,199 201 a2cbf3" "10,5 15 ffffff" "0,100 40 ff0000" "99,100 40 ff0000" \
		"100,100 0 000000" "0,0-7,7 0 7 200" "0,160-23,167 0 12" "24,160-31,167 0" \
		"0,176-79,199 3" "80,176-318,199 0")" ]; then
		ok "--screenshot: mode 13h as a PNG with the palette the guest set"
	else
		not_ok "--screenshot: mode 13h as a PNG with the palette the guest set" "$(cat "$TMP/png")"
	fi
fi
if png_case "--screenshot: CGA mode 04h, interleaved rows, XOR, palette 0 on blue"; then
	run --boot guests/boot/gfxcga.img --screenshot "$TMP/cga.png"
	# EGA colours: blue 0000aa, green 00aa00, red aa0000, brown aa5500.
	if [ "$STATUS" = 0 ] && [ "$(cat "$TMP/out")" = $'03 02 6c 02\r' ] &&
	   python3 tests/e2e/png_check.py "$TMP/cga.png" 0,100 1,100 2,100 3,100 3,101 319,199 5,150 >"$TMP/png" 2>&1 &&
	   [ "$(cat "$TMP/png")" = "$(printf '%s\n' "320x200 4 colours" "0,100 1 00aa00" "1,100 2 aa0000" \
		"2,100 3 aa5500" "3,100 0 0000aa" "3,101 2 aa0000" "319,199 1 00aa00" "5,150 0 0000aa")" ]; then
		ok "--screenshot: CGA mode 04h, interleaved rows, XOR, palette 0 on blue"
	else
		not_ok "--screenshot: CGA mode 04h, interleaved rows, XOR, palette 0 on blue" \
			"status $STATUS" "$(cat "$TMP/out" "$TMP/err" "$TMP/png")"
	fi
fi
if kvm_case "--screenshot to a file that cannot be written: said, the status stays the guest's"; then
	run --boot guests/boot/gfx13.img --screenshot "$TMP/no/such/dir.png"
	check "--screenshot to a file that cannot be written: said, the status stays the guest's" 0 \
		"0a 14 1e 28 32 3c 0f 28\r\n" \
		"gdbvm: cannot write screenshot '$(lit "$TMP/no/such/dir.png")': No such file or directory"
fi

# A text screen is drawn with gdbvm's font, 8x16 pixels a cell, in the 16
# EGA colours: the cell of 'W' (attribute 1Fh) holds only blue (1) and
# bright white (15), the cell of the first '*' (4Eh) red (4) and yellow (14).
if png_case "--screenshot of a text mode: 640x400, the attributes' colours"; then
	run --boot guests/boot/vga.img --screenshot "$TMP/text.png"
	if [ "$STATUS" = 0 ] &&
	   python3 tests/e2e/png_check.py "$TMP/text.png" 0,0-7,15 32,32-39,47 0,100-639,399 >"$TMP/png" 2>&1 &&
	   [ "$(cat "$TMP/png")" = "$(printf '%s\n' "640x400 16 colours" "0,0-7,15 1 15" \
		"32,32-39,47 4 14" "0,100-639,399 0")" ]; then
		ok "--screenshot of a text mode: 640x400, the attributes' colours"
	else
		not_ok "--screenshot of a text mode: 640x400, the attributes' colours" \
			"status $STATUS" "$(cat "$TMP/err" "$TMP/png")"
	fi
fi

if kvm_case "an unsupported BIOS call stops the guest and is named"; then
	run --boot guests/boot/unsupported.img
	check "an unsupported BIOS call stops the guest and is named" 28 "" \
		"gdbvm: unsupported BIOS call INT 13h AH=77h at 0000:7c02"
fi


if kvm_case "a vector with no BIOS service (INT 21h) is named too"; then
	run --boot guests/boot/nodos.img
	check "a vector with no BIOS service (INT 21h) is named too" 28 "" \
		"gdbvm: unsupported BIOS call INT 21h AH=4ch at 0000:7c03"
fi

if kvm_case "INT 19h boots the boot sector again"; then
	run --boot guests/boot/reboot.img
	check "INT 19h boots the boot sector again" 0 \
		"first boot\r\nbooted again by INT 19h, drive 80\r\n" ""
fi

# 3. Debugging a boot sector with gdb from its first instruction.
name="gdb: break *0x7c00 stops on the boot sector's first instruction"
if gdb_case "$name"; then
	script boot_break <<-'EOF'
	expect_reg("cs", 0xf000, 16)
	loud("break *0x7c00")
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(0x7c00)
	expect_reg("cs", 0, 16)
	expect_reg("dl", 0x80, 8)
	expect_reg("sp", 0x7c00, 16)
	expect_reg("ss", 0, 16)
	expect_mem(0x7dfe, b"\x55\xaa")
	loud("delete")
	expect_exited(0)
	passed()
	EOF
	batch boot_break --boot guests/boot/step.img
	check_batch "$name" 0 boot_break 'out:^AB'
fi

name="gdb: stepi into int 0x10 enters the BIOS at F000; advance and a tbreak step back out"
if gdb_case "$name"; then
	script boot_step <<-'EOF'
	loud("break *0x7c00")
	resume()
	expect_stop("breakpoint", 1)
	loud("delete")
	stepi_to(0x7c03, "mov ax, 0x0e41")
	resume("stepi", loud_output=False)
	expect_reg("cs", 0xf000, 16)
	expect(0xf0000 <= pc() < 0x100000, "stepi into int 0x10 lands in the BIOS (pc %#x)" % pc())
	expect_reg("sp", 0x7c00 - 6, 16)
	expect_mem(0x7c00 - 6, b"\x05\x7c\x00\x00")
	expect_match("x/i in the BIOS", cmd("x/i $pc"), r"push")
	resume("advance *0x7c05")
	expect_pc(0x7c05, "pc after advance back to the boot sector")
	expect_reg("cs", 0, 16)
	expect_reg("sp", 0x7c00, 16)
	stepi_to(0x7c08, "mov ax, 0x0e42")
	# Over a BIOS call: the next-style command of docs/boot.md.
	gdb.execute("define nint\ntbreak *($pc + 2)\ncontinue\nend")
	resume("nint", loud_output=False)
	expect_pc(0x7c0a, "pc after nint over int 0x10")
	expect_reg("cs", 0, 16)
	expect_reg("sp", 0x7c00, 16)
	loud("advance *0x7c14")
	expect_pc(0x7c14, "pc after advance")
	expect_exited(0)
	passed()
	EOF
	batch boot_step --boot guests/boot/step.img
	check_batch "$name" 0 boot_step 'out:^AB'
fi

name="gdb: a breakpoint on stage 2 holds when INT 13h loads it"
if gdb_case "$name"; then
	script boot_stage2 <<-'EOF'
	loud("break *0x7e02")
	expect_mem(0x7e02, b"\x00")
	resume()
	expect_stop("breakpoint", 1)
	expect_pc(0x7e02)
	expect_mem(0x7e00, b"\x32\x53\xbe")
	loud("delete")
	expect_mem(0x7e02, b"\xbe")
	expect_exited(0)
	passed()
	EOF
	cp guests/boot/loader.img "$TMP/loader-gdb.img"
	batch boot_stage2 --boot "$TMP/loader-gdb.img"
	check_batch "$name" 0 boot_stage2 'out:^stage 1' 'out:^sector written and read back'
fi

name="gdb: an unsupported BIOS call is reported as a stop the session can go on from"
if gdb_case "$name"; then
	script boot_unsup <<-'EOF'
	resume()
	expect_stop("signal", "SIGILL")
	expect_reg("cs", 0xf000, 16)
	expect_exited(0)
	passed()
	EOF
	batch boot_unsup --boot guests/boot/unsupported.img
	check_batch "$name" 0 boot_unsup 'err:unsupported BIOS call INT 13h AH=77h at 0000:7c02'
fi

finish
