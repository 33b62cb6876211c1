/*
 * cmds.c - one handler per packet, found through a table.
 *
 * Each handler parses its arguments strictly (every byte comes from the
 * network), calls the target, and leaves its reply in s->reply.  Errors are
 * returned as -errno and turned into "Exx" in one place.
 */
#include "stub.h"
#include "hex.h"
#include "tdesc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define THREAD_ID 1	/* the one vCPU, as gdb's single thread */

void gdb_reply_str(struct gdb_stub *s, const char *text)
{
	s->reply_len = 0;
	gdb_reply_append(s, "%s", text);
}

void gdb_reply_append(struct gdb_stub *s, const char *fmt, ...)
{
	size_t room = sizeof(s->reply) - s->reply_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->reply + s->reply_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->reply_len += (size_t)n < room ? (size_t)n : room - 1;
}

static void reply_hex(struct gdb_stub *s, const uint8_t *buf, size_t len)
{
	hex_encode(buf, len, s->reply + s->reply_len);
	s->reply_len += 2 * len;
	s->reply[s->reply_len] = '\0';
}

/* A little-endian register as a big-endian hex number. */
static void reply_hex_be(struct gdb_stub *s, const uint8_t *le, unsigned size)
{
	while (size--)
		gdb_reply_append(s, "%02x", le[size]);
}

const struct gdb_arch *gdb_target_arch(struct gdb_stub *s)
{
	const struct gdb_arch *a = s->ops->arch ? s->ops->arch(s->target) : NULL;

	return a ? a : &gdb_arch_i8086;
}

/* The description gdb reads and the layout of its register packets. */
static const struct gdb_arch *served_arch(struct gdb_stub *s)
{
	if (!s->arch)
		s->arch = gdb_target_arch(s);
	return s->arch;
}

/* Parse "ADDR,LEN" ending at a terminator (':' or end); both hex. */
static int parse_addr_len(const char *p, const char *end, uint64_t *addr, uint64_t *len,
			  const char **after)
{
	const char *q;

	if (hex_parse_u64(p, end, addr, &q) || q >= end || *q != ',')
		return -EINVAL;
	if (hex_parse_u64(q + 1, end, len, &q))
		return -EINVAL;
	*after = q;
	return 0;
}

void gdb_format_stop(struct gdb_stub *s, const struct gdb_stop *stop)
{
	const struct gdb_arch *a = served_arch(s);
	const unsigned expedite[] = { a->pc, a->sp, a->fp };
	uint8_t regs[GDB_REGS_MAX];
	bool have_regs;

	s->reply_len = 0;
	if (stop->kind == GDB_STOP_EXITED) {
		gdb_reply_append(s, "W%02x", stop->exit_code & 0xff);
		return;
	}
	gdb_reply_append(s, "T%02x", stop->signal & 0xff);
	/* gdb takes this for "no more history" whatever the signal says. */
	if (stop->history == GDB_HISTORY_BEGIN)
		gdb_reply_append(s, "replaylog:begin;");
	else if (stop->history == GDB_HISTORY_END)
		gdb_reply_append(s, "replaylog:end;");
	switch (stop->kind) {
	case GDB_STOP_SWBREAK:
		gdb_reply_append(s, "swbreak:;");
		break;
	case GDB_STOP_HWBREAK:
		gdb_reply_append(s, "hwbreak:;");
		break;
	case GDB_STOP_WATCH:
		gdb_reply_append(s, "%s:%llx;", stop->watch_type == GDB_WP_READ ? "rwatch" :
				 stop->watch_type == GDB_WP_ACCESS ? "awatch" : "watch",
				 (unsigned long long)stop->watch_addr);
		break;
	default:
		break;
	}
	/* The registers gdb reads after every stop come with it: one round
	 * trip per stepi instead of several. */
	have_regs = s->ops->read_registers(s->target, a, regs) == 0;
	if (have_regs) {
		for (size_t i = 0; i < sizeof(expedite) / sizeof(expedite[0]); i++) {
			const struct gdb_reg *r = &a->regs[expedite[i]];

			gdb_reply_append(s, "%02x:", expedite[i]);
			reply_hex(s, regs + r->offset, r->size);
			gdb_reply_append(s, ";");
		}
	}
	gdb_reply_append(s, "thread:%x;", THREAD_ID);
	if (s->list_threads) {
		gdb_reply_append(s, "threads:%x;thread-pcs:", THREAD_ID);
		if (have_regs)
			reply_hex_be(s, regs + a->regs[a->pc].offset, a->regs[a->pc].size);
		gdb_reply_append(s, ";");
	}
}

