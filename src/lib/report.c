/*
 * report.c - verification report: problems, items, seal, coverage.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iodef.h"
#include "report.h"
#include "util.h"

const char *
dexf_verdict_name(dexf_verdict v)
{
	switch (v) {
	case DEXF_VERDICT_INTACT_TRUSTED: return "intact-trusted";
	case DEXF_VERDICT_INTACT_UNTRUSTED: return "intact-untrusted";
	case DEXF_VERDICT_INTACT_UNSIGNED: return "intact-unsigned";
	case DEXF_VERDICT_TAMPERED: return "tampered";
	case DEXF_VERDICT_CHAIN_BROKEN: return "chain-broken";
	case DEXF_VERDICT_UNREADABLE: return "unreadable";
	case DEXF_VERDICT_UNSUPPORTED: return "unsupported";
	}
	return "unknown";
}

const char *
dexf_trust_name(dexf_trust t)
{
	switch (t) {
	case DEXF_TRUST_TRUSTED: return "trusted";
	case DEXF_TRUST_UNTRUSTED: return "untrusted";
	case DEXF_TRUST_EXPIRED: return "expired";
	case DEXF_TRUST_UNKNOWN: return "unknown";
	case DEXF_TRUST_UNSIGNED: return "unsigned";
	case DEXF_TRUST_INVALID: return "invalid";
	}
	return "unknown";
}

/* Verdict severity: "unsupported" and "unreadable" stop everything, then
 * broken chain, tampering, and the intact ones. */
static int
severity(dexf_verdict v)
{
	switch (v) {
	case DEXF_VERDICT_INTACT_TRUSTED: return 0;
	case DEXF_VERDICT_INTACT_UNTRUSTED: return 1;
	case DEXF_VERDICT_INTACT_UNSIGNED: return 2;
	case DEXF_VERDICT_TAMPERED: return 3;
	case DEXF_VERDICT_CHAIN_BROKEN: return 4;
	case DEXF_VERDICT_UNREADABLE: return 5;
	case DEXF_VERDICT_UNSUPPORTED: return 6;
	}
	return 6;
}

