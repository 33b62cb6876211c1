#!/bin/bash
# test_multiboot.sh - Multiboot kernels (docs/multiboot.md): the C kernel
# guests/mboot.elf checks what it was handed (magic, memory sizes, memory
# map, command line, boot loader name, text framebuffer, modules) and
# prints it on COM1 and the VGA text screen; the same kernel with
# --append, --module, --screen=plain, under --gdb-batch and with --mode;
# small flat kernels with the header's address fields (flag 16), good and
# bad; the Multiboot 2 kernel guests/mboot2.elf and flat Multiboot 2
# kernels with their tags, good and bad; options refused.  Needs /dev/kvm (or the nested VM) to run a guest;
# without it those tests report SKIP.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/e2e/gdb_lib.sh

KERNEL=guests/mboot.elf

# The memory map docs/multiboot.md and docs/modes.md describe, for RAM
# bytes of RAM: below the gdbvm area (64K ending at 0x9f000), the area and
# the rest of conventional memory, the legacy hole, RAM from 1 MiB.
expected_map() {
	local ram=$1
	printf 'mmap 0x0 0x8f000 type 1\nmmap 0x8f000 0x11000 type 2\n'
	printf 'mmap 0xa0000 0x60000 type 2\nmmap 0x100000 %#x type 1\n' $((ram - 0x100000))
}

# expected_out RAM CMDLINE [MODULE_LINE...]: what the kernel prints when
# every check passes.
expected_out() {
	local ram=$1 cmdline=$2 line
	shift 2
	printf 'Multiboot kernel in C\nmagic 0x2badb002\n'
	printf 'memory lower %dK upper %dK\n' $((0x8f000 / 1024)) $(((ram - 0x100000) / 1024))
	expected_map "$ram"
	printf "cmdline '%s'\nloader 'gdbvm %s'\nframebuffer 80x25 text\n" "$cmdline" "$VERSION"
	for line in "$@"; do printf '%s\n' "$line"; done
	printf 'checks 0x7f\n'
}

# fnv1a FILE: the 32-bit FNV-1a hash of the file's bytes, as the kernel prints it.
fnv1a() {
	python3 -c 'import sys
h = 2166136261
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 16777619) & 0xffffffff
print(hex(h))' "$1"
}

VERSION=$("$GDBVM" --version | sed -n 's/^gdbvm //p')

# 1. The C kernel.
name="the C kernel: every check passes with the default 128M (status (0x7f << 1) | 1)"
if kvm_case "$name"; then
	run "$KERNEL"
	check "$name" 255 "$(expected_out $((128 << 20)) "$KERNEL")\n" ""
fi

name="the C kernel with -m 8M: mem_upper and the map follow -m"
if kvm_case "$name"; then
	run -m 8M "$KERNEL"
	check "$name" 255 "$(expected_out $((8 << 20)) "$KERNEL")\n" ""
fi

printf 'hello, module' >"$TMP/mod0.txt"
head -c 5000 /dev/urandom >"$TMP/mod1.bin"
: >"$TMP/empty.mod"
name="--append and --module: the command line, module strings, sizes and hashes"
if kvm_case "$name"; then
	run --append "console=com1 x=1" --module "$TMP/mod0.txt,first, module" \
		--module "$TMP/mod1.bin" --module "$TMP/empty.mod,nothing" "$KERNEL"
	check "$name" 255 "$(expected_out $((128 << 20)) "$KERNEL console=com1 x=1" \
		"module 0 '$TMP/mod0.txt first, module' 13 bytes fnv1a $(fnv1a "$TMP/mod0.txt")" \
		"module 1 '$TMP/mod1.bin' 5000 bytes fnv1a $(fnv1a "$TMP/mod1.bin")" \
		"module 2 '$TMP/empty.mod nothing' 0 bytes fnv1a 0x811c9dc5")\n" ""
fi

SEP80="--------------------------------------------------------------------------------"
name="--screen=plain: the kernel's lines on the VGA text screen"
if kvm_case "$name"; then
	run --screen=plain --append "on screen" "$KERNEL"
	lines=$(expected_out $((128 << 20)) "$KERNEL on screen")
	sep="-- screen: 80x25 text at 0xb8000 $SEP80"
	check "$name" 255 "$lines\n${sep:0:80}\n$lines\n" ""
fi

