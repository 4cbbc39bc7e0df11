/*
 * test_chunk.c - independent deflate chunks (FORMAT.md 4.3-4.5), CRC-32.
 *
 * The chunk tests run once per deflate engine: suite "chunk-zlib" always,
 * "chunk-isal" in a build with ISA-L.  Suite "chunk" holds what does not
 * depend on the engine: the format bounds, CRC-32, and the comparison of
 * every engine's verdict with zlib's on crafted and damaged chunks.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#endif

#include "dexf/version.h"
#include "chunk.h"
#include "deflate_scan.h"
#include "unit.h"

/* The engine of the running suite (set by its init function). */
static dexf_engine engine = DEXF_ENGINE_ZLIB;

static int
codec_new(dexf_codec **c, int level)
{
	return dexf_codec_new_engine(c, level, engine);
}

/* The other engine, or the same one in a build without ISA-L. */
static dexf_engine
other_engine(void)
{
	if (!dexf_deflate_have_isal())
		return DEXF_ENGINE_ZLIB;
	return engine == DEXF_ENGINE_ZLIB ? DEXF_ENGINE_ISAL : DEXF_ENGINE_ZLIB;
}

enum { DATA_ZEROS, DATA_RANDOM, DATA_TEXT };

static void
make_data(unsigned char *p, size_t n, int kind, uint32_t seed)
{
	static const char text[] = "The quick brown fox jumps over the lazy "
	    "dog. Exhibit EX-1, seized 2026-11-20 from the desk drawer.\n";

	switch (kind) {
	case DATA_ZEROS:
		memset(p, 0, n);
		break;
	case DATA_RANDOM:
		unit_fill_random(p, n, seed);
		break;
	default:
		for (size_t i = 0; i < n; i++)
			p[i] = (unsigned char)text[(i + seed) %
			    (sizeof(text) - 1)];
	}
}

/* Deflate `in` as one chunk into a new buffer. */
static unsigned char *
deflate_chunk(dexf_codec *c, const unsigned char *in, size_t n, size_t *out)
{
	size_t cap = dexf_chunk_stored_max((uint32_t)n);
	unsigned char *buf = malloc(cap);

	*out = 0;
	if (buf == NULL)
		return NULL;
	if (dexf_chunk_deflate(c, in, n, buf, cap, out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Raw inflate of a whole stream with zlib; returns the bytes and sets
 * *ok to 1 when the stream ended (Z_STREAM_END) with all input used. */
static unsigned char *
plain_inflate(const unsigned char *in, size_t n, size_t cap, size_t *outlen,
    int *ok)
{
	z_stream s;
	unsigned char *out = malloc(cap + 1);
	int zr;

	*ok = 0;
	*outlen = 0;
	if (out == NULL)
		return NULL;
	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, -15) != Z_OK) {
		free(out);
		return NULL;
	}
	s.next_in = (Bytef *)(uintptr_t)in;
	s.avail_in = (uInt)n;
	s.next_out = out;
	s.avail_out = (uInt)cap + 1;
	zr = inflate(&s, Z_FINISH);
	*ok = zr == Z_STREAM_END && s.avail_in == 0;
	*outlen = s.total_out;
	inflateEnd(&s);
	return out;
}

static void
trailer_is_final_empty_fixed_block(void)
{
	UA_INT(dexf_deflate_trailer[0], 0x03);
	UA_INT(dexf_deflate_trailer[1], 0x00);
}

static void
stored_max_is_the_format_bound(void)
{
	UA_INT(dexf_chunk_stored_max(4096), 4096 + 512 + 1024);
	UA_INT(dexf_chunk_stored_max(1u << 20), (1u << 20) + (1u << 17) + 1024);
	UA_INT(dexf_chunk_stored_max(DEXF_CHUNK_MAX),
	    (size_t)DEXF_CHUNK_MAX + DEXF_CHUNK_MAX / 8 + 1024);
}

static void
chunks_of_every_kind_and_size_inflate_back_exactly(void)
{
	static const size_t sizes[] = { 1, 4096, 1u << 20 };
	static const int kinds[] = { DATA_ZEROS, DATA_RANDOM, DATA_TEXT };
	static const int levels[] = { 1, 6, 9 };
	dexf_codec *c = NULL;

	for (size_t l = 0; l < 3; l++) {
		UA_INT(codec_new(&c, levels[l]), 0);
		if (c == NULL)
			return;
		for (size_t k = 0; k < 3; k++)
			for (size_t s = 0; s < 3; s++) {
				size_t n = sizes[s], clen = 0;
				unsigned char *in = malloc(n);
				unsigned char *back = malloc(n);
				unsigned char *z;
				char what[128];

				if (in == NULL || back == NULL) {
					free(in);
					free(back);
					CU_FAIL("malloc");
					continue;
				}
				make_data(in, n, kinds[k], (uint32_t)(n + k));
				z = deflate_chunk(c, in, n, &clen);
				snprintf(what, sizeof(what), "level %d kind %d "
				    "size %zu: deflate and inflate back",
				    levels[l], kinds[k], n);
				CU_assertImplementation(z != NULL &&
				    clen <= dexf_chunk_stored_max((uint32_t)n) &&
				    dexf_chunk_inflate(c, z, clen, back, n) == 0 &&
				    memcmp(in, back, n) == 0 ? CU_TRUE :
				    CU_FALSE, __LINE__, what, __FILE__, "",
				    CU_FALSE);
				free(z);
				free(in);
				free(back);
			}
		dexf_codec_free(c);
		c = NULL;
	}
}

static void
deflated_chunk_ends_with_full_flush_marker(void)
{
	dexf_codec *c = NULL;
	unsigned char in[5000];
	unsigned char *z;
	size_t clen;

	UA_INT(codec_new(&c, 6), 0);
	make_data(in, sizeof(in), DATA_TEXT, 3);
	z = deflate_chunk(c, in, sizeof(in), &clen);
	UA(z != NULL && clen >= 4);
	if (z != NULL && clen >= 4)
		UA_MEM(z + clen - 4, "\x00\x00\xff\xff", 4);
	free(z);
	dexf_codec_free(c);
}

/* The chunks plus "03 00" are one ordinary raw deflate stream. */
static void
concatenated_chunks_plus_trailer_are_one_deflate_stream(void)
{
	enum { NCH = 7, CS = 4096 };
	size_t total = NCH * CS - 1000;  /* last chunk short */
	unsigned char *in = malloc(total);
	unsigned char *cat = malloc(NCH * dexf_chunk_stored_max(CS) + 2);
	unsigned char *out;
	size_t catlen = 0, outlen;
	dexf_codec *c = NULL;
	int ok;

	if (in == NULL || cat == NULL) {
		free(in);
		free(cat);
		CU_FAIL("malloc");
		return;
	}
	/* a mix: text, random, zeros, text ... */
	for (size_t i = 0; i < NCH; i++) {
		size_t n = i + 1 < NCH ? CS : total - i * CS;

		make_data(in + i * CS, n, (int)(i % 3), (uint32_t)(i + 9));
	}
	UA_INT(codec_new(&c, 6), 0);
	for (size_t i = 0; i < NCH && c != NULL; i++) {
		size_t n = i + 1 < NCH ? CS : total - i * CS, clen;
		unsigned char *z = deflate_chunk(c, in + i * CS, n, &clen);

		UA(z != NULL);
		if (z == NULL)
			break;
		memcpy(cat + catlen, z, clen);
		catlen += clen;
		free(z);
	}
	memcpy(cat + catlen, dexf_deflate_trailer, 2);
	catlen += 2;
	out = plain_inflate(cat, catlen, total, &outlen, &ok);
	UA_INT(ok, 1);
	UA_INT(outlen, total);
	if (out != NULL && outlen == total)
		UA_MEM(out, in, total);
	/* without the trailer the stream does not end */
	free(out);
	out = plain_inflate(cat, catlen - 2, total, &outlen, &ok);
	UA_INT(ok, 0);
	free(out);
	/* an empty item is just the trailer */
	out = plain_inflate(dexf_deflate_trailer, 2, 16, &outlen, &ok);
	UA_INT(ok, 1);
	UA_INT(outlen, 0);
	free(out);
	dexf_codec_free(c);
	free(in);
	free(cat);
}

static void
inflate_rejects_corrupted_block_header(void)
{
	dexf_codec *c = NULL;
	unsigned char in[4096], back[4096], *z;
	size_t clen;

	UA_INT(codec_new(&c, 6), 0);
	make_data(in, sizeof(in), DATA_TEXT, 1);
	z = deflate_chunk(c, in, sizeof(in), &clen);
	if (z == NULL) {
		CU_FAIL("deflate");
		dexf_codec_free(c);
		return;
	}
	z[0] = 0x07;  /* BFINAL=1, BTYPE=11 (reserved) */
	UA_INT(dexf_chunk_inflate(c, z, clen, back, sizeof(back)), -1);
	free(z);
	/* random data: stored blocks; break LEN/NLEN of the first one */
	make_data(in, sizeof(in), DATA_RANDOM, 2);
	z = deflate_chunk(c, in, sizeof(in), &clen);
	if (z != NULL) {
		UA_INT(z[0] & 7, 0);            /* a stored block */
		z[1] ^= 0x01;                   /* LEN no longer ~NLEN */
		UA_INT(dexf_chunk_inflate(c, z, clen, back, sizeof(back)), -1);
	}
	free(z);
	/* the codec is still usable afterwards */
	z = deflate_chunk(c, in, sizeof(in), &clen);
	UA(z != NULL && dexf_chunk_inflate(c, z, clen, back, sizeof(back)) == 0
	    && memcmp(back, in, sizeof(in)) == 0);
	free(z);
	dexf_codec_free(c);
}

static void
inflate_rejects_wrong_plain_length(void)
{
	dexf_codec *c = NULL;
	unsigned char in[8192], back[8193], *z;
	size_t clen;

	UA_INT(codec_new(&c, 6), 0);
	make_data(in, sizeof(in), DATA_TEXT, 4);
	z = deflate_chunk(c, in, sizeof(in), &clen);
	if (z == NULL) {
		CU_FAIL("deflate");
		dexf_codec_free(c);
		return;
	}
	UA_INT(dexf_chunk_inflate(c, z, clen, back, sizeof(in)), 0);
	UA_INT(dexf_chunk_inflate(c, z, clen, back, sizeof(in) - 1), -1);
	UA_INT(dexf_chunk_inflate(c, z, clen, back, sizeof(in) + 1), -1);
	UA_INT(dexf_chunk_inflate(c, z, clen, back, 4096), -1);
	free(z);
	dexf_codec_free(c);
}

/* FORMAT.md 4.5: a fresh inflater MUST consume exactly len_i bytes that end
 * on a block boundary; cutting bytes off must fail whatever is cut. */
static void
inflate_rejects_truncated_chunk(void)
{
	static const size_t cuts[] = { 1, 2, 3, 4, 5, 100 };
	static const int kinds[] = { DATA_TEXT, DATA_RANDOM };
	dexf_codec *c = NULL;
	unsigned char in[4096], back[4096], *z;
	size_t clen;

	UA_INT(codec_new(&c, 6), 0);
	for (size_t k = 0; k < 2 && c != NULL; k++) {
		make_data(in, sizeof(in), kinds[k], 5);
		z = deflate_chunk(c, in, sizeof(in), &clen);
		if (z == NULL) {
			CU_FAIL("deflate");
			continue;
		}
		for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
			char what[96];
			int rc;

			if (cuts[i] >= clen)
				continue;
			rc = dexf_chunk_inflate(c, z, clen - cuts[i], back,
			    sizeof(back));
			snprintf(what, sizeof(what), "%s chunk cut by %zu bytes "
			    "is rejected", k ? "random" : "text", cuts[i]);
			CU_assertImplementation(rc == -1 ? CU_TRUE : CU_FALSE,
			    __LINE__, what, __FILE__, "", CU_FALSE);
		}
		free(z);
	}
	dexf_codec_free(c);
}

