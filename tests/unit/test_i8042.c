/*
 * test_i8042.c - tests the 8042 keyboard controller (vmm/i8042.c), the
 * scan code set 1 tables both ways (vmm/scancode.c), the stdin pump with
 * its flow control (vmm/kbd_input.c) and the BIOS keyboard on top of them:
 * INT 09h's translation into the BIOS data area's buffer and INT 16h
 * reading it (vmm/bios_kbd.c).  Expected scan codes are written out here
 * from the IBM PC/AT keyboard tables, not taken from the code.
 */
#include "bios.h"
#include "i8042.h"
#include "kbd_input.h"
#include "scancode.h"
#include "suites.h"
#include "tap.h"

#include <string.h>
#include <unistd.h>

/* An interrupt controller input that records the line's changes. */
struct fake_pic {
	char log[64];	/* 'H' high, 'L' low */
	unsigned n;
	bool high;
};

static void fake_set(void *ctx, unsigned irq, bool high)
{
	struct fake_pic *p = ctx;

	(void)irq;
	if (p->n + 1 < sizeof(p->log))
		p->log[p->n++] = high ? 'H' : 'L';
	p->log[p->n] = 0;
	p->high = high;
}

static unsigned rising_edges(const struct fake_pic *p)
{
	unsigned n = 0;

	for (unsigned i = 1; i < p->n; i++)
		n += p->log[i - 1] == 'L' && p->log[i] == 'H';
	return n;
}

static void open_kbd(struct i8042 *c, struct fake_pic *p)
{
	struct irq_line l = { .set = fake_set, .ctx = p, .irq = I8042_IRQ };

	memset(p, 0, sizeof(*p));
	i8042_init(c, &l);
}

static uint8_t in(struct i8042 *c, uint16_t port)
{
	uint8_t v = 0;

	if (port == I8042_DATA)
		i8042_data_pio(c, 0, &v, 1, false);
	else
		i8042_ctl_pio(c, 0, &v, 1, false);
	return v;
}

static void out(struct i8042 *c, uint16_t port, uint8_t v)
{
	if (port == I8042_DATA)
		i8042_data_pio(c, 0, &v, 1, true);
	else
		i8042_ctl_pio(c, 0, &v, 1, true);
}

