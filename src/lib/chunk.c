/*
 * chunk.c - independent deflate chunks.
 *
 * Each chunk is compressed by a fresh raw deflate stream and ended with a
 * full flush: that emits an empty stored block, so the chunk ends
 * byte-aligned with BFINAL clear and the next chunk can start a new block.
 * The concatenation of chunks plus the final empty block "03 00" is one
 * valid deflate stream, which is what lets unzip extract the entry.
 *
 * Two engines write and read chunks: zlib, and ISA-L (igzip) when built
 * with it.  zlib's inflate is the reference for what a valid chunk is.
 * The ISA-L engine compresses with igzip and decodes with
 * dexf_deflate_decode(), which applies zlib's rules (deflate_scan.c);
 * whenever that says no, zlib decodes and decides, so a valid chunk is
 * never refused by our decoder alone.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#endif

#include "chunk.h"
#include "deflate_scan.h"

const unsigned char dexf_deflate_trailer[2] = { 0x03, 0x00 };

struct dexf_codec {
	dexf_engine engine;     /* never DEXF_ENGINE_DEFAULT */
	int level;
	z_stream def;
	z_stream inf;
	int def_ready;
	int inf_ready;
#ifdef HAVE_ISAL
	struct isal_zstream *idef;      /* allocated on first deflate */
	uint8_t *level_buf;
	uint32_t level_buf_size;
	uint32_t isal_level;
#endif
};

/* ------------------------------------------------------------ engine */

static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static dexf_engine engine_process;

static void
engine_choose(void)
{
#ifdef HAVE_ISAL
	const char *e = getenv("DEXF_DEFLATE");

	engine_process = e != NULL && strcmp(e, "zlib") == 0 ?
	    DEXF_ENGINE_ZLIB : DEXF_ENGINE_ISAL;
#else
	engine_process = DEXF_ENGINE_ZLIB;
#endif
}

static dexf_engine
engine_get(void)
{
	pthread_once(&engine_once, engine_choose);
	return engine_process;
}

const char *
dexf_deflate_engine(void)
{
	return engine_get() == DEXF_ENGINE_ISAL ? "isal" : "zlib";
}

int
dexf_deflate_have_isal(void)
{
#ifdef HAVE_ISAL
	return 1;
#else
	return 0;
#endif
}

int
dexf_codec_new_engine(dexf_codec **out, int level, dexf_engine e)
{
	dexf_codec *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	if (e == DEXF_ENGINE_DEFAULT)
		e = engine_get();
	if (e == DEXF_ENGINE_ISAL && !dexf_deflate_have_isal()) {
		free(c);
		return -1;
	}
	c->engine = e;
	c->level = level <= 0 ? 1 : level;
#ifdef HAVE_ISAL
	/* igzip has levels 0..3.  On a mixed disk image 0 was both slower
	 * and 12% larger than 1, so 1 is the floor: dexf 1-2 (fast, the
	 * default) -> 1, 3-6 -> 2, 7-9 -> 3 (best, slowest) */
	c->isal_level = c->level <= 2 ? 1 : c->level <= 6 ? 2 : 3;
	c->level_buf_size = c->isal_level == 1 ? ISAL_DEF_LVL1_DEFAULT :
	    c->isal_level == 2 ? ISAL_DEF_LVL2_DEFAULT : ISAL_DEF_LVL3_DEFAULT;
#endif
	*out = c;
	return 0;
}

int
dexf_codec_new(dexf_codec **out, int level)
{
	return dexf_codec_new_engine(out, level, DEXF_ENGINE_DEFAULT);
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
#ifdef HAVE_ISAL
	free(c->idef);
	free(c->level_buf);
#endif
	free(c);
}

size_t
dexf_chunk_stored_max(uint32_t chunk_size)
{
	/* deflateBound() for raw streams plus the 5-byte flush block, with
	 * generous slack; FORMAT.md fixes size + size/8 + 1024 for readers.
	 * igzip falls back to stored blocks for data it cannot compress:
	 * at most 5 bytes per 65535, plus its flush (test_chunk checks). */
	return (size_t)chunk_size + chunk_size / 8 + 1024;
}

/* ------------------------------------------------------------ zlib */

