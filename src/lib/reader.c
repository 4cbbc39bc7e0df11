/*
 * reader.c - opening containers and reading evidence.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "format.h"
#include "merkle.h"
#include "pool.h"
#include "reader_int.h"
#include "util.h"

int
dexf_reader_new(dexf_reader **out)
{
	dexf_reader *r;

	if (out == NULL)
		return DEXF_EINVAL;
	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return DEXF_ENOMEM;
	r->fd = -1;
	*out = r;
	return 0;
}

void
dexf_reader_free(dexf_reader *r)
{
	if (r == NULL)
		return;
	if (r->zip_open)
		dexf_zipr_close(&r->z);
	if (r->fd >= 0)
		close(r->fd);
	dexf_manifest_clear(&r->m);
	dexf_record_clear(&r->seal);
	free(r->manifest_buf);
	free(r->seal_buf);
	free(r->sig_buf);
	free(r->index_ok);
	free(r->item_ents);
	dexf_pool_free(r->pool);
	free(r->pf);
	dexf_codec_free(r->codec);
	free(r->cbuf);
	for (size_t i = 0; i < DEXF_IX_SLOTS; i++)
		free(r->ix[i].buf);
	for (size_t i = 0; i < DEXF_READ_CACHE_MAX; i++)
		free(r->cache[i].buf);
	free(r->path);
	free(r);
}

const char *
dexf_reader_errmsg(const dexf_reader *r)
{
	return r ? dexf_errstr(&r->err) : "no reader";
}

int
dexf_reader_open_zip(dexf_reader *r, const char *path)
{
	const dexf_zipr_entry *mt;
	unsigned char *buf = NULL;
	size_t len;
	int rc;

	if (r->fd >= 0)
		return dexf_seterr(&r->err, DEXF_EINVAL,
		    "reader is already open");
	if ((r->path = strdup(path)) == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		return dexf_seterr_sys(&r->err, errno == ENOENT ?
		    DEXF_ENOTFOUND : DEXF_EIO, errno, "%s", path);
	if ((rc = dexf_zipr_open(&r->z, r->fd, r->path, &r->err)) != 0)
		return rc;
	r->zip_open = 1;
	mt = dexf_zipr_find(&r->z, DEXF_ENTRY_MIMETYPE);
	if (mt == NULL || mt->method != 0 || mt->flags != 0 ||
	    mt->data_off != 38)
		return dexf_seterr(&r->err, DEXF_EFORMAT,
		    "%s: 'mimetype' must be the first entry, stored, without "
		    "extra field", path);
	if ((rc = dexf_zipr_slurp(&r->z, mt, 256, &buf, &len)) != 0)
		return rc == DEXF_EINTEGRITY ? dexf_seterr(&r->err,
		    DEXF_EFORMAT, "%s: 'mimetype' is damaged", path) : rc;
	if (len != strlen(DEXF_MEDIA_TYPE) ||
	    memcmp(buf, DEXF_MEDIA_TYPE, len) != 0) {
		free(buf);
		return dexf_seterr(&r->err, DEXF_EFORMAT,
		    "%s: not a dexf container (media type is not %s)", path,
		    DEXF_MEDIA_TYPE);
	}
	free(buf);
	return 0;
}

int
dexf_reader_load_seal(dexf_reader *r)
{
	const dexf_zipr_entry *e, *s;
	int rc;

	e = dexf_zipr_find(&r->z, DEXF_ENTRY_SEAL);
	if (e == NULL)
		return dexf_seterr(&r->err, DEXF_ENOTFOUND,
		    "%s: no seal record (%s)", r->path, DEXF_ENTRY_SEAL);
	if ((rc = dexf_zipr_slurp(&r->z, e, DEXF_MAX_RECORD, &r->seal_buf,
	    &r->seal_len)) != 0)
		return rc;
	if ((rc = dexf_record_parse(&r->seal, r->seal_buf, r->seal_len,
	    DEXF_ENTRY_SEAL, &r->err)) != 0)
		return rc;
	r->have_seal = 1;
	if (r->seal.sequence != 0 || strcmp(r->seal.kind, "seal") != 0 ||
	    !r->seal.has_manifest || r->seal.has_previous ||
	    strcmp(r->seal.manifest_entry, DEXF_ENTRY_MANIFEST) != 0 ||
	    (r->seal.signature_entry != NULL &&
	    strcmp(r->seal.signature_entry, DEXF_ENTRY_SEAL_SIG) != 0))
		return dexf_seterr(&r->err, DEXF_EFORMAT,
		    "%s: record 0 must be a seal binding %s", DEXF_ENTRY_SEAL,
		    DEXF_ENTRY_MANIFEST);
	r->seal_rules_ok = 1;
	s = dexf_zipr_find(&r->z, DEXF_ENTRY_SEAL_SIG);
	/* The record says whether it is signed: a signature that was
	 * removed, or one added to an unsigned record, breaks the seal. */
	if (s == NULL && r->seal.signature_entry != NULL)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: the seal record declares a signature, but %s is "
		    "missing", DEXF_ENTRY_SEAL_SIG, DEXF_ENTRY_SEAL_SIG);
	if (s != NULL && r->seal.signature_entry == NULL)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: the seal record does not declare a signature",
		    DEXF_ENTRY_SEAL_SIG);
	if (s != NULL && (rc = dexf_zipr_slurp(&r->z, s, DEXF_MAX_SIGNATURE,
	    &r->sig_buf, &r->sig_len)) != 0)
		return rc;
	return 0;
}

