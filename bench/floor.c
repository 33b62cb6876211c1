/*
 * floor.c - the benchmark floor: the smallest KVM program that runs the
 * same guest bytes as gdbvm, so its start-up time and its cost per port-I/O
 * exit are the physical limit gdbvm is compared against (bench/run.sh).
 *
 *   floor        the classic add guest (guests/demo.asm, the bytes of
 *                gdbvm's built-in demo) with AL = BL = 2: prints "4\n"
 *   floor N      the OUT loop guest (bench/guests/outs.asm) with ECX = N:
 *                N OUTs to port 0x3ff (COM1's scratch register), then HLT
 *
 * No options, no devices: /dev/kvm, one VM, one 4 KiB page of guest RAM at
 * guest-physical 0x1000 (the page the code runs from, as in LWN's "Using
 * the KVM API"), one vCPU in real mode at 0000:1000.  COM1 output is
 * collected and written with one write(2) per line.  Every system call is
 * checked.  Exit status: 0 when the guest halted, 1 on a bad command line,
 * 2 when a KVM step failed, 3 on any VM exit other than the expected ones.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_bytes.h" /* generated: demo_code[], outs_code[] */

#define GUEST_ADDR 0x1000u
#define GUEST_SIZE 0x1000u
#define COM1_THR 0x3f8u
#define COM1_SCRATCH 0x3ffu

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(2);
}

static _Noreturn void bad_exit(const char *what, const struct kvm_run *run)
{
	fprintf(stderr, "floor: unexpected VM exit: %s (exit reason %u)\n", what,
		run->exit_reason);
	exit(3);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int r = ioctl(fd, req, arg);

	if (r < 0)
		die(what);
	return r;
}

/* Parse N: a decimal count from 1 to 2^32 - 1. */
static int parse_count(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Append COM1 output; write a line out at each newline. */
static char line[256];
static size_t line_len;

static void flush_line(void)
{
	size_t off = 0;

	while (off < line_len) {
		ssize_t n = write(STDOUT_FILENO, line + off, line_len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write to stdout");
		}
		off += (size_t)n;
	}
	line_len = 0;
}

static void com1_put(uint8_t c)
{
	line[line_len++] = (char)c;
	if (c == '\n' || line_len == sizeof(line))
		flush_line();
}

int main(int argc, char **argv)
{
	uint32_t count = 0;
	const uint8_t *code = demo_code;
	size_t code_size = sizeof(demo_code);

	if (argc > 2 || (argc == 2 && parse_count(argv[1], &count) < 0)) {
		fprintf(stderr, "usage: floor [N]   (N: OUTs to run, 1 to 4294967295)\n");
		return 1;
	}
	if (argc == 2) {
		code = outs_code;
		code_size = sizeof(outs_code);
	}

	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("open /dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, NULL) != KVM_API_VERSION) {
		fprintf(stderr, "floor: KVM API version is not %d\n", KVM_API_VERSION);
		return 2;
	}
	int vm = xioctl(kvm, KVM_CREATE_VM, NULL, "KVM_CREATE_VM");

	uint8_t *mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory");
	memcpy(mem, code, code_size);
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = GUEST_ADDR,
		.memory_size = GUEST_SIZE,
		.userspace_addr = (uintptr_t)mem,
	};
	xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

	int vcpu = xioctl(vm, KVM_CREATE_VCPU, NULL, "KVM_CREATE_VCPU");
	int run_size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, NULL, "KVM_GET_VCPU_MMAP_SIZE");
	if ((size_t)run_size < sizeof(struct kvm_run)) {
		fprintf(stderr, "floor: KVM_GET_VCPU_MMAP_SIZE is too small\n");
		return 2;
	}
	struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");

	struct kvm_sregs sregs;
	xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
	struct kvm_regs regs = {
		.rip = GUEST_ADDR,
		.rflags = 0x2,
		.rax = 2,
		.rbx = 2,
		.rcx = count,
	};
	xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, NULL) < 0) {
			if (errno == EINTR)
				continue;
			die("KVM_RUN");
		}
		switch (run->exit_reason) {
		case KVM_EXIT_HLT:
			flush_line();
			return 0;
		case KVM_EXIT_IO:
			if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 1)
				bad_exit("I/O other than a byte OUT", run);
			if (run->io.port == COM1_THR) {
				const uint8_t *data = (const uint8_t *)run + run->io.data_offset;

				for (uint32_t i = 0; i < run->io.count; i++)
					com1_put(data[i]);
			} else if (run->io.port != COM1_SCRATCH) {
				bad_exit("OUT to an unknown port", run);
			}
			break;
		default:
			bad_exit("not HLT or I/O", run);
		}
	}
}
