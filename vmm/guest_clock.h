/*
 * guest_clock.h - guest time: a nanosecond clock that runs while the guest
 * runs and stands still while gdb holds it stopped (from a stop reply to
 * the next resume), shared by the devices that count time (the PIT now,
 * later the interrupt sources).  The host clock is injectable for tests.
 */
#ifndef GDBVM_GUEST_CLOCK_H
#define GDBVM_GUEST_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Host time in nanoseconds, monotonic. */
typedef uint64_t (*guest_clock_source)(void *ctx);

struct guest_clock {
	guest_clock_source source;
	void *ctx;
	uint64_t base_ns;	/* guest time accumulated before the current run */
	uint64_t started_ns;	/* host time when the current run began */
	bool running;
};

/* The host's CLOCK_MONOTONIC (the default source). */
uint64_t guest_clock_host_ns(void *ctx);

/* Starts at guest time 0, running; source NULL means the host's clock. */
void guest_clock_init(struct guest_clock *c, guest_clock_source source, void *ctx);

/* Guest nanoseconds so far. */
uint64_t guest_clock_now(const struct guest_clock *c);

/* The host time (the source's) at which guest time reaches guest_ns,
 * given the clock keeps running: now if that is past, UINT64_MAX while
 * the clock stands still. */
uint64_t guest_clock_host_at(const struct guest_clock *c, uint64_t guest_ns);

/* Stop and restart guest time (both idempotent): gdb holds the guest. */
void guest_clock_pause(struct guest_clock *c);
void guest_clock_resume(struct guest_clock *c);

#endif
