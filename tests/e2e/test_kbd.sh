#!/bin/bash
# test_kbd.sh - the 8042 keyboard controller and the BIOS keyboard on top
# of it, fed from a pipe on stdin: a guest with its own IRQ 1 handler that
# prints the scan codes it reads from port 60h (guests/kbd_irq.asm), a boot
# sector that waits for the BIOS's INT 09h to fill the BIOS data area's
# buffer and then reads it through INT 16h (guests/boot/kbdbuf.asm), one
# that hooks INT 09h and chains to the BIOS (guests/boot/kbdhook.asm), many
# keys at once (none lost), COM1 input still working, and a guest that
# resets the machine through the controller.  The expected scan codes and
# key codes come from the table below, written from the IBM PC/AT
# keyboard's scan code set 1, not from gdbvm.  Needs /dev/kvm.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

# expect MODE TEXT: what a PC keyboard sends (MODE scan: set 1 bytes, as
# "xx " each, a newline after Enter's break code 9Ch) or what INT 16h AH=10h returns (MODE keys: "kkkk hhhh" per
# key with the buffer head after it, from 001Eh on, wrapping at 003Eh; MODE
# hook: the key codes on a line, then the number of make codes) for
# TEXT typed as stdin bytes; \e[A is Up, \e[24~ F12, a lone \e at the end
# the Esc key.
expect() {
	python3 - "$1" "$2" <<'EOF'
import sys
mode, text = sys.argv[1], sys.argv[2].replace('\\e', '\\x1b').encode().decode('unicode_escape')
# set 1 make codes of the US keyboard: (code, shift needed)
MAKE = {
    '1': 0x02, '2': 0x03, '3': 0x04, '4': 0x05, '5': 0x06, '6': 0x07, '7': 0x08,
    '8': 0x09, '9': 0x0a, '0': 0x0b, '-': 0x0c, '=': 0x0d,
    'q': 0x10, 'w': 0x11, 'e': 0x12, 'r': 0x13, 't': 0x14, 'y': 0x15, 'u': 0x16,
    'i': 0x17, 'o': 0x18, 'p': 0x19, '[': 0x1a, ']': 0x1b,
    'a': 0x1e, 's': 0x1f, 'd': 0x20, 'f': 0x21, 'g': 0x22, 'h': 0x23, 'j': 0x24,
    'k': 0x25, 'l': 0x26, ';': 0x27, "'": 0x28, '`': 0x29, '\\': 0x2b,
    'z': 0x2c, 'x': 0x2d, 'c': 0x2e, 'v': 0x2f, 'b': 0x30, 'n': 0x31, 'm': 0x32,
    ',': 0x33, '.': 0x34, '/': 0x35, ' ': 0x39, '\t': 0x0f, '\n': 0x1c, '\x1b': 0x01,
}
SHIFTED = dict(zip('!@#$%^&*()_+{}:"~|<>?', '1234567890-=[];\'`\\,./'))
LSHIFT, CTRL = 0x2a, 0x1d
keys = []   # (prefix bytes, make code, modifier, ASCII or the whole key code)
i = 0
while i < len(text):
    if text.startswith('\x1b[A', i):
        keys.append(([0xe0], 0x48, None, 0xe0)); i += 3; continue
    if text.startswith('\x1b[24~', i):
        keys.append(([], 0x58, None, 0x8600)); i += 5; continue   # F12: key code 8600h
    ch = text[i]; i += 1
    if ch.isupper():
        keys.append(([], MAKE[ch.lower()], LSHIFT, ord(ch)))
    elif ch in SHIFTED:
        keys.append(([], MAKE[SHIFTED[ch]], LSHIFT, ord(ch)))
    elif 1 <= ord(ch) <= 26 and ch not in '\t\n':
        keys.append(([], MAKE[chr(ord(ch) + 0x60)], CTRL, ord(ch)))
    else:
        keys.append(([], MAKE[ch], None, {'\n': 0x0d}.get(ch, ord(ch))))
out, head, presses = [], 0x1e, 0
for prefix, make, mod, ascii_ in keys:
    code = ascii_ if ascii_ > 0xff else make << 8 | ascii_
    presses += 2 if mod else 1
    if mode == 'hook':
        out.append('%04x ' % code)
    elif mode == 'scan':
        seq = ([mod] if mod else []) + prefix + [make] + prefix + [make | 0x80] + \
              ([mod | 0x80] if mod else [])
        out.append(''.join('%02x' % b + ('\\n' if b == 0x9c else ' ') for b in seq))
    else:
        head = head + 2 if head + 2 < 0x3e else 0x1e
        out.append('%04x %04x \\r\\n' % (code, head))  # for printf %b
if mode == 'hook':
    out.append('\\r\\nkey presses seen by the hook: %04x \\r\\n' % presses)
sys.stdout.write(''.join(out))
EOF
}

