/* helpers.c - shared test helpers (see helpers.h). */
#include "helpers.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f) {
		perror("open_memstream");
		exit(2);
	}
}

const char *capture_text(struct capture *c)
{
	fflush(c->f);
	return c->buf ? c->buf : "";
}

void capture_close(struct capture *c)
{
	fclose(c->f);
	free(c->buf);
	c->f = NULL;
	c->buf = NULL;
	c->len = 0;
}

int sent_text_append(void *ctx, const char *buf, size_t len)
{
	struct sent_text *t = ctx;

	if (len > t->cap - 1 - t->len)
		len = t->cap - 1 - t->len;
	memcpy(t->buf + t->len, buf, len);
	t->len += len;
	t->buf[t->len] = '\0';
	return 0;
}

void sent_text_clear(struct sent_text *t)
{
	t->len = 0;
	t->buf[0] = '\0';
}

unsigned count_substr(const char *s, const char *needle)
{
	unsigned n = 0;
	size_t step = strlen(needle);

	if (!s || step == 0)
		return 0;
	while ((s = strstr(s, needle))) {
		n++;
		s += step;
	}
	return n;
}

int temp_file(char *path, const void *data, size_t len)
{
	const char *p = data;
	int fd;

	strcpy(path, "/tmp/gdbvm-unit-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0) {
			close(fd);
			unlink(path);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return 0;
}

int count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own descriptor */
}
