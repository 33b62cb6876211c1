/*
 * irq.c - device interrupts into the vCPU (see irq.h).  The sources are a
 * table: each brings its IRQ line up to date from its device's state,
 * says when its next event is due (host monotonic time) and whether it can
 * ever raise its line again.
 */
#include "irq.h"
#include "step_irq.h"
#include "machine.h"
#include "cpu.h"
#include "signals.h"
#include "stop.h"
#include "vcpu.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>

#define FLAGS_IF 0x200
#define IRQ_PIT 0
#define IRQ_KBD 1
#define IRQ_RTC 8

struct irq_source {
	const char *name;
	unsigned irq;
	void (*sync)(struct machine *m);
	uint64_t (*next_event)(struct machine *m);	/* UINT64_MAX: none */
	bool (*can_fire)(struct machine *m);
};

/* ---- the PIT, channel 0: one rising edge of IRQ 0 per edge of OUT ---- */

static void pit_pulse(struct irq_state *q)
{
	pic_set_irq(&q->pic, IRQ_PIT, false);
	pic_set_irq(&q->pic, IRQ_PIT, true);
}

static void pit_sync(struct machine *m)
{
	struct irq_state *q = &m->irq;
	uint64_t edges = pit_edges(&m->pit, 0), missed;

	/* A new edge latches IRQ 0's request (masked or not, as on a PC).
	 * Edges gdbvm saw late, while the request was still latched (its
	 * thread was not running, or the guest's handler had the last one),
	 * are owed to an unmasked IRQ 0, up to IRQ_PIT_OWED_MAX, and handed
	 * over one at a time as soon as the PIC can latch a new request: a
	 * guest that counts ticks keeps time.  A masked IRQ 0 is owed
	 * nothing. */
	if (edges != q->pit_edges_seen) {
		missed = edges - q->pit_edges_seen;
		q->pit_edges_seen = edges;
		if (!pic_irq_requested(&q->pic, IRQ_PIT)) {
			pit_pulse(q);
			missed--;
		}
		if (missed && !pic_irq_masked(&q->pic, IRQ_PIT))
			q->pit_owed = missed > IRQ_PIT_OWED_MAX - q->pit_owed ? IRQ_PIT_OWED_MAX
									   : q->pit_owed + (unsigned)missed;
	} else if (q->pit_owed && !pic_irq_requested(&q->pic, IRQ_PIT)) {
		q->pit_owed--;
		pit_pulse(q);
	}
}

static uint64_t pit_next_event(struct machine *m)
{
	uint64_t edge = pit_next_edge_ns(&m->pit, 0);

	return edge == UINT64_MAX ? UINT64_MAX : guest_clock_host_at(&m->clock, edge);
}

static bool pit_can_fire(struct machine *m)
{
	return m->irq.pit_owed || pit_next_edge_ns(&m->pit, 0) != UINT64_MAX;
}

/* ---- the RTC: IRQ 8 high while status C says an enabled flag is set ---- */

#define RTC_IRQ_ENABLES (CMOS_B_PIE | CMOS_B_AIE | CMOS_B_UIE)

static bool rtc_can_fire(struct machine *m)
{
	return m->cmos.ram[CMOS_STATUS_B] & RTC_IRQ_ENABLES;
}

static void rtc_sync(struct machine *m)
{
	bool line = false;

	if (rtc_can_fire(m) || (m->cmos.ram[CMOS_STATUS_C] & CMOS_C_IRQF))
		line = cmos_irq_line(&m->cmos);
	pic_set_irq(&m->irq.pic, IRQ_RTC, line);
}

static uint64_t rtc_next_event(struct machine *m)
{
	int64_t in = cmos_next_irq_in_ns(&m->cmos);

	return in < 0 ? UINT64_MAX : guest_clock_host_ns(NULL) + (uint64_t)in;
}

/* ---- the keyboard: stdin typed into the 8042, which pulses IRQ 1 itself
 * (its irq_line) for each byte it puts in its output buffer ---- */

/* stdin is looked at (a poll) at most this often from the run loop; the
 * guest's own keyboard reads and the HLT wait look at once. */
#define KBD_PUMP_PERIOD_NS 1000000u

