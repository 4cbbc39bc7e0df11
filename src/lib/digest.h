/*
 * digest.h - the set of linear digests computed over an item, and the
 * SHA-256 helpers used for leaves, indexes and records.
 */
#ifndef DEXF_DIGEST_H
#define DEXF_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "dexf/common.h"

#define DEXF_NHASH 5
#define DEXF_HEX_MAX 129  /* SHA-512 hex + NUL */

typedef struct dexf_mdset {
	unsigned mask;
	void *ctx[DEXF_NHASH]; /* EVP_MD_CTX * */
} dexf_mdset;

/* Index 0..4 <-> dexf_hash bit. */
dexf_hash dexf_hash_at(int i);

int dexf_mdset_init(dexf_mdset *s, unsigned mask);
int dexf_mdset_update(dexf_mdset *s, const void *p, size_t n);
/* hex[i] receives the digest of algorithm dexf_hash_at(i) if in mask. */
int dexf_mdset_final(dexf_mdset *s, char hex[DEXF_NHASH][DEXF_HEX_MAX]);
void dexf_mdset_free(dexf_mdset *s);

int dexf_sha256(unsigned char out[32], const void *p, size_t n);
/* RFC 9162 leaf hash: SHA-256(0x00 || p). */
int dexf_leaf_hash(unsigned char out[32], const void *p, size_t n);
/* RFC 9162 node hash: SHA-256(0x01 || l || r). */
int dexf_node_hash(unsigned char out[32], const unsigned char l[32],
	const unsigned char r[32]);

#endif
