/*
 * reader_int.h - reader internals shared with the verifier.
 */
#ifndef DEXF_READER_INT_H
#define DEXF_READER_INT_H

#include "dexf/reader.h"
#include "chunk.h"
#include "digest.h"
#include "error.h"
#include "index.h"
#include "manifest.h"
#include "record.h"
#include "zipr.h"

#define DEXF_READ_CACHE_MAX 8
#define DEXF_READ_CACHE_BYTES (4u << 20)
#define DEXF_IX_CACHE (64u << 10)
#define DEXF_IX_SLOTS 64

struct dexf_reader {
	dexf_err err;
	char *path;
	int fd;
	int zip_open;
	dexf_zipr z;
	int have_manifest;
	dexf_manifest m;
	unsigned char *manifest_buf;
	size_t manifest_len;
	int have_seal;
	int seal_rules_ok;      /* record 0 parsed and follows the rules */
	int data_fault;         /* see dexf_reader_data_fault() */
	dexf_record seal;
	unsigned char *seal_buf;
	size_t seal_len;
	unsigned char *sig_buf;  /* NULL when unsigned */
	size_t sig_len;
	unsigned char *index_ok; /* per item: index digest checked */
	/* per item: its evidence and index entries (2 per item), once
	 * found; NULL until looked up, or while missing */
	const dexf_zipr_entry **item_ents;
	dexf_codec *codec;
	unsigned char *cbuf;
	struct dexf_pool *pool;  /* whole-item scans */
	int pool_compressed;
	/* one-chunk items in flight on the pool (dexf_reader_prefetch()),
	 * oldest first: a ring of one entry per pool slot */
	struct dexf_prefetch {
		const struct dexf_item *item;
		size_t slot;
		unsigned hashes;
	} *pf;
	size_t pf_head, pf_len;
	uint64_t pf_seq;
	uint64_t pf_drops;       /* times prefetched work was dropped */
	int threads;             /* 0: online CPUs */
	uint32_t buf_chunk;
	/* decoded chunks kept for sequential and repeated small reads,
	 * least recently used replaced first; DEXF_READ_CACHE_BYTES in all */
	struct dexf_chunk_cache {
		const struct dexf_item *item;  /* NULL: empty */
		uint64_t chunk, used;
		size_t len;
		unsigned char *buf;
	} cache[DEXF_READ_CACHE_MAX];
	size_t ncache;
	uint64_t cache_tick;
	/* the last DEXF_IX_SLOTS small chunk indexes read, whole (at most
	 * DEXF_IX_CACHE bytes each): a verify reads an item's index when it
	 * looks ahead and again when it checks the item */
	struct dexf_ix_slot {
		const dexf_zipr_entry *entry;
		unsigned char *buf;
		size_t cap;
	} ix[DEXF_IX_SLOTS];
	size_t ix_next;
};

/* Stage 1: file and ZIP structure, mimetype. */
int dexf_reader_open_zip(dexf_reader *r, const char *path);
/* Stage 2: seal record and signature bytes (not checked).  A missing seal
 * is DEXF_ENOTFOUND. */
int dexf_reader_load_seal(dexf_reader *r);
/* Stage 3: manifest bytes and model. */
int dexf_reader_load_manifest(dexf_reader *r);

/* The manifest is in r->m: the per-item state for its items. */
int dexf_reader_items_ready(dexf_reader *r);
/* An item's evidence entry (which 0) or index entry (1) by name, found
 * once per item; NULL if the container has none. */
const dexf_zipr_entry *dexf_reader_item_entry(dexf_reader *r,
	const struct dexf_item *it, int which);
/* Locate and check an item's evidence and index entries against the
 * manifest (sizes, header fields).  DEXF_EFORMAT/EINTEGRITY on mismatch. */
int dexf_reader_item_entries(dexf_reader *r, const struct dexf_item *it,
	const dexf_zipr_entry **data, const dexf_zipr_entry **index,
	dexf_idx_header *h);
/* After a failure of the above: 1 when the evidence entry itself was at
 * fault (missing, or its sizes disagree with the manifest). */
int dexf_reader_data_fault(const dexf_reader *r);

/* SHA-256 (hex) of bytes [off, off+len) of a file item, read through
 * dexf_reader_read() (every chunk checked).  The range must lie inside
 * the item. */
int dexf_reader_hash_range(dexf_reader *r, const struct dexf_item *it,
	uint64_t off, uint64_t len, char hex[65]);

/*
 * Chunk i of an item, located by its (layout-checked) index entry ie:
 * read, decoded by FORMAT.md 4.5 into out (the chunk's plaintext size),
 * and its leaf hash computed from that data (not compared with anything).
 * DEXF_EINTEGRITY with *why when it does not decode; DEXF_EIO.
 */
int dexf_reader_chunk(dexf_reader *r, const dexf_zipr_entry *d,
	const dexf_idx_header *h, uint64_t i, const dexf_idx_entry *ie,
	unsigned char *out, unsigned char leaf[32], const char **why);

/* The index entry's SHA-256 against the manifest (cached per item). */
int dexf_reader_check_index(dexf_reader *r, const struct dexf_item *it,
	const dexf_zipr_entry *index);

typedef struct dexf_scan {
	int out_fd;                 /* write plaintext here, or -1 */
	int keep_going;             /* continue after a bad chunk */
	unsigned hashes;            /* linear digests to compute */
	dexf_progress_cb progress;
	void *payload;
	uint64_t *done, total;      /* shared progress counter */
	/* called for each bad chunk (keep_going) */
	void (*bad_chunk)(void *ctx, uint64_t chunk, const char *why);
	void *ctx;
	/* results */
	char hex[DEXF_NHASH][DEXF_HEX_MAX];
	unsigned char merkle[32];
	uint32_t crc;
	uint64_t bad, chunks_checked, bytes;
	int trailer_bad;
	int stopped;                /* could not read on: message in err */
} dexf_scan;

/*
 * Read every chunk of a file item in order: decode, leaf hash against the
 * index, linear digests, CRC-32 and Merkle root recomputed from the data.
 * Returns 0 when every chunk matched its index entry (the caller compares
 * the digests with the manifest), DEXF_EINTEGRITY on a bad chunk (first
 * one only unless keep_going), DEXF_EFORMAT for index damage that prevents
 * reading on, DEXF_EIO, DEXF_ECANCELED.
 */
int dexf_reader_scan(dexf_reader *r, const struct dexf_item *it,
	dexf_scan *s);

/*
 * Start the chunk work of a one-chunk item (read, decode, leaf hash,
 * CRC-32 and the linear digests `hashes`) on a worker now, so that a run
 * of small items is decoded in parallel; dexf_reader_scan() of the same
 * item with the same hashes then takes the result.  Items must be scanned
 * in the order they were prefetched: scanning another item first drops
 * the prefetched work.  Returns 0 when queued, 1 when not (several chunks,
 * no free slot, or anything a scan would report: the scan will), never an
 * error of its own; r->err is left as it was.
 */
int dexf_reader_prefetch(dexf_reader *r, const struct dexf_item *it,
	unsigned hashes);

#endif
