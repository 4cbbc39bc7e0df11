/*
 * verify.c - verification from the bytes (FORMAT.md "Verification").
 *
 * Order: ZIP structure, seal record, signature, manifest binding, manifest,
 * items (index, chunks, digests, Merkle root, CRC), entry accounting.
 * Every claim the container makes is recomputed; what cannot be checked is
 * reported as such.  Trust is evaluated apart from integrity.  A scope
 * narrows the evidence data read to one item or one byte range of it
 * (proof.c checks a range); everything else is checked as in quick mode.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "format.h"
#include "proof.h"
#include "util.h"
#include "verify_int.h"
#include "xmlsafe.h"

/* A consecutive run of bad chunks of one item becomes one problem. */
typedef struct run_ctx {
	dexf_report *rep;
	const struct dexf_item *it;
	int64_t first, last;
	const char *why;
} run_ctx;

static void
flush_run(run_ctx *c)
{
	const struct dexf_item *it = c->it;
	/* chunks that decode and match their index entry, but do not reach
	 * the sealed root: the index or the chunks are not as sealed */
	const char *kind = c->why == dexf_why_path ? "merkle-mismatch" :
	    "chunk-mismatch";
	uint64_t a, b;

	if (c->first < 0)
		return;
	a = (uint64_t)c->first * it->chunk_size;
	b = ((uint64_t)c->last + 1) * it->chunk_size;
	if (b > it->size)
		b = it->size;
	if (c->first == c->last)
		dexf_report_add(c->rep, DEXF_VERDICT_TAMPERED, kind, it->entry,
		    it->path, c->first, c->last, a, b - a,
		    "item '%s': chunk %lld (bytes %llu-%llu) %s", it->path,
		    (long long)c->first, (unsigned long long)a,
		    (unsigned long long)(b - 1), c->why);
	else
		dexf_report_add(c->rep, DEXF_VERDICT_TAMPERED, kind, it->entry,
		    it->path, c->first, c->last, a, b - a,
		    "item '%s': chunks %lld-%lld (bytes %llu-%llu) %s", it->path,
		    (long long)c->first, (long long)c->last,
		    (unsigned long long)a, (unsigned long long)(b - 1), c->why);
	c->first = c->last = -1;
}

static void
on_bad_chunk(void *ctx, uint64_t chunk, const char *why)
{
	run_ctx *c = ctx;

	if (c->first >= 0 && (int64_t)chunk == c->last + 1 &&
	    strcmp(c->why, why) == 0) {
		c->last = (int64_t)chunk;
		return;
	}
	flush_run(c);
	c->first = c->last = (int64_t)chunk;
	c->why = why;
}

static dexf_verdict
verdict_for(int rc)
{
	return rc == DEXF_EUNSUPPORTED ? DEXF_VERDICT_UNSUPPORTED :
	    rc == DEXF_EINTEGRITY ? DEXF_VERDICT_TAMPERED :
	    DEXF_VERDICT_UNREADABLE;
}

static const char *
kind_for(int rc)
{
	return rc == DEXF_EUNSUPPORTED ? "unsupported" :
	    rc == DEXF_EIO ? "io" : rc == DEXF_EINTEGRITY ? "crc-mismatch" :
	    "structure";
}

/* Entry e (if any) is accounted for. */
static void
mark_entry(const dexf_reader *r, unsigned char *acc, const dexf_zipr_entry *e)
{
	if (e != NULL)
		acc[e - r->z.ents] = 1;
}

void
dexf_verify_mark(dexf_reader *r, unsigned char *acc, const char *name)
{
	mark_entry(r, acc, dexf_zipr_find(&r->z, name));
}

/* Quick mode: walk the index entries (not the data) and check the layout
 * rules, so a damaged index is caught without reading evidence. */
static int
walk_index(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *x, const dexf_idx_header *h, dexf_report *rep)
{
	uint64_t bad = UINT64_MAX;
	int rc = dexf_index_walk(r, it, x, h, NULL, NULL, &bad);

	if (rc == 0)
		return 0;
	dexf_report_add(rep, rc == DEXF_EIO ? DEXF_VERDICT_UNREADABLE :
	    DEXF_VERDICT_TAMPERED, rc == DEXF_EIO ? "io" : "index-mismatch",
	    it->index_entry, it->path, bad < h->chunk_count ? (int64_t)bad : -1,
	    bad < h->chunk_count ? (int64_t)bad : -1, 0, 0, "%s",
	    dexf_errstr(&r->err));
	return -1;
}

/* The linear digests, Merkle root and CRC-32 of a fully read item
 * against the manifest and the ZIP header. */
