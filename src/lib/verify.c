/*
 * verify.c - verification from the bytes (FORMAT.md "Verification").
 *
 * Order: ZIP structure, seal record, signature, manifest binding, manifest,
 * items (index, chunks, digests, Merkle root, CRC), entry accounting.
 * Every claim the container makes is recomputed; what cannot be checked is
 * reported as such.  Trust is evaluated apart from integrity.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "format.h"
#include "reader_int.h"
#include "report.h"
#include "util.h"

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
	uint64_t a, b;

	if (c->first < 0)
		return;
	a = (uint64_t)c->first * it->chunk_size;
	b = ((uint64_t)c->last + 1) * it->chunk_size;
	if (b > it->size)
		b = it->size;
	if (c->first == c->last)
		dexf_report_add(c->rep, DEXF_VERDICT_TAMPERED, "chunk-mismatch",
		    it->entry, it->path, c->first, c->last, a, b - a,
		    "item '%s': chunk %lld (bytes %llu-%llu) %s", it->path,
		    (long long)c->first, (unsigned long long)a,
		    (unsigned long long)(b - 1), c->why);
	else
		dexf_report_add(c->rep, DEXF_VERDICT_TAMPERED, "chunk-mismatch",
		    it->entry, it->path, c->first, c->last, a, b - a,
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

static void
mark(dexf_reader *r, unsigned char *acc, const char *name)
{
	const dexf_zipr_entry *e = dexf_zipr_find(&r->z, name);

	if (e != NULL)
		acc[e - r->z.ents] = 1;
}

/* Quick mode: walk the index entries (not the data) and check the layout
 * rules, so a damaged index is caught without reading evidence. */
static int
walk_index(dexf_reader *r, const struct dexf_item *it,
    const dexf_zipr_entry *x, const dexf_idx_header *h, dexf_report *rep)
{
	unsigned char buf[DEXF_IDX_ENTRY * 512];
	uint64_t expect = 0, i = 0;
	uint64_t limit = h->compression == 8 ? h->data_size - 2 : h->data_size;

	while (i < h->chunk_count) {
		uint64_t n = h->chunk_count - i;

		if (n > 512)
			n = 512;
		if (dexf_zipr_pread(&r->z, x, DEXF_IDX_HEADER +
		    i * DEXF_IDX_ENTRY, buf, (size_t)n * DEXF_IDX_ENTRY) != 0)
			return -1;
		for (uint64_t k = 0; k < n; k++, i++) {
			dexf_idx_entry e;

			dexf_idx_entry_decode(&e, buf + k * DEXF_IDX_ENTRY);
			if (!dexf_idx_entry_ok(h, i, &e, expect)) {
				dexf_report_add(rep, DEXF_VERDICT_TAMPERED,
				    "index-mismatch", it->index_entry, it->path,
				    (int64_t)i, (int64_t)i, 0, 0,
				    "%s: entry for chunk %llu of item '%s' is "
				    "inconsistent", it->index_entry,
				    (unsigned long long)i, it->path);
				return -1;
			}
			expect = e.offset + e.length;
		}
	}
	if (expect != limit) {
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "index-mismatch",
		    it->index_entry, it->path, -1, -1, 0, 0,
		    "%s: chunks of item '%s' do not fill its entry",
		    it->index_entry, it->path);
		return -1;
	}
	return 0;
}