/* The guest's file, when the target has one (an ELF guest). */
static const char *exec_file(struct gdb_stub *s)
{
	return s->ops->exec_file ? s->ops->exec_file(s->target) : NULL;
}

static void reply_hex_text(struct gdb_stub *s, const char *text)
{
	reply_hex(s, (const uint8_t *)text, strlen(text));
}

/*
 * gdb re-reads the target description on an exec stop and on nothing else;
 * LLDB reads qProcessInfo and the description again on reason:exec.  The
 * "program" is the guest's file when it has one, else the view's name,
 * which gdb prints ("executing new program: i386:x86-64").
 */
void gdb_format_exec(struct gdb_stub *s)
{
	const char *name = exec_file(s);

	s->reply_len = 0;
	gdb_reply_append(s, "T%02xexec:", GDB_SIGTRAP);
	reply_hex_text(s, name ? name : served_arch(s)->name);
	gdb_reply_append(s, ";reason:exec;thread:%x;", THREAD_ID);
}

static int cmd_stop_reason(struct gdb_stub *s, const char *args, size_t len)
{
	(void)args;
	(void)len;
	gdb_format_stop(s, &s->last_stop);
	return 0;
}

static int cmd_read_registers(struct gdb_stub *s, const char *args, size_t len)
{
	const struct gdb_arch *a = served_arch(s);
	uint8_t regs[GDB_REGS_MAX];
	int err;

	(void)args;
	if (len)
		return -EINVAL;
	err = s->ops->read_registers(s->target, a, regs);
	if (err)
		return err;
	s->reply_len = 0;
	reply_hex(s, regs, a->size);
	return 0;
}

static int cmd_write_registers(struct gdb_stub *s, const char *args, size_t len)
{
	const struct gdb_arch *a = served_arch(s);
	uint8_t regs[GDB_REGS_MAX];
	int err;

	if (hex_decode(args, len, regs, a->size))
		return -EINVAL;
	err = s->ops->write_registers(s->target, a, regs);
	if (!err)
		gdb_reply_str(s, "OK");
	return err;
}

static int cmd_read_register(struct gdb_stub *s, const char *args, size_t len)
{
	const struct gdb_arch *a = served_arch(s);
	uint8_t regs[GDB_REGS_MAX];
	const char *end;
	uint64_t n;
	int err;

	if (hex_parse_u64(args, args + len, &n, &end) || end != args + len)
		return -EINVAL;
	if (n >= a->num_regs)
		return -ENOENT;
	err = s->ops->read_registers(s->target, a, regs);
	if (err)
		return err;
	s->reply_len = 0;
	reply_hex(s, regs + a->regs[n].offset, a->regs[n].size);
	return 0;
}

static int cmd_write_register(struct gdb_stub *s, const char *args, size_t len)
{
	const struct gdb_arch *a = served_arch(s);
	uint8_t val[GDB_REG_SIZE_MAX];
	const char *eq;
	uint64_t n;
	int err;

	if (hex_parse_u64(args, args + len, &n, &eq) || eq >= args + len || *eq != '=')
		return -EINVAL;
	if (n >= a->num_regs)
		return -ENOENT;
	if (hex_decode(eq + 1, (size_t)(args + len - eq - 1), val, a->regs[n].size))
		return -EINVAL;
	err = s->ops->write_register(s->target, a, (unsigned)n, val);
	if (!err)
		gdb_reply_str(s, "OK");
	return err;
}

static int cmd_read_memory(struct gdb_stub *s, const char *args, size_t len)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	uint64_t addr, n;
	const char *end;
	int err;

	if (parse_addr_len(args, args + len, &addr, &n, &end) || end != args + len)
		return -EINVAL;
	if (n > sizeof(buf))
		n = sizeof(buf);	/* gdb asks again for the rest */
	if (addr + n < addr)
		return -EFAULT;
	err = s->ops->read_memory(s->target, addr, buf, (size_t)n);
	if (err < 0)
		return err;
	if (err > 0 && (uint64_t)err < n)
		n = (uint64_t)err;	/* a partial read: gdb takes the shorter reply */
	s->reply_len = 0;
	reply_hex(s, buf, (size_t)n);
	return 0;
}