int
dexf_reader_load_manifest(dexf_reader *r)
{
	const dexf_zipr_entry *e;
	unsigned char md[32];
	int rc;

	e = dexf_zipr_find(&r->z, DEXF_ENTRY_MANIFEST);
	if (e == NULL)
		return dexf_seterr(&r->err, DEXF_ENOTFOUND, "%s: no manifest (%s)",
		    r->path, DEXF_ENTRY_MANIFEST);
	if ((rc = dexf_zipr_slurp(&r->z, e, DEXF_MAX_MANIFEST,
	    &r->manifest_buf, &r->manifest_len)) != 0)
		return rc;
	/* Reads return only bytes that chain to the seal record: the
	 * manifest must be the one it binds, checked before it is even
	 * parsed (signatures are verify's job). */
	if (r->have_seal) {
		dexf_sha256(md, r->manifest_buf, r->manifest_len);
		if (memcmp(md, r->seal.manifest_sha256, 32) != 0 ||
		    r->seal.manifest_size != r->manifest_len)
			return dexf_seterr(&r->err, DEXF_EINTEGRITY,
			    "%s: manifest does not match the digest in the seal "
			    "record", r->path);
	}
	if ((rc = dexf_manifest_parse(&r->m, r->manifest_buf, r->manifest_len,
	    DEXF_ENTRY_MANIFEST, &r->err)) != 0)
		return rc;
	r->have_manifest = 1;
	return dexf_reader_items_ready(r);
}

int
dexf_reader_items_ready(dexf_reader *r)
{
	size_t n = r->m.nitems ? r->m.nitems : 1;

	r->index_ok = calloc(n, 1);
	r->item_ents = calloc(n, 2 * sizeof(*r->item_ents));
	if (r->index_ok == NULL || r->item_ents == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	return 0;
}

/* Where `it` is in the manifest's items; nitems for a pointer that is not
 * one of them (an item of another reader, handed to the public API),
 * which then gets no per-item state. */
static size_t
item_index(const dexf_reader *r, const struct dexf_item *it)
{
	uintptr_t p = (uintptr_t)it, a = (uintptr_t)r->m.items;

	if (r->m.items == NULL || p < a ||
	    p - a >= r->m.nitems * sizeof(*it) || (p - a) % sizeof(*it) != 0)
		return r->m.nitems;
	return (size_t)((p - a) / sizeof(*it));
}

/* A full verify asks for each item's entries several times (to check
 * them, to hand its chunk to a worker ahead, to scan it, to account for
 * them): a binary search over every entry name is done once. */
const dexf_zipr_entry *
dexf_reader_item_entry(dexf_reader *r, const struct dexf_item *it,
    int which)
{
	size_t idx = item_index(r, it);
	const char *name = which ? it->index_entry : it->entry;
	const dexf_zipr_entry **slot;

	if (idx == r->m.nitems || r->item_ents == NULL)
		return dexf_zipr_find(&r->z, name);
	slot = &r->item_ents[2 * idx + (which != 0)];
	if (*slot == NULL)
		*slot = dexf_zipr_find(&r->z, name);
	return *slot;
}

int
dexf_reader_open(dexf_reader *r, const char *path)
{
	int rc;

	if (r == NULL || path == NULL)
		return DEXF_EINVAL;
	if ((rc = dexf_reader_open_zip(r, path)) != 0)
		return rc;
	/* Same classes as verify: a missing or broken seal is a broken
	 * chain (integrity), a missing manifest too. */
	if ((rc = dexf_reader_load_seal(r)) != 0)
		return rc == DEXF_EUNSUPPORTED || rc == DEXF_EIO ? rc :
		    DEXF_EINTEGRITY;
	if ((rc = dexf_reader_load_manifest(r)) != 0)
		return rc == DEXF_ENOTFOUND ? DEXF_EINTEGRITY : rc;
	if (strcmp(r->seal.container_id, r->m.container_id) != 0)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: seal record belongs to container %s, manifest to %s",
		    path, r->seal.container_id, r->m.container_id);
	return 0;
}

const char *
dexf_reader_get(const dexf_reader *r, const char *key)
{
	if (r == NULL || key == NULL || !r->have_manifest)
		return NULL;
	if (strcmp(key, "format-version") == 0)
		return r->m.format_version;
	if (strcmp(key, "container-id") == 0)
		return r->m.container_id;
	if (strcmp(key, "created") == 0)
		return r->m.created;
	if (strcmp(key, "producer") == 0)
		return r->m.producer;
	if (strcmp(key, "producer-version") == 0)
		return r->m.producer_version;
	if (strncmp(key, "case.", 5) == 0)
		for (int i = 0; i < C_N; i++)
			if (strcmp(key + 5, dexf_case_fields[i]) == 0)
				return r->m.case_[i];
	if (r->have_seal) {
		if (strcmp(key, "sealed-at") == 0)
			return r->seal.time;
		if (strcmp(key, "sealed-by") == 0)
			return r->seal.agent_name;
		if (strcmp(key, "sealed-by-organization") == 0)
			return r->seal.agent_org;
	}
	if (strcmp(key, "signed") == 0)
		return r->sig_buf ? "yes" : "no";
	return NULL;
}

