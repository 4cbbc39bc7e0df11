/*
 * record.h - custody records (FORMAT.md "Records").  Version 1.0 writes
 * and reads record 0, the seal.
 */
#ifndef DEXF_RECORD_H
#define DEXF_RECORD_H

#include <stddef.h>
#include <stdint.h>

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
	char *signature_entry;    /* declared signature file, or NULL */
} dexf_record;

void dexf_record_clear(dexf_record *r);
int dexf_record_write(const dexf_record *r, unsigned char **out,
	size_t *outlen, dexf_err *err);
int dexf_record_parse(dexf_record *r, const unsigned char *buf, size_t len,
	const char *what, dexf_err *err);

#endif
