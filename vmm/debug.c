/*
 * debug.c - breakpoints, watchpoints and the host features behind them
 * (see debug.h for the mechanisms and why they were chosen).
 */
#include "debug.h"
#include "cpu.h"
#include "kvm.h"
#include "machine.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#define PAGE_SIZE_4K 4096ULL
#define DR7_LOCAL_ENABLE(i) (1ULL << ((i) * 2))
#define DR7_RW_SHIFT(i) (16 + (i) * 4)
#define DR7_LEN_SHIFT(i) (18 + (i) * 4)
#define DR7_RW_EXEC 0ULL
#define DR7_RW_WRITE 1ULL
#define DR7_RW_ACCESS 3ULL	/* read or write */

void debug_init(struct debug_state *d, const char *kvm_device)
{
	memset(d, 0, sizeof(*d));
	d->nslots = 1;	/* kvm.c registers RAM as slot 0 */
	d->kvm_device = kvm_device;
}

struct sw_breakpoint *debug_sw_at(struct debug_state *d, uint64_t addr)
{
	for (unsigned i = 0; i < d->nsw; i++)
		if (d->sw[i].addr == addr)
			return &d->sw[i];
	return NULL;
}

bool debug_hw_exec_at(const struct debug_state *d, uint64_t addr)
{
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		if (d->hw[i].used && d->hw[i].kind == DEBUG_HW_BP && d->hw[i].addr == addr)
			return true;
	return false;
}

void debug_unplant(struct machine *m, struct sw_breakpoint *bp)
{
	mem_write(&m->mem, bp->addr, &bp->orig, 1);
}

void debug_replant(struct machine *m, struct sw_breakpoint *bp)
{
	uint8_t hlt = HLT_OPCODE;

	mem_write(&m->mem, bp->addr, &hlt, 1);
}

void debug_adopt_guest_writes(struct machine *m)
{
	struct debug_state *d = &m->debug;

	for (unsigned i = 0; i < d->nsw; i++) {
		uint8_t now;

		if (mem_read(&m->mem, d->sw[i].addr, &now, 1) == 0 && now != HLT_OPCODE) {
			d->sw[i].orig = now;
			debug_replant(m, &d->sw[i]);
		}
	}
}

void debug_unplant_copy(const struct debug_state *d, uint64_t addr, uint8_t *buf, uint64_t len)
{
	for (unsigned i = 0; i < d->nsw; i++)
		if (d->sw[i].addr >= addr && d->sw[i].addr - addr < len)
			buf[d->sw[i].addr - addr] = d->sw[i].orig;
}

int debug_write_memory(struct machine *m, uint64_t addr, const uint8_t *buf, uint64_t len)
{
	struct debug_state *d = &m->debug;

	if (!mem_range_ok(&m->mem, addr, len))
		return -EFAULT;
	mem_write(&m->mem, addr, buf, (size_t)len);
	for (unsigned i = 0; i < d->nsw; i++) {
		struct sw_breakpoint *bp = &d->sw[i];

		if (bp->addr >= addr && bp->addr - addr < len) {
			bp->orig = buf[bp->addr - addr];
			debug_replant(m, bp);
		}
	}
	return 0;
}

int debug_apply(struct machine *m)
{
	struct debug_state *d = &m->debug;
	struct kvm_guest_debug dbg = { 0 };
	bool any_hw = false;

	if (!d->step_over) {
		for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
			const struct hw_slot *h = &d->hw[i];
			uint64_t rw, len;

			if (!h->used)
				continue;
			any_hw = true;
			rw = h->kind == DEBUG_HW_BP ? DR7_RW_EXEC :
			     h->kind == DEBUG_WATCH_WRITE ? DR7_RW_WRITE : DR7_RW_ACCESS;
			len = h->kind == DEBUG_HW_BP ? 0 : h->len == 8 ? 2 : h->len - 1;
			dbg.arch.debugreg[i] = h->addr;
			dbg.arch.debugreg[7] |= DR7_LOCAL_ENABLE(i) | rw << DR7_RW_SHIFT(i) |
						len << DR7_LEN_SHIFT(i);
		}
	}
	if (any_hw)
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	if (d->single_step)
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (d->applied_valid && memcmp(&dbg, &d->applied, sizeof(dbg)) == 0)
		return 0;
	if (ioctl(m->kvm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		d->applied_valid = false;
		return -errno;
	}
	d->applied = dbg;
	d->applied_valid = true;
	return 0;
}

/* ---- write watchpoints: read-only memory slots over the watched pages ---- */

