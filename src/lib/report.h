/*
 * report.h - the verification report object.
 */
#ifndef DEXF_REPORT_H
#define DEXF_REPORT_H

#include "dexf/verify.h"
#include "dexf/chain.h"
#include "cms.h"
#include "record.h"
#include "tsa.h"

/* One record of the chain as verified, with the storage behind its
 * public view. */
typedef struct dexf_rec_store {
	dexf_record_info info;
	dexf_record rec;           /* parsed record (0 for the seal: unused) */
	int parsed;
	dexf_sig_result sig;
	dexf_tsa_result tsa;
	char entry[48], sha[65], kind[16];
	char *problem;
	const char *problem_kind;  /* static string */
	char *time, *role, *name, *org;
} dexf_rec_store;

struct dexf_report {
	dexf_verdict verdict;
	char *summary;
	dexf_problem *problems;
	size_t nproblems, capproblems;
	dexf_item_result *items;
	size_t nitems;
	dexf_seal_info seal;
	dexf_sig_result sig;       /* storage behind seal's strings */
	char *sealed_at, *sealed_by, *manifest_sha256, *trust_detail;
	dexf_coverage cov;
	char *meta_keys[16], *meta_vals[16];
	size_t nmeta;
	dexf_rec_store *recs;
	size_t nrecs;
	char head[65];             /* empty: none */
	unsigned head_seq;
	uint64_t tail_off, tail_len;
	dexf_scope scope;
	char *scope_item, *scope_text; /* storage behind scope's strings */
};

/* Record a problem and worsen the verdict to at least `v`. */
int dexf_report_add(dexf_report *rep, dexf_verdict v, const char *kind,
	const char *entry, const char *item, int64_t chunk, int64_t last,
	uint64_t off, uint64_t len, const char *fmt, ...)
	__attribute__((format(printf, 10, 11)));
int dexf_report_set_meta(dexf_report *rep, const char *key, const char *val);

#endif