size_t
dexf_reader_agent_count(const dexf_reader *r)
{
	return r && r->have_manifest ? r->m.nagents : 0;
}

int
dexf_reader_agent(const dexf_reader *r, size_t i, const char **role,
    const char **name, const char **org)
{
	if (r == NULL || !r->have_manifest || i >= r->m.nagents)
		return DEXF_ENOTFOUND;
	if (role)
		*role = r->m.agents[i].role;
	if (name)
		*name = r->m.agents[i].name;
	if (org)
		*org = r->m.agents[i].org;
	return 0;
}

size_t
dexf_reader_item_count(const dexf_reader *r)
{
	return r && r->have_manifest ? r->m.nitems : 0;
}

const dexf_item *
dexf_reader_item(const dexf_reader *r, size_t i)
{
	if (r == NULL || !r->have_manifest || i >= r->m.nitems)
		return NULL;
	return &r->m.items[i];
}

int
dexf_reader_find(const dexf_item **out, const dexf_reader *r,
    const char *key)
{
	*out = NULL;
	if (r == NULL || key == NULL || !r->have_manifest)
		return DEXF_EINVAL;
	for (size_t i = 0; i < r->m.nitems; i++)
		if (strcmp(r->m.items[i].path, key) == 0) {
			*out = &r->m.items[i];
			return 0;
		}
	for (size_t i = 0; i < r->m.nitems; i++)
		if (strcmp(r->m.items[i].id, key) == 0) {
			*out = &r->m.items[i];
			return 0;
		}
	return DEXF_ENOTFOUND;
}

const char *
dexf_item_id(const dexf_item *it)
{
	return it ? it->id : NULL;
}

const char *
dexf_item_path(const dexf_item *it)
{
	return it ? it->path : NULL;
}

dexf_item_kind
dexf_item_kind_of(const dexf_item *it)
{
	return it ? it->kind : DEXF_ITEM_FILE;
}

uint64_t
dexf_item_size(const dexf_item *it)
{
	return it ? it->size : 0;
}

const char *
dexf_item_digest(const dexf_item *it, dexf_hash h)
{
	if (it == NULL)
		return NULL;
	for (int i = 0; i < DEXF_NHASH; i++)
		if (dexf_hash_at(i) == h)
			return it->digest[i];
	return NULL;
}

const char *
dexf_item_get(const dexf_item *it, const char *key)
{
	int slot;

	if (it == NULL || key == NULL)
		return NULL;
	slot = dexf_meta_slot(key);
	return slot >= 0 ? it->meta[slot] : NULL;
}

/* ------------------------------------------------------------ data */

static void
cache_clear(dexf_reader *r)
{
	for (size_t i = 0; i < DEXF_READ_CACHE_MAX; i++)
		r->cache[i].item = NULL;
}

