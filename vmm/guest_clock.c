/*
 * guest_clock.c - guest time that stops while gdb holds the guest (see
 * guest_clock.h).
 */
#include "guest_clock.h"

#include <time.h>

uint64_t guest_clock_host_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	/* CLOCK_MONOTONIC cannot fail with a valid pointer; 0 keeps time still
	 * rather than jumping if it ever did. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void guest_clock_init(struct guest_clock *c, guest_clock_source source, void *ctx)
{
	c->source = source ? source : guest_clock_host_ns;
	c->ctx = ctx;
	c->base_ns = 0;
	c->started_ns = c->source(c->ctx);
	c->running = true;
}

uint64_t guest_clock_now(const struct guest_clock *c)
{
	uint64_t host;

	if (!c->running)
		return c->base_ns;
	host = c->source(c->ctx);
	/* A source going backwards (a hostile test, a broken clock) reads as
	 * no time passing, never as a wrap to the far future. */
	return c->base_ns + (host > c->started_ns ? host - c->started_ns : 0);
}

void guest_clock_pause(struct guest_clock *c)
{
	if (!c->running)
		return;
	c->base_ns = guest_clock_now(c);
	c->running = false;
}

void guest_clock_resume(struct guest_clock *c)
{
	if (c->running)
		return;
	c->started_ns = c->source(c->ctx);
	c->running = true;
}

uint64_t guest_clock_host_at(const struct guest_clock *c, uint64_t guest_ns)
{
	uint64_t host, now;

	if (!c->running)
		return UINT64_MAX;
	host = c->source(c->ctx);
	now = c->base_ns + (host > c->started_ns ? host - c->started_ns : 0);
	if (guest_ns <= now)
		return host;
	return guest_ns - now > UINT64_MAX - host ? UINT64_MAX : host + (guest_ns - now);
}
