/*
 * chain.c - the record chain after the seal (FORMAT.md 9 and 11.3).
 *
 * Each record N >= 1 is checked on its own (schema, rules, signature,
 * time-stamp, attachments) and against the bytes of record N-1 (the
 * previous link), so an edited, removed, inserted, reordered or replayed
 * record is reported at the exact record where the chain breaks.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chain.h"
#include "format.h"
#include "util.h"

#define MAX_ATTACHMENT (256ull << 20)

void
dexf_record_entry(char *out, size_t len, unsigned seq, const char *ext)
{
	snprintf(out, len, "%s%06u.%s", DEXF_RECORDS_PREFIX, seq, ext);
}

static void
mark(dexf_reader *r, unsigned char *acc, const dexf_zipr_entry *e)
{
	if (e != NULL)
		acc[e - r->z.ents] = 1;
}

/* Whole entry, or NULL with the reason in r->err. */
static unsigned char *
slurp(dexf_reader *r, const dexf_zipr_entry *e, size_t max, size_t *len,
    int *rc)
{
	unsigned char *buf = NULL;

	*rc = dexf_zipr_slurp(&r->z, e, max, &buf, len);
	return *rc == 0 ? buf : NULL;
}

int
dexf_chain_timestamp(dexf_reader *r, dexf_report *rep, unsigned char *acc,
    unsigned seq, const unsigned char *sig, size_t siglen,
    const dexf_verify_opts *o, dexf_tsa_result *res, time_t *at)
{
	char name[64];
	const dexf_zipr_entry *e;
	unsigned char *tok;
	size_t len;
	int rc;

	*at = 0;
	memset(res, 0, sizeof(*res));
	dexf_record_entry(name, sizeof(name), seq, "tst");
	if ((e = dexf_zipr_find(&r->z, name)) == NULL)
		return 0;
	mark(r, acc, e);
	if (sig == NULL) {
		dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN,
		    "timestamp-invalid", name, NULL, -1, -1, 0, 0,
		    "%s: time-stamp token for a record without a signature",
		    name);
		return 1;
	}
	if ((tok = slurp(r, e, DEXF_MAX_SIGNATURE, &len, &rc)) == NULL) {
		dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN,
		    "timestamp-invalid", name, NULL, -1, -1, 0, 0, "%s",
		    dexf_errstr(&r->err));
		return 1;
	}
	rc = dexf_tsa_verify(res, tok, len, sig, siglen, o->tsa_trust,
	    o->ntsa_trust, name, &r->err);
	free(tok);
	if (rc != 0) {
		dexf_report_add(rep, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_CHAIN_BROKEN,
		    rc == DEXF_EUNSUPPORTED ? "unsupported" :
		    "timestamp-invalid", name, NULL, -1, -1, 0, 0, "%s",
		    dexf_errstr(&r->err));
		return 1;
	}
	if (res->trust == DEXF_TRUST_TRUSTED)
		*at = res->gen_time;
	return 1;
}

static void
set_problem(dexf_rec_store *st, const char *kind, const char *msg)
{
	if (st->problem == NULL) {
		st->problem = strdup(msg);
		st->problem_kind = kind;
	}
	st->info.valid = 0;
}