static int
ensure_buffers(dexf_reader *r, uint32_t chunk_size)
{
	if (r->codec == NULL && dexf_codec_new(&r->codec, 6) != 0)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	if (r->buf_chunk >= chunk_size)
		return 0;
	free(r->cbuf);
	for (size_t i = 0; i < DEXF_READ_CACHE_MAX; i++) {
		free(r->cache[i].buf);
		r->cache[i].buf = NULL;
	}
	cache_clear(r);
	r->buf_chunk = 0;
	/* the cache's memory is bounded whatever the chunk size; its
	 * buffers are allocated when first used */
	r->ncache = DEXF_READ_CACHE_BYTES / chunk_size;
	if (r->ncache < 1)
		r->ncache = 1;
	if (r->ncache > DEXF_READ_CACHE_MAX)
		r->ncache = DEXF_READ_CACHE_MAX;
	r->cbuf = malloc(dexf_chunk_stored_max(chunk_size));
	if (r->cbuf == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	r->buf_chunk = chunk_size;
	return 0;
}

/* The cache entry holding chunk ci of it, or NULL. */
static struct dexf_chunk_cache *
cache_find(dexf_reader *r, const struct dexf_item *it, uint64_t ci)
{
	for (size_t i = 0; i < r->ncache; i++)
		if (r->cache[i].item == it && r->cache[i].chunk == ci) {
			r->cache[i].used = ++r->cache_tick;
			return &r->cache[i];
		}
	return NULL;
}

/* The entry to decode into: an empty one, else the least recently used. */
static struct dexf_chunk_cache *
cache_victim(dexf_reader *r)
{
	struct dexf_chunk_cache *v = &r->cache[0];

	for (size_t i = 0; i < r->ncache; i++) {
		if (r->cache[i].item == NULL) {
			v = &r->cache[i];
			break;
		}
		if (r->cache[i].used < v->used)
			v = &r->cache[i];
	}
	v->item = NULL;
	if (v->buf == NULL)
		v->buf = malloc(r->buf_chunk);
	return v->buf != NULL ? v : NULL;
}

int
dexf_reader_data_fault(const dexf_reader *r)
{
	return r->data_fault;
}

/*
 * Read from a chunk index entry.  A small index (every one-chunk item's
 * is 112 bytes) is read whole once and served from memory: checking an
 * item reads its header, its digest and its entries, and a verify looks
 * at the items ahead (up to two per worker thread) before it checks
 * each, so the last DEXF_IX_SLOTS indexes are kept.
 */
static int
ix_pread(dexf_reader *r, const dexf_zipr_entry *x, uint64_t off, void *buf,
    size_t len)
{
	struct dexf_ix_slot *sl = NULL;
	int rc;

	if (x->csize > DEXF_IX_CACHE || off > x->csize || len > x->csize - off)
		return dexf_zipr_pread(&r->z, x, off, buf, len);
	for (size_t i = 0; i < DEXF_IX_SLOTS && sl == NULL; i++)
		if (r->ix[i].entry == x)
			sl = &r->ix[i];
	if (sl == NULL) {
		sl = &r->ix[r->ix_next];
		r->ix_next = (r->ix_next + 1) % DEXF_IX_SLOTS;
		sl->entry = NULL;
		if (sl->cap < x->csize) {
			unsigned char *nb = realloc(sl->buf, (size_t)x->csize);

			if (nb == NULL)
				return dexf_seterr(&r->err, DEXF_ENOMEM,
				    "out of memory");
			sl->buf = nb;
			sl->cap = (size_t)x->csize;
		}
		if ((rc = dexf_zipr_pread(&r->z, x, 0, sl->buf,
		    (size_t)x->csize)) != 0)
			return rc;
		sl->entry = x;
	}
	memcpy(buf, sl->buf + off, len);
	return 0;
}

int
dexf_reader_item_entries(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry **data, const dexf_zipr_entry **index,
    dexf_idx_header *h)
{
	unsigned char hdr[DEXF_IDX_HEADER];
	const dexf_zipr_entry *d, *x;
	int rc;

	r->data_fault = 0;
	if (it->kind != DEXF_ITEM_FILE || !it->has_storage)
		return dexf_seterr(&r->err, DEXF_EINVAL,
		    "item '%s' is not a file", it->path);
	d = dexf_reader_item_entry(r, it, 0);
	x = dexf_reader_item_entry(r, it, 1);
	if (d == NULL) {
		r->data_fault = 1;
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "item '%s': evidence entry '%s' is missing", it->path,
		    it->entry);
	}
	if (x == NULL)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "item '%s': chunk index '%s' is missing", it->path,
		    it->index_entry);
	if (x->method != 0 || x->csize < DEXF_IDX_HEADER)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: chunk index must be stored and at least 64 bytes",
		    it->index_entry);
	if ((rc = ix_pread(r, x, 0, hdr, sizeof(hdr))) != 0)
		return rc;
	if ((rc = dexf_idx_header_decode(h, hdr, x->csize, it->index_entry,
	    &r->err)) != 0)
		return rc == DEXF_EFORMAT ? DEXF_EINTEGRITY : rc;
	if (h->chunk_size != it->chunk_size || h->item_size != it->size ||
	    h->chunk_count != it->chunk_count ||
	    h->compression != it->compression ||
	    h->data_size != it->stored_size)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: header disagrees with the manifest for item '%s'",
		    it->index_entry, it->path);
	if (d->method != it->compression || d->csize != it->stored_size ||
	    d->usize != it->size) {
		r->data_fault = 1;
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "item '%s': entry '%s' has size %llu/%llu, manifest says "
		    "%llu/%llu", it->path, it->entry,
		    (unsigned long long)d->usize, (unsigned long long)d->csize,
		    (unsigned long long)it->size,
		    (unsigned long long)it->stored_size);
	}
	*data = d;
	*index = x;
	return 0;
}

/* Check the index file's SHA-256 against the manifest once per item. */
int
dexf_reader_check_index(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *x)
{
	size_t idx = item_index(r, it);
	unsigned char buf[65536], md[32];
	char hex[DEXF_NHASH][DEXF_HEX_MAX];
	dexf_mdset s;
	uint64_t off = 0;
	int rc = 0;

	if (idx < r->m.nitems && r->index_ok[idx])
		return 0;
	if (dexf_mdset_init(&s, DEXF_HASH_SHA256) != 0)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	while (off < x->csize) {
		size_t n = x->csize - off < sizeof(buf) ?
		    (size_t)(x->csize - off) : sizeof(buf);

		if ((rc = ix_pread(r, x, off, buf, n)) != 0)
			goto out;
		dexf_mdset_update(&s, buf, n);
		off += n;
	}
	dexf_mdset_final(&s, hex);
	dexf_unhex(md, 32, hex[0]);
	if (memcmp(md, it->index_sha256, 32) != 0) {
		rc = dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: chunk index of item '%s' does not match its digest in "
		    "the manifest", it->index_entry, it->path);
		goto out;
	}
	if (idx < r->m.nitems)
		r->index_ok[idx] = 1;
