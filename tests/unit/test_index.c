/*
 * test_index.c - the binary chunk index (FORMAT.md 5).
 */
#include "config.h"

#include <stdlib.h>

#include "digest.h"
#include "index.h"
#include "util.h"
#include "unit.h"

/* FORMAT.md 5.4, normative: the 112-byte index of the 33-byte note. */
static const unsigned char example_index[112] = {
	0x44, 0x45, 0x58, 0x46, 0x43, 0x49, 0x58, 0x31,
	0x01, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
	0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x74, 0xda, 0x21, 0x00, 0x3c, 0x5d, 0xe0, 0x89,
	0xa7, 0x93, 0xe8, 0x4f, 0xf5, 0x38, 0xce, 0x0c,
	0xa6, 0x22, 0xde, 0x96, 0xc2, 0x4e, 0xfc, 0x30,
	0xe0, 0xb6, 0x56, 0x58, 0x1b, 0x0c, 0xa6, 0x1b,
};

static void
example_header(dexf_idx_header *h)
{
	memset(h, 0, sizeof(*h));
	h->major = 1;
	h->minor = 0;
	h->chunk_size = 1u << 20;
	h->item_size = 33;
	h->chunk_count = 1;
	h->compression = 0;
	h->leaf_alg = DEXF_IDX_LEAF_SHA256;
	h->data_size = 33;
}

static void
encode_reproduces_format_example_bytes(void)
{
	static const char note[] = "Seized from desk drawer, room 4.\n";
	unsigned char buf[112], md[32];
	dexf_idx_header h;
	dexf_idx_entry e;
	char hex[65];

	memset(buf, 0xaa, sizeof(buf));
	example_header(&h);
	dexf_idx_header_encode(buf, &h);
	UA_MEM(buf, example_index, 64);
	memset(&e, 0, sizeof(e));
	e.offset = 0;
	e.length = 33;
	dexf_leaf_hash(e.leaf, note, 33);
	dexf_idx_entry_encode(buf + 64, &e);
	UA_MEM(buf + 64, example_index + 64, 48);
	dexf_sha256(md, buf, sizeof(buf));
	dexf_hex(hex, md, 32);
	UA_STR(hex, "d3d44c45a33dc69924337dad2aabc893"
	    "ebf667cc12e1e1fae5b0363acc327ab7");
}

static void
header_encode_decode_roundtrip(void)
{
	dexf_idx_header h, d;
	unsigned char buf[DEXF_IDX_HEADER];
	dexf_err err;

	memset(&h, 0, sizeof(h));
	h.major = 1;
	h.chunk_size = 4096;
	h.item_size = 10000;
	h.chunk_count = 3;
	h.compression = 8;
	h.leaf_alg = 1;
	h.data_size = 5555;
	dexf_idx_header_encode(buf, &h);
	memset(&d, 0x5a, sizeof(d));
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_idx_header_decode(&d, buf, 64 + 3 * 48, "x.idx", &err), 0);
	UA_INT(d.major, 1);
	UA_INT(d.minor, 0);
	UA_INT(d.chunk_size, 4096);
	UA(d.item_size == 10000);
	UA(d.chunk_count == 3);
	UA_INT(d.compression, 8);
	UA_INT(d.leaf_alg, 1);
	UA(d.data_size == 5555);
	/* reserved bytes are written as zero */
	UA_INT(buf[42] | buf[43] | buf[44] | buf[45] | buf[46] | buf[47], 0);
	for (int i = 56; i < 64; i++)
		UA_INT(buf[i], 0);
	/* the format example decodes too; an empty item has no entries */
	UA_INT(dexf_idx_header_decode(&d, example_index, 112, "i2.idx", &err),
	    0);
	h.item_size = 0;
	h.chunk_count = 0;
	h.data_size = 2;
	dexf_idx_header_encode(buf, &h);
	UA_INT(dexf_idx_header_decode(&d, buf, 64, "e.idx", &err), 0);
}

static void
entry_encode_decode_roundtrip(void)
{
	dexf_idx_entry e, d;
	unsigned char buf[DEXF_IDX_ENTRY];

	e.offset = 0x0102030405060708ull;
	e.length = 0xa0b0c0d0u;
	for (int i = 0; i < 32; i++)
		e.leaf[i] = (unsigned char)(i * 7);
	memset(buf, 0xee, sizeof(buf));
	dexf_idx_entry_encode(buf, &e);
	UA_INT(get_le32(buf + 12), 0);    /* reserved */
	UA(get_le64(buf) == e.offset);
	UA(get_le32(buf + 8) == e.length);
	dexf_idx_entry_decode(&d, buf);
	UA(d.offset == e.offset);
	UA(d.length == e.length);
	UA_MEM(d.leaf, e.leaf, 32);
}