/* A chunk followed by bytes of another chunk is too long. */
static void
inflate_rejects_chunk_with_extra_data(void)
{
	dexf_codec *c = NULL;
	unsigned char in[4096], back[4096], *z1, *z2, *both;
	size_t l1, l2;

	UA_INT(codec_new(&c, 6), 0);
	make_data(in, sizeof(in), DATA_TEXT, 6);
	z1 = deflate_chunk(c, in, sizeof(in), &l1);
	z2 = deflate_chunk(c, in, 100, &l2);
	both = malloc(l1 + l2);
	if (z1 == NULL || z2 == NULL || both == NULL) {
		CU_FAIL("setup");
	} else {
		memcpy(both, z1, l1);
		memcpy(both + l1, z2, l2);
		UA_INT(dexf_chunk_inflate(c, both, l1 + l2, back, sizeof(back)),
		    -1);
		/* the first chunk alone still decodes */
		UA_INT(dexf_chunk_inflate(c, z1, l1, back, sizeof(back)), 0);
	}
	free(z1);
	free(z2);
	free(both);
	dexf_codec_free(c);
}

/* A chunk must not end the deflate stream (no BFINAL block). */
static void
inflate_rejects_chunk_that_ends_the_stream(void)
{
	unsigned char in[4096], back[4096], z[8192];
	z_stream s;
	dexf_codec *c = NULL;
	size_t zlen, clen;
	unsigned char *fl;

	make_data(in, sizeof(in), DATA_TEXT, 7);
	memset(&s, 0, sizeof(s));
	UA_INT(deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY),
	    Z_OK);
	s.next_in = in;
	s.avail_in = sizeof(in);
	s.next_out = z;
	s.avail_out = sizeof(z);
	UA_INT(deflate(&s, Z_FINISH), Z_STREAM_END);
	zlen = sizeof(z) - s.avail_out;
	deflateEnd(&s);
	UA_INT(codec_new(&c, 6), 0);
	UA_INT(dexf_chunk_inflate(c, z, zlen, back, sizeof(back)), -1);
	/* a good chunk followed by the final trailer is rejected too */
	fl = deflate_chunk(c, in, sizeof(in), &clen);
	if (fl != NULL) {
		unsigned char *t = malloc(clen + 2);

		if (t != NULL) {
			memcpy(t, fl, clen);
			memcpy(t + clen, dexf_deflate_trailer, 2);
			UA_INT(dexf_chunk_inflate(c, t, clen + 2, back,
			    sizeof(back)), -1);
			free(t);
		}
		free(fl);
	}
	/* and the trailer alone is not a chunk */
	UA_INT(dexf_chunk_inflate(c, dexf_deflate_trailer, 2, back, 1), -1);
	dexf_codec_free(c);
}

/* Chunks never share history: each one inflates alone, in any order. */
static void
chunks_decode_independently_in_any_order(void)
{
	enum { N = 4, CS = 4096 };
	unsigned char in[N][CS], back[CS], *z[N];
	size_t zl[N];
	dexf_codec *c = NULL, *d = NULL;

	UA_INT(codec_new(&c, 9), 0);
	UA_INT(codec_new(&d, 1), 0);
	/* identical text in every chunk: a shared dictionary would show */
	for (int i = 0; i < N; i++) {
		make_data(in[i], CS, DATA_TEXT, 0);
		in[i][0] = (unsigned char)('0' + i);
		z[i] = deflate_chunk(c, in[i], CS, &zl[i]);
	}
	for (int i = N - 1; i >= 0; i--) {
		UA(z[i] != NULL);
		if (z[i] == NULL)
			continue;
		UA_INT(dexf_chunk_inflate(d, z[i], zl[i], back, CS), 0);
		UA_MEM(back, in[i], CS);
	}
	for (int i = 0; i < N; i++)
		free(z[i]);
	dexf_codec_free(c);
	dexf_codec_free(d);
}


/* FORMAT.md 4.5 bounds stored chunks by size + size/8 + 1024; the engines
 * put incompressible data in stored blocks, far below that. */
static void
random_max_chunk_stays_within_stored_bound(void)
{
	static const int levels[] = { 1, 9 };
	size_t n = DEXF_CHUNK_MAX, cap = dexf_chunk_stored_max(DEXF_CHUNK_MAX);
	unsigned char *in = malloc(n), *z = malloc(cap), *back = malloc(n);

	if (in == NULL || z == NULL || back == NULL) {
		CU_FAIL("malloc");
		goto done;
	}
	unit_fill_random(in, n, 77);
	for (size_t l = 0; l < 2; l++) {
		dexf_codec *c = NULL;
		size_t clen = 0;
		int rc;

		UA_INT(codec_new(&c, levels[l]), 0);
		if (c == NULL)
			break;
		rc = dexf_chunk_deflate(c, in, n, z, cap, &clen);
		EXPECT(rc == 0 && clen <= cap, "level %d: 64 MiB random "
		    "deflates within the bound (%zu of %zu)", levels[l], clen,
		    cap);
		EXPECT(rc == 0 && clen <= n + n / 1000, "level %d: stored "
		    "blocks, %zu bytes for %zu", levels[l], clen, n);
		if (rc == 0) {
			UA_MEM(z + clen - 4, "\x00\x00\xff\xff", 4);
			UA_INT(dexf_deflate_decode(z, clen, back, n), 0);
			UA_INT(dexf_chunk_inflate(c, z, clen, back, n), 0);
			EXPECT(memcmp(back, in, n) == 0, "level %d: 64 MiB "
			    "random inflates back", levels[l]);
		}
		dexf_codec_free(c);
	}
done:
	free(in);
	free(z);
	free(back);
}

/* Whatever engine wrote a chunk, the other one reads it. */
static void
chunks_decode_with_the_other_engine(void)
{
	static const size_t sizes[] = { 1, 4096, 100000, 1u << 20 };
	dexf_codec *mine = NULL, *other = NULL;

	UA_INT(codec_new(&mine, 6), 0);
	UA_INT(dexf_codec_new_engine(&other, 6, other_engine()), 0);
	for (int k = DATA_ZEROS; k <= DATA_TEXT && mine && other; k++)
		for (size_t s = 0; s < 4; s++) {
			size_t n = sizes[s], l1, l2;
			unsigned char *in = malloc(n), *back = malloc(n);
			unsigned char *z1 = NULL, *z2 = NULL;

			if (in == NULL || back == NULL) {
				CU_FAIL("malloc");
				free(in);
				free(back);
				continue;
			}
			make_data(in, n, k, (uint32_t)(s + 40));
			z1 = deflate_chunk(mine, in, n, &l1);
			z2 = deflate_chunk(other, in, n, &l2);
			EXPECT(z1 != NULL && dexf_chunk_inflate(other, z1, l1,
			    back, n) == 0 && memcmp(back, in, n) == 0,
			    "kind %d size %zu: this engine's chunk, other "
			    "engine inflates", k, n);
			EXPECT(z2 != NULL && dexf_chunk_inflate(mine, z2, l2,
			    back, n) == 0 && memcmp(back, in, n) == 0,
			    "kind %d size %zu: other engine's chunk, this "
			    "engine inflates", k, n);
			free(z1);
			free(z2);
			free(in);
			free(back);
		}
	dexf_codec_free(mine);
	dexf_codec_free(other);
}

