/*
 * merkle.h - RFC 9162 Merkle tree hash computed incrementally from leaf
 * hashes, in O(log n) memory.
 */
#ifndef DEXF_MERKLE_H
#define DEXF_MERKLE_H

#include <stdint.h>

/*
 * Called for every node of the tree as its hash becomes known: each leaf
 * and each perfect subtree as dexf_merkle_add() completes it, and the
 * nodes of the right edge of the tree when dexf_merkle_root() folds them.
 * The node covers leaves [first, first + count).  Inclusion proofs
 * (proof.c) take their sibling hashes from here.
 */
typedef void (*dexf_merkle_node_cb)(void *ctx, uint64_t first, uint64_t count,
	const unsigned char hash[32]);

typedef struct dexf_merkle {
	unsigned char h[64][32];  /* roots of perfect subtrees, left to right */
	unsigned height[64];
	int depth;
	uint64_t leaves;
	dexf_merkle_node_cb node; /* optional; NULL after dexf_merkle_init() */
	void *node_ctx;
} dexf_merkle;

void dexf_merkle_init(dexf_merkle *m);
int dexf_merkle_add(dexf_merkle *m, const unsigned char leaf[32]);
/* MTH of the leaves added so far (SHA-256("") when none). */
int dexf_merkle_root(const dexf_merkle *m, unsigned char out[32]);

#endif
