/*
 * server.c - the gdb connection: listening socket, one client at a time,
 * acknowledgements and retransmission, the interrupt byte, and the loop
 * that alternates between serving gdb and running the target, on one
 * thread.  While the target runs, the sockets raise cfg.async_signal on
 * this thread (O_ASYNC), which makes the target's run() return so the
 * loop can look at them.
 */
#include "hex.h"
#include "stub.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* A client that stops reading is dropped after this long. */
#define SEND_TIMEOUT_SEC 10

int gdb_server_open(struct gdb_stub **out, const struct gdb_server_config *cfg,
		    const struct gdb_target_ops *ops, void *target, char *errbuf, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *res = NULL, *ai;
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	char host[NI_MAXHOST], port[NI_MAXSERV];
	struct gdb_stub *s;
	int fd = -1, err, one = 1;

	err = getaddrinfo(cfg->host, cfg->port, &hints, &res);
	if (err) {
		snprintf(errbuf, errlen, "cannot resolve gdb address %s:%s: %s", cfg->host,
			 cfg->port, gai_strerror(err));
		return -EINVAL;
	}
	err = -EADDRNOTAVAIL;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			err = -errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		/* A full accept queue drops a SYN, and the client retries only
		 * a second later: the queue must hold whatever a script or a
		 * reconnecting debugger sends in between two loop rounds (each
		 * round accepts one; one gdb is served, the others refused). */
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0)
			break;
		err = -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(errbuf, errlen, "cannot listen for gdb on %s:%s: %s", cfg->host, cfg->port,
			 strerror(-err));
		return err;
	}
	if (getsockname(fd, (struct sockaddr *)&bound, &blen) < 0 ||
	    getnameinfo((struct sockaddr *)&bound, blen, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV)) {
		err = -errno;
		close(fd);
		snprintf(errbuf, errlen, "cannot read the gdb socket's address");
		return err ? err : -EIO;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		snprintf(errbuf, errlen, "out of memory");
		return -ENOMEM;
	}
	s->cfg = *cfg;
	s->ops = ops;
	s->target = target;
	s->listen_fd = fd;
	s->client_fd = -1;
	s->last_stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	if (cfg->on_listen)
		cfg->on_listen(cfg->ctx, host, (unsigned)atoi(port));
	*out = s;
	return 0;
}

static void close_client(struct gdb_stub *s);

void gdb_server_close(struct gdb_stub *s)
{
	if (!s)
		return;
	if (s->client_fd >= 0)
		close_client(s);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	free(s);
}

static int stop_target(struct gdb_stub *s, struct gdb_stop *stop);
static void serve_client(struct gdb_stub *s);
static void client_async(struct gdb_stub *s, bool on);

/*
 * Breakpoints belong to the session: a new gdb would not know them.  The
 * target may only be touched while stopped, so a running one is stopped,
 * cleaned and resumed; a stop it reports meanwhile (say the guest ended)
 * is kept for the main loop.
 */
static void forget_breakpoints(struct gdb_stub *s)
{
	struct gdb_stop stop;

	if (!s->running) {
		s->ops->remove_all_breakpoints(s->target);
		return;
	}
	if (stop_target(s, &stop) < 0)
		return;
	s->ops->remove_all_breakpoints(s->target);
	if (stop.kind == GDB_STOP_SIGNAL && stop.signal == GDB_SIGINT && !stop.fatal) {
		if (s->ops->resume(s->target, GDB_RESUME_CONTINUE) == 0)
			s->running = true;
	} else {
		s->last_stop = stop;
		s->pending_stop = true;
	}
}

static void close_client(struct gdb_stub *s)
{
	if (!s->sink.write)
		close(s->client_fd);
	s->client_fd = -1;
}

static void drop_client(struct gdb_stub *s)
{
	if (s->client_fd < 0)
		return;
	close_client(s);
	forget_breakpoints(s);
}

