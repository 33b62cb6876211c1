/*
 * coverage.c - --coverage (coverage.h): the DWARF line tables of the
 * guest's ELF files turned into coverage traps at physical addresses, the
 * hits counted through the breakpoint table's coverage hook, and the lcov
 * tracefile and summary line written when the run ends.
 *
 * The ELF GUEST's and --symbols ELF[@OFFSET] line tables are read
 * (dwarf_line.h); every is_stmt row inside a loaded segment (virtual
 * addresses, mapped to the segment's physical address, plus OFFSET) that
 * lies in RAM, but for the lines of assembly sources that define data (db,
 * times...: asm_data.h), gets one coverage trap at that physical address; a hit lifts
 * it (or, with --coverage-counts, keeps and counts it); the report (a
 * line's hits: the largest of its first instructions' counts) is written
 * after every end of the run (main.c).  A file whose bytes at its lines'
 * first instructions match guest memory neither before the run nor at its
 * end is refused: before the run when memory holds other code there (exit
 * status STATUS_COVERAGE, the guest does not run), after it when memory
 * held zeros there (a later stage never loaded: left out of the report,
 * exit status STATUS_COVERAGE).
 * With reverse debugging (--record) each recorded step counts its line, a guest HLT stepped outside KVM
 * (debug_run.c) too, and replay counts nothing again.
 * Limits: a trap met at CPL 3 (HLT faults there) cannot count: a guest with no
 * handler triple-faults at it, and the end of the run says so
 * (explain_user_mode_trap); docs/coverage.md tells users to give kernel
 * code only.  Costs: make bench, figures 13, 13b and 14 (docs/performance.md).
 * Left for later: int3 traps (any CPL) on hosts that report int3 to the
 * VMM, with copies of 0xcc recognised as copies of HLT are.
 */
#include "coverage.h"
#include "asm_data.h"
#include "dwarf_line.h"
#include "elf_loader.h"
#include "lcov.h"
#include "loader.h"
#include "location.h"
#include "status.h"
#include "vcpu.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first instruction of a line, where it runs. */
struct cov_stmt {
	uint64_t phys;
	uint32_t path;		/* index into coverage.paths */
	uint32_t line;
};

/* One trap: an address some lines start at. */
struct cov_site {
	uint64_t phys;
	uint64_t hits;
};

/* One ELF file read: its lines are stmts[first, first + n). */
struct cov_source {
	const char *name;
	size_t first, n;
	bool matched;		/* guest memory held its code (before or after the run) */
	uint64_t bad_addr;	/* where it did not, before the run */
	uint8_t bad_file, bad_mem;
};

struct coverage {
	FILE *out;
	const char *out_path;
	bool counts;
	struct cov_stmt *stmts;
	size_t nstmts, cap;
	/* The bytes the file has at each stmt's address (what the guest's
	 * memory must hold for the file to describe it); 256: .bss. */
	uint16_t *want;
	struct cov_site *sites;	/* sorted by phys, each once */
	size_t nsites;
	char **paths;
	size_t npaths;
	/* Per path: which of its lines define data (asm sources; NULL else). */
	unsigned char **data;
	size_t *nlines;
	struct cov_source src[MAX_SYMBOLS + 1];
	unsigned nsrc;
	size_t outside;		/* lines whose code lies outside RAM */
};

static int fail(FILE *err, int e, const char *fmt, const char *a, const char *b)
{
	fprintf(err, "gdbvm: coverage: ");
	fprintf(err, fmt, a, b);
	fprintf(err, "\n");
	return e;
}

