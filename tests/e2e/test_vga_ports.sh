#!/bin/bash
# test_vga_ports.sh - the VGA's CRT controller (0x3D4/0x3D5) and input
# status 1 (0x3DA) seen by a boot sector (guests/boot/crtc.img): a cursor
# moved through the ports is where INT 10h prints, one moved by INT 10h is
# what the ports read, and a wait for the vertical retrace ends.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

if ! have_kvm; then
	skip "crtc.img: cursor through the ports, retrace wait" "$KVM_SKIP_REASON"
	finish
fi

run --boot guests/boot/crtc.img --screen=plain
# Row 2 of the screen has the X at column 5; the teletype line (row 4,
# from column 10) has the location the ports read, 4 * 80 + 10 = 0x014a.
row2=$(sed -n '/^-/,$p' "$TMP/out" | sed -n 4p)
row4=$(sed -n '/^-/,$p' "$TMP/out" | sed -n 6p)
if [ "$STATUS" = 0 ] && [ "$row2" = "$(printf '%5sX' '')" ]; then
	ok "a cursor set through CRTC registers 0Eh/0Fh is where INT 10h prints"
else
	not_ok "a cursor set through CRTC registers 0Eh/0Fh is where INT 10h prints" \
		"status $STATUS, row 2: '$row2'" "$(cat "$TMP/out" "$TMP/err")"
fi
want4="$(printf '%10scursor 014a retrace' '')"
if [ "${row4%"${row4##*[! ]}"}" = "$want4" ]; then
	ok "the ports read the cursor INT 10h AH=02h set, and the retrace wait ends"
else
	not_ok "the ports read the cursor INT 10h AH=02h set, and the retrace wait ends" \
		"row 4: '$row4'" "expected: '$want4'"
fi
if [ ! -s "$TMP/err" ]; then
	ok "no unknown port reported"
else
	not_ok "no unknown port reported" "$(cat "$TMP/err")"
fi
finish