static int send_raw(struct gdb_stub *s, const char *buf, size_t len)
{
	if (s->client_fd < 0)
		return -EPIPE;
	if (s->sink.write) {
		if (s->sink.write(s->sink.ctx, buf, len) == 0)
			return 0;
		drop_client(s);
		return -EPIPE;
	}
	while (len) {
		ssize_t n = send(s->client_fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			drop_client(s);	/* gone, or stopped reading */
			return -EPIPE;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int gdb_send_packet(struct gdb_stub *s, const char *payload, size_t len)
{
	s->sent_len = gdb_frame(payload, len, s->sent, sizeof(s->sent));
	if (!s->sent_len)
		s->sent_len = gdb_frame("E0b", 3, s->sent, sizeof(s->sent));
	return send_raw(s, s->sent, s->sent_len);
}

static int send_reply(struct gdb_stub *s)
{
	return gdb_send_packet(s, s->reply, s->reply_len);
}

/* Stop the resumed target and collect its stop (when something must be
 * done with it stopped: a new client, a departed one's breakpoints). */
static int stop_target(struct gdb_stub *s, struct gdb_stop *stop)
{
	int rc;

	s->ops->interrupt(s->target);
	do
		rc = s->ops->run(s->target, stop);
	while (rc == -EINTR);	/* interrupted, the next run() stops at once */
	s->running = false;
	return rc;
}

/* Have the socket raise cfg.async_signal on this thread when something
 * arrives, so that a running target's run() returns for it. */
static int watch_socket(struct gdb_stub *s, int fd)
{
	struct f_owner_ex owner = { .type = F_OWNER_TID, .pid = gettid() };
	int flags;

	if (!s->cfg.async_signal)
		return 0;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETSIG, s->cfg.async_signal) < 0 ||
	    fcntl(fd, F_SETOWN_EX, &owner) < 0 || fcntl(fd, F_SETFL, flags | O_ASYNC) < 0)
		return -errno;
	return 0;
}

/*
 * A client that has hung up, with its last bytes (gdb's final '+') still
 * unread, is gone: serve those bytes and drop it, so that a newcomer seen in
 * the same poll() round is not refused as a second gdb.
 */
static void finish_departed_client(struct gdb_stub *s)
{
	struct pollfd pfd = { .fd = s->client_fd, .events = POLLRDHUP };

	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)))
		return;
	while (s->client_fd >= 0 && !s->ending)
		serve_client(s);
}

static void accept_client(struct gdb_stub *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	int err;

	if (fd < 0)
		return;
	if (s->client_fd >= 0)
		finish_departed_client(s);
	if (s->client_fd >= 0) {
		static const char msg[] = "gdbvm: another gdb is already connected\n";

		/* Not protocol, but a person trying it with nc sees why. */
		if (send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			/* nothing to do: the connection is refused either way */
		}
		close(fd);
		fprintf(stderr, "gdbvm: refused a second gdb connection while one is active\n");
		return;
	}
	err = watch_socket(s, fd);
	if (err) {
		fprintf(stderr, "gdbvm: refused a gdb connection: cannot watch it: %s\n",
			strerror(-err));
		close(fd);
		return;
	}
	gdb_server_attach(s, fd);
	s->client_async = s->cfg.async_signal != 0;
}

void gdb_server_attach(struct gdb_stub *s, int fd)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_SEC };
	int one = 1;

	if (!s->sink.write) {
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	s->client_fd = fd;
	s->sent_len = 0;	/* a '-' from this client must not resend the last one's reply */
	s->noack = false;
	s->thread_suffix = false;
	s->list_threads = false;
	s->exec_pending = false;
	gdb_parser_init(&s->parser);
	/* gdb expects a stopped target when it connects. */
	if (s->running) {
		struct gdb_stop stop;

		if (stop_target(s, &stop) == 0) {
			if (stop.kind == GDB_STOP_SIGNAL && stop.signal == GDB_SIGINT)
				stop.signal = GDB_SIGTRAP;
			s->last_stop = stop;
		}
	}
	s->arch = gdb_target_arch(s);	/* what gdb's first target.xml will say */
	if (s->ops->attached && !s->running)
		s->ops->attached(s->target);
}

/* The stop's message, as console output gdb prints ('O' + hex text). */
void gdb_send_stop_message(struct gdb_stub *s, const struct gdb_stop *stop)
{
	char line[GDB_STOP_MESSAGE_MAX + 1];
	size_t n = strnlen(stop->message, sizeof(stop->message) - 1);

	if (!n)
		return;
	memcpy(line, stop->message, n);
	line[n++] = '\n';
	s->reply[0] = 'O';
	hex_encode((const uint8_t *)line, n, s->reply + 1);
	s->reply_len = 1 + 2 * n;
	send_reply(s);
}

