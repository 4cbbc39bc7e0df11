/*
 * proof.c - proving bytes of an item with RFC 9162 inclusion proofs
 * (FORMAT.md 6.3, 11.10 and "Proof files").
 *
 * The Merkle root in the sealed manifest commits to every chunk of an
 * item.  One chunk is proven by its leaf hash, recomputed from its data,
 * and the hashes of the subtrees beside its path to the root.  The chunk
 * index holds every leaf, so those siblings can be computed from it, but
 * it is not trusted for that: a wrong sibling leads to another root.
 *
 * Three users: range verification of a container (dexf_verify_range()
 * through dexf_proof_check_range()), writing a proof file (dexf_prove())
 * and checking one without the container (dexf_verify_proof()).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>
#include <zlib.h>

#include "chain.h"
#include "format.h"
#include "proof.h"
#include "util.h"
#include "verify_int.h"
#include "xmlsafe.h"
#include "zipw.h"

/* ------------------------------------------------------------ RFC 9162 */

/* Where MTH splits n >= 2 leaves: the largest power of two below n. */
static uint64_t
split(uint64_t n)
{
	return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

int
dexf_inclusion_spans(dexf_span out[DEXF_PATH_MAX], uint64_t m, uint64_t n)
{
	dexf_span down[DEXF_PATH_MAX];
	uint64_t lo = 0, cnt = n;
	int len = 0;

	if (m >= n)
		return -1;
	/* from the root down, the half that does not hold m is a sibling */
	while (cnt > 1) {
		uint64_t k = split(cnt);

		if (m < lo + k) {
			down[len].first = lo + k;
			down[len].count = cnt - k;
			cnt = k;
		} else {
			down[len].first = lo;
			down[len].count = k;
			lo += k;
			cnt -= k;
		}
		len++;
	}
	for (int i = 0; i < len; i++)
		out[i] = down[len - 1 - i];
	return len;
}

int
dexf_inclusion_root(unsigned char root[32], const unsigned char leaf[32],
    uint64_t m, uint64_t n, const unsigned char (*path)[32], size_t len)
{
	unsigned char r[32];
	uint64_t fn = m, sn;

	if (m >= n)
		return -1;
	sn = n - 1;
	memcpy(r, leaf, 32);
	for (size_t i = 0; i < len; i++) {
		if (sn == 0)
			return -1;      /* more hashes than levels */
		if ((fn & 1) || fn == sn) {
			if (dexf_node_hash(r, path[i], r) != 0)
				return -1;
			/* a right edge: skip the levels where m's node has
			 * no right sibling */
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else if (dexf_node_hash(r, r, path[i]) != 0) {
			return -1;
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return -1;              /* fewer hashes than levels */
	memcpy(root, r, 32);
	return 0;
}

/* ------------------------------------------------------------ path sets */

struct dexf_pnode {
	uint64_t first, count;
	unsigned char hash[32];
	int have;
};

static int
pnode_cmp(const void *a, const void *b)
{
	const struct dexf_pnode *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return 0;
}

static struct dexf_pnode *
pnode_find(const dexf_pathset *ps, uint64_t first, uint64_t count)
{
	struct dexf_pnode key;

	if (ps->nnodes == 0)
		return NULL;
	key.first = first;
	key.count = count;
	return bsearch(&key, ps->nodes, ps->nnodes, sizeof(key), pnode_cmp);
}

static int
want(dexf_pathset *ps, uint64_t first, uint64_t count)
{
	if (ps->nnodes == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 64;
		struct dexf_pnode *p = realloc(ps->nodes, nc * sizeof(*p));

		if (p == NULL)
			return DEXF_ENOMEM;
		ps->nodes = p;
		ps->cap = nc;
	}
	memset(&ps->nodes[ps->nnodes], 0, sizeof(ps->nodes[0]));
	ps->nodes[ps->nnodes].first = first;
	ps->nodes[ps->nnodes].count = count;
	ps->nnodes++;
	return 0;
}

static int
holds_target(const dexf_pathset *ps, uint64_t lo, uint64_t cnt)
{
	return lo <= ps->last && ps->first < lo + cnt;
}

/* Node [lo, lo + cnt), cnt >= 2, holds a target leaf.  A child is on a
 * target's path exactly when its sibling holds a target; descend into
 * the children that hold one.  Each node is visited once, so no node is
 * wanted twice. */
static int
collect(dexf_pathset *ps, uint64_t lo, uint64_t cnt)
{
	uint64_t k = split(cnt);
	int left = holds_target(ps, lo, k);
	int right = holds_target(ps, lo + k, cnt - k);
	int rc = 0;

	if (right)
		rc = want(ps, lo, k);
	if (rc == 0 && left)
		rc = want(ps, lo + k, cnt - k);
	if (rc == 0 && left && k > 1)
		rc = collect(ps, lo, k);
	if (rc == 0 && right && cnt - k > 1)
		rc = collect(ps, lo + k, cnt - k);
	return rc;
}

static void
on_node(void *ctx, uint64_t first, uint64_t count,
    const unsigned char hash[32])
{
	struct dexf_pnode *p = pnode_find(ctx, first, count);

	if (p != NULL) {
		memcpy(p->hash, hash, 32);
		p->have = 1;
	}
}

int
dexf_pathset_init(dexf_pathset *ps, uint64_t n, uint64_t first,
    uint64_t last)
{
	memset(ps, 0, sizeof(*ps));
	if (first > last || last >= n)
		return DEXF_EINVAL;
	ps->n = n;
	ps->first = first;
	ps->last = last;
	dexf_merkle_init(&ps->m);
	ps->m.node = on_node;
	ps->m.node_ctx = ps;
	if (n > 1 && collect(ps, 0, n) != 0) {
		dexf_pathset_free(ps);
		return DEXF_ENOMEM;
	}
	/* a one-leaf tree has no siblings, and no node array */
	if (ps->nnodes > 0)
		qsort(ps->nodes, ps->nnodes, sizeof(ps->nodes[0]), pnode_cmp);
	return 0;
}

int
dexf_pathset_add(dexf_pathset *ps, const unsigned char leaf[32])
{
	if (ps->m.leaves >= ps->n)
		return -1;
	return dexf_merkle_add(&ps->m, leaf);
}

int
dexf_pathset_finish(dexf_pathset *ps, unsigned char root[32])
{
	if (ps->m.leaves != ps->n)
		return -1;
	return dexf_merkle_root(&ps->m, root);
}

int
dexf_pathset_path(const dexf_pathset *ps, uint64_t m,
    unsigned char path[DEXF_PATH_MAX][32])
{
	dexf_span sp[DEXF_PATH_MAX];
	int len;

	if (m < ps->first || m > ps->last ||
	    (len = dexf_inclusion_spans(sp, m, ps->n)) < 0)
		return -1;
	for (int i = 0; i < len; i++) {
		const struct dexf_pnode *p = pnode_find(ps, sp[i].first,
		    sp[i].count);

		if (p == NULL || !p->have)
			return -1;
		memcpy(path[i], p->hash, 32);
	}
	return len;
}

void
dexf_pathset_free(dexf_pathset *ps)
{
	free(ps->nodes);
	ps->nodes = NULL;
	ps->nnodes = ps->cap = 0;
}

/* ------------------------------------------------------------ the index */

int
dexf_index_walk(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *x, const dexf_idx_header *h, dexf_index_cb cb,
    void *ctx, uint64_t *bad)
{
	unsigned char buf[DEXF_IDX_ENTRY * 512];
	/* the header check made sure a deflate entry has its trailer */
	uint64_t limit = h->compression == 8 ? h->data_size - 2 : h->data_size;
	uint64_t expect = 0, i = 0;
	int rc;

	*bad = UINT64_MAX;
	while (i < h->chunk_count) {
		size_t n = h->chunk_count - i < 512 ?
		    (size_t)(h->chunk_count - i) : 512;

		if ((rc = dexf_zipr_pread(&r->z, x, DEXF_IDX_HEADER +
		    i * DEXF_IDX_ENTRY, buf, n * DEXF_IDX_ENTRY)) != 0)
			return rc;
		for (size_t k = 0; k < n; k++, i++) {
			dexf_idx_entry e;

			dexf_idx_entry_decode(&e, buf + k * DEXF_IDX_ENTRY);
			if (!dexf_idx_entry_ok(h, i, &e, expect)) {
				*bad = i;
				return dexf_seterr(&r->err, DEXF_EINTEGRITY,
				    "%s: entry for chunk %llu of item '%s' is "
				    "inconsistent", it->index_entry,
				    (unsigned long long)i, it->path);
			}
			expect = e.offset + e.length;
			if (cb != NULL && (rc = cb(ctx, i, &e)) != 0)
				return rc;
		}
	}
	if (expect != limit) {
		*bad = h->chunk_count;
		return dexf_seterr(&r->err, DEXF_EINTEGRITY,
		    "%s: chunks of item '%s' do not fill its entry",
		    it->index_entry, it->path);
	}
	return 0;
}

/* The inclusion paths of chunks first..last from one pass over the index,
 * with those chunks' index entries. */
typedef struct batch {
	dexf_pathset ps;
	dexf_idx_entry *ents;
} batch;

static int
batch_leaf(void *ctx, uint64_t i, const dexf_idx_entry *e)
{
	batch *b = ctx;

	if (i >= b->ps.first && i <= b->ps.last)
		b->ents[i - b->ps.first] = *e;
	return dexf_pathset_add(&b->ps, e->leaf) == 0 ? 0 : DEXF_ENOMEM;
}

static int
batch_build(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *x, const dexf_idx_header *h, uint64_t first,
    uint64_t last, batch *b, unsigned char root[32], uint64_t *bad)
{
	int rc;

	memset(b, 0, sizeof(*b));
	*bad = UINT64_MAX;
	if (dexf_pathset_init(&b->ps, h->chunk_count, first, last) != 0 ||
	    (b->ents = calloc(last - first + 1, sizeof(*b->ents))) == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	if ((rc = dexf_index_walk(r, it, x, h, batch_leaf, b, bad)) != 0)
		return rc == DEXF_ENOMEM ? dexf_seterr(&r->err, rc,
		    "out of memory") : rc;
	if (dexf_pathset_finish(&b->ps, root) != 0)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	return 0;
}

static void
batch_free(batch *b)
{
	dexf_pathset_free(&b->ps);
	free(b->ents);
	b->ents = NULL;
}

/* ------------------------------------------------------------ chunks */

/*
 * Chunk j of the batch: decoded into plain (chunk-size bytes), its leaf
 * recomputed from the data and compared with the index, then with the
 * siblings from the index brought to the sealed root.  *why says what
 * failed (NULL: the chunk is authentic); the return is an error that
 * stops the check (I/O, memory).
 */
static int
chunk_prove(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *d, const dexf_idx_header *h, const batch *bt,
    uint64_t j, unsigned char *plain, const char **why)
{
	const dexf_idx_entry *e = &bt->ents[j - bt->ps.first];
	unsigned char leaf[32], got[32], path[DEXF_PATH_MAX][32];
	int len, rc;

	*why = NULL;
	rc = dexf_reader_chunk(r, d, h, j, e, plain, leaf, why);
	if (rc != 0)
		return rc == DEXF_EINTEGRITY ? 0 : rc;
	if (memcmp(leaf, e->leaf, 32) != 0) {
		*why = "does not match its digest";
		return 0;
	}
	/* the leaf from the data, the siblings from the index: only the
	 * sealed root makes them agree */
	len = dexf_pathset_path(&bt->ps, j, path);
	if (len < 0 || dexf_inclusion_root(got, leaf, j, h->chunk_count,
	    (const unsigned char (*)[32])path, (size_t)len) != 0 ||
	    memcmp(got, it->merkle_root, 32) != 0)
		*why = dexf_why_path;
	return 0;
}

/* Plaintext bytes of chunks first..last of an item. */
static uint64_t
chunks_bytes(uint64_t size, uint32_t chunk_size, uint64_t first,
    uint64_t last)
{
	uint64_t end = (last + 1) * chunk_size;

	return (end > size ? size : end) - first * chunk_size;
}

/* "chunk 5 (bytes 20480-24575)" for messages. */
static void
chunk_place(char *buf, size_t len, uint64_t size, uint32_t chunk_size,
    uint64_t j)
{
	uint64_t a = j * chunk_size;

	snprintf(buf, len, "chunk %llu (bytes %llu-%llu)", (unsigned long long)j,
	    (unsigned long long)a,
	    (unsigned long long)(a + chunks_bytes(size, chunk_size, j, j) - 1));
}

/* ------------------------------------------------------------ ranges */

int
dexf_range_resolve(const struct dexf_item *it, uint64_t off, uint64_t *len,
    const char *what, dexf_err *err)
{
	if (*len == DEXF_TO_END) {
		if (off >= it->size)
			return dexf_seterr(err, DEXF_EINVAL, "%s: range %llu: "
			    "starts at or after the end of item '%s' (%llu "
			    "bytes)", what, (unsigned long long)off, it->path,
			    (unsigned long long)it->size);
		*len = it->size - off;
	}
	if (*len == 0)
		return dexf_seterr(err, DEXF_EINVAL, "%s: the range %llu:0 of "
		    "item '%s' is empty", what, (unsigned long long)off,
		    it->path);
	if (off >= it->size || *len > it->size - off)
		return dexf_seterr(err, DEXF_EINVAL, "%s: range %llu:%llu is "
		    "outside item '%s' (%llu bytes)", what,
		    (unsigned long long)off, (unsigned long long)*len, it->path,
		    (unsigned long long)it->size);
	return 0;
}

const char dexf_why_path[] = "does not reach the Merkle root in the manifest "
    "through its inclusion path from the chunk index";

/* Chunks a..b: one pass over the index for their paths, then each chunk
 * read, decoded and checked. */
static int
check_batch(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *d, const dexf_zipr_entry *x,
    const dexf_idx_header *h, uint64_t a, uint64_t b, dexf_range_check *c,
    unsigned char *buf, uint64_t *done, uint64_t total)
{
	unsigned char root[32];
	batch bt;
	int rc;

	if ((rc = batch_build(r, it, x, h, a, b, &bt, root, &c->bad_index)) != 0)
		goto out;
	for (uint64_t j = a; j <= b; j++) {
		uint64_t plain = dexf_idx_chunk_plain(h, j);
		const char *why;

		if ((rc = chunk_prove(r, it, d, h, &bt, j, buf, &why)) != 0)
			goto out;
		c->chunks_checked++;
		c->bytes += plain;
		if (why != NULL) {
			c->bad++;
			if (c->bad_chunk != NULL)
				c->bad_chunk(c->ctx, j, why);
		}
		*done += plain;
		if (c->progress != NULL && c->progress(*done, total,
		    c->payload) != 0) {
			rc = dexf_seterr(&r->err, DEXF_ECANCELED, "canceled");
			goto out;
		}
	}
out:
	batch_free(&bt);
	return rc;
}

int
dexf_proof_check_range(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *d, const dexf_zipr_entry *x,
    const dexf_idx_header *h, dexf_range_check *c)
{
	uint64_t first, last, done = 0, total;
	unsigned char *buf;
	int rc = 0;

	c->chunks_checked = c->bytes = c->bad = 0;
	c->bad_index = UINT64_MAX;
	if (c->length == 0 || c->offset >= it->size ||
	    c->length > it->size - c->offset)
		return dexf_seterr(&r->err, DEXF_EINVAL, "range %llu:%llu is "
		    "outside item '%s'", (unsigned long long)c->offset,
		    (unsigned long long)c->length, it->path);
	first = c->offset / h->chunk_size;
	last = (c->offset + c->length - 1) / h->chunk_size;
	total = chunks_bytes(it->size, h->chunk_size, first, last);
	if ((buf = malloc(h->chunk_size)) == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	/* Batches bound the memory the paths take; each batch is one pass
	 * over the index (a proof file holds at most one batch). */
	for (uint64_t a = first; rc == 0 && a <= last;
	    a += DEXF_PROOF_MAX_CHUNKS) {
		uint64_t b = last - a < DEXF_PROOF_MAX_CHUNKS ? last :
		    a + DEXF_PROOF_MAX_CHUNKS - 1;

		rc = check_batch(r, it, d, x, h, a, b, c, buf, &done, total);
	}
	free(buf);
	return rc;
}

/* ------------------------------------------------------------ writing */

#define W(call) do { if ((call) < 0) goto fail; } while (0)

/* META-INF/dexf/proof.xml for chunks bt->ps.first..last. */
static int
desc_write(dexf_reader *r, const struct dexf_item *it, uint64_t off,
    uint64_t len, const batch *bt, unsigned char **out, size_t *outlen)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w = dexf_xml_writer_new(&buf);
	unsigned char path[DEXF_PATH_MAX][32];
	char hex[65], list[DEXF_PATH_MAX * 65 + 1];

	if (w == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	W(xmlTextWriterStartElementNS(w, NULL, BAD_CAST "proof",
	    BAD_CAST DEXF_NS_PROOF));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "formatVersion",
	    BAD_CAST "1.0"));
	W(xmlTextWriterWriteElement(w, BAD_CAST "containerId",
	    BAD_CAST r->m.container_id));
	W(xmlTextWriterStartElement(w, BAD_CAST "item"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST it->id));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "path", BAD_CAST it->path));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterStartElement(w, BAD_CAST "range"));
	W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "offset", "%llu",
	    (unsigned long long)off));
	W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "length", "%llu",
	    (unsigned long long)len));
	W(xmlTextWriterEndElement(w));
	for (uint64_t j = bt->ps.first; j <= bt->ps.last; j++) {
		int n = dexf_pathset_path(&bt->ps, j, path);

		if (n < 0)
			goto fail;
		list[0] = '\0';
		for (int k = 0; k < n; k++) {
			dexf_hex(list + 65 * k, path[k], 32);
			list[65 * k + 64] = k + 1 < n ? ' ' : '\0';
		}
		W(xmlTextWriterStartElement(w, BAD_CAST "chunk"));
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "index", "%llu",
		    (unsigned long long)j));
		dexf_hex(hex, bt->ents[j - bt->ps.first].leaf, 32);
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "leaf", BAD_CAST hex));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "inclusionPath",
		    BAD_CAST list));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndDocument(w));
	xmlFreeTextWriter(w);
	/* read back through the reader's checks before it is written */
	return dexf_xml_take(buf, DEXF_SCHEMA_PROOF, "proof (being written)",
	    out, outlen, &r->err);
