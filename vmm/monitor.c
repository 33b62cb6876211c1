/*
 * monitor.c - the monitor commands (see monitor.h), found through a table.
 */
#include "monitor.h"
#include "monitor_views.h"
#include "cpu.h"
#include "location.h"
#include "vcpu.h"
#include "gdbstub.h"
#include "stop.h"
#include "options.h"
#include "parse.h"
#include "record.h"
#include "replay.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

struct mon_out {
	void (*out)(void *ctx, const char *text);
	void *ctx;
};

static void say(struct mon_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct mon_out *o, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->out(o->ctx, line);
}

static void segment(struct mon_out *o, const char *name, const struct kvm_segment *s)
{
	say(o, "%-4s sel=%04x base=%08llx limit=%08x type=%x s=%u dpl=%u p=%u db=%u l=%u g=%u%s\n",
	    name, s->selector, (unsigned long long)s->base, s->limit, s->type, s->s, s->dpl,
	    s->present, s->db, s->l, s->g, s->unusable ? " unusable" : "");
}

static int cmd_regs(struct machine *m, struct mon_out *o, const char *arg)
{
	struct kvm_sregs s;
	struct kvm_debugregs dr;
	struct kvm_regs r;
	int err = vcpu_get_location(m->kvm.vcpu_fd, &r, &s);

	(void)arg;
	if (err)
		return err;
	/* The instruction pointer in the width of the code running. */
	switch (guest_mode(&r, &s)) {
	case GUEST_LONG64:
		say(o, "rip %016llx", (unsigned long long)r.rip);
		break;
	case GUEST_PROT32:
	case GUEST_COMPAT:
		if (s.cs.db) {
			say(o, "cs:eip %04x:%08llx", s.cs.selector,
			    (unsigned long long)(r.rip & 0xffffffff));
			break;
		}
		__attribute__((fallthrough));	/* a 16-bit code segment */
	default:
		say(o, "cs:ip %04x:%04llx", s.cs.selector, (unsigned long long)(r.rip & 0xffff));
		break;
	}
	say(o, "  linear pc %08llx  flags %08llx\n",
	    (unsigned long long)cpu_linear_pc(&r, &s), (unsigned long long)r.rflags);
	segment(o, "cs", &s.cs);
	segment(o, "ds", &s.ds);
	segment(o, "es", &s.es);
	segment(o, "ss", &s.ss);
	segment(o, "fs", &s.fs);
	segment(o, "gs", &s.gs);
	segment(o, "tr", &s.tr);
	segment(o, "ldtr", &s.ldt);
	say(o, "gdtr base=%08llx limit=%04x   idtr base=%08llx limit=%04x\n",
	    (unsigned long long)s.gdt.base, s.gdt.limit, (unsigned long long)s.idt.base,
	    s.idt.limit);
	say(o, "cr0=%08llx cr2=%08llx cr3=%08llx cr4=%08llx cr8=%llx efer=%llx apic_base=%llx\n",
	    (unsigned long long)s.cr0, (unsigned long long)s.cr2, (unsigned long long)s.cr3,
	    (unsigned long long)s.cr4, (unsigned long long)s.cr8, (unsigned long long)s.efer,
	    (unsigned long long)s.apic_base);
	if (ioctl(m->kvm.vcpu_fd, KVM_GET_DEBUGREGS, &dr) == 0)
		say(o, "dr0=%08llx dr1=%08llx dr2=%08llx dr3=%08llx dr6=%08llx dr7=%08llx\n",
		    (unsigned long long)dr.db[0], (unsigned long long)dr.db[1],
		    (unsigned long long)dr.db[2], (unsigned long long)dr.db[3],
		    (unsigned long long)dr.dr6, (unsigned long long)dr.dr7);
	return 0;
}

static int cmd_exits(struct machine *m, struct mon_out *o, const char *arg)
{
	(void)arg;
	uint64_t total = 0;

	for (unsigned i = 0; i <= EXIT_REASON_MAX; i++) {
		if (!m->exit_counts[i])
			continue;
		total += m->exit_counts[i];
		say(o, "%-28s %llu\n", i < EXIT_REASON_MAX ? stop_exit_name(i) : "other",
		    (unsigned long long)m->exit_counts[i]);
	}
	say(o, "%-28s %llu\n", "total", (unsigned long long)total);
	return 0;
}

