/*
 * dexf/verify.h - verifying a container from its bytes.
 *
 * The verifier recomputes every digest from the data, checks the chunk
 * indexes, the manifest, the seal record and its signature, and accounts
 * for every ZIP entry.  It never trusts what the container says about
 * itself: trust comes only from the anchors the caller names.  Integrity
 * (are the bytes what was sealed?) and trust (is the sealer who we think?)
 * are reported apart.
 */
#ifndef DEXF_VERIFY_H
#define DEXF_VERIFY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dexf_report dexf_report;

/* Overall verdict, from best to worst. */
typedef enum {
	DEXF_VERDICT_INTACT_TRUSTED = 0,  /* intact, signer trusted */
	DEXF_VERDICT_INTACT_UNTRUSTED,    /* intact, signer not established */
	DEXF_VERDICT_INTACT_UNSIGNED,     /* intact, sealed without signature */
	DEXF_VERDICT_TAMPERED,            /* a digest does not match the bytes */
	DEXF_VERDICT_CHAIN_BROKEN,        /* seal/record/signature invalid */
	DEXF_VERDICT_UNREADABLE,          /* not a container, truncated, I/O */
	DEXF_VERDICT_UNSUPPORTED          /* unsupported version/algorithm */
} dexf_verdict;

/* Stable lowercase name: "intact-trusted", "intact-untrusted",
 * "intact-unsigned", "tampered", "chain-broken", "unreadable",
 * "unsupported".  Static storage. */
DEXF_EXTERN const char *dexf_verdict_name(dexf_verdict v);

/* Verification flags. */
#define DEXF_VERIFY_QUICK 0x1u  /* structure, manifest, indexes, signature;
                                   no evidence data is read */

typedef struct dexf_verify_opts {
	unsigned flags;
	/* PEM CA bundles (files) or directories of hashed CA certificates. */
	const char *const *trust;
	size_t ntrust;
	/* PEM certificates pinned as trusted signers (exact match). */
	const char *const *signers;
	size_t nsigners;
	dexf_progress_cb progress;
	void *payload;
	/* worker threads reading, inflating and hashing chunks: 0 = every
	 * online CPU, 1 = the calling thread only; the result is the same */
	int threads;
	/* CA bundles or directories trusted for time-stamp authorities */
	const char *const *tsa_trust;
	size_t ntsa_trust;
	/* a head digest kept earlier (hex SHA-256 of a record): the chain
	 * must still reach it, or the verdict is chain-broken */
	const char *head;
} dexf_verify_opts;

/*
 * Verify the container at `path`.  Returns 0 when a report was produced,
 * whatever its verdict (even for a file that is not a container); a
 * negative code only when no report could be made (DEXF_ENOMEM,
 * DEXF_EINVAL, DEXF_ECANCELED).  The caller frees *out with
 * dexf_report_free().  `opts` may be NULL.
 */
DEXF_EXTERN int dexf_verify(dexf_report **out, const char *path,
	const dexf_verify_opts *opts);
DEXF_EXTERN void dexf_report_free(dexf_report *rep);

/*
 * Verify one file item only: the container-level checks of a quick
 * verification (ZIP structure, seal record, signature and trust, manifest
 * and its binding, every chunk index, the record chain, entry accounting;
 * no evidence data), then every chunk of item `item` (stored path or id)
 * with its linear digests, Merkle root and CRC-32, as dexf_verify() does.
 * The other items' data is not read.  The report's scope
 * (dexf_report_scope()) says so, and so does its summary.
 *
 * Returns 0 with a report, whatever its verdict.  When the manifest was
 * read but has no item `item` (DEXF_ENOTFOUND), or it is not a file item
 * (DEXF_EINVAL), *out is still set and its summary says why; these are
 * usage errors, not verdicts.  Other negative codes as dexf_verify().
 * opts->flags must not include DEXF_VERIFY_QUICK.
 */
DEXF_EXTERN int dexf_verify_item(dexf_report **out, const char *path,
	const char *item, const dexf_verify_opts *opts);