fail:
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	return dexf_seterr(&r->err, DEXF_ENOMEM, "proof: cannot serialize");
}

/* One whole stored entry. */
static int
put_entry(dexf_zipw *zw, const char *name, const void *p, size_t len,
    time_t t)
{
	int rc;

	if ((rc = dexf_zipw_begin(zw, name, 0, 0644, t)) != 0 ||
	    (rc = dexf_zipw_write(zw, p, len)) != 0)
		return rc;
	return dexf_zipw_end(zw, dexf_crc32(0, p, len), len);
}

/* The seal's time-stamp token, if the container has one (it gives the
 * signer's trust a time; its own binding is record 1's, not here). */
static int
put_seal_token(dexf_reader *r, dexf_zipw *zw, time_t t)
{
	const dexf_zipr_entry *e = dexf_zipr_find(&r->z, DEXF_ENTRY_SEAL_TST);
	unsigned char *tok = NULL;
	size_t len;
	int rc;

	if (e == NULL)
		return 0;
	if ((rc = dexf_zipr_slurp(&r->z, e, DEXF_MAX_SIGNATURE, &tok,
	    &len)) == 0)
		rc = put_entry(zw, DEXF_ENTRY_SEAL_TST, tok, len, t);
	free(tok);
	return rc;
}

/* The chunks, each checked again from its data before it is written: a
 * proof that would not verify is never written. */