/* An entry may mix chunks of both engines (an append by another build):
 * it is still one deflate stream for zlib. */
static void
chunks_of_both_engines_form_one_stream(void)
{
	enum { CS = 65536, NCH = 5 };
	unsigned char *in = malloc(NCH * CS), *cat = NULL, *out = NULL;
	dexf_codec *c[2] = { NULL, NULL };
	size_t catlen = 0, outlen;
	int ok;

	UA_INT(codec_new(&c[0], 1), 0);
	UA_INT(dexf_codec_new_engine(&c[1], 9, other_engine()), 0);
	cat = malloc(NCH * dexf_chunk_stored_max(CS) + 2);
	if (in == NULL || cat == NULL || c[0] == NULL || c[1] == NULL) {
		CU_FAIL("setup");
		goto done;
	}
	for (int i = 0; i < NCH; i++) {
		unsigned char *z;
		size_t zl;

		make_data(in + i * CS, CS, (i + 2) % 3, (uint32_t)i);
		z = deflate_chunk(c[i % 2], in + i * CS, CS, &zl);
		if (z == NULL) {
			CU_FAIL("deflate");
			goto done;
		}
		memcpy(cat + catlen, z, zl);
		catlen += zl;
		free(z);
	}
	memcpy(cat + catlen, dexf_deflate_trailer, 2);
	out = plain_inflate(cat, catlen + 2, NCH * CS, &outlen, &ok);
	UA_INT(ok, 1);
	UA_INT(outlen, NCH * CS);
	if (out != NULL && outlen == NCH * CS)
		UA_MEM(out, in, NCH * CS);
done:
	free(out);
	free(in);
	free(cat);
	dexf_codec_free(c[0]);
	dexf_codec_free(c[1]);
}

/* Bytes after the full flush: only blocks without output may follow. */
static void
inflate_rejects_trailing_garbage(void)
{
	static const struct {
		const char *bytes;
		size_t len;
		int rc;
	} tails[] = {
		{ "\x00", 1, -1 },
		{ "\xff", 1, -1 },
		{ "\x01", 1, -1 },
		{ "\x00\x00", 2, -1 },
		{ "\x00\x00\xff\xff", 4, -1 },
		/* another empty stored block produces nothing: accepted */
		{ "\x00\x00\x00\xff\xff", 5, 0 },
		/* a stored block of one byte is output past the chunk */
		{ "\x00\x01\x00\xfe\xff\x41\x00\x00\x00\xff\xff", 11, -1 },
	};
	unsigned char in[3000], back[3000], *z, *t;
	dexf_codec *c = NULL;
	size_t clen;

	UA_INT(codec_new(&c, 6), 0);
	make_data(in, sizeof(in), DATA_TEXT, 8);
	z = c ? deflate_chunk(c, in, sizeof(in), &clen) : NULL;
	t = z ? malloc(clen + 16) : NULL;
	if (t == NULL) {
		CU_FAIL("setup");
		goto done;
	}
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		int rc;

		memcpy(t, z, clen);
		memcpy(t + clen, tails[i].bytes, tails[i].len);
		rc = dexf_chunk_inflate(c, t, clen + tails[i].len, back,
		    sizeof(back));
		EXPECT(rc == tails[i].rc, "tail %zu (%zu bytes): got %d, want "
		    "%d", i, tails[i].len, rc, tails[i].rc);
	}
done:
	free(t);
	free(z);
	dexf_codec_free(c);
}

/* ------------------------------------------------------------ crafted
 * A small deflate writer for chunks no encoder writes: Huffman codes that
 * zlib refuses (incomplete, over-subscribed), fixed-code symbols that do
 * not exist, padding after the last block.
 */
struct bw {
	unsigned char buf[2048];
	size_t n;
	uint64_t acc;
	unsigned nb;
};

static void
bw_put(struct bw *w, uint32_t v, unsigned nbits)
{
	w->acc |= (uint64_t)v << w->nb;
	w->nb += nbits;
	while (w->nb >= 8 && w->n < sizeof(w->buf)) {
		w->buf[w->n++] = (unsigned char)w->acc;
		w->acc >>= 8;
		w->nb -= 8;
	}
}

/* A Huffman code goes out most significant bit first. */
static void
bw_code(struct bw *w, uint32_t code, unsigned len)
{
	for (unsigned i = len; i-- > 0;)
		bw_put(w, (code >> i) & 1, 1);
}

static void
bw_bytes(struct bw *w, const char *p, size_t n)
{
	if (w->nb != 0)
		bw_put(w, 0, 8 - w->nb);
	for (size_t i = 0; i < n; i++)
		bw_put(w, (unsigned char)p[i], 8);
}

/* The empty stored block of a full flush. */
static void
bw_flush(struct bw *w)
{
	bw_put(w, 0, 3);
	bw_bytes(w, "\x00\x00\xff\xff", 4);
}

/* Canonical codes (RFC 1951 3.2.2) of lengths len[0..n-1]. */
static void
canon(const uint8_t *len, unsigned n, uint16_t *code)
{
	uint16_t count[16] = { 0 }, next[16] = { 0 };

	for (unsigned s = 0; s < n; s++)
		count[len[s]]++;
	count[0] = 0;
	for (unsigned l = 1; l < 16; l++)
		next[l] = (uint16_t)((next[l - 1] + count[l - 1]) << 1);
	for (unsigned s = 0; s < n; s++)
		code[s] = len[s] ? next[len[s]]++ : 0;
}

/* The code length code of the crafted blocks: 0..12 in 4 bits, 13..18 in
 * 5 (complete). */
static const uint8_t cl_std[19] = {
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5
};
static const uint8_t cl_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

struct dyn {
	uint8_t cl[19];
	uint16_t clcode[19];
	uint8_t len[320];       /* literal/length then distance lengths */
	uint16_t code[320];
	unsigned nlen, ndist;
};

/* Block header, HLIT/HDIST/HCLEN and the code length code. */
static void
dyn_begin(struct bw *w, struct dyn *d, unsigned hlit, unsigned hdist)
{
	bw_put(w, 4, 3);                /* BFINAL 0, BTYPE 2 */
	bw_put(w, hlit, 5);
	bw_put(w, hdist, 5);
	bw_put(w, 15, 4);               /* all 19 code length codes */
	for (unsigned i = 0; i < 19; i++)
		bw_put(w, d->cl[cl_order[i]], 3);
	canon(d->cl, 19, d->clcode);
}

/* Write the lengths one code length symbol each, and make the codes. */
static void
dyn_lengths(struct bw *w, struct dyn *d)
{
	for (unsigned i = 0; i < d->nlen + d->ndist; i++)
		bw_code(w, d->clcode[d->len[i]], d->cl[d->len[i]]);
	canon(d->len, d->nlen, d->code);
	canon(d->len + d->nlen, d->ndist, d->code + d->nlen);
}

static void
dyn_lit(struct bw *w, const struct dyn *d, unsigned sym)
{
	bw_code(w, d->code[sym], d->len[sym]);
}

/* Length 3 (symbol 257) at distance symbol dsym (no extra bits). */
static void
dyn_match(struct bw *w, const struct dyn *d, unsigned dsym)
{
	dyn_lit(w, d, 257);
	bw_code(w, d->code[d->nlen + dsym], d->len[d->nlen + dsym]);
}

/* A code with 'a', 'b', end-of-block and length 3 in 2 bits each, and
 * distances 1 and 2 in 1 bit each: complete. */
static void
dyn_std(struct dyn *d)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->cl, cl_std, 19);
	d->nlen = 258;
	d->ndist = 2;
	d->len['a'] = d->len['b'] = d->len[256] = d->len[257] = 2;
	d->len[258] = d->len[259] = 1;
}

