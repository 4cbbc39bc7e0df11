/*
 * json.c - minimal JSON writer (RFC 8259), UTF-8 passed through, control
 * characters escaped.
 */
#include "config.h"

#include <inttypes.h>

#include "json.h"

void
json_init(json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = 1;
	j->after_key = 0;
}

static void
sep(json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = 0;
}

static void
open_(json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = 1;
}

void json_obj(json *j) { open_(j, '{'); }
void json_arr(json *j) { open_(j, '['); }

void
json_end_obj(json *j)
{
	fputc('}', j->f);
	if (j->depth > 0)
		j->depth--;
}

void
json_end_arr(json *j)
{
	fputc(']', j->f);
	if (j->depth > 0)
		j->depth--;
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	size_t n;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 1; cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 2; cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 3; cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t k = 1; k <= n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n + 1;
}

static void
raw_str(json *j, const char *s)
{
	fputc('"', j->f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80) {
			/* a file name need not be UTF-8; JSON must be */
			size_t n = utf8_len(p);

			if (n == 0) {
				fputs("\\ufffd", j->f);
			} else {
				fwrite(p, 1, n, j->f);
				p += n - 1;
			}
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", j->f); break;
		case '\\': fputs("\\\\", j->f); break;
		case '\n': fputs("\\n", j->f); break;
		case '\r': fputs("\\r", j->f); break;
		case '\t': fputs("\\t", j->f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(j->f, "\\u%04x", *p);
			else
				fputc(*p, j->f);
		}
	}
	fputc('"', j->f);
}

void
json_key(json *j, const char *k)
{
	sep(j);
	raw_str(j, k);
	fputc(':', j->f);
	j->after_key = 1;
}

void
json_str(json *j, const char *s)
{
	sep(j);
	if (s == NULL)
		fputs("null", j->f);
	else
		raw_str(j, s);
}

void
json_u64(json *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void
json_i64(json *j, int64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRId64, v);
}

void
json_bool(json *j, int v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void json_kstr(json *j, const char *k, const char *s) { json_key(j, k); json_str(j, s); }
void json_ku64(json *j, const char *k, uint64_t v) { json_key(j, k); json_u64(j, v); }
void json_kbool(json *j, const char *k, int v) { json_key(j, k); json_bool(j, v); }

void
json_done(json *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