/* Decode a modified copy of a valid header. */
static int
decode_patched(size_t at, const void *bytes, size_t n, uint64_t file_size,
    dexf_err *err)
{
	unsigned char buf[DEXF_IDX_HEADER];
	dexf_idx_header h;

	memcpy(buf, example_index, sizeof(buf));
	memcpy(buf + at, bytes, n);
	memset(err, 0, sizeof(*err));
	return dexf_idx_header_decode(&h, buf, file_size, "META-INF/dexf/"
	    "index/i7.idx", err);
}

static void
decode_rejects_bad_magic(void)
{
	dexf_err err;

	UA_INT(decode_patched(0, "DEXFCIX2", 8, 112, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "i7.idx");
	UA_HAS(err.msg, "magic");
	UA_INT(decode_patched(0, "dexfcix1", 8, 112, &err), DEXF_EFORMAT);
}

static void
decode_reports_major_2_as_unsupported(void)
{
	dexf_err err;

	UA_INT(decode_patched(8, "\x02\x00", 2, 112, &err), DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "i7.idx");
	UA_HAS(err.msg, "2.0");
	UA_INT(decode_patched(8, "\x00\x00", 2, 112, &err), DEXF_EUNSUPPORTED);
}

/* FORMAT.md 5.3 rule 2 and open point 10: minor must be 0. */
static void
decode_accepts_minor_1_refuses_major_2(void)
{
	dexf_err err;

	/* minor versions only use reserved fields: a 1.x reader accepts
	 * them (FORMAT.md, versioning); major 2 is unsupported */
	UA_INT(decode_patched(10, "\x01\x00", 2, 112, &err), 0);
	UA_INT(decode_patched(8, "\x02\x00", 2, 112, &err), DEXF_EUNSUPPORTED);
}

static void
decode_rejects_header_and_entry_size(void)
{
	dexf_err err;

	UA_INT(decode_patched(12, "\x41\x00\x00\x00", 4, 112, &err),
	    DEXF_EFORMAT);
	UA_INT(decode_patched(16, "\x31\x00\x00\x00", 4, 112, &err),
	    DEXF_EFORMAT);
}

static void
decode_rejects_bad_chunk_size(void)
{
	static const uint32_t bad[] = { 0, 1, 2048, 4095, 4097, 12288,
	    (1u << 20) + 4096, 128u << 20, 0xffffffffu };
	dexf_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned char b[4];
		char what[96];
		int rc;

		put_le32(b, bad[i]);
		rc = decode_patched(20, b, 4, 112, &err);
		snprintf(what, sizeof(what), "chunk size %u rejected (got %d)",
		    bad[i], rc);
		CU_assertImplementation(rc == DEXF_EFORMAT ? CU_TRUE : CU_FALSE,
		    __LINE__, what, __FILE__, "", CU_FALSE);
	}
	/* the bounds themselves are valid (count fixed to match) */
	{
		unsigned char b[4];

		put_le32(b, 4096);
		UA_INT(decode_patched(20, b, 4, 112, &err), 0);
		put_le32(b, 64u << 20);
		UA_INT(decode_patched(20, b, 4, 112, &err), 0);
	}
}

static void
decode_reports_unknown_compression_and_leaf_as_unsupported(void)
{
	dexf_err err;

	UA_INT(decode_patched(40, "\x01", 1, 112, &err), DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "compression");
	UA_INT(decode_patched(40, "\x0c", 1, 112, &err), DEXF_EUNSUPPORTED);
	UA_INT(decode_patched(40, "\x08", 1, 112, &err), 0);
	UA_INT(decode_patched(41, "\x02", 1, 112, &err), DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "leaf");
	UA_INT(decode_patched(41, "\x00", 1, 112, &err), DEXF_EUNSUPPORTED);
}

