/*
 * chunk.c - independent deflate chunks.
 *
 * Each chunk is compressed by a freshly reset raw deflate stream and ended
 * with Z_FULL_FLUSH: that emits an empty stored block, so the chunk ends
 * byte-aligned with BFINAL clear and the next chunk can start a new block.
 * The concatenation of chunks plus the final empty block "03 00" is one
 * valid deflate stream, which is what lets unzip extract the entry.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "chunk.h"

const unsigned char dexf_deflate_trailer[2] = { 0x03, 0x00 };

struct dexf_codec {
	z_stream def;
	z_stream inf;
	int def_ready;
	int inf_ready;
	int level;
};

int
dexf_codec_new(dexf_codec **out, int level)
{
	dexf_codec *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL)
		return -1;
	c->level = level <= 0 ? 1 : level;
	*out = c;
	return 0;
}

void
dexf_codec_free(dexf_codec *c)
{
	if (c == NULL)
		return;
	if (c->def_ready)
		deflateEnd(&c->def);
	if (c->inf_ready)
		inflateEnd(&c->inf);
	free(c);
}

size_t
dexf_chunk_stored_max(uint32_t chunk_size)
{
	/* deflateBound() for raw streams plus the 5-byte flush block, with
	 * generous slack; FORMAT.md fixes size + size/8 + 1024 for readers. */
	return (size_t)chunk_size + chunk_size / 8 + 1024;
}

int
dexf_chunk_deflate(dexf_codec *c, const void *in, size_t inlen,
    void *out, size_t outcap, size_t *outlen)
{
	int rc;

	if (!c->def_ready) {
		if (deflateInit2(&c->def, c->level, Z_DEFLATED, -15, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		c->def_ready = 1;
	} else if (deflateReset(&c->def) != Z_OK) {
		return -1;
	}
	c->def.next_in = (Bytef *)(uintptr_t)in;
	c->def.avail_in = (uInt)inlen;
	c->def.next_out = out;
	c->def.avail_out = (uInt)outcap;
	rc = deflate(&c->def, Z_FULL_FLUSH);
	/* With enough output space one call consumes everything. */
	if (rc != Z_OK || c->def.avail_in != 0 || c->def.avail_out == 0)
		return -1;
	*outlen = outcap - c->def.avail_out;
	return 0;
}

int
dexf_chunk_inflate(dexf_codec *c, const void *in, size_t inlen,
    void *out, size_t plainlen)
{
	int rc;
	unsigned char extra;

	if (!c->inf_ready) {
		if (inflateInit2(&c->inf, -15) != Z_OK)
			return -1;
		c->inf_ready = 1;
	} else if (inflateReset(&c->inf) != Z_OK) {
		return -1;
	}
	c->inf.next_in = (Bytef *)(uintptr_t)in;
	c->inf.avail_in = (uInt)inlen;
	c->inf.next_out = out;
	c->inf.avail_out = (uInt)plainlen;
	rc = inflate(&c->inf, Z_SYNC_FLUSH);
	if (rc == Z_STREAM_END)
		return -1; /* a chunk must not end the stream */
	if (rc != Z_OK && rc != Z_BUF_ERROR)
		return -1;
	if (c->inf.avail_out != 0)
		return -1; /* too short */
	/* The chunk must end exactly after its empty stored block: the last
	 * four bytes are LEN 0000 / NLEN ffff, and no byte may be missing or
	 * added (the index length is exact). */
	if (inlen < 5 || memcmp((const unsigned char *)in + inlen - 4,
	    "\x00\x00\xff\xff", 4) != 0)
		return -1;
	if (c->inf.avail_in != 0) {
		/* Output is full; what is left may only be the trailing empty
		 * stored block of the full flush.  Anything producing more
		 * output is a chunk that is too long. */
		c->inf.next_out = &extra;
		c->inf.avail_out = 1;
		rc = inflate(&c->inf, Z_SYNC_FLUSH);
		if (c->inf.avail_out == 0 || c->inf.avail_in != 0 ||
		    (rc != Z_OK && rc != Z_BUF_ERROR))
			return -1;
	}
	/* at a block boundary, not inside a block header */
	if (!(c->inf.data_type & 128))
		return -1;
	return 0;
}