/* Fixed code (RFC 1951 3.2.6). */
static void
fixed_sym(struct bw *w, unsigned sym)
{
	if (sym < 144)
		bw_code(w, 0x30 + sym, 8);
	else if (sym < 256)
		bw_code(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		bw_code(w, sym - 256, 7);
	else
		bw_code(w, 0xc0 + sym - 280, 8);
}

struct crafted {
	const char *name;
	int rc;                 /* FORMAT.md 4.5: 0 accepted, -1 refused */
	unsigned char chunk[2048];
	size_t len;
	char plain[512];
	size_t plainlen;
	int igzip_accepts;      /* igzip alone accepts what zlib refuses */
};

static void
crafted_done(struct crafted *k, struct bw *w, const char *plain, size_t n)
{
	memcpy(k->chunk, w->buf, w->n);
	k->len = w->n;
	memcpy(k->plain, plain, n);
	k->plainlen = n;
}

/* What a crafted dynamic block holds, and the plaintext it makes. */
enum body { B_NONE, B_A, B_AA, B_AB, B_ABABA, B_EOB_XY };
static const char *const body_plain[] = { "", "a", "aa", "ab", "ababa", "xy" };

/* One dynamic block with the code in d (nlen and ndist from HLIT and
 * HDIST), the body, then the flush block. */
static size_t
dyn_case(struct crafted *k, const char *name, int rc, struct dyn *d,
    unsigned hlit, unsigned hdist, enum body body)
{
	struct bw w = { .n = 0 };

	k->name = name;
	k->rc = rc;
	d->nlen = hlit + 257;
	d->ndist = hdist + 1;
	dyn_begin(&w, d, hlit, hdist);
	dyn_lengths(&w, d);
	if (body == B_A || body == B_AA || body == B_AB || body == B_ABABA)
		dyn_lit(&w, d, 'a');
	if (body == B_AA)
		dyn_lit(&w, d, 'a');
	if (body == B_AB || body == B_ABABA)
		dyn_lit(&w, d, 'b');
	if (body == B_ABABA)
		dyn_match(&w, d, 1);    /* length 3, distance 2 */
	if (body != B_NONE)
		dyn_lit(&w, d, 256);
	if (body == B_EOB_XY) {
		bw_put(&w, 0, 3);       /* stored "xy" */
		bw_bytes(&w, "\x02\x00\xfd\xffxy", 6);
	}
	bw_flush(&w);
	crafted_done(k, &w, body_plain[body], strlen(body_plain[body]));
	return 1;
}

/* Padding: a literal 0 in 1 bit, end-of-block all ones in 16 - p bits,
 * then p one bits fill the chunk's last two bytes ff ff. */
static void
padded(struct crafted *k, unsigned p)
{
	struct bw w = { .n = 0 };
	struct dyn d;
	unsigned L = 16 - p, n;
	char zeros[64] = { 0 };

	memset(&d, 0, sizeof(d));
	memcpy(d.cl, cl_std, 19);
	d.nlen = 257;
	d.ndist = 1;
	for (unsigned i = 0; i + 1 < L; i++)
		d.len[i] = (uint8_t)(i + 1);
	d.len[L - 1] = (uint8_t)L;
	d.len[256] = (uint8_t)L;        /* the highest code: all ones */
	dyn_begin(&w, &d, 0, 0);
	dyn_lengths(&w, &d);
	/* at least 16 zero bits, ending on a byte boundary */
	n = 16 + (8 - (unsigned)((w.n * 8 + w.nb + 16) % 8)) % 8;
	for (unsigned i = 0; i < n; i++)
		dyn_lit(&w, &d, 0);
	dyn_lit(&w, &d, 256);
	bw_put(&w, (1u << p) - 1, p);
	crafted_done(k, &w, zeros, n);
}

/* A fixed-code block: 'a', length symbol lsym (3 for 257), distance code
 * dcode (1 for 0, 2 for 1), `tail` more 'a's, end.  The plaintext is all
 * 'a's: if valid, 4 + tail of them; if not, as many as a decoder that
 * skipped the failing check would make (286 read as a match of length
 * 0), so that only that check can refuse it.  With a tail of 300 the
 * match is decoded with more than 8 bytes of input and 258 + 16 of
 * output still ahead (the decoder's fast loop). */
static size_t
fixed_case(struct crafted *k, const char *name, int rc, unsigned lsym,
    unsigned dcode, unsigned tail)
{
	struct bw w = { .n = 0 };
	char plain[sizeof(k->plain)];
	size_t n = 1 + (lsym == 257 ? 3 : 0) + tail;

	k->name = name;
	k->rc = rc;
	bw_put(&w, 2, 3);               /* BFINAL 0, BTYPE 1 */
	fixed_sym(&w, 'a');
	fixed_sym(&w, lsym);
	bw_code(&w, dcode, 5);
	for (unsigned i = 0; i < tail; i++)
		fixed_sym(&w, 'a');
	fixed_sym(&w, 256);
	bw_flush(&w);
	memset(plain, 'a', n);
	crafted_done(k, &w, plain, n);
	return 1;
}

static size_t
crafted_make(struct crafted *k, size_t max)
{
	struct bw w;
	struct dyn d;
	size_t n = 0;

	if (max < 40)
		return 0;
	dyn_std(&d);
	n += dyn_case(&k[n], "complete dynamic code", 0, &d, 1, 1, B_ABABA);
	dyn_std(&d);
	d.len[257] = 0;                 /* 3 of 4 two-bit codes */
	k[n].igzip_accepts = 1;
	n += dyn_case(&k[n], "incomplete literal/length code", -1, &d, 1, 1,
	    B_AB);
	dyn_std(&d);
	d.len[258] = d.len[259] = 2;    /* 2 of 4 two-bit codes */
	k[n].igzip_accepts = 1;
	n += dyn_case(&k[n], "incomplete distance code", -1, &d, 1, 1,
	    B_ABABA);
	dyn_std(&d);
	memset(d.cl + 13, 0, 6);        /* 13 of 16 four-bit codes */
	k[n].igzip_accepts = 1;
	n += dyn_case(&k[n], "incomplete code length code", -1, &d, 1, 1,
	    B_ABABA);
	dyn_std(&d);
	d.len[258] = 0;
	n += dyn_case(&k[n], "one distance code of one bit (zlib allows it)",
	    0, &d, 1, 1, B_ABABA);
	dyn_std(&d);
	d.len['b'] = d.len[257] = d.len[258] = d.len[259] = 0;
	d.len['a'] = d.len[256] = 1;
	n += dyn_case(&k[n], "no distance codes and no matches", 0, &d, 1, 1,
	    B_AA);
	dyn_std(&d);
	d.len['a'] = d.len['b'] = d.len[257] = d.len[258] = d.len[259] = 0;
	d.len[256] = 1;
	n += dyn_case(&k[n], "only an end-of-block code of one bit", 0, &d,
	    1, 1, B_EOB_XY);
	dyn_std(&d);
	d.len['a'] = d.len['b'] = d.len[256] = 1;
	d.len[257] = 0;
	n += dyn_case(&k[n], "over-subscribed literal/length code", -1, &d,
	    1, 1, B_A);
	dyn_std(&d);
	d.len[256] = 0;
	d.len['a'] = 1;
	d.len['b'] = 2;
	n += dyn_case(&k[n], "no end-of-block code", -1, &d, 1, 1, B_NONE);
	dyn_std(&d);
	n += dyn_case(&k[n], "287 literal/length codes (HLIT 30)", -1, &d,
	    30, 1, B_NONE);
	dyn_std(&d);
	n += dyn_case(&k[n], "31 distance codes (HDIST 30)", -1, &d, 1, 30,
	    B_NONE);

#define NEXT(nm, verdict) \
	do { \
		memset(&w, 0, sizeof(w)); \
		k[n].name = (nm); \
		k[n].rc = (verdict); \
	} while (0)
#define DONE(p, len) crafted_done(&k[n++], &w, (p), (len))
	NEXT("repeat code 16 with nothing to repeat", -1);
	dyn_std(&d);
	dyn_begin(&w, &d, 1, 1);
	bw_code(&w, d.clcode[16], d.cl[16]);
	bw_put(&w, 0, 2);
	dyn_lengths(&w, &d);
	bw_flush(&w);
	DONE("", 0);
	NEXT("repeat code 18 past the last length", -1);
	dyn_std(&d);
	dyn_begin(&w, &d, 1, 1);
	for (unsigned i = 0; i < 200; i++)
		bw_code(&w, d.clcode[0], d.cl[0]);
	bw_code(&w, d.clcode[18], d.cl[18]);
	bw_put(&w, 127, 7);             /* 138 zeros, 60 were left */
	bw_flush(&w);
	DONE("", 0);

	for (unsigned tail = 0; tail <= 300; tail += 300) {
		n += fixed_case(&k[n], tail ? "fixed code: length symbol 286, "
		    "long block" : "fixed code: length symbol 286", -1, 286,
		    0, tail);
		n += fixed_case(&k[n], tail ? "fixed code: distance code 30, "
		    "long block" : "fixed code: distance code 30", -1, 257,
		    30, tail);
		n += fixed_case(&k[n], tail ? "distance before the chunk's "
		    "first byte, long block" : "distance before the chunk's "
		    "first byte", -1, 257, 1, tail);
		n += fixed_case(&k[n], tail ? "distance to the chunk's first "
		    "byte, long block" : "distance to the chunk's first byte",
		    0, 257, 0, tail);
	}

	NEXT("reserved block type 3", -1);
	bw_put(&w, 6, 3);
	bw_flush(&w);
	DONE("", 0);

	NEXT("empty stored block with BFINAL", -1);
	bw_put(&w, 2, 3);
	fixed_sym(&w, 'a');
	fixed_sym(&w, 256);
	bw_put(&w, 1, 3);
	bw_bytes(&w, "\x00\x00\xff\xff", 4);
	DONE("a", 1);

	NEXT("two empty stored blocks", 0);
	bw_put(&w, 2, 3);
	fixed_sym(&w, 'a');
	fixed_sym(&w, 256);
	bw_flush(&w);
	bw_flush(&w);
	DONE("a", 1);

	NEXT("stored block ending in 00 00 ff ff, no flush block", 0);
	bw_put(&w, 0, 3);
	bw_bytes(&w, "\x06\x00\xf9\xff" "ab\x00\x00\xff\xff", 10);
	DONE("ab\x00\x00\xff\xff", 6);

	NEXT("stored block cut short", -1);
	bw_put(&w, 0, 3);
	bw_bytes(&w, "\x08\x00\xf7\xff" "ab\x00\x00\xff\xff", 10);
	DONE("ab\x00\x00\xff\xff", 6);

	for (unsigned p = 1; p <= 3; p++) {
		static const char *names[] = { "", "1 bit of padding after "
		    "the last block", "2 bits of padding after the last block",
		    "3 bits of padding: read as a block header" };

		padded(&k[n], p);
		k[n].name = names[p];
		/* zlib alone stops there; in the whole entry it would read
		 * the padding as the next chunk's block header */
		k[n].igzip_accepts = p < 3;
		k[n++].rc = -1;
	}
#undef NEXT
#undef DONE
	return n;
}

/* Each engine and the decoder give zlib's verdict on every crafted chunk. */
static void
crafted_chunks_get_zlib_verdict_from_every_engine(void)
{
	enum { MAXK = 48 };
	struct crafted *k = calloc(MAXK, sizeof(*k));
	dexf_codec *c[2] = { NULL, NULL };
	size_t n;

	UA_INT(dexf_codec_new_engine(&c[0], 6, DEXF_ENGINE_ZLIB), 0);
	UA_INT(dexf_codec_new_engine(&c[1], 6, DEXF_ENGINE_ISAL),
	    dexf_deflate_have_isal() ? 0 : -1);
	n = k ? crafted_make(k, MAXK) : 0;
	UA(n >= 24);
	for (size_t i = 0; i < n; i++) {
		unsigned char back[512];
		int rc;

		EXPECT(k[i].len >= 5 && memcmp(k[i].chunk + k[i].len - 4,
		    "\x00\x00\xff\xff", 4) == 0, "%s: the chunk ends in "
		    "00 00 ff ff", k[i].name);
		/* the decoder itself, without the engine's zlib fallback */
		memset(back, 0xa5, sizeof(back));
		rc = dexf_deflate_decode(k[i].chunk, k[i].len, back,
		    k[i].plainlen);
		EXPECT(rc == k[i].rc, "%s: decoder says %d, zlib %d",
		    k[i].name, rc, k[i].rc);
		if (rc == 0)
			EXPECT(memcmp(back, k[i].plain, k[i].plainlen) == 0,
			    "%s: decoder output", k[i].name);
		for (int e = 0; e < 2; e++) {
			if (c[e] == NULL)
				continue;
			memset(back, 0xa5, sizeof(back));
			rc = dexf_chunk_inflate(c[e], k[i].chunk, k[i].len,
			    back, k[i].plainlen);
			EXPECT(rc == k[i].rc, "%s: %s engine says %d, want %d",
			    k[i].name, e ? "isal" : "zlib", rc, k[i].rc);
			if (rc == 0)
				EXPECT(memcmp(back, k[i].plain,
				    k[i].plainlen) == 0, "%s: %s engine "
				    "output", k[i].name, e ? "isal" : "zlib");
		}
	}
#ifdef HAVE_ISAL
	/* The reason for our own decoder: igzip's inflater takes
	 * incomplete codes.  Should a new ISA-L refuse them, this fails. */
	for (size_t i = 0; i < n; i++) {
		struct inflate_state *st = malloc(sizeof(*st));
		unsigned char back[512];

		if (!k[i].igzip_accepts || st == NULL) {
			free(st);
			continue;
		}
		isal_inflate_init(st);
		st->next_in = k[i].chunk;
		st->avail_in = (uint32_t)k[i].len;
		st->next_out = back;
		st->avail_out = (uint32_t)k[i].plainlen;
		EXPECT(isal_inflate(st) == ISAL_DECOMP_OK &&
		    st->avail_out == 0 && memcmp(back, k[i].plain,
		    k[i].plainlen) == 0, "%s: igzip alone accepts it",
		    k[i].name);
		free(st);
	}
#endif
	dexf_codec_free(c[0]);
	dexf_codec_free(c[1]);
	free(k);
}

/* Damaged chunks of every kind: bit flips, cuts, extra bytes, wrong
 * lengths.  The decoder and the ISA-L engine must agree with
 * zlib on each, and decode to zlib's bytes where it accepts. */
static void
damaged_chunks_get_zlib_verdict_from_every_engine(void)
{
	static const struct {
		int level, strategy;
		int kind;
		size_t n;
	} src[] = {
		{ 1, Z_DEFAULT_STRATEGY, DATA_TEXT, 6000 },
		{ 6, Z_DEFAULT_STRATEGY, DATA_TEXT, 9000 },
		{ 9, Z_DEFAULT_STRATEGY, DATA_ZEROS, 5000 },
		{ 6, Z_DEFAULT_STRATEGY, DATA_RANDOM, 3000 },
		{ 6, Z_FIXED, DATA_TEXT, 4000 },
		{ 6, Z_HUFFMAN_ONLY, DATA_TEXT, 4000 },
		{ 6, Z_RLE, DATA_ZEROS, 4000 },
		{ 1, -1, DATA_TEXT, 6000 },     /* -1: the ISA-L engine */
		{ 9, -1, DATA_TEXT, 9000 },
		{ 1, -1, DATA_RANDOM, 3000 },
		{ 1, -1, DATA_ZEROS, 7000 },
	};
	static const char *tails[] = { "\x00", "\x01", "\x02", "\x03", "\xff",
	    "\x00\x00\x00\xff\xff", "\x02\x00" };
	dexf_codec *zc = NULL, *ic = NULL;
	unsigned char *buf = malloc(16384), *b1 = malloc(16384);
	unsigned char *b2 = malloc(16384), *b3 = malloc(16384);
	size_t cases = 0, differ = 0, accepted = 0;

	UA_INT(dexf_codec_new_engine(&zc, 6, DEXF_ENGINE_ZLIB), 0);
	if (dexf_deflate_have_isal())
		UA_INT(dexf_codec_new_engine(&ic, 6, DEXF_ENGINE_ISAL), 0);
	if (buf == NULL || b1 == NULL || b2 == NULL || b3 == NULL ||
	    zc == NULL)
		goto done;
	for (size_t s = 0; s < sizeof(src) / sizeof(src[0]); s++) {
		unsigned char in[9000], *z = NULL;
		size_t zl = 0, bits;

		if (src[s].strategy == -1 && ic == NULL)
			continue;
		make_data(in, src[s].n, src[s].kind, (uint32_t)s);
		if (src[s].strategy == -1) {
			dexf_codec *c = NULL;

			if (dexf_codec_new_engine(&c, src[s].level,
			    DEXF_ENGINE_ISAL) == 0)
				z = deflate_chunk(c, in, src[s].n, &zl);
			dexf_codec_free(c);
		} else {
			z = unit_raw_deflate(in, src[s].n, src[s].level,
			    src[s].strategy, Z_FULL_FLUSH, &zl);
		}
		if (z == NULL || zl < 5 || zl > 16000) {
			CU_FAIL("deflate");
			free(z);
			continue;
		}
		bits = zl * 8;
		/* mutation m: flips across the chunk (every bit of the last
		 * 16 bytes), cuts, tails, and the plain length +- 1 */
		for (size_t m = 0; m < 1500 + 128 + 16 + 7 + 2; m++) {
			size_t len = zl, plain = src[s].n;
			int vz, vi, vd;

			memcpy(buf, z, zl);
			if (m < 1500) {
				size_t bit = m * bits / 1500;

				buf[bit / 8] ^= (unsigned char)(1u << bit % 8);
			} else if (m < 1628) {
				size_t bit = bits - 128 + (m - 1500);

				buf[bit / 8] ^= (unsigned char)(1u << bit % 8);
			} else if (m < 1644) {
				len = zl - 1 - (m - 1628) * (zl - 1) / 16;
			} else if (m < 1651) {
				const char *t = tails[m - 1644];
				size_t tl = m - 1644 == 5 ? 5 :
				    m - 1644 == 6 ? 2 : 1;

				memcpy(buf + zl, t, tl);
				len = zl + tl;
			} else {
				plain += m == 1651 ? 1 : (size_t)-1;
			}
			vz = dexf_chunk_inflate(zc, buf, len, b1, plain);
			vi = ic ? dexf_chunk_inflate(ic, buf, len, b2, plain) :
			    vz;
			vd = dexf_deflate_decode(buf, len, b3, plain);
			cases++;
			accepted += vz == 0;
			if (vz != vi || vz != vd || (vz == 0 &&
			    ((ic != NULL && memcmp(b1, b2, plain) != 0) ||
			    memcmp(b1, b3, plain) != 0))) {
				if (differ++ < 5)
					EXPECT(0, "source %zu mutation %zu: "
					    "zlib %d, isal %d, decoder %d",
					    s, m, vz, vi, vd);
			}
		}
		free(z);
	}
	EXPECT(cases >= 7 * 1653, "%zu damaged chunks tried", cases);
	/* both verdicts occur: flips in stored data or in a literal's
	 * extra bits still decode (to other bytes) */
	EXPECT(accepted >= 100 && cases - accepted >= 1000, "%zu of %zu "
	    "damaged chunks accepted", accepted, cases);
	EXPECT(differ == 0, "%zu of %zu damaged chunks got another verdict "
	    "than zlib's", differ, cases);
done:
	dexf_codec_free(zc);
	dexf_codec_free(ic);
	free(buf);
	free(b1);
	free(b2);
	free(b3);
}

/* The decoder's output paths: literals read in pairs (chunks of 64 KiB
 * and more) and one at a time, matches of short and long distances that
 * run to the last byte of the output (no room left for wide copies), and
 * literals at the last byte.  Each chunk must decode to its plaintext,
 * and be refused one byte shorter or longer, as zlib does; flipped bits
 * in the large chunks get zlib's verdict and bytes. */
static void
decoder_output_matches_zlib_at_the_edges(void)
{
	/* Periods below 8 make byte-wise copies (1: a fill), 8 to 15
	 * 8-byte ones and from 16 the 16-byte ones.  With 300 bytes of
	 * pattern, periods from 27 to 42 (32 and 33 here) put a 258-byte
	 * match where less than 258 + 16 bytes of output are left: the fast
	 * loop must have handed over by then. */
	static const size_t periods[] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 24, 32, 33
	};
	enum { BIG = 70000, GUARD = 32 };
	unsigned char guard[GUARD];
	unsigned char *in = malloc(BIG + 600), *back = malloc(BIG + 601);
	unsigned char *zb = malloc(BIG + 601);
	dexf_codec *zc = NULL;
	size_t tried = 0;

	/* an empty input may come as NULL: no arithmetic on it before the
	 * length check (clang's UBSan reports NULL + 0; gcc's does not) */
	UA_INT(dexf_deflate_decode(NULL, 0, NULL, 0), -1);
	UA_INT(dexf_codec_new_engine(&zc, 6, DEXF_ENGINE_ZLIB), 0);
	memset(guard, 0xa5, GUARD);
	if (in == NULL || back == NULL || zb == NULL || zc == NULL)
		goto done;
	for (int big = 0; big < 2; big++) {
		size_t head = big ? BIG : 40;

		for (size_t pi = 0; pi < sizeof(periods) / sizeof(*periods);
		    pi++) {
			size_t period = periods[pi];

			for (int tail = 0; tail < 2; tail++) {
				size_t n = head + 300 + (size_t)tail, zl;
				unsigned char *z;

				/* text, then a repeated pattern to the end
				 * (tail: one more byte, a literal) */
				make_data(in, head, DATA_TEXT, (uint32_t)period);
				for (size_t i = 0; i < 300; i++)
					in[head + i] = (unsigned char)
					    ('A' + i % period);
				in[n - 1] ^= (unsigned char)(tail ? 0x80 : 0);
				z = unit_raw_deflate(in, n, 6,
				    Z_DEFAULT_STRATEGY, Z_FULL_FLUSH, &zl);
				if (z == NULL) {
					CU_FAIL("deflate");
					continue;
				}
				memset(back, 0xa5, n + GUARD);
				EXPECT(dexf_deflate_decode(z, zl, back, n) ==
				    0 && memcmp(back, in, n) == 0, "%zu bytes, "
				    "period %zu, tail %d: decodes", n, period,
				    tail);
				EXPECT(memcmp(back + n, guard, GUARD) == 0,
				    "%zu bytes, period %zu, tail %d: nothing "
				    "written past the output", n, period, tail);
				EXPECT(dexf_deflate_decode(z, zl, back, n - 1)
				    == -1 && dexf_deflate_decode(z, zl, back,
				    n + 1) == -1, "%zu bytes, period %zu: "
				    "wrong lengths refused", n, period);
				tried++;
				free(z);
			}
		}
	}
	UA_INT(tried, 2 * 2 * sizeof(periods) / sizeof(*periods));
	/* Output cut short anywhere around a long match, with input to
	 * spare: refused, and nothing written past the end given (the fast
	 * loop's copies run up to 15 bytes past a match). */
	make_data(in, 2000, DATA_TEXT, 3);
	for (size_t i = 0; i < 300; i++)
		in[1000 + i] = (unsigned char)('A' + i % 32);
	{
		size_t zl, bad = 0;
		unsigned char *z = unit_raw_deflate(in, 2000, 6,
		    Z_DEFAULT_STRATEGY, Z_FULL_FLUSH, &zl);

		UA(z != NULL);
		for (size_t cut = 1000; z != NULL && cut < 1340; cut++) {
			memset(back, 0xa5, cut + GUARD);
			if (dexf_deflate_decode(z, zl, back, cut) != -1 ||
			    memcmp(back + cut, guard, GUARD) != 0)
				bad++;
		}
		UA_INT(bad, 0);
		free(z);
	}
	/* flips across a large text chunk from zlib and one from igzip */
	make_data(in, BIG, DATA_TEXT, 7);
	for (int src = 0; src < 2; src++) {
		unsigned char *z = NULL;
		size_t zl = 0, differ = 0, accepted = 0;

		if (src == 0) {
			z = unit_raw_deflate(in, BIG, 1, Z_DEFAULT_STRATEGY,
			    Z_FULL_FLUSH, &zl);
		} else if (dexf_deflate_have_isal()) {
			dexf_codec *c = NULL;

			if (dexf_codec_new_engine(&c, 1, DEXF_ENGINE_ISAL) == 0)
				z = deflate_chunk(c, in, BIG, &zl);
			dexf_codec_free(c);
		} else {
			continue;
		}
		if (z == NULL) {
			CU_FAIL("deflate");
			continue;
		}
		for (size_t m = 0; m < 400; m++) {
			size_t bit = m * zl * 8 / 400 + m % 8;
			int vz, vd;

			z[bit / 8] ^= (unsigned char)(1u << bit % 8);
			vz = dexf_chunk_inflate(zc, z, zl, zb, BIG);
			vd = dexf_deflate_decode(z, zl, back, BIG);
			z[bit / 8] ^= (unsigned char)(1u << bit % 8);
			accepted += vz == 0;
			if (vz != vd || (vz == 0 && memcmp(zb, back, BIG) != 0))
				differ++;
		}
		EXPECT(differ == 0, "source %d: %zu of 400 flipped chunks "
		    "got another verdict or other bytes than zlib's", src,
		    differ);
		EXPECT(accepted > 0 && accepted < 400, "source %d: %zu of "
		    "400 accepted", src, accepted);
		free(z);
	}
done:
	dexf_codec_free(zc);
	free(in);
	free(back);
	free(zb);
}

