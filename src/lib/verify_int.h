/*
 * verify_int.h - the steps of verification (FORMAT.md 11.3) that a
 * container and a proof file share: both carry a seal record, its
 * signature and a manifest, checked by the same code.
 */
#ifndef DEXF_VERIFY_INT_H
#define DEXF_VERIFY_INT_H

#include "reader_int.h"
#include "report.h"

/*
 * Step 1: open the file with `open_zip` (a container's or a proof's
 * profile) and report its failure; then the accounting map `acc` (one
 * byte an entry, malloc'd) with mimetype, record 0, its signature and the
 * manifest marked.  1 when open, 0 when the problem was reported,
 * DEXF_ENOMEM.
 */
int dexf_verify_open(dexf_reader *r, dexf_report *rep, const char *path,
	int (*open_zip)(dexf_reader *, const char *), unsigned char **acc);

/* Count entry `name`, if it exists, as accounted for (step 9). */
void dexf_verify_mark(dexf_reader *r, unsigned char *acc, const char *name);

/*
 * Steps 2, 3 and 7: record 0, its signature, time-stamp token and signer
 * trust, then the records after it (dexf_chain_verify()).  Entries are
 * marked in `acc` as they are accounted for.  *seal_ok tells whether step 2
 * passed.  0, or DEXF_ENOMEM.
 */
int dexf_verify_seal(dexf_reader *r, dexf_report *rep, unsigned char *acc,
	const dexf_verify_opts *o, int *seal_ok);

/*
 * Step 5: read the manifest, compare it with the seal and parse it; sets
 * the report's container metadata.  1 when it parsed (r->m is valid), 0
 * when not (the problem is reported), DEXF_ENOMEM.  *bound tells whether
 * it matched the seal (step 5.3).
 */
int dexf_verify_manifest(dexf_reader *r, dexf_report *rep, const char *path,
	int *bound);

/* The report's item list in manifest order, with the coverage sums of
 * step 8 (unreadable bytes, digests not checked).  0, or DEXF_ENOMEM. */
int dexf_verify_items_init(dexf_report *rep, const dexf_reader *r);

/* Step 10: whether the manifest is bound to a valid seal of the same
 * container (coverage.manifest_bound). */
void dexf_verify_bound(dexf_report *rep, const dexf_reader *r,
	int manifest_bound, int seal_ok);

/* What the report covers (dexf_report_scope()); `it` may be NULL. */
int dexf_verify_scope(dexf_report *rep, dexf_scope_kind kind,
	const struct dexf_item *it, uint64_t offset, uint64_t length);

/* Last step: the seal information and the summary line. */
void dexf_verify_conclude(dexf_report *rep, dexf_reader *r,
	const char *path);

#endif