static const char *support_name(enum host_support s)
{
	return s == HOST_YES ? "yes" : s == HOST_NO ? "no" : "unknown (probe failed)";
}

static int cmd_host(struct machine *m, struct mon_out *o, const char *arg)
{
	(void)arg;
	static const struct { const char *name; int cap; } caps[] = {
		{ "KVM_CAP_SET_GUEST_DEBUG", KVM_CAP_SET_GUEST_DEBUG },
		{ "KVM_CAP_READONLY_MEM", KVM_CAP_READONLY_MEM },
		{ "KVM_CAP_IMMEDIATE_EXIT", KVM_CAP_IMMEDIATE_EXIT },
		{ "KVM_CAP_SYNC_REGS", KVM_CAP_SYNC_REGS },
		{ "KVM_CAP_COALESCED_PIO", KVM_CAP_COALESCED_PIO },
		{ "KVM_CAP_SET_TSS_ADDR", KVM_CAP_SET_TSS_ADDR },
	};
	struct debug_state *d = &m->debug;
	enum host_support exec = debug_host_hw_exec(d), data = debug_host_hw_data(d);
	enum host_support int3 = debug_host_int3(d);
	const char *user = exec == HOST_YES
		? (int3 == HOST_YES ? "a free debug register, else int3 (0xcc) planted in guest memory"
				    : "a free debug register, else refused")
		: (int3 == HOST_YES ? "int3 (0xcc) planted in guest memory"
				    : "refused: no debug-register breakpoints or int3 exits here");
	bool ro = ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		say(o, "%-26s %d\n", caps[i].name,
		    ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION, caps[i].cap));
	say(o, "debug-register exec breakpoints delivered: %s\n", support_name(exec));
	say(o, "debug-register data breakpoints delivered: %s\n", support_name(data));
	if (int3 == HOST_YES)
		say(o, "int3 delivered (KVM_GUESTDBG_USE_SW_BP): yes, pc %s the int3\n",
		    d->int3_pc_after ? "one past" : "at");
	else
		say(o, "int3 delivered (KVM_GUESTDBG_USE_SW_BP): %s\n", support_name(int3));
	say(o, "break  (Z0): HLT (0xf4) planted in guest memory; HLT exits reach the VMM on "
	       "every host%s\n", exec == HOST_YES ? "; debug registers hbreak and rwatch leave "
						    "free watch them too" : "");
	say(o, "break  (Z0) in a user-accessible page (code that may run at CPL 3, where HLT "
	       "faults): %s\n", user);
	say(o, "addresses: linear; with paging on, translated through the guest's page tables "
	       "(gdbvm's own walk) at insertion and again before each resume\n");
	say(o, "hbreak (Z1): %s\n", exec == HOST_YES ? "debug registers DR0-DR3"
		: "unavailable: this host does not deliver debug-register breakpoints");
	say(o, "watch  (Z2): %s\n", ro ? "read-only memory slot over the watched pages"
		: "unavailable: no KVM_CAP_READONLY_MEM");
	say(o, "rwatch/awatch (Z3/Z4): %s\n", data == HOST_YES ? "debug registers DR0-DR3"
		: "unavailable: this host does not deliver data breakpoints");
	return 0;
}

/* ---- the views of monitor_views.c, on the vCPU's state now ---- */

static void view_line(void *ctx, const char *text)
{
	struct mon_out *o = ctx;

	o->out(o->ctx, text);
}

static int vcpu_state(struct machine *m, struct kvm_regs *r, struct kvm_sregs *s)
{
	return vcpu_get_location(m->kvm.vcpu_fd, r, s);
}

enum view_kind { VIEW_MODE, VIEW_GDT, VIEW_IDT, VIEW_TAB, VIEW_TRANSLATE };

/* The views of monitor_views.c, each on the vCPU state of this stop. */
static int show_view(struct machine *m, struct mon_out *o, enum view_kind kind, const char *arg)
{
	struct view_out v = { view_line, o };
	struct kvm_regs r;
	struct kvm_sregs s;
	int err = vcpu_state(m, &r, &s);

	if (err)
		return err;
	switch (kind) {
	case VIEW_MODE:
		view_mode(&v, &r, &s);
		break;
	case VIEW_GDT:
		view_gdt(&v, &m->mem, &s);
		break;
	case VIEW_IDT:
		view_idt(&v, &m->mem, &r, &s);
		break;
	case VIEW_TAB:
		view_tab(&v, &m->mem, &s);
		break;
	case VIEW_TRANSLATE:
		if (view_translate(&v, &m->mem, &s, arg) < 0)
			say(o, "usage: monitor translate ADDR (a linear address, 0x for hex)\n");
		break;
	}
	return 0;
}

