/*
 * history.c - the execution history (see history.h).
 *
 * One record per step, carved out of 64 KiB slabs in order and reached
 * through a ring of pointers, so that both ends move in O(1) and a step
 * costs its bytes and one pointer.  A record is a byte string:
 *   varint size of the whole record (this varint included)
 *   varint nchanged; nchanged x { varint index gap, varint old, varint old^new }
 *   varint vector + 1 (0: none; 257: a debugger's write)
 *   varint ninput; the input bytes
 *   varint nmem; nmem x { varint gpa, varint len, old bytes, new bytes }
 * Varints are LEB128 (7 bits a byte); real-mode register values take 1-3
 * bytes instead of 8.
 */
#include "history.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What a record costs beyond its bytes: the ring's pointer.  (The slabs'
 * unused ends are not counted: at most the head and the tail slab have
 * room to spare, both ends being where records come and go.) */
#define RECORD_OVERHEAD sizeof(uint8_t *)
#define SLAB_SIZE (64 * 1024)

/* Records are carved one after another out of slabs, oldest slab first. */
struct history_slab {
	struct history_slab *prev, *next;
	size_t used, cap, live;	/* bytes handed out, bytes in all, records alive */
	uint8_t data[];
};
#define VARINT_MAX 10

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Records are our own bytes: no bound checks beyond the shift. */
static uint64_t get_varint(const uint8_t **p)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	do {
		b = *(*p)++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return v;
}

/* Make room for more bytes in a scratch buffer; false when out of memory. */
static bool reserve(uint8_t **buf, size_t *cap, size_t len, size_t more)
{
	size_t want;
	uint8_t *p;

	if (more > SIZE_MAX - len)
		return false;
	want = len + more;
	if (want <= *cap)
		return true;
	if (want < 256)
		want = 256;
	if (want < *cap * 2 && *cap < SIZE_MAX / 2)
		want = *cap * 2;
	p = realloc(*buf, want);
	if (!p)
		return false;
	*buf = p;
	*cap = want;
	return true;
}

int history_init(struct history *h, unsigned nwords, uint64_t budget, uint64_t start)
{
	*h = (struct history){ 0 };
	if (nwords == 0 || nwords > HISTORY_MAX_WORDS)
		return -EINVAL;
	h->nwords = nwords;
	h->budget = budget;
	h->first = h->pos = start;
	return 0;
}

static uint8_t **slot(const struct history *h, size_t i)
{
	return &h->recs[(h->head + i) & (h->cap - 1)];
}

/* A record's whole size, from the varint it begins with; *payload (may
 * be NULL) is where the rest begins. */
static size_t rec_size_of(const uint8_t *rec, const uint8_t **payload)
{
	const uint8_t *p = rec;
	size_t size = (size_t)get_varint(&p);

	if (payload)
		*payload = p;
	return size;
}

static void unlink_slab(struct history *h, struct history_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->slab_head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		h->slab_tail = s->prev;
	free(s);
}

/* Room for a record of size bytes at the tail; NULL when out of memory. */
static uint8_t *slab_alloc(struct history *h, size_t size)
{
	struct history_slab *t = h->slab_tail;
	size_t cap;

	if (!t || t->cap - t->used < size) {
		cap = size > SLAB_SIZE ? size : SLAB_SIZE;
		t = malloc(sizeof(*t) + cap);
		if (!t)
			return NULL;
		*t = (struct history_slab){ .prev = h->slab_tail, .cap = cap };
		if (h->slab_tail)
			h->slab_tail->next = t;
		else
			h->slab_head = t;
		h->slab_tail = t;
	}
	t->used += size;
	t->live++;
	return t->data + t->used - size;
}

/* The oldest record lives in the head slab, the newest at the end of the
 * tail slab: records only come and go at the two ends. */
static void drop_oldest(struct history *h)
{
	struct history_slab *s = h->slab_head;

	h->bytes -= rec_size_of(*slot(h, 0), NULL) + RECORD_OVERHEAD;
	if (--s->live == 0)
		unlink_slab(h, s);
	h->head = (h->head + 1) & (h->cap - 1);
	h->count--;
	h->first++;
	h->dropped++;
}

static void drop_newest(struct history *h)
{
	struct history_slab *s = h->slab_tail;
	size_t size = rec_size_of(*slot(h, h->count - 1), NULL);

	h->bytes -= size + RECORD_OVERHEAD;
	s->used -= size;
	if (--s->live == 0)
		unlink_slab(h, s);
	h->count--;
}

void history_clear(struct history *h, uint64_t start)
{
	while (h->count)
		drop_newest(h);
	h->head = 0;
	h->first = h->pos = start;
}

void history_drop_future(struct history *h)
{
	if (h->building)
		history_abort(h);
	while (h->first + h->count > h->pos)
		drop_newest(h);
}

/* The vector field of record rec, without applying it. */
static int vector_of(const uint8_t *rec)
{
	const uint8_t *p;
	uint64_t n;

	rec_size_of(rec, &p);
	n = get_varint(&p);
	for (uint64_t k = 0; k < 3 * n; k++)
		(void)get_varint(&p);
	return (int)get_varint(&p) - 1;
}

