/*
 * monitor.c - the monitor commands (see monitor.h), found through a table.
 */
#include "monitor.h"
#include "gdbstub.h"
#include "stop.h"

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

static int cmd_regs(struct machine *m, struct mon_out *o)
{
	struct kvm_sregs s;
	struct kvm_debugregs dr;
	struct kvm_regs r;

	if (ioctl(m->kvm.vcpu_fd, KVM_GET_SREGS, &s) < 0 ||
	    ioctl(m->kvm.vcpu_fd, KVM_GET_REGS, &r) < 0)
		return -errno;
	say(o, "cs:ip %04x:%04llx  linear pc %08llx  flags %08llx\n", s.cs.selector,
	    (unsigned long long)(r.rip & 0xffff), (unsigned long long)(s.cs.base + r.rip),
	    (unsigned long long)r.rflags);
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

static int cmd_exits(struct machine *m, struct mon_out *o)
{
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

static int cmd_host(struct machine *m, struct mon_out *o)
{
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
	bool ro = ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		say(o, "%-26s %d\n", caps[i].name,
		    ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION, caps[i].cap));
	say(o, "debug-register exec breakpoints delivered: %s\n", support_name(exec));
	say(o, "debug-register data breakpoints delivered: %s\n", support_name(data));
	say(o, "break  (Z0): HLT (0xf4) planted in guest memory; HLT exits reach the VMM on "
	       "every host%s\n", exec == HOST_YES ? "; debug registers hbreak and rwatch leave "
						    "free watch them too" : "");
	say(o, "hbreak (Z1): %s\n", exec == HOST_YES ? "debug registers DR0-DR3"
		: "unavailable: this host does not deliver debug-register breakpoints");
	say(o, "watch  (Z2): %s\n", ro ? "read-only memory slot over the watched pages"
		: "unavailable: no KVM_CAP_READONLY_MEM");
	say(o, "rwatch/awatch (Z3/Z4): %s\n", data == HOST_YES ? "debug registers DR0-DR3"
		: "unavailable: this host does not deliver data breakpoints");
	return 0;
}

static int cmd_help(struct machine *m, struct mon_out *o);

static const struct {
	const char *name;
	const char *help;
	int (*fn)(struct machine *m, struct mon_out *o);
} commands[] = {
	{ "help", "list the monitor commands", cmd_help },
	{ "regs", "special registers: hidden segment state, GDTR/IDTR, CR0-CR4, EFER, DR0-DR7",
	  cmd_regs },
	{ "exits", "VM exits so far, by reason", cmd_exits },
	{ "host", "the host's KVM features and how each breakpoint kind is implemented",
	  cmd_host },
	{ "quit", "end the VM and gdbvm", NULL },
};

static int cmd_help(struct machine *m, struct mon_out *o)
{
	(void)m;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		say(o, "monitor %-6s %s\n", commands[i].name, commands[i].help);
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
		if (strlen(commands[i].name) != len || strncmp(commands[i].name, cmd, len))
			continue;
		if (!commands[i].fn)
			return GDB_MONITOR_QUIT;
		return commands[i].fn(m, &o);
	}
	return -ENOENT;
}
