/*
 * index.c - chunk index encoding and header validation.
 */
#include "config.h"

#include <string.h>

#include "chunk.h"
#include "index.h"
#include "util.h"

void
dexf_idx_header_encode(unsigned char out[DEXF_IDX_HEADER],
    const dexf_idx_header *h)
{
	memset(out, 0, DEXF_IDX_HEADER);
	memcpy(out, DEXF_IDX_MAGIC, 8);
	put_le16(out + 8, h->major);
	put_le16(out + 10, h->minor);
	put_le32(out + 12, DEXF_IDX_HEADER);
	put_le32(out + 16, DEXF_IDX_ENTRY);
	put_le32(out + 20, h->chunk_size);
	put_le64(out + 24, h->item_size);
	put_le64(out + 32, h->chunk_count);
	out[40] = h->compression;
	out[41] = h->leaf_alg;
	put_le64(out + 48, h->data_size);
}

void
dexf_idx_entry_encode(unsigned char out[DEXF_IDX_ENTRY],
    const dexf_idx_entry *e)
{
	put_le64(out, e->offset);
	put_le32(out + 8, e->length);
	put_le32(out + 12, 0);
	memcpy(out + 16, e->leaf, 32);
}

void
dexf_idx_entry_decode(dexf_idx_entry *e, const unsigned char in[DEXF_IDX_ENTRY])
{
	e->offset = get_le64(in);
	e->length = get_le32(in + 8);
	memcpy(e->leaf, in + 16, 32);
}

int
dexf_idx_entry_ok(const dexf_idx_header *h, uint64_t i,
    const dexf_idx_entry *e, uint64_t expect)
{
	/* data_size >= 2 for deflate is checked with the header */
	uint64_t limit = h->compression == 8 ? h->data_size - 2 : h->data_size;

	return (expect == UINT64_MAX || e->offset == expect) &&
	    e->length != 0 &&
	    e->length <= dexf_chunk_stored_max(h->chunk_size) &&
	    (h->compression != 0 || e->length == dexf_idx_chunk_plain(h, i)) &&
	    e->offset <= limit && e->length <= limit - e->offset;
}

uint64_t
dexf_idx_count_for(uint64_t size, uint32_t chunk_size)
{
	return size / chunk_size + (size % chunk_size != 0);
}

uint64_t
dexf_idx_chunk_plain(const dexf_idx_header *h, uint64_t i)
{
	uint64_t start = i * h->chunk_size;
	uint64_t left = h->item_size - start;

	return left < h->chunk_size ? left : h->chunk_size;
}

int
dexf_idx_header_decode(dexf_idx_header *h,
    const unsigned char in[DEXF_IDX_HEADER], uint64_t file_size,
    const char *what, dexf_err *err)
{
	uint32_t cs;

	if (file_size < DEXF_IDX_HEADER)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: shorter than a chunk index header", what);
	if (memcmp(in, DEXF_IDX_MAGIC, 8) != 0)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: not a chunk index (bad magic)", what);
	h->major = get_le16(in + 8);
	h->minor = get_le16(in + 10);
	if (h->major != 1)
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: chunk index version %u.%u is not supported", what,
		    h->major, h->minor);
	if (get_le32(in + 12) != DEXF_IDX_HEADER ||
	    get_le32(in + 16) != DEXF_IDX_ENTRY)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: unexpected header or entry size", what);
	cs = get_le32(in + 20);
	h->chunk_size = cs;
	h->item_size = get_le64(in + 24);
	h->chunk_count = get_le64(in + 32);
	h->compression = in[40];
	h->leaf_alg = in[41];
	h->data_size = get_le64(in + 48);
	if (cs < DEXF_CHUNK_MIN || cs > DEXF_CHUNK_MAX || (cs & (cs - 1)))
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: invalid chunk size %u", what, cs);
	if (h->compression != 0 && h->compression != 8)
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: unknown compression %u", what, h->compression);
	if (h->leaf_alg != DEXF_IDX_LEAF_SHA256)
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: unknown leaf hash algorithm %u", what, h->leaf_alg);
	/* deflate data always ends with the 2-byte trailer */
	if (h->compression == 8 && h->data_size < 2)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: deflate data of %llu bytes cannot hold its trailer",
		    what, (unsigned long long)h->data_size);
	/* The count must follow from the size, and the file must hold
	 * exactly that many entries: this bounds everything read later. */
	if (h->chunk_count != dexf_idx_count_for(h->item_size, cs))
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: chunk count %llu does not match item size %llu", what,
		    (unsigned long long)h->chunk_count,
		    (unsigned long long)h->item_size);
	if (h->chunk_count > (file_size - DEXF_IDX_HEADER) / DEXF_IDX_ENTRY ||
	    DEXF_IDX_HEADER + h->chunk_count * DEXF_IDX_ENTRY != file_size)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: size %llu does not hold %llu entries", what,
		    (unsigned long long)file_size,
		    (unsigned long long)h->chunk_count);
	return 0;
}