static void
compare_digests(const struct dexf_item *it, const dexf_zipr_entry *d,
    const dexf_scan *s, dexf_item_result *res, dexf_report *rep)
{
	res->sha256 = strdup(s->hex[0]);
	for (int i = 0; i < DEXF_NHASH; i++) {
		if (it->digest[i] == NULL || s->hex[i][0] == '\0')
			continue;
		if (strcmp(it->digest[i], s->hex[i]) != 0) {
			res->status = DEXF_ITEM_MISMATCH;
			dexf_report_add(rep, DEXF_VERDICT_TAMPERED,
			    "digest-mismatch", it->entry, it->path, -1, -1, 0,
			    it->size, "item '%s': %s mismatch: manifest %s, "
			    "data %s", it->path,
			    dexf_hash_name(dexf_hash_at(i)), it->digest[i],
			    s->hex[i]);
		}
	}
	if (memcmp(s->merkle, it->merkle_root, 32) != 0) {
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "merkle-mismatch",
		    it->entry, it->path, -1, -1, 0, it->size,
		    "item '%s': Merkle root recomputed from the data does not "
		    "match the manifest", it->path);
	}
	if (s->crc != d->crc) {
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "crc-mismatch",
		    it->entry, it->path, -1, -1, 0, it->size,
		    "entry '%s': ZIP CRC-32 %08x does not match the data "
		    "(%08x)", it->entry, d->crc, s->crc);
	}
}

/* The linear digests to recompute: SHA-256, and those the manifest has. */
static unsigned
item_hashes(const struct dexf_item *it)
{
	unsigned h = DEXF_HASH_ALL;

	for (int i = 1; i < DEXF_NHASH; i++)
		if (it->digest[i] == NULL)
			h &= ~(unsigned)dexf_hash_at(i);
	return h;
}

/* Every chunk of the item (FORMAT.md 11.3 steps 6.4-6.6). */
static void
scan_item(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *d, dexf_item_result *res,
    const dexf_verify_opts *o, uint64_t *done, uint64_t total,
    dexf_report *rep, int *canceled)
{
	dexf_scan s;
	run_ctx run = { rep, it, -1, -1, NULL };
	int rc;

	memset(&s, 0, sizeof(s));
	s.out_fd = -1;
	s.keep_going = 1;
	s.hashes = item_hashes(it);
	s.progress = o->progress;
	s.payload = o->payload;
	s.done = done;
	s.total = total;
	s.bad_chunk = on_bad_chunk;
	s.ctx = &run;
	rc = dexf_reader_scan(r, it, &s);
	flush_run(&run);
	rep->cov.chunks_checked += s.chunks_checked;
	rep->cov.bytes_hashed += s.bytes;
	res->bad_chunks = s.bad;
	if (rc == DEXF_ECANCELED) {
		*canceled = 1;
		return;
	}
	if (s.stopped) {
		/* index damage or I/O that stopped the scan: reported even
		 * after bad chunks, it hides the chunks behind it */
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, rc == DEXF_EIO ? DEXF_VERDICT_UNREADABLE :
		    DEXF_VERDICT_TAMPERED, rc == DEXF_EIO ? "io" :
		    "index-mismatch", rc == DEXF_EIO ? it->entry :
		    it->index_entry, it->path, -1, -1, 0, 0, "%s",
		    dexf_errstr(&r->err));
		return;
	}
	if (s.trailer_bad) {
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "chunk-mismatch",
		    it->entry, it->path, (int64_t)it->chunk_count,
		    (int64_t)it->chunk_count, it->size, 0,
		    "item '%s': the deflate stream trailer after the last chunk "
		    "is damaged", it->path);
	}
	rep->cov.items_checked++;
	res->status = s.bad || s.trailer_bad ? DEXF_ITEM_MISMATCH : DEXF_ITEM_OK;
	/* With damaged chunks the item's digests cannot match and their
	 * value means nothing: the chunk problems say where it differs. */
	if (!s.bad)
		compare_digests(it, d, &s, res, rep);
}

/* The chunks covering [off, off + len) only, against the sealed root. */
static void
range_item(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *d, const dexf_zipr_entry *x,
    const dexf_idx_header *h, uint64_t off, uint64_t len,
    dexf_item_result *res, const dexf_verify_opts *o, dexf_report *rep,
    int *canceled)
{
	dexf_range_check c;
	run_ctx run = { rep, it, -1, -1, NULL };
	int rc;

	memset(&c, 0, sizeof(c));
	c.offset = off;
	c.length = len;
	c.progress = o->progress;
	c.payload = o->payload;
	c.bad_chunk = on_bad_chunk;
	c.ctx = &run;
	rc = dexf_proof_check_range(r, it, d, x, h, &c);
	flush_run(&run);
	rep->cov.chunks_checked += c.chunks_checked;
	rep->cov.bytes_hashed += c.bytes;
	res->bad_chunks = c.bad;
	if (rc == DEXF_ECANCELED) {
		*canceled = 1;
		return;
	}
	if (rc != 0) {
		/* the index could not be walked: its layout is damaged, or
		 * reading failed; the range was not (fully) checked */
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, rc == DEXF_EIO ? DEXF_VERDICT_UNREADABLE :
		    rc == DEXF_ENOMEM ? DEXF_VERDICT_UNREADABLE :
		    DEXF_VERDICT_TAMPERED, rc == DEXF_EIO || rc == DEXF_ENOMEM ?
		    "io" : "index-mismatch", rc == DEXF_EIO ? it->entry :
		    it->index_entry, it->path, c.bad_index < h->chunk_count ?
		    (int64_t)c.bad_index : -1, c.bad_index < h->chunk_count ?
		    (int64_t)c.bad_index : -1, 0, 0, "%s", dexf_errstr(&r->err));
		return;
	}
	if (c.bad)
		res->status = DEXF_ITEM_MISMATCH;
	else if (res->status != DEXF_ITEM_MISMATCH)
		res->status = DEXF_ITEM_PARTIAL;
}

