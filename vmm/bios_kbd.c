/*
 * bios_kbd.c - the BIOS keyboard: INT 09h and INT 16h on the BIOS data
 * area, as on a PC.  INT 09h (IRQ 1) takes each byte the 8042 delivers,
 * keeps the shift state in BDA 0417h-0419h and 0496h and puts key codes
 * in the ring buffer at 041Eh (head 041Ah, tail 041Ch, bounds 0480h and
 * 0482h); INT 16h reads that buffer.  So a guest that reads the buffer
 * pointers itself, or hooks INT 09h, sees what it would on a PC.
 *
 * While the ROM's own INT 09h is installed, INT 16h also does its work
 * directly (reads the 8042 and translates), so keys arrive even where no
 * interrupt is delivered (interrupts off during the call).  A call that
 * waits for a key halts with interrupts on until IRQ 1 comes (when IRQ 1
 * can get through; else it polls stdin for a while and asks the ROM to
 * call again): the vCPU never blocks in the VMM, so signals, --timeout
 * and gdb still stop it.
 */
#include "bios.h"
#include "scancode.h"

#include <poll.h>

#define KEY_WAIT_MS 20	/* one poll of stdin while a call waits for a key */

static uint16_t bda16(struct bios *b, uint16_t off)
{
	uint8_t v[2] = { 0, 0 };

	mem_read(b->mem, BDA_BASE + off, v, 2);
	return (uint16_t)(v[0] | v[1] << 8);
}

static void set_bda16(struct bios *b, uint16_t off, uint16_t v)
{
	mem_write(b->mem, BDA_BASE + off, (uint8_t[]){ (uint8_t)v, (uint8_t)(v >> 8) }, 2);
}

static uint8_t bda8(struct bios *b, uint16_t off)
{
	uint8_t v = 0;

	mem_read(b->mem, BDA_BASE + off, &v, 1);
	return v;
}

static void set_bda8(struct bios *b, uint16_t off, uint8_t v)
{
	mem_write(b->mem, BDA_BASE + off, &v, 1);
}

/* The buffer's bounds, as the guest may have moved them; false when they
 * make no buffer (then keys are dropped). */
static bool ring_bounds(struct bios *b, uint16_t *start, uint16_t *end)
{
	*start = bda16(b, BDA_KBD_START);
	*end = bda16(b, BDA_KBD_END);
	return *start < *end && *end - *start >= 4 && *end <= 0xfeff;
}

static uint16_t ring_next(uint16_t p, uint16_t start, uint16_t end)
{
	return (uint16_t)(p + 2 >= end ? start : p + 2);
}

bool bios_key_push(struct bios *b, uint16_t key)
{
	uint16_t start, end, head = bda16(b, BDA_KBD_HEAD), tail = bda16(b, BDA_KBD_TAIL), next;

	if (!ring_bounds(b, &start, &end) || tail < start || tail + 2 > end)
		return false;
	next = ring_next(tail, start, end);
	if (next == head)
		return false;	/* full: a PC beeps and drops the key */
	set_bda16(b, tail, key);
	set_bda16(b, BDA_KBD_TAIL, next);
	return true;
}

bool bios_key_pop(struct bios *b, uint16_t *key, bool peek)
{
	uint16_t start, end, head = bda16(b, BDA_KBD_HEAD), tail = bda16(b, BDA_KBD_TAIL);

	if (head == tail || !ring_bounds(b, &start, &end) || head < start || head + 2 > end)
		return false;
	*key = bda16(b, head);
	if (!peek)
		set_bda16(b, BDA_KBD_HEAD, ring_next(head, start, end));
	return true;
}

/* Room for one more key. */
static bool ring_room(struct bios *b)
{
	uint16_t start, end, head = bda16(b, BDA_KBD_HEAD), tail = bda16(b, BDA_KBD_TAIL);

	return ring_bounds(b, &start, &end) && tail >= start && tail + 2 <= end &&
	       ring_next(tail, start, end) != head;
}

/* Interrupt vector 9 is still the ROM's INT 09h. */
static bool rom_int09_installed(struct bios *b)
{
	uint8_t v[4];

	return mem_read(b->mem, 9 * 4, v, 4) == 0 && (v[0] | v[1] << 8) == b->kbd.int09 &&
	       (v[2] | v[3] << 8) == BIOS_ROM_SEG;
}