/*
 * Verify bytes [offset, offset + length) of file item `item` only: the
 * container-level checks of dexf_verify_item(), then only the chunks that
 * cover the range.  Each is decoded, its leaf hash recomputed from the
 * data and compared with its chunk index entry, and then checked against
 * the Merkle root of the sealed manifest through its RFC 9162 inclusion
 * path, whose sibling hashes are computed from the chunk index (which is
 * read in full, but never trusted: a wrong sibling makes the root
 * mismatch).  Evidence data outside those chunks is not read, so damage
 * there is not found.  `length` DEXF_TO_END means up to the end of the
 * item.  Errors as dexf_verify_item(), and DEXF_EINVAL (report set) for an
 * empty range or one that does not lie inside the item.
 */
#define DEXF_TO_END UINT64_MAX  /* a length: to the end of the item */

DEXF_EXTERN int dexf_verify_range(dexf_report **out, const char *path,
	const char *item, uint64_t offset, uint64_t length,
	const dexf_verify_opts *opts);

/*
 * Check before verifying that a trust anchor can be used: `pinned` 0 for a
 * --trust CA file or hashed directory, 1 for a --signer certificate.
 * 0 when usable; DEXF_ENOTFOUND or DEXF_EINVAL with the reason in `msg`.
 * dexf_verify() itself treats an unusable anchor as one that trusts
 * nobody, so front ends should call this first and report a usage error.
 */
DEXF_EXTERN int dexf_anchor_check(const char *path, int pinned, char *msg,
	size_t msglen);

DEXF_EXTERN dexf_verdict dexf_report_verdict(const dexf_report *rep);
/* One-line summary of the verdict and its first reason; borrowed. */
DEXF_EXTERN const char *dexf_report_summary(const dexf_report *rep);

/* Problems found, in the order found.  Kinds (stable strings):
 * "chunk-mismatch", "digest-mismatch", "merkle-mismatch", "index-mismatch",
 * "size-mismatch", "crc-mismatch", "missing-entry", "extra-entry",
 * "manifest-mismatch", "manifest-invalid", "record-invalid",
 * "signature-invalid", "unsigned", "untrusted", "structure",
 * "unsupported", "io", "record-missing", "link-broken",
 * "timestamp-invalid", "attachment-mismatch", "head-missing", and for
 * proof files "proof-invalid". */
typedef struct dexf_problem {
	const char *kind;
	const char *entry;   /* ZIP entry name, or NULL */
	const char *item;    /* item path, or NULL */
	int64_t chunk;       /* first damaged chunk, -1 if none */
	int64_t chunk_last;  /* last chunk of this damaged run, -1 if none */
	uint64_t offset;     /* damaged byte range in the item (when chunk>=0) */
	uint64_t length;
	const char *message; /* full sentence naming object and place */
} dexf_problem;

DEXF_EXTERN size_t dexf_report_problem_count(const dexf_report *rep);
/* Borrowed; valid until the report is freed. */
DEXF_EXTERN const dexf_problem *dexf_report_problem(const dexf_report *rep,
	size_t i);

/* Per-item results. */
typedef enum {
	DEXF_ITEM_OK = 0,
	DEXF_ITEM_MISMATCH,
	DEXF_ITEM_MISSING,
	DEXF_ITEM_NOT_CHECKED,      /* quick mode, or manifest untrusted */
	DEXF_ITEM_PARTIAL           /* the chunks of a byte range passed; the
	                               rest of the item was not read */
} dexf_item_status;

typedef struct dexf_item_result {
	const char *path;
	const char *id;
	dexf_item_status status;
	uint64_t size;
	uint64_t chunks;            /* chunks in the item */
	uint64_t bad_chunks;        /* chunks whose digest failed */
	const char *sha256;         /* recomputed, hex; NULL if not computed */
} dexf_item_result;

DEXF_EXTERN size_t dexf_report_item_count(const dexf_report *rep);
DEXF_EXTERN const dexf_item_result *dexf_report_item(const dexf_report *rep,
	size_t i);