/* Add a problem about a record and remember it as the record's first. */
static void
rec_problem(dexf_report *rep, dexf_rec_store *st, dexf_verdict v,
    const char *kind, const char *entry, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
rec_problem(dexf_report *rep, dexf_rec_store *st, dexf_verdict v,
    const char *kind, const char *entry, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dexf_report_add(rep, v, kind, entry, NULL, -1, -1, 0, 0, "%s", buf);
	if (v != DEXF_VERDICT_INTACT_UNTRUSTED)
		set_problem(st, kind, buf);
}

static void
fill_signer(dexf_rec_store *st)
{
	dexf_record_info *in = &st->info;
	dexf_sig_result *s = &st->sig;

	in->signature_valid = s->valid;
	in->trust = s->valid ? s->trust : DEXF_TRUST_INVALID;
	in->trust_detail = s->trust_detail[0] ? s->trust_detail : NULL;
	if (s->subject[0]) {
		in->subject = s->subject;
		in->issuer = s->issuer;
		in->fingerprint = s->fingerprint;
		in->serial = s->serial;
		in->not_before = s->not_before;
		in->not_after = s->not_after;
	}
	in->algorithm = s->algorithm[0] ? s->algorithm : NULL;
}

static void
fill_tsa(dexf_rec_store *st, int present)
{
	dexf_record_info *in = &st->info;

	in->timestamped = present;
	if (!present)
		return;
	in->timestamp_valid = st->tsa.parsed && st->tsa.imprint_ok &&
	    st->tsa.signature_ok;
	in->tsa_trust = in->timestamp_valid ? st->tsa.trust :
	    DEXF_TRUST_INVALID;
	in->timestamp = st->tsa.time[0] ? st->tsa.time : NULL;
	in->tsa_subject = st->tsa.tsa_subject[0] ? st->tsa.tsa_subject : NULL;
}

/* Check the attachments a custody record declares. */
static void
check_attachments(dexf_reader *r, dexf_report *rep, unsigned char *acc,
    dexf_rec_store *st, unsigned seq)
{
	const dexf_custody *c = &st->rec.body.custody;
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s%06u/", DEXF_ATTACH_PREFIX, seq);
	for (size_t i = 0; i < c->nattachments; i++) {
		const dexf_attachment *a = &c->attachments[i];
		const dexf_zipr_entry *e;
		unsigned char *buf, md[32];
		char hex[65];
		size_t len;
		int rc;

		if (strncmp(a->entry, prefix, strlen(prefix)) != 0 ||
		    strchr(a->entry + strlen(prefix), '/') != NULL) {
			rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
			    "record-invalid", st->entry, "%s: attachment '%s' "
			    "is not named %s<name>", st->entry, a->entry,
			    prefix);
			continue;
		}
		if ((e = dexf_zipr_find(&r->z, a->entry)) == NULL) {
			rec_problem(rep, st, DEXF_VERDICT_TAMPERED,
			    "attachment-mismatch", a->entry, "%s: attachment "
			    "declared by record %06u is missing", a->entry,
			    seq);
			continue;
		}
		mark(r, acc, e);
		if (e->usize != a->size) {
			rec_problem(rep, st, DEXF_VERDICT_TAMPERED,
			    "attachment-mismatch", a->entry, "%s: %llu bytes, "
			    "record %06u declares %llu", a->entry,
			    (unsigned long long)e->usize, seq,
			    (unsigned long long)a->size);
			continue;
		}
		if ((buf = slurp(r, e, MAX_ATTACHMENT, &len, &rc)) == NULL) {
			rec_problem(rep, st, rc == DEXF_EIO ?
			    DEXF_VERDICT_UNREADABLE : DEXF_VERDICT_TAMPERED,
			    "attachment-mismatch", a->entry, "%s",
			    dexf_errstr(&r->err));
			continue;
		}
		dexf_sha256(md, buf, len);
		free(buf);
		dexf_hex(hex, md, 32);
		if (strcmp(hex, a->sha256) != 0)
			rec_problem(rep, st, DEXF_VERDICT_TAMPERED,
			    "attachment-mismatch", a->entry, "%s: sha256 %s "
			    "does not match record %06u (%s)", a->entry, hex,
			    seq, a->sha256);
	}
}

