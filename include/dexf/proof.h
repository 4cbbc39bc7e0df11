/*
 * dexf/proof.h - proving a byte range of an item without the container.
 *
 * A proof file (FORMAT.md "Proof files") is a small ZIP holding the seal
 * record and its signature exactly as sealed, the manifest, the plaintext
 * of the chunks that cover one byte range of one item, and for each chunk
 * its RFC 9162 inclusion proof against the item's Merkle root.  Whoever
 * holds it can check, without the container, that those bytes are what
 * the signer sealed: with dexf_verify_proof(), or with unzip, openssl and
 * a few lines of any RFC 9162 implementation.
 */
#ifndef DEXF_PROOF_H
#define DEXF_PROOF_H

#include "common.h"
#include "reader.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Media type, the content of a proof file's first entry `mimetype`. */
#define DEXF_PROOF_MEDIA_TYPE "application/vnd.dexf-proof+zip"
/* The most chunks one proof file covers. */
#define DEXF_PROOF_MAX_CHUNKS 4096

#define DEXF_PROVE_FORCE 0x1u  /* replace an existing output file */

/*
 * Write a proof of bytes [offset, offset + length) of item `item` (stored
 * path or id; length DEXF_TO_END: up to the end of the item) of the open
 * reader `r` (dexf_reader_open()) to the file `path`, through a
 * temporary file next to it that is renamed into place when complete.
 * Each covered chunk is decoded and checked against its index entry, the
 * index against the Merkle root in the manifest, and each chunk's
 * inclusion path against that root, before anything is installed: a
 * proof this function writes verifies.  The seal's signature is copied,
 * not checked (dexf_verify() checks it).
 *
 * Errors (message on r): DEXF_ENOTFOUND no such item; DEXF_EINVAL not a
 * file item, an empty range, a range outside the item, or more than
 * DEXF_PROOF_MAX_CHUNKS chunks; DEXF_EEXISTS `path` exists and `flags`
 * lacks DEXF_PROVE_FORCE; DEXF_EINTEGRITY a chunk or the chunk index does
 * not match; DEXF_EFORMAT / DEXF_EUNSUPPORTED the index cannot be read;
 * DEXF_EIO.
 */
DEXF_EXTERN int dexf_prove(dexf_reader *r, const char *item,
	uint64_t offset, uint64_t length, const char *path, unsigned flags);

/*
 * Verify the proof file at `path` without its container: its ZIP
 * structure, the seal record and its signature, time-stamp token and
 * trust (from opts' anchors only, as dexf_verify()), the manifest against
 * the seal and by every rule of the manifest, the descriptor, and each
 * chunk: its leaf hash recomputed from the data and its inclusion path to
 * the item's Merkle root in the manifest.  The report is a dexf_report of
 * scope DEXF_SCOPE_PROOF with the verdicts and exit codes of dexf_verify().
 *
 * When `fd` >= 0 the proven bytes are written to it: only if everything
 * but the chunk data passed (the verdict so far being at worst
 * intact-unsigned), each chunk's part of the range only after that chunk
 * passed, and nothing from the first chunk that fails on.  So an intact
 * verdict means every byte of the range was written.
 *
 * Returns 0 with a report; DEXF_EIO with the report set (its summary
 * saying why) when writing to `fd` failed; otherwise as dexf_verify().
 * opts->flags must be 0.
 */
DEXF_EXTERN int dexf_verify_proof(dexf_report **out, const char *path,
	int fd, const dexf_verify_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
