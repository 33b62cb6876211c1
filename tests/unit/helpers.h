/* helpers.h - shared test helpers: captured FILE output, temporary files, counting. */
#ifndef GDBVM_TEST_HELPERS_H
#define GDBVM_TEST_HELPERS_H

#include <stddef.h>
#include <stdio.h>

/* A FILE whose output lands in memory (open_memstream). */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

void capture_open(struct capture *c);
/* The text written so far (flushed first), NUL-terminated. */
const char *capture_text(struct capture *c);
/* Close the stream and free the text. */
void capture_close(struct capture *c);

/*
 * A fixed buffer collecting what a writer callback is given (the stub's
 * sink, stub.h): sent_text_append is the callback, ctx the sent_text.  Text
 * past the end is dropped; buf stays NUL-terminated.
 */
struct sent_text {
	char *buf;
	size_t cap, len;
};

int sent_text_append(void *ctx, const char *buf, size_t len);
/* Empty it again. */
void sent_text_clear(struct sent_text *t);

/* How many times needle occurs in s (non-overlapping); 0 for NULL s. */
unsigned count_substr(const char *s, const char *needle);

/*
 * Create a file under /tmp holding len bytes of data; its path goes into
 * path (at least 32 bytes).  Returns 0, or -1 when it could not be made.
 */
int temp_file(char *path, const void *data, size_t len);

/* Number of open file descriptors of this process, or -1. */
int count_open_fds(void);

#endif