static void
check_item(dexf_reader *r, const struct dexf_item *it, dexf_item_result *res,
    unsigned char *acc, const dexf_verify_opts *o, uint64_t *done,
    uint64_t total, dexf_report *rep, int *canceled)
{
	const dexf_zipr_entry *d, *x;
	dexf_idx_header h;
	dexf_scan s;
	run_ctx rc_ctx = { rep, it, -1, -1, NULL };
	int rc;

	res->chunks = it->chunk_count;
	mark(r, acc, it->entry);
	mark(r, acc, it->index_entry);
	rc = dexf_reader_item_entries(r, it, &d, &x, &h);
	if (rc == 0 && (rc = dexf_reader_check_index(r, it, x)) != 0 &&
	    rc != DEXF_EINTEGRITY)
		rc = DEXF_EINTEGRITY;
	if (rc != 0) {
		const char *msg = dexf_errstr(&r->err);
		int no_data = dexf_zipr_find(&r->z, it->entry) == NULL;
		int no_index = dexf_zipr_find(&r->z, it->index_entry) == NULL;
		/* the evidence entry is at fault only when its own sizes
		 * disagree; everything else here is about the index */
		int data_fault = no_data || dexf_reader_data_fault(r);

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
	if (o->flags & DEXF_VERIFY_QUICK) {
		res->status = DEXF_ITEM_NOT_CHECKED;
		/* the index digest was checked above; now its layout */
		if (walk_index(r, it, x, &h, rep) != 0)
			res->status = DEXF_ITEM_MISMATCH;
		return;
	}
	memset(&s, 0, sizeof(s));
	s.out_fd = -1;
	s.keep_going = 1;
	s.hashes = DEXF_HASH_ALL;
	for (int i = 1; i < DEXF_NHASH; i++)
		if (it->digest[i] == NULL)
			s.hashes &= ~(unsigned)dexf_hash_at(i);
	s.progress = o->progress;
	s.payload = o->payload;
	s.done = done;
	s.total = total;
	s.bad_chunk = on_bad_chunk;
	s.ctx = &rc_ctx;
	rc = dexf_reader_scan(r, it, &s);
	flush_run(&rc_ctx);
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
	if (s.bad)
		return;
	res->sha256 = strdup(s.hex[0]);
	for (int i = 0; i < DEXF_NHASH; i++) {
		if (it->digest[i] == NULL || s.hex[i][0] == '\0')
			continue;
		if (strcmp(it->digest[i], s.hex[i]) != 0) {
			res->status = DEXF_ITEM_MISMATCH;
			dexf_report_add(rep, DEXF_VERDICT_TAMPERED,
			    "digest-mismatch", it->entry, it->path, -1, -1, 0,
			    it->size, "item '%s': %s mismatch: manifest %s, "
			    "data %s", it->path,
			    dexf_hash_name(dexf_hash_at(i)), it->digest[i],
			    s.hex[i]);
		}
	}
	if (memcmp(s.merkle, it->merkle_root, 32) != 0) {
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "merkle-mismatch",
		    it->entry, it->path, -1, -1, 0, it->size,
		    "item '%s': Merkle root recomputed from the data does not "
		    "match the manifest", it->path);
	}
	if (s.crc != d->crc) {
		res->status = DEXF_ITEM_MISMATCH;
		dexf_report_add(rep, DEXF_VERDICT_TAMPERED, "crc-mismatch",
		    it->entry, it->path, -1, -1, 0, it->size,
		    "entry '%s': ZIP CRC-32 %08x does not match the data "
		    "(%08x)", it->entry, d->crc, s.crc);
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

static void
summarize(dexf_report *rep, const char *path)
{
	char buf[1536];
	const char *signer = rep->seal.subject ? rep->seal.subject : "?";

	switch (rep->verdict) {
	case DEXF_VERDICT_INTACT_TRUSTED:
		snprintf(buf, sizeof(buf), "%s: intact, signer trusted: %llu "
		    "item(s), %llu bytes verified; sealed by %s (%s)", path,
		    (unsigned long long)rep->cov.items,
		    (unsigned long long)rep->cov.bytes_hashed, signer,
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
		    "vouches for this container", path);
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
	rep->summary = strdup(buf);
}

int
dexf_verify(dexf_report **out, const char *path,
    const dexf_verify_opts *opts)
{
	static const dexf_verify_opts none;
	const dexf_verify_opts *o = opts ? opts : &none;
	dexf_report *rep;
	dexf_reader *r = NULL;
	unsigned char *acc = NULL, md[32];
	char hex[65];
	uint64_t total = 0, done = 0;
	int rc, canceled = 0, manifest_bound = 0, seal_ok = 0, seal_tst = 0;
	dexf_tsa_result seal_tsa = { 0 };

	if (out == NULL || path == NULL)
		return DEXF_EINVAL;
	*out = NULL;
	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return DEXF_ENOMEM;
	rep->verdict = DEXF_VERDICT_INTACT_TRUSTED;
	rep->cov.quick = (o->flags & DEXF_VERIFY_QUICK) != 0;
	if (o->threads < 0 || o->threads > 64) {
		free(rep);
		return DEXF_EINVAL;
	}
	rep->sig.trust = DEXF_TRUST_UNSIGNED;
	if (dexf_reader_new(&r) != 0) {
		free(rep);
		return DEXF_ENOMEM;
	}
	r->threads = o->threads;
	/* 1. structure */
	if ((rc = dexf_reader_open_zip(r, path)) != 0) {
		dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_UNREADABLE,
		    rc == DEXF_EUNSUPPORTED ? "unsupported" : rc == DEXF_EIO ||
		    rc == DEXF_ENOTFOUND ? "io" : "structure", NULL, NULL, -1,
		    -1, 0, 0, "%s", dexf_errstr(&r->err));
		goto done;
	}
	rep->cov.entries = r->z.n;
	if ((acc = calloc(r->z.n, 1)) == NULL) {
		rc = DEXF_ENOMEM;
		goto fail;
	}
	mark(r, acc, DEXF_ENTRY_MIMETYPE);
	mark(r, acc, DEXF_ENTRY_SEAL);
	mark(r, acc, DEXF_ENTRY_SEAL_SIG);
	mark(r, acc, DEXF_ENTRY_MANIFEST);

	/* 2. seal record and its signature */
	rc = dexf_reader_load_seal(r);
	seal_ok = rc == 0;
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
	if ((rc = dexf_chain_verify(r, rep, acc, o, seal_ok, seal_tst,
	    &seal_tsa)) != 0)
		goto fail;

	/* 3. the manifest, and its binding to the seal */
	{
		const dexf_zipr_entry *e = dexf_zipr_find(&r->z,
		    DEXF_ENTRY_MANIFEST);

		if (e == NULL) {
			dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN,
			    "missing-entry", DEXF_ENTRY_MANIFEST, NULL, -1, -1,
			    0, 0, "%s: manifest is missing", path);
			goto accounting;
		}
		rc = dexf_zipr_slurp(&r->z, e, DEXF_MAX_MANIFEST,
		    &r->manifest_buf, &r->manifest_len);
		if (rc != 0) {
			dexf_report_add(rep, verdict_for(rc), rc ==
			    DEXF_EINTEGRITY ? "manifest-mismatch" : kind_for(rc),
			    DEXF_ENTRY_MANIFEST, NULL, -1, -1, 0, 0, "%s",
			    dexf_errstr(&r->err));
			goto accounting;
		}
		dexf_sha256(md, r->manifest_buf, r->manifest_len);
		dexf_hex(hex, md, 32);
		rep->manifest_sha256 = strdup(hex);
		if (r->have_seal) {
			if (memcmp(md, r->seal.manifest_sha256, 32) != 0 ||
			    r->seal.manifest_size != r->manifest_len)
				dexf_report_add(rep, DEXF_VERDICT_TAMPERED,
				    "manifest-mismatch", DEXF_ENTRY_MANIFEST,
				    NULL, -1, -1, 0, 0, "%s: sha256 %s does not "
				    "match the seal record", DEXF_ENTRY_MANIFEST,
				    hex);
			else
				manifest_bound = 1;
		}
		rc = dexf_manifest_parse(&r->m, r->manifest_buf,
		    r->manifest_len, DEXF_ENTRY_MANIFEST, &r->err);
		if (rc != 0) {
			/* Damage already explains an unparseable manifest;
			 * a sealed one that is invalid is unreadable. */
			dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
			    DEXF_VERDICT_UNSUPPORTED : manifest_bound ?
			    DEXF_VERDICT_UNREADABLE : DEXF_VERDICT_TAMPERED,
			    rc == DEXF_EUNSUPPORTED ? "unsupported" :
			    "manifest-invalid", DEXF_ENTRY_MANIFEST, NULL, -1,
			    -1, 0, 0, "%s", dexf_errstr(&r->err));
			goto accounting;
		}
		r->have_manifest = 1;
		r->index_ok = calloc(r->m.nitems ? r->m.nitems : 1, 1);
		if (r->index_ok == NULL) {
			rc = DEXF_ENOMEM;
			goto fail;
		}
		if (r->have_seal &&
		    strcmp(r->seal.container_id, r->m.container_id) != 0)
			dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN,
			    "record-invalid", DEXF_ENTRY_SEAL, NULL, -1, -1, 0,
			    0, "%s: seal belongs to container %s, manifest is "
			    "container %s", DEXF_ENTRY_SEAL,
			    r->seal.container_id, r->m.container_id);
	}
	dexf_report_set_meta(rep, "container-id", r->m.container_id);
	dexf_report_set_meta(rep, "format-version", r->m.format_version);
	dexf_report_set_meta(rep, "created", r->m.created);
	for (int i = 0; i < C_N; i++) {
		char key[32];

		snprintf(key, sizeof(key), "case.%s", dexf_case_fields[i]);
		dexf_report_set_meta(rep, key, r->m.case_[i]);
	}

	/* 4. items */
	rep->cov.items = r->m.nitems;
	rep->items = calloc(r->m.nitems ? r->m.nitems : 1,
	    sizeof(*rep->items));
	if (rep->items == NULL) {
		rc = DEXF_ENOMEM;
		goto fail;
	}
	rep->nitems = r->m.nitems;
	for (size_t i = 0; i < r->m.nitems; i++)
		if (r->m.items[i].kind == DEXF_ITEM_FILE)
			total += r->m.items[i].size;
	for (size_t i = 0; i < r->m.nitems && !canceled; i++) {
		const struct dexf_item *it = &r->m.items[i];
		dexf_item_result *res = &rep->items[i];

		res->path = strdup(it->path);
		res->id = strdup(it->id);
		res->size = it->size;
		for (size_t k = 0; k < it->nunreadable; k++)
			rep->cov.unreadable_bytes += it->unreadable[k].length;
		rep->cov.digests_not_checked += it->unknown_digests;
		if (it->kind != DEXF_ITEM_FILE) {
			res->status = DEXF_ITEM_OK;
			rep->cov.items_checked++;
			continue;
		}
		check_item(r, it, res, acc, o, &done, total, rep, &canceled);
	}
	if (canceled) {
		rc = DEXF_ECANCELED;
		goto fail;
	}
	dexf_chain_check_items(r, rep, !(o->flags & DEXF_VERIFY_QUICK));
	rep->cov.manifest_bound = manifest_bound && seal_ok &&
	    (r->sig_buf == NULL || rep->sig.valid) &&
	    strcmp(r->seal.container_id, r->m.container_id) == 0;

accounting:
	dexf_chain_check_head(rep, o->head);
	/* 5. every entry must be accounted for.  Without a usable manifest
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
	seal_info(rep, r);
	summarize(rep, path);
	free(acc);
	dexf_reader_free(r);
	*out = rep;
	return 0;
fail:
	free(acc);
	dexf_reader_free(r);
	dexf_report_free(rep);
	return rc;
}