/* The rules of FORMAT.md 9.5 that the schema cannot express. */
static int
check_rules(dexf_reader *r, dexf_report *rep, dexf_rec_store *st,
    unsigned seq)
{
	const dexf_record *rec = &st->rec;
	char prev[64], sig[64];

	dexf_record_entry(prev, sizeof(prev), seq - 1, "xml");
	dexf_record_entry(sig, sizeof(sig), seq, "p7s");
	if (rec->sequence != seq) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: holds record number %u "
		    "(records were renamed or reordered)", st->entry,
		    rec->sequence);
		return -1;
	}
	if (strncmp(rec->format_version, "1.", 2) != 0 ||
	    strcmp(rec->format_version + 2, "0") == 0) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: a record after the seal "
		    "needs format version 1.1 or later, not %s", st->entry,
		    rec->format_version);
		return -1;
	}
	if (strcmp(rec->kind, "seal") == 0 || rec->has_manifest ||
	    rec->agent_name == NULL || !rec->has_previous ||
	    rec->signature_entry == NULL) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: a record after the seal "
		    "needs a kind other than seal, an author, a previous link "
		    "and a signature, and no manifest", st->entry);
		return -1;
	}
	if (r->have_seal &&
	    strcmp(rec->container_id, r->seal.container_id) != 0) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: belongs to container %s, "
		    "not %s (replayed from another container)", st->entry,
		    rec->container_id, r->seal.container_id);
		return -1;
	}
	if (strcmp(rec->previous_entry, prev) != 0 ||
	    strcmp(rec->signature_entry, sig) != 0) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: must link to %s and be "
		    "signed in %s", st->entry, prev, sig);
		return -1;
	}
	return 0;
}

/* The previous link against the bytes of record seq-1. */
static int
check_link(dexf_reader *r, dexf_report *rep, dexf_rec_store *st,
    const dexf_rec_store *pst, unsigned seq)
{
	const dexf_record *rec = &st->rec;
	char name[64], hex[65];
	const char *what = NULL;
	const dexf_zipr_entry *e;
	unsigned char md[32];

	dexf_unhex(md, 32, pst->sha);
	if (memcmp(md, rec->previous_sha256, 32) != 0)
		what = "the digest of its record";
	for (int k = 0; what == NULL && k < 2; k++) {
		const char *ext = k == 0 ? "p7s" : "tst";
		int has = k == 0 ? rec->has_prev_sig : rec->has_prev_tst;
		const unsigned char *want = k == 0 ? rec->prev_sig_sha256 :
		    rec->prev_tst_sha256;

		dexf_record_entry(name, sizeof(name), seq - 1, ext);
		e = dexf_zipr_find(&r->z, name);
		if ((e != NULL) != has) {
			what = k == 0 ? "whether it has a signature" :
			    "whether it has a time-stamp";
			break;
		}
		if (e != NULL) {
			unsigned char *buf;
			size_t len;
			int rc;

			if ((buf = slurp(r, e, DEXF_MAX_SIGNATURE, &len,
			    &rc)) == NULL) {
				what = k == 0 ? "its signature (unreadable)" :
				    "its time-stamp (unreadable)";
				break;
			}
			dexf_sha256(md, buf, len);
			free(buf);
			if (memcmp(md, want, 32) != 0)
				what = k == 0 ? "the digest of its signature" :
				    "the digest of its time-stamp";
		}
	}
	if (what == NULL)
		return 0;
	dexf_hex(hex, rec->previous_sha256, 32);
	rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN, "link-broken",
	    st->entry, "%s: does not link to record %06u: %s differs from "
	    "what this record was signed over (record %06u was changed, or "
	    "records were removed, inserted, reordered or replayed)",
	    st->entry, seq - 1, what, seq - 1);
	return -1;
}