static int
put_chunks(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *d, const dexf_idx_header *h, const batch *bt,
    dexf_zipw *zw, time_t t)
{
	char name[64], where[128];
	unsigned char *buf;
	int rc = 0;

	if ((buf = malloc(h->chunk_size)) == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	for (uint64_t j = bt->ps.first; rc == 0 && j <= bt->ps.last; j++) {
		const char *why;

		if ((rc = chunk_prove(r, it, d, h, bt, j, buf, &why)) != 0)
			break;
		if (why != NULL) {
			chunk_place(where, sizeof(where), it->size,
			    h->chunk_size, j);
			rc = dexf_seterr(&r->err, DEXF_EINTEGRITY,
			    "item '%s': %s %s", it->path, where, why);
			break;
		}
		snprintf(name, sizeof(name), "%s%llu", DEXF_PROOF_CHUNK_PREFIX,
		    (unsigned long long)j);
		rc = put_entry(zw, name, buf,
		    (size_t)dexf_idx_chunk_plain(h, j), t);
	}
	free(buf);
	return rc;
}

static int
write_proof(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *d, const dexf_idx_header *h, const batch *bt,
    const unsigned char *desc, size_t desclen, dexf_outfile *of)
{
	dexf_zipw zw;
	time_t t = 0;
	int rc;

	/* ZIP times mean nothing here: the creation time keeps proofs of
	 * the same range byte-identical */
	dexf_parse_time(&t, r->m.created);
	dexf_zipw_init(&zw, of->fd, of->path, &r->err);
	if ((rc = dexf_zipw_mimetype(&zw, DEXF_PROOF_MEDIA_TYPE, t)) == 0 &&
	    (rc = put_entry(&zw, DEXF_ENTRY_PROOF, desc, desclen, t)) == 0 &&
	    (rc = put_entry(&zw, DEXF_ENTRY_MANIFEST, r->manifest_buf,
	    r->manifest_len, t)) == 0 &&
	    (rc = put_entry(&zw, DEXF_ENTRY_SEAL, r->seal_buf, r->seal_len,
	    t)) == 0 &&
	    (r->sig_buf == NULL || (rc = put_entry(&zw, DEXF_ENTRY_SEAL_SIG,
	    r->sig_buf, r->sig_len, t)) == 0) &&
	    (rc = put_seal_token(r, &zw, t)) == 0 &&
	    (rc = put_chunks(r, it, d, h, bt, &zw, t)) == 0)
		rc = dexf_zipw_finish(&zw);
	dexf_zipw_free(&zw);
	return rc;
}

int
dexf_prove(dexf_reader *r, const char *item, uint64_t offset,
    uint64_t length, const char *path, unsigned flags)
{
	const struct dexf_item *it;
	const dexf_zipr_entry *d, *x;
	dexf_idx_header h;
	unsigned char root[32], *desc = NULL;
	size_t desclen = 0;
	uint64_t first, last, bad;
	batch bt;
	dexf_outfile of;
	int rc;

	if (r == NULL)
		return DEXF_EINVAL;
	memset(&bt, 0, sizeof(bt));
	memset(&of, 0, sizeof(of));
	of.fd = -1;
	if (item == NULL || path == NULL || *path == '\0' ||
	    (flags & ~DEXF_PROVE_FORCE) != 0)
		return dexf_seterr(&r->err, DEXF_EINVAL, "invalid argument");
	if (!r->have_manifest)
		return dexf_seterr(&r->err, DEXF_EINVAL, "reader is not open");
	if (dexf_reader_find(&it, r, item) != 0)
		return dexf_seterr(&r->err, DEXF_ENOTFOUND, "%s: no item '%s'",
		    r->path, item);
	if (it->kind != DEXF_ITEM_FILE || !it->has_storage)
		return dexf_seterr(&r->err, DEXF_EINVAL, "%s: item '%s' is not a "
		    "file", r->path, it->path);
	if ((rc = dexf_range_resolve(it, offset, &length, r->path,
	    &r->err)) != 0)
		return rc;
	first = offset / it->chunk_size;
	last = (offset + length - 1) / it->chunk_size;
	if (last - first >= DEXF_PROOF_MAX_CHUNKS)
		return dexf_seterr(&r->err, DEXF_EINVAL, "%s: range %llu:%llu of "
		    "item '%s' covers %llu chunks; a proof holds at most %d",
		    r->path, (unsigned long long)offset,
		    (unsigned long long)length, it->path,
		    (unsigned long long)(last - first + 1),
		    DEXF_PROOF_MAX_CHUNKS);
	if ((rc = dexf_reader_item_entries(r, it, &d, &x, &h)) != 0 ||
	    (rc = dexf_reader_check_index(r, it, x)) != 0 ||
	    (rc = batch_build(r, it, x, &h, first, last, &bt, root,
	    &bad)) != 0)
		goto out;
	/* the index is bound by its digest, but the proof rests on the
	 * root: never write paths that do not lead there */
	if (memcmp(root, it->merkle_root, 32) != 0) {
		rc = dexf_seterr(&r->err, DEXF_EINTEGRITY, "%s: the leaves of "
		    "the chunk index of item '%s' do not lead to its Merkle root "
		    "in the manifest", it->index_entry, it->path);
		goto out;
	}
	if ((rc = desc_write(r, it, offset, length, &bt, &desc,
	    &desclen)) != 0 ||
	    (rc = dexf_outfile_open(&of, path, (flags & DEXF_PROVE_FORCE) != 0,
	    &r->err)) != 0 ||
	    (rc = write_proof(r, it, d, &h, &bt, desc, desclen, &of)) != 0)
		goto out;
	rc = dexf_outfile_install(&of, &r->err);
out:
	dexf_outfile_close(&of);
	free(desc);
	batch_free(&bt);
	return rc;
}

/* ------------------------------------------------------------ checking */

/* One chunk as the descriptor gives it. */
typedef struct desc_chunk {
	unsigned char leaf[32];
	unsigned char (*path)[32];
	size_t len;
} desc_chunk;

/* The descriptor, checked against the sealed manifest. */
typedef struct desc {
	const struct dexf_item *it;
	uint64_t offset, length, first, last;
	desc_chunk *chunks;
} desc;

static void
desc_free(desc *pd)
{
	if (pd->chunks != NULL)
		for (uint64_t j = pd->first; j <= pd->last; j++)
			free(pd->chunks[j - pd->first].path);
	free(pd->chunks);
	memset(pd, 0, sizeof(*pd));
}

/* A uint of the descriptor: the schema took xs:unsignedLong, the format
 * wants plain digits (FORMAT.md 8.2). */
static int
desc_uint(xmlNodePtr n, const char *name, uint64_t *out)
{
	char *v = dexf_xml_attr(n, name);
	int rc = v != NULL && dexf_parse_u64(out, v) == 0 ? 0 : -1;

	free(v);
	return rc;
}

/* "hex hex ..." (the schema checked each hash and the count; the
 * separators may be any XML white space). */
static int
desc_path(desc_chunk *c, const char *list)
{
	char one[65];
	size_t n = 0;

	if ((c->path = malloc(DEXF_PATH_MAX * 32)) == NULL)
		return DEXF_ENOMEM;
	for (const char *p = list; *p != '\0';) {
		size_t k = strcspn(p, " \t\r\n");

		if (k == 0) {
			p++;
			continue;
		}
		if (k != 64 || n == DEXF_PATH_MAX)
			return DEXF_EFORMAT;
		memcpy(one, p, 64);
		one[64] = '\0';
		if (dexf_unhex(c->path[n++], 32, one) != 0)
			return DEXF_EFORMAT;
		p += 64;
	}
	c->len = n;
	return 0;
}

/* The chunk elements: exactly the chunks covering the range, in order. */
static int
desc_chunks(desc *pd, xmlNodePtr root, dexf_err *err)
{
	uint64_t j = pd->first;
	int rc;

	if ((pd->chunks = calloc(pd->last - pd->first + 1,
	    sizeof(*pd->chunks))) == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		uint64_t index;
		char *leaf, *list;

		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "chunk") != 0)
			continue;
		if (desc_uint(n, "index", &index) != 0 || index != j ||
		    j > pd->last)
			return dexf_seterr(err, DEXF_EFORMAT, "%s: chunk elements "
			    "must be chunks %llu to %llu, the chunks covering "
			    "the range, in order", DEXF_ENTRY_PROOF,
			    (unsigned long long)pd->first,
			    (unsigned long long)pd->last);
		leaf = dexf_xml_attr(n, "leaf");
		list = dexf_xml_attr(n, "inclusionPath");
		rc = leaf == NULL || list == NULL ||
		    dexf_unhex(pd->chunks[j - pd->first].leaf, 32, leaf) != 0 ?
		    DEXF_EFORMAT : desc_path(&pd->chunks[j - pd->first], list);
		free(leaf);
		free(list);
		if (rc != 0)
			return dexf_seterr(err, rc, "%s: chunk %llu: bad hashes",
			    DEXF_ENTRY_PROOF, (unsigned long long)j);
		j++;
	}
	if (j != pd->last + 1)
		return dexf_seterr(err, DEXF_EFORMAT, "%s: the range needs "
		    "chunks %llu to %llu, the proof has %llu of them",
		    DEXF_ENTRY_PROOF, (unsigned long long)pd->first,
		    (unsigned long long)pd->last,
		    (unsigned long long)(j - pd->first));
	return 0;
}

