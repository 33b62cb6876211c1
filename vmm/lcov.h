/*
 * lcov.h - the lcov tracefile format (geninfo(1) "TRACEFILE FORMAT"):
 * given the hits of (source file, line) pairs, write TN:, then per file
 * SF:, DA:line,hits for every line, LF:, LH:, end_of_record.  Pure: no
 * VM, no file system beyond the stream it is given.
 */
#ifndef GDBVM_LCOV_H
#define GDBVM_LCOV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One line with code: how often it ran (0: never). */
struct lcov_rec {
	const char *path;	/* the source file (SF:) */
	uint32_t line;		/* 1 and up */
	uint64_t hits;
};

/* What a tracefile holds. */
struct lcov_sum {
	size_t files, lines, hit;
};

/*
 * Sort recs (in place) by path, then line; the records of one (path,
 * line) make one DA: line with the largest of their hits.  Write the
 * tracefile to f (test name tn) and fill *sum.  0; -EINVAL, nothing
 * written, when a path is empty or holds a line break or a record has
 * line 0; -EIO when f reports a write error.
 */
int lcov_write(FILE *f, const char *tn, struct lcov_rec *recs, size_t n, struct lcov_sum *sum);

#endif