/*
 * Random dynamic blocks, decoded and compared with what was written and
 * with zlib.  Code lengths up to 15 bits (also for the code length code's
 * 7), repeat codes 16-18 and extra bits of every width make the bit buffer
 * hold every count of bits where a block starts and where a symbol is
 * looked up: the decoder looks the next symbol up early, and must look
 * again when it then held fewer bits than its table takes.
 */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A random complete prefix code: nleaves lengths of at most maxlen bits,
 * given to nleaves of the symbols in sym[] at random. */
static void
random_code(uint32_t *s, uint8_t *len, const uint16_t *sym, unsigned nsym,
    unsigned nleaves, unsigned maxlen)
{
	uint8_t depth[320] = { 0 };
	uint16_t pick[320];
	unsigned n = 1, last = 0;

	while (n < nleaves) {
		/* split the last split leaf half the time: long codes */
		unsigned i = rnd(s) % 2 ? last : rnd(s) % n;

		if (depth[i] >= maxlen) {
			for (i = 0; i < n && depth[i] >= maxlen; i++)
				;
		}
		depth[i]++;
		depth[n] = depth[i];
		last = rnd(s) % 2 ? i : n;
		n++;
	}
	memcpy(pick, sym, nsym * sizeof(*sym));
	for (unsigned i = 0; i < nleaves; i++) {
		unsigned j = i + rnd(s) % (nsym - i);
		uint16_t t = pick[i];

		pick[i] = pick[j];
		pick[j] = t;
		len[pick[i]] = depth[i];
	}
}