/* A stop collected from the target: report it, or end the session. */
static void process_stop(struct gdb_stub *s, struct gdb_stop stop)
{
	s->last_stop = stop;
	if (stop.kind == GDB_STOP_EXITED) {
		s->ending = true;
		s->end = GDB_END_EXITED;
		s->end_code = stop.exit_code;
	} else if (stop.fatal) {
		s->crash_code = stop.exit_code;	/* the status if the session ends now */
	}
	if (stop.kind != GDB_STOP_EXITED && s->client_fd < 0 && stop.fatal) {
		s->ending = true;
		s->end = GDB_END_CRASHED;
		s->end_code = stop.exit_code;
		return;
	}
	if (s->client_fd >= 0 && stop.kind != GDB_STOP_EXITED &&
	    gdb_target_arch(s) != s->arch) {
		/* The CPU changed mode since gdb read its description: say so
		 * first, and keep the stop for gdb's next resume (gdb resumes
		 * by itself after an exec; LLDB stops there and shows it). */
		s->arch = gdb_target_arch(s);
		s->exec_pending = !s->thread_suffix;
		s->exec_held = stop;
		if (!s->exec_pending)
			gdb_send_stop_message(s, &stop);
		gdb_format_exec(s);
		send_reply(s);
		return;
	}
	if (s->client_fd >= 0)
		gdb_send_stop_message(s, &stop);
	if (s->client_fd >= 0) {
		gdb_format_stop(s, &stop);
		send_reply(s);
	}
}

bool gdb_server_run_target(struct gdb_stub *s)
{
	struct gdb_stop stop;
	int rc = s->ops->run(s->target, &stop);

	if (rc == -EINTR)
		return false;
	s->running = false;
	/* Before the stop reply: gdb answers it at once, and its next packet
	 * needs no signal. */
	client_async(s, false);
	if (rc < 0) {
		s->ending = true;
		s->end = GDB_END_ERROR;
		return true;
	}
	process_stop(s, stop);
	return true;
}

static void handle_packet(struct gdb_stub *s)
{
	int rc;

	if (!s->noack && send_raw(s, "+", 1) < 0)
		return;
	if (s->running) {
		/* Only the interrupt byte is expected while the guest runs. */
		gdb_reply_str(s, "E10");
		send_reply(s);
		return;
	}
	rc = gdb_handle_packet(s, s->parser.data, s->parser.len);
	if (rc == GDB_REPLY_LATER || rc == GDB_REPLY_NONE)
		return;
	if (rc < 0) {
		s->reply_len = 0;
		gdb_reply_append(s, "E%02x", -rc & 0xff);
	}
	send_reply(s);
	if (rc == 0 && s->parser.len == 15 && memcmp(s->parser.data, "QStartNoAckMode", 15) == 0)
		s->noack = true;
	if (rc == 0 && s->parser.len >= 1 && s->parser.data[0] == 'D') {
		/* cmd_detach removed the breakpoints before resuming. */
		close_client(s);
	}
}

void gdb_server_input(struct gdb_stub *s, const uint8_t *buf, size_t n)
{
	if (!n) {
		drop_client(s);
		return;
	}
	for (size_t i = 0; i < n && s->client_fd >= 0 && !s->ending; i++) {
		size_t plain = gdb_parser_feed_data(&s->parser, buf + i, n - i);

		i += plain;	/* the bytes of a packet's data that complete nothing */
		if (i == n)
			break;
		switch (gdb_parser_feed(&s->parser, buf[i])) {
		case GDB_RX_PACKET:
			handle_packet(s);
			break;
		case GDB_RX_BAD_CHECKSUM:
			if (!s->noack)
				send_raw(s, "-", 1);
			break;
		case GDB_RX_TOO_LONG:
			if (!s->noack)
				send_raw(s, "+", 1);
			gdb_reply_str(s, "E16");
			send_reply(s);
			break;
		case GDB_RX_NACK:
			if (s->sent_len)
				send_raw(s, s->sent, s->sent_len);
			break;
		case GDB_RX_INTERRUPT:
			if (s->running)
				s->ops->interrupt(s->target);
			break;
		case GDB_RX_ACK:
		case GDB_RX_NONE:
			break;
		}
	}
}

static void serve_client(struct gdb_stub *s)
{
	/* Room for a whole PacketSize packet, escaped (each byte may take two)
	 * and framed, so a large X packet arrives in one recv, not two. */
	uint8_t buf[2 * GDB_PACKET_MAX + 8];
	ssize_t n = recv(s->client_fd, buf, sizeof(buf), 0);

	if (n < 0 && errno == EINTR)
		return;
	gdb_server_input(s, buf, n > 0 ? (size_t)n : 0);
}