/* How much of one file item to check. */
typedef enum { CHECK_INDEX, CHECK_ALL, CHECK_RANGE } item_depth;

static void
check_item(dexf_reader *r, const struct dexf_item *it, dexf_item_result *res,
    unsigned char *acc, item_depth depth, uint64_t off, uint64_t len,
    const dexf_verify_opts *o, uint64_t *done, uint64_t total,
    dexf_report *rep, int *canceled)
{
	const dexf_zipr_entry *d, *x;
	dexf_idx_header h;
	int rc;

	res->chunks = it->chunk_count;
	mark_entry(r, acc, dexf_reader_item_entry(r, it, 0));
	mark_entry(r, acc, dexf_reader_item_entry(r, it, 1));
	rc = dexf_reader_item_entries(r, it, &d, &x, &h);
	if (rc != 0) {
		const char *msg = dexf_errstr(&r->err);
		int no_data = dexf_reader_item_entry(r, it, 0) == NULL;
		int no_index = dexf_reader_item_entry(r, it, 1) == NULL;
		/* the evidence entry is at fault only when its own sizes
		 * disagree; everything else here is about the index */
		int data_fault = no_data || dexf_reader_data_fault(r);

		if (rc != DEXF_EUNSUPPORTED)
			rc = DEXF_EINTEGRITY;
		res->status = no_data || no_index ? DEXF_ITEM_MISSING :
		    DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_TAMPERED,
		    no_data || no_index ? "missing-entry" :
		    rc == DEXF_EUNSUPPORTED ? "unsupported" : data_fault ?
		    "size-mismatch" : "index-mismatch", data_fault ? it->entry :
		    it->index_entry, it->path, -1, -1, 0, 0, "%s", msg);
		return;
	}
	if ((rc = dexf_reader_check_index(r, it, x)) != 0) {
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "index-mismatch",
		    it->index_entry, it->path, -1, -1, 0, 0, "%s",
		    dexf_errstr(&r->err));
		/* A range is checked against the sealed root whatever the
		 * index says: its siblings either lead there or not. */
		if (depth != CHECK_RANGE)
			return;
	}
	switch (depth) {
	case CHECK_INDEX:
		res->status = DEXF_ITEM_NOT_CHECKED;
		/* the index digest was checked above; now its layout */
		if (walk_index(r, it, x, &h, rep) != 0)
			res->status = DEXF_ITEM_MISMATCH;
		break;
	case CHECK_ALL:
		scan_item(r, it, d, res, o, done, total, rep, canceled);
		break;
	case CHECK_RANGE:
		range_item(r, it, d, x, &h, off, len, res, o, rep, canceled);
		break;
	}
}

static void
seal_info(dexf_report *rep, dexf_reader *r)
{
	dexf_seal_info *si = &rep->seal;
	dexf_sig_result *sr = &rep->sig;

	si->present = r->have_seal;
	si->signed_ = r->sig_buf != NULL ||
	    (r->have_seal && r->seal.signature_entry != NULL);
	si->signature_valid = sr->valid;
	if (!r->seal_rules_ok || (si->signed_ && r->sig_buf == NULL)) {
		si->trust = DEXF_TRUST_INVALID;
		si->trust_detail = rep->trust_detail = strdup("the seal record "
		    "or its signature file is missing or invalid: signer not "
		    "checked");
	} else {
		si->trust = si->signed_ ? (sr->valid ? sr->trust :
		    DEXF_TRUST_INVALID) : DEXF_TRUST_UNSIGNED;
		si->trust_detail = rep->trust_detail = strdup(si->signed_ ?
		    (sr->trust_detail[0] ? sr->trust_detail :
		    "signature does not verify") : "container is not signed");
	}
	if (sr->subject[0]) {
		si->subject = sr->subject;
		si->issuer = sr->issuer;
		si->fingerprint = sr->fingerprint;
		si->serial = sr->serial;
		si->not_before = sr->not_before;
		si->not_after = sr->not_after;
	}
	si->signing_time = sr->signing_time[0] ? sr->signing_time : NULL;
	si->algorithm = sr->algorithm[0] ? sr->algorithm : NULL;
	if (r->have_seal) {
		si->sealed_at = rep->sealed_at = dexf_strdup(r->seal.time);
		si->sealed_by = rep->sealed_by = dexf_strdup(r->seal.agent_name);
	}
	si->manifest_sha256 = rep->manifest_sha256;
}