static void kbd_sync(struct machine *m)
{
	uint64_t now;

	i8042_tick(&m->kbd);
	if (!m->kbd_in.claimed)
		return;
	kbd_input_type(&m->kbd_in);	/* keys already read, as room comes */
	now = guest_clock_host_ns(NULL);
	if (now - m->irq.kbd_pumped_at < KBD_PUMP_PERIOD_NS && kbd_input_timeout_ms(&m->kbd_in) != 0)
		return;
	m->irq.kbd_pumped_at = now;
	kbd_input_pump(&m->kbd_in);
}

static uint64_t kbd_next_event(struct machine *m)
{
	int ms = kbd_input_timeout_ms(&m->kbd_in);	/* a lone ESC becoming Esc */

	return ms < 0 ? UINT64_MAX : guest_clock_host_ns(NULL) + (uint64_t)ms * 1000000u;
}

static bool kbd_can_fire(struct machine *m)
{
	return (m->kbd.command_byte & I8042_CB_KBD_INT) &&
	       (kbd_input_can_come(&m->kbd_in) || i8042_busy(&m->kbd));
}

static const struct irq_source sources[] = {
	{ "pit", IRQ_PIT, pit_sync, pit_next_event, pit_can_fire },
	{ "kbd", IRQ_KBD, kbd_sync, kbd_next_event, kbd_can_fire },
	{ "rtc", IRQ_RTC, rtc_sync, rtc_next_event, rtc_can_fire },
};

#define NSOURCES (sizeof(sources) / sizeof(sources[0]))

static void sync_sources(struct machine *m)
{
	for (size_t i = 0; i < NSOURCES; i++)
		sources[i].sync(m);
}

/* The earliest event of a source whose interrupt would get through. */
static uint64_t next_event(struct machine *m)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < NSOURCES; i++) {
		if (pic_irq_open(&m->irq.pic, sources[i].irq)) {
			uint64_t t = sources[i].next_event(m);

			if (t < next)
				next = t;
		}
	}
	return next;
}

/* Can anything ever interrupt the guest? */
static bool can_wake(struct machine *m)
{
	if (pic_pending(&m->irq.pic) >= 0)
		return true;
	for (size_t i = 0; i < NSOURCES; i++)
		if (pic_irq_open(&m->irq.pic, sources[i].irq) && sources[i].can_fire(m))
			return true;
	return false;
}

void irq_init(struct machine *m, bool like_bios)
{
	m->irq = (struct irq_state){ 0 };
	pic_init(&m->irq.pic);
	/* IRQ 0 (timer), 1 (keyboard) and 2 (the slave) open, the slave's
	 * inputs masked: what a PC BIOS leaves for the boot sector. */
	if (like_bios)
		pic_init_like_bios(&m->irq.pic, 0x0007);
}

int irq_register(struct machine *m)
{
	int err = pio_register(&m->pio, "pic-master", PIC_MASTER_PORT, PIC_NPORTS, pic_master_pio,
			       &m->irq.pic);

	if (!err)
		err = pio_register(&m->pio, "pic-slave", PIC_SLAVE_PORT, PIC_NPORTS, pic_slave_pio,
				   &m->irq.pic);
	return err;
}

bool irq_blocked_by_stepping(const struct machine *m)
{
	return m->debugging && m->debug.single_step && !m->irq.while_stepping;
}

/* Arm the wake-up timer for the next device event (devices false: only
 * for --display's next frame). */
static void arm_wakeup(struct machine *m, bool devices)
{
	uint64_t next = devices ? next_event(m) : UINT64_MAX, now;

	if (display_next_ns(m->display) < next)	/* --display's next frame */
		next = display_next_ns(m->display);
	if (next == UINT64_MAX)
		return;
	now = guest_clock_host_ns(NULL);
	/* A timer set for earlier than next, still to fire, will do: it
	 * fires early and the next run arms it again. */
	if (m->irq.armed_at > now && m->irq.armed_at <= next)
		return;
	if (next <= now)
		next = now + 1;
	if (signals_arm_wakeup(next) == 0)
		m->irq.armed_at = next;
}