int history_peek(const struct history *h)
{
	if (h->building || h->pos == h->first + h->count)
		return -ENOENT;
	return vector_of(*slot(h, (size_t)(h->pos - h->first)));
}

int history_peek_back(const struct history *h)
{
	if (h->building || h->pos == h->first)
		return -ENOENT;
	return vector_of(*slot(h, (size_t)(h->pos - 1 - h->first)));
}

void history_free(struct history *h)
{
	history_clear(h, h->pos);
	free(h->recs);
	free(h->hdr);
	free(h->input);
	free(h->mem);
	free(h->offs);
	*h = (struct history){ 0 };
}

static void fit_budget(struct history *h)
{
	while (h->bytes > h->budget && h->count && h->first < h->pos)
		drop_oldest(h);
	while (h->bytes > h->budget && h->count)
		drop_newest(h);	/* only steps after pos are left */
}

void history_set_budget(struct history *h, uint64_t budget)
{
	h->budget = budget;
	fit_budget(h);
}

int history_begin(struct history *h, const uint64_t *before, const uint64_t *after, int vector)
{
	unsigned prev = 0;
	size_t n = 0;
	uint8_t *p;

	if (h->building)
		history_abort(h);
	if (vector < HISTORY_NO_VECTOR || vector > HISTORY_DEBUGGER_WRITE)
		return -EINVAL;
	/* Worst case: the count, three varints a word, the vector. */
	if (!reserve(&h->hdr, &h->hdr_cap, 0, (3 * (size_t)h->nwords + 2) * VARINT_MAX))
		return -ENOMEM;
	h->building = true;
	h->oversize = false;
	h->error = 0;
	h->input_len = h->mem_len = h->nmem = 0;
	for (unsigned i = 0; i < h->nwords; i++)
		n += before[i] != after[i];
	p = h->hdr;
	p += put_varint(p, n);
	for (unsigned i = 0; i < h->nwords; i++) {
		if (before[i] == after[i])
			continue;
		p += put_varint(p, i - prev);
		p += put_varint(p, before[i]);
		p += put_varint(p, before[i] ^ after[i]);
		prev = i + 1;
	}
	p += put_varint(p, (uint64_t)(vector + 1));
	h->hdr_len = (size_t)(p - h->hdr);
	return 0;
}

/* Would the step now being built be larger than the whole budget? */
static bool over_budget(const struct history *h, size_t more)
{
	uint64_t size = (uint64_t)h->hdr_len + h->input_len + h->mem_len +
			4 * VARINT_MAX + RECORD_OVERHEAD;

	return more > h->budget || size > h->budget - more;
}

void history_add_mem(struct history *h, uint64_t gpa, const uint8_t *old_bytes,
		     const uint8_t *new_bytes, uint32_t len)
{
	size_t more = 2 * VARINT_MAX + 2 * (size_t)len;
	uint8_t *p;

	if (!h->building || h->error || len == 0)
		return;
	if (gpa + len < gpa) {
		h->error = -EINVAL;
		return;
	}
	if (h->oversize || over_budget(h, more)) {
		h->oversize = true;	/* keep nothing: commit says -E2BIG */
		return;
	}
	if (!reserve(&h->mem, &h->mem_cap, h->mem_len, more)) {
		h->error = -ENOMEM;
		return;
	}
	p = h->mem + h->mem_len;
	p += put_varint(p, gpa);
	p += put_varint(p, len);
	memcpy(p, old_bytes, len);
	memcpy(p + len, new_bytes, len);
	h->mem_len = (size_t)(p - h->mem) + 2 * (size_t)len;
	h->nmem++;
}

void history_add_input(struct history *h, const uint8_t *bytes, size_t len)
{
	if (!h->building || h->error || len == 0)
		return;
	if (h->oversize || over_budget(h, len)) {
		h->oversize = true;
		return;
	}
	if (!reserve(&h->input, &h->input_cap, h->input_len, len)) {
		h->error = -ENOMEM;
		return;
	}
	memcpy(h->input + h->input_len, bytes, len);
	h->input_len += len;
}

void history_abort(struct history *h)
{
	h->building = false;
}