static int cmd_write_memory_hex(struct gdb_stub *s, const char *args, size_t len)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	uint64_t addr, n;
	const char *colon;
	int err;

	if (parse_addr_len(args, args + len, &addr, &n, &colon) || colon >= args + len ||
	    *colon != ':')
		return -EINVAL;
	if (n > sizeof(buf))
		return -EINVAL;
	if (hex_decode(colon + 1, (size_t)(args + len - colon - 1), buf, (size_t)n))
		return -EINVAL;
	if (addr + n < addr)
		return -EFAULT;
	err = n ? s->ops->write_memory(s->target, addr, buf, (size_t)n) : 0;
	if (!err)
		gdb_reply_str(s, "OK");
	return err;
}

static int cmd_write_memory_binary(struct gdb_stub *s, const char *args, size_t len)
{
	uint64_t addr, n;
	const char *colon;
	int err;

	if (parse_addr_len(args, args + len, &addr, &n, &colon) || colon >= args + len ||
	    *colon != ':')
		return -EINVAL;
	if (n != (uint64_t)(args + len - colon - 1))
		return -EINVAL;
	if (addr + n < addr)
		return -EFAULT;
	err = n ? s->ops->write_memory(s->target, addr, (const uint8_t *)colon + 1, (size_t)n)
		: 0;
	if (!err)
		gdb_reply_str(s, "OK");
	return err;
}

/*
 * gdb's resume after an exec stop: answered at once with the stop that
 * found the switch, without running the target.  A step that switched
 * ends as a plain stop ("Program stopped."), because gdb resumes with a
 * continue and would call a SIGTRAP at no breakpoint a signal.
 */
static int answer_held_stop(struct gdb_stub *s)
{
	struct gdb_stop stop = s->exec_held;

	s->exec_pending = false;
	if (stop.kind == GDB_STOP_SIGNAL && stop.signal == GDB_SIGTRAP &&
	    s->last_resume == GDB_RESUME_STEP)
		stop.signal = 0;
	gdb_send_stop_message(s, &stop);
	if (s->client_fd < 0)
		return GDB_REPLY_NONE;
	gdb_format_stop(s, &stop);
	return 0;
}

static int resume(struct gdb_stub *s, enum gdb_resume_mode mode, const char *args, size_t len)
{
	int err;

	if (s->exec_pending)
		return answer_held_stop(s);
	if (len) {
		uint64_t addr;
		const char *end;

		if (hex_parse_u64(args, args + len, &addr, &end) || end != args + len)
			return -EINVAL;
		err = s->ops->set_pc(s->target, addr);
		if (err)
			return err;
	}
	err = s->ops->resume(s->target, mode);
	if (err)
		return err;
	s->last_resume = mode;
	s->running = true;
	return GDB_REPLY_LATER;
}

static int cmd_continue(struct gdb_stub *s, const char *args, size_t len)
{
	return resume(s, GDB_RESUME_CONTINUE, args, len);
}

static int cmd_step(struct gdb_stub *s, const char *args, size_t len)
{
	return resume(s, GDB_RESUME_STEP, args, len);
}

/*
 * "bs" / "bc": a step or a continue backwards.  Without the target's
 * reverse operation the packets are unknown (the empty reply), as gdb
 * expects when qSupported did not offer them.
 *
 * A target that cannot go back now (no recording) says why, and gdb hears
 * that line and then a stop where it is, at the start of the history
 * (there is none): gdb 13 prints the line, "No more reverse-execution
 * history." and the frame, and stays in step with the target.  An error
 * reply would do worse (measured): gdb prints "warning: Remote failure
 * reply: Exx", treats the target as having run and stopped with no signal
 * ("Program stopped."), as its remote code does for a resume it fears it
 * lost track of.  Not offering reverse execution at all leaves only gdb's
 * "Target remote does not support this command.", with no hint.
 */