static int cmd_info_mode(struct machine *m, struct mon_out *o, const char *arg)
{
	return show_view(m, o, VIEW_MODE, arg);
}

static int cmd_info_gdt(struct machine *m, struct mon_out *o, const char *arg)
{
	return show_view(m, o, VIEW_GDT, arg);
}

static int cmd_info_idt(struct machine *m, struct mon_out *o, const char *arg)
{
	return show_view(m, o, VIEW_IDT, arg);
}

static int cmd_info_tab(struct machine *m, struct mon_out *o, const char *arg)
{
	return show_view(m, o, VIEW_TAB, arg);
}

static int cmd_translate(struct machine *m, struct mon_out *o, const char *arg)
{
	return show_view(m, o, VIEW_TRANSLATE, arg);
}

static void say_text(void *ctx, const char *text)
{
	struct mon_out *o = ctx;

	o->out(o->ctx, text);
}

static int cmd_irq(struct machine *m, struct mon_out *o, const char *arg)
{
	(void)arg;
	irq_describe(m, say_text, o);
	return 0;
}

static int cmd_irq_while_stepping(struct machine *m, struct mon_out *o, const char *arg)
{
	if (!strcmp(arg, "on") || !strcmp(arg, "off"))
		m->irq.while_stepping = !strcmp(arg, "on");
	else if (*arg)
		say(o, "usage: monitor irq-while-stepping [on|off]\n");
	say(o, "irq-while-stepping %s: %s\n", m->irq.while_stepping ? "on" : "off",
	    m->irq.while_stepping ? "a step may enter an interrupt handler"
				  : "steps are not interrupted; interrupts wait for continue");
	return 0;
}

/* A byte count the way people read it. */
static void human_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes < 1024)
		snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	else if (bytes < (1ULL << 20))
		snprintf(buf, len, "%.1f KiB", bytes / 1024.0);
	else if (bytes < (1ULL << 30))
		snprintf(buf, len, "%.1f MiB", bytes / 1048576.0);
	else
		snprintf(buf, len, "%.1f GiB", bytes / 1073741824.0);
}

static void record_status(struct machine *m, struct mon_out *o)
{
	struct history_stats st;
	char used[32], limit[32];

	if (!m->rec.on) {
		say(o, "record: off (monitor record on [LIMIT] turns it on, as --record does)\n");
		return;
	}
	record_stats(m, &st);
	human_size(used, sizeof(used), st.bytes);
	human_size(limit, sizeof(limit), st.budget);
	say(o, "record: on, limit %s\n", limit);
	say(o, "history: %llu steps (%llu to %llu), %s, %.1f bytes a step\n",
	    (unsigned long long)st.steps, (unsigned long long)st.first,
	    (unsigned long long)st.end, used, st.steps ? (double)st.bytes / st.steps : 0.0);
	if (st.pos == st.end)
		say(o, "position: step %llu, the end of the history (live)\n",
		    (unsigned long long)st.pos);
	else
		say(o, "position: step %llu, %llu before the end (replaying)\n",
		    (unsigned long long)st.pos, (unsigned long long)(st.end - st.pos));
	if (st.dropped)
		say(o, "dropped: the oldest %llu steps, to stay within the limit; the history "
		    "now begins at step %llu\n", (unsigned long long)st.dropped,
		    (unsigned long long)st.first);
	else
		say(o, "dropped: none\n");
}

