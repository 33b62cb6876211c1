/*
 * console.h - what the Multiboot kernels print with: COM1 and the VGA text
 * screen at once (console.c).
 */
#ifndef MBOOT_CONSOLE_H
#define MBOOT_CONSOLE_H

#include <stdint.h>

void clear_screen(void);
void putc_both(char c);
void puts_both(const char *s);
void put_hex(uint64_t v);	/* 0x and lower-case digits */
void put_dec(uint32_t v);
int starts_with(const char *s, const char *prefix);

#endif