/* Read the output buffer while it is full: the bytes in order, as hex. */
static const char *drain(struct i8042 *c)
{
	static char s[128];
	size_t n = 0;

	s[0] = 0;
	for (unsigned i = 0; i < 40 && (in(c, I8042_STATUS) & I8042_STR_OBF); i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%02x", n ? " " : "", in(c, I8042_DATA));
	return s;
}

static void test_controller(void)
{
	struct i8042 c;
	struct fake_pic p;

	open_kbd(&c, &p);
	CHECK_HEX(in(&c, I8042_STATUS), 0x14, "status after the BIOS: system flag, not inhibited, empty");
	out(&c, I8042_STATUS, 0xaa);
	CHECK_HEX(in(&c, I8042_STATUS) & (I8042_STR_OBF | I8042_STR_CMD), 0x09,
		  "a command: output buffer full, command/data bit set");
	CHECK_STR(drain(&c), "55", "AAh self-test answers 55h");
	out(&c, I8042_STATUS, 0xab);
	CHECK_STR(drain(&c), "00", "ABh interface test answers 00h");
	out(&c, I8042_STATUS, 0x20);
	CHECK_STR(drain(&c), "65", "20h: command byte 65h (IRQ, system, no mouse, translation)");
	out(&c, I8042_STATUS, 0x60);
	out(&c, I8042_DATA, 0x04);
	CHECK(!(in(&c, I8042_STATUS) & I8042_STR_CMD), "a data byte clears the command/data bit");
	out(&c, I8042_STATUS, 0x20);
	CHECK_STR(drain(&c), "24", "60h wrote it (the absent mouse port stays disabled)");
	out(&c, I8042_STATUS, 0xa8);
	out(&c, I8042_STATUS, 0x20);
	CHECK_STR(drain(&c), "24", "A8h cannot enable a mouse port there is not");
	out(&c, I8042_STATUS, 0xa9);
	CHECK_STR(drain(&c), "02", "A9h: the mouse port test fails (nothing wired)");
	out(&c, I8042_STATUS, 0x05);
	out(&c, I8042_STATUS, 0xc8);
	CHECK_STR(drain(&c), "", "unknown commands are ignored");
	out(&c, I8042_STATUS, 0xd0);
	CHECK_HEX(in(&c, I8042_DATA) & 0x03, 0x03, "D0h: output port: not in reset, A20 on");
	out(&c, I8042_STATUS, 0xd1);
	out(&c, I8042_DATA, 0x01);
	out(&c, I8042_STATUS, 0xd0);
	CHECK_HEX(in(&c, I8042_DATA) & 0x03, 0x01, "D1h 01h: A20 off");
	CHECK(!c.a20 && !c.reset_requested, "A20 off, no reset");
	out(&c, I8042_STATUS, 0xdf);
	CHECK(c.a20, "DFh: A20 on");
	out(&c, I8042_STATUS, 0xff);
	CHECK(!c.reset_requested, "FFh pulses no line");
	out(&c, I8042_STATUS, 0xfe);
	CHECK(c.reset_requested, "FEh pulses the reset line");
	c.reset_requested = false;
	out(&c, I8042_STATUS, 0xd1);
	out(&c, I8042_DATA, 0x02);
	CHECK(c.reset_requested, "D1h with bit 0 clear resets too");
	out(&c, I8042_STATUS, 0xd2);
	out(&c, I8042_DATA, 0x9c);
	CHECK_STR(drain(&c), "9c", "D2h: a byte as if from the keyboard");
	CHECK_STR(p.log, "LHLLHLLHLLLLLLLL",
		  "a pulse for each reply while command byte bit 0 was set (55h, 00h, 65h), "
		  "low at each read");
}

static void test_keyboard_commands(void)
{
	struct i8042 c;
	struct fake_pic p;

	open_kbd(&c, &p);
	out(&c, I8042_DATA, 0xff);
	CHECK_STR(drain(&c), "fa aa", "FFh reset: ACK, then self-test passed");
	out(&c, I8042_DATA, 0xf2);
	CHECK_STR(drain(&c), "fa ab 83", "F2h identify: an MF2 keyboard");
	out(&c, I8042_DATA, 0xee);
	CHECK_STR(drain(&c), "ee", "EEh echo");
	out(&c, I8042_DATA, 0xed);
	out(&c, I8042_DATA, 0x07);
	CHECK_STR(drain(&c), "fa fa", "EDh and its LED byte: ACK each");
	CHECK_HEX(c.leds, 7, "the LEDs are kept");
	out(&c, I8042_DATA, 0xf3);
	out(&c, I8042_DATA, 0x20);
	CHECK_STR(drain(&c), "fa fa", "F3h typematic and its byte: ACK each");
	out(&c, I8042_DATA, 0xf0);
	out(&c, I8042_DATA, 0x00);
	CHECK_STR(drain(&c), "fa fa 01", "F0h 00h: the scan code set is 1");
	out(&c, I8042_DATA, 0xf0);
	out(&c, I8042_DATA, 0x02);
	CHECK_STR(drain(&c), "fa fe", "F0h 02h: set 2 is refused (resend)");
	out(&c, I8042_DATA, 0xf0);
	out(&c, I8042_DATA, 0x01);
	CHECK_STR(drain(&c), "fa fa", "F0h 01h: set 1 accepted");
	out(&c, I8042_DATA, 0x88);
	CHECK_STR(drain(&c), "fe", "an unknown keyboard command: resend");
	out(&c, I8042_DATA, 0xee);
	drain(&c);
	out(&c, I8042_DATA, 0xfe);
	CHECK_STR(drain(&c), "ee", "FEh: the keyboard resends its last byte");
	out(&c, I8042_DATA, 0xf5);
	CHECK_STR(drain(&c), "fa", "F5h disable: ACK");
	CHECK(!i8042_key_room(&c, 1) && !i8042_key_bytes(&c, (uint8_t[]){ 0x1e }, 1),
	      "a disabled keyboard takes no keys");
	out(&c, I8042_DATA, 0xf4);
	CHECK_STR(drain(&c), "fa", "F4h enable: ACK");
	CHECK(i8042_key_room(&c, 1), "and keys come again");
	out(&c, I8042_DATA, 0xf6);
	CHECK_STR(drain(&c), "fa", "F6h defaults: ACK");
	CHECK_HEX(c.leds, 0, "defaults put the LEDs out");
}

static void test_fifo_and_irq(void)
{
	struct i8042 c;
	struct fake_pic p;
	uint8_t many[I8042_FIFO + 1];

	open_kbd(&c, &p);
	CHECK(i8042_key_bytes(&c, (uint8_t[]){ 0x2a, 0x1e, 0x9e, 0xaa }, 4), "four bytes go in");
	CHECK(p.high && rising_edges(&p) == 1, "the first one raises IRQ1 at once");
	CHECK_HEX(in(&c, I8042_DATA), 0x2a, "first byte first");
	CHECK(rising_edges(&p) == 2 && p.high, "reading it lets the next in, a new edge");
	CHECK_STR(drain(&c), "1e 9e aa", "the rest in order");
	CHECK(!p.high && rising_edges(&p) == 4, "one edge per byte; low once all are read");
	CHECK(!(in(&c, I8042_STATUS) & I8042_STR_OBF), "output buffer empty");
	CHECK_HEX(in(&c, I8042_DATA), 0xaa, "an empty buffer reads its last byte again");

	out(&c, I8042_STATUS, 0xad);
	i8042_key_bytes(&c, (uint8_t[]){ 0x10, 0x90 }, 2);
	CHECK(!(in(&c, I8042_STATUS) & I8042_STR_OBF), "ADh: the keyboard's bytes wait");
	out(&c, I8042_STATUS, 0xae);
	CHECK_STR(drain(&c), "10 90", "AEh: and come through");

	out(&c, I8042_STATUS, 0x60);
	out(&c, I8042_DATA, 0x44);	/* no IRQ */
	p.n = 0;
	i8042_key_bytes(&c, (uint8_t[]){ 0x11 }, 1);
	CHECK(!p.high && rising_edges(&p) == 0, "command byte bit 0 clear: no IRQ");
	out(&c, I8042_STATUS, 0x60);
	out(&c, I8042_DATA, 0x45);
	CHECK(p.high, "setting bit 0 with a byte waiting raises the line");
	CHECK_STR(drain(&c), "11", "the byte");

	memset(many, 0x1e, sizeof(many));
	CHECK(!i8042_key_bytes(&c, many, I8042_FIFO + 1), "more than the FIFO holds is refused whole");
	CHECK(!i8042_busy(&c), "and nothing went in");
	CHECK(i8042_key_bytes(&c, many, I8042_FIFO), "a full FIFO's worth goes in");
	CHECK(i8042_key_room(&c, 1) && !i8042_key_room(&c, 2),
	      "one byte moved to the output buffer: room for one more");
	drain(&c);
}

static bool held(void *ctx)
{
	return *(bool *)ctx;
}

/* While the hold hook says so (IRQ 1 in service), the keyboard's next
 * byte waits: a second read gets the same byte. */
static void test_hold(void)
{
	struct i8042 c;
	bool hold = false;

	i8042_init(&c, NULL);
	c.hold = held;
	c.hold_ctx = &hold;
	i8042_key_bytes(&c, (uint8_t[]){ 0x1e, 0x9e }, 2);
	hold = true;	/* the interrupt for 1Eh is being handled */
	CHECK_HEX(in(&c, I8042_DATA), 0x1e, "the first byte");
	CHECK(!(in(&c, I8042_STATUS) & I8042_STR_OBF), "the second waits while held");
	CHECK_HEX(in(&c, I8042_DATA), 0x1e, "so a second read (a chained handler) gets the same byte");
	i8042_tick(&c);
	CHECK(!c.obf, "a tick while held lets nothing in");
	hold = false;	/* EOI */
	i8042_tick(&c);
	CHECK(c.obf && c.out == 0x9e, "released: the next byte comes at the next tick");
}

/* scancode_encode(key) as hex bytes. */
static const char *encoded(uint16_t key)
{
	static char s[64];
	uint8_t b[SCANCODE_MAX];
	unsigned n = scancode_encode(key, b);
	size_t len = 0;

	s[0] = 0;
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len, "%s%02x", i ? " " : "", b[i]);
	return s;
}

