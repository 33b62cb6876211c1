/*
 * stub.h - the stub's private state, shared by the packet handlers
 * (cmds.c) and the connection loop (server.c).
 */
#ifndef GDBSTUB_STUB_H
#define GDBSTUB_STUB_H

#include "gdbstub.h"
#include "packet.h"

/* A handler's result when the reply comes later (resume: the stop reply). */
#define GDB_REPLY_LATER 1
/* A handler's result when the session must end without a reply. */
#define GDB_REPLY_NONE 2

/*
 * Where the connection's bytes go.  The server leaves it empty and sends on
 * client_fd; the fuzzer plugs in a memory sink (then client_fd is only a
 * marker that a client is attached, never a descriptor to close).
 * write() takes whole writes (an acknowledgement or a framed packet) and
 * returns 0, or -errno when the client is gone.
 */
struct gdb_sink {
	int (*write)(void *ctx, const char *buf, size_t len);
	void *ctx;
};

struct gdb_stub {
	struct gdb_server_config cfg;
	struct gdb_sink sink;	/* empty: client_fd is a socket */
	const struct gdb_target_ops *ops;
	void *target;
	int listen_fd;
	int client_fd;
	bool running;		/* resumed: run() until it stops */
	bool client_async;	/* the client socket raises async_signal */
	bool pending_stop;	/* last_stop arrived while dropping a client */
	bool noack;		/* QStartNoAckMode accepted */
	bool thread_suffix;	/* LLDB's QThreadSuffixSupported accepted */
	bool list_threads;	/* LLDB's QListThreadsInStopReply accepted */
	bool ending;		/* the loop ends after this packet */
	enum gdb_end end;
	int end_code;
	int crash_code;		/* exit status of the last fatal stop, or 0 */
	struct gdb_stop last_stop;
	/* The description gdb last read (g/G/p/P use its layout), set when a
	 * client attaches and when a switch is reported. */
	const struct gdb_arch *arch;
	/* A switch was reported as an exec stop: the stop that found it is
	 * held, and answers gdb's next resume without running the target. */
	bool exec_pending;
	struct gdb_stop exec_held;
	enum gdb_resume_mode last_resume;	/* what the last resume asked */
	struct gdb_parser parser;
	char reply[GDB_PACKET_MAX + 1];	/* payload being built */
	size_t reply_len;
	char sent[2 * GDB_PACKET_MAX + 8];	/* last framed packet, for '-' */
	size_t sent_len;
};

/*
 * The steps of gdb_server_run's loop, callable without its sockets (the
 * fuzzer, tests/fuzz/, drives a stub with them):
 *   gdb_server_attach      fd is a newly connected client (with a sink:
 *                          any number >= 0); a running target is stopped
 *                          for it
 *   gdb_server_input       n bytes came from the client; n == 0: it hung up
 *   gdb_server_run_target  run the resumed target once: a stop is collected
 *                          and reported; false when run() returned -EINTR
 */
void gdb_server_attach(struct gdb_stub *s, int fd);
void gdb_server_input(struct gdb_stub *s, const uint8_t *buf, size_t n);
bool gdb_server_run_target(struct gdb_stub *s);

/* Frame payload and send it to the client now (a '-' resends it): for
 * packets ahead of a reply, such as monitor output's 'O' packets.  0, or
 * -EPIPE when the client is gone (then it has been dropped). */
int gdb_send_packet(struct gdb_stub *s, const char *payload, size_t len);

/* Handle one packet; fills s->reply.  0, GDB_REPLY_LATER, GDB_REPLY_NONE
 * or -errno (sent as an error reply). */
int gdb_handle_packet(struct gdb_stub *s, const char *pkt, size_t len);

/* Build the stop reply for stop into s->reply. */
void gdb_format_stop(struct gdb_stub *s, const struct gdb_stop *stop);

/* The view of the target's CPU now (gdb_arch_i8086 for a target that has
 * only the one). */
const struct gdb_arch *gdb_target_arch(struct gdb_stub *s);

/* Build the exec stop reply that reports a switch to s->arch. */
void gdb_format_exec(struct gdb_stub *s);

/* Send the stop's message, when it has one, as console output. */
void gdb_send_stop_message(struct gdb_stub *s, const struct gdb_stop *stop);

/* Reply helpers. */
void gdb_reply_str(struct gdb_stub *s, const char *text);
void gdb_reply_append(struct gdb_stub *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