static int reverse(struct gdb_stub *s, enum gdb_resume_mode mode, size_t len)
{
	struct gdb_stop why = { .kind = GDB_STOP_SIGNAL };
	int err;

	if (!s->ops->reverse) {
		s->reply_len = 0;
		return 0;
	}
	if (len)
		return -EINVAL;
	if (s->exec_pending)
		return answer_held_stop(s);
	err = s->ops->reverse(s->target, mode, why.message, sizeof(why.message));
	if (err) {
		why.message[sizeof(why.message) - 1] = '\0';
		if (!why.message[0])
			snprintf(why.message, sizeof(why.message), "cannot execute backwards: %s",
				 strerror(err < 0 ? -err : EIO));
		why.signal = GDB_SIGTRAP;
		why.history = GDB_HISTORY_BEGIN;
		gdb_send_stop_message(s, &why);
		if (s->client_fd < 0)
			return GDB_REPLY_NONE;
		gdb_format_stop(s, &why);
		return 0;
	}
	s->last_resume = mode;
	s->running = true;
	return GDB_REPLY_LATER;
}

static int cmd_reverse_step(struct gdb_stub *s, const char *args, size_t len)
{
	(void)args;
	return reverse(s, GDB_RESUME_STEP, len);
}

static int cmd_reverse_continue(struct gdb_stub *s, const char *args, size_t len)
{
	(void)args;
	return reverse(s, GDB_RESUME_CONTINUE, len);
}

/* "C sig[;addr]" / "S sig[;addr]": the signal is not delivered (a VM has
 * none to deliver); the rest is as c and s. */
static int resume_with_signal(struct gdb_stub *s, enum gdb_resume_mode mode, const char *args,
			      size_t len)
{
	const char *semi = memchr(args, ';', len);
	uint64_t sig;
	const char *end;

	if (hex_parse_u64(args, semi ? semi : args + len, &sig, &end) ||
	    end != (semi ? semi : args + len))
		return -EINVAL;
	if (!semi)
		return resume(s, mode, "", 0);
	return resume(s, mode, semi + 1, (size_t)(args + len - semi - 1));
}

static int cmd_continue_signal(struct gdb_stub *s, const char *args, size_t len)
{
	return resume_with_signal(s, GDB_RESUME_CONTINUE, args, len);
}

static int cmd_step_signal(struct gdb_stub *s, const char *args, size_t len)
{
	return resume_with_signal(s, GDB_RESUME_STEP, args, len);
}

/* Does a vCont thread-id (after ':') name our thread?  "-1", "1", "p1.1",
 * "p1.-1" and no id all do. */
static bool vcont_thread_matches(const char *p, const char *end)
{
	uint64_t id;
	const char *q;

	if (p == end)
		return true;
	if (*p == 'p') {
		const char *dot = memchr(p, '.', (size_t)(end - p));

		if (!dot)
			return true;
		p = dot + 1;
	}
	if (end - p == 2 && p[0] == '-' && p[1] == '1')
		return true;
	return hex_parse_u64(p, end, &id, &q) == 0 && q == end && id == THREAD_ID;
}

static int cmd_vcont(struct gdb_stub *s, const char *args, size_t len)
{
	const char *p = args, *end = args + len;

	if (len == 1 && args[0] == '?') {
		gdb_reply_str(s, "vCont;c;C;s;S");
		return 0;
	}
	/* ";action[:thread]" repeated; the first one for our thread wins. */
	while (p < end) {
		const char *next, *colon;
		char action;

		if (*p != ';' || p + 1 >= end)
			return -EINVAL;
		p++;
		next = memchr(p, ';', (size_t)(end - p));
		if (!next)
			next = end;
		action = *p;
		colon = memchr(p, ':', (size_t)(next - p));
		if ((action == 'C' || action == 'S') &&
		    ((colon ? colon : next) - p != 3 || hex_digit(p[1]) < 0 ||
		     hex_digit(p[2]) < 0))	/* "Cxx" */
			return -EINVAL;
		if ((action == 'c' || action == 's') && (colon ? colon : next) != p + 1)
			return -EINVAL;
		if (vcont_thread_matches(colon ? colon + 1 : next, next)) {
			switch (action) {
			case 'c':
			case 'C':
				return resume(s, GDB_RESUME_CONTINUE, "", 0);
			case 's':
			case 'S':
				return resume(s, GDB_RESUME_STEP, "", 0);
			default:
				return -EINVAL;
			}
		}
		p = next;
	}
	gdb_reply_str(s, "OK");	/* nothing for our thread: it stays stopped */
	return 0;
}