int irq_before_run(struct machine *m)
{
	struct kvm_run *run = m->kvm.run;
	struct kvm_interrupt irq;

	run->request_interrupt_window = 0;
	/* A step takes no interrupt: the sources are brought up to date at
	 * the next run that can (a step costs no clock read or poll). */
	if (irq_blocked_by_stepping(m) && !m->irq.wake)
		return 0;
	sync_sources(m);
	if (pic_pending(&m->irq.pic) >= 0) {
		if (run->ready_for_interrupt_injection && run->if_flag) {
			irq.irq = pic_acknowledge(&m->irq.pic);
			if (ioctl(m->kvm.vcpu_fd, KVM_INTERRUPT, &irq) < 0)
				return -errno;
			m->irq.injected++;
			m->irq.last_vector = (uint8_t)irq.irq;
			m->irq.wake = false;
			if (m->debugging && m->debug.single_step)
				step_irq_arm(m, (uint8_t)irq.irq);
		}
		/* Another request (or this one, not yet taken): exit as soon
		 * as the guest can take it. */
		run->request_interrupt_window = pic_pending(&m->irq.pic) >= 0;
	}
	/* With a request waiting for its window the vCPU exits as soon as it
	 * can take it; a device wake-up then would only kick it out of
	 * KVM_RUN again and again before it runs an instruction (a PIT period
	 * shorter than an entry: tests/e2e/test_irq.sh, pit_fast).  The
	 * display's frames still come. */
	arm_wakeup(m, !run->request_interrupt_window);
	return 0;
}

/* The guest's linear pc now, or UINT64_MAX. */
static uint64_t linear_pc(struct machine *m, bool *if_set)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) < 0)
		return UINT64_MAX;
	*if_set = regs.rflags & FLAGS_IF;
	return cpu_linear_pc(&regs, &sregs);
}

/* Wait in the host until an interrupt is ready, nothing can come, or a
 * signal or gdb needs the vCPU stopped. */
static bool wait_halted(struct machine *m, struct stop *stop)
{
	sigset_t old;
	bool blocked = signals_block(&old) == 0;
	bool ends = true;

	m->irq.waits++;
	/* Waiting for interrupts with the keyboard's open: it is waiting for
	 * keys too, and stdin is the keyboard's from now on. */
	if (pic_irq_open(&m->irq.pic, IRQ_KBD))
		kbd_input_claim(&m->kbd_in);
	for (;;) {
		struct pollfd key = { .fd = kbd_input_poll_fd(&m->kbd_in), .events = POLLIN };
		uint64_t next, now;
		struct timespec ts;
		bool if_set;

		sync_sources(m);
		if (pic_pending(&m->irq.pic) >= 0) {
			ends = false;
			break;
		}
		if (!can_wake(m)) {
			stop->kind = STOP_HALT;
			break;
		}
		if (m->display)
			display_refresh(m->display, display_now_ns());
		if (signals_stop_pending() || m->interrupt_requested ||
		    display_quit_requested(m->display)) {
			m->irq.halted_pc = linear_pc(m, &if_set);
			m->irq.halted = m->irq.halted_pc != UINT64_MAX;
			stop->kind = STOP_INTERRUPTED;
			break;
		}
		next = next_event(m);
		if (display_next_ns(m->display) < next)
			next = display_next_ns(m->display);
		now = guest_clock_host_ns(NULL);
		if (next != UINT64_MAX) {
			uint64_t in = next > now ? next - now : 0;

			ts.tv_sec = (time_t)(in / 1000000000u);
			ts.tv_nsec = (long)(in % 1000000000u);
		}
		/* Signals are blocked from the checks above until ppoll waits:
		 * one that comes in between ends the wait at once. */
		if (ppoll(key.fd >= 0 ? &key : NULL, key.fd >= 0, next == UINT64_MAX ? NULL : &ts,
			  blocked ? &old : NULL) < 0 &&
		    errno != EINTR)
			poll(NULL, 0, 1);	/* cannot happen; never spin */
		if (key.fd >= 0 && (key.revents & (POLLIN | POLLHUP))) {
			m->irq.kbd_pumped_at = guest_clock_host_ns(NULL);
			kbd_input_pump(&m->kbd_in);	/* a key: at once */
		}
		signals_take_wakeup();
		m->irq.armed_at = 0;
	}
	if (blocked)
		signals_restore(&old);
	return ends;
}