out:
	dexf_mdset_free(&s);
	return rc;
}

/* Read chunk i's index entry and stored bytes into r->cbuf, checking the
 * entry against the layout rules; *plain is its plaintext length. */
static int
index_entry(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *x, const dexf_idx_header *h, uint64_t i,
    uint64_t expect_off, dexf_idx_entry *ie, uint64_t *plain)
{
	unsigned char rec[DEXF_IDX_ENTRY];
	int rc;

	if ((rc = ix_pread(r, x, DEXF_IDX_HEADER +
	    i * DEXF_IDX_ENTRY, rec, sizeof(rec))) != 0)
		return rc;
	dexf_idx_entry_decode(ie, rec);
	*plain = dexf_idx_chunk_plain(h, i);
	if (!dexf_idx_entry_ok(h, i, ie, expect_off))
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: entry for chunk %llu of item '%s' is inconsistent "
		    "(offset %llu, length %u)", it->index_entry,
		    (unsigned long long)i, it->path,
		    (unsigned long long)ie->offset, ie->length);
	return 0;
}

int
dexf_reader_chunk(dexf_reader *r, const dexf_zipr_entry *d,
    const dexf_idx_header *h, uint64_t i, const dexf_idx_entry *ie,
    unsigned char *out, unsigned char leaf[32], const char **why)
{
	size_t plain = (size_t)dexf_idx_chunk_plain(h, i);
	int rc;

	if ((rc = ensure_buffers(r, h->chunk_size)) != 0 ||
	    (rc = dexf_zipr_pread(&r->z, d, ie->offset, r->cbuf,
	    ie->length)) != 0)
		return rc;
	if (h->compression == 8) {
		if (dexf_chunk_inflate(r->codec, r->cbuf, ie->length, out,
		    plain) != 0) {
			*why = "does not decompress";
			return DEXF_EINTEGRITY;
		}
	} else {
		memcpy(out, r->cbuf, plain);
	}
	return dexf_leaf_hash(leaf, out, plain) == 0 ? 0 :
	    dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
}

static int
chunk_error(dexf_reader *r, const struct dexf_item *it, uint64_t i,
    const char *why)
{
	uint64_t a = i * it->chunk_size;
	uint64_t b = a + it->chunk_size;

	if (b > it->size)
		b = it->size;
	return dexf_seterr(&r->err, DEXF_EINTEGRITY,
	    "item '%s': chunk %llu (bytes %llu-%llu) %s", it->path,
	    (unsigned long long)i, (unsigned long long)a,
	    (unsigned long long)(b - 1), why);
}

int
dexf_reader_read(dexf_reader *r, const dexf_item *it, uint64_t offset,
    void *buf, size_t len, size_t *nread)
{
	const dexf_zipr_entry *d, *x;
	dexf_idx_header h;
	unsigned char *out = buf;
	size_t got = 0;
	int rc;

	if (nread)
		*nread = 0;
	if (r == NULL || it == NULL || (buf == NULL && len > 0))
		return DEXF_EINVAL;
	if (!r->have_manifest)
		return dexf_seterr(&r->err, DEXF_EINVAL, "reader is not open");
	if ((rc = dexf_reader_item_entries(r, it, &d, &x, &h)) != 0 ||
	    (rc = dexf_reader_check_index(r, it, x)) != 0 ||
	    (rc = ensure_buffers(r, h.chunk_size)) != 0)
		return rc;
	if (offset >= it->size)
		return 0;
	if (len > it->size - offset)
		len = (size_t)(it->size - offset);
	while (got < len) {
		uint64_t pos = offset + got;
		uint64_t ci = pos / h.chunk_size, plain;
		size_t in_chunk = (size_t)(pos % h.chunk_size), n;
		struct dexf_chunk_cache *c = cache_find(r, it, ci);

		if (c == NULL) {
			dexf_idx_entry ie;
			unsigned char leaf[32];
			const char *why = NULL;

			if ((c = cache_victim(r)) == NULL)
				return dexf_seterr(&r->err, DEXF_ENOMEM,
				    "out of memory");
			if ((rc = index_entry(r, it, x, &h, ci, UINT64_MAX,
			    &ie, &plain)) != 0)
				return rc;
			rc = dexf_reader_chunk(r, d, &h, ci, &ie, c->buf, leaf,
			    &why);
			if (rc == 0 && memcmp(leaf, ie.leaf, 32) != 0)
				why = "does not match its digest";
			if (why != NULL)
				return chunk_error(r, it, ci, why);
			if (rc != 0)
				return rc;
			c->item = it;
			c->chunk = ci;
			c->len = (size_t)plain;
			c->used = ++r->cache_tick;
		}
		n = c->len - in_chunk;
		if (n > len - got)
			n = len - got;
		memcpy(out + got, c->buf + in_chunk, n);
		got += n;
	}
	if (nread)
		*nread = got;
	return 0;
}