int
dexf_verify_scope(dexf_report *rep, dexf_scope_kind kind,
    const struct dexf_item *it, uint64_t offset, uint64_t length)
{
	dexf_scope *sc = &rep->scope;
	char buf[1024];

	sc->kind = kind;
	sc->chunk_first = sc->chunk_last = -1;
	sc->offset = offset;
	sc->length = length;
	free(rep->scope_item);
	rep->scope_item = NULL;
	if (it != NULL && (rep->scope_item = strdup(it->path)) == NULL)
		return DEXF_ENOMEM;
	sc->item = rep->scope_item;
	if (it != NULL && length > 0 && it->chunk_size > 0) {
		sc->chunk_first = (int64_t)(offset / it->chunk_size);
		sc->chunk_last = (int64_t)((offset + length - 1) /
		    it->chunk_size);
	}
	switch (kind) {
	case DEXF_SCOPE_CONTAINER:
		snprintf(buf, sizeof(buf), "every item and every chunk of "
		    "evidence");
		break;
	case DEXF_SCOPE_QUICK:
		snprintf(buf, sizeof(buf), "structure, seal, manifest and chunk "
		    "indexes only: no evidence data was read");
		break;
	case DEXF_SCOPE_ITEM:
		if (it == NULL)
			snprintf(buf, sizeof(buf), "one item only (not found)");
		else
			snprintf(buf, sizeof(buf), "only item '%s' (%llu bytes, "
			    "every chunk); the other items' evidence data was "
			    "not read", it->path, (unsigned long long)it->size);
		break;
	case DEXF_SCOPE_RANGE:
	case DEXF_SCOPE_PROOF: {
		char chunks[64];

		if (it == NULL || length == 0) {
			snprintf(buf, sizeof(buf), "one byte range of one item "
			    "only (not located)");
			break;
		}
		if (sc->chunk_first == sc->chunk_last)
			snprintf(chunks, sizeof(chunks), "chunk %lld",
			    (long long)sc->chunk_first);
		else
			snprintf(chunks, sizeof(chunks), "chunks %lld-%lld",
			    (long long)sc->chunk_first,
			    (long long)sc->chunk_last);
		snprintf(buf, sizeof(buf), "only bytes %llu-%llu of item '%s' "
		    "(%s) against the sealed Merkle root; %s",
		    (unsigned long long)offset,
		    (unsigned long long)(offset + length - 1), it->path, chunks,
		    kind == DEXF_SCOPE_RANGE ? "the rest of the evidence data "
		    "was not read" : "from a proof file, without the container");
		break;
	}
	}
	free(rep->scope_text);
	if ((rep->scope_text = strdup(buf)) == NULL)
		return DEXF_ENOMEM;
	sc->description = rep->scope_text;
	return 0;
}

static void
summarize(dexf_report *rep, const char *path)
{
	char buf[2048], what[1200];
	const char *signer = rep->seal.subject ? rep->seal.subject : "?";
	/* a narrower scope is said in every summary: it must never read
	 * like a verification of the whole container */
	int partial = rep->scope.kind != DEXF_SCOPE_CONTAINER &&
	    rep->scope.kind != DEXF_SCOPE_QUICK;

	if (partial)
		snprintf(what, sizeof(what), "%s", rep->scope.description);
	else
		snprintf(what, sizeof(what), "%llu item(s), %llu bytes verified",
		    (unsigned long long)rep->cov.items,
		    (unsigned long long)rep->cov.bytes_hashed);
	switch (rep->verdict) {
	case DEXF_VERDICT_INTACT_TRUSTED:
		snprintf(buf, sizeof(buf), "%s: intact, signer trusted: %s; "
		    "sealed by %s (%s)", path, what, signer,
		    rep->seal.trust_detail);
		break;
	case DEXF_VERDICT_INTACT_UNTRUSTED:
		if (rep->seal.trust != DEXF_TRUST_TRUSTED) {
			snprintf(buf, sizeof(buf), "%s: intact, but signer not "
			    "established (%s): %s", path,
			    dexf_trust_name(rep->seal.trust),
			    rep->seal.trust_detail);
			break;
		}
		/* the seal is trusted: a later record's signer is not */
		for (size_t i = 0; i < rep->nproblems; i++)
			if (strcmp(rep->problems[i].kind, "untrusted") == 0) {
				snprintf(buf, sizeof(buf), "%s: intact, but a "
				    "signer is not established: %s", path,
				    rep->problems[i].message);
				break;
			}
		break;
	case DEXF_VERDICT_INTACT_UNSIGNED:
		snprintf(buf, sizeof(buf), "%s: intact, but unsigned: nobody "
		    "vouches for this %s", path,
		    rep->scope.kind == DEXF_SCOPE_PROOF ? "proof" : "container");
		break;
	default:
		{
			const char *first = "";

			for (size_t i = 0; i < rep->nproblems; i++)
				if (strcmp(rep->problems[i].kind, "unsigned") &&
				    strcmp(rep->problems[i].kind, "untrusted")) {
					first = rep->problems[i].message;
					break;
				}
			snprintf(buf, sizeof(buf), "%s: %s: %s", path,
			    dexf_verdict_name(rep->verdict), first);
		}
	}
	if (partial && rep->scope.item != NULL &&
	    rep->verdict != DEXF_VERDICT_INTACT_TRUSTED) {
		size_t n = strlen(buf);

		snprintf(buf + n, sizeof(buf) - n, " [checked %s]", what);
	}
	rep->summary = strdup(buf);
}

void
dexf_verify_conclude(dexf_report *rep, dexf_reader *r, const char *path)
{
	seal_info(rep, r);
	summarize(rep, path);
}

