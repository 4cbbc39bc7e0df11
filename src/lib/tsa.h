/*
 * tsa.h - RFC 3161 time-stamp tokens: asking an authority for one, and
 * checking one over the bytes it stamps.
 */
#ifndef DEXF_TSA_H
#define DEXF_TSA_H

#include <stddef.h>
#include <time.h>

#include "dexf/verify.h"
#include "error.h"

/* The largest token or reply we read: real tokens are a few KiB. */
#define DEXF_TSA_MAX (1024 * 1024)

typedef struct dexf_tsa_result {
	int parsed;            /* token is a TimeStampToken */
	int imprint_ok;        /* messageImprint == SHA-256(data) (sha256/384/512 imprints accepted) */
	int signature_ok;      /* the token's CMS signature verifies (TSA certificate from the token) */
	dexf_trust trust;      /* TSA certificate chain vs tsa_trust anchors only; DEXF_TRUST_UNKNOWN when none given */
	char trust_detail[512];
	time_t gen_time;       /* genTime */
	char time[24];         /* genTime as YYYY-MM-DDTHH:MM:SSZ */
	char tsa_subject[512], serial[96], policy[128];
} dexf_tsa_result;

/*
 * POST an RFC 3161 request (SHA-256 imprint of `data`, random 64-bit
 * nonce, certReq true) to the http:// URL `url` and wait at most `timeout`
 * seconds (0 = 30) for the reply.  On success *tok is the TimeStampToken
 * (DER ContentInfo, what `openssl ts -reply -token_out` writes), malloc'd,
 * owned by the caller.  Errors: DEXF_EINVAL for a URL that is not http://,
 * DEXF_ENETWORK when the authority cannot be reached or refuses (the
 * message names the URL and the reason: connection refused, HTTP status,
 * PKI status and failure info), DEXF_EFORMAT for a malformed reply or one
 * that does not answer this request (imprint, nonce), DEXF_EINTEGRITY
 * when the token's own signature does not verify.
 */
int dexf_tsa_request(const char *url, const unsigned char *data, size_t len,
	int timeout, unsigned char **tok, size_t *toklen, dexf_err *err);

/*
 * Verify token `tok` over `data` (the bytes whose digest is the imprint:
 * for a record, its .p7s bytes).  Always fills `res`.  Returns 0 when the
 * token parses and its imprint and signature are good; trust is reported
 * in res->trust, not in the return value.  DEXF_EINTEGRITY when the
 * imprint does not match or the signature does not verify, DEXF_EFORMAT
 * when `tok` is not a TimeStampToken (or is larger than DEXF_TSA_MAX).
 * Messages start with `what`.  Trust comes only from `tsa_trust` (CA files
 * or hashed directories), never from certificates in the token; the TSA
 * certificate needs the critical timeStamping extended key usage, and its
 * chain is judged at genTime.
 */
int dexf_tsa_verify(dexf_tsa_result *res, const unsigned char *tok,
	size_t len, const unsigned char *data, size_t dlen,
	const char *const *tsa_trust, size_t ntrust, const char *what,
	dexf_err *err);

#endif
