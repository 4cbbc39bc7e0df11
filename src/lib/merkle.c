/*
 * merkle.c - RFC 9162 section 2.1.1 Merkle Tree Hash.
 *
 * Leaves arrive in order.  The stack holds the roots of the maximal perfect
 * subtrees seen so far, heights strictly decreasing; folding the stack from
 * the right gives exactly MTH, because MTH splits at the largest power of
 * two below n, which is the leftmost perfect subtree.
 */
#include "config.h"

#include <string.h>

#include "digest.h"
#include "merkle.h"

void
dexf_merkle_init(dexf_merkle *m)
{
	memset(m, 0, sizeof(*m));
}

int
dexf_merkle_add(dexf_merkle *m, const unsigned char leaf[32])
{
	if (m->depth >= 64)
		return -1;
	memcpy(m->h[m->depth], leaf, 32);
	m->height[m->depth] = 0;
	m->depth++;
	m->leaves++;
	if (m->node != NULL)
		m->node(m->node_ctx, m->leaves - 1, 1, leaf);
	while (m->depth >= 2 &&
	    m->height[m->depth - 1] == m->height[m->depth - 2]) {
		unsigned char n[32];

		if (dexf_node_hash(n, m->h[m->depth - 2],
		    m->h[m->depth - 1]) != 0)
			return -1;
		m->depth--;
		memcpy(m->h[m->depth - 1], n, 32);
		m->height[m->depth - 1]++;
		if (m->node != NULL) {
			uint64_t count = (uint64_t)1 << m->height[m->depth - 1];

			m->node(m->node_ctx, m->leaves - count, count, n);
		}
	}
	return 0;
}

int
dexf_merkle_root(const dexf_merkle *m, unsigned char out[32])
{
	unsigned char acc[32];
	uint64_t count;

	if (m->depth == 0)
		return dexf_sha256(out, "", 0);
	memcpy(acc, m->h[m->depth - 1], 32);
	count = (uint64_t)1 << m->height[m->depth - 1];
	/* each step is the node [first leaf of h[i], last leaf added] */
	for (int i = m->depth - 2; i >= 0; i--) {
		if (dexf_node_hash(acc, m->h[i], acc) != 0)
			return -1;
		count += (uint64_t)1 << m->height[i];
		if (m->node != NULL)
			m->node(m->node_ctx, m->leaves - count, count, acc);
	}
	memcpy(out, acc, 32);
	return 0;
}