int
dexf_verify_open(dexf_reader *r, dexf_report *rep, const char *path,
    int (*open_zip)(dexf_reader *, const char *), unsigned char **acc)
{
	int rc;

	*acc = NULL;
	if ((rc = open_zip(r, path)) != 0) {
		if (rc == DEXF_ENOMEM)
			return rc;
		dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_UNREADABLE,
		    rc == DEXF_EUNSUPPORTED ? "unsupported" : rc == DEXF_EIO ||
		    rc == DEXF_ENOTFOUND ? "io" : "structure", NULL, NULL, -1,
		    -1, 0, 0, "%s", dexf_errstr(&r->err));
		return 0;
	}
	rep->cov.entries = r->z.n;
	if ((*acc = calloc(r->z.n, 1)) == NULL)
		return DEXF_ENOMEM;
	/* the names step 2 always references */
	dexf_verify_mark(r, *acc, DEXF_ENTRY_MIMETYPE);
	dexf_verify_mark(r, *acc, DEXF_ENTRY_SEAL);
	dexf_verify_mark(r, *acc, DEXF_ENTRY_SEAL_SIG);
	dexf_verify_mark(r, *acc, DEXF_ENTRY_MANIFEST);
	return 1;
}

int
dexf_verify_seal(dexf_reader *r, dexf_report *rep, unsigned char *acc,
    const dexf_verify_opts *o, int *seal_ok)
{
	int rc, seal_tst = 0;
	dexf_tsa_result seal_tsa = { 0 };

	/* 2. seal record and its signature */
	rc = dexf_reader_load_seal(r);
	*seal_ok = rc == 0;
	if (rc != 0) {
		/* name the file that failed: the record parsed, so it was
		 * the signature */
		int in_sig = r->seal_rules_ok;

		dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_CHAIN_BROKEN,
		    rc == DEXF_EUNSUPPORTED ? "unsupported" : in_sig ?
		    "signature-invalid" : "record-invalid", in_sig ?
		    DEXF_ENTRY_SEAL_SIG : DEXF_ENTRY_SEAL, NULL, -1, -1, 0, 0,
		    "%s", dexf_errstr(&r->err));
	} else if (r->sig_buf == NULL) {
		dexf_report_add(rep, DEXF_VERDICT_INTACT_UNSIGNED, "unsigned",
		    DEXF_ENTRY_SEAL, NULL, -1, -1, 0, 0,
		    "%s: seal record is not signed", DEXF_ENTRY_SEAL);
	} else {
		time_t at;

		seal_tst = dexf_chain_timestamp(r, rep, acc, 0, r->sig_buf,
		    r->sig_len, o, &seal_tsa, &at);
		rc = dexf_cms_verify(&rep->sig, r->sig_buf, r->sig_len,
		    r->seal_buf, r->seal_len, o->trust, o->ntrust, o->signers,
		    o->nsigners, at, DEXF_ENTRY_SEAL_SIG, &r->err);
		if (rc != 0)
			dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
			    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_CHAIN_BROKEN,
			    rc == DEXF_EUNSUPPORTED ? "unsupported" :
			    "signature-invalid", DEXF_ENTRY_SEAL_SIG, NULL, -1,
			    -1, 0, 0, "%s", dexf_errstr(&r->err));
		else if (rep->sig.trust != DEXF_TRUST_TRUSTED)
			dexf_report_add(rep, DEXF_VERDICT_INTACT_UNTRUSTED,
			    "untrusted", DEXF_ENTRY_SEAL_SIG, NULL, -1, -1, 0, 0,
			    "%s: signer %s is %s: %s", DEXF_ENTRY_SEAL_SIG,
			    rep->sig.subject, dexf_trust_name(rep->sig.trust),
			    rep->sig.trust_detail);
	}
	/* Records after the seal, time-stamps and attachments. */
	return dexf_chain_verify(r, rep, acc, o, *seal_ok, seal_tst, &seal_tsa);
}

/*
 * A full verify of a large manifest checks it against the schema on a
 * thread of its own while this one parses it without the schema and goes
 * on to the items (for 20,000 small files the schema check was half of
 * the manifest's time, with the workers idle).  The result stands only if
 * both passes succeed; otherwise everything is done again in the plain
 * order, so the report is exactly the sequential one.
 */
#define OVERLAP_MIN (64 * 1024)

typedef struct {
	const unsigned char *buf;
	size_t len;
	int rc;
	atomic_int failed;
	pthread_t tid;
	int started;
} schema_job;

static void *
schema_run(void *arg)
{
	schema_job *j = arg;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	/* the patterns of the value types are the parser's (xmlsafe.h) */
	j->rc = dexf_xml_check(j->buf, j->len, DEXF_SCHEMA_MANIFEST_SHAPE,
	    DEXF_ENTRY_MANIFEST, &err);
	if (j->rc != 0)
		atomic_store(&j->failed, 1);
	return NULL;
}

/* The progress hook of an overlapped verify: a failed schema check stops
 * the item being scanned at its next chunk (the redo starts its own
 * count), otherwise the caller's hook, if any. */
