/*
 * kbd_input.h - the host side of the keyboard: stdin bytes become keys
 * (keymap.h), keys become scan code bytes (scancode.h), and the bytes go
 * into the 8042's keyboard (i8042.h) - only as fast as the guest takes
 * them, so piped stdin is never lost: one key at a time goes in, once the
 * guest has read every byte of the one before, scanning is on and, when
 * an accept hook is set (the BIOS's INT 09h handler is the one
 * installed), the hook says its buffer has room.  stdin is read only
 * while a few keys at most wait to be typed.
 *
 * Who reads stdin: nobody before the guest uses the keyboard.  The
 * keyboard "claims" stdin when the guest shows it waits for a key: it
 * reads port 0x64 and finds the output buffer empty, calls INT 16h, or
 * waits in HLT with IRQ 1 open (the run loop calls kbd_input_claim).
 * COM1 reads stdin when the guest reads COM1.  A guest that uses both
 * gets each byte in whichever device takes it first.
 */
#ifndef GDBVM_KBD_INPUT_H
#define GDBVM_KBD_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include "i8042.h"
#include "keymap.h"

#define KBD_INPUT_QUEUE	32	/* keys decoded from stdin, not yet typed */
#define KBD_ESC_WAIT_MS	50	/* an ESC with nothing after it this long is the Esc key */

struct kbd_input {
	int fd;			/* stdin, or -1 */
	bool eof;		/* stdin has ended (or there is none) */
	bool claimed;		/* the guest has used the keyboard */
	/* A person types (--display): once claimed, stdin is read even when
	 * the queue is full, keys that do not fit being dropped as a full
	 * keyboard buffer drops them, so the display's quit key is always
	 * seen.  Piped input keeps its flow control and loses nothing. */
	bool interactive;
	struct i8042 *kbd;
	/* Optional: whether one more key may go in beyond the keyboard's own
	 * room (the BIOS: INT 09h's buffer has room). */
	bool (*accepts)(void *ctx);
	void *accepts_ctx;
	struct keymap keymap;	/* escape sequences being decoded */
	uint64_t pending_since;	/* ms (monotonic) when the unfinished sequence began */
	uint16_t queue[KBD_INPUT_QUEUE];
	unsigned head, count;
	bool tty_changed;	/* stdin is a terminal put in key-at-a-time mode */
	struct termios tty_saved;	/* its settings before */
};

/* fd -1: no keys ever come.  Sets kbd's before_read hook, so a guest
 * polling the ports claims stdin and sees the keys typed meanwhile. */
void kbd_input_init(struct kbd_input *in, int fd, struct i8042 *kbd);

/* The guest uses the keyboard: stdin is the keyboard's from now on. */
void kbd_input_claim(struct kbd_input *in);

/* Only the keys already read: type those that fit now (no system call).
 * True when one went in. */
bool kbd_input_type(struct kbd_input *in);

/*
 * Non-blocking: read what stdin has now (once claimed) and type the keys
 * that fit.  Returns true when a byte went into the keyboard.
 */
bool kbd_input_pump(struct kbd_input *in);

/* The descriptor to poll for input while the guest waits, or -1 when
 * pumping would not read it now (not claimed, ended, or no room). */
int kbd_input_poll_fd(const struct kbd_input *in);

/* Milliseconds until an unfinished escape sequence becomes keys (call
 * kbd_input_pump then), or -1 when none waits, or it waits behind keys
 * not typed yet. */
int kbd_input_timeout_ms(const struct kbd_input *in);

/* Whether a key can still come: stdin is open, or keys or an unfinished
 * sequence wait to be typed. */
bool kbd_input_can_come(const struct kbd_input *in);

/* Wait up to ms for stdin to have something (or the pending sequence's
 * timeout), then pump.  For a waiting INT 16h when interrupts cannot wake
 * the guest. */
void kbd_input_wait(struct kbd_input *in, int ms);

/* When fd is a terminal and gdbvm is in its foreground: deliver each key
 * at once, without echo (Ctrl-C still signals).  0, or -errno from
 * tcsetattr. */
int kbd_input_raw(struct kbd_input *in);
/* Put the terminal back as it was. */
void kbd_input_restore(struct kbd_input *in);

#endif