static void
check_signature(dexf_reader *r, dexf_report *rep, unsigned char *acc,
    dexf_rec_store *st, const unsigned char *xml, size_t xlen, unsigned seq,
    const dexf_verify_opts *o)
{
	const dexf_zipr_entry *e;
	char name[64];
	unsigned char *sig;
	size_t slen;
	time_t at = 0;
	int rc, has_tst;

	dexf_record_entry(name, sizeof(name), seq, "p7s");
	st->sig.trust = DEXF_TRUST_INVALID;
	if ((e = dexf_zipr_find(&r->z, name)) == NULL) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "signature-invalid", name, "%s: record %06u declares a "
		    "signature, but %s is missing", name, seq, name);
		fill_signer(st);
		return;
	}
	mark(r, acc, e);
	if ((sig = slurp(r, e, DEXF_MAX_SIGNATURE, &slen, &rc)) == NULL) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "signature-invalid", name, "%s", dexf_errstr(&r->err));
		fill_signer(st);
		return;
	}
	has_tst = dexf_chain_timestamp(r, rep, acc, seq, sig, slen, o,
	    &st->tsa, &at);
	fill_tsa(st, has_tst);
	if (has_tst && !st->info.timestamp_valid)
		set_problem(st, "timestamp-invalid",
		    "time-stamp token does not verify");
	rc = dexf_cms_verify(&st->sig, sig, slen, xml, xlen, o->trust,
	    o->ntrust, o->signers, o->nsigners, at, name, &r->err);
	free(sig);
	fill_signer(st);
	if (rc != 0) {
		rec_problem(rep, st, rc == DEXF_EUNSUPPORTED ?
		    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_CHAIN_BROKEN,
		    rc == DEXF_EUNSUPPORTED ? "unsupported" :
		    "signature-invalid", name, "%s", dexf_errstr(&r->err));
		return;
	}
	if (st->sig.trust != DEXF_TRUST_TRUSTED)
		rec_problem(rep, st, DEXF_VERDICT_INTACT_UNTRUSTED,
		    "untrusted", name, "%s: record %06u (%s by %s): signer %s "
		    "is %s: %s", name, seq, st->kind, st->name ? st->name :
		    "?", st->sig.subject, dexf_trust_name(st->sig.trust),
		    st->sig.trust_detail);
}

static void
fill_common(dexf_rec_store *st, const dexf_record *rec)
{
	dexf_record_info *in = &st->info;

	st->time = dexf_strdup(rec->time);
	st->role = dexf_strdup(rec->agent_role);
	st->name = dexf_strdup(rec->agent_name);
	st->org = dexf_strdup(rec->agent_org);
	in->time = st->time;
	in->author.role = st->role;
	in->author.name = st->name;
	in->author.org = st->org;
}

/* 1 if `n` is attachments/NNNNNN/<one component>. */
static int
attachment_name(const char *n)
{
	size_t plen = strlen(DEXF_ATTACH_PREFIX);
	int k;

	if (strncmp(n, DEXF_ATTACH_PREFIX, plen) != 0)
		return 0;
	n += plen;
	for (k = 0; k < 6 && n[k] >= '0' && n[k] <= '9'; k++)
		;
	return k == 6 && n[6] == '/' && n[7] != '\0' &&
	    strchr(n + 7, '/') == NULL;
}

/* Largest N among record entry names; names under META-INF/dexf/ that this
 * version does not define are reported as unsupported. */
static unsigned
scan_names(dexf_reader *r, dexf_report *rep, unsigned char *acc)
{
	size_t plen = strlen(DEXF_RECORDS_PREFIX);
	unsigned max = 0;

	for (size_t i = 0; i < r->z.n; i++) {
		const char *n = r->z.ents[i].name, *p;
		unsigned v = 0;
		int k;

		if (acc[i] || strncmp(n, "META-INF/dexf/", 14) != 0 ||
		    strncmp(n, DEXF_INDEX_PREFIX,
		    strlen(DEXF_INDEX_PREFIX)) == 0 || attachment_name(n))
			continue;
		if (strncmp(n, DEXF_RECORDS_PREFIX, plen) == 0) {
			p = n + plen;
			for (k = 0; k < 6 && p[k] >= '0' && p[k] <= '9'; k++)
				v = v * 10 + (unsigned)(p[k] - '0');
			if (k == 6 && (strcmp(p + 6, ".xml") == 0 ||
			    strcmp(p + 6, ".p7s") == 0 ||
			    strcmp(p + 6, ".tst") == 0)) {
				if (v > max)
					max = v;
				continue;
			}
		}
		acc[i] = 1;
		dexf_report_add(rep, DEXF_VERDICT_UNSUPPORTED, "unsupported", n,
		    NULL, -1, -1, 0, 0, "%s: this reserved name is not "
		    "supported by format 1.1 readers", n);
	}
	return max;
}