/* monitor record [on [LIMIT] | off]: the recorder's state, or turn it on or off. */
static int cmd_record(struct machine *m, struct mon_out *o, const char *arg)
{
	char word[8] = "", size[64] = "", extra[2] = "";
	uint64_t limit = m->record_limit;
	char text[32];
	int n = sscanf(arg, "%7s %63s %1s", word, size, extra), err;

	if (n <= 0) {
		record_status(m, o);
		return 0;
	}
	if (n == 3 || (strcmp(word, "on") && strcmp(word, "off")) ||
	    (n == 2 && !strcmp(word, "off"))) {
		say(o, "usage: monitor record [on [LIMIT] | off]\n");
		return 0;
	}
	if (n == 2 && (parse_size(size, &limit) || limit < RECORD_LIMIT_MIN ||
		       limit > RECORD_LIMIT_MAX)) {
		say(o, "record: invalid limit '%s': a size from 64K to 1024G, with an optional "
		    "K, M or G suffix\n", size);
		return 0;
	}
	human_size(text, sizeof(text), limit);
	if (!strcmp(word, "off")) {
		if (!m->rec.on) {
			say(o, "record: already off\n");
			return 0;
		}
		if (replay_in_past(m)) {
			say(o, "record: off; the recorded steps after this one are dropped and "
			    "the guest goes on from here (devices are not rewound)\n");
			m->irq.halted = false;	/* a wait that belonged to the dropped future */
		}
		else
			say(o, "record: off; the history is dropped\n");
		record_stop(m);
		return 0;
	}
	if (m->rec.on) {
		if (n == 2) {
			history_set_budget(&m->rec.hist, limit);
			m->record_limit = limit;
			say(o, "record: limit now %s\n", text);
		} else {
			say(o, "record: already on\n");
		}
		return 0;
	}
	err = record_start(m, limit);
	if (err) {
		say(o, "record: cannot record: %s\n",
		    err == -EOPNOTSUPP ? "this KVM has no KVM_CAP_SYNC_REGS" : strerror(-err));
		return 0;
	}
	m->record_limit = limit;
	say(o, "record: on, limit %s; continue and step now run one recorded instruction at "
	    "a time\n", text);
	return 0;
}

static int cmd_help(struct machine *m, struct mon_out *o, const char *arg);

static const struct {
	const char *name;
	const char *help;
	int (*fn)(struct machine *m, struct mon_out *o, const char *arg);
	bool takes_arg;
} commands[] = {
	{ "help", "list the monitor commands", cmd_help, false },
	{ "regs", "special registers: hidden segment state, GDTR/IDTR, CR0-CR4, EFER, DR0-DR7",
	  cmd_regs, false },
	{ "exits", "VM exits so far, by reason", cmd_exits, false },
	{ "host", "the host's KVM features and how each breakpoint kind is implemented",
	  cmd_host, false },
	{ "info mode", "the CPU mode, the paging mode and the CPL", cmd_info_mode, false },
	{ "info gdt", "the descriptors in the GDT", cmd_info_gdt, false },
	{ "info idt", "the gates of the IDT (or the real-mode vector table)", cmd_info_idt, false },
	{ "info tab", "the page tables as mapped ranges: virtual -> physical, size, rights",
	  cmd_info_tab, false },
	{ "translate", "ADDR: a linear address through each level of the page walk",
	  cmd_translate, true },
	{ "irq", "the interrupt controllers, the interrupt sources and counters", cmd_irq, false },
	{ "irq-while-stepping", "[on|off]: whether a step may take an interrupt (default off)",
	  cmd_irq_while_stepping, true },
	{ "record", "[on [LIMIT] | off]: the execution history for reverse debugging",
	  cmd_record, true },
	{ "quit", "end the VM and gdbvm", NULL, false },
};

static int cmd_help(struct machine *m, struct mon_out *o, const char *arg)
{
	(void)m;
	(void)arg;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		say(o, "monitor %-9s %s\n", commands[i].name, commands[i].help);
	return 0;
}

int monitor_command(struct machine *m, const char *cmd,
		    void (*out)(void *ctx, const char *text), void *ctx)
{
	struct mon_out o = { out, ctx };
	size_t len;

	while (*cmd == ' ')
		cmd++;
	len = strlen(cmd);
	while (len && cmd[len - 1] == ' ')
		len--;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		size_t n = strlen(commands[i].name);
		char arg[64];
		const char *a = cmd + n;

		if (n > len || strncmp(commands[i].name, cmd, n) || (n < len && cmd[n] != ' '))
			continue;
		while (a < cmd + len && *a == ' ')
			a++;
		if ((a < cmd + len && !commands[i].takes_arg) || cmd + len - a >= (long)sizeof(arg))
			continue;	/* an argument where none belongs */
		memcpy(arg, a, (size_t)(cmd + len - a));
		arg[cmd + len - a] = '\0';
		if (!commands[i].fn)
			return GDB_MONITOR_QUIT;
		return commands[i].fn(m, &o, arg);
	}
	return -ENOENT;
}
