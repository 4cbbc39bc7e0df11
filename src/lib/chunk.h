/*
 * chunk.h - encoding and decoding one evidence chunk.
 *
 * A codec is per thread: it owns the zlib streams and is reset for each
 * chunk, so chunks never share history and can be processed in any order.
 */
#ifndef DEXF_CHUNK_H
#define DEXF_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "dexf/common.h"

#define DEXF_CHUNK_MIN (4u << 10)
#define DEXF_CHUNK_MAX (64u << 20)
#define DEXF_CHUNK_DEFAULT (1u << 20)

/* The 2-byte final empty fixed-Huffman block that ends a deflate entry. */
extern const unsigned char dexf_deflate_trailer[2];

typedef struct dexf_codec dexf_codec;

int dexf_codec_new(dexf_codec **out, int level);
void dexf_codec_free(dexf_codec *c);

/* Upper bound of the stored size of a chunk of `len` bytes; readers use it
 * to bound the stored length an index claims. */
size_t dexf_chunk_stored_max(uint32_t chunk_size);

/* Compress one chunk into out (capacity dexf_chunk_stored_max()). */
int dexf_chunk_deflate(dexf_codec *c, const void *in, size_t inlen,
	void *out, size_t outcap, size_t *outlen);
/* Inflate one chunk; it must produce exactly `plainlen` bytes, consume all
 * input, and not end the deflate stream.  0 ok, -1 corrupt. */
int dexf_chunk_inflate(dexf_codec *c, const void *in, size_t inlen,
	void *out, size_t plainlen);

#endif