static int breakpoint(struct gdb_stub *s, const char *args, size_t len, bool insert)
{
	uint64_t type, addr, kind;
	const char *p;
	int err;

	if (hex_parse_u64(args, args + len, &type, &p) || p >= args + len || *p != ',' || type > 4)
		return -EINVAL;
	/* Target-side conditions (";X...") are not supported: ignore them
	 * after the kind, as gdb then evaluates the condition itself. */
	{
		const char *semi = memchr(p, ';', (size_t)(args + len - p));
		const char *stop = semi ? semi : args + len;

		if (parse_addr_len(p + 1, stop, &addr, &kind, &p) || p != stop)
			return -EINVAL;
	}
	if (kind == 0 || kind > 0x10000 || addr + kind < addr)
		return -EINVAL;
	err = insert ? s->ops->insert_breakpoint(s->target, (enum gdb_bp_type)type, addr, kind)
		     : s->ops->remove_breakpoint(s->target, (enum gdb_bp_type)type, addr, kind);
	/* -EOPNOTSUPP (the host cannot) goes back as an error like any other,
	 * so gdb says it cannot set this one, and keeps trying the packet for
	 * other kinds. */
	if (!err)
		gdb_reply_str(s, "OK");
	return err;
}

static int cmd_insert_bp(struct gdb_stub *s, const char *args, size_t len)
{
	return breakpoint(s, args, len, true);
}

static int cmd_remove_bp(struct gdb_stub *s, const char *args, size_t len)
{
	return breakpoint(s, args, len, false);
}

static int cmd_set_thread(struct gdb_stub *s, const char *args, size_t len)
{
	/* "Hg1", "Hc-1", "Hg0" (any thread): all mean our one thread. */
	if (len < 2 || (args[0] != 'g' && args[0] != 'c'))
		return -EINVAL;
	if (!(len == 2 && args[1] == '0') && !vcont_thread_matches(args + 1, args + len))
		return -ESRCH;
	gdb_reply_str(s, "OK");
	return 0;
}

static int cmd_thread_alive(struct gdb_stub *s, const char *args, size_t len)
{
	if (!vcont_thread_matches(args, args + len) || len == 0)
		return -ESRCH;
	gdb_reply_str(s, "OK");
	return 0;
}

static int cmd_kill(struct gdb_stub *s, const char *args, size_t len)
{
	(void)args;
	(void)len;
	s->ending = true;
	s->end = GDB_END_KILLED;
	/* gdb expects no reply to 'k'; LLDB (known by its thread suffix) waits
	 * for the exit: tell it the VM was killed (signal 9). */
	if (s->thread_suffix) {
		gdb_reply_str(s, "X09");
		return 0;
	}
	return GDB_REPLY_NONE;
}

static int cmd_detach(struct gdb_stub *s, const char *args, size_t len)
{
	int err;

	(void)args;
	(void)len;
	s->exec_pending = false;
	s->ops->remove_all_breakpoints(s->target);
	err = s->ops->resume(s->target, GDB_RESUME_CONTINUE);
	if (err)
		return err;
	s->running = true;
	gdb_reply_str(s, "OK");
	return 0;	/* server.c closes the connection after the reply */
}

static int cmd_supported(struct gdb_stub *s, const char *args, size_t len)
{
	(void)args;
	(void)len;
	s->reply_len = 0;
	gdb_reply_append(s, "PacketSize=%x;qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;"
			 "swbreak+;hwbreak+;vContSupported+", GDB_PACKET_MAX);
	if (exec_file(s))
		gdb_reply_append(s, ";qXfer:exec-file:read+");
	if (s->ops->reverse)
		gdb_reply_append(s, ";ReverseStep+;ReverseContinue+");
	return 0;
}

