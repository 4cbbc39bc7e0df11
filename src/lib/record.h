/*
 * record.h - records (FORMAT.md "Records"): record 0, the seal, and the
 * custody, annotation and trace-back records appended after it.
 */
#ifndef DEXF_RECORD_H
#define DEXF_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "body.h"
#include "error.h"

typedef struct dexf_record {
	char *format_version;
	unsigned sequence;
	char *kind;
	char *container_id;
	char *time;
	char *agent_role, *agent_name, *agent_org;
	char *tool, *tool_version;
	int has_manifest;
	char *manifest_entry;
	uint64_t manifest_size;
	unsigned char manifest_sha256[32];
	int has_previous;
	char *previous_entry;
	unsigned char previous_sha256[32];
	int has_prev_sig, has_prev_tst;
	unsigned char prev_sig_sha256[32], prev_tst_sha256[32];
	char *signature_entry;    /* declared signature file, or NULL */
	/* body of a record N >= 1: on write, one of these (borrowed) */
	const dexf_custody *w_custody;
	const dexf_annotation *w_annotation;
	const dexf_traceback *w_traceback;
	/* on read */
	dexf_body body;
} dexf_record;

void dexf_record_clear(dexf_record *r);
int dexf_record_write(const dexf_record *r, unsigned char **out,
	size_t *outlen, dexf_err *err);
int dexf_record_parse(dexf_record *r, const unsigned char *buf, size_t len,
	const char *what, dexf_err *err);

#endif
