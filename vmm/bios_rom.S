/*
 * bios_rom.S - embeds the assembled BIOS ROM (bios/bios.asm, built by the
 * Makefile into BIOS_ROM_BIN) in gdbvm as gdbvm_bios_rom ..
 * gdbvm_bios_rom_end.  .incbin works the same in gcc's and clang's
 * assemblers, so no generator tool is needed.
 */
	.section .rodata
	.balign 16
	.globl gdbvm_bios_rom
	.globl gdbvm_bios_rom_end
gdbvm_bios_rom:
	.incbin BIOS_ROM_BIN
gdbvm_bios_rom_end:

	.section .note.GNU-stack,"",@progbits
