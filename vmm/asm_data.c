/*
 * asm_data.c - telling data directives from instructions in assembly
 * source lines (asm_data.h).
 */
#include "asm_data.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const directives[] = {
	"db", "dw", "dd", "dq", "dt", "do", "dy", "dz", "resb", "resw", "resd", "resq", "rest",
	"reso", "resy", "resz", "times", "incbin", ".byte", ".word", ".short", ".int", ".long",
	".quad", ".ascii", ".asciz", ".string", ".fill", ".zero", ".space", ".skip", ".2byte",
	".4byte", ".8byte",
};

static bool is_directive(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (strlen(directives[i]) == n && strncasecmp(w, directives[i], n) == 0)
			return true;
	return false;
}

/* The next word of line[*pos..len): its start and length (0 at the end or a comment). */
static size_t next_word(const char *line, size_t len, size_t *pos, const char **w)
{
	size_t i = *pos, start;

	while (i < len && isspace((unsigned char)line[i]))
		i++;
	start = i;
	while (i < len && (isalnum((unsigned char)line[i]) || strchr("._$?@#~", line[i])))
		i++;
	*w = line + start;
	*pos = i;
	return i - start;
}

bool asm_line_is_data(const char *line, size_t len)
{
	const char *w;
	size_t pos = 0, n = next_word(line, len, &pos, &w);

	if (n == 0)
		return false;
	if (is_directive(w, n))
		return true;
	if (pos < len && line[pos] == ':')	/* a label */
		pos++;
	n = next_word(line, len, &pos, &w);
	return n && is_directive(w, n);
}

bool asm_source_name(const char *path)
{
	static const char *const ext[] = { ".asm", ".s", ".S", ".inc", ".nasm", ".mac" };
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return false;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcmp(dot, ext[i]) == 0)
			return true;
	return false;
}