static void
decode_rejects_count_not_matching_size(void)
{
	dexf_err err;

	/* 33 bytes need one chunk, not zero or two */
	UA_INT(decode_patched(32, "\x00", 1, 64, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "chunk count");
	UA_INT(decode_patched(32, "\x02", 1, 160, &err), DEXF_EFORMAT);
	/* size 0 with one chunk */
	UA_INT(decode_patched(24, "\x00", 1, 112, &err), DEXF_EFORMAT);
}

static void
decode_rejects_file_size_not_matching_count(void)
{
	dexf_err err;

	UA_INT(decode_patched(0, "D", 1, 111, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "111");
	UA_INT(decode_patched(0, "D", 1, 113, &err), DEXF_EFORMAT);
	UA_INT(decode_patched(0, "D", 1, 160, &err), DEXF_EFORMAT);
	UA_INT(decode_patched(0, "D", 1, 64, &err), DEXF_EFORMAT);
	UA_INT(decode_patched(0, "D", 1, 0, &err), DEXF_EFORMAT);
	UA_INT(decode_patched(0, "D", 1, UINT64_MAX, &err), DEXF_EFORMAT);
}

/* FORMAT.md 5.3 rule 5: reserved fields are checked as 0. */
static void
decode_ignores_reserved_fields(void)
{
	dexf_err err;

	/* reserved fields are where a later minor version adds fields, so
	 * a 1.x reader must not reject them */
	UA_INT(decode_patched(42, "\x01", 1, 112, &err), 0);
	UA_INT(decode_patched(44, "\x01", 1, 112, &err), 0);
	UA_INT(decode_patched(63, "\x80", 1, 112, &err), 0);
}

/* FORMAT.md 4.1: item sizes above 2^63 - 1 are index-mismatch. */
static void
decode_accepts_item_size_above_2_63_if_entries_fit(void)
{
	unsigned char buf[DEXF_IDX_HEADER];
	dexf_idx_header h, d;
	dexf_err err;

	/* sizes are full unsigned 64-bit values; the index file size must
	 * still hold every entry, which bounds what is read */
	memset(&h, 0, sizeof(h));
	h.major = 1;
	h.chunk_size = 64u << 20;
	h.item_size = 1ull << 63;
	h.chunk_count = (1ull << 63) >> 26;
	h.leaf_alg = 1;
	h.data_size = 1ull << 63;
	dexf_idx_header_encode(buf, &h);
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_idx_header_decode(&d, buf, 64 + 48 * h.chunk_count,
	    "big.idx", &err), 0);
	UA_INT(dexf_idx_header_decode(&d, buf, 64 + 48 * (h.chunk_count - 1),
	    "big.idx", &err), DEXF_EFORMAT);
}

static void
count_for_edges(void)
{
	UA(dexf_idx_count_for(0, 4096) == 0);
	UA(dexf_idx_count_for(1, 4096) == 1);
	UA(dexf_idx_count_for(4095, 4096) == 1);
	UA(dexf_idx_count_for(4096, 4096) == 1);
	UA(dexf_idx_count_for(4097, 4096) == 2);
	UA(dexf_idx_count_for(1572864, 1u << 20) == 2);
	UA(dexf_idx_count_for(UINT64_MAX, 4096) == (1ull << 52));
	UA(dexf_idx_count_for(UINT64_MAX, 64u << 20) == (1ull << 38));
	UA(dexf_idx_count_for(1ull << 63, 64u << 20) == (1ull << 37));
}

static void
chunk_plain_edges(void)
{
	dexf_idx_header h;

	memset(&h, 0, sizeof(h));
	h.chunk_size = 4096;
	h.item_size = 10000;
	h.chunk_count = 3;
	UA(dexf_idx_chunk_plain(&h, 0) == 4096);
	UA(dexf_idx_chunk_plain(&h, 1) == 4096);
	UA(dexf_idx_chunk_plain(&h, 2) == 10000 - 8192);
	h.item_size = 8192;
	h.chunk_count = 2;
	UA(dexf_idx_chunk_plain(&h, 1) == 4096);
	h.item_size = 1;
	h.chunk_count = 1;
	UA(dexf_idx_chunk_plain(&h, 0) == 1);
	h.chunk_size = 64u << 20;
	h.item_size = (1ull << 40) + 5;
	h.chunk_count = dexf_idx_count_for(h.item_size, h.chunk_size);
	UA(dexf_idx_chunk_plain(&h, h.chunk_count - 1) == 5);
	UA(dexf_idx_chunk_plain(&h, h.chunk_count - 2) == (64u << 20));
}

static const unit_test tests[] = {
	{ "encode_reproduces_format_example_bytes",
	    encode_reproduces_format_example_bytes },
	{ "header_encode_decode_roundtrip", header_encode_decode_roundtrip },
	{ "entry_encode_decode_roundtrip", entry_encode_decode_roundtrip },
	{ "decode_rejects_bad_magic", decode_rejects_bad_magic },
	{ "decode_reports_major_2_as_unsupported",
	    decode_reports_major_2_as_unsupported },
	{ "decode_accepts_minor_1_refuses_major_2",
	    decode_accepts_minor_1_refuses_major_2 },
	{ "decode_rejects_header_and_entry_size",
	    decode_rejects_header_and_entry_size },
	{ "decode_rejects_bad_chunk_size", decode_rejects_bad_chunk_size },
	{ "decode_reports_unknown_compression_and_leaf_as_unsupported",
	    decode_reports_unknown_compression_and_leaf_as_unsupported },
	{ "decode_rejects_count_not_matching_size",
	    decode_rejects_count_not_matching_size },
	{ "decode_rejects_file_size_not_matching_count",
	    decode_rejects_file_size_not_matching_count },
	{ "decode_ignores_reserved_fields",
	    decode_ignores_reserved_fields },
	{ "decode_accepts_item_size_above_2_63_if_entries_fit",
	    decode_accepts_item_size_above_2_63_if_entries_fit },
	{ "count_for_edges", count_for_edges },
	{ "chunk_plain_edges", chunk_plain_edges },
	{ NULL, NULL }
};

int
unit_register_index(void)
{
	return unit_add_suite("index", NULL, NULL, tests);
}
