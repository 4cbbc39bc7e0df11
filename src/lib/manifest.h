/*
 * manifest.h - the manifest model, its XML form and its semantic checks.
 */
#ifndef DEXF_MANIFEST_H
#define DEXF_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "dexf/reader.h"
#include "digest.h"
#include "error.h"

/* String metadata of an item, by key (see dexf_writer_set_item_meta). */
enum {
	M_EXHIBIT, M_MEDIA_TYPE, M_MTIME, M_MODE, M_LINK_TARGET,
	M_SRC_TYPE, M_SRC_MAKE, M_SRC_MODEL, M_SRC_SERIAL, M_SRC_DESC,
	M_ACQ_METHOD, M_ACQ_START, M_ACQ_END, M_ACQ_TOOL, M_ACQ_NOTES,
	M_UNREADABLE,
	/* storage, as strings for dexf_item_get() */
	M_ENTRY, M_COMPRESSION, M_LEVEL, M_CHUNK_SIZE, M_CHUNK_COUNT,
	M_STORED_SIZE, M_INDEX, M_INDEX_SHA256, M_MERKLE_ROOT,
	M_NMETA
};

/* Key name <-> slot; user-settable keys are those before M_ENTRY
 * except mtime, mode, link-target. */
int dexf_meta_slot(const char *key);
const char *dexf_meta_key(int slot);

typedef struct dexf_range {
	uint64_t offset, length;
} dexf_range;

struct dexf_item {
	char id[16];
	char *path;
	dexf_item_kind kind;
	uint64_t size;
	char *meta[M_NMETA];
	dexf_range *unreadable;
	size_t nunreadable;
	char *digest[DEXF_NHASH];   /* hex, by dexf_hash_at() index */
	size_t unknown_digests;     /* algorithms this version cannot check */
	/* storage (files only) */
	int has_storage;
	int compression;            /* 0 store, 8 deflate */
	int level;
	uint32_t chunk_size;
	uint64_t chunk_count;
	uint64_t stored_size;
	char *entry, *index_entry;
	unsigned char index_sha256[32];
	unsigned char merkle_root[32];
};

typedef struct dexf_agent {
	char *role, *name, *org;
} dexf_agent;

enum { C_NUMBER, C_NAME, C_DESCRIPTION, C_AUTHORIZATION, C_N };

typedef struct dexf_manifest {
	char *format_version;
	int major, minor;
	char *container_id;
	char *created;
	char *producer, *producer_version;
	char *case_[C_N];
	dexf_agent *agents;
	size_t nagents;
	struct dexf_item *items;
	size_t nitems, cap;
} dexf_manifest;

extern const char *const dexf_case_fields[C_N];

void dexf_manifest_clear(dexf_manifest *m);
/* Append a zeroed item; returns it or NULL on ENOMEM. */
struct dexf_item *dexf_manifest_add_item(dexf_manifest *m);
void dexf_item_clear(struct dexf_item *it);
/* Parse "OFF:LEN[,OFF:LEN...]" into ranges; -1 on error. */
int dexf_parse_ranges(const char *s, dexf_range **out, size_t *n);
/* NULL if ranges are non-empty, sorted, disjoint and inside `size`;
 * else a static reason. */
const char *dexf_ranges_check(const dexf_range *r, size_t n, uint64_t size);

/* Serialize only; *out is malloc'd and NUL-terminated.  Check it with
 * dexf_xml_check() before use. */
int dexf_manifest_serialize(const dexf_manifest *m, unsigned char **out,
	size_t *outlen, dexf_err *err);
/* Serialize and validate against the schema; *out is malloc'd. */
int dexf_manifest_write(const dexf_manifest *m, unsigned char **out,
	size_t *outlen, dexf_err *err);
/* Parse, validate and check semantics.  On error `m` is cleared. */
int dexf_manifest_parse(dexf_manifest *m, const unsigned char *buf,
	size_t len, const char *what, dexf_err *err);
/* The same without the schema check, safe on any input: for a caller that
 * checks the same bytes with dexf_xml_check() as well (on another thread)
 * and discards the model unless that passes.  A manifest the schema
 * accepts gives the same model, or the same error, as
 * dexf_manifest_parse().  The patterns of the value types are checked
 * here, so that check may use DEXF_SCHEMA_MANIFEST_SHAPE: a manifest
 * that passes both passes dexf_manifest_parse(). */
int dexf_manifest_parse_unvalidated(dexf_manifest *m,
	const unsigned char *buf, size_t len, const char *what,
	dexf_err *err);

#endif