TYPED='aZ1!\t\x03\e[A\e[24~\n\e'
if ! command -v python3 >/dev/null; then
	skip "keyboard tests" "no python3 for the expected codes"
	finish
	exit
fi

name="own IRQ 1 handler: set 1 scan codes from port 60h, Shift and Ctrl around keys, E0h for grey keys"
if kvm_case "$name"; then
	printf "$TYPED" >"$TMP/keys"
	run --stdin "$TMP/keys" guests/kbd_irq.bin
	check "$name" 0 "8042 self-test: 55\n$(expect scan "$TYPED")" ""
fi

LONG='The quick brown fox jumps over the lazy dog; PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS! 0123456789\n'
name="many keys at once through IRQ 1: every scan code, in order, none lost"
if kvm_case "$name"; then
	printf "$LONG$LONG" >"$TMP/keys"
	run --stdin "$TMP/keys" guests/kbd_irq.bin
	check "$name" 0 "8042 self-test: 55\n$(expect scan "$LONG$LONG")" ""
fi

name="polling port 60h alone (no status, no IRQ): the scan codes of 'ab' arrive"
if kvm_case "$name"; then
	printf 'ab\n' >"$TMP/keys"
	run --stdin "$TMP/keys" guests/kbd_poll.bin
	check "$name" 1 "$(expect scan 'ab\n' | sed 's/\\n$/ /')\n" ""
fi

name="BIOS: INT 09h fills the BDA buffer, INT 16h reads it, head/tail move as on a PC"
if kvm_case "$name"; then
	printf "$TYPED" >"$TMP/keys"
	run --stdin "$TMP/keys" --boot guests/boot/kbdbuf.img
	check "$name" 0 "001e 001e \r\nfilled by INT 09h\r\n$(expect keys "$TYPED")shift flags 00, buffer empty\r\n" ""
fi

name="BIOS: more keys than the buffer holds wait in the pipe, none lost"
if kvm_case "$name"; then
	printf "$LONG\e" >"$TMP/keys"
	run --stdin "$TMP/keys" --boot guests/boot/kbdbuf.img
	check "$name" 0 "001e 001e \r\nfilled by INT 09h\r\n$(expect keys "$LONG\e")shift flags 00, buffer empty\r\n" ""
fi

name="BIOS: a guest's own INT 09h reads port 60h and chains to the BIOS's, which still gets every byte"
if kvm_case "$name"; then
	printf "$TYPED" >"$TMP/keys"
	run --stdin "$TMP/keys" --boot guests/boot/kbdhook.img
	check "$name" 0 "$(expect hook "$TYPED")" ""
fi

# A guest that never touches the keyboard leaves stdin to COM1.
name="COM1 still reads stdin when the guest does not use the keyboard"
if kvm_case "$name"; then
	printf 'hello.' >"$TMP/keys"
	run --stdin "$TMP/keys" guests/echo.bin
	if [ "$STATUS" = 0 ] && grep -q 'hello' "$TMP/out"; then
		ok "$name"
	else
		not_ok "$name" "status $STATUS" "stdout: $(head -c 300 "$TMP/out")" "stderr: $(cat "$TMP/err")"
	fi
fi

# mov al, 0FEh; out 64h, al; hlt: pulse the reset line.
name="a reset through the keyboard controller stops the guest with status 30 and says so"
if kvm_case "$name"; then
	printf '\xb0\xfe\xe6\x64\xf4' >"$TMP/reset.bin"
	run "$TMP/reset.bin"
	check "$name" 30 "" "$(lit "gdbvm: the guest reset the machine through the keyboard controller (port 0x64); gdbvm does not reboot: stopped")"
fi

finish