name="--gdb-batch: break on kmain by name; EAX holds 0x2badb002, EBX the information"
if gdb_case "$name"; then
	script mb_gdb <<-'EOF'
	expect_match("break kmain", cmd("break kmain"),
	             r"Breakpoint 1 at 0x[0-9a-f]+: file guests/mboot/kernel\.c, line \d+\.")
	resume()
	expect_stop("breakpoint", 1)
	expect_match("frame", cmd("frame"), r"kmain \(magic=732803074, mbi=0x97000\)")
	expect_match("info registers eax", cmd("info registers eax"), r"^eax\s+0x2badb002\s")
	expect_reg("ebx", 0x8f000 + 0x8000)
	expect_eq("the command line's first byte",
	          mem(int(gdb.parse_and_eval("((unsigned *)$ebx)[4]")), 6), b"guests")
	loud("delete")
	expect_exited(0x7f * 2 + 1)
	passed()
	EOF
	batch mb_gdb "$KERNEL"
	check_batch "$name" 255 mb_gdb 'out:^checks 0x7f$'
fi

name="--mode protected: the kernel is loaded plainly, without EAX or EBX (status 1)"
if kvm_case "$name"; then
	run --mode protected -m 2M "$KERNEL"
	check "$name" 1 "Multiboot kernel in C\nmagic 0x0\n" ""
fi

# 2. Small flat kernels with the address fields (flag 16), made here:
# mkkernel FILE FLAGS LOAD LOAD_END BSS_END ENTRY_OFFSET [CHECKSUM_DELTA [VIDEO...]]
# writes the header at offset 0 (header_addr = LOAD), then code that sends
# 0x21 to the exit port when EAX is 0x2BADB002, else 0x22.  ENTRY_OFFSET is
# added to LOAD for entry_addr; the code starts right after the header.
mkkernel() {
	python3 - "$@" <<-'EOF'
	import struct, sys
	path, flags, load, load_end, bss_end, entry_off = sys.argv[1], *[int(a, 0) for a in sys.argv[2:7]]
	delta = int(sys.argv[7], 0) if len(sys.argv) > 7 else 0
	video = [int(a, 0) for a in sys.argv[8:12]]
	magic = 0x1BADB002
	checksum = (-(magic + flags) + delta) & 0xffffffff
	header = struct.pack("<8I", magic, flags, checksum, load, load, load_end, bss_end,
	                     (load + entry_off) & 0xffffffff)
	if video:
	    header += struct.pack("<4I", *video)
	code = bytes([0x3d, 0x02, 0xb0, 0xad, 0x2b,   # cmp eax, 0x2badb002
	              0x75, 0x05,                     # jne fail
	              0xb0, 0x21, 0xe6, 0xf4, 0xf4,   # mov al, 0x21; out 0xf4, al; hlt
	              0xb0, 0x22, 0xe6, 0xf4, 0xf4])  # fail: mov al, 0x22; out 0xf4, al; hlt
	open(path, "wb").write(header + code + bytes(64))
	EOF
}

A=0x10000	# flag 16: the address fields are valid
mkkernel "$TMP/flat.bin" $A 0x100000 0 0 32
name="a flat kernel with address fields boots at entry_addr with EAX = 0x2BADB002 (status 67)"
if kvm_case "$name"; then
	run "$TMP/flat.bin"
	check "$name" 67 "" ""
fi

mkkernel "$TMP/gfx.bin" $((A | 4)) 0x100000 0 0 48 0 0 1024 768 32
name="a kernel asking for a graphics mode gets a note and the text screen"
if kvm_case "$name"; then
	run "$TMP/gfx.bin"
	check "$name" 67 "" "gdbvm: note: Multiboot kernel '$(lit "$TMP/gfx.bin")' asks for a 1024x768x32 graphics mode; gdbvm gives the 80x25 text screen"
fi

# last FILE LOAD: the address of the file's last byte, loaded whole at LOAD.
last() { printf '%#x' $(($2 + $(stat -c %s "$1") - 1)); }

# refused NAME FILE MESSAGE_REGEX [OPTIONS...]: the kernel is refused, status 4.
refused() {
	local name=$1 file=$2 msg=$3
	shift 3
	run "$@" "$file"
	check "$name" 4 "" "gdbvm: Multiboot kernel '$(lit "$file")': $msg"
}

mkkernel "$TMP/sum.bin" $A 0x100000 0 0 32 1
refused "a bad checksum is refused" "$TMP/sum.bin" \
	"the Multiboot header at file offset 0x0 has a bad checksum \(magic \+ flags \+ checksum = 0x00000001, must be 0\)"
mkkernel "$TMP/req.bin" $((A | 0x20)) 0x100000 0 0 32
refused "an unknown required flag is refused" "$TMP/req.bin" \
	"the Multiboot header requires feature bit 5 \(flags 0x00010020\), which gdbvm does not provide \(it knows bits 0-2: page-aligned modules, memory information, video mode\)"
mkkernel "$TMP/far.bin" $A 0x10000000 0 0 32
refused "address fields outside RAM are refused" "$TMP/far.bin" \
	"the kernel at 0x10000000-$(last "$TMP/far.bin" 0x10000000) \(Multiboot address fields\) lies outside guest RAM \(0x8000000 bytes; give more with -m\)"