typedef struct {
	schema_job *sj;
	dexf_progress_cb cb;
	void *payload;
} overlap_progress;

static int
overlap_hook(uint64_t done, uint64_t total, void *payload)
{
	overlap_progress *op = payload;

	if (atomic_load(&op->sj->failed))
		return 1;
	return op->cb != NULL ? op->cb(done, total, op->payload) : 0;
}

/* Wait for the schema check; 0 if it passed (or never ran). */
static int
schema_join(schema_job *j)
{
	if (j->started) {
		pthread_join(j->tid, NULL);
		j->started = 0;
	}
	return j->rc;
}

/* With sj and a manifest of OVERLAP_MIN bytes or more, the schema check
 * starts on its thread as soon as the bytes are in, and this thread
 * parses without it. */
static int
verify_manifest(dexf_reader *r, dexf_report *rep, const char *path,
    int *bound, schema_job *sj)
{
	const dexf_zipr_entry *e = dexf_zipr_find(&r->z, DEXF_ENTRY_MANIFEST);
	unsigned char md[32];
	char hex[65];
	int rc;

	*bound = 0;
	if (e == NULL) {
		dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN, "missing-entry",
		    DEXF_ENTRY_MANIFEST, NULL, -1, -1, 0, 0,
		    "%s: manifest is missing", path);
		return 0;
	}
	rc = dexf_zipr_slurp(&r->z, e, DEXF_MAX_MANIFEST, &r->manifest_buf,
	    &r->manifest_len);
	if (rc != 0) {
		dexf_report_add(rep, verdict_for(rc), rc == DEXF_EINTEGRITY ?
		    "manifest-mismatch" : kind_for(rc), DEXF_ENTRY_MANIFEST, NULL,
		    -1, -1, 0, 0, "%s", dexf_errstr(&r->err));
		return 0;
	}
	/* the schema check needs only the bytes: it starts first */
	if (sj != NULL && r->manifest_len >= OVERLAP_MIN) {
		sj->buf = r->manifest_buf;
		sj->len = r->manifest_len;
		sj->started = pthread_create(&sj->tid, NULL, schema_run,
		    sj) == 0;
	}
	dexf_sha256(md, r->manifest_buf, r->manifest_len);
	dexf_hex(hex, md, 32);
	if ((rep->manifest_sha256 = strdup(hex)) == NULL)
		return DEXF_ENOMEM;
	if (r->have_seal) {
		if (memcmp(md, r->seal.manifest_sha256, 32) != 0 ||
		    r->seal.manifest_size != r->manifest_len)
			dexf_report_add(rep, DEXF_VERDICT_TAMPERED,
			    "manifest-mismatch", DEXF_ENTRY_MANIFEST, NULL, -1,
			    -1, 0, 0, "%s: sha256 %s does not match the seal "
			    "record", DEXF_ENTRY_MANIFEST, hex);
		else
			*bound = 1;
	}
	rc = (sj != NULL && sj->started ? dexf_manifest_parse_unvalidated :
	    dexf_manifest_parse)(&r->m, r->manifest_buf, r->manifest_len,
	    DEXF_ENTRY_MANIFEST, &r->err);
	if (rc != 0) {
		/* Damage already explains an unparseable manifest; a sealed
		 * one that is invalid is unreadable. */
		dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : *bound ? DEXF_VERDICT_UNREADABLE :
		    DEXF_VERDICT_TAMPERED, rc == DEXF_EUNSUPPORTED ?
		    "unsupported" : "manifest-invalid", DEXF_ENTRY_MANIFEST,
		    NULL, -1, -1, 0, 0, "%s", dexf_errstr(&r->err));
		return 0;
	}
	r->have_manifest = 1;
	if (dexf_reader_items_ready(r) != 0)
		return DEXF_ENOMEM;
	if (r->have_seal && strcmp(r->seal.container_id, r->m.container_id))
		dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN, "record-invalid",
		    DEXF_ENTRY_SEAL, NULL, -1, -1, 0, 0, "%s: seal belongs to "
		    "container %s, manifest is container %s", DEXF_ENTRY_SEAL,
		    r->seal.container_id, r->m.container_id);
	dexf_report_set_meta(rep, "container-id", r->m.container_id);
	dexf_report_set_meta(rep, "format-version", r->m.format_version);
	dexf_report_set_meta(rep, "created", r->m.created);
	for (int i = 0; i < C_N; i++) {
		char key[32];

		snprintf(key, sizeof(key), "case.%s", dexf_case_fields[i]);
		dexf_report_set_meta(rep, key, r->m.case_[i]);
	}
	return 1;
}

int
dexf_verify_manifest(dexf_reader *r, dexf_report *rep, const char *path,
    int *bound)
{
	return verify_manifest(r, rep, path, bound, NULL);
}

