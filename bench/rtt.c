/*
 * rtt.c - the floor under every gdb-driven figure: one request/reply round
 * trip over TCP on loopback between two processes, which is what each
 * remote-protocol packet costs gdb and a stub that do no work at all.
 *
 *   rtt [N]   N round trips (default 20000); prints the mean in microseconds
 *
 * The parent plays gdb (sends a short packet, waits for the reply), the
 * child plays the stub (answers each one at once), both with TCP_NODELAY as
 * gdb and gdbvm use it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "rtt: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		die("TCP_NODELAY");
}

/* Send len bytes, then read until want bytes came back. */
static int exchange(int fd, const char *msg, size_t len, size_t want)
{
	char buf[64];
	size_t got = 0;

	if (send(fd, msg, len, 0) != (ssize_t)len)
		return -1;
	while (got < want) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char request[] = "$m1003,1#8e", reply[] = "$90#69";
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(addr);
	int lfd, fd, status;
	pid_t child;
	double t0, dt;

	if (n < 1 || n > 100000000) {
		fprintf(stderr, "usage: rtt [N]   (N: round trips, 1 to 100000000)\n");
		return 2;
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0)
		die("listen on loopback");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {	/* the stub: answer every request */
		char buf[64];
		int c = socket(AF_INET, SOCK_STREAM, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&addr, sizeof(addr)) < 0)
			die("connect");
		nodelay(c);
		for (;;) {
			size_t got = 0;

			while (got < sizeof(request) - 1) {
				ssize_t k = recv(c, buf, sizeof(buf), 0);

				if (k <= 0)
					_exit(0);
				got += (size_t)k;
			}
			if (send(c, reply, sizeof(reply) - 1, 0) != (ssize_t)(sizeof(reply) - 1))
				_exit(1);
		}
	}
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	nodelay(fd);
	for (int i = 0; i < 100; i++)	/* warm up */
		if (exchange(fd, request, sizeof(request) - 1, sizeof(reply) - 1) < 0)
			die("warm-up exchange");
	t0 = now();
	for (long i = 0; i < n; i++)
		if (exchange(fd, request, sizeof(request) - 1, sizeof(reply) - 1) < 0)
			die("exchange");
	dt = now() - t0;
	close(fd);
	close(lfd);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	printf("%.2f\n", dt / (double)n * 1e6);
	return 0;
}