/* FORMAT.md 16.5 step 5: the descriptor's rules, against the parsed manifest. */
static int
desc_check(dexf_reader *r, xmlNodePtr root, desc *pd)
{
	xmlNodePtr n;
	char *cid = NULL, *id = NULL, *path = NULL;
	const struct dexf_item *it = NULL;
	int rc = DEXF_EFORMAT;

	if (dexf_xml_critical_extension(root))
		return dexf_seterr(&r->err, DEXF_EUNSUPPORTED, "%s: a critical "
		    "extension this version does not implement",
		    DEXF_ENTRY_PROOF);
	cid = dexf_xml_child_text(root, "containerId");
	n = dexf_xml_child(root, "item");
	id = dexf_xml_attr(n, "id");
	path = dexf_xml_attr(n, "path");
	if (cid == NULL || strcmp(cid, r->m.container_id) != 0) {
		dexf_seterr(&r->err, rc, "%s: proof of container %s, but the "
		    "manifest is container %s", DEXF_ENTRY_PROOF,
		    cid ? cid : "?", r->m.container_id);
		goto out;
	}
	for (size_t i = 0; id != NULL && i < r->m.nitems; i++)
		if (strcmp(r->m.items[i].id, id) == 0)
			it = &r->m.items[i];
	if (it == NULL || path == NULL || strcmp(it->path, path) != 0 ||
	    it->kind != DEXF_ITEM_FILE || !it->has_storage) {
		dexf_seterr(&r->err, rc, "%s: item %s '%s' is not a file item "
		    "of the manifest", DEXF_ENTRY_PROOF, id ? id : "?",
		    path ? path : "?");
		goto out;
	}
	n = dexf_xml_child(root, "range");
	if (desc_uint(n, "offset", &pd->offset) != 0 ||
	    desc_uint(n, "length", &pd->length) != 0 || pd->length == 0 ||
	    pd->offset >= it->size || pd->length > it->size - pd->offset) {
		dexf_seterr(&r->err, rc, "%s: the range is empty, not plain "
		    "digits, or not inside item '%s' (%llu bytes)",
		    DEXF_ENTRY_PROOF, it->path, (unsigned long long)it->size);
		goto out;
	}
	pd->it = it;
	pd->first = pd->offset / it->chunk_size;
	pd->last = (pd->offset + pd->length - 1) / it->chunk_size;
	/* the schema allows no more chunk elements than a proof holds; a
	 * range that needs more cannot be matched by them */
	if (pd->last - pd->first >= DEXF_PROOF_MAX_CHUNKS) {
		dexf_seterr(&r->err, rc, "%s: the range covers %llu chunks; a "
		    "proof holds at most %d", DEXF_ENTRY_PROOF,
		    (unsigned long long)(pd->last - pd->first + 1),
		    DEXF_PROOF_MAX_CHUNKS);
		pd->it = NULL;
		goto out;
	}
	if ((rc = desc_chunks(pd, root, &r->err)) != 0)
		pd->it = NULL;
out:
	free(cid);
	free(id);
	free(path);
	return rc;
}