/* The one thread gdb sees, as qfThreadInfo and the stop replies name it.
 * gdb reads this list after every stop; one qXfer costs a round trip less
 * than qfThreadInfo plus qsThreadInfo. */
static const char threads_xml[] =
	"<?xml version=\"1.0\"?>\n<threads>\n<thread id=\"1\"/>\n</threads>\n";

static const char *threads_document(struct gdb_stub *s, size_t *len)
{
	(void)s;
	*len = sizeof(threads_xml) - 1;
	return threads_xml;
}

static const char *features_document(struct gdb_stub *s, size_t *len)
{
	return tdesc_xml(served_arch(s), len);
}

static const char *exec_file_document(struct gdb_stub *s, size_t *len)
{
	const char *path = exec_file(s);

	if (path)
		*len = strlen(path);
	return path;
}

/*
 * The objects qXfer can read: "OBJECT:read:ANNEX:" and the document (NULL:
 * none here).  exec-file's annex is a process id, or empty: there is one
 * process, whichever gdb names.
 */
static const struct {
	const char *prefix;
	bool any_annex;		/* prefix is "OBJECT:read:", any annex follows */
	const char *(*document)(struct gdb_stub *s, size_t *len);
} xfer_objects[] = {
	{ "features:read:target.xml:", false, features_document },
	{ "threads:read::", false, threads_document },
	{ "exec-file:read:", true, exec_file_document },
};

static int cmd_xfer(struct gdb_stub *s, const char *args, size_t len)
{
	const char *(*document)(struct gdb_stub *s, size_t *len) = NULL;
	uint64_t offset, want;
	const char *end, *doc;
	size_t plen = 0, doc_len = 0;

	for (size_t i = 0; i < sizeof(xfer_objects) / sizeof(xfer_objects[0]); i++) {
		plen = strlen(xfer_objects[i].prefix);
		if (len >= plen && memcmp(args, xfer_objects[i].prefix, plen) == 0) {
			document = xfer_objects[i].document;
			if (xfer_objects[i].any_annex) {
				const char *colon = memchr(args + plen, ':', len - plen);

				if (!colon)
					return -EINVAL;
				plen = (size_t)(colon + 1 - args);
			}
			break;
		}
	}
	if (!document) {
		s->reply_len = 0;	/* other objects and annexes: unsupported */
		return 0;
	}
	if (parse_addr_len(args + plen, args + len, &offset, &want, &end) || end != args + len)
		return -EINVAL;
	doc = document(s, &doc_len);
	if (!doc)
		return -ENOENT;
	if (offset > doc_len)
		return -EINVAL;
	if (want > doc_len - offset)
		want = doc_len - offset;
	if (want > GDB_PACKET_MAX - 1)
		want = GDB_PACKET_MAX - 1;
	s->reply_len = 0;
	gdb_reply_append(s, "%c", offset + want < doc_len ? 'm' : 'l');
	memcpy(s->reply + 1, doc + offset, (size_t)want);
	s->reply_len = 1 + (size_t)want;
	return 0;
}

/* Text of a monitor command per 'O' packet (hex doubles it). */
#define MONITOR_CHUNK 1024

/*
 * Monitor output goes out at once as console output, 'O' packets, ahead of
 * the command's "OK": gdb prints them as they come, and LLDB shows them as
 * text (it would show a reply of hex-encoded text as it came, in hex).
 */
static void monitor_output(void *ctx, const char *text)
{
	struct gdb_stub *s = ctx;
	char pkt[1 + 2 * MONITOR_CHUNK];

	for (size_t n = strlen(text), k; n; text += k, n -= k) {
		k = n < MONITOR_CHUNK ? n : MONITOR_CHUNK;
		pkt[0] = 'O';
		hex_encode((const uint8_t *)text, k, pkt + 1);
		if (gdb_send_packet(s, pkt, 1 + 2 * k) < 0)
			return;	/* the client is gone */
	}
}

