/*
 * dexf/common.h - export macro and shared types.
 */
#ifndef DEXF_COMMON_H
#define DEXF_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) && __GNUC__ >= 4
#  define DEXF_EXTERN __attribute__((visibility("default")))
#else
#  define DEXF_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Progress callback for long-running calls.  `done` and `total` are bytes of
 * evidence (total is 0 when unknown, e.g. reading stdin).  Return 0 to go
 * on; any other value cancels the call, which then fails with
 * DEXF_ECANCELED.
 */
typedef int (*dexf_progress_cb)(uint64_t done, uint64_t total, void *payload);

/*
 * Warning callback: something was skipped or adjusted but the call goes on
 * (e.g. a special file in a directory tree).  `msg` is valid during the
 * call only.
 */
typedef void (*dexf_warning_cb)(const char *msg, void *payload);

/* Digest algorithms (bit flags; SHA-256 is always computed). */
typedef enum {
	DEXF_HASH_SHA256   = 1u << 0,
	DEXF_HASH_MD5      = 1u << 1,
	DEXF_HASH_SHA1     = 1u << 2,
	DEXF_HASH_SHA512   = 1u << 3,
	DEXF_HASH_SHA3_256 = 1u << 4
} dexf_hash;

#define DEXF_HASH_ALL (DEXF_HASH_SHA256 | DEXF_HASH_MD5 | DEXF_HASH_SHA1 | \
	DEXF_HASH_SHA512 | DEXF_HASH_SHA3_256)

/* Name as used in the manifest ("sha256", "md5", "sha1", "sha512",
 * "sha3-256"); NULL for an unknown value.  Static storage. */
DEXF_EXTERN const char *dexf_hash_name(dexf_hash h);
/* Parse a name as above (case-insensitive); 0 if unknown. */
DEXF_EXTERN dexf_hash dexf_hash_from_name(const char *name);

typedef enum {
	DEXF_COMPRESSION_STORE = 0,
	DEXF_COMPRESSION_DEFLATE = 1
} dexf_compression;

#ifdef __cplusplus
}
#endif
#endif