/* Read, parse and check META-INF/dexf/proof.xml: 1 when usable, 0 when a
 * problem was reported, DEXF_ENOMEM. */
static int
desc_read(dexf_reader *r, dexf_report *rep, desc *pd)
{
	const dexf_zipr_entry *e = dexf_zipr_find(&r->z, DEXF_ENTRY_PROOF);
	unsigned char *buf = NULL;
	size_t len;
	xmlDocPtr doc = NULL;
	int rc;

	if (e == NULL) {
		dexf_report_add(rep, DEXF_VERDICT_UNREADABLE, "proof-invalid",
		    DEXF_ENTRY_PROOF, NULL, -1, -1, 0, 0, "%s: the proof "
		    "descriptor is missing", DEXF_ENTRY_PROOF);
		return 0;
	}
	if ((rc = dexf_zipr_slurp(&r->z, e, DEXF_MAX_PROOF_XML, &buf,
	    &len)) == 0 && (rc = dexf_xml_parse(&doc, buf, len,
	    DEXF_SCHEMA_PROOF, DEXF_ENTRY_PROOF, &r->err)) == 0)
		rc = desc_check(r, xmlDocGetRootElement(doc), pd);
	xmlFreeDoc(doc);
	free(buf);
	if (rc == DEXF_ENOMEM)
		return rc;
	if (rc != 0) {
		desc_free(pd);
		dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_UNREADABLE,
		    rc == DEXF_EUNSUPPORTED ? "unsupported" : rc == DEXF_EIO ?
		    "io" : "proof-invalid", DEXF_ENTRY_PROOF, NULL, -1, -1, 0, 0,
		    "%s", dexf_errstr(&r->err));
		return 0;
	}
	return 1;
}

