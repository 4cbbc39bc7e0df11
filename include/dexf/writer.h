/*
 * dexf/writer.h - creating containers.
 *
 * Typical use:
 *
 *	dexf_writer *w = NULL;
 *	dexf_writer_new(&w);
 *	dexf_writer_set_case(w, "number", "2026-0042");
 *	dexf_writer_set_signer(w, "key.pem", "cert.pem", NULL, NULL);
 *	dexf_writer_open(w, "case.dexf", 0);
 *	dexf_writer_add_file(w, "disk.img", NULL);
 *	dexf_writer_finish(w);      // writes manifest and seal, renames
 *	dexf_writer_free(w);
 *
 * The writer streams: memory use does not depend on the size of the
 * evidence.  Output goes to a temporary file next to the target, renamed
 * over the target only by a successful dexf_writer_finish(); a writer freed
 * before that removes its temporary file.
 */
#ifndef DEXF_WRITER_H
#define DEXF_WRITER_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dexf_writer dexf_writer;

/* Allocate a writer with default settings (1 MiB chunks, deflate level 1,
 * SHA-256 only, unsigned).  Free with dexf_writer_free(). */
DEXF_EXTERN int dexf_writer_new(dexf_writer **out);
/* Free a writer; removes the temporary file if not finished.  NULL ok. */
DEXF_EXTERN void dexf_writer_free(dexf_writer *w);
/* Message for the last failure on this writer; valid until the next call. */
DEXF_EXTERN const char *dexf_writer_errmsg(const dexf_writer *w);

/* Settings: call before dexf_writer_open(). */

/* Chunk size in bytes: a power of two from 4 KiB to 64 MiB. */
DEXF_EXTERN int dexf_writer_set_chunk_size(dexf_writer *w, uint32_t size);
/* Compression; level 1..9 for deflate (0 = default 1), ignored for store. */
DEXF_EXTERN int dexf_writer_set_compression(dexf_writer *w,
	dexf_compression c, int level);
/* Extra digest algorithms (dexf_hash flags); SHA-256 is always added. */
DEXF_EXTERN int dexf_writer_set_hashes(dexf_writer *w, unsigned hashes);
/* Case metadata.  field: "number", "name", "description",
 * "authorization".  The value is copied. */
DEXF_EXTERN int dexf_writer_set_case(dexf_writer *w, const char *field,
	const char *value);
/* Add a person or organization involved (role e.g. "examiner").  `org`
 * may be NULL.  The first agent with role "examiner" is named in the seal. */
DEXF_EXTERN int dexf_writer_add_agent(dexf_writer *w, const char *role,
	const char *name, const char *org);
/*
 * Metadata for one item, by its stored path (as passed to or derived by
 * the add functions).  May be called before or after the item is added,
 * up to dexf_writer_finish(), which fails if it names no item.  Keys:
 * exhibit, media-type, source.type, source.make, source.model,
 * source.serial, source.description, acquisition.method,
 * acquisition.start, acquisition.end, acquisition.tool, acquisition.notes,
 * unreadable ("OFFSET:LENGTH[,OFFSET:LENGTH...]", bytes).
 */
DEXF_EXTERN int dexf_writer_set_item_meta(dexf_writer *w, const char *path,
	const char *key, const char *value);
/*
 * Seal signer.  key_path: PEM private key (RSA >= 2048 bits, which signs
 * with RSA-PSS, or ECDSA P-256/P-384; Ed25519 fails with
 * DEXF_EUNSUPPORTED while OpenSSL's CMS cannot sign it); cert_path: its PEM certificate;
 * chain_path: optional PEM file of intermediate certificates to embed;
 * passphrase: for an encrypted key, or NULL.  The passphrase is copied and
 * wiped when the writer is freed.  Without a signer the container is sealed
 * unsigned and every verifier reports it as unsigned.
 */
DEXF_EXTERN int dexf_writer_set_signer(dexf_writer *w, const char *key_path,
	const char *cert_path, const char *chain_path, const char *passphrase);
/* Worker threads compressing and hashing chunks: 0 (default) uses every
 * online CPU, 1 works on the calling thread only.  The container is the
 * same byte for byte whatever the number of threads. */
DEXF_EXTERN int dexf_writer_set_threads(dexf_writer *w, int threads);
DEXF_EXTERN int dexf_writer_set_progress(dexf_writer *w, dexf_progress_cb cb,
	void *payload);
/* Total bytes the caller expects to add, for progress (0: unknown). */
DEXF_EXTERN int dexf_writer_set_total(dexf_writer *w, uint64_t total);
DEXF_EXTERN int dexf_writer_set_warning(dexf_writer *w, dexf_warning_cb cb,
	void *payload);

/*
 * Start writing `path`.  Fails with DEXF_EEXISTS if it exists and
 * `overwrite` is 0.  The signer (if any) is loaded here, so a bad key is
 * reported before any evidence is read.
 */
DEXF_EXTERN int dexf_writer_open(dexf_writer *w, const char *path,
	int overwrite);

/*
 * Add a regular file.  `name` is its stored path (relative, '/'-separated,
 * UTF-8); NULL uses the file's base name.  A symbolic link given here is
 * stored as a link, never followed.
 */
DEXF_EXTERN int dexf_writer_add_file(dexf_writer *w, const char *src,
	const char *name);
/*
 * Add a directory tree recursively under `name` (NULL: the directory's base
 * name).  Symbolic links are stored as links and never followed; sockets,
 * FIFOs and devices are skipped with a warning; entries are added in
 * byte order of their names so the result does not depend on readdir().
 */
DEXF_EXTERN int dexf_writer_add_tree(dexf_writer *w, const char *src,
	const char *name);
/* Add everything readable from `fd` (e.g. 0 for stdin) as `name`. */
DEXF_EXTERN int dexf_writer_add_fd(dexf_writer *w, int fd, const char *name);

/* Write chunk indexes, manifest and seal, then rename into place. */
DEXF_EXTERN int dexf_writer_finish(dexf_writer *w);

#ifdef __cplusplus
}
#endif
#endif
