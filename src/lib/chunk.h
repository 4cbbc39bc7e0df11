/*
 * chunk.h - encoding and decoding one evidence chunk, and CRC-32.
 *
 * A codec is per thread: it owns the deflate engine's streams and is reset
 * for each chunk, so chunks never share history and can be processed in
 * any order.
 *
 * Engines: ISA-L (igzip) when configure found libisal, zlib otherwise.
 * Both write chunks by the same rules and accept exactly the same chunks
 * (zlib's verdict, see deflate_scan.h), so the engine never changes what
 * a container is.  The environment variable DEXF_DEFLATE=zlib, read once
 * per process, selects zlib in an ISA-L build (deflate, inflate and
 * CRC-32); any other value, and DEXF_DEFLATE=isal in a build without
 * ISA-L, is ignored.  `dexf --version` names the engine in use.
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

typedef enum dexf_engine {
	DEXF_ENGINE_DEFAULT,    /* the process's engine (DEXF_DEFLATE) */
	DEXF_ENGINE_ZLIB,
	DEXF_ENGINE_ISAL
} dexf_engine;

/* A codec for deflate level 1..9 (0 or less: 1) on the process's engine.
 * -1 when out of memory. */
int dexf_codec_new(dexf_codec **out, int level);
/* The same on a given engine (tests); -1 also when the build lacks it. */
int dexf_codec_new_engine(dexf_codec **out, int level, dexf_engine e);
void dexf_codec_free(dexf_codec *c);

/* The process's deflate engine, "isal" or "zlib" (static storage). */
const char *dexf_deflate_engine(void);
/* 1 if the library was built with ISA-L. */
int dexf_deflate_have_isal(void);

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

/* CRC-32 of ZIP and zlib (ISO-HDLC): crc is the CRC of the bytes before
 * (0 to start).  Hardware-assisted through ISA-L when the engine is ISA-L. */
uint32_t dexf_crc32(uint32_t crc, const void *p, size_t n);
/* CRC-32 of A || B from crc1 = CRC(A), crc2 = CRC(B), len2 = |B|. */
uint32_t dexf_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);

#endif
