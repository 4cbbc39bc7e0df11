/*
 * dexf/reader.h - opening containers, listing and reading evidence.
 *
 * dexf_reader_open() validates the ZIP structure and the manifest (schema
 * and limits) but does not check digests or signatures: use dexf_verify()
 * for that.  Reads of item data do check each chunk they touch against the
 * chunk index, so dexf_reader_read() never returns bytes whose chunk
 * digest is wrong.
 */
#ifndef DEXF_READER_H
#define DEXF_READER_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dexf_reader dexf_reader;
typedef struct dexf_item dexf_item;

typedef enum {
	DEXF_ITEM_FILE = 0,
	DEXF_ITEM_SYMLINK = 1,
	DEXF_ITEM_DIRECTORY = 2
} dexf_item_kind;

DEXF_EXTERN int dexf_reader_new(dexf_reader **out);
/* NULL ok. */
DEXF_EXTERN void dexf_reader_free(dexf_reader *r);
/* Message for the last failure on this reader; valid until the next call. */
DEXF_EXTERN const char *dexf_reader_errmsg(const dexf_reader *r);

/* Open and validate a container.  DEXF_EFORMAT: not a readable dexf
 * container; DEXF_EUNSUPPORTED: newer major version or unknown algorithm;
 * DEXF_EIO: I/O. */
DEXF_EXTERN int dexf_reader_open(dexf_reader *r, const char *path);

/*
 * Container-level metadata.  Strings are borrowed and valid until the
 * reader is freed; NULL when absent.  Keys: "format-version",
 * "container-id", "created", "producer", "producer-version",
 * "case.number", "case.name", "case.description", "case.authorization".
 */
DEXF_EXTERN const char *dexf_reader_get(const dexf_reader *r,
	const char *key);
DEXF_EXTERN size_t dexf_reader_agent_count(const dexf_reader *r);
/* Agent i: role, name, organization (each borrowed, NULL when absent). */
DEXF_EXTERN int dexf_reader_agent(const dexf_reader *r, size_t i,
	const char **role, const char **name, const char **org);

DEXF_EXTERN size_t dexf_reader_item_count(const dexf_reader *r);
/* Item i in manifest order; borrowed, valid until the reader is freed. */
DEXF_EXTERN const dexf_item *dexf_reader_item(const dexf_reader *r,
	size_t i);
/* Find by stored path or id.  DEXF_ENOTFOUND if none. */
DEXF_EXTERN int dexf_reader_find(const dexf_item **out,
	const dexf_reader *r, const char *path_or_id);

DEXF_EXTERN const char *dexf_item_id(const dexf_item *it);
DEXF_EXTERN const char *dexf_item_path(const dexf_item *it);
DEXF_EXTERN dexf_item_kind dexf_item_kind_of(const dexf_item *it);
DEXF_EXTERN uint64_t dexf_item_size(const dexf_item *it);
/* Hex digest as recorded in the manifest, or NULL if not recorded. */
DEXF_EXTERN const char *dexf_item_digest(const dexf_item *it, dexf_hash h);
/*
 * Other item metadata by key (borrowed; NULL when absent): exhibit,
 * media-type, mtime, mode, link-target, source.*, acquisition.*
 * (see dexf_writer_set_item_meta), unreadable, chunk-size, chunk-count,
 * compression, merkle-root, entry, index-entry.
 */
DEXF_EXTERN const char *dexf_item_get(const dexf_item *it, const char *key);

/*
 * Read up to `len` bytes of item `it` at `offset` into `buf`, touching only
 * the chunks that cover the range.  *nread is set to the bytes read (fewer
 * than len only at the end of the item).  Each chunk read is checked
 * against its chunk-index digest: DEXF_EINTEGRITY names the chunk.
 */
DEXF_EXTERN int dexf_reader_read(dexf_reader *r, const dexf_item *it,
	uint64_t offset, void *buf, size_t len, size_t *nread);

/*
 * Write the whole item to `fd`, checking every chunk, the item's SHA-256
 * and its Merkle root on the way.  On DEXF_EINTEGRITY some bytes may have
 * been written; the caller must discard them.
 */
DEXF_EXTERN int dexf_reader_extract(dexf_reader *r, const dexf_item *it,
	int fd, dexf_progress_cb cb, void *payload);

#ifdef __cplusplus
}
#endif
#endif