/* Flow control for the host side: with the ROM's INT 09h in charge, the
 * next key goes in once the previous one has gone through it and the
 * buffer has room. */
static bool accepts_key(void *ctx)
{
	struct bios *b = ctx;

	return !rom_int09_installed(b) || (!i8042_busy(b->kbd.in->kbd) && ring_room(b));
}

void bios_keyboard_attach(struct bios *b, struct kbd_input *in)
{
	b->kbd.in = in;
	b->kbd.eof_reported = false;
	if (in) {
		b->kbd.taken = in->kbd->out_count;
		in->accepts = accepts_key;
		in->accepts_ctx = b;
	}
}

/* One byte from the keyboard, as INT 09h takes it. */
static void keyboard_byte(struct bios *b, uint8_t byte)
{
	struct kbd_shift s = {
		.flags1 = bda8(b, BDA_KBD_FLAGS1),
		.flags2 = bda8(b, BDA_KBD_FLAGS2),
		.alt_number = bda8(b, BDA_KBD_ALTNUM),
		.flags3 = bda8(b, BDA_KBD_FLAGS3),
	};
	uint16_t key;

	if (scancode_translate(&s, byte, &key))
		bios_key_push(b, key);
	set_bda8(b, BDA_KBD_FLAGS1, s.flags1);
	set_bda8(b, BDA_KBD_FLAGS2, s.flags2);
	set_bda8(b, BDA_KBD_ALTNUM, s.alt_number);
	set_bda8(b, BDA_KBD_FLAGS3, s.flags3);
}

/*
 * INT 09h from the ROM, AL the byte it read from port 60h.  The ROM reads
 * the port whether or not a new byte is there, as a PC BIOS does, so a
 * guest handler that read it first and chains here still has it counted:
 * a byte is taken once, by its number (the 8042's out_count), which also
 * makes an interrupt for a byte INT 16h already took itself harmless.
 */
enum bios_action bios_int09(struct bios *b, struct bios_frame *f)
{
	struct i8042 *kbd = b->kbd.in ? b->kbd.in->kbd : NULL;

	if (kbd && kbd->out_count == b->kbd.taken)
		return BIOS_RETURN;	/* seen already */
	if (kbd)
		b->kbd.taken = kbd->out_count;
	keyboard_byte(b, reg_lo(f->eax));
	if (b->kbd.in) {
		kbd_input_claim(b->kbd.in);
		kbd_input_pump(b->kbd.in);	/* the next key, now that there is room */
	}
	return BIOS_RETURN;
}

enum bios_action bios_key_intercept(struct bios *b, struct bios_frame *f)
{
	(void)b;
	frame_flag(f, FLAG_CF, true);
	return BIOS_RETURN;
}

/* Take in what the keyboard has: stdin into the 8042 and, while the ROM's
 * INT 09h is installed, the 8042's bytes through it into the buffer. */
static void collect(struct bios *b)
{
	struct kbd_input *in = b->kbd.in;

	if (!in)
		return;
	kbd_input_claim(in);
	kbd_input_pump(in);
	if (!rom_int09_installed(b))
		return;	/* the guest's own INT 09h takes the bytes */
	i8042_tick(in->kbd);
	while (in->kbd->obf) {
		b->kbd.taken = in->kbd->out_count;
		keyboard_byte(b, i8042_read(in->kbd, I8042_DATA));
		kbd_input_pump(in);
	}
}

/* Nothing waits anywhere and nothing more can come. */
static bool keys_ended(struct bios *b)
{
	struct kbd_input *in = b->kbd.in;

	return !in || (!kbd_input_can_come(in) && !i8042_busy(in->kbd));
}

/* Whether a key would interrupt a HLT: the 8042 interrupts and IRQ 1
 * gets through the PIC. */
static bool key_irq_open(struct bios *b)
{
	return b->pic && (b->kbd.in->kbd->command_byte & I8042_CB_KBD_INT) &&
	       pic_irq_open(b->pic, I8042_IRQ);
}

