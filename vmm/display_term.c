/*
 * display_term.c - the terminal under --display, and restoring it on
 * every way out (see display_term.h).
 *
 * One terminal per process, so the state is this file's: the signal
 * handlers need it without a pointer.
 */
#include "display_term.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#define ENTER_SEQ "\033[?1049h\033[0m\033[2J\033[?25l"
/* Colours off, the cursor's shape the terminal's default, shown, the
 * normal screen back. */
#define LEAVE_SEQ "\033[0m\033[0 q\033[?25h\033[?1049l"

/* The signals that end gdbvm without passing through main's teardown. */
static const int fatal_signals[] = { SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

struct kept {
	int fd;			/* the memory file standing in for stdout or stderr */
	unsigned long long dropped;	/* bytes dropped by display_term_trim */
};

static struct {
	volatile sig_atomic_t active;
	int tty_fd;		/* stdout's terminal, for the picture */
	int err_fd;		/* the original stderr */
	bool tty_changed;	/* stdin's settings changed: tty_saved restores them */
	struct termios tty_saved;
	struct kept out, err;
	struct sigaction old_fatal[NFATAL], old_winch;
	bool handlers;
} term = { .tty_fd = -1, .err_fd = -1, .out = { .fd = -1 }, .err = { .fd = -1 } };

static volatile sig_atomic_t resized;

/* ---- async-signal-safe pieces ---- */

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void write_str(int fd, const char *s)
{
	write_all(fd, s, strlen(s));
}

/* Decimal, without stdio (for the signal path). */
static void write_ull(int fd, unsigned long long v)
{
	char s[24];
	unsigned i = sizeof(s);

	do
		s[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i);
	write_all(fd, s + i, sizeof(s) - i);
}

/* Copy what a memory file holds to fd. */
static void replay(const struct kept *k, int fd, const char *what)
{
	char buf[4096], last = 0;
	ssize_t n;

	if (k->fd < 0 || lseek(k->fd, 0, SEEK_SET) < 0)
		return;
	if (k->dropped) {
		write_str(fd, "gdbvm: --display: the first ");
		write_ull(fd, k->dropped);
		write_str(fd, " bytes of ");
		write_str(fd, what);
		write_str(fd, " while the display was on were dropped; the rest follows\n");
	}
	while ((n = read(k->fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0) {
			write_all(fd, buf, (size_t)n);
			last = buf[n - 1];
		}
	/* What comes next (gdbvm's messages) starts a line of its own. */
	if (last && last != '\n')
		write_all(fd, "\n", 1);
}

/* Everything back as it was; safe in a signal handler. */
static void restore(void)
{
	int saved_errno = errno;

	if (!term.active)
		return;
	term.active = 0;
	write_str(term.tty_fd, LEAVE_SEQ);
	if (term.tty_changed)
		tcsetattr(STDIN_FILENO, TCSANOW, &term.tty_saved);
	term.tty_changed = false;
	dup2(term.tty_fd, STDOUT_FILENO);
	dup2(term.err_fd, STDERR_FILENO);
	replay(&term.out, STDOUT_FILENO, "standard output (the guest's serial output)");
	replay(&term.err, STDERR_FILENO, "gdbvm's messages");
	errno = saved_errno;
}

static void on_fatal(int sig)
{
	restore();
	/* Then what would have happened without us: the previous handler
	 * (a sanitizer's report, say) or the default action. */
	for (size_t i = 0; i < NFATAL; i++)
		if (fatal_signals[i] == sig)
			sigaction(sig, &term.old_fatal[i], NULL);
	raise(sig);
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

/* ---- the rest ---- */

static void at_exit(void)
{
	display_term_leave();
}

/* A memory file in place of fd; its descriptor in k. */
static int redirect(int fd, struct kept *k, const char *name)
{
	int m = memfd_create(name, MFD_CLOEXEC);

	if (m < 0)
		return -errno;
	if (dup2(m, fd) < 0) {
		int e = -errno;

		close(m);
		return e;
	}
	k->fd = m;
	k->dropped = 0;
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Raw keys on stdin, when it is a terminal with gdbvm in its foreground. */
static int raw_keys(void)
{
	struct termios raw;
	pid_t pgrp;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &term.tty_saved) < 0)
		return 0;
	pgrp = tcgetpgrp(STDIN_FILENO);
	if (pgrp >= 0 && pgrp != getpgrp())
		return 0;
	raw = term.tty_saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN);
	/* Ctrl-Z would stop gdbvm with the terminal taken over: it is no
	 * signal (and a key once the guest reads them). */
	raw.c_cc[VSUSP] = _POSIX_VDISABLE;
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | IGNCR | BRKINT | ISTRIP);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0)
		return -errno;
	term.tty_changed = true;
	return 0;
}