static int
grow(dexf_report *rep, size_t n)
{
	dexf_rec_store *s = calloc(n, sizeof(*s));

	if (s == NULL)
		return -1;
	rep->recs = s;
	rep->nrecs = 0;
	return 0;
}

int
dexf_chain_verify(dexf_reader *r, dexf_report *rep, unsigned char *acc,
    const dexf_verify_opts *o, int seal_ok, int seal_tst,
    const dexf_tsa_result *seal_tsa)
{
	unsigned max = scan_names(r, rep, acc), seq;
	size_t intact = 0;      /* records 0..intact-1 form an unbroken chain */
	dexf_rec_store *st;
	unsigned char md[32];

	rep->tail_off = r->z.file_size;
	rep->tail_len = r->z.tail;
	if (!r->have_seal)
		return 0;
	if (grow(rep, (size_t)max + 1) != 0)
		return DEXF_ENOMEM;
	/* record 0: the seal, checked by the caller */
	st = &rep->recs[0];
	rep->nrecs = 1;
	snprintf(st->entry, sizeof(st->entry), "%s", DEXF_ENTRY_SEAL);
	snprintf(st->kind, sizeof(st->kind), "seal");
	dexf_sha256(md, r->seal_buf, r->seal_len);
	dexf_hex(st->sha, md, 32);
	st->info.sequence = 0;
	st->info.kind = DEXF_RECORD_SEAL;
	st->info.kind_name = st->kind;
	st->info.entry = st->entry;
	st->info.sha256 = st->sha;
	fill_common(st, &r->seal);
	st->sig = rep->sig;
	if (r->sig_buf != NULL)
		fill_signer(st);
	else
		st->info.trust = DEXF_TRUST_UNSIGNED;
	if (seal_tst)
		st->tsa = *seal_tsa;
	fill_tsa(st, seal_tst);
	st->info.valid = seal_ok && (r->sig_buf == NULL || rep->sig.valid) &&
	    (!seal_tst || st->info.timestamp_valid);
	if (!st->info.valid) {
		st->problem = strdup("the seal record or its signature is "
		    "missing or invalid");
		st->problem_kind = !seal_ok ? "record-invalid" :
		    seal_tst && !st->info.timestamp_valid ?
		    "timestamp-invalid" : "signature-invalid";
	}
	st->info.problem = st->problem;
	st->info.problem_kind = st->problem_kind;
	intact = st->info.valid ? 1 : 0;

	for (seq = 1; seq <= max; seq++) {
		const dexf_zipr_entry *e;
		unsigned char *xml;
		size_t xlen;
		int rc, rules_ok;

		st = &rep->recs[seq];
		dexf_record_entry(st->entry, sizeof(st->entry), seq, "xml");
		st->info.sequence = seq;
		st->info.entry = st->entry;
		st->info.sha256 = st->sha;
		st->info.valid = 1;
		st->info.trust = DEXF_TRUST_INVALID;
		if ((e = dexf_zipr_find(&r->z, st->entry)) == NULL) {
			char last[64];

			dexf_record_entry(last, sizeof(last), max, "xml");
			dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN,
			    "record-missing", st->entry, NULL, -1, -1, 0, 0,
			    "%s: record %06u is missing, but records up to "
			    "%06u exist", st->entry, seq, max);
			/* the records after the gap cannot be linked: they
			 * are accounted for, not checked */
			for (size_t i = 0; i < r->z.n; i++)
				if (strncmp(r->z.ents[i].name,
				    DEXF_RECORDS_PREFIX,
				    strlen(DEXF_RECORDS_PREFIX)) == 0)
					acc[i] = 1;
			break;
		}
		rep->nrecs = seq + 1;
		mark(r, acc, e);
		/* its signature and token belong to it even when the record
		 * itself cannot be read */
		{
			char n2[64];

			dexf_record_entry(n2, sizeof(n2), seq, "p7s");
			mark(r, acc, dexf_zipr_find(&r->z, n2));
			dexf_record_entry(n2, sizeof(n2), seq, "tst");
			mark(r, acc, dexf_zipr_find(&r->z, n2));
		}
		if ((xml = slurp(r, e, DEXF_MAX_RECORD, &xlen, &rc)) == NULL) {
			rec_problem(rep, st, rc == DEXF_EIO ?
			    DEXF_VERDICT_UNREADABLE : DEXF_VERDICT_CHAIN_BROKEN,
			    "record-invalid", st->entry, "%s",
			    dexf_errstr(&r->err));
			goto next;
		}
		dexf_sha256(md, xml, xlen);
		dexf_hex(st->sha, md, 32);
		rc = dexf_record_parse(&st->rec, xml, xlen, st->entry, &r->err);
		if (rc != 0) {
			rec_problem(rep, st, rc == DEXF_EUNSUPPORTED ?
			    DEXF_VERDICT_UNSUPPORTED : DEXF_VERDICT_CHAIN_BROKEN,
			    rc == DEXF_EUNSUPPORTED ? "unsupported" :
			    "record-invalid", st->entry, "%s",
			    dexf_errstr(&r->err));
			free(xml);
			goto next;
		}
		st->parsed = 1;
		snprintf(st->kind, sizeof(st->kind), "%s", st->rec.kind);
		st->info.kind_name = st->kind;
		st->info.kind = (dexf_record_kind)st->rec.body.kind;
		fill_common(st, &st->rec);
		switch (st->rec.body.kind) {
		case DEXF_RECORD_CUSTODY:
			st->info.custody = &st->rec.body.custody;
			break;
		case DEXF_RECORD_ANNOTATION:
			st->info.annotation = &st->rec.body.annotation;
			break;
		case DEXF_RECORD_TRACEBACK:
			st->info.traceback = &st->rec.body.traceback;
			break;
		default:
			break;
		}
		rules_ok = check_rules(r, rep, st, seq) == 0;
		if (rules_ok)
			(void)check_link(r, rep, st, &rep->recs[seq - 1], seq);
		check_signature(r, rep, acc, st, xml, xlen, seq, o);
		free(xml);
		/* a record that is not where it claims to be has no
		 * attachments of its own to check */
		if (rules_ok && st->info.custody != NULL)
			check_attachments(r, rep, acc, st, seq);
	next:
		st->info.problem = st->problem;
		st->info.problem_kind = st->problem_kind;
		if (intact == seq && st->info.valid)
			intact = seq + 1;
	}
	/* the head is the newest record of the unbroken chain */
	if (intact > 0) {
		snprintf(rep->head, sizeof(rep->head), "%s",
		    rep->recs[intact - 1].sha);
		rep->head_seq = (unsigned)(intact - 1);
	}
	return 0;
}

