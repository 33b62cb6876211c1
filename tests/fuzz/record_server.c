/*
 * record_server.c - serves the toy machine (tests/unit/fake_target.c) with the real
 * gdb server (gdbstub/server.c) for one debugger session, and records the
 * bytes the debugger sends, to make fuzzing seeds from real gdb and LLDB
 * sessions (record-seeds.sh).  tests/e2e/test_reverse.sh also uses it
 * (built with gcc as build/rel/record_server, FILE /dev/null) to run gdb's
 * reverse execution against the toy machine's history.
 *
 *   record_server PORT FILE
 *
 * The debugger connects to a relay on 127.0.0.1:PORT (0 picks a free port;
 * the port is printed on stdout, then stdout is closed); the relay passes
 * bytes both ways to the stub on a port of its own and appends every byte
 * from the debugger to FILE.  When the debugger hangs up or the stub ends
 * the session, the program ends: status 0, or 1 on a set-up error.
 */
#include "stub.h"
#include "fake_target.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t quit_flag;
static volatile sig_atomic_t server_done;
static unsigned stub_port;
static int relay_fd = -1;
static FILE *record;
static pthread_t main_thread;

static bool should_quit(void)
{
	return quit_flag != 0;
}

static void on_signal(int sig)
{
	(void)sig;
	quit_flag = 1;
}

static void on_listen(void *ctx, const char *host, unsigned port)
{
	(void)ctx;
	(void)host;
	stub_port = port;
}

static int tcp_socket(unsigned port, bool listening)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (listening ? bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0
		      : connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Copy what fd has to other; false at the end of the stream. */
static bool pass(int fd, int other, bool rec)
{
	char buf[4096];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0)
		return false;
	if (rec)
		fwrite(buf, 1, (size_t)n, record);
	for (ssize_t off = 0; off < n;) {
		ssize_t w = send(other, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

		if (w <= 0)
			return false;
		off += w;
	}
	return true;
}

/* The relay: one debugger, then tell the server to end. */
static void *relay(void *arg)
{
	int client, stub;

	(void)arg;
	client = accept4(relay_fd, NULL, NULL, SOCK_CLOEXEC);
	stub = client >= 0 ? tcp_socket(stub_port, false) : -1;
	while (client >= 0 && stub >= 0) {
		struct pollfd pfd[2] = { { .fd = client, .events = POLLIN },
					 { .fd = stub, .events = POLLIN } };

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents && !pass(client, stub, true))
			break;
		if (pfd[1].revents && !pass(stub, client, false))
			break;
	}
	if (client >= 0)
		close(client);
	if (stub >= 0)
		close(stub);
	fflush(record);
	quit_flag = 1;
	/* Until the server sees it: the signal may land outside its poll(). */
	while (!server_done) {
		pthread_kill(main_thread, SIGUSR1);
		usleep(10000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct gdb_server_config cfg = { .host = "127.0.0.1", .port = "0",
					 .start_stopped = true, .should_quit = should_quit,
					 .on_listen = on_listen };
	struct sigaction sa = { .sa_handler = on_signal };
	struct sockaddr_in bound;
	socklen_t blen = sizeof(bound);
	struct fake_target *toy;
	struct gdb_stub *s;
	char err[256];
	pthread_t thr;
	int code;

	if (argc != 3) {
		fprintf(stderr, "usage: record_server PORT FILE\n");
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: poll() sees EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	record = fopen(argv[2], "wb");
	if (!record) {
		perror(argv[2]);
		return 1;
	}
	toy = fake_new();
	if (!toy) {
		fprintf(stderr, "record_server: cannot set up the fake target\n");
		return 1;
	}
	fake_machine_reset(toy);
	toy->machine = true;
	toy->strict = true;
	toy->nap = true;
	toy->exec_file = "/toy/machine.elf";
	if (gdb_server_open(&s, &cfg, &fake_ops, toy, err, sizeof(err)) < 0) {
		fprintf(stderr, "record_server: %s\n", err);
		return 1;
	}
	relay_fd = tcp_socket((unsigned)atoi(argv[1]), true);
	if (relay_fd < 0 || getsockname(relay_fd, (struct sockaddr *)&bound, &blen) < 0) {
		perror("record_server: relay socket");
		return 1;
	}
	printf("%u\n", ntohs(bound.sin_port));
	fclose(stdout);
	main_thread = pthread_self();
	if (pthread_create(&thr, NULL, relay, NULL) != 0)
		return 1;
	gdb_server_run(s, &code);
	server_done = 1;
	/* The session ended on the stub's side (k, an exit): drop the relay. */
	quit_flag = 1;
	shutdown(relay_fd, SHUT_RDWR);
	pthread_join(thr, NULL);
	gdb_server_close(s);
	fake_free(toy);
	close(relay_fd);
	fclose(record);
	return 0;
}
