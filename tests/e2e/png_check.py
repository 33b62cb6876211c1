#!/usr/bin/env python3
"""png_check.py FILE X,Y... - check an indexed PNG as gdbvm --screenshot
writes it, independently of gdbvm's code: the signature, every chunk's
CRC-32 (zlib.crc32), the zlib stream (zlib.decompress checks its Adler-32),
the filter bytes; then print "WIDTHxHEIGHT N colours" and, for each X,Y
asked, "X,Y INDEX RRGGBB", and for each X0,Y0-X1,Y1 (a rectangle, ends
included) "X0,Y0-X1,Y1 INDEX INDEX...", the colours found in it.  Any
problem: a message and exit status 1."""
import struct
import sys
import zlib


def fail(why):
    print("png_check: " + why)
    sys.exit(1)


def main():
    data = open(sys.argv[1], "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("no PNG signature")
    at, chunks, order = 8, {}, []
    while at < len(data):
        if at + 12 > len(data):
            fail("truncated chunk at %d" % at)
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            fail("bad CRC in chunk %r" % kind)
        chunks.setdefault(kind, b"")
        chunks[kind] += body
        order.append(kind)
        at += 12 + length
    if order[0] != b"IHDR" or order[-1] != b"IEND" or b"PLTE" not in chunks:
        fail("chunks out of order: %r" % order)
    width, height, depth, ctype, comp, filt, lace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    if (depth, ctype, comp, filt, lace) != (8, 3, 0, 0, 0):
        fail("not 8-bit indexed: %r" % ((depth, ctype, comp, filt, lace),))
    raw = zlib.decompress(chunks[b"IDAT"])
    if len(raw) != height * (width + 1):
        fail("%d bytes of pixel data for %dx%d" % (len(raw), width, height))
    if any(raw[y * (width + 1)] != 0 for y in range(height)):
        fail("a row with a filter other than none")
    pal = chunks[b"PLTE"]
    print("%dx%d %d colours" % (width, height, len(pal) // 3))
    for arg in sys.argv[2:]:
        if "-" in arg:
            (x0, y0), (x1, y1) = ((int(v) for v in end.split(",")) for end in arg.split("-"))
            found = sorted({raw[y * (width + 1) + 1 + x]
                            for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)})
            print("%s %s" % (arg, " ".join(str(i) for i in found)))
            continue
        x, y = (int(v) for v in arg.split(","))
        index = raw[y * (width + 1) + 1 + x]
        print("%d,%d %d %s" % (x, y, index, pal[index * 3:index * 3 + 3].hex()))


main()