static int set_slot(struct machine *m, unsigned slot, uint64_t gpa, uint64_t size, bool ro)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = ro ? KVM_MEM_READONLY : 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)(m->mem.host + gpa),
	};

	return ioctl(m->kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

static bool page_watched(const struct debug_state *d, uint64_t page)
{
	for (unsigned i = 0; i < d->nww; i++) {
		uint64_t first = d->ww[i].addr & ~(PAGE_SIZE_4K - 1);
		uint64_t last = (d->ww[i].addr + d->ww[i].len - 1) & ~(PAGE_SIZE_4K - 1);

		if (page >= first && page <= last)
			return true;
	}
	return false;
}

bool debug_in_watched_page(const struct debug_state *d, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + (len ? len - 1 : 0);

	for (uint64_t p = addr & ~(PAGE_SIZE_4K - 1); p <= end; p += PAGE_SIZE_4K)
		if (page_watched(d, p))
			return true;
	return false;
}

const struct write_watch *debug_write_hit(const struct debug_state *d, uint64_t addr,
					  uint64_t len)
{
	for (unsigned i = 0; i < d->nww; i++)
		if (addr < d->ww[i].addr + d->ww[i].len && d->ww[i].addr < addr + len)
			return &d->ww[i];
	return NULL;
}

/* Re-register guest RAM as alternating read-write and read-only slots. */
static int rebuild_slots(struct machine *m)
{
	struct debug_state *d = &m->debug;
	uint64_t start[DEBUG_MAX_SLOTS], size[DEBUG_MAX_SLOTS];
	bool ro[DEBUG_MAX_SLOTS];
	unsigned n = 0;
	int err = 0;

	for (uint64_t p = 0; p < m->mem.size; p += PAGE_SIZE_4K) {
		bool w = page_watched(d, p);

		if (n && ro[n - 1] == w && start[n - 1] + size[n - 1] == p) {
			size[n - 1] += PAGE_SIZE_4K;
			continue;
		}
		if (n == DEBUG_MAX_SLOTS)
			return -ENOSPC;
		start[n] = p;
		size[n] = PAGE_SIZE_4K;
		ro[n] = w;
		n++;
	}
	/* A slot's read-only flag cannot be changed in place: delete all, then
	 * create the new layout. */
	for (unsigned i = 0; i < d->nslots; i++)
		set_slot(m, i, 0, 0, false);
	d->nslots = 0;
	for (unsigned i = 0; i < n && !err; i++) {
		err = set_slot(m, i, start[i], size[i], ro[i]);
		if (!err)
			d->nslots = i + 1;
	}
	if (err) {	/* fall back to plain RAM so the guest can go on */
		for (unsigned i = 0; i < d->nslots; i++)
			set_slot(m, i, 0, 0, false);
		d->nslots = set_slot(m, 0, 0, m->mem.size, false) == 0 ? 1 : 0;
	}
	return err;
}

/* ---- host probes: does this KVM deliver debug-register exits? ---- */

/*
 * Run code at 0x1000 in a scratch VM with one debug register armed and
 * report whether KVM_EXIT_DEBUG arrives (rather than the final HLT).
 */
static enum host_support probe(const char *device, const uint8_t *code, size_t len,
			       uint64_t dr0, uint64_t dr7)
{
	struct guest_mem mem = { 0 };
	struct kvm_vm vm;
	struct kvm_guest_debug dbg = { 0 };
	char errbuf[KVM_ERRBUF_SIZE];
	const char *failed;
	enum host_support result = HOST_NO;

	kvm_vm_init(&vm);
	if (mem_alloc(&mem, 64 * 1024) < 0)
		return HOST_UNKNOWN;
	mem_write(&mem, 0x1000, code, len);
	if (kvm_vm_create(&vm, device, &mem, errbuf) < 0 ||
	    cpu_setup_real_mode(vm.vcpu_fd, 0, 0x1000, NULL, 0, &failed) < 0) {
		result = HOST_UNKNOWN;
		goto out;
	}
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	dbg.arch.debugreg[0] = dr0;
	dbg.arch.debugreg[7] = dr7;
	if (ioctl(vm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		result = HOST_NO;
		goto out;
	}
	for (int i = 0; i < 16; i++) {
		if (ioctl(vm.vcpu_fd, KVM_RUN, 0) < 0)
			break;
		if (vm.run->exit_reason == KVM_EXIT_DEBUG) {
			result = (vm.run->debug.arch.dr6 & 1) ? HOST_YES : HOST_NO;
			break;
		}
		if (vm.run->exit_reason != KVM_EXIT_IO && vm.run->exit_reason != KVM_EXIT_MMIO)
			break;
	}
out:
	kvm_vm_destroy(&vm);
	mem_free(&mem);
	return result;
}

enum host_support debug_host_hw_exec(struct debug_state *d)
{
	static const uint8_t code[] = { 0x90, 0x90, 0xf4 };	/* nop; nop; hlt */

	if (d->hw_exec == HOST_UNKNOWN)
		d->hw_exec = probe(d->kvm_device, code, sizeof(code), 0x1001,
				   DR7_LOCAL_ENABLE(0));
	return d->hw_exec;
}

enum host_support debug_host_hw_data(struct debug_state *d)
{
	/* mov al, [0x2000]; hlt */
	static const uint8_t code[] = { 0xa0, 0x00, 0x20, 0xf4 };

	if (d->hw_data == HOST_UNKNOWN)
		d->hw_data = probe(d->kvm_device, code, sizeof(code), 0x2000,
				   DR7_LOCAL_ENABLE(0) | DR7_RW_ACCESS << DR7_RW_SHIFT(0));
	return d->hw_data;
}

/* ---- insert and remove ---- */

static int insert_sw(struct machine *m, uint64_t addr)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp;

	if (debug_sw_at(d, addr))
		return 0;	/* gdb may insert the same one twice */
	if (!mem_range_ok(&m->mem, addr, 1))
		return -EFAULT;
	if (d->nsw == DEBUG_MAX_SW_BP)
		return -ENOSPC;
	bp = &d->sw[d->nsw++];
	bp->addr = addr;
	mem_read(&m->mem, addr, &bp->orig, 1);
	debug_replant(m, bp);
	return 0;
}

static int remove_sw(struct machine *m, uint64_t addr)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp = debug_sw_at(d, addr);
	uint8_t now;

	if (!bp)
		return -ENOENT;
	/* If the guest has overwritten the planted HLT, its new byte wins. */
	if (mem_read(&m->mem, addr, &now, 1) == 0 && now == HLT_OPCODE)
		debug_unplant(m, bp);
	*bp = d->sw[--d->nsw];
	return 0;
}