/* The whole of an ELF file, malloc'ed. */
static int read_whole(const char *path, uint8_t **buf, size_t *len, FILE *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e = 0;

	if (fd < 0)
		return fail(err, -errno, "cannot read '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		e = -errno;
	else if (!S_ISREG(st.st_mode))
		e = -EINVAL;
	else if (st.st_size == 0 || st.st_size > ELF_FILE_MAX)
		e = -EFBIG;
	if (!e) {
		*len = (size_t)st.st_size;
		*buf = malloc(*len);
		e = *buf ? read_file_start(fd, *buf, *len) : -ENOMEM;
		if (e)
			free(*buf);
	}
	close(fd);
	if (e)
		return fail(err, e, "cannot read '%s': %s", path, e == -EINVAL ? "not a regular file" :
			    e == -EFBIG ? "empty, or larger than 256 MiB" : strerror(-e));
	return 0;
}

#define SOURCE_MAX (16u << 20)	/* larger sources are not looked into */

/* Which lines of the assembly source at path define data: *map[line - 1]
 * (malloc'ed, NULL with *n 0 when path is no assembly source or cannot be
 * read: then every row counts as code).  -ENOMEM. */
static int data_lines(const char *path, unsigned char **map, size_t *n)
{
	struct stat st;
	FILE *f;
	char *text = NULL;
	size_t len = 0, lines = 1, k = 0;

	*map = NULL;
	*n = 0;
	if (!asm_source_name(path) || !(f = fopen(path, "re")))
		return 0;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SOURCE_MAX) {
		fclose(f);
		return 0;
	}
	text = malloc((size_t)st.st_size + 1);
	if (text)
		len = fread(text, 1, (size_t)st.st_size, f);
	fclose(f);
	if (!text)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	*map = calloc(lines, 1);
	if (!*map) {
		free(text);
		return -ENOMEM;
	}
	for (size_t i = 0; i < len; k++) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		(*map)[k] = asm_line_is_data(text + i, end - i);
		i = end + 1;
	}
	*n = lines;
	free(text);
	return 0;
}

static bool is_data_line(const struct coverage *c, uint32_t path, uint32_t line)
{
	return line <= c->nlines[path] && c->data[path][line - 1];
}

/* The path a report names a source file by: the table's absolute path,
 * or (nasm) the path without the compilation directory from here when only
 * that one exists.  Its index in c->paths; -ENOMEM. */