int
dexf_verify_items_init(dexf_report *rep, const dexf_reader *r)
{
	rep->cov.items = r->m.nitems;
	rep->items = calloc(r->m.nitems ? r->m.nitems : 1,
	    sizeof(*rep->items));
	if (rep->items == NULL)
		return DEXF_ENOMEM;
	rep->nitems = r->m.nitems;
	for (size_t i = 0; i < r->m.nitems; i++) {
		const struct dexf_item *it = &r->m.items[i];
		dexf_item_result *res = &rep->items[i];

		res->path = strdup(it->path);
		res->id = strdup(it->id);
		if (res->path == NULL || res->id == NULL)
			return DEXF_ENOMEM;
		res->size = it->size;
		res->chunks = it->chunk_count;
		res->status = DEXF_ITEM_NOT_CHECKED;
		for (size_t k = 0; k < it->nunreadable; k++)
			rep->cov.unreadable_bytes += it->unreadable[k].length;
		rep->cov.digests_not_checked += it->unknown_digests;
		/* symlinks and directories: nothing to check */
		if (it->kind != DEXF_ITEM_FILE) {
			res->status = DEXF_ITEM_OK;
			rep->cov.items_checked++;
		}
	}
	return 0;
}

void
dexf_verify_bound(dexf_report *rep, const dexf_reader *r, int manifest_bound,
    int seal_ok)
{
	rep->cov.manifest_bound = manifest_bound && seal_ok &&
	    (r->sig_buf == NULL || rep->sig.valid) &&
	    strcmp(r->seal.container_id, r->m.container_id) == 0;
}

/* A request that names an item the manifest does not have, or a range
 * outside it: a usage error, reported through the summary. */
static int
usage_error(dexf_report *rep, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
usage_error(dexf_report *rep, int rc, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(rep->summary);
	rep->summary = strdup(buf);
	return rc;
}

/* The item of an item or range scope, checked against the request. */
static int
find_target(dexf_reader *r, dexf_report *rep, const char *path,
    const char *name, dexf_scope_kind kind, uint64_t off, uint64_t *len,
    const struct dexf_item **out)
{
	const struct dexf_item *it;
	int rc;

	if (dexf_reader_find(&it, r, name) != 0)
		return usage_error(rep, DEXF_ENOTFOUND, "%s: no item '%s'", path,
		    name);
	if (it->kind != DEXF_ITEM_FILE || !it->has_storage)
		return usage_error(rep, DEXF_EINVAL, "%s: item '%s' is not a "
		    "file", path, it->path);
	if (kind == DEXF_SCOPE_RANGE &&
	    (rc = dexf_range_resolve(it, off, len, path, &r->err)) != 0)
		return usage_error(rep, rc, "%s", dexf_errstr(&r->err));
	*out = it;
	return 0;
}

static int
verify_run(dexf_report **out, const char *path, const dexf_verify_opts *o,
    dexf_scope_kind kind, const char *item, uint64_t off, uint64_t len,
    int overlap)
{
	dexf_report *rep;
	dexf_reader *r = NULL;
	const struct dexf_item *target = NULL;
	unsigned char *acc = NULL;
	uint64_t total = 0, done = 0, drops;
	int rc, canceled = 0, manifest_bound = 0, seal_ok = 0, redo = 0;
	schema_job sj = { .rc = 0 };
	overlap_progress op = { &sj, o->progress, o->payload };
	dexf_verify_opts lo = *o;       /* o, with the hook when overlapped */

	*out = NULL;
	if (o->threads < 0 || o->threads > 64)
		return DEXF_EINVAL;
	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return DEXF_ENOMEM;
	rep->verdict = DEXF_VERDICT_INTACT_TRUSTED;
	rep->cov.quick = kind == DEXF_SCOPE_QUICK;
	rep->sig.trust = DEXF_TRUST_UNSIGNED;
	if (dexf_verify_scope(rep, kind, NULL, 0, 0) != 0 ||
	    dexf_reader_new(&r) != 0) {
		dexf_report_free(rep);
		return DEXF_ENOMEM;
	}
	r->threads = o->threads;
	/* 1. structure */
	if ((rc = dexf_verify_open(r, rep, path, dexf_reader_open_zip,
	    &acc)) < 0)
		goto fail;
	if (rc == 0)
		goto done;

	/* 2, 3, 7. the seal record, its signature, the records after it */
	if ((rc = dexf_verify_seal(r, rep, acc, o, &seal_ok)) != 0)
		goto fail;

	/* 5. the manifest, and its binding to the seal */
	overlap = overlap && kind == DEXF_SCOPE_CONTAINER && o->threads != 1;
	if ((rc = verify_manifest(r, rep, path, &manifest_bound,
	    overlap ? &sj : NULL)) < 0)
		goto fail;
	if (rc == 0 && sj.started)
		goto again;     /* the message is the schema pass's to give */
	if (rc == 0)
		goto accounting;
	if (sj.started) {
		lo.progress = overlap_hook;
		lo.payload = &op;
	}
	if (kind == DEXF_SCOPE_ITEM || kind == DEXF_SCOPE_RANGE) {
		if ((rc = find_target(r, rep, path, item, kind, off, &len,
		    &target)) != 0) {
			free(acc);
			dexf_reader_free(r);
			*out = rep;
			return rc;
		}
		if (kind == DEXF_SCOPE_ITEM)
			len = target->size;
		if (dexf_verify_scope(rep, kind, target, off, len) != 0) {
			rc = DEXF_ENOMEM;
			goto fail;
		}
	}

	/* 6. items */
	if ((rc = dexf_verify_items_init(rep, r)) != 0)
		goto fail;
	for (size_t i = 0; i < r->m.nitems; i++)
		if (r->m.items[i].kind == DEXF_ITEM_FILE)
			total += r->m.items[i].size;
	if (target != NULL)
		total = len;
	drops = r->pf_drops;
	for (size_t i = 0, ahead = 0; i < r->m.nitems && !canceled &&
	    !atomic_load(&sj.failed); i++) {
		const struct dexf_item *it = &r->m.items[i];
		item_depth depth = kind == DEXF_SCOPE_CONTAINER ? CHECK_ALL :
		    CHECK_INDEX;

		/* A run of one-chunk items is decoded on the workers ahead
		 * of the item being checked; the lookahead stops at the
		 * first item it cannot take until that one is checked. */
		if (ahead < i || r->pf_drops != drops) {
			/* caught up, or a scan dropped the work ahead */
			ahead = i;
			drops = r->pf_drops;
		}
		while (depth == CHECK_ALL && ahead < r->m.nitems &&
		    (r->m.items[ahead].kind != DEXF_ITEM_FILE ||
		    r->m.items[ahead].chunk_count == 0 ||
		    dexf_reader_prefetch(r, &r->m.items[ahead],
		    item_hashes(&r->m.items[ahead])) == 0))
			ahead++;
		if (it->kind != DEXF_ITEM_FILE)
			continue;
		if (it == target)
			depth = kind == DEXF_SCOPE_ITEM ? CHECK_ALL : CHECK_RANGE;
		check_item(r, it, &rep->items[i], acc, depth, off, len, &lo,
		    &done, total, rep, &canceled);
	}
	/* a cancel by the hook, or by the caller while the schema check
	 * was failing: the plain order's report stands */
	if (schema_join(&sj) != 0)
		goto again;
	if (canceled) {
		rc = DEXF_ECANCELED;
		goto fail;
	}
	/* annotation targets are checked on items read in full */
	dexf_chain_check_items(r, rep, kind != DEXF_SCOPE_QUICK);
	dexf_verify_bound(rep, r, manifest_bound, seal_ok);

accounting:
	dexf_chain_check_head(rep, o->head);
	/* 9. every entry must be accounted for.  Without a usable manifest
	 * evidence and index entries cannot be judged: not checked, not
	 * "extra". */
	for (size_t i = 0; i < r->z.n; i++) {
		const char *n = r->z.ents[i].name;

		if (acc[i]) {
			rep->cov.entries_accounted++;
			continue;
		}
		if (!r->have_manifest &&
		    (strncmp(n, DEXF_EVIDENCE_PREFIX,
		    strlen(DEXF_EVIDENCE_PREFIX)) == 0 ||
		    strncmp(n, DEXF_INDEX_PREFIX, strlen(DEXF_INDEX_PREFIX)) == 0))
			continue;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "extra-entry",
		    r->z.ents[i].name, NULL, -1, -1, 0, 0,
		    "entry '%s' is not covered by the manifest or the seal",
		    r->z.ents[i].name);
	}
done:
	dexf_verify_conclude(rep, r, path);
	free(acc);
	dexf_reader_free(r);
	*out = rep;
	return 0;
again:
	/* rare (a manifest the schema or the parser refuses): from the
	 * start, in order, for the sequential report */
	redo = 1;
fail:
	schema_join(&sj);
	free(acc);
	dexf_reader_free(r);
	dexf_report_free(rep);
	return redo ? verify_run(out, path, o, kind, item, off, len, 0) : rc;
}

