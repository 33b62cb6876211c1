/*
 * main.c - a 64-bit long-mode guest written in C: it works out a few
 * numbers that need 64-bit integers (a factorial, a Fibonacci number, a
 * division, an integer square root, a bit count) and prints them on COM1
 * with its own printf, then returns a value derived from them, which
 * start.asm sends to the exit port.  The inputs sit in a writable global,
 * so the work happens in the guest at run time, not in the compiler.
 */
#include "print.h"

#include <stdint.h>

static struct {
	unsigned fact_n, fib_n;
	uint64_t dividend, divisor;
	int64_t most_negative;
} in = { 20, 90, 0xfedcba9876543210, 1000003, INT64_MIN };

static uint64_t factorial(unsigned n)
{
	uint64_t r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

static uint64_t fibonacci(unsigned n)
{
	uint64_t a = 0, b = 1;

	while (n--) {
		uint64_t t = a + b;

		a = b;
		b = t;
	}
	return a;
}

/* The largest r with r * r <= v (Newton's method, 64-bit division). */
static uint64_t isqrt(uint64_t v)
{
	uint64_t r = v, next;

	if (v < 2)
		return v;
	next = (r + v / r) / 2;
	while (next < r) {
		r = next;
		next = (r + v / r) / 2;
	}
	return r;
}

static unsigned popcount(uint64_t v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

int main(void)
{
	uint64_t fact = factorial(in.fact_n);
	uint64_t fib = fibonacci(in.fib_n);
	unsigned value;

	printf("C64 guest: 64-bit C in long mode\n");
	printf("sizeof(long) = %d, sizeof(void *) = %d\n", (int)sizeof(long),
	       (int)sizeof(void *));
	printf("%u! = %lu\n", in.fact_n, fact);
	printf("fib(%u) = %lu\n", in.fib_n, fib);
	printf("0x%lx / %lu = %lu, remainder %lu\n", in.dividend, in.divisor,
	       in.dividend / in.divisor, in.dividend % in.divisor);
	printf("isqrt(%lu) = %lu\n", fact, isqrt(fact));
	printf("popcount(0x%016lx) = %u\n", in.dividend, popcount(in.dividend));
	printf("INT64_MIN = %ld\n", in.most_negative);
	value = (unsigned)((fact ^ fib) % 127);
	printf("exit value: (%u! xor fib(%u)) mod 127 = %u\n", in.fact_n, in.fib_n, value);
	return (int)value;
}