static bool valid_data_len(uint64_t addr, uint64_t len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) && (addr & (len - 1)) == 0;
}

static int insert_hw(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;
	enum host_support sup = kind == DEBUG_HW_BP ? debug_host_hw_exec(d)
						    : debug_host_hw_data(d);
	int err;

	if (sup != HOST_YES)
		return -EOPNOTSUPP;
	if (kind != DEBUG_HW_BP && !valid_data_len(addr, len))
		return -EINVAL;
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		if (d->hw[i].used)
			continue;
		d->hw[i] = (struct hw_slot){ .used = true, .kind = kind, .addr = addr,
					     .len = kind == DEBUG_HW_BP ? 1 : len };
		err = debug_apply(m);
		if (err)
			d->hw[i].used = false;
		return err;
	}
	return -ENOSPC;
}

static int remove_hw(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;

	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		if (d->hw[i].used && d->hw[i].kind == kind && d->hw[i].addr == addr &&
		    (kind == DEBUG_HW_BP || d->hw[i].len == len)) {
			d->hw[i].used = false;
			return debug_apply(m);
		}
	}
	return -ENOENT;
}

static int insert_write_watch(struct machine *m, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;
	int err;

	if (d->readonly_mem == HOST_UNKNOWN)
		d->readonly_mem = ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION,
					KVM_CAP_READONLY_MEM) > 0 ? HOST_YES : HOST_NO;
	if (d->readonly_mem != HOST_YES)
		return -EOPNOTSUPP;
	if (len == 0 || !mem_range_ok(&m->mem, addr, len))
		return -EFAULT;
	if (d->nww == DEBUG_MAX_WATCH)
		return -ENOSPC;
	d->ww[d->nww++] = (struct write_watch){ .addr = addr, .len = len };
	err = rebuild_slots(m);
	if (err) {
		d->nww--;
		rebuild_slots(m);
	}
	return err;
}

static int remove_write_watch(struct machine *m, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;

	for (unsigned i = 0; i < d->nww; i++) {
		if (d->ww[i].addr == addr && d->ww[i].len == len) {
			d->ww[i] = d->ww[--d->nww];
			return rebuild_slots(m);
		}
	}
	return -ENOENT;
}

int debug_insert(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len)
{
	switch (kind) {
	case DEBUG_SW_BP:
		return insert_sw(m, addr);
	case DEBUG_HW_BP:
	case DEBUG_WATCH_READ:
	case DEBUG_WATCH_ACCESS:
		return insert_hw(m, kind, addr, len);
	case DEBUG_WATCH_WRITE:
		return insert_write_watch(m, addr, len);
	}
	return -EINVAL;
}

int debug_remove(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len)
{
	switch (kind) {
	case DEBUG_SW_BP:
		return remove_sw(m, addr);
	case DEBUG_HW_BP:
	case DEBUG_WATCH_READ:
	case DEBUG_WATCH_ACCESS:
		return remove_hw(m, kind, addr, len);
	case DEBUG_WATCH_WRITE:
		return remove_write_watch(m, addr, len);
	}
	return -EINVAL;
}

void debug_remove_all(struct machine *m)
{
	struct debug_state *d = &m->debug;

	while (d->nsw)
		remove_sw(m, d->sw[0].addr);
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		d->hw[i].used = false;
	if (d->nww) {
		d->nww = 0;
		rebuild_slots(m);
	}
	d->single_step = false;
	d->step_over = false;
	debug_apply(m);
}
