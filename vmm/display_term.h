/*
 * display_term.h - the terminal while --display shows the guest's screen,
 * and putting it back on every way out.
 *
 * Entering: stdin (when it is a terminal gdbvm has in its foreground) goes
 * to raw mode (no echo, no line editing, no signals from keys: Ctrl-C is a
 * key for the guest), stdout's terminal switches to the alternate screen,
 * and stdout and stderr are redirected into memory files, so that the
 * guest's serial output and gdbvm's messages cannot tear the picture.
 * Leaving puts all of it back and prints what was kept, stdout's first.
 *
 * Leaving happens from display_term_leave (the normal end, after any
 * report), from an atexit handler, and from handlers for SIGHUP, SIGQUIT
 * and the fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT), which
 * restore the terminal with async-signal-safe calls only and then let the
 * signal take its default action.  SIGINT, SIGTERM and SIGALRM stay
 * signals.c's: they end the run normally, through display_term_leave.
 */
#ifndef GDBVM_DISPLAY_TERM_H
#define GDBVM_DISPLAY_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* Enter the display's terminal state: no echo, no line editing, keys
 * still signal (Ctrl-C is SIGINT).  0, or -errno (nothing changed then). */
int display_term_enter(void);

/* A keyboard reader that watches for the quit key is there: take signals
 * off the keys (Ctrl-C is a key for the guest from now on). */
void display_term_keys_raw(void);

/* Whether the display's terminal state is on. */
bool display_term_active(void);

/* Write the bytes to the terminal.  0, or -errno: -EINTR when a signal
 * came while the terminal would not take them and give_up (optional)
 * said to stop waiting (the rest is not written), else the terminal is
 * gone. */
int display_term_write(const char *data, size_t len, bool (*give_up)(void *ctx), void *ctx);

/* The terminal's size; false when it cannot be read. */
bool display_term_size(unsigned *cols, unsigned *rows);

/* Whether SIGWINCH came since the last call. */
bool display_term_resized(void);

/* Keep the redirected output below about limit bytes: when it is over,
 * the oldest part is dropped (and counted for the note printed at the
 * end). */
void display_term_trim(size_t limit);

/* Leave: the terminal as it was, stdout and stderr back, what they were
 * given meanwhile printed.  Nothing when not active. */
void display_term_leave(void);

#endif
