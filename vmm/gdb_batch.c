/*
 * gdb_batch.c - the gdb child process of --gdb-batch (see gdb_batch.h).
 */
#include "gdb_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool reaped;
static int reaped_status;

pid_t gdb_batch_start(const char *gdb, const char *host, unsigned port, const char *script,
		      const char *symbols, bool real_mode)
{
	char target[300];
	const char *argv[24];	/* 17 at most, with the NULL */
	unsigned argc = 0;
	int errpipe[2];
	pid_t pid;
	int child_errno = 0;
	ssize_t n;

	if (strchr(host, ':'))
		snprintf(target, sizeof(target), "target remote [%s]:%u", host, port);
	else
		snprintf(target, sizeof(target), "target remote %s:%u", host, port);
	argv[argc++] = gdb;
	argv[argc++] = "-batch";
	argv[argc++] = "-nx";
	argv[argc++] = "-ex";
	argv[argc++] = "set pagination off";
	argv[argc++] = "-ex";
	argv[argc++] = "set confirm off";
	if (symbols) {
		/* Without these gdb takes GNU/Linux and the architecture
		 * from the ELF header (which wins over the target
		 * description's); a real-mode guest runs 16-bit code on no
		 * OS.  -iex: before gdb reads the file, so no warning about
		 * the OS ABI.  Other modes take the description's view. */
		argv[argc++] = "-iex";
		argv[argc++] = "set osabi none";
		if (real_mode) {
			argv[argc++] = "-iex";
			argv[argc++] = "set architecture i8086";
		}
	}
	argv[argc++] = "-ex";
	argv[argc++] = target;
	argv[argc++] = "-x";
	argv[argc++] = script;
	if (symbols)
		argv[argc++] = symbols;
	argv[argc] = NULL;
	/* The pipe closes on a successful exec; an exec failure sends errno. */
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(errpipe[0]);
		close(errpipe[1]);
		return -errno;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		execvp(gdb, (char *const *)argv);
		child_errno = errno;
		if (write(errpipe[1], &child_errno, sizeof(child_errno)) < 0) {
			/* the parent sees a closed pipe and will wait for us */
		}
		_exit(127);
	}
	close(errpipe[1]);
	do
		n = read(errpipe[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == sizeof(child_errno)) {
		waitpid(pid, NULL, 0);
		return -child_errno;
	}
	return pid;
}

bool gdb_batch_exited(pid_t pid, int *wstatus)
{
	if (!reaped && waitpid(pid, &reaped_status, WNOHANG) == pid)
		reaped = true;
	if (reaped && wstatus)
		*wstatus = reaped_status;
	return reaped;
}

/* Reap gdb if it has exited, polling for up to ms milliseconds, or until
 * hurry() says to stop waiting. */
static bool reap_within(pid_t pid, int ms, bool (*hurry)(void))
{
	const struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };

	for (int waited = 0; !gdb_batch_exited(pid, NULL) && waited < ms; waited += 20) {
		if (hurry && hurry())
			break;
		nanosleep(&tick, NULL);
	}
	return reaped;
}

int gdb_batch_wait(pid_t pid, int finish_ms, bool (*hurry)(void))
{
	/* gdb can ignore SIGTERM for a while (in its Python start-up, say);
	 * a signal must still end gdbvm, so gdb gets SIGKILL after a grace.
	 * SIGTERM is the last resort: gdb turns it into a quit request, which
	 * a Python script sees as KeyboardInterrupt wherever it happens to be. */
	if (finish_ms != GDB_BATCH_WAIT_FOREVER && !reap_within(pid, finish_ms, hurry)) {
		kill(pid, SIGTERM);
		if (!reap_within(pid, GDB_BATCH_TERM_GRACE_MS, NULL))
			kill(pid, SIGKILL);
	}
	while (!reaped) {
		if (waitpid(pid, &reaped_status, 0) == pid)
			reaped = true;
		else if (errno != EINTR)
			return -1;
	}
	return reaped_status;
}