/* The seal and its signer. */
typedef enum {
	DEXF_TRUST_TRUSTED = 0,
	DEXF_TRUST_UNTRUSTED,     /* chain does not reach a named anchor */
	DEXF_TRUST_EXPIRED,       /* certificate outside its validity now */
	DEXF_TRUST_UNKNOWN,       /* no anchors were given */
	DEXF_TRUST_UNSIGNED,      /* no signature */
	DEXF_TRUST_INVALID        /* signature does not verify */
} dexf_trust;

DEXF_EXTERN const char *dexf_trust_name(dexf_trust t);

typedef struct dexf_seal_info {
	int present;              /* record 0 found and parsed */
	int signed_;              /* a signature file is present */
	int signature_valid;      /* signature verifies over the record bytes */
	dexf_trust trust;
	const char *trust_detail; /* why not trusted, or the anchor used */
	const char *subject;      /* signer certificate subject (RFC 2253) */
	const char *issuer;
	const char *fingerprint;  /* SHA-256 of the certificate DER, hex */
	const char *serial;       /* hex */
	const char *not_before;   /* ISO 8601 UTC */
	const char *not_after;
	const char *signing_time; /* claimed by the signer (CMS attribute) */
	const char *sealed_at;    /* time in the seal record */
	const char *sealed_by;    /* examiner named in the seal record */
	const char *algorithm;    /* e.g. "rsa-pss-sha256", "ecdsa-sha384" */
	const char *manifest_sha256; /* recomputed manifest digest, hex */
} dexf_seal_info;

/* Borrowed; valid until the report is freed. */
DEXF_EXTERN const dexf_seal_info *dexf_report_seal(const dexf_report *rep);

/* What was covered. */
typedef struct dexf_coverage {
	int quick;                /* evidence data was not read */
	uint64_t entries;         /* ZIP entries in the container */
	uint64_t entries_accounted; /* entries referenced by manifest/seal */
	uint64_t items;
	uint64_t items_checked;
	uint64_t chunks_checked;
	uint64_t bytes_hashed;    /* evidence bytes recomputed */
	uint64_t unreadable_bytes; /* bytes declared unreadable at acquisition */
	uint64_t digests_not_checked; /* digests of algorithms this version
	                             does not know (reported, not checked) */
	int manifest_bound;       /* the manifest matches a seal record whose
	                             signature is valid (or that is unsigned):
	                             item results mean "as sealed" only then */
} dexf_coverage;

DEXF_EXTERN const dexf_coverage *dexf_report_coverage(const dexf_report *rep);

/* What a report is about.  Only DEXF_SCOPE_CONTAINER reads every byte of
 * evidence; the others must never be presented as a full verification. */
typedef enum {
	DEXF_SCOPE_CONTAINER = 0, /* dexf_verify(): every item, every chunk */
	DEXF_SCOPE_QUICK,         /* DEXF_VERIFY_QUICK: no evidence data */
	DEXF_SCOPE_ITEM,          /* dexf_verify_item(): one item's chunks */
	DEXF_SCOPE_RANGE,         /* dexf_verify_range(): the chunks covering
	                             one byte range of one item */
	DEXF_SCOPE_PROOF          /* dexf_verify_proof(): a proof file, with
	                             no container */
} dexf_scope_kind;

typedef struct dexf_scope {
	dexf_scope_kind kind;
	const char *item;         /* stored path (ITEM, RANGE, PROOF); NULL
	                             otherwise or when it was not found */
	uint64_t offset, length;  /* the plaintext bytes in scope (ITEM: the
	                             whole item; 0, 0 for CONTAINER, QUICK) */
	int64_t chunk_first;      /* the chunks covering them, -1 if none */
	int64_t chunk_last;
	const char *description;  /* one sentence: what was checked and what
	                             was not */
} dexf_scope;

/* "container", "quick", "item", "range", "proof".  Static storage. */
DEXF_EXTERN const char *dexf_scope_name(dexf_scope_kind k);
/* Borrowed; valid until the report is freed. */
DEXF_EXTERN const dexf_scope *dexf_report_scope(const dexf_report *rep);
/* Container metadata as read (borrowed, may be NULL). */
DEXF_EXTERN const char *dexf_report_get(const dexf_report *rep,
	const char *key);

#ifdef __cplusplus
}
#endif
#endif
