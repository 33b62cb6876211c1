/*
 * lcov.c - writing an lcov tracefile from per-line hit counts (lcov.h).
 */
#include "lcov.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int rec_cmp(const void *a, const void *b)
{
	const struct lcov_rec *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The end of the records of recs[i]'s file. */
static size_t file_end(const struct lcov_rec *recs, size_t n, size_t i)
{
	size_t j = i;

	while (j < n && strcmp(recs[j].path, recs[i].path) == 0)
		j++;
	return j;
}

/* One file's records, recs[i..end): its record in the tracefile. */
static void write_file(FILE *f, const struct lcov_rec *recs, size_t i, size_t end,
		       struct lcov_sum *sum)
{
	size_t lines = 0, hit = 0;

	fprintf(f, "SF:%s\n", recs[i].path);
	while (i < end) {
		uint32_t line = recs[i].line;
		uint64_t hits = 0;

		for (; i < end && recs[i].line == line; i++)
			if (recs[i].hits > hits)
				hits = recs[i].hits;
		fprintf(f, "DA:%u,%llu\n", line, (unsigned long long)hits);
		lines++;
		hit += hits != 0;
	}
	fprintf(f, "LF:%zu\nLH:%zu\nend_of_record\n", lines, hit);
	sum->files++;
	sum->lines += lines;
	sum->hit += hit;
}

int lcov_write(FILE *f, const char *tn, struct lcov_rec *recs, size_t n, struct lcov_sum *sum)
{
	*sum = (struct lcov_sum){ 0 };
	for (size_t i = 0; i < n; i++)
		if (!recs[i].path[0] || strpbrk(recs[i].path, "\r\n") || recs[i].line == 0)
			return -EINVAL;
	if (n)
		qsort(recs, n, sizeof(*recs), rec_cmp);
	fprintf(f, "TN:%s\n", tn);
	for (size_t i = 0; i < n; ) {
		size_t end = file_end(recs, n, i);

		write_file(f, recs, i, end, sum);
		i = end;
	}
	return fflush(f) == 0 && !ferror(f) ? 0 : -EIO;
}