/* Stage 1 for a proof: the ZIP profile of FORMAT.md 2.4, written once, and
 * the proof's media type. */
static int
proof_open(dexf_reader *r, const char *path)
{
	const dexf_zipr_entry *mt;
	unsigned char *type = NULL;
	size_t len = 0;
	int rc;

	if ((r->path = strdup(path)) == NULL)
		return dexf_seterr(&r->err, DEXF_ENOMEM, "out of memory");
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return dexf_seterr_sys(&r->err, errno == ENOENT ?
		    DEXF_ENOTFOUND : DEXF_EIO, errno, "%s", path);
	if ((rc = dexf_zipr_open(&r->z, r->fd, r->path, &r->err)) != 0)
		return rc;
	r->zip_open = 1;
	if (r->z.generations != 1 || r->z.tail != 0)
		return dexf_seterr(&r->err, DEXF_EFORMAT, "%s: a proof file is "
		    "written once: it has no appended generation and nothing "
		    "after its end", path);
	mt = dexf_zipr_find(&r->z, DEXF_ENTRY_MIMETYPE);
	if (mt == NULL || mt->method != 0 || mt->data_off != 38 ||
	    dexf_zipr_slurp(&r->z, mt, 256, &type, &len) != 0)
		rc = dexf_seterr(&r->err, DEXF_EFORMAT, "%s: 'mimetype' must be "
		    "the first entry, stored, without extra field", path);
	else if (len == strlen(DEXF_MEDIA_TYPE) &&
	    memcmp(type, DEXF_MEDIA_TYPE, len) == 0)
		rc = dexf_seterr(&r->err, DEXF_EFORMAT, "%s: a dexf container, "
		    "not a proof file (check it with dexf verify)", path);
	else if (len != strlen(DEXF_PROOF_MEDIA_TYPE) ||
	    memcmp(type, DEXF_PROOF_MEDIA_TYPE, len) != 0)
		rc = dexf_seterr(&r->err, DEXF_EFORMAT, "%s: not a dexf proof "
		    "file (media type is not %s)", path, DEXF_PROOF_MEDIA_TYPE);
	free(type);
	return rc;
}

