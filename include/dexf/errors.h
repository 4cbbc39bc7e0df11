/*
 * dexf/errors.h - error codes.  Every function that can fail returns 0 on
 * success or one of these negative codes; the message describing the
 * failure is kept on the handle the function was called on
 * (dexf_writer_errmsg(), dexf_reader_errmsg()).  Each code is a decision
 * the caller can make.
 */
#ifndef DEXF_ERRORS_H
#define DEXF_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	DEXF_OK = 0,
	DEXF_ENOTFOUND = -1,    /* named item, file or entry does not exist */
	DEXF_EFORMAT = -2,      /* not a dexf container, or its structure is
	                           corrupt/unreadable (bad ZIP, bad XML) */
	DEXF_EINTEGRITY = -3,   /* bytes do not match their digest/signature */
	DEXF_EUNTRUSTED = -4,   /* signature valid, signer not established */
	DEXF_EIO = -5,          /* operating system I/O error */
	DEXF_ENOMEM = -6,       /* out of memory */
	DEXF_EINVAL = -7,       /* invalid argument or option */
	DEXF_EUNSUPPORTED = -8, /* unsupported version, algorithm or feature */
	DEXF_EEXISTS = -9,      /* target exists and overwriting was not asked */
	DEXF_ECANCELED = -10,   /* a callback asked to stop */
	DEXF_ECRYPTO = -11,     /* key/certificate unusable, signing failed */
	DEXF_EBUSY = -12,       /* another process holds the container's lock */
	DEXF_ENETWORK = -13     /* a remote service (time-stamp authority)
	                           could not be reached or refused */
} dexf_error;

/* Short description of a code ("integrity failure"); static storage. */
DEXF_EXTERN const char *dexf_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