static void test_encode(void)
{
	static const struct {
		uint16_t key;
		const char *bytes, *what;
	} cases[] = {
		{ 0x1e61, "1e 9e", "a" },
		{ 0x1e41, "2a 1e 9e aa", "A: Shift around it" },
		{ 0x0221, "2a 02 82 aa", "!: Shift 1" },
		{ 0x2e03, "1d 2e ae 9d", "Ctrl-C" },
		{ 0x1c0d, "1c 9c", "Enter" },
		{ 0x011b, "01 81", "Esc" },
		{ 0x0e08, "0e 8e", "Backspace" },
		{ 0x3920, "39 b9", "space" },
		{ 0x0f00, "2a 0f 8f aa", "Shift-Tab" },
		{ 0x48e0, "e0 48 e0 c8", "Up (grey)" },
		{ 0x53e0, "e0 53 e0 d3", "Delete (grey)" },
		{ 0x3b00, "3b bb", "F1" },
		{ 0x4400, "44 c4", "F10" },
		{ 0x8500, "57 d7", "F11" },
		{ 0x8600, "58 d8", "F12" },
		{ 0x5400, "2a 3b bb aa", "Shift-F1" },
		{ 0x7800, "38 02 82 b8", "Alt-1" },
		{ 0x2b5c, "2b ab", "backslash" },
		{ 0x297e, "2a 29 a9 aa", "tilde" },
		{ 0x00e9, "38 50 d0 51 d1 51 d1 b8", "byte E9h: Alt + keypad 2 3 3" },
		{ 0x001c, "38 50 d0 48 c8 b8", "byte 1Ch: Alt + keypad 2 8" },
		{ 0x0000, "", "key 0000h: nothing" },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(encoded(cases[i].key), cases[i].bytes, "%s (%04Xh)", cases[i].what,
			  cases[i].key);
}

/* Feed bytes to INT 09h's translation; the keys it gives, as hex. */
static const char *translated(struct kbd_shift *s, const uint8_t *bytes, unsigned n)
{
	static char out[128];
	size_t len = 0;
	uint16_t key;

	out[0] = 0;
	for (unsigned i = 0; i < n; i++)
		if (scancode_translate(s, bytes[i], &key))
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%04x", len ? " " : "",
						key);
	return out;
}