static const uint16_t t_lbase[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
	59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t t_lext[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
	4, 5, 5, 5, 5, 0
};
static const uint16_t t_dbase[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
	513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
};
static const uint8_t t_dext[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
	10, 11, 11, 12, 12, 13, 13
};

enum { RB_PLAIN = 8192 };

/* One random dynamic block into w, its plaintext appended to plain. */
static void
random_block(uint32_t *s, struct bw *w, unsigned char *plain, size_t *n)
{
	uint16_t sym[320];
	struct dyn d;
	unsigned nlit = 2 + rnd(s) % 60, nd = 1 + rnd(s) % 30, hlit = 0;
	unsigned hdist = 0, nsyms = 1 + rnd(s) % 40;

	memset(&d, 0, sizeof(d));
	for (unsigned i = 0; i < 19; i++)
		sym[i] = (uint16_t)i;
	random_code(s, d.cl, sym, 19, 19, 7);
	/* literals and lengths; one of the coded symbols becomes EOB */
	for (unsigned i = 0; i < 285; i++)
		sym[i] = (uint16_t)(i < 256 ? i : i + 1);
	random_code(s, d.len, sym, 285, nlit, 15);
	for (unsigned i = 0; i < 286; i++)
		if (d.len[i] != 0) {
			d.len[256] = d.len[i];
			d.len[i] = 0;
			break;
		}
	for (unsigned i = 0; i < 30; i++)
		sym[i] = (uint16_t)i;
	{
		uint8_t l[30] = { 0 };

		random_code(s, l, sym, 30, nd < 2 ? 2 : nd, 15);
		for (unsigned i = 0; i < 286; i++)
			if (d.len[i] != 0)
				hlit = i;
		for (unsigned i = 0; i < 30; i++)
			if (l[i] != 0)
				hdist = i;
		d.nlen = hlit + 1 < 257 ? 257 : hlit + 1;
		d.ndist = hdist + 1;
		memcpy(d.len + d.nlen, l, d.ndist);
	}
	dyn_begin(w, &d, d.nlen - 257, d.ndist - 1);
	for (unsigned i = 0; i < d.nlen + d.ndist;) {
		unsigned run = 1, v = d.len[i];

		while (i + run < d.nlen + d.ndist && d.len[i + run] == v &&
		    run < 138)
			run++;
		if (v == 0 && run >= 11 && rnd(s) % 2) {
			bw_code(w, d.clcode[18], d.cl[18]);
			bw_put(w, run - 11, 7);
			i += run;
		} else if (v == 0 && run >= 3 && rnd(s) % 2) {
			run = run > 10 ? 10 : run;
			bw_code(w, d.clcode[17], d.cl[17]);
			bw_put(w, run - 3, 3);
			i += run;
		} else if (i > 0 && d.len[i - 1] == v && run >= 3 &&
		    rnd(s) % 2) {
			run = run > 6 ? 6 : run;
			bw_code(w, d.clcode[16], d.cl[16]);
			bw_put(w, run - 3, 2);
			i += run;
		} else {
			bw_code(w, d.clcode[v], d.cl[v]);
			i++;
		}
	}
	canon(d.len, d.nlen, d.code);
	canon(d.len + d.nlen, d.ndist, d.code + d.nlen);
	for (unsigned k = 0; k < nsyms; k++) {
		unsigned ls = rnd(s) % d.nlen, ds = rnd(s) % d.ndist, e;
		size_t len, dist;

		/* the next coded symbol from a random start */
		while (d.len[ls] == 0 || ls == 256)
			ls = (ls + 1) % d.nlen;
		if (ls < 256) {
			if (*n >= RB_PLAIN)
				break;
			dyn_lit(w, &d, ls);
			plain[(*n)++] = (unsigned char)ls;
			continue;
		}
		for (e = 0; e < d.ndist && (d.len[d.nlen + ds] == 0 ||
		    t_dbase[ds] > *n); e++)
			ds = (ds + 1) % d.ndist;
		if (e == d.ndist)
			continue;               /* no distance reaches back */
		len = t_lbase[ls - 257] + (t_lext[ls - 257] ?
		    rnd(s) % (1u << t_lext[ls - 257]) : 0);
		if (ls == 284 && len == 258)
			len = 257;              /* 284 + 31 is not a length */
		dist = t_dbase[ds] + (t_dext[ds] ?
		    rnd(s) % (1u << t_dext[ds]) : 0);
		if (dist > *n)
			dist = *n;
		if (*n + len > RB_PLAIN)
			break;
		dyn_lit(w, &d, ls);
		bw_put(w, (uint32_t)(len - t_lbase[ls - 257]), t_lext[ls - 257]);
		bw_code(w, d.code[d.nlen + ds], d.len[d.nlen + ds]);
		bw_put(w, (uint32_t)(dist - t_dbase[ds]), t_dext[ds]);
		for (size_t i = 0; i < len; i++, (*n)++)
			plain[*n] = plain[*n - dist];
	}
	dyn_lit(w, &d, 256);
}

static void
random_dynamic_blocks_decode_as_written_and_as_zlib(void)
{
	unsigned char *plain = malloc(3 * RB_PLAIN), *back = malloc(
	    3 * RB_PLAIN + 1);
	uint32_t s = 0x6465786b;
	size_t tried = 0, differ = 0, longest = 0;

	if (plain == NULL || back == NULL)
		goto done;
	for (unsigned t = 0; t < 10000; t++) {
		struct bw w = { .n = 0 };
		unsigned nblocks = 1 + rnd(&s) % 3;
		size_t n = 0, zl = 0;
		unsigned char *z;
		int ok = 0;

		for (unsigned k = 0; k < nblocks; k++)
			random_block(&s, &w, plain, &n);
		bw_flush(&w);
		if (w.n >= sizeof(w.buf) - 8)
			continue;               /* did not fit the writer */
		memset(back, 0xa5, n + 1);
		z = plain_inflate(w.buf, w.n, n, &zl, &ok);
		/* without a final block zlib wants more, but has the bytes */
		if (dexf_deflate_decode(w.buf, w.n, back, n) != 0 ||
		    memcmp(back, plain, n) != 0 || z == NULL || zl != n ||
		    memcmp(z, plain, n) != 0) {
			if (differ++ < 3)
				CU_FAIL("a random block decoded otherwise");
		}
		free(z);
		longest = w.n > longest ? w.n : longest;
		tried++;
	}
	EXPECT(differ == 0, "%zu of %zu random chunks decoded otherwise",
	    differ, tried);
	EXPECT(tried > 9000, "%zu of 10000 random chunks fit the writer",
	    tried);
done:
	free(plain);
	free(back);
}

/* ------------------------------------------------------------ CRC-32 */

static void
crc32_matches_zlib_on_every_length_and_alignment(void)
{
	enum { N = 70000 };
	unsigned char *p = malloc(N + 64);
	static const size_t big[] = { 1000, 4095, 4096, 4097, 65535, 65536,
	    65537, N };
	size_t bad = 0;

	if (p == NULL) {
		CU_FAIL("malloc");
		return;
	}
	unit_fill_random(p, N + 64, 5);
	UA_INT(dexf_crc32(0, "123456789", 9), 0xcbf43926u);
	UA_INT(dexf_crc32(0, NULL, 0), 0);
	UA_INT(dexf_crc32(0x12345678u, NULL, 0), 0x12345678u);
	for (size_t off = 0; off < 16; off++) {
		for (size_t n = 0; n < 300; n++)
			if (dexf_crc32(0, p + off, n) !=
			    (uint32_t)crc32_z(0, p + off, n))
				bad++;
		for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++)
			if (dexf_crc32(0, p + off, big[i]) !=
			    (uint32_t)crc32_z(0, p + off, big[i]))
				bad++;
	}
	EXPECT(bad == 0, "%zu of %d CRC-32s differ from zlib's", bad,
	    16 * 308);
	/* continued in pieces, from any start value */
	for (size_t cut = 0; cut < N; cut += 6999) {
		uint32_t c = dexf_crc32(dexf_crc32(0, p, cut), p + cut,
		    N - cut);

		EXPECT(c == (uint32_t)crc32_z(0, p, N), "CRC-32 in two "
		    "pieces cut at %zu", cut);
	}
	EXPECT(dexf_crc32(0xdeadbeefu, p, 1234) ==
	    (uint32_t)crc32_z(0xdeadbeefu, p, 1234), "CRC-32 continued from "
	    "0xdeadbeef");
#ifdef HAVE_ISAL
	/* dexf_crc32() follows DEXF_DEFLATE; compare ISA-L itself too */
	bad = 0;
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 1; n < 300; n++)
			if (crc32_gzip_refl(0x5a5a5a5au, p + off, n) !=
			    (uint32_t)crc32_z(0x5a5a5a5au, p + off, n))
				bad++;
	EXPECT(bad == 0, "%zu crc32_gzip_refl() results differ from zlib's",
	    bad);
	UA_INT(crc32_gzip_refl(0, p, N), (uint32_t)crc32_z(0, p, N));