static int install_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_fatal, .sa_flags = SA_RESETHAND };
	struct sigaction winch = { .sa_handler = on_winch, .sa_flags = SA_RESTART };
	static bool exit_hooked;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&winch.sa_mask);
	for (size_t i = 0; i < NFATAL; i++)
		if (sigaction(fatal_signals[i], &sa, &term.old_fatal[i]) < 0)
			return -errno;
	if (sigaction(SIGWINCH, &winch, &term.old_winch) < 0)
		return -errno;
	term.handlers = true;
	if (!exit_hooked && atexit(at_exit) != 0)
		return -ENOMEM;
	exit_hooked = true;
	return 0;
}

static void remove_handlers(void)
{
	if (!term.handlers)
		return;
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &term.old_fatal[i], NULL);
	sigaction(SIGWINCH, &term.old_winch, NULL);
	term.handlers = false;
}

void display_term_keys_raw(void)
{
	struct termios t;

	if (!term.active || !term.tty_changed || tcgetattr(STDIN_FILENO, &t) < 0 ||
	    !(t.c_lflag & ISIG))
		return;
	t.c_lflag &= ~(tcflag_t)ISIG;
	tcsetattr(STDIN_FILENO, TCSANOW, &t);	/* if not, Ctrl-C stays a signal */
}

int display_term_enter(void)
{
	int e;

	if (term.active)
		return 0;
	if (!isatty(STDOUT_FILENO))
		return -ENOTTY;
	fflush(stdout);
	fflush(stderr);
	term.tty_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	term.err_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (term.tty_fd < 0 || term.err_fd < 0) {
		e = -errno;
		goto fail;
	}
	e = install_handlers();
	if (!e)
		e = raw_keys();
	if (!e)
		e = redirect(STDOUT_FILENO, &term.out, "gdbvm-stdout");
	if (!e)
		e = redirect(STDERR_FILENO, &term.err, "gdbvm-stderr");
	if (e)
		goto fail;
	resized = 0;
	term.active = 1;
	write_str(term.tty_fd, ENTER_SEQ);
	return 0;
fail:
	if (term.tty_changed)
		tcsetattr(STDIN_FILENO, TCSANOW, &term.tty_saved);
	term.tty_changed = false;
	if (term.tty_fd >= 0)
		dup2(term.tty_fd, STDOUT_FILENO);
	if (term.err_fd >= 0)
		dup2(term.err_fd, STDERR_FILENO);
	remove_handlers();
	close_fd(&term.out.fd);
	close_fd(&term.err.fd);
	close_fd(&term.tty_fd);
	close_fd(&term.err_fd);
	return e;
}

bool display_term_active(void)
{
	return term.active;
}

int display_term_write(const char *data, size_t len, bool (*give_up)(void *ctx), void *ctx)
{
	while (len) {
		ssize_t w = write(term.tty_fd, data, len);

		if (w < 0 && errno == EINTR && !(give_up && give_up(ctx)))
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

bool display_term_size(unsigned *cols, unsigned *rows)
{
	struct winsize ws;

	if (term.tty_fd < 0 || ioctl(term.tty_fd, TIOCGWINSZ, &ws) < 0 || !ws.ws_col ||
	    !ws.ws_row)
		return false;
	*cols = ws.ws_col;
	*rows = ws.ws_row;
	return true;
}

bool display_term_resized(void)
{
	bool r = resized;

	resized = 0;
	return r;
}

/* Keep the newest half of limit bytes of a memory file over limit. */
static void trim_one(struct kept *k, size_t limit)
{
	off_t end = k->fd >= 0 ? lseek(k->fd, 0, SEEK_END) : -1;
	size_t keep = limit / 2;
	char *tail;

	if (end < 0 || (size_t)end <= limit)
		return;
	tail = malloc(keep);
	if (!tail)
		return;
	if (pread(k->fd, tail, keep, end - (off_t)keep) == (ssize_t)keep &&
	    ftruncate(k->fd, 0) == 0 && pwrite(k->fd, tail, keep, 0) == (ssize_t)keep &&
	    lseek(k->fd, (off_t)keep, SEEK_SET) >= 0)
		k->dropped += (unsigned long long)end - keep;
	free(tail);
}

void display_term_trim(size_t limit)
{
	if (!term.active)
		return;
	fflush(stdout);
	fflush(stderr);
	trim_one(&term.out, limit);
	trim_one(&term.err, limit);
}

void display_term_leave(void)
{
	if (!term.active)
		return;
	fflush(stdout);
	fflush(stderr);
	restore();
	remove_handlers();
	close_fd(&term.out.fd);
	close_fd(&term.err.fd);
	close_fd(&term.tty_fd);
	close_fd(&term.err_fd);
}