static const struct dexf_item *
file_item(const dexf_reader *r, const char *path)
{
	for (size_t i = 0; path != NULL && i < r->m.nitems; i++)
		if (strcmp(r->m.items[i].path, path) == 0)
			return r->m.items[i].kind == DEXF_ITEM_FILE ?
			    &r->m.items[i] : NULL;
	return NULL;
}

static void
check_refs(dexf_reader *r, dexf_report *rep, dexf_rec_store *st,
    const dexf_item_ref *refs, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		if (file_item(r, refs[i].item) == NULL) {
			rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
			    "record-invalid", st->entry, "%s: %s '%s' is not a "
			    "file item of the manifest", st->entry, what,
			    refs[i].item);
			return;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(refs[k].item, refs[i].item) == 0) {
				rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
				    "record-invalid", st->entry, "%s: %s '%s' "
				    "is listed twice", st->entry, what,
				    refs[i].item);
				return;
			}
	}
}

/* Annotation target: the item, the range, and (full verification, item
 * intact) the digest of the annotated bytes. */
static void
check_target(dexf_reader *r, dexf_report *rep, dexf_rec_store *st,
    int full)
{
	const dexf_annotation *an = &st->rec.body.annotation;
	const struct dexf_item *it = file_item(r, an->item);
	size_t idx;
	char hex[65];

	if (it == NULL) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: annotated item '%s' is "
		    "not a file item of the manifest", st->entry, an->item);
		return;
	}
	if (an->has_range && (an->offset > it->size ||
	    an->length > it->size - an->offset)) {
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: range %llu:%llu lies "
		    "outside item '%s' (%llu bytes)", st->entry,
		    (unsigned long long)an->offset,
		    (unsigned long long)an->length, an->item,
		    (unsigned long long)it->size);
		return;
	}
	idx = (size_t)(it - r->m.items);
	if (!full || idx >= rep->nitems ||
	    rep->items[idx].status != DEXF_ITEM_OK)
		return;
	if (!an->has_range) {
		snprintf(hex, sizeof(hex), "%s", it->digest[0]);
	} else {
		/* a failed read is the item's own problem, reported there */
		if (dexf_reader_hash_range(r, it, an->offset, an->length,
		    hex) != 0)
			return;
	}
	if (strcmp(hex, an->sha256) != 0)
		rec_problem(rep, st, DEXF_VERDICT_CHAIN_BROKEN,
		    "record-invalid", st->entry, "%s: annotation target digest "
		    "does not match the annotated bytes of '%s' (%s, record "
		    "says %s)", st->entry, an->item, hex, an->sha256);
}