static int grow_ring(struct history *h)
{
	size_t cap = h->cap ? h->cap * 2 : 64;
	uint8_t **recs;

	if (cap > SIZE_MAX / sizeof(*recs))
		return -ENOMEM;
	recs = malloc(cap * sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	for (size_t i = 0; i < h->count; i++)
		recs[i] = *slot(h, i);
	free(h->recs);
	h->recs = recs;
	h->cap = cap;
	h->head = 0;
	return 0;
}

int history_commit(struct history *h)
{
	uint8_t counts[2 * VARINT_MAX], head[VARINT_MAX], *rec, *p;
	size_t nin, nm, nhead, payload, size;
	int err = h->error;

	if (!h->building)
		return -EINVAL;
	h->building = false;
	/* The new step follows pos: what came after pos is another timeline. */
	while (h->first + h->count > h->pos)
		drop_newest(h);
	if (!err && h->oversize)
		err = -E2BIG;
	if (err)
		goto lost;
	nin = put_varint(counts, h->input_len);
	nm = put_varint(counts + nin, h->nmem);
	payload = h->hdr_len + nin + h->input_len + nm + h->mem_len;
	/* The size leads the record and counts itself: a fixed point, as the
	 * varint's length grows with the size. */
	size = payload + 1;
	while (size != payload + put_varint(head, size))
		size = payload + put_varint(head, size);
	nhead = put_varint(head, size);
	err = -E2BIG;
	if (size + RECORD_OVERHEAD > h->budget)
		goto lost;
	err = -ENOMEM;
	if (h->count == h->cap && grow_ring(h))
		goto lost;
	rec = slab_alloc(h, size);
	if (!rec)
		goto lost;
	p = rec;
	memcpy(p, head, nhead);
	p += nhead;
	memcpy(p, h->hdr, h->hdr_len);
	p += h->hdr_len;
	memcpy(p, counts, nin);
	p += nin;
	if (h->input_len)
		memcpy(p, h->input, h->input_len);
	p += h->input_len;
	memcpy(p, counts + nin, nm);
	p += nm;
	if (h->mem_len)
		memcpy(p, h->mem, h->mem_len);
	*slot(h, h->count) = rec;
	h->count++;
	h->pos++;
	h->bytes += size + RECORD_OVERHEAD;
	fit_budget(h);
	return 0;
lost:
	/* A chain with a step missing cannot be walked: start after it. */
	history_clear(h, h->pos + 1);
	return err;
}

/* Apply one record's words (old or new values) to state and fill tag; leaves
 * *p at the memory entries and returns their count. */
static size_t apply_words(const struct history *h, const uint8_t **p, bool undo,
			  uint64_t *state, struct history_tag *tag)
{
	struct history_tag t = { 0 };
	uint64_t n = get_varint(p);
	unsigned at = 0;

	for (uint64_t k = 0; k < n; k++) {
		uint64_t old, diff;

		at += (unsigned)get_varint(p);
		old = get_varint(p);
		diff = get_varint(p);
		if (at < h->nwords) {
			state[at] = undo ? old : old ^ diff;
			t.changed[at / 64] |= 1ULL << (at % 64);
		}
		at++;
	}
	t.vector = (int)get_varint(p) - 1;
	t.ninput = (size_t)get_varint(p);
	t.input = *p;
	*p += t.ninput;
	if (tag)
		*tag = t;
	return (size_t)get_varint(p);
}

int history_undo(struct history *h, uint64_t *state, history_write_fn write, void *ctx,
		 struct history_tag *tag)
{
	uint64_t words[HISTORY_MAX_WORDS];
	const uint8_t *rec, *p;
	size_t nmem;

	if (h->building || h->pos == h->first)
		return h->building ? -EBUSY : -ENOENT;
	rec = *slot(h, (size_t)(h->pos - 1 - h->first));
	rec_size_of(rec, &p);
	/* Into a copy: state is untouched when the undo fails. */
	memcpy(words, state, h->nwords * sizeof(*words));
	nmem = apply_words(h, &p, true, words, tag);
	if (nmem > h->offs_cap) {
		size_t *offs = realloc(h->offs, nmem * sizeof(*offs));

		if (!offs)
			return -ENOMEM;
		h->offs = offs;
		h->offs_cap = nmem;
	}
	/* Entries are walked forward to find them, applied last first. */
	for (size_t i = 0; i < nmem; i++) {
		uint64_t len;

		h->offs[i] = (size_t)(p - rec);
		(void)get_varint(&p);
		len = get_varint(&p);
		p += 2 * len;
	}
	for (size_t i = nmem; i-- > 0;) {
		const uint8_t *e = rec + h->offs[i];
		uint64_t gpa = get_varint(&e);
		uint32_t len = (uint32_t)get_varint(&e);

		write(ctx, gpa, e, len);
	}
	memcpy(state, words, h->nwords * sizeof(*words));
	h->pos--;
	return 0;
}

int history_redo(struct history *h, uint64_t *state, history_write_fn write, void *ctx,
		 struct history_tag *tag)
{
	const uint8_t *p;
	size_t nmem;

	if (h->building || h->pos == h->first + h->count)
		return h->building ? -EBUSY : -ENOENT;
	rec_size_of(*slot(h, (size_t)(h->pos - h->first)), &p);
	nmem = apply_words(h, &p, false, state, tag);
	for (size_t i = 0; i < nmem; i++) {
		uint64_t gpa = get_varint(&p);
		uint32_t len = (uint32_t)get_varint(&p);

		write(ctx, gpa, p + len, len);
		p += 2 * (size_t)len;
	}
	h->pos++;
	return 0;
}

void history_stats(const struct history *h, struct history_stats *st)
{
	*st = (struct history_stats){
		.first = h->first,
		.pos = h->pos,
		.end = h->first + h->count,
		.steps = h->count,
		.bytes = h->bytes,
		.budget = h->budget,
		.dropped = h->dropped,
	};
}
