/*
 * util.h - small helpers: little-endian codecs, hex, time, checked I/O.
 */
#ifndef DEXF_UTIL_H
#define DEXF_UTIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"

static inline void
put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void
put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t
get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t
get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

/* Lowercase hex of `len` bytes into `out` (2*len+1 bytes). */
void dexf_hex(char *out, const unsigned char *in, size_t len);
/* Parse exactly 2*len lowercase/uppercase hex digits; -1 on error. */
int dexf_unhex(unsigned char *out, size_t len, const char *hex);

/* "YYYY-MM-DDThh:mm:ssZ" into out (21 bytes). */
void dexf_fmt_time(char *out, size_t outlen, time_t t);
/* Parse the above (Z only); -1 on error. */
int dexf_parse_time(time_t *out, const char *s);

/* Parse a decimal uint64 with no sign, no leading spaces, no overflow. */
int dexf_parse_u64(uint64_t *out, const char *s);

/* strdup that returns NULL for NULL. */
char *dexf_strdup(const char *s);
/* Overwrite and free a secret string. */
void dexf_free_secret(char *s);

/* Full-length pread/pwrite/write/read, retrying on EINTR/short counts.
 * dexf_read_full returns bytes read (< len only at EOF) or -1. */
int dexf_pread_full(int fd, void *buf, size_t len, uint64_t off);
int dexf_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);
int dexf_write_full(int fd, const void *buf, size_t len);
ssize_t dexf_read_full(int fd, void *buf, size_t len);

/* Random v4 UUID as "urn:uuid:xxxxxxxx-..." (46 bytes). */
int dexf_uuid_urn(char *out, size_t outlen);

/*
 * A new file written under a temporary dot name beside its final path
 * (".NAME.XXXXXX.part", so the rename stays on one file system and nobody
 * takes it for the real thing) and put in place whole, or not at all.
 */
typedef struct dexf_outfile {
	char *path;             /* the final name (a copy) */
	char *tmp;              /* the temporary one */
	int fd, force, installed;
} dexf_outfile;

/* Create the temporary file (mode 0644).  Without force an existing
 * path is DEXF_EEXISTS, now and again at install time. */
int dexf_outfile_open(dexf_outfile *o, const char *path, int force,
	dexf_err *err);
/* fsync and close it, then rename it into place (force) or link it there
 * (which fails if the path appeared meanwhile), and fsync the directory. */
int dexf_outfile_install(dexf_outfile *o, dexf_err *err);
/* Close; remove the temporary file unless installed; free. */
void dexf_outfile_close(dexf_outfile *o);

/* pthread_once() with an argument: fn(arg) runs once per dexf_once, the
 * first caller running it and the others waiting until it is done (for
 * tables of lazily set-up entries, one dexf_once each). */
typedef struct dexf_once {
	pthread_mutex_t mu;
	atomic_int done;
} dexf_once;
#define DEXF_ONCE_INIT { PTHREAD_MUTEX_INITIALIZER, 0 }
void dexf_once_run(dexf_once *o, void (*fn)(int), int arg);

/* Overflow-checked addition: returns -1 on overflow. */
static inline int
add_u64(uint64_t *out, uint64_t a, uint64_t b)
{
	if (a > UINT64_MAX - b)
		return -1;
	*out = a + b;
	return 0;
}

#endif