static int
zlib_deflate(dexf_codec *c, const void *in, size_t inlen,
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

static int
zlib_inflate(dexf_codec *c, const void *in, size_t inlen,
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
	/* at a block boundary, not inside a block header, and no bit left
	 * over: zlib stops with up to 2 bits unread after a block, which
	 * inflating the whole entry would read as the next chunk's block
	 * header (FORMAT.md 4.5) */
	if (!(c->inf.data_type & 128) || (c->inf.data_type & 63) != 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ ISA-L */

#ifdef HAVE_ISAL
static int
isal_chunk_deflate(dexf_codec *c, const void *in, size_t inlen,
    void *out, size_t outcap, size_t *outlen)
{
	struct isal_zstream *s;

	if (inlen > UINT32_MAX || outcap > UINT32_MAX)
		return -1;
	if (c->idef == NULL) {
		c->idef = calloc(1, sizeof(*c->idef));
		c->level_buf = malloc(c->level_buf_size);
		if (c->idef == NULL || c->level_buf == NULL)
			return -1;
	}
	s = c->idef;
	/* A fresh, zeroed stream per chunk: isal_deflate_init() resets the
	 * state but not its buffers, and igzip's output depended on what an
	 * earlier chunk left there (the same chunk came out 4647 or 4649
	 * bytes depending on which worker took it). */
	memset(s, 0, sizeof(*s));
	isal_deflate_init(s);
	s->level = c->isal_level;
	s->level_buf = c->level_buf;
	s->level_buf_size = c->level_buf_size;
	s->gzip_flag = IGZIP_DEFLATE;
	s->hist_bits = 0;               /* the full 32 KiB window */
	s->end_of_stream = 0;           /* so no block gets BFINAL */
	s->flush = FULL_FLUSH;          /* ends with 00 00 ff ff */
	s->next_in = (uint8_t *)(uintptr_t)in;
	s->avail_in = (uint32_t)inlen;
	s->next_out = out;
	s->avail_out = (uint32_t)outcap;
	for (;;) {
		uint32_t ain = s->avail_in, aout = s->avail_out;

		if (isal_deflate(s) != COMP_OK)
			return -1;
		/* the flush is complete once the state is back at a new
		 * block header with all input taken (igzip_lib.h) */
		if (s->avail_in == 0 && s->internal_state.state ==
		    ZSTATE_NEW_HDR)
			break;
		if (s->avail_in == ain && s->avail_out == aout)
			return -1;      /* out of space */
	}
	*outlen = outcap - s->avail_out;
	return 0;
}

static int
isal_chunk_inflate(dexf_codec *c, const void *in, size_t inlen,
    void *out, size_t plainlen)
{
	/* zlib's verdict and output.  A refusal is left to zlib itself:
	 * damaged chunks are rare, and so a valid chunk can never be
	 * refused by this decoder alone. */
	if (dexf_deflate_decode(in, inlen, out, plainlen) == 0)
		return 0;
	return zlib_inflate(c, in, inlen, out, plainlen);
}
#endif

/* ------------------------------------------------------------ chunks */

int
dexf_chunk_deflate(dexf_codec *c, const void *in, size_t inlen,
    void *out, size_t outcap, size_t *outlen)
{
#ifdef HAVE_ISAL
	if (c->engine == DEXF_ENGINE_ISAL)
		return isal_chunk_deflate(c, in, inlen, out, outcap, outlen);
#endif
	return zlib_deflate(c, in, inlen, out, outcap, outlen);
}

int
dexf_chunk_inflate(dexf_codec *c, const void *in, size_t inlen,
    void *out, size_t plainlen)
{
#ifdef HAVE_ISAL
	if (c->engine == DEXF_ENGINE_ISAL)
		return isal_chunk_inflate(c, in, inlen, out, plainlen);
#endif
	return zlib_inflate(c, in, inlen, out, plainlen);
}

/* ------------------------------------------------------------ CRC-32 */

uint32_t
dexf_crc32(uint32_t crc, const void *p, size_t n)
{
	if (n == 0)
		return crc;     /* zlib's crc32_z(crc, NULL, 0) would say 0 */
#ifdef HAVE_ISAL
	/* crc32_gzip_refl() takes and returns the finished CRC, like zlib
	 * (the inversions are inside); test_chunk compares the two */
	if (engine_get() == DEXF_ENGINE_ISAL)
		return crc32_gzip_refl(crc, p, n);
#endif
	return (uint32_t)crc32_z(crc, p, n);
}

uint32_t
dexf_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2)
{
	/* crc1 is multiplied by x^(8 len2) mod P and added to crc2: zero
	 * stays zero (the first chunk of every item) */
	if (crc1 == 0)
		return crc2;
	return (uint32_t)crc32_combine64(crc1, crc2, (z_off64_t)len2);
}