#endif
	free(p);
}

static void
crc32_combine_joins_two_parts(void)
{
	unsigned char p[5000];

	unit_fill_random(p, sizeof(p), 6);
	for (size_t cut = 0; cut <= sizeof(p); cut += 1250) {
		uint32_t a = dexf_crc32(0, p, cut);
		uint32_t b = dexf_crc32(0, p + cut, sizeof(p) - cut);

		EXPECT(dexf_crc32_combine(a, b, sizeof(p) - cut) ==
		    dexf_crc32(0, p, sizeof(p)), "CRC-32 combined at %zu",
		    cut);
	}
	EXPECT(dexf_crc32_combine(dexf_crc32(0, p, 10), 0, 0) ==
	    dexf_crc32(0, p, 10), "combining with nothing");
}

/* Lengths past 4 GiB count in full: the CRC of 2^32 + 100 zero bytes put
 * together in both orders (a length cut to 32 bits breaks one). */
static void
crc32_combine_takes_64_bit_lengths(void)
{
	unsigned char zero[2048] = { 0 };
	uint32_t z[33], z100 = dexf_crc32(0, zero, 100);

	z[10] = dexf_crc32(0, zero, 1024);
	for (int k = 10; k < 32; k++)
		z[k + 1] = dexf_crc32_combine(z[k], z[k], (uint64_t)1 << k);
	UA_INT(z[11], dexf_crc32(0, zero, 2048));
	EXPECT(dexf_crc32_combine(z[32], z100, 100) ==
	    dexf_crc32_combine(z100, z[32], (uint64_t)1 << 32),
	    "CRC-32 of 2^32 + 100 zero bytes, both orders");
}

/* DEXF_DEFLATE picks the engine once; the version line names it. */
static void
engine_is_chosen_once_and_named(void)
{
	const char *env = getenv("DEXF_DEFLATE");
	const char *want = dexf_deflate_have_isal() && !(env != NULL &&
	    strcmp(env, "zlib") == 0) ? "isal" : "zlib";
	const char *b = dexf_backends();
	dexf_codec *c = NULL;

	UA_STR(dexf_deflate_engine(), want);
	UA_INT(dexf_codec_new_engine(&c, 1, DEXF_ENGINE_ISAL),
	    dexf_deflate_have_isal() ? 0 : -1);
	UA(dexf_deflate_have_isal() ? c != NULL : c == NULL);
	dexf_codec_free(c);
	UA_INT(dexf_codec_new_engine(&c, 1, DEXF_ENGINE_ZLIB), 0);
	dexf_codec_free(c);
	if (strcmp(want, "isal") == 0) {
		UA_HAS(b, ") deflate, dexf strict inflate, zlib ");
		UA_HAS(b, " (fallback)");
	} else if (dexf_deflate_have_isal()) {
		UA_HAS(b, " (deflate, DEXF_DEFLATE=zlib), ISA-L ");
	} else {
		UA_HAS(b, " (deflate), libxml2");
	}
	UA(dexf_deflate_have_isal() == (strstr(b, "ISA-L") != NULL));
#ifdef HAVE_ISAL
	UA_INT(dexf_deflate_have_isal(), 1);
#else
	UA_INT(dexf_deflate_have_isal(), 0);
#endif
}