/* A proof carries record 0 only: the names of later records are not part
 * of it, and must not be checked as a chain. */
static void
foreign_records(dexf_reader *r, dexf_report *rep, unsigned char *acc)
{
	size_t plen = strlen(DEXF_RECORDS_PREFIX);

	for (size_t i = 0; i < r->z.n; i++) {
		const char *n = r->z.ents[i].name;

		if (acc[i] || strncmp(n, DEXF_RECORDS_PREFIX, plen) != 0 ||
		    strcmp(n, DEXF_ENTRY_SEAL_TST) == 0)
			continue;
		acc[i] = 1;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "extra-entry", n,
		    NULL, -1, -1, 0, 0, "entry '%s' is not part of a proof file "
		    "(a proof carries record 0 only)", n);
	}
}

/* Every entry is part of the proof; chunk entries can be judged only when
 * the descriptor and the manifest could be read. */
static void
proof_accounting(dexf_reader *r, dexf_report *rep, unsigned char *acc,
    const desc *pd)
{
	char name[64];

	for (uint64_t j = pd->first; pd->it != NULL && j <= pd->last; j++) {
		snprintf(name, sizeof(name), "%s%llu", DEXF_PROOF_CHUNK_PREFIX,
		    (unsigned long long)j);
		dexf_verify_mark(r, acc, name);
	}
	for (size_t i = 0; i < r->z.n; i++) {
		const char *n = r->z.ents[i].name;

		if (acc[i]) {
			rep->cov.entries_accounted++;
			continue;
		}
		if (pd->it == NULL && strncmp(n, DEXF_PROOF_CHUNK_PREFIX,
		    strlen(DEXF_PROOF_CHUNK_PREFIX)) == 0)
			continue;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "extra-entry", n,
		    NULL, -1, -1, 0, 0, "entry '%s' is not part of the proof", n);
	}
}

/* Chunk j of the proof: its data, leaf hash and inclusion path.  0 when
 * it passed (*data holds it), 1 when a problem was reported, DEXF_ENOMEM. */
static int
proof_chunk(dexf_reader *r, dexf_report *rep, const desc *pd, uint64_t j,
    unsigned char **data, size_t *len)
{
	const struct dexf_item *it = pd->it;
	const desc_chunk *c = &pd->chunks[j - pd->first];
	uint64_t want = chunks_bytes(it->size, it->chunk_size, j, j);
	uint64_t at = j * it->chunk_size;
	const dexf_zipr_entry *e;
	unsigned char leaf[32], got[32];
	char name[64], where[128];
	int rc;

	snprintf(name, sizeof(name), "%s%llu", DEXF_PROOF_CHUNK_PREFIX,
	    (unsigned long long)j);
	chunk_place(where, sizeof(where), it->size, it->chunk_size, j);
	*data = NULL;
	if ((e = dexf_zipr_find(&r->z, name)) == NULL) {
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "missing-entry", name,
		    it->path, (int64_t)j, (int64_t)j, at, want, "item '%s': %s: "
		    "entry '%s' is missing", it->path, where, name);
		return 1;
	}
	/* bound by the sealed manifest before anything is read */
	if (e->usize != want) {
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "chunk-mismatch",
		    name, it->path, (int64_t)j, (int64_t)j, at, want,
		    "item '%s': %s: entry '%s' holds %llu bytes, not %llu",
		    it->path, where, name, (unsigned long long)e->usize,
		    (unsigned long long)want);
		return 1;
	}
	if ((rc = dexf_zipr_slurp(&r->z, e, (size_t)want, data, len)) != 0) {
		if (rc == DEXF_ENOMEM)
			return rc;
		dexf_report_add(rep, rc == DEXF_EIO ? DEXF_VERDICT_UNREADABLE :
		    DEXF_VERDICT_TAMPERED, rc == DEXF_EIO ? "io" :
		    "chunk-mismatch", name, it->path, (int64_t)j, (int64_t)j, at,
		    want, "item '%s': %s: %s", it->path, where,
		    dexf_errstr(&r->err));
		return 1;
	}
	if (dexf_leaf_hash(leaf, *data, *len) != 0)
		return DEXF_ENOMEM;
	if (memcmp(leaf, c->leaf, 32) != 0) {
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "chunk-mismatch",
		    name, it->path, (int64_t)j, (int64_t)j, at, want,
		    "item '%s': %s does not match its leaf hash in the proof",
		    it->path, where);
		return 1;
	}
	if (dexf_inclusion_root(got, leaf, j, it->chunk_count,
	    (const unsigned char (*)[32])c->path, c->len) != 0 ||
	    memcmp(got, it->merkle_root, 32) != 0) {
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "merkle-mismatch",
		    name, it->path, (int64_t)j, (int64_t)j, at, want,
		    "item '%s': %s does not reach the Merkle root in the "
		    "manifest through its inclusion path in the proof", it->path,
		    where);
		return 1;
	}
	return 0;
}