/* The run ends on a signal: a gdb waiting for the target hears why. */
static void report_killed(struct gdb_stub *s)
{
	int sig = s->cfg.quit_signal ? s->cfg.quit_signal() : 0;

	if (s->client_fd < 0 || !s->running || sig <= 0)
		return;
	s->reply_len = 0;
	gdb_reply_append(s, "X%02x", sig & 0xff);
	send_reply(s);
}

/*
 * The client's signal is needed only while the target runs: while it is
 * stopped the loop waits in poll(), and a signal per packet would only cost
 * time.  It is switched on before the loop's last look at the socket and
 * the run, so no byte can arrive unseen in between.
 */
static void client_async(struct gdb_stub *s, bool on)
{
	if (s->client_fd < 0 || !s->cfg.async_signal || s->client_async == on)
		return;
	if (fcntl(s->client_fd, F_SETFL, on ? O_ASYNC : 0) < 0) {
		if (on) {	/* gdb could not interrupt the target */
			fprintf(stderr, "gdbvm: dropped the gdb connection: cannot watch it: %s\n",
				strerror(errno));
			drop_client(s);
		}
		return;	/* off: at worst, signals nobody needs */
	}
	s->client_async = on;
}

/* Did a signal ask the run to end?  Then gdb hears why. */
static bool quit_requested(struct gdb_stub *s)
{
	if (!s->cfg.should_quit || !s->cfg.should_quit())
		return false;
	s->end = GDB_END_SIGNALLED;
	report_killed(s);
	return true;
}

/*
 * Serve what the sockets have, waiting up to timeout ms for it (-1: as long
 * as it takes).  1 when something was served, 0 when nothing came,
 * -EINTR when a signal cut the wait short, else -errno.
 */
static int serve_sockets(struct gdb_stub *s, int timeout)
{
	struct pollfd pfd[2] = {
		{ .fd = s->listen_fd, .events = POLLIN },
		{ .fd = s->client_fd, .events = POLLIN },
	};
	int n = poll(pfd, 2, timeout);

	if (n <= 0)
		return n < 0 ? -errno : 0;
	/* The current client first: a disconnect and a new connection
	 * arriving together must not refuse the newcomer. */
	if (s->client_fd >= 0 && pfd[1].fd >= 0 && pfd[1].revents)
		serve_client(s);
	if (!s->ending && pfd[0].revents)
		accept_client(s);
	if (!s->ending && s->pending_stop) {
		s->pending_stop = false;
		process_stop(s, s->last_stop);
	}
	return 1;
}

enum gdb_end gdb_server_run(struct gdb_stub *s, int *code)
{
	int err = watch_socket(s, s->listen_fd);

	if (err) {
		fprintf(stderr, "gdbvm: cannot watch the gdb socket: %s\n", strerror(-err));
		return GDB_END_ERROR;
	}
	if (!s->cfg.start_stopped) {
		if (s->ops->resume(s->target, GDB_RESUME_CONTINUE) < 0)
			return GDB_END_ERROR;
		s->running = true;
	}
	while (!s->ending) {
		/*
		 * Stopped: wait for gdb.  Running: first take what the sockets
		 * already hold (a run learns of new bytes only through the
		 * signal their arrival raises), then run until the target
		 * stops or a signal comes.
		 */
		int rc;

		client_async(s, s->running);
		rc = serve_sockets(s, s->running ? 0 : -1);

		if (rc < 0 && rc != -EINTR)
			return GDB_END_ERROR;
		if (rc == -EINTR && quit_requested(s))
			break;
		if (rc != 0 || !s->running || s->ending)
			continue;
		gdb_server_run_target(s);
		/* A signal during a step is not seen as an interruption. */
		if (!s->ending && quit_requested(s))
			break;
	}
	if (s->running && s->end != GDB_END_EXITED) {
		struct gdb_stop ignored;

		stop_target(s, &ignored);
	}
	/* Ended by gdb (kill, quit) or a signal after the guest crashed: the
	 * crash is what the exit status should say. */
	*code = s->end == GDB_END_EXITED || s->end == GDB_END_CRASHED ? s->end_code
								     : s->crash_code;
	return s->end;
}
