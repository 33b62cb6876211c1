/*
 * dwarf_lines.c - prints what vmm/dwarf_line.c reads from ELF files, for
 * tests/e2e/test_dwarf_lines.sh (which compares it with objdump) and for
 * measuring how long reading a line table takes.
 *
 *   dwarf-lines FILE...          every row: ADDR LINE STMT NAME PATH UNIT, tab-separated;
 *                                LINE is "-" and STMT "end" in a sequence's end row,
 *                                else STMT is "x" (is_stmt) or "-"; UNIT counts the
 *                                line-number programs from 0
 *   dwarf-lines --stmts FILE...  the first instructions: ADDR PATH LINE
 *   dwarf-lines --time N FILE    read the table N times; print rows, files and
 *                                the mean microseconds per read
 *
 * Exit status 0, 1 when a file could not be read (the message on stderr),
 * 2 for a usage error.
 */
#include "dwarf_line.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAX (1u << 30)

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "gdbvm: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (st.st_size > FILE_MAX) {
		fprintf(stderr, "gdbvm: %s: larger than 1 GiB\n", path);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			fprintf(stderr, "gdbvm: %s: %s\n", path, n ? strerror(errno) : "short read");
			free(buf);
			buf = NULL;
		} else {
			got += (size_t)n;
		}
	}
	if (!buf && got == 0 && errno == ENOMEM)
		fprintf(stderr, "gdbvm: %s: out of memory\n", path);
	close(fd);
	*len = got;
	return buf;
}

static void print_rows(const struct dwarf_lines *l)
{
	for (size_t i = 0; i < l->nrows; i++) {
		const struct dwarf_row *r = &l->rows[i];
		const struct dwarf_file *f = &l->files[r->file];

		if (r->end_sequence)
			printf("0x%llx\t-\tend\t%s\t%s\t%u\n", (unsigned long long)r->addr,
			       f->name, f->path, r->unit);
		else
			printf("0x%llx\t%u\t%s\t%s\t%s\t%u\n", (unsigned long long)r->addr, r->line,
			       r->is_stmt ? "x" : "-", f->name, f->path, r->unit);
	}
}

static int print_stmts(const struct dwarf_lines *l)
{
	struct dwarf_stmt *s;
	size_t n;

	if (dwarf_lines_stmts(l, NULL, 0, &s, &n)) {
		fprintf(stderr, "gdbvm: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		printf("0x%llx\t%s\t%u\n", (unsigned long long)s[i].addr, l->files[s[i].file].path,
		       s[i].line);
	free(s);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	bool stmts = false;
	long repeat = 0;
	int i = 1, rc = 0;

	if (i < argc && strcmp(argv[i], "--stmts") == 0) {
		stmts = true;
		i++;
	} else if (i + 1 < argc && strcmp(argv[i], "--time") == 0) {
		repeat = strtol(argv[i + 1], NULL, 10);
		i += 2;
		if (repeat < 1 || argc - i != 1) {
			fprintf(stderr, "usage: dwarf-lines --time N FILE\n");
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: dwarf-lines [--stmts | --time N] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		struct dwarf_lines l;
		char why[512];
		size_t len;
		uint8_t *buf = slurp(argv[i], &len);
		double t0;
		int e = 0;

		if (!buf) {
			rc = 1;
			continue;
		}
		t0 = now();
		for (long k = 0; k < (repeat ? repeat : 1) && !e; k++) {
			if (k)
				dwarf_lines_free(&l);
			e = dwarf_lines_read(buf, len, argv[i], &l, why, sizeof(why));
		}
		if (e) {
			fprintf(stderr, "gdbvm: %s\n", why);
			rc = 1;
		} else if (repeat) {
			printf("%s: %zu rows, %zu files, %zu units: %.1f us per read\n", argv[i],
			       l.nrows, l.nfiles, l.nunits, (now() - t0) / repeat * 1e6);
		} else if (stmts) {
			rc |= print_stmts(&l);
		} else {
			print_rows(&l);
		}
		if (!e)
			dwarf_lines_free(&l);
		free(buf);
	}
	return rc;
}