#define XLATE(s, ...) \
	translated(s, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void test_translate(void)
{
	struct kbd_shift s = { 0 };
	bool all = true;

	CHECK_STR(XLATE(&s, 0x1e, 0x9e), "1e61", "a");
	CHECK_STR(XLATE(&s, 0x2a, 0x1e), "1e41", "Shift held: A");
	CHECK(s.flags1 & KF1_LSHIFT, "0417h bit 1: left Shift down");
	CHECK_STR(XLATE(&s, 0x9e, 0xaa, 0x1e, 0x9e), "1e61", "Shift released: a again");
	CHECK_HEX(s.flags1, 0, "no flag left");
	CHECK_STR(XLATE(&s, 0x1d, 0x2e, 0xae), "2e03", "Ctrl-C");
	CHECK(s.flags1 & KF1_CTRL && s.flags2 & KF2_LCTRL, "Ctrl flags while held");
	CHECK_STR(XLATE(&s, 0xe0, 0x1d, 0x9d), "", "right Ctrl too, left released");
	CHECK(s.flags1 & KF1_CTRL && s.flags3 & KF3_RCTRL && !(s.flags2 & KF2_LCTRL),
	      "Ctrl stays down while the right key is held");
	CHECK_STR(XLATE(&s, 0xe0, 0x9d), "", "right Ctrl released");
	CHECK(!(s.flags1 & KF1_CTRL), "Ctrl up");
	CHECK_STR(XLATE(&s, 0xe0, 0x48, 0xe0, 0xc8), "48e0", "E0 48: Up, grey (E0h)");
	CHECK_STR(XLATE(&s, 0x48, 0xc8), "4800", "48 without E0: keypad 8 as Up");
	CHECK_STR(XLATE(&s, 0x45, 0xc5, 0x48, 0xc8), "4838", "Num Lock on: keypad 8 is '8'");
	CHECK(s.flags1 & KF1_NUM, "0417h bit 5: Num Lock");
	CHECK_STR(XLATE(&s, 0x45, 0xc5, 0x3a, 0xba, 0x1e, 0x2a, 0x1e, 0xaa), "1e41 1e61",
		  "Caps Lock: A, and a with Shift");
	CHECK_STR(XLATE(&s, 0x3a, 0xba, 0x38, 0x4f, 0xcf, 0x50, 0xd0, 0xb8), "000c",
		  "Alt + keypad 1 2: byte 0Ch with scan code 0");
	CHECK_STR(XLATE(&s, 0x38, 0x1e, 0x9e, 0xb8), "1e00", "Alt-A");
	CHECK_STR(XLATE(&s, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x10), "1071",
		  "Pause gives nothing and changes no lock");
	CHECK(!(s.flags1 & KF1_NUM), "Num Lock still off after Pause");
	CHECK_STR(XLATE(&s, 0xfa, 0xaa, 0xee, 0xfe, 0x00), "", "keyboard replies are no keys");
	CHECK_STR(XLATE(&s, 0x57, 0x2a, 0x58, 0xd8, 0xaa), "8500 8800", "F11, Shift-F12");
	CHECK_STR(XLATE(&s, 0xe0, 0x52, 0xe0, 0xd2), "52e0", "Insert");
	CHECK(s.flags1 & KF1_INSERT, "toggles 0417h bit 7");

	/* Every byte stdin can give types back into the key it stands for. */
	for (unsigned b = 0; b < 256; b++) {
		uint16_t key = bios_key_code((uint8_t)b), got = 0;
		uint8_t bytes[SCANCODE_MAX];
		unsigned n = scancode_encode(key, bytes), keys = 0;

		memset(&s, 0, sizeof(s));
		for (unsigned i = 0; i < n; i++)
			if (scancode_translate(&s, bytes[i], &got))
				keys++;
		if (key && (keys != 1 || got != key || s.flags1 || s.flags2)) {
			all = false;
			tap_check(false, "round trip", __FILE__, __LINE__, "byte %02X: key %04X gave %04X",
				  b, key, got);
		}
	}
	CHECK(all, "every stdin byte's key survives scan codes and INT 09h");
}

/* ---- the host side and the BIOS on top ---- */

struct bench {
	struct guest_mem mem;
	struct bios b;
	struct i8042 kbd;
	struct kbd_input in;
	int pipe[2];
};

static bool bench_open(struct bench *t)
{
	uint16_t entry;

	memset(t, 0, sizeof(*t));
	t->pipe[0] = t->pipe[1] = -1;
	if (pipe(t->pipe) < 0 || mem_alloc(&t->mem, BIOS_MEM_MIN) < 0)
		return false;
	t->b = (struct bios){ .drive = 0x80, .err = stderr };
	if (bios_install(&t->b, &t->mem, &entry) < 0)
		return false;
	i8042_init(&t->kbd, NULL);
	kbd_input_init(&t->in, t->pipe[0], &t->kbd);
	return true;
}

static void bench_close(struct bench *t)
{
	if (t->pipe[0] >= 0)
		close(t->pipe[0]);
	if (t->pipe[1] >= 0)
		close(t->pipe[1]);
	mem_free(&t->mem);
}

static struct bios_frame call(struct bench *t, uint8_t vector, uint16_t ax)
{
	struct bios_frame f = { .eax = ax, .vector = vector, .ip = 0x7c02 };
	uint8_t raw[BIOS_FRAME_SIZE];

	bios_frame_encode(&f, raw);
	mem_write(&t->mem, 0x7000, raw, sizeof(raw));
	bios_serve(&t->b, 0x7000);
	mem_read(&t->mem, 0x7000, raw, sizeof(raw));
	bios_frame_decode(raw, &f);
	return f;
}

/* A byte from the keyboard through the ROM's INT 09h: it reads port 60h
 * and passes the byte in AL. */
static void int09(struct bench *t, uint8_t byte)
{
	i8042_key_bytes(&t->kbd, &byte, 1);
	call(t, 0x09, i8042_read(&t->kbd, I8042_DATA));
}

static uint16_t bda(struct bench *t, uint16_t off)
{
	uint8_t v[2];

	mem_read(&t->mem, BDA_BASE + off, v, 2);
	return (uint16_t)(v[0] | v[1] << 8);
}

static void test_pump(void)
{
	struct bench t;
	char got[256] = "";
	size_t len = 0;

	if (!bench_open(&t)) {
		tap_skip("no pipe or memory for the pump tests");
		bench_close(&t);
		return;
	}
	CHECK(write(t.pipe[1], "aaaaaaaaaaaaaaaaaaaaAb\033[A", 25) == 25, "keys into the pipe");
	CHECK(!kbd_input_pump(&t.in) && !i8042_busy(&t.kbd), "not claimed: stdin is left alone");
	CHECK_INT(kbd_input_poll_fd(&t.in), -1, "and not polled");
	out(&t.kbd, I8042_STATUS, 0xaa);
	in(&t.kbd, I8042_STATUS);
	CHECK(!t.in.claimed, "a status read with a reply waiting does not claim stdin");
	CHECK_HEX(in(&t.kbd, I8042_DATA), 0x55, "and the reply comes first");
	in(&t.kbd, I8042_STATUS);	/* the guest looks for a key that is not there */
	CHECK(t.in.claimed && !i8042_busy(&t.kbd),
	      "a status read finding nothing claims stdin, and types nothing yet");
	CHECK(in(&t.kbd, I8042_STATUS) & I8042_STR_OBF, "the next read shows the keys typed meanwhile");
	/* Read everything as a guest polling port 0x64 would. */
	for (unsigned i = 0; i < 500 && len < sizeof(got) - 4; i++) {
		if (in(&t.kbd, I8042_STATUS) & I8042_STR_OBF)
			len += (size_t)snprintf(got + len, sizeof(got) - len, "%02x", in(&t.kbd, I8042_DATA));
		else if (!kbd_input_can_come(&t.in) || len >= 2 * 50)
			break;
		else
			kbd_input_wait(&t.in, 5);
	}
	CHECK_STR(got, "1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e1e9e"
		  "2a1e9eaa30b0e048e0c8", "20 a, A, b, Up: every byte, in order, none lost");
	/* Keys queued ahead of a lone ESC: no wake-up is due for the ESC
	 * until they are typed (else the run loop would be kicked at once,
	 * over and over). */
	CHECK(write(t.pipe[1], "abc\033", 4) == 4, "keys and a lone ESC into the pipe");
	kbd_input_pump(&t.in);
	CHECK(t.in.count > 0 && keymap_pending(&t.in.keymap) && kbd_input_timeout_ms(&t.in) < 0,
	      "an ESC behind untyped keys asks for no wake-up");
	while (in(&t.kbd, I8042_STATUS) & I8042_STR_OBF)
		in(&t.kbd, I8042_DATA);
	CHECK(t.in.count == 0 && kbd_input_timeout_ms(&t.in) >= 0 &&
	      kbd_input_timeout_ms(&t.in) <= KBD_ESC_WAIT_MS, "once they are typed, it does");
	close(t.pipe[1]);
	t.pipe[1] = -1;
	kbd_input_pump(&t.in);
	CHECK(!kbd_input_can_come(&t.in), "stdin closed: no key can come");
	bench_close(&t);
}

static void test_bios_keyboard(void)
{
	struct bench t;
	struct bios_frame f;
	char got[512] = "";
	size_t len = 0;
	bool order = true;

	if (!bench_open(&t)) {
		tap_skip("no pipe or memory for the BIOS keyboard tests");
		bench_close(&t);
		return;
	}
	bios_keyboard_attach(&t.b, &t.in);
	CHECK_HEX(bda(&t, BDA_KBD_START), 0x1e, "BDA 0480h: buffer start 1Eh");
	CHECK_HEX(bda(&t, BDA_KBD_END), 0x3e, "BDA 0482h: buffer end 3Eh");
	/* INT 09h with AL = the byte read from port 60h. */
	int09(&t, 0x2a);
	f = call(&t, 0x16, 0x0200);
	CHECK_HEX(f.eax & 0xff, 0x02, "INT 09h took Left Shift down: AH=02h says so");
	int09(&t, 0x1e);
	call(&t, 0x09, 0x1e);	/* a handler that read the byte chains to the BIOS */
	CHECK_HEX(bda(&t, BDA_KBD_TAIL), 0x20, "the same byte twice through INT 09h is one key");
	int09(&t, 0xaa);
	CHECK_HEX(bda(&t, BDA_KBD_TAIL), 0x20, "one key in the buffer: tail moved to 20h");
	CHECK_HEX(bda(&t, 0x1e), 0x1e41, "and it is A (1E41h)");
	f = call(&t, 0x16, 0x0100);
	CHECK(!(f.flags & FLAG_ZF) && (uint16_t)f.eax == 0x1e41, "AH=01h sees it");
	f = call(&t, 0x16, 0x0000);
	CHECK(f.action == BIOS_RETURN && (uint16_t)f.eax == 0x1e41, "AH=00h takes it");
	CHECK_HEX(bda(&t, BDA_KBD_HEAD), 0x20, "head moved after it");
	int09(&t, 0x1d);
	int09(&t, 0xe0);
	int09(&t, 0x38);
	f = call(&t, 0x16, 0x1200);
	CHECK_HEX((uint16_t)f.eax, 0x090c, "AH=12h: left Ctrl and right Alt held, Ctrl+Alt");
	int09(&t, 0x9d);
	int09(&t, 0xe0);
	int09(&t, 0xb8);

	f = call(&t, 0x15, 0x4f1e);
	CHECK((f.flags & FLAG_CF) && (uint16_t)f.eax == 0x4f1e,
	      "INT 15h AH=4Fh: no intercept, CF set and AL kept");

	/* AH=05h until full: 15 keys fit in 16 slots. */
	for (unsigned i = 0; i < 15; i++)
		order &= (call(&t, 0x16, 0x0500).eax & 0xff) == 0;
	CHECK(order, "AH=05h puts 15 keys in");
	{
		struct bios_frame g = { .eax = 0x0500, .ecx = 0x1234, .vector = 0x16 };
		uint8_t raw[BIOS_FRAME_SIZE];

		bios_frame_encode(&g, raw);
		mem_write(&t.mem, 0x7000, raw, sizeof(raw));
		bios_serve(&t.b, 0x7000);
		mem_read(&t.mem, 0x7000, raw, sizeof(raw));
		bios_frame_decode(raw, &g);
		CHECK_HEX(g.eax & 0xff, 1, "the 16th: AL=1, buffer full");
	}
	for (unsigned i = 0; i < 15; i++)
		call(&t, 0x16, 0x1000);
	CHECK_HEX(bda(&t, BDA_KBD_HEAD), bda(&t, BDA_KBD_TAIL), "all read: head meets tail");

	/* Keys from stdin through the 8042 and INT 09h's work into the buffer:
	 * more than it holds, none lost, flow control holding the rest. */
	CHECK(write(t.pipe[1], "The quick brown fox jumps over the lazy dog!\x03\033[24~\033[B", 54) == 54,
	      "a sentence, Ctrl-C, F12 and Down into the pipe");
	order = true;
	for (unsigned i = 0; i < 400 && len < sizeof(got) - 8; i++) {
		f = call(&t, 0x16, 0x1000);
		if (f.action == BIOS_RETURN)
			len += (size_t)snprintf(got + len, sizeof(got) - len, "%04x ", (uint16_t)f.eax);
		if (len >= 47 * 5)
			break;
	}
	CHECK_STR(got, "1454 2368 1265 3920 1071 1675 1769 2e63 256b 3920 3062 1372 186f 1177 316e "
		  "3920 2166 186f 2d78 3920 246a 1675 326d 1970 1f73 3920 186f 2f76 1265 1372 3920 "
		  "1474 2368 1265 3920 266c 1e61 2c7a 1579 3920 2064 186f 2267 0221 2e03 8600 50e0 ",
		  "AH=10h returns every key in order (the buffer holds 15)");
	close(t.pipe[1]);
	t.pipe[1] = -1;
	f = call(&t, 0x16, 0x1100);
	CHECK(f.flags & FLAG_ZF, "stdin closed and empty: AH=11h finds no key");

	/* A guest's own INT 09h: the VMM leaves the 8042's bytes to it. */
	mem_write(&t.mem, 9 * 4, (uint8_t[]){ 0x00, 0x10, 0x00, 0x00 }, 4);
	i8042_key_bytes(&t.kbd, (uint8_t[]){ 0x1e, 0x9e }, 2);
	f = call(&t, 0x16, 0x0100);
	CHECK((f.flags & FLAG_ZF) && t.kbd.obf, "INT 09h hooked: the byte waits for the guest's handler");
	bench_close(&t);
}

void test_i8042(void)
{
	tap_suite("i8042: controller commands");
	test_controller();
	tap_suite("i8042: keyboard commands");
	test_keyboard_commands();
	tap_suite("i8042: FIFO and IRQ1");
	test_fifo_and_irq();
	test_hold();
	tap_suite("scancode: keys to set 1");
	test_encode();
	tap_suite("scancode: INT 09h translation");
	test_translate();
	tap_suite("kbd_input: stdin to the keyboard");
	test_pump();
	tap_suite("bios: INT 09h and INT 16h on the BDA buffer");
	test_bios_keyboard();
}