/* Say once that no key will come, and let a polling guest wait as for a
 * keyboard nobody types on, without spinning. */
static void no_more_keys(struct bios *b)
{
	if (!b->kbd.eof_reported)
		fprintf(b->err, "gdbvm: INT 16h: stdin has ended; no more keys will come\n");
	b->kbd.eof_reported = true;
	poll(NULL, 0, KEY_WAIT_MS);
}

/* The key at the head as the call returns it (AH=10h/11h: any; AH=00h/01h:
 * the grey keys' E0h as 00h, and F11/F12, which they lack, dropped as a
 * BIOS does). */
static bool head_key(struct bios *b, bool extended, uint16_t *key)
{
	uint16_t k;

	while (bios_key_pop(b, &k, true)) {
		if (extended) {
			*key = k;
			return true;
		}
		if (keymap_legacy(k, key))
			return true;
		bios_key_pop(b, &k, false);
	}
	return false;
}

/* AH=00h/10h: wait for a key; AX = scan code << 8 | ASCII. */
static enum bios_action read_key(struct bios *b, struct bios_frame *f)
{
	uint16_t key, taken;

	collect(b);
	if (head_key(b, reg_hi(f->eax) == 0x10, &key)) {
		bios_key_pop(b, &taken, false);
		set_x(&f->eax, key);
		return BIOS_RETURN;
	}
	if (keys_ended(b)) {
		no_more_keys(b);
		return BIOS_AGAIN;
	}
	if (key_irq_open(b))
		return BIOS_HALT;	/* STI; HLT: IRQ 1 (or a tick) wakes it */
	kbd_input_wait(b->kbd.in, KEY_WAIT_MS);
	return BIOS_AGAIN;
}

/* AH=01h/11h: is a key waiting?  ZF clear and AX = the key if so. */
static enum bios_action peek_key(struct bios *b, struct bios_frame *f)
{
	uint16_t key;
	bool ready;

	collect(b);
	ready = head_key(b, reg_hi(f->eax) == 0x11, &key);
	if (!ready && keys_ended(b))
		no_more_keys(b);
	frame_flag(f, FLAG_ZF, !ready);
	if (ready)
		set_x(&f->eax, key);
	return BIOS_RETURN;
}

/* AH=02h: AL = the shift flags (0417h).  AH=12h: AH = the keys held too. */
static enum bios_action shift_flags(struct bios *b, struct bios_frame *f)
{
	uint8_t f2, f3;

	collect(b);
	f2 = bda8(b, BDA_KBD_FLAGS2);
	f3 = bda8(b, BDA_KBD_FLAGS3);
	if (reg_hi(f->eax) == 0x12)
		set_hi(&f->eax, (uint8_t)((f2 & (KF2_LCTRL | KF2_LALT)) |
					  (f3 & KF3_RCTRL ? 0x04 : 0) | (f3 & KF3_RALT ? 0x08 : 0) |
					  (f2 & (KF2_SCROLL | KF2_NUM | KF2_CAPS)) |
					  (f2 & 0x04 ? 0x80 : 0)));
	set_lo(&f->eax, bda8(b, BDA_KBD_FLAGS1));
	return BIOS_RETURN;
}

/* AH=03h: typematic rate: accepted. */
static enum bios_action typematic(struct bios *b, struct bios_frame *f)
{
	(void)b;
	(void)f;
	return BIOS_RETURN;
}

/* AH=05h: put CH (scan code), CL (ASCII) in the buffer; AL=1 when full. */
static enum bios_action push_key(struct bios *b, struct bios_frame *f)
{
	set_lo(&f->eax, bios_key_push(b, (uint16_t)f->ecx) ? 0 : 1);
	return BIOS_RETURN;
}

static const bios_call_fn keyboard_calls[256] = {
	[0x00] = read_key,    [0x01] = peek_key, [0x02] = shift_flags, [0x03] = typematic,
	[0x05] = push_key,    [0x10] = read_key, [0x11] = peek_key,    [0x12] = shift_flags,
};

enum bios_action bios_int16(struct bios *b, struct bios_frame *f)
{
	return bios_dispatch_ah(b, f, keyboard_calls);
}