/* Forget the prefetched items (their slots are no longer in flight, or
 * the pool goes); counted, so the verifier knows to look ahead again. */
static void
pf_drop(dexf_reader *r)
{
	if (r->pf_len > 0)
		r->pf_drops++;
	r->pf_head = r->pf_len = 0;
}

/* The pool there is the one for chunks described by h. */
static int
pool_fits(const dexf_reader *r, const dexf_idx_header *h)
{
	return r->pool != NULL && dexf_pool_chunk_size(r->pool) ==
	    h->chunk_size && r->pool_compressed == (h->compression == 8);
}

/* A decoder pool for chunks described by h (the one there if it fits). */
static int
ensure_pool(dexf_reader *r, const dexf_idx_header *h)
{
	if (pool_fits(r, h))
		return 0;
	/* nothing may be in flight on the pool that goes */
	pf_drop(r);
	free(r->pf);
	r->pf = NULL;
	dexf_pool_free(r->pool);
	r->pool = NULL;
	if (dexf_pool_new_decoder(&r->pool, r->threads ? r->threads :
	    dexf_online_cpus(), h->chunk_size, h->compression == 8) != 0 ||
	    (r->pf = calloc(dexf_pool_slots(r->pool), sizeof(*r->pf))) == NULL) {
		/* no half-made pool may be taken for a good one later */
		dexf_pool_free(r->pool);
		r->pool = NULL;
		return dexf_seterr(&r->err, DEXF_ENOMEM,
		    "cannot start worker threads");
	}
	r->pool_compressed = h->compression == 8;
	return 0;
}

/* A decoder slot for the chunk that index entry ie locates in d. */
static void
load_slot(const dexf_reader *r, dexf_slot *sl, const dexf_zipr_entry *d,
    const dexf_idx_header *h, const dexf_idx_entry *ie, uint64_t plain)
{
	sl->fd = r->fd;
	sl->pos = d->data_off + ie->offset;
	sl->inlen = ie->length;
	sl->outlen = (size_t)plain;
	memcpy(sl->want, ie->leaf, 32);
	/* the deflate trailer right after this chunk (the last) comes
	 * with it: one read for an item of one chunk, not two */
	sl->tail_len = h->compression == 8 && ie->offset + ie->length +
	    DEXF_SLOT_TAIL == h->data_size ? DEXF_SLOT_TAIL : 0;
}

int
dexf_reader_prefetch(dexf_reader *r, const struct dexf_item *it,
    unsigned hashes)
{
	const dexf_zipr_entry *d, *x;
	dexf_idx_header h;
	dexf_idx_entry ie;
	dexf_err saved = r->err;
	struct dexf_prefetch *pf;
	uint64_t plain;
	size_t slot;
	int ok;

	ok = it->kind == DEXF_ITEM_FILE && it->chunk_count == 1 &&
	    dexf_reader_item_entries(r, it, &d, &x, &h) == 0 &&
	    h.chunk_count == 1 && dexf_reader_check_index(r, it, x) == 0 &&
	    /* never replace a pool with work in flight: an item of another
	     * chunk size or compression waits for its turn */
	    (pool_fits(r, &h) || (r->pf_len == 0 && ensure_pool(r, &h) == 0)) &&
	    r->pf_len < dexf_pool_slots(r->pool) &&
	    index_entry(r, it, x, &h, 0, 0, &ie, &plain) == 0;
	r->err = saved;
	if (!ok)
		return 1;
	slot = (size_t)(r->pf_seq++ % dexf_pool_slots(r->pool));
	load_slot(r, dexf_pool_slot(r->pool, slot), d, &h, &ie, plain);
	pf = &r->pf[(r->pf_head + r->pf_len++) % dexf_pool_slots(r->pool)];
	pf->item = it;
	pf->slot = slot;
	pf->hashes = hashes;
	dexf_pool_submit_item(r->pool, slot, hashes);
	return 0;
}

/* The prefetched slot of `it`, if it heads the queue (-1 otherwise: then
 * whatever was prefetched is dropped, so the pool is free for a scan). */
static long
prefetched(dexf_reader *r, const struct dexf_item *it, unsigned hashes)
{
	struct dexf_prefetch *pf;

	/* an empty item uses no slot: what is in flight stays */
	if (r->pf_len == 0 || it->chunk_count == 0)
		return -1;
	pf = &r->pf[r->pf_head];
	if (pf->item == it && pf->hashes == hashes) {
		r->pf_head = (r->pf_head + 1) % dexf_pool_slots(r->pool);
		r->pf_len--;
		return (long)pf->slot;
	}
	dexf_pool_drain(r->pool);
	pf_drop(r);
	return -1;
}