int
dexf_report_add(dexf_report *rep, dexf_verdict v, const char *kind,
    const char *entry, const char *item, int64_t chunk, int64_t last,
    uint64_t off, uint64_t len, const char *fmt, ...)
{
	dexf_problem *p;
	char buf[1024];
	va_list ap;

	if (severity(v) > severity(rep->verdict))
		rep->verdict = v;
	if (rep->nproblems == rep->capproblems) {
		size_t nc = rep->capproblems ? rep->capproblems * 2 : 8;

		/* A wholly corrupt item must not make the report huge:
		 * past this many problems only the verdict is kept. */
		if (nc > 100000)
			return 0;
		p = realloc(rep->problems, nc * sizeof(*p));
		if (p == NULL)
			return -1;
		rep->problems = p;
		rep->capproblems = nc;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p = &rep->problems[rep->nproblems++];
	p->kind = kind;
	p->entry = dexf_strdup(entry);
	p->item = dexf_strdup(item);
	p->chunk = chunk;
	p->chunk_last = last;
	p->offset = off;
	p->length = len;
	p->message = strdup(buf);
	return 0;
}

int
dexf_report_set_meta(dexf_report *rep, const char *key, const char *val)
{
	if (val == NULL || rep->nmeta >= 16)
		return 0;
	rep->meta_keys[rep->nmeta] = strdup(key);
	rep->meta_vals[rep->nmeta] = strdup(val);
	rep->nmeta++;
	return 0;
}

void
dexf_report_free(dexf_report *rep)
{
	if (rep == NULL)
		return;
	for (size_t i = 0; i < rep->nproblems; i++) {
		free((char *)rep->problems[i].entry);
		free((char *)rep->problems[i].item);
		free((char *)rep->problems[i].message);
	}
	free(rep->problems);
	for (size_t i = 0; i < rep->nitems; i++) {
		free((char *)rep->items[i].path);
		free((char *)rep->items[i].id);
		free((char *)rep->items[i].sha256);
	}
	free(rep->items);
	for (size_t i = 0; i < rep->nmeta; i++) {
		free(rep->meta_keys[i]);
		free(rep->meta_vals[i]);
	}
	free(rep->summary);
	free(rep->sealed_at);
	free(rep->sealed_by);
	free(rep->manifest_sha256);
	free(rep->trust_detail);
	free(rep->scope_item);
	free(rep->scope_text);
	for (size_t i = 0; i < rep->nrecs; i++) {
		dexf_rec_store *st = &rep->recs[i];

		dexf_record_clear(&st->rec);
		free(st->problem);
		free(st->time);
		free(st->role);
		free(st->name);
		free(st->org);
	}
	free(rep->recs);
	free(rep);
}

size_t
dexf_report_record_count(const dexf_report *rep)
{
	return rep ? rep->nrecs : 0;
}

const dexf_record_info *
dexf_report_record(const dexf_report *rep, size_t i)
{
	return rep && i < rep->nrecs ? &rep->recs[i].info : NULL;
}

unsigned
dexf_report_head_sequence(const dexf_report *rep)
{
	return rep && rep->head[0] ? rep->head_seq : 0;
}

const char *
dexf_report_head(const dexf_report *rep)
{
	return rep && rep->head[0] ? rep->head : NULL;
}

int
dexf_report_trailing(const dexf_report *rep, uint64_t *offset,
    uint64_t *bytes)
{
	if (rep == NULL || rep->tail_len == 0)
		return 0;
	if (offset)
		*offset = rep->tail_off;
	if (bytes)
		*bytes = rep->tail_len;
	return 1;
}

dexf_verdict
dexf_report_verdict(const dexf_report *rep)
{
	return rep ? rep->verdict : DEXF_VERDICT_UNREADABLE;
}

const char *
dexf_report_summary(const dexf_report *rep)
{
	return rep && rep->summary ? rep->summary : "";
}

size_t
dexf_report_problem_count(const dexf_report *rep)
{
	return rep ? rep->nproblems : 0;
}

const dexf_problem *
dexf_report_problem(const dexf_report *rep, size_t i)
{
	return rep && i < rep->nproblems ? &rep->problems[i] : NULL;
}

size_t
dexf_report_item_count(const dexf_report *rep)
{
	return rep ? rep->nitems : 0;
}

const dexf_item_result *
dexf_report_item(const dexf_report *rep, size_t i)
{
	return rep && i < rep->nitems ? &rep->items[i] : NULL;
}

const dexf_seal_info *
dexf_report_seal(const dexf_report *rep)
{
	return rep ? &rep->seal : NULL;
}

const dexf_coverage *
dexf_report_coverage(const dexf_report *rep)
{
	return rep ? &rep->cov : NULL;
}

const char *
dexf_scope_name(dexf_scope_kind k)
{
	switch (k) {
	case DEXF_SCOPE_CONTAINER: return "container";
	case DEXF_SCOPE_QUICK: return "quick";
	case DEXF_SCOPE_ITEM: return "item";
	case DEXF_SCOPE_RANGE: return "range";
	case DEXF_SCOPE_PROOF: return "proof";
	}
	return "unknown";
}

const dexf_scope *
dexf_report_scope(const dexf_report *rep)
{
	return rep ? &rep->scope : NULL;
}

const char *
dexf_report_get(const dexf_report *rep, const char *key)
{
	if (rep == NULL || key == NULL)
		return NULL;
	for (size_t i = 0; i < rep->nmeta; i++)
		if (strcmp(rep->meta_keys[i], key) == 0)
			return rep->meta_vals[i];
	return NULL;
}

int
dexf_report_iodef(const dexf_report *rep, char **out, size_t *outlen)
{
	const dexf_record_info **recs;
	int rc;

	if (rep == NULL || out == NULL || outlen == NULL)
		return DEXF_EINVAL;
	*out = NULL;
	*outlen = 0;
	if (rep->nrecs == 0)
		return DEXF_ENOTFOUND;
	if ((recs = calloc(rep->nrecs, sizeof(*recs))) == NULL)
		return DEXF_ENOMEM;
	for (size_t i = 0; i < rep->nrecs; i++)
		recs[i] = &rep->recs[i].info;
	rc = dexf_iodef_write(recs, rep->nrecs, dexf_report_get(rep,
	    "container-id"), out, outlen);
	free(recs);
	return rc;
}