mkkernel "$TMP/end.bin" $A 0x100000 0xff000 0 32
refused "load_end_addr below load_addr is refused" "$TMP/end.bin" \
	"Multiboot load_end_addr 0xff000 lies below load_addr 0x100000"
mkkernel "$TMP/bss.bin" $A 0x100000 0x100040 0x100020 32
refused "bss_end_addr below load_end_addr is refused" "$TMP/bss.bin" \
	"Multiboot bss_end_addr 0x100020 lies below the end of the loaded image 0x100040"
mkkernel "$TMP/area.bin" $A 0x90000 0 0 32
refused "a kernel overlapping gdbvm's area is refused" "$TMP/area.bin" \
	"the kernel at 0x90000-$(last "$TMP/area.bin" 0x90000) overlaps gdbvm's own area at 0x8f000-0x9efff \(GDT, page tables, Multiboot information\); link the kernel above it \(1 MiB is usual\)"
mkkernel "$TMP/entry.bin" $A 0x100000 0 0 0x1000
refused "an entry point outside the loaded image is refused" "$TMP/entry.bin" \
	"Multiboot entry_addr 0x101000 lies outside the loaded image 0x100000-$(last "$TMP/entry.bin" 0x100000)"
mkkernel "$TMP/noaddr.bin" 0x3 0x100000 0 0 32
refused "a flat file without address fields is refused" "$TMP/noaddr.bin" \
	"the kernel is not an ELF file and its Multiboot header has no address fields \(flag 16\): gdbvm cannot tell where to load it"

# An ELF64 file with a Multiboot header boots as Multiboot, in 32-bit
# protected mode, not in long mode as other ELF64 files do.
cat >"$TMP/k64.asm" <<-'EOF'
	bits 32
	section .text
	align 4
	dd 0x1BADB002, 0, -0x1BADB002
	global _start
	_start:	cmp eax, 0x2BADB002
		jne .no
		mov al, 0x21
		out 0xf4, al
	.no:	mov al, 0x22
		out 0xf4, al
	EOF
name="an ELF64 Multiboot kernel starts in 32-bit protected mode with EAX = 0x2BADB002 (status 67)"
if ! command -v nasm >/dev/null; then
	skip "$name" "no nasm on this machine"
elif kvm_case "$name"; then
	nasm -f elf64 -o "$TMP/k64.o" "$TMP/k64.asm" &&
		ld -m elf_x86_64 -Ttext 0x100000 -z noexecstack -o "$TMP/k64.elf" "$TMP/k64.o"
	run "$TMP/k64.elf"
	check "$name" 67 "" ""
fi

# 3. Multiboot 2: the C kernel guests/mboot2.elf and crafted flat kernels.
KERNEL2=guests/mboot2.elf
# expected_out2 RAM CMDLINE [MODULE_LINE...]: what the Multiboot 2 kernel
# prints when every check passes, in the order of gdbvm's tags.
expected_out2() {
	local ram=$1 cmdline=$2 line
	shift 2
	printf 'Multiboot 2 kernel in C\nmagic 0x36d76289\n'
	printf "cmdline '%s'\nloader 'gdbvm %s'\n" "$cmdline" "$VERSION"
	for line in "$@"; do printf '%s\n' "$line"; done
	printf 'memory lower %dK upper %dK\n' $((0x8f000 / 1024)) $(((ram - 0x100000) / 1024))
	expected_map "$ram"
	printf 'framebuffer 80x25 text\nchecks 0x7f\n'
}

name="Multiboot 2: the C kernel's tags pass every check (status 255)"
if kvm_case "$name"; then
	run "$KERNEL2"
	check "$name" 255 "$(expected_out2 $((128 << 20)) "$KERNEL2")\n" ""
fi

name="Multiboot 2: --append and two --module, with -m 16M"
if kvm_case "$name"; then
	run -m 16M --append "a b" --module "$TMP/mod1.bin,x" --module "$TMP/mod0.txt" "$KERNEL2"
	check "$name" 255 "$(expected_out2 $((16 << 20)) "$KERNEL2 a b" \
		"module '$TMP/mod1.bin x' 5000 bytes fnv1a $(fnv1a "$TMP/mod1.bin")" \
		"module '$TMP/mod0.txt' 13 bytes fnv1a $(fnv1a "$TMP/mod0.txt")")\n" ""
fi

name="Multiboot 2 under --gdb-batch: break on kmain2; EAX holds 0x36d76289"
if gdb_case "$name"; then
	script mb2_gdb <<-'EOF'
	cmd("break kmain2")
	resume()
	expect_stop("breakpoint", 1)
	expect_match("info registers eax", cmd("info registers eax"), r"^eax\s+0x36d76289\s")
	expect_reg("ebx", 0x8f000 + 0x8000)
	expect_eq("the first tag's type (the command line)",
	          int(gdb.parse_and_eval("((unsigned *)$ebx)[2]")), 1)
	loud("delete")
	expect_exited(0x7f * 2 + 1)
	passed()
	EOF
	batch mb2_gdb "$KERNEL2"
	check_batch "$name" 255 mb2_gdb 'out:^checks 0x7f$'