/* Every chunk, in order; the range's bytes of each one that passed go to
 * fd while nothing has failed.  0, DEXF_EIO (writing), DEXF_ENOMEM,
 * DEXF_ECANCELED. */
static int
proof_chunks(dexf_reader *r, dexf_report *rep, const desc *pd, int fd,
    const dexf_verify_opts *o, dexf_item_result *res)
{
	const struct dexf_item *it = pd->it;
	uint64_t total = chunks_bytes(it->size, it->chunk_size, pd->first,
	    pd->last), done = 0, end = pd->offset + pd->length;
	/* nothing is written unless everything else already passed */
	int writing = fd >= 0 && rep->verdict <= DEXF_VERDICT_INTACT_UNSIGNED;
	int rc = 0;

	for (uint64_t j = pd->first; rc == 0 && j <= pd->last; j++) {
		unsigned char *data;
		size_t len;
		uint64_t a = j * it->chunk_size, from, to;

		if ((rc = proof_chunk(r, rep, pd, j, &data, &len)) < 0)
			break;
		rep->cov.chunks_checked++;
		if (data != NULL)
			rep->cov.bytes_hashed += len;
		if (rc != 0) {
			free(data);
			res->bad_chunks++;
			writing = 0;
			rc = 0;
			continue;
		}
		from = pd->offset > a ? pd->offset - a : 0;
		to = end < a + len ? end - a : len;
		if (writing && dexf_write_full(fd, data + from,
		    (size_t)(to - from)) != 0)
			rc = dexf_seterr_sys(&r->err, DEXF_EIO, errno,
			    "cannot write the proven bytes");
		free(data);
		done += len;
		if (rc == 0 && o->progress != NULL &&
		    o->progress(done, total, o->payload) != 0)
			rc = DEXF_ECANCELED;
	}
	res->status = res->bad_chunks ? DEXF_ITEM_MISMATCH : DEXF_ITEM_PARTIAL;
	return rc;
}

int
dexf_verify_proof(dexf_report **out, const char *path, int fd,
    const dexf_verify_opts *opts)
{
	static const dexf_verify_opts none;
	const dexf_verify_opts *o = opts ? opts : &none;
	dexf_report *rep;
	dexf_reader *r = NULL;
	unsigned char *acc = NULL;
	desc pd;
	int rc, seal_ok = 0, bound = 0, write_failed = 0;

	if (out == NULL)
		return DEXF_EINVAL;
	*out = NULL;
	if (path == NULL || o->flags != 0)
		return DEXF_EINVAL;
	memset(&pd, 0, sizeof(pd));
	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return DEXF_ENOMEM;
	rep->verdict = DEXF_VERDICT_INTACT_TRUSTED;
	rep->sig.trust = DEXF_TRUST_UNSIGNED;
	if ((rc = dexf_verify_scope(rep, DEXF_SCOPE_PROOF, NULL, 0, 0)) != 0 ||
	    (rc = dexf_reader_new(&r)) != 0)
		goto fail;
	/* 1. structure */
	if ((rc = dexf_verify_open(r, rep, path, proof_open, &acc)) < 0)
		goto fail;
	if (rc == 0)
		goto done;
	dexf_verify_mark(r, acc, DEXF_ENTRY_PROOF);
	foreign_records(r, rep, acc);
	/* 2, 3. the seal, exactly as for a container */
	if ((rc = dexf_verify_seal(r, rep, acc, o, &seal_ok)) != 0)
		goto fail;
	/* 5. the manifest, bound by the seal */
	if ((rc = dexf_verify_manifest(r, rep, path, &bound)) < 0)
		goto fail;
	if (rc == 1) {
		if ((rc = desc_read(r, rep, &pd)) < 0 ||
		    (rc = dexf_verify_items_init(rep, r)) != 0)
			goto fail;
		dexf_verify_bound(rep, r, bound, seal_ok);
		if (pd.it != NULL && (rc = dexf_verify_scope(rep,
		    DEXF_SCOPE_PROOF, pd.it, pd.offset, pd.length)) != 0)
			goto fail;
	}
	proof_accounting(r, rep, acc, &pd);
	/* the chunks come last: their bytes are given out only when all of
	 * the above passed */
	if (pd.it != NULL) {
		rc = proof_chunks(r, rep, &pd, fd, o,
		    &rep->items[pd.it - r->m.items]);
		if (rc == DEXF_ENOMEM || rc == DEXF_ECANCELED)
			goto fail;
		write_failed = rc == DEXF_EIO;
	}
done:
	dexf_verify_conclude(rep, r, path);
	rc = 0;
	if (write_failed) {
		/* the verdict stands; the caller learns why output stopped */
		char msg[DEXF_ERRMSG_MAX + 64];

		snprintf(msg, sizeof(msg), "%s: %s", path, dexf_errstr(&r->err));
		free(rep->summary);
		rep->summary = strdup(msg);
		rc = DEXF_EIO;
	}
	desc_free(&pd);
	free(acc);
	dexf_reader_free(r);
	*out = rep;
	return rc;
fail:
	desc_free(&pd);
	free(acc);
	dexf_reader_free(r);
	dexf_report_free(rep);
	return rc == 0 ? DEXF_ENOMEM : rc;
}