int
dexf_verify(dexf_report **out, const char *path,
    const dexf_verify_opts *opts)
{
	static const dexf_verify_opts none;
	const dexf_verify_opts *o = opts ? opts : &none;

	if (out == NULL || path == NULL)
		return DEXF_EINVAL;
	return verify_run(out, path, o, o->flags & DEXF_VERIFY_QUICK ?
	    DEXF_SCOPE_QUICK : DEXF_SCOPE_CONTAINER, NULL, 0, 0, 1);
}

/* An item or range scope: the public entry points' common checks. */
static int
verify_scoped(dexf_report **out, const char *path, const char *item,
    dexf_scope_kind kind, uint64_t offset, uint64_t length,
    const dexf_verify_opts *opts)
{
	static const dexf_verify_opts none;
	const dexf_verify_opts *o = opts ? opts : &none;

	if (out == NULL)
		return DEXF_EINVAL;
	*out = NULL;
	if (path == NULL || item == NULL || (o->flags & DEXF_VERIFY_QUICK))
		return DEXF_EINVAL;
	return verify_run(out, path, o, kind, item, offset, length, 1);
}

int
dexf_verify_item(dexf_report **out, const char *path, const char *item,
    const dexf_verify_opts *opts)
{
	return verify_scoped(out, path, item, DEXF_SCOPE_ITEM, 0, 0, opts);
}

int
dexf_verify_range(dexf_report **out, const char *path, const char *item,
    uint64_t offset, uint64_t length, const dexf_verify_opts *opts)
{
	return verify_scoped(out, path, item, DEXF_SCOPE_RANGE, offset,
	    length, opts);
}
