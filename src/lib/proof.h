/*
 * proof.h - RFC 9162 inclusion proofs over an item's chunks, range
 * verification and proof files (FORMAT.md 6.3, 11.10 and "Proof files").
 */
#ifndef DEXF_PROOF_INT_H
#define DEXF_PROOF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "dexf/proof.h"
#include "merkle.h"
#include "reader_int.h"

/* An inclusion path holds at most one hash per level of the tree, and a
 * tree has fewer than 2^64 leaves. */
#define DEXF_PATH_MAX 64

/* The leaves [first, first + count) under one node of the tree. */
typedef struct dexf_span {
	uint64_t first, count;
} dexf_span;

/*
 * RFC 9162 2.1.3.1: the nodes whose hashes form the inclusion path of leaf
 * m in a tree of n leaves, the one nearest the leaf first.  Returns their
 * number (0 for a one-leaf tree), or -1 when m >= n.
 */
int dexf_inclusion_spans(dexf_span out[DEXF_PATH_MAX], uint64_t m,
	uint64_t n);

/*
 * RFC 9162 2.1.3.2: the root reached from leaf hash `leaf` of leaf m of a
 * tree of n leaves through the `len` hashes of `path`.  -1 when m >= n or
 * the path is too long or too short for (m, n): then no root is reached.
 */
int dexf_inclusion_root(unsigned char root[32], const unsigned char leaf[32],
	uint64_t m, uint64_t n, const unsigned char (*path)[32], size_t len);

/*
 * The inclusion paths of leaves first..last of a tree of n leaves,
 * gathered while all n leaf hashes stream past in order: memory grows
 * with the number of those leaves and log n, never with n.
 */
struct dexf_pnode;
typedef struct dexf_pathset {
	dexf_merkle m;
	uint64_t n, first, last;
	struct dexf_pnode *nodes;   /* the nodes any of the paths needs */
	size_t nnodes, cap;
} dexf_pathset;

/* first <= last < n.  0, DEXF_EINVAL, DEXF_ENOMEM. */
int dexf_pathset_init(dexf_pathset *ps, uint64_t n, uint64_t first,
	uint64_t last);
/* Leaf hashes in order, n of them. */
int dexf_pathset_add(dexf_pathset *ps, const unsigned char leaf[32]);
/* After the n-th leaf: the tree's root (MTH of the leaves). */
int dexf_pathset_finish(dexf_pathset *ps, unsigned char root[32]);
/* The inclusion path of leaf m (first <= m <= last) after finishing;
 * returns its length, or -1. */
int dexf_pathset_path(const dexf_pathset *ps, uint64_t m,
	unsigned char path[DEXF_PATH_MAX][32]);
void dexf_pathset_free(dexf_pathset *ps);

/*
 * Read every entry of an item's chunk index in order, checking the layout
 * rules 13-16 of FORMAT.md 5.3 (the header was checked by
 * dexf_reader_item_entries()), and pass each to cb (NULL: none).  0;
 * DEXF_EINTEGRITY with the message in r->err and *bad the entry at fault
 * (the chunk count when the chunks do not fill the entry); DEXF_EIO; or
 * what cb returned when not 0.
 */
typedef int (*dexf_index_cb)(void *ctx, uint64_t i, const dexf_idx_entry *e);
int dexf_index_walk(dexf_reader *r, const struct dexf_item *it,
	const dexf_zipr_entry *x, const dexf_idx_header *h, dexf_index_cb cb,
	void *ctx, uint64_t *bad);

/*
 * A requested range of file item `it`: a length DEXF_TO_END becomes the
 * rest of the item, then the range must be non-empty and inside the item.
 * 0 with *len set, or DEXF_EINVAL with the reason (naming `what`) in err.
 */
int dexf_range_resolve(const struct dexf_item *it, uint64_t off,
	uint64_t *len, const char *what, dexf_err *err);

/* Why a chunk that decodes and matches its index entry still fails: its
 * inclusion path does not lead to the root in the manifest.  Compared by
 * address. */
extern const char dexf_why_path[];

typedef struct dexf_range_check {
	uint64_t offset, length;   /* the range, inside the item, not empty */
	dexf_progress_cb progress;
	void *payload;
	/* each bad chunk: why is "does not decompress", "does not match its
	 * digest" or dexf_why_path */
	void (*bad_chunk)(void *ctx, uint64_t chunk, const char *why);
	void *ctx;
	/* results */
	uint64_t chunks_checked, bytes, bad;
	uint64_t bad_index;        /* index entry that stopped the walk */
} dexf_range_check;

/*
 * Check the chunks covering c->offset..c->length of a file item whose
 * entries dexf_reader_item_entries() found: decode each, compare its leaf
 * hash from the data with its index entry, and check it against the
 * item's Merkle root through the inclusion path computed from the index.
 * Evidence data of other chunks is never read.  0 when every chunk was
 * checked (bad ones through c->bad_chunk); DEXF_EINTEGRITY when the index
 * layout stopped it (message in r->err, c->bad_index), DEXF_EIO,
 * DEXF_ENOMEM, DEXF_ECANCELED.
 */
int dexf_proof_check_range(dexf_reader *r, const struct dexf_item *it,
	const dexf_zipr_entry *d, const dexf_zipr_entry *x,
	const dexf_idx_header *h, dexf_range_check *c);

#endif