bool irq_hlt(struct machine *m, struct stop *stop)
{
	bool if_set;

	if (!m->kvm.run->if_flag || !can_wake(m)) {
		stop->kind = STOP_HALT;
		return true;
	}
	if (irq_blocked_by_stepping(m)) {
		/* The step is the HLT: it ends with the guest waiting. */
		m->irq.halted_pc = linear_pc(m, &if_set);
		m->irq.halted = m->irq.halted_pc != UINT64_MAX;
		stop->kind = STOP_STEP_DONE;
		return true;
	}
	return wait_halted(m, stop);
}

bool irq_resume_halted(struct machine *m, struct stop *stop)
{
	bool if_set = false;
	uint64_t pc;

	if (!m->irq.halted)
		return false;
	m->irq.halted = false;
	pc = linear_pc(m, &if_set);
	if (pc != m->irq.halted_pc || !if_set)
		return false;	/* gdb moved the guest on: it no longer waits */
	if (wait_halted(m, stop))
		return true;
	/* The interrupt that ends the wait is taken even by a step: it is
	 * the only way on from a HLT. */
	m->irq.wake = true;
	return false;
}

static void describe_chip(const struct pic_chip *c, const char *name, char *buf, size_t size)
{
	if (!c->initialised) {
		snprintf(buf, size, "pic %-6s not initialised (every input masked)\n", name);
		return;
	}
	snprintf(buf, size,
		 "pic %-6s vectors 0x%02x-0x%02x, irr 0x%02x, isr 0x%02x, imr 0x%02x, %s%s%s%s\n",
		 name, c->vector_base, c->vector_base + 7, c->irr, c->isr, c->imr,
		 c->level ? "level" : "edge", c->auto_eoi ? ", auto EOI" : "",
		 c->special_mask ? ", special mask" : "",
		 c->init_step ? ", initialisation unfinished" : "");
}

void irq_describe(struct machine *m, void (*line)(void *ctx, const char *text), void *ctx)
{
	char buf[160];
	describe_chip(&m->irq.pic.chip[0], "master", buf, sizeof(buf));
	line(ctx, buf);
	describe_chip(&m->irq.pic.chip[1], "slave", buf, sizeof(buf));
	line(ctx, buf);
	for (size_t i = 0; i < NSOURCES; i++) {
		const struct irq_source *s = &sources[i];

		snprintf(buf, sizeof(buf), "irq %-2u %-4s %s, %s\n", s->irq, s->name,
			 pic_irq_open(&m->irq.pic, s->irq) ? "open" : "masked or held back",
			 s->can_fire(m) ? "armed (its device will raise it)" : "its device is idle");
		line(ctx, buf);
	}
	snprintf(buf, sizeof(buf),
		 "interrupts injected %llu, interrupt-window exits %llu, HLT waits %llu\n",
		 (unsigned long long)m->irq.injected, (unsigned long long)m->irq.windows,
		 (unsigned long long)m->irq.waits);
	line(ctx, buf);
	snprintf(buf, sizeof(buf), "irq-while-stepping %s%s\n", m->irq.while_stepping ? "on" : "off",
		 m->irq.halted ? "; the guest waits in HLT" : "");
	line(ctx, buf);
}

bool irq_step_hlt(struct machine *m, struct kvm_regs *regs, const struct kvm_sregs *sregs,
		  int *err)
{
	*err = 0;
	sync_sources(m);
	if (!(regs->rflags & FLAGS_IF) || !can_wake(m))
		return false;
	regs->rip += 1;
	*err = vcpu_set_regs(m->kvm.vcpu_fd, regs);
	if (*err)
		return true;
	m->irq.halted_pc = cpu_linear_pc(regs, sregs);
	m->irq.halted = true;
	return true;
}

int irq_step_vector(struct machine *m, const struct kvm_regs *regs,
		    const struct kvm_sregs *sregs, struct stop *stop)
{
	bool if_set = regs->rflags & FLAGS_IF;
	bool waiting = m->irq.halted && if_set && cpu_linear_pc(regs, sregs) == m->irq.halted_pc;

	m->irq.halted = false;
	if (waiting) {
		if (wait_halted(m, stop))
			return IRQ_STEP_STOPPED;
	} else {
		if (!m->irq.while_stepping || !if_set)
			return IRQ_STEP_NONE;
		sync_sources(m);
		if (pic_pending(&m->irq.pic) < 0)
			return IRQ_STEP_NONE;
	}
	m->irq.injected++;
	m->irq.last_vector = pic_acknowledge(&m->irq.pic);
	return m->irq.last_vector;
}
