/*
 * index.h - the binary chunk index (FORMAT.md "Chunk index").
 */
#ifndef DEXF_INDEX_H
#define DEXF_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define DEXF_IDX_MAGIC "DEXFCIX1"
#define DEXF_IDX_HEADER 64
#define DEXF_IDX_ENTRY 48
#define DEXF_IDX_LEAF_SHA256 1

typedef struct dexf_idx_header {
	uint16_t major, minor;
	uint32_t chunk_size;
	uint64_t item_size;
	uint64_t chunk_count;
	uint8_t compression;   /* 0 store, 8 deflate */
	uint8_t leaf_alg;
	uint64_t data_size;
} dexf_idx_header;

typedef struct dexf_idx_entry {
	uint64_t offset;
	uint32_t length;
	unsigned char leaf[32];
} dexf_idx_entry;

void dexf_idx_header_encode(unsigned char out[DEXF_IDX_HEADER],
	const dexf_idx_header *h);
void dexf_idx_entry_encode(unsigned char out[DEXF_IDX_ENTRY],
	const dexf_idx_entry *e);
void dexf_idx_entry_decode(dexf_idx_entry *e,
	const unsigned char in[DEXF_IDX_ENTRY]);
/*
 * Decode and check a header against the size of the index file it came
 * from; `what` names the entry in messages.  DEXF_EFORMAT or
 * DEXF_EUNSUPPORTED on failure.
 */
int dexf_idx_header_decode(dexf_idx_header *h,
	const unsigned char in[DEXF_IDX_HEADER], uint64_t file_size,
	const char *what, dexf_err *err);
/*
 * The layout rules of entry i (FORMAT.md, chunk index): non-empty, bounded
 * stored length, exact length when stored, inside the entry data, and (when
 * expect != UINT64_MAX) starting where the previous chunk ended.  The
 * index may lie: this bounds every length before it is used.  1 if ok.
 */
int dexf_idx_entry_ok(const dexf_idx_header *h, uint64_t i,
	const dexf_idx_entry *e, uint64_t expect);
/* Plaintext length of chunk i. */
uint64_t dexf_idx_chunk_plain(const dexf_idx_header *h, uint64_t i);
/* Expected chunk count for an item size and chunk size. */
uint64_t dexf_idx_count_for(uint64_t size, uint32_t chunk_size);

#endif
