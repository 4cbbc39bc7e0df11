/*
 * path.h - the stored-path rules of FORMAT.md section "Items".
 */
#ifndef DEXF_PATH_H
#define DEXF_PATH_H

#include <stddef.h>

#define DEXF_PATH_MAX 4096
#define DEXF_COMPONENT_MAX 255

/* NULL if `p` is a valid stored path, else a static reason
 * ("contains a '..' component", ...). */
const char *dexf_path_check(const char *p);
/* Length of the valid UTF-8 sequence at s (at most `avail` bytes):
 * shortest form, no NUL, surrogate, U+FFFE or U+FFFF; 0 if invalid. */
size_t dexf_utf8_seq(const unsigned char *s, size_t avail);
/* 1 if s[0..len) is valid, shortest-form UTF-8 without NUL. */
int dexf_utf8_valid(const char *s, size_t len);

#endif
