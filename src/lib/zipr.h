/*
 * zipr.h - the strict ZIP64 reader (FORMAT.md "Reader profile").
 *
 * Opening checks every structural rule and bounds every size and count
 * before use; afterwards every entry's data range is known to lie inside
 * the file, and entries do not overlap.
 */
#ifndef DEXF_ZIPR_H
#define DEXF_ZIPR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct dexf_zipr_entry {
	char *name;
	uint16_t method, flags;
	uint32_t crc, extattr;
	uint64_t csize, usize;
	uint64_t offset;    /* local header */
	uint64_t data_off;  /* first byte of data */
	uint64_t cd_off;    /* its header's offset inside the CD */
	/* a small entry's data, read with its local header when the
	 * container was opened (kept_len bytes at kept_at in the reader's
	 * dexf_zipr.kept), or kept_len 0 */
	uint32_t kept_at, kept_len;
} dexf_zipr_entry;

typedef struct dexf_zipr {
	int fd;
	uint64_t file_size; /* end of the container (may be < the file's) */
	uint64_t cd_start;
	uint64_t cd_size;
	unsigned char *cd;  /* the final central directory's bytes */
	uint64_t tail;      /* bytes of an interrupted append after the end */
	unsigned generations; /* 1 + superseded directories */
	int trailer_ok;     /* the last 98 bytes are a valid trailer */
	dexf_zipr_entry *ents;   /* central directory order */
	size_t n;
	size_t *by_name;         /* indexes sorted by name */
	dexf_err *err;
	const char *what;
	unsigned char *kept;     /* small entries' data (dexf_zipr_pread) */
	size_t kept_used, kept_cap;
} dexf_zipr;

/* Parse the container structure.  DEXF_EFORMAT on any violation, DEXF_EIO
 * on read errors.  `what` names the file in messages (borrowed).  A file
 * that does not end in a valid trailer but holds a valid container followed
 * by the start of an interrupted append opens as that container, with
 * `tail` set (FORMAT.md 2.4). */
int dexf_zipr_open(dexf_zipr *z, int fd, const char *what, dexf_err *err);
void dexf_zipr_close(dexf_zipr *z);
const dexf_zipr_entry *dexf_zipr_find(const dexf_zipr *z, const char *name);
/* Raw (stored) bytes of an entry's data at `off`; must lie inside it.
 * The data of entries of at most DEXF_ZIPR_KEEP bytes (chunk indexes of
 * small items, records) was read with their local headers at open, up to
 * DEXF_ZIPR_KEEP_ALL bytes in all, and comes from memory. */
#define DEXF_ZIPR_KEEP 512
#define DEXF_ZIPR_KEEP_ALL (8u << 20)
int dexf_zipr_pread(const dexf_zipr *z, const dexf_zipr_entry *e,
	uint64_t off, void *buf, size_t len);
/*
 * Whole entry, decompressed, into a new NUL-terminated buffer (free()).
 * Refuses entries larger than `max` (DEXF_EFORMAT).  A CRC-32 or size
 * mismatch gives DEXF_EINTEGRITY.
 */
int dexf_zipr_slurp(const dexf_zipr *z, const dexf_zipr_entry *e,
	size_t max, unsigned char **out, size_t *outlen);

#endif
