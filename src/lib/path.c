/*
 * path.c - validation of stored item paths.
 *
 * Paths are the one place where container content meets the file system of
 * whoever unpacks it, so the rules are strict and checked on write and on
 * read alike: relative, '/'-separated, no '.'/'..', no controls, no '\'.
 */
#include "config.h"

#include <string.h>

#include "path.h"

size_t
dexf_utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned c, cp;
	size_t n;

	if (avail == 0 || (c = s[0]) == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1; cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2; cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3; cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail - 1 < n)
		return 0;
	for (size_t k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	/* reject overlong forms, surrogates and > U+10FFFF */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* noncharacters XML 1.0 cannot carry */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return n + 1;
}

int
dexf_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		if ((n = dexf_utf8_seq(s + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

const char *
dexf_path_check(const char *p)
{
	size_t len, start = 0, i;

	if (p == NULL || *p == '\0')
		return "is empty";
	len = strlen(p);
	if (len > DEXF_PATH_MAX)
		return "is longer than 4096 bytes";
	if (!dexf_utf8_valid(p, len))
		return "is not valid UTF-8";
	if (p[0] == '/')
		return "is absolute";
	for (i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c != '\0' && c != '/') {
			if (c < 0x20 || c == 0x7f)
				return "contains a control character";
			if (c == '\\')
				return "contains a backslash";
			continue;
		}
		/* end of component p[start..i) */
		if (i == start)
			return c == '\0' ? "ends with '/'" :
			    "contains an empty component";
		if (i - start > DEXF_COMPONENT_MAX)
			return "has a component longer than 255 bytes";
		if (i - start == 1 && p[start] == '.')
			return "contains a '.' component";
		if (i - start == 2 && p[start] == '.' && p[start + 1] == '.')
			return "contains a '..' component";
		start = i + 1;
	}
	return NULL;
}
