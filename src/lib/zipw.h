/*
 * zipw.h - the strict ZIP64 writer (FORMAT.md "Container").
 *
 * Entries are written one after another; sizes and CRC are patched into
 * the local header when an entry ends (the output is a seekable file), so
 * no data descriptors are needed.  Small writes are gathered in a buffer,
 * where most patches land too: many small entries cost few syscalls.
 */
#ifndef DEXF_ZIPW_H
#define DEXF_ZIPW_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"

typedef struct dexf_zipw_entry {
	char *name;
	uint16_t method, flags, version_needed, dostime, dosdate;
	uint32_t crc, extattr;
	uint64_t csize, usize, offset;
} dexf_zipw_entry;

typedef struct dexf_zipw {
	int fd;
	uint64_t pos;
	dexf_zipw_entry *ents;
	size_t n, cap;
	int open;            /* an entry is in progress */
	dexf_err *err;
	const char *what;    /* output name for messages */
	/* appending: the central directory being superseded */
	unsigned char *prev_cd;
	uint64_t prev_cd_len, prev_n;
	int sync;            /* fsync before and after the trailer */
	/* write buffer: bytes [pos - blen, pos) not yet written */
	unsigned char *buf;
	size_t blen;
} dexf_zipw;

void dexf_zipw_init(dexf_zipw *z, int fd, const char *what, dexf_err *err);
void dexf_zipw_free(dexf_zipw *z);
/*
 * Append a generation to an existing container that ends at `end`, whose
 * central directory is `cd` (cd_len bytes, n headers).  New entries are
 * written from `end`; dexf_zipw_finish() repeats `cd`, adds the new headers
 * and writes the trailer last, with fsync before and after it.
 */
int dexf_zipw_append_init(dexf_zipw *z, int fd, const char *what,
	dexf_err *err, uint64_t end, const unsigned char *cd, uint64_t cd_len,
	uint64_t n);
/* Start an entry.  method 0 or 8; mode: Unix permission bits. */
int dexf_zipw_begin(dexf_zipw *z, const char *name, int method,
	unsigned mode, time_t mtime);
/* Start the mimetype entry (stored, no extra field) with its content. */
int dexf_zipw_mimetype(dexf_zipw *z, const char *content, time_t t);
int dexf_zipw_write(dexf_zipw *z, const void *p, size_t n);
/* Write out what is buffered (finish() does; callers that touch the file
 * themselves must call it first). */
int dexf_zipw_flush(dexf_zipw *z);
/* End the current entry with the CRC and size of its uncompressed data. */
int dexf_zipw_end(dexf_zipw *z, uint32_t crc, uint64_t usize);
/* Write the central directory and end records. */
int dexf_zipw_finish(dexf_zipw *z);

#endif