int
dexf_reader_scan(dexf_reader *r, const struct dexf_item *it, dexf_scan *s)
{
	const dexf_zipr_entry *d, *x;
	dexf_idx_header h;
	dexf_mdset md;
	dexf_merkle mk;
	uint64_t expect = 0;
	int rc, first_rc = 0, finished = 0;
	long pre = prefetched(r, it, s->hashes);
	/* the deflate trailer, when the last chunk's read brought it */
	unsigned char tail[DEXF_SLOT_TAIL];
	int have_tail = 0;

	s->bad = s->chunks_checked = s->bytes = 0;
	s->crc = 0;
	s->trailer_bad = 0;
	s->stopped = 0;
	if ((rc = dexf_reader_item_entries(r, it, &d, &x, &h)) != 0 ||
	    (rc = dexf_reader_check_index(r, it, x)) != 0 ||
	    (rc = ensure_buffers(r, h.chunk_size)) != 0)
		goto early;
	/* a prefetched item's digests are the worker's */
	memset(&md, 0, sizeof(md));
	if (pre < 0 && dexf_mdset_init(&md, s->hashes) != 0) {
		rc = dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
		goto early;
	}
	dexf_merkle_init(&mk);
	if (pre < 0 && (r->pool == NULL || h.chunk_count > 0) &&
	    (rc = ensure_pool(r, &h)) != 0)
		goto out;
	/*
	 * Pipeline: this thread reads and checks index entries and hands
	 * chunks to workers (read, inflate, leaf hash, CRC-32); the linear
	 * digests run in stream order, on the pool's linear thread or on
	 * the worker that decoded the chunk; this thread takes the chunks
	 * back in order for the Merkle root, the combined CRC-32 and the
	 * output.  An index entry that stops the scan is held back until
	 * the chunks before it are accounted for.
	 */
	dexf_pool_set_linear(r->pool, &md);
	{
		size_t nslots = dexf_pool_slots(r->pool);
		uint64_t rd = 0, wr = 0;
		int stop_rc = 0;
		dexf_err stop_err;

		for (;;) {
			dexf_slot *sl;
			const char *why = NULL;
			unsigned char leaf[32];
			uint64_t plain;
			size_t wslot;

			while (!stop_rc && rd < h.chunk_count &&
			    rd - wr < nslots) {
				dexf_idx_entry ie;

				if ((rc = index_entry(r, it, x, &h, rd, expect,
				    &ie, &plain)) != 0) {
					/* cannot locate later chunks either */
					stop_rc = rc;
					stop_err = r->err;
					break;
				}
				expect = ie.offset + ie.length;
				if (pre >= 0) {
					/* already on a worker, the same entry */
					rd++;
					continue;
				}
				load_slot(r, dexf_pool_slot(r->pool,
				    rd % nslots), d, &h, &ie, plain);
				/* a one-chunk item: no hand-off */
				if (h.chunk_count == 1)
					dexf_pool_process_now(r->pool, rd % nslots);
				else
					dexf_pool_submit(r->pool, rd % nslots);
				rd++;
			}
			if (wr == rd)
				break;
			wslot = pre >= 0 ? (size_t)pre : wr % nslots;
			sl = dexf_pool_slot(r->pool, wslot);
			plain = sl->outlen;
			switch (dexf_pool_wait(r->pool, wslot)) {
			case DEXF_SLOT_OK:
				break;
			case DEXF_SLOT_IO:
				dexf_pool_drain(r->pool);
				rc = dexf_seterr(&r->err, DEXF_EIO, "item '%s': "
				    "cannot read chunk %llu", it->path,
				    (unsigned long long)wr);
				goto out;
			case DEXF_SLOT_CORRUPT:
				why = "does not decompress";
				break;
			default:
				why = "does not match its digest";
			}
			s->chunks_checked++;
			if (wr + 1 == h.chunk_count &&
			    sl->tail_len == DEXF_SLOT_TAIL) {
				memcpy(tail, sl->tail, DEXF_SLOT_TAIL);
				have_tail = 1;
			}
			if (why != NULL) {
				s->bad++;
				if (!s->keep_going) {
					dexf_pool_drain(r->pool);
					rc = chunk_error(r, it, wr, why);
					goto out;
				}
				chunk_error(r, it, wr, why);
				if (first_rc == 0)
					first_rc = DEXF_EINTEGRITY;
				if (s->bad_chunk)
					s->bad_chunk(s->ctx, wr, why);
				/* Unknown bytes: the pool zeroed them for
				 * the linear digests, so those can only
				 * mismatch now, which is the truth. */
				dexf_leaf_hash(leaf, sl->plain, (size_t)plain);
				sl->crc = dexf_crc32(0, sl->plain,
				    (size_t)plain);
			} else {
				/* the worker's leaf equals the index's */
				memcpy(leaf, sl->leaf, 32);
			}
			dexf_merkle_add(&mk, leaf);
			s->crc = dexf_crc32_combine(s->crc, sl->crc,
			    plain);
			s->bytes += plain;
			if (s->out_fd >= 0 && dexf_write_full(s->out_fd,
			    sl->plain, (size_t)plain) != 0) {
				dexf_pool_drain(r->pool);
				rc = dexf_seterr_sys(&r->err, DEXF_EIO, errno,
				    "writing item '%s'", it->path);
				goto out;
			}
			wr++;
			if (s->done != NULL) {
				*s->done += plain;
				if (s->progress && s->progress(*s->done,
				    s->total, s->payload) != 0) {
					dexf_pool_drain(r->pool);
					rc = dexf_seterr(&r->err,
					    DEXF_ECANCELED, "canceled");
					goto out;
				}
			}
		}
		if (stop_rc != 0) {
			r->err = stop_err;
			rc = stop_rc;
			goto out;
		}
	}
	if (h.compression == 8) {
		if (expect + 2 != h.data_size) {
			rc = dexf_seterr(&r->err, DEXF_EINTEGRITY,
			    "item '%s': chunks do not end where the stream "
			    "trailer belongs", it->path);
			goto out;
		}
		if (!have_tail &&
		    (rc = dexf_zipr_pread(&r->z, d, expect, tail, 2)) != 0)
			goto out;
		if (memcmp(tail, dexf_deflate_trailer, 2) != 0) {
			s->trailer_bad = 1;
			if (first_rc == 0 || !s->keep_going)
				first_rc = dexf_seterr(&r->err, DEXF_EINTEGRITY,
				    "item '%s': deflate stream trailer is "
				    "damaged", it->path);
		}
	} else if (expect != h.data_size) {
		rc = dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "item '%s': chunks do not fill the entry", it->path);
		goto out;
	}
	if (dexf_pool_linear_failed(r->pool)) {
		rc = dexf_seterr(&r->err, DEXF_ECRYPTO, "item '%s': digest "
		    "failed", it->path);
		goto out;
	}
	if (pre >= 0) {
		/* the worker computed the linear digests of the whole item */
		dexf_slot *sl = dexf_pool_slot(r->pool, (size_t)pre);

		if (sl->md_failed) {
			rc = dexf_seterr(&r->err, DEXF_ECRYPTO, "item '%s': "
			    "digest failed", it->path);
			goto out;
		}
		memcpy(s->hex, sl->hex, sizeof(s->hex));
	} else {
		dexf_mdset_final(&md, s->hex);
	}
	dexf_merkle_root(&mk, s->merkle);
	rc = first_rc;
	finished = 1;
