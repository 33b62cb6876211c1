/*
 * asm_data.h - is an assembly source line a data directive?  nasm (and
 * gas) give data lines (db, dw, times, .byte, ...) rows in the line table
 * like instructions; --coverage must not plant a trap in data the guest
 * reads.  Pure.
 */
#ifndef GDBVM_ASM_DATA_H
#define GDBVM_ASM_DATA_H

#include <stdbool.h>
#include <stddef.h>

/* Does the line (len bytes, no newline needed) define data: a data
 * directive, after an optional label ("msg:" or nasm's "msg db")? */
bool asm_line_is_data(const char *line, size_t len);

/* Is path an assembly source by its name (.asm .s .S .inc .nasm .mac)? */
bool asm_source_name(const char *path);

#endif