void
dexf_chain_check_items(dexf_reader *r, dexf_report *rep, int full)
{
	if (!r->have_manifest)
		return;
	for (size_t i = 1; i < rep->nrecs; i++) {
		dexf_rec_store *st = &rep->recs[i];
		int was_valid = st->info.valid;

		if (!st->parsed)
			continue;
		if (st->info.custody != NULL)
			check_refs(r, rep, st, st->info.custody->items,
			    st->info.custody->nitems, "item");
		if (st->info.traceback != NULL)
			for (size_t h = 0; h < st->info.traceback->nhops; h++)
				check_refs(r, rep, st,
				    st->info.traceback->hops[h].evidence,
				    st->info.traceback->hops[h].nevidence,
				    "evidence");
		if (st->info.annotation != NULL)
			check_target(r, rep, st, full);
		st->info.problem = st->problem;
		st->info.problem_kind = st->problem_kind;
		/* a record found invalid here ends the intact chain */
		if (was_valid && !st->info.valid && rep->head[0] &&
		    rep->head_seq >= i) {
			snprintf(rep->head, sizeof(rep->head), "%s",
			    rep->recs[i - 1].sha);
			rep->head_seq = (unsigned)(i - 1);
		}
	}
}

void
dexf_chain_check_head(dexf_report *rep, const char *head)
{
	size_t n = rep->head[0] ? (size_t)rep->head_seq + 1 : 0;
	int found = 0;

	if (head == NULL)
		return;
	for (size_t i = 0; i < n && !found; i++)
		found = strcasecmp(rep->recs[i].sha, head) == 0;
	if (!found)
		dexf_report_add(rep, DEXF_VERDICT_CHAIN_BROKEN, "head-missing",
		    n ? rep->recs[n - 1].entry : NULL, NULL, -1, -1, 0, 0,
		    "the chain no longer reaches head %s: records were removed "
		    "from the end, or this is another container (newest intact "
		    "record: %s)", head, n ? rep->recs[n - 1].entry : "none");
}
