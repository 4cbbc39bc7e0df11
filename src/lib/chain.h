/*
 * chain.h - verification of the record chain (FORMAT.md 9 and 11.3).
 */
#ifndef DEXF_CHAIN_INT_H
#define DEXF_CHAIN_INT_H

#include <time.h>

#include "reader_int.h"
#include "report.h"

/* Name of record `seq`'s entry with suffix "xml", "p7s" or "tst". */
void dexf_record_entry(char *out, size_t len, unsigned seq, const char *ext);

/*
 * Check record `seq`'s time-stamp token, if it has one, over its signature
 * bytes `sig`.  Fills `res` and returns 1 when a token is present.  A token
 * that does not verify is reported (timestamp-invalid).  *at gets the
 * token's time when it verifies and its authority is trusted, else 0.
 */
int dexf_chain_timestamp(dexf_reader *r, dexf_report *rep, unsigned char *acc,
	unsigned seq, const unsigned char *sig, size_t siglen,
	const dexf_verify_opts *o, dexf_tsa_result *res, time_t *at);

/*
 * Record the seal as record 0 of the report, then check every record after
 * it: rules, links, signatures, time-stamps and attachments; then the head
 * (--head).  Marks the entries it accounts for in `acc`.
 */
int dexf_chain_verify(dexf_reader *r, dexf_report *rep, unsigned char *acc,
	const dexf_verify_opts *o, int seal_ok, int seal_tst,
	const dexf_tsa_result *seal_tsa);

/* After the items: references from records to items (file items of the
 * manifest, no duplicates) and annotation targets (range inside the item;
 * with `full`, the digest of the annotated bytes of an intact item). */
void dexf_chain_check_items(dexf_reader *r, dexf_report *rep, int full);

/* --head: the receipt `head` must be a record of the intact chain. */
void dexf_chain_check_head(dexf_report *rep, const char *head);

#endif