static const unit_test engine_tests[] = {
	{ "chunks_of_every_kind_and_size_inflate_back_exactly",
	    chunks_of_every_kind_and_size_inflate_back_exactly },
	{ "random_max_chunk_stays_within_stored_bound",
	    random_max_chunk_stays_within_stored_bound },
	{ "deflated_chunk_ends_with_full_flush_marker",
	    deflated_chunk_ends_with_full_flush_marker },
	{ "concatenated_chunks_plus_trailer_are_one_deflate_stream",
	    concatenated_chunks_plus_trailer_are_one_deflate_stream },
	{ "chunks_decode_with_the_other_engine",
	    chunks_decode_with_the_other_engine },
	{ "chunks_of_both_engines_form_one_stream",
	    chunks_of_both_engines_form_one_stream },
	{ "inflate_rejects_corrupted_block_header",
	    inflate_rejects_corrupted_block_header },
	{ "inflate_rejects_wrong_plain_length",
	    inflate_rejects_wrong_plain_length },
	{ "inflate_rejects_truncated_chunk", inflate_rejects_truncated_chunk },
	{ "inflate_rejects_chunk_with_extra_data",
	    inflate_rejects_chunk_with_extra_data },
	{ "inflate_rejects_trailing_garbage",
	    inflate_rejects_trailing_garbage },
	{ "inflate_rejects_chunk_that_ends_the_stream",
	    inflate_rejects_chunk_that_ends_the_stream },
	{ "chunks_decode_independently_in_any_order",
	    chunks_decode_independently_in_any_order },
	{ NULL, NULL }
};

/*
 * Padding after a chunk's last block (FORMAT.md 4.5): zlib alone stops
 * with 1 or 2 bits unread and would accept the chunk, but inflating the
 * whole entry reads them (ones, in a byte of ff) as the next chunk's or
 * the trailer's block header, and fails.  Both engines and the decoder
 * refuse such a chunk; an encoder's chunks, which end with the flush's
 * stored block, decode as zlib decodes them in the whole stream.
 */
static void
padding_after_the_last_block_is_refused(void)
{
	dexf_codec *c = NULL, *zc = NULL;
	unsigned char *in = malloc(300000), *pcs = malloc(400000), *back;
	size_t at = 0;

	UA_INT(dexf_codec_new_engine(&zc, 6, DEXF_ENGINE_ZLIB), 0);
	for (unsigned p = 1; p <= 2; p++) {
		struct crafted k;
		unsigned char s[sizeof(k.chunk) + 2], out[sizeof(k.plain)];
		unsigned char *z;
		size_t n;
		int ok;

		memset(&k, 0, sizeof(k));
		padded(&k, p);
		UA(k.len >= 5 && memcmp(k.chunk + k.len - 4,
		    "\x00\x00\xff\xff", 4) == 0);
		/* zlib on the chunk alone: accepted */
		z = plain_inflate(k.chunk, k.len, k.plainlen, &n, &ok);
		EXPECT(z != NULL && n == k.plainlen, "%u padding bits: zlib "
		    "alone decodes the chunk", p);
		free(z);
		UA_INT(dexf_deflate_decode(k.chunk, k.len, out, k.plainlen),
		    -1);
		if (zc != NULL)
			UA_INT(dexf_chunk_inflate(zc, k.chunk, k.len, out,
			    k.plainlen), -1);
		memcpy(s, k.chunk, k.len);
		memcpy(s + k.len, dexf_deflate_trailer, 2);
		z = plain_inflate(s, k.len + 2, k.plainlen, &n, &ok);
		EXPECT(z != NULL && !ok, "%u padding bits: zlib refuses the "
		    "chunk and the trailer", p);
		free(z);
	}
	if (in == NULL || pcs == NULL || codec_new(&c, 1) != 0) {
		CU_FAIL("setup");
		goto out;
	}
	make_data(in, 300000, DATA_TEXT, 7);
	for (size_t off = 0; off < 300000; off += 100000) {
		size_t n = 0;
		unsigned char *z = deflate_chunk(c, in + off, 100000, &n);

		UA(z != NULL);
		if (z == NULL)
			goto out;
		memcpy(pcs + at, z, n);
		at += n;
		free(z);
	}
	back = malloc(300000 + 1);
	if (back != NULL) {
		size_t n = 0;
		int ok = 0;
		unsigned char *z;

		UA_INT(dexf_deflate_decode(pcs, at, back, 300000), 0);
		UA_MEM(back, in, 300000);
		memcpy(pcs + at, dexf_deflate_trailer, 2);
		z = plain_inflate(pcs, at + 2, 300000, &n, &ok);
		EXPECT(z != NULL && ok && n == 300000 &&
		    memcmp(z, in, n) == 0, "zlib: the same bytes");
		free(z);
		free(back);
	}
	/* dexf_crc32_combine() skips zlib for a first CRC of 0 */
	for (uint32_t v = 1; v < 0xf0000000u; v += 0x0f123457u)
		UA_INT(dexf_crc32_combine(0, v, v % 100000),
		    (uint32_t)crc32_combine(0, v, (z_off_t)(v % 100000)));
out:
	dexf_codec_free(c);
	dexf_codec_free(zc);
	free(in);
	free(pcs);
}

/*
 * The decoder's hot loop is compiled once per instruction set it can use
 * (deflate_scan.h); each process takes the best its CPU runs, and the
 * tests can force each variant: the decoder's comparisons with zlib run
 * in suite chunk-decoder on the best, and in chunk-generic on the generic
 * one.
 */
static void
decoder_variant_is_the_cpus_best_unless_forced(void)
{
	int best = DEXF_DECODE_GENERIC;

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	if (__builtin_cpu_supports("bmi2"))
		best = DEXF_DECODE_BMI2;
#endif
	UA_INT(dexf_deflate_decode_variant(DEXF_DECODE_GENERIC), best);
	UA_INT(dexf_deflate_decode_variant(0), DEXF_DECODE_GENERIC);
	UA_INT(dexf_deflate_decode_variant(0), best);
	/* a variant this build or CPU lacks changes nothing */
	UA_INT(dexf_deflate_decode_variant(99), -1);
	UA_INT(dexf_deflate_decode_variant(DEXF_DECODE_BMI2),
	    best == DEXF_DECODE_BMI2 ? best : -1);
	UA_INT(dexf_deflate_decode_variant(0), best);
}

static const unit_test decoder_tests[] = {
	{ "padding_after_the_last_block_is_refused",
	    padding_after_the_last_block_is_refused },
	{ "crafted_chunks_get_zlib_verdict_from_every_engine",
	    crafted_chunks_get_zlib_verdict_from_every_engine },
	{ "damaged_chunks_get_zlib_verdict_from_every_engine",
	    damaged_chunks_get_zlib_verdict_from_every_engine },
	{ "decoder_output_matches_zlib_at_the_edges",
	    decoder_output_matches_zlib_at_the_edges },
	{ "random_dynamic_blocks_decode_as_written_and_as_zlib",
	    random_dynamic_blocks_decode_as_written_and_as_zlib },
	{ NULL, NULL }
};

static const unit_test tests[] = {
	{ "decoder_variant_is_the_cpus_best_unless_forced",
	    decoder_variant_is_the_cpus_best_unless_forced },
	{ "trailer_is_final_empty_fixed_block",
	    trailer_is_final_empty_fixed_block },
	{ "stored_max_is_the_format_bound", stored_max_is_the_format_bound },
	{ "engine_is_chosen_once_and_named", engine_is_chosen_once_and_named },
	{ "crc32_matches_zlib_on_every_length_and_alignment",
	    crc32_matches_zlib_on_every_length_and_alignment },
	{ "crc32_combine_joins_two_parts", crc32_combine_joins_two_parts },
	{ "crc32_combine_takes_64_bit_lengths",
	    crc32_combine_takes_64_bit_lengths },
	{ NULL, NULL }
};

static int
use_zlib(void)
{
	engine = DEXF_ENGINE_ZLIB;
	return 0;
}

static int
use_generic_decoder(void)
{
	return dexf_deflate_decode_variant(DEXF_DECODE_GENERIC) < 0;
}

static int
use_best_decoder(void)
{
	return dexf_deflate_decode_variant(0) < 0;
}

#ifdef HAVE_ISAL
static int
use_isal(void)
{
	engine = DEXF_ENGINE_ISAL;
	return 0;
}
#endif

int
unit_register_chunk(void)
{
	int rc;

	if ((rc = unit_add_suite("chunk", NULL, NULL, tests)) != 0 ||
	    (rc = unit_add_suite("chunk-decoder", NULL, NULL,
	    decoder_tests)) != 0 ||
	    (rc = unit_add_suite("chunk-generic", use_generic_decoder,
	    use_best_decoder, decoder_tests)) != 0 ||
	    (rc = unit_add_suite("chunk-zlib", use_zlib, NULL,
	    engine_tests)) != 0)
		return rc;
#ifdef HAVE_ISAL
	rc = unit_add_suite("chunk-isal", use_isal, NULL, engine_tests);
#else
	printf("test_unit: built without ISA-L: no suite chunk-isal\n");
#endif
	return rc;
}