out:
	/* anything that left the loop early, except a cancel, stopped the
	 * scan; its message is the last one set */
	s->stopped = !finished && rc != DEXF_ECANCELED;
	/* The linear thread may still be using md.  A finished scan has
	 * waited for all its slots, and items prefetched after this one
	 * stay in flight; otherwise everything stops here. */
	if (r->pool != NULL) {
		if (!finished) {
			dexf_pool_drain(r->pool);
			pf_drop(r);
		}
		dexf_pool_set_linear(r->pool, NULL);
	}
	dexf_mdset_free(&md);
	return rc;
early:
	if (pre >= 0) {
		dexf_pool_drain(r->pool);
		pf_drop(r);
	}
	return rc;
}

int
dexf_reader_extract(dexf_reader *r, const dexf_item *it, int fd,
    dexf_progress_cb cb, void *payload)
{
	dexf_scan s;
	uint64_t done = 0;
	int rc;

	if (r == NULL || it == NULL || fd < 0)
		return DEXF_EINVAL;
	if (!r->have_manifest)
		return dexf_seterr(&r->err, DEXF_EINVAL, "reader is not open");
	memset(&s, 0, sizeof(s));
	s.out_fd = fd;
	s.hashes = DEXF_HASH_SHA256;
	s.progress = cb;
	s.payload = payload;
	s.done = &done;
	s.total = it->size;
	if ((rc = dexf_reader_scan(r, it, &s)) != 0)
		return rc;
	if (strcmp(s.hex[0], it->digest[0]) != 0)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "item '%s': sha256 of the extracted data does not match the "
		    "manifest", it->path);
	if (memcmp(s.merkle, it->merkle_root, 32) != 0)
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "item '%s': Merkle root does not match the manifest",
		    it->path);
	return 0;
}

int
dexf_reader_hash_range(dexf_reader *r, const struct dexf_item *it,
    uint64_t off, uint64_t len, char hex[65])
{
	char mdhex[DEXF_NHASH][DEXF_HEX_MAX];
	unsigned char *buf;
	dexf_mdset d;
	int rc = 0;

	if (off > it->size || len > it->size - off)
		return dexf_seterr(&r->err, DEXF_EINVAL, "range outside item "
		    "'%s'", it->path);
	if ((buf = malloc(1 << 20)) == NULL ||
	    dexf_mdset_init(&d, DEXF_HASH_SHA256) != 0) {
		free(buf);
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	}
	while (len > 0) {
		size_t want = len > (1 << 20) ? 1 << 20 : (size_t)len, got = 0;

		if ((rc = dexf_reader_read(r, it, off, buf, want, &got)) != 0)
			break;
		if (got != want) {
			rc = dexf_seterr(&r->err, DEXF_EFORMAT, "item '%s': "
			    "short read at offset %llu", it->path,
			    (unsigned long long)off);
			break;
		}
		dexf_mdset_update(&d, buf, got);
		off += got;
		len -= got;
	}
	dexf_mdset_final(&d, mdhex);
	dexf_mdset_free(&d);
	free(buf);
	if (rc == 0) {
		memcpy(hex, mdhex[0], 64);
		hex[64] = '\0';
	}
	return rc;
}