static long path_index(struct coverage *c, const struct dwarf_file *f)
{
	char resolved[PATH_MAX], **grown;
	const char *p = f->path;

	if (access(f->path, F_OK) < 0 && f->rel && access(f->rel, F_OK) == 0 &&
	    realpath(f->rel, resolved))
		p = resolved;
	for (size_t i = 0; i < c->npaths; i++)
		if (strcmp(c->paths[i], p) == 0)
			return (long)i;
	grown = realloc(c->paths, (c->npaths + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	c->paths = grown;
	{
		unsigned char **d = realloc(c->data, (c->npaths + 1) * sizeof(*d));
		size_t *nl;

		if (!d)
			return -ENOMEM;
		c->data = d;
		nl = realloc(c->nlines, (c->npaths + 1) * sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		c->nlines = nl;
	}
	c->paths[c->npaths] = strdup(p);
	c->data[c->npaths] = NULL;
	c->nlines[c->npaths] = 0;
	if (!c->paths[c->npaths])
		return -ENOMEM;
	if (data_lines(p, &c->data[c->npaths], &c->nlines[c->npaths]) < 0) {
		free(c->paths[c->npaths]);
		return -ENOMEM;
	}
	return (long)c->npaths++;
}

static int add_stmt(struct coverage *c, uint64_t phys, uint32_t path, uint32_t line, uint16_t want)
{
	if (c->nstmts == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct cov_stmt *s = realloc(c->stmts, cap * sizeof(*s));
		uint16_t *w;

		if (!s)
			return -ENOMEM;
		c->stmts = s;
		w = realloc(c->want, cap * sizeof(*w));
		if (!w)
			return -ENOMEM;
		c->want = w;
		c->cap = cap;
	}
	c->stmts[c->nstmts] = (struct cov_stmt){ phys, path, line };
	c->want[c->nstmts++] = want;
	return 0;
}

/* The segment of img holding virtual address addr, or NULL. */
static const struct elf_segment *segment_of(const struct elf_image *img, uint64_t addr)
{
	for (unsigned i = 0; i < img->nsegs; i++)
		if (addr >= img->segs[i].vaddr && addr - img->segs[i].vaddr < img->segs[i].memsz)
			return &img->segs[i];
	return NULL;
}

/* The lines of one file's table: where each runs, and the byte it starts with. */
static int add_stmts(struct coverage *c, struct machine *m, const uint8_t *file,
		     const struct elf_image *img, const struct dwarf_lines *l,
		     const struct dwarf_stmt *st, size_t n, uint64_t offset)
{
	/* Each of the table's files resolved once (path_index looks for the
	 * file on disk): slot f holds its index + 1, 0 until looked up. */
	long *index = calloc(l->nfiles ? l->nfiles : 1, sizeof(*index));
	int e = 0;

	if (!index)
		return -ENOMEM;
	for (size_t i = 0; i < n && !e; i++) {
		const struct elf_segment *seg = segment_of(img, st[i].addr);
		uint64_t in, phys;
		uint16_t want = 256;
		long path;

		if (!seg || st[i].line == 0)
			continue;
		in = st[i].addr - seg->vaddr;
		phys = seg->paddr + in + offset;
		if (phys < seg->paddr || !mem_range_ok(&m->mem, phys, 1)) {
			c->outside++;
			continue;
		}
		if (in < seg->filesz)
			want = file[seg->offset + in];
		if (!index[st[i].file]) {
			path = path_index(c, &l->files[st[i].file]);
			if (path < 0) {
				e = (int)path;
				break;
			}
			index[st[i].file] = path + 1;
		}
		path = index[st[i].file] - 1;
		if (is_data_line(c, (uint32_t)path, st[i].line))
			continue;	/* db, times ...: the guest may read it */
		e = add_stmt(c, phys, (uint32_t)path, st[i].line, want);
	}
	free(index);
	return e;
}

/* Does guest memory hold src's code (the first byte of each of its
 * lines), reading through planted traps?  The first difference in *s. */
static bool source_matches(const struct coverage *c, struct machine *m, struct cov_source *s)
{
	for (size_t i = s->first; i < s->first + s->n; i++) {
		uint8_t b;

		if (c->want[i] > 255)
			continue;
		mem_read(&m->mem, c->stmts[i].phys, &b, 1);
		debug_unplant_copy(&m->debug, c->stmts[i].phys, &b, 1);
		if (b != c->want[i]) {
			s->bad_addr = c->stmts[i].phys;
			s->bad_file = (uint8_t)c->want[i];
			s->bad_mem = b;
			return false;
		}
	}
	return true;
}

/* Is nothing loaded yet where src's lines start (zeros there: a later
 * stage's code, which a BIOS disk read or the guest itself brings)? */
static bool source_unloaded(const struct coverage *c, struct machine *m, const struct cov_source *s)
{
	for (size_t i = s->first; i < s->first + s->n; i++) {
		uint8_t b;

		mem_read(&m->mem, c->stmts[i].phys, &b, 1);
		if (b)
			return false;
	}
	return true;
}

/* Before the run: every source either holds its code in guest memory or
 * has nothing loaded there yet (checked again at the end); any other is
 * the code of something else, and traps there would break the guest. */
static int check_sources_start(struct coverage *c, struct machine *m, FILE *err)
{
	for (unsigned i = 0; i < c->nsrc; i++) {
		struct cov_source *s = &c->src[i];
		char at[160];

		s->matched = source_matches(c, m, s);
		if (s->matched || source_unloaded(c, m, s))
			continue;
		snprintf(at, sizeof(at), "a line starts with byte 0x%02x at 0x%llx in the file but "
			 "guest memory holds 0x%02x there", s->bad_file,
			 (unsigned long long)s->bad_addr, s->bad_mem);
		return fail(err, -ENOEXEC, "'%s' does not match the guest: %s", s->name, at);
	}
	return 0;
}

/* Read one ELF file's line table into c (offset: added to its addresses). */
static int add_source(struct coverage *c, struct machine *m, const char *path, uint64_t offset,
		      FILE *err)
{
	struct cov_source *s = &c->src[c->nsrc];
	struct dwarf_lines l = { 0 };
	struct dwarf_range keep[ELF_MAX_SEGMENTS];
	struct dwarf_stmt *st = NULL;
	struct elf_image img;
	char why[512];
	uint8_t *file = NULL;
	size_t len = 0, n = 0;
	int e;

	e = read_whole(path, &file, &len, err);
	if (e)
		return e;
	e = elf_parse(file, len, UINT64_MAX, &img, why, sizeof(why));
	if (e) {
		free(file);
		return fail(err, e, "'%s': %s", path, why);
	}
	e = dwarf_lines_read(file, len, path, &l, why, sizeof(why));
	if (e)	/* -ENODATA: why says how to get a line table */
		fprintf(err, "gdbvm: coverage: %s\n", why);
	for (unsigned i = 0; !e && i < img.nsegs; i++)
		keep[i] = (struct dwarf_range){ img.segs[i].vaddr,
						img.segs[i].vaddr + img.segs[i].memsz };
	if (!e)
		e = dwarf_lines_stmts(&l, keep, img.nsegs, &st, &n);
	*s = (struct cov_source){ .name = path, .first = c->nstmts };
	if (!e)
		e = add_stmts(c, m, file, &img, &l, st, n, offset);
	if (e == -ENOMEM)
		fprintf(err, "gdbvm: coverage: '%s': out of memory\n", path);
	s->n = c->nstmts - s->first;
	free(st);
	dwarf_lines_free(&l);
	free(file);
	if (e)
		return e;
	if (s->n == 0)
		return fail(err, -ENOEXEC, "'%s': none of its lines has code in a loaded segment "
			    "inside guest RAM%s", path, offset ? " (at its offset)" : "");
	c->nsrc++;
	return 0;
}

static int site_cmp(const void *a, const void *b)
{
	const struct cov_site *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static struct cov_site *site_at(const struct coverage *c, uint64_t phys)
{
	struct cov_site key = { .phys = phys };

	return bsearch(&key, c->sites, c->nsites, sizeof(key), site_cmp);
}

/* The trap at phys ran. */
static enum debug_cov_action hit(void *ctx, uint64_t addr, bool fixed)
{
	struct coverage *c = ctx;
	struct cov_site *s = fixed ? site_at(c, addr) : NULL;

	if (!s)
		return DEBUG_COV_LIFT;
	s->hits++;
	return c->counts ? DEBUG_COV_KEEP : DEBUG_COV_LIFT;
}

/* One site per address with a line's first instruction, each planted. */
static int plant(struct coverage *c, struct machine *m, FILE *err)
{
	c->sites = malloc(c->nstmts * sizeof(*c->sites));
	if (!c->sites)
		return fail(err, -ENOMEM, "%s%s", "out of memory", "");
	for (size_t i = 0; i < c->nstmts; i++)
		c->sites[i] = (struct cov_site){ c->stmts[i].phys, 0 };
	qsort(c->sites, c->nstmts, sizeof(*c->sites), site_cmp);
	for (size_t i = 0; i < c->nstmts; i++)
		if (c->nsites == 0 || c->sites[c->nsites - 1].phys != c->sites[i].phys)
			c->sites[c->nsites++] = c->sites[i];
	for (size_t i = 0; i < c->nsites; i++) {
		int e = debug_cov_plant_phys(m, c->sites[i].phys);

		if (e) {
			char n[32];

			snprintf(n, sizeof(n), "%zu", c->nsites);
			return fail(err, e, "cannot plant a trap on each of the %s lines' first "
				    "instructions: %s", n, e == -ENOSPC ? "more than the breakpoint "
				    "table holds" : strerror(-e));
		}
	}
	debug_cov_set_hook(&m->debug, hit, c);
	return 0;
}

static void free_coverage(struct coverage *c)
{
	if (c->out)
		fclose(c->out);
	for (size_t i = 0; i < c->npaths; i++) {
		free(c->paths[i]);
		free(c->data[i]);
	}
	free(c->paths);
	free(c->data);
	free(c->nlines);
	free(c->stmts);
	free(c->want);
	free(c->sites);
	free(c);
}

static int open_sources(struct coverage *c, const struct config *cfg, struct machine *m, FILE *err)
{
	uint8_t magic[ELF_MAGIC_LEN];
	int fd, e = 0;

	if (cfg->guest_path) {
		fd = open(cfg->guest_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read_file_start(fd, magic, sizeof(magic)) < 0 ||
		    !elf_has_magic(magic, sizeof(magic))) {
			if (fd >= 0)
				close(fd);
			if (!cfg->nsymbols)
				return fail(err, -ENOEXEC, "GUEST '%s' is not an ELF file: give the "
					    "ELF file it was made from with --symbols%s",
					    cfg->guest_path, "");
		} else {
			close(fd);
			e = add_source(c, m, cfg->guest_path, 0, err);
		}
	}
	for (unsigned i = 0; !e && i < cfg->nsymbols; i++)
		e = add_source(c, m, cfg->symbols[i].path, cfg->symbols[i].offset, err);
	return e;
}

int coverage_start(struct coverage **out, const struct config *cfg, struct machine *m, FILE *err)
{
	struct coverage *c = calloc(1, sizeof(*c));
	int e;

	if (!c)
		return fail(err, -ENOMEM, "%s%s", "out of memory", "");
	c->out_path = cfg->coverage;
	c->counts = cfg->coverage_counts;
	e = open_sources(c, cfg, m, err);
	if (!e)
		e = check_sources_start(c, m, err);
	if (!e) {
		c->out = fopen(c->out_path, "w");
		if (!c->out)
			e = fail(err, -errno, "cannot write '%s': %s", c->out_path, strerror(errno));
	}
	if (!e)
		e = plant(c, m, err);
	if (e) {
		debug_cov_lift_all(m);
		debug_cov_set_hook(&m->debug, NULL, NULL);
		free_coverage(c);
		return e;
	}
	*out = c;
	return 0;
}

/* The records of the sources that describe the guest; -ENOMEM. */
static int gather(const struct coverage *c, struct lcov_rec **recs, size_t *n)
{
	*n = 0;
	*recs = malloc((c->nstmts ? c->nstmts : 1) * sizeof(**recs));
	if (!*recs)
		return -ENOMEM;
	for (unsigned s = 0; s < c->nsrc; s++) {
		if (!c->src[s].matched)
			continue;
		for (size_t i = c->src[s].first; i < c->src[s].first + c->src[s].n; i++) {
			const struct cov_site *site = site_at(c, c->stmts[i].phys);

			(*recs)[(*n)++] = (struct lcov_rec){ c->paths[c->stmts[i].path],
							     c->stmts[i].line,
							     site ? site->hits : 0 };
		}
	}
	return 0;
}

/* Sources whose code the guest never held: said, and left out. */
static int check_sources(struct coverage *c, struct machine *m, FILE *err)
{
	int e = 0;

	for (unsigned s = 0; s < c->nsrc; s++) {
		struct cov_source *src = &c->src[s];

		if (src->matched || (src->matched = source_matches(c, m, src)))
			continue;
		fprintf(err, "gdbvm: coverage: '%s' does not match the guest: a line starts with "
			"byte 0x%02x at 0x%llx in the file but guest memory held 0x%02x there at the "
			"end of the run (and nothing before it); left out of the report\n", src->name,
			src->bad_file, (unsigned long long)src->bad_addr, src->bad_mem);
		e = -ENOEXEC;
	}
	return e;
}

/*
 * A coverage trap is a HLT, which faults at CPL 3 instead of leaving the
 * guest: code that runs in user mode cannot be covered that way, and on a
 * guest with no IDT that can take the fault the run ends in a triple
 * fault at the trap.  Say so, rather than leave a crash with no cause.
 */
static void explain_user_mode_trap(struct machine *m, int status, FILE *err)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct paging_state st;
	struct sw_breakpoint *bp;
	uint64_t pc;

	if (status != STATUS_TRIPLE_FAULT || vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) < 0 ||
	    !(sregs.cr0 & CR0_PE) || (sregs.cs.selector & 3) != 3)
		return;
	st = guest_paging_state(&sregs);
	pc = cpu_linear_pc(&regs, &sregs);
	bp = debug_sw_at(&m->debug, debug_phys(m, &st, pc));
	if (!bp || !(bp->owners & DEBUG_OWNER_COVERAGE) || bp->lifted || bp->int3)
		return;
	fprintf(err, "gdbvm: coverage: the guest ran into a coverage trap at 0x%llx in user mode "
		"(CPL 3), where the trap (HLT) faults: user-mode code cannot be covered; leave it "
		"out of the symbols (docs/coverage.md)\n", (unsigned long long)pc);
}

int coverage_finish(struct coverage *c, struct machine *m, int status, FILE *err)
{
	struct lcov_rec *recs = NULL;
	struct lcov_sum sum;
	size_t n;
	int e, bad;

	if (!c)
		return 0;
	bad = check_sources(c, m, err);
	explain_user_mode_trap(m, status, err);
	debug_cov_set_hook(&m->debug, NULL, NULL);
	debug_cov_lift_all(m);
	e = gather(c, &recs, &n);
	if (!e)
		e = lcov_write(c->out, "gdbvm", recs, n, &sum);
	free(recs);
	if (fclose(c->out) != 0 && !e)
		e = -EIO;
	c->out = NULL;
	if (e) {
		fprintf(err, "gdbvm: coverage: cannot write '%s': %s\n", c->out_path,
			e == -EINVAL ? "a source file's path holds a line break" : strerror(-e));
	} else {
		fprintf(err, "gdbvm: coverage: %zu of %zu lines (%.1f%%) in %zu file%s -> %s",
			sum.hit, sum.lines, sum.lines ? 100.0 * (double)sum.hit / (double)sum.lines
			: 0.0, sum.files, sum.files == 1 ? "" : "s", c->out_path);
		if (status != STATUS_HALTED && !(status & 1))
			fprintf(err, " (the run ended badly: exit status %d)", status);
		fprintf(err, "\n");
	}
	free_coverage(c);
	return e ? e : bad;
}