static int cmd_monitor(struct gdb_stub *s, const char *args, size_t len)
{
	char cmd[256];
	int rc;

	if (len % 2 || len / 2 >= sizeof(cmd) || hex_decode(args, len, (uint8_t *)cmd, len / 2))
		return -EINVAL;
	cmd[len / 2] = '\0';
	if (memchr(cmd, '\0', len / 2))
		return -EINVAL;
	rc = s->ops->monitor(s->target, cmd, monitor_output, s);
	if (rc == -ENOENT) {
		monitor_output(s, "unknown monitor command; try \"monitor help\"\n");
		rc = 0;
	}
	if (rc == GDB_MONITOR_QUIT) {
		s->ending = true;
		s->end = GDB_END_QUIT;
		rc = 0;
	}
	if (rc < 0)
		return rc;
	gdb_reply_str(s, "OK");
	return 0;
}

static int cmd_no_ack(struct gdb_stub *s, const char *args, size_t len)
{
	(void)args;
	(void)len;
	gdb_reply_str(s, "OK");
	return 0;	/* server.c switches after sending this reply */
}

static int cmd_reply_text(struct gdb_stub *s, const char *text)
{
	gdb_reply_str(s, text);
	return 0;
}

static int cmd_attached(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	/* "1": gdb detaches on quit and the VM runs on; "0": gdb kills it. */
	return cmd_reply_text(s, s->cfg.kill_on_quit ? "0" : "1");
}

static int cmd_current_thread(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	return cmd_reply_text(s, "QC1");
}

static int cmd_first_thread(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	return cmd_reply_text(s, "m1");
}

static int cmd_next_thread(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	return cmd_reply_text(s, "l");
}

/* ---- LLDB's extensions ---- */

static int cmd_host_info(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	s->reply_len = 0;
	gdb_reply_append(s, "triple:");
	reply_hex_text(s, served_arch(s)->triple);
	gdb_reply_append(s, ";ptrsize:%u;endian:little;", served_arch(s)->ptrsize);
	return 0;
}

static int cmd_process_info(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	s->reply_len = 0;
	gdb_reply_append(s, "pid:1;ptrsize:%u;endian:little;triple:", served_arch(s)->ptrsize);
	reply_hex_text(s, served_arch(s)->triple);
	gdb_reply_append(s, ";");
	return 0;
}

/* "qRegisterInfoN": one register of the table, in LLDB's words. */
static int cmd_register_info(struct gdb_stub *s, const char *args, size_t len)
{
	const struct gdb_arch *a = served_arch(s);
	const struct gdb_reg *r;
	const char *end;
	uint64_t n;
	bool fp;

	if (hex_parse_u64(args, args + len, &n, &end) || end != args + len)
		return -EINVAL;
	if (n >= a->num_regs)
		return -ENOENT;	/* "E02": the end of the list */
	r = &a->regs[n];
	fp = r->size >= 10;
	s->reply_len = 0;
	gdb_reply_append(s, "name:%s;bitsize:%u;offset:%u;encoding:%s;format:%s;set:%s;",
			 r->name, r->size * 8, r->offset, fp ? "vector" : "uint",
			 fp ? "vector-uint8" : "hex",
			 strcmp(r->group, "float") == 0    ? "Floating Point Registers"
			 : strcmp(r->group, "vector") == 0 ? "SSE Registers"
			 : strcmp(r->group, "system") == 0 ? "System Registers"
							   : "General Purpose Registers");
	if (r->dwarf >= 0)
		gdb_reply_append(s, "ehframe:%d;dwarf:%d;", r->dwarf, r->dwarf);
	if (r->generic)
		gdb_reply_append(s, "generic:%s;", r->generic);
	return 0;
}

/* LLDB will not set a watchpoint without knowing there is room for one.
 * Write watchpoints use memory slots (32); read/access ones the four debug
 * registers, where the host delivers them. */
static int cmd_watchpoint_info(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	return cmd_reply_text(s, "num:32;");
}

static int cmd_thread_suffix(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	s->thread_suffix = true;
	return cmd_reply_text(s, "OK");
}

static int cmd_list_threads(struct gdb_stub *s, const char *a, size_t l)
{
	(void)a; (void)l;
	s->list_threads = true;
	return cmd_reply_text(s, "OK");
}

typedef int (*gdb_cmd_fn)(struct gdb_stub *s, const char *args, size_t len);

/*
 * The packet table.  A name matches when the packet starts with it; for
 * the q/Q/v packets, whose names are words, the name must be followed by
 * the end of the packet or by the separator given.
 */