fi

# mkkernel2 FILE CHECKSUM_DELTA [TYPE:FLAGS:WORD,WORD...]...: a flat
# Multiboot 2 kernel loaded at 1 MiB (address tag, load_addr -1: from the
# file's first byte) entered right after its header (entry address tag),
# with the extra tags given, then code that sends 0x21 to the exit port
# when EAX is 0x36D76289, else 0x22.
mkkernel2() {
	python3 - "$@" <<-'EOF'
	import struct, sys
	path, delta, extra = sys.argv[1], int(sys.argv[2], 0), sys.argv[3:]
	def tag(type_, flags, words):
	    body = struct.pack("<HHI", type_, flags, 8 + 4 * len(words)) + struct.pack("<%dI" % len(words), *words)
	    return body + bytes(-len(body) % 8)
	tags = [tag(*[int(x, 0) for x in t.split(":")[:2]],
	            [int(w, 0) for w in t.split(":")[2].split(",") if w]) for t in extra]
	n = 16 + 24 + 16 + sum(len(t) for t in tags) + 8
	tags = [tag(2, 0, [0x100000, 0xffffffff, 0, 0]), tag(3, 0, [0x100000 + n])] + tags + [tag(0, 0, [])]
	magic = 0xE85250D6
	header = struct.pack("<4I", magic, 0, n, (-(magic + n) + delta) & 0xffffffff) + b"".join(tags)
	assert len(header) == n
	code = bytes([0x3d, 0x89, 0x62, 0xd7, 0x36, 0x75, 0x05, 0xb0, 0x21, 0xe6, 0xf4, 0xf4,
	              0xb0, 0x22, 0xe6, 0xf4, 0xf4])
	open(path, "wb").write(header + code)
	EOF
}

mkkernel2 "$TMP/flat2.bin" 0 "4:0:3" "6:0:" "1:1:14,15"
name="Multiboot 2: a flat kernel with address and entry tags boots with EAX = 0x36D76289 (status 67)"
if kvm_case "$name"; then
	run "$TMP/flat2.bin"
	check "$name" 67 "" ""
fi
mkkernel2 "$TMP/sum2.bin" 1
refused "Multiboot 2: a bad checksum is refused" "$TMP/sum2.bin" \
	"the Multiboot 2 header at file offset 0x0 has a bad checksum \(magic \+ architecture \+ header_length \+ checksum = 0x00000001, must be 0\)"
mkkernel2 "$TMP/acpi2.bin" 0 "1:0:1,14"
refused "Multiboot 2: a required request for information gdbvm lacks is refused" "$TMP/acpi2.bin" \
	"the Multiboot 2 header requires information tag type 14, which gdbvm does not provide \(it gives types 1-4, 6 and 8: command line, boot loader name, modules, memory sizes, memory map, framebuffer\)"
mkkernel2 "$TMP/tag2.bin" 0 "99:0:"
refused "Multiboot 2: an unknown required tag is refused" "$TMP/tag2.bin" \
	"the Multiboot 2 header requires tag type 99, which gdbvm does not know"

# 4. Options that do not suit the guest.
run --append x guests/hello.bin
check "--append with a guest that is not a Multiboot kernel is refused" 2 "" \
	"gdbvm: --append applies to a Multiboot kernel, and 'guests/hello\.bin' has no Multiboot header"
run --module "$TMP/mod0.txt" --mode protected "$KERNEL"
check "--module with --mode is refused" 2 "" \
	"gdbvm: --module applies to a Multiboot kernel booted as one: with --mode, 'guests/mboot\.elf' is loaded as a plain protected mode guest"
run --append x
check "--append without GUEST is refused" 2 "" \
	"gdbvm: --append applies to a Multiboot kernel given as GUEST only"
run -l 0x2000 "$KERNEL"
check "--load with a Multiboot kernel is refused" 2 "" \
	"gdbvm: --load does not apply to Multiboot kernel 'guests/mboot\.elf': its header or ELF program headers say where it goes and starts"
run --module "$TMP/missing.mod" "$KERNEL"
check "a missing module is refused" 4 "" \
	"gdbvm: cannot open module '$(lit "$TMP/missing.mod")': No such file or directory"
head -c $((2 << 20)) /dev/zero >"$TMP/big.mod"
run -m 2M --module "$TMP/big.mod" "$KERNEL"
check "a module that does not fit in RAM is refused" 4 "" \
	"gdbvm: module 1 \(2097152 bytes\) does not fit in guest RAM after 0x[0-9a-f]+ \(give more with -m\)"

finish
