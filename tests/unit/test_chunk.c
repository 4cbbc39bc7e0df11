/*
 * test_chunk.c - independent deflate chunks (FORMAT.md 4.3-4.5).
 */
#include "config.h"

#include <stdlib.h>

#include <zlib.h>

#include "chunk.h"
#include "unit.h"

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
		UA_INT(dexf_codec_new(&c, levels[l]), 0);
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

	UA_INT(dexf_codec_new(&c, 6), 0);
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
	UA_INT(dexf_codec_new(&c, 6), 0);
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

	UA_INT(dexf_codec_new(&c, 6), 0);
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

	UA_INT(dexf_codec_new(&c, 6), 0);
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

	UA_INT(dexf_codec_new(&c, 6), 0);
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

	UA_INT(dexf_codec_new(&c, 6), 0);
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
	UA_INT(dexf_codec_new(&c, 6), 0);
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

	UA_INT(dexf_codec_new(&c, 9), 0);
	UA_INT(dexf_codec_new(&d, 1), 0);
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

static const unit_test tests[] = {
	{ "trailer_is_final_empty_fixed_block",
	    trailer_is_final_empty_fixed_block },
	{ "stored_max_is_the_format_bound", stored_max_is_the_format_bound },
	{ "chunks_of_every_kind_and_size_inflate_back_exactly",
	    chunks_of_every_kind_and_size_inflate_back_exactly },
	{ "deflated_chunk_ends_with_full_flush_marker",
	    deflated_chunk_ends_with_full_flush_marker },
	{ "concatenated_chunks_plus_trailer_are_one_deflate_stream",
	    concatenated_chunks_plus_trailer_are_one_deflate_stream },
	{ "inflate_rejects_corrupted_block_header",
	    inflate_rejects_corrupted_block_header },
	{ "inflate_rejects_wrong_plain_length",
	    inflate_rejects_wrong_plain_length },
	{ "inflate_rejects_truncated_chunk", inflate_rejects_truncated_chunk },
	{ "inflate_rejects_chunk_with_extra_data",
	    inflate_rejects_chunk_with_extra_data },
	{ "inflate_rejects_chunk_that_ends_the_stream",
	    inflate_rejects_chunk_that_ends_the_stream },
	{ "chunks_decode_independently_in_any_order",
	    chunks_decode_independently_in_any_order },
	{ NULL, NULL }
};

int
unit_register_chunk(void)
{
	return unit_add_suite("chunk", NULL, NULL, tests);
}