static const struct {
	const char *name;
	char sep;	/* for word packets: the byte that follows the name; 0 = end */
	gdb_cmd_fn fn;
} cmd_table[] = {
	{ "qSupported", ':', cmd_supported },
	{ "qSupported", 0, cmd_supported },
	{ "qXfer", ':', cmd_xfer },
	{ "qAttached", ':', cmd_attached },
	{ "qAttached", 0, cmd_attached },
	{ "qC", 0, cmd_current_thread },
	{ "qfThreadInfo", 0, cmd_first_thread },
	{ "qsThreadInfo", 0, cmd_next_thread },
	{ "qRcmd", ',', cmd_monitor },
	{ "QStartNoAckMode", 0, cmd_no_ack },
	{ "qHostInfo", 0, cmd_host_info },
	{ "qProcessInfo", 0, cmd_process_info },
	{ "qRegisterInfo", 1, cmd_register_info },
	{ "QThreadSuffixSupported", 0, cmd_thread_suffix },
	{ "qWatchpointSupportInfo", ':', cmd_watchpoint_info },
	{ "qWatchpointSupportInfo", 0, cmd_watchpoint_info },
	{ "QListThreadsInStopReply", 0, cmd_list_threads },
	{ "vCont", ';', cmd_vcont },
	{ "vCont", '?', cmd_vcont },
	{ "?", 1, cmd_stop_reason },
	{ "g", 1, cmd_read_registers },
	{ "G", 1, cmd_write_registers },
	{ "p", 1, cmd_read_register },
	{ "P", 1, cmd_write_register },
	{ "m", 1, cmd_read_memory },
	{ "M", 1, cmd_write_memory_hex },
	{ "X", 1, cmd_write_memory_binary },
	{ "c", 1, cmd_continue },
	{ "s", 1, cmd_step },
	{ "C", 1, cmd_continue_signal },
	{ "S", 1, cmd_step_signal },
	{ "bs", 1, cmd_reverse_step },
	{ "bc", 1, cmd_reverse_continue },
	{ "Z", 1, cmd_insert_bp },
	{ "z", 1, cmd_remove_bp },
	{ "H", 1, cmd_set_thread },
	{ "T", 1, cmd_thread_alive },
	{ "k", 1, cmd_kill },
	{ "D", 1, cmd_detach },
};

/* Length of pkt without a trailing ";thread:ID;" (LLDB's thread suffix). */
static size_t strip_thread_suffix(const char *pkt, size_t len)
{
	static const char tag[] = ";thread:";
	const size_t tlen = sizeof(tag) - 1;

	if (len < tlen + 2 || pkt[len - 1] != ';')
		return len;
	for (size_t i = len - 1; i-- > 0;) {
		if (pkt[i] == ';')
			return i + tlen < len && memcmp(pkt + i, tag, tlen) == 0 ? i : len;
	}
	return len;
}

int gdb_handle_packet(struct gdb_stub *s, const char *pkt, size_t len)
{
	s->reply_len = 0;
	s->reply[0] = '\0';
	if (len == 0)
		return 0;
	if (s->thread_suffix && pkt[0] != 'v' && pkt[0] != 'q' && pkt[0] != 'X' && pkt[0] != 'M')
		len = strip_thread_suffix(pkt, len);
	for (size_t i = 0; i < sizeof(cmd_table) / sizeof(cmd_table[0]); i++) {
		const char *name = cmd_table[i].name;
		size_t n = strlen(name);
		size_t skip;

		if (len < n || memcmp(pkt, name, n) != 0)
			continue;
		if (cmd_table[i].sep == 1) {		/* one-letter packet */
			skip = n;
		} else if (cmd_table[i].sep == 0) {	/* whole packet */
			if (len != n)
				continue;
			skip = n;
		} else {				/* name, then separator */
			if (len == n || pkt[n] != cmd_table[i].sep)
				continue;
			skip = cmd_table[i].sep == '?' ? n : n + 1;
		}
		if (cmd_table[i].fn == cmd_vcont && cmd_table[i].sep == ';')
			skip = n;	/* vCont parses its own ';' */
		return cmd_table[i].fn(s, pkt + skip, len - skip);
	}
	return 0;	/* unknown packet: the empty reply */
}
