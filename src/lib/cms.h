/*
 * cms.h - detached CMS signatures over record bytes, and signer trust.
 */
#ifndef DEXF_CMS_H
#define DEXF_CMS_H

#include <stddef.h>
#include <time.h>

#include "dexf/verify.h"
#include "error.h"

typedef struct dexf_signer dexf_signer;

int dexf_signer_load(dexf_signer **out, const char *key_path,
	const char *cert_path, const char *chain_path, const char *passphrase,
	dexf_err *err);
void dexf_signer_free(dexf_signer *s);
/* Examiner-readable subject of the signer certificate (CN if present). */
const char *dexf_signer_name(const dexf_signer *s);

/* 1 if the signer certificate has expired; `when` gets its notAfter. */
int dexf_signer_expired(const dexf_signer *s, char *when, size_t len);

int dexf_cms_sign(dexf_signer *s, const unsigned char *data, size_t len,
	unsigned char **der, size_t *derlen, dexf_err *err);

typedef struct dexf_sig_result {
	int parsed;          /* the signature file is a CMS structure */
	int valid;           /* signature verifies over the data */
	dexf_trust trust;
	char trust_detail[512];
	char subject[512], issuer[512];
	char fingerprint[65], serial[96];
	char not_before[24], not_after[24], signing_time[24];
	char algorithm[48];
} dexf_sig_result;

/*
 * Verify `der` over `data`.  Always fills `res`; returns 0 when the
 * signature is valid, DEXF_EINTEGRITY when it is not (message in err),
 * DEXF_EUNSUPPORTED for an algorithm outside the profile.  Trust is
 * evaluated only from `trust` (CA files or directories) and `signers`
 * (pinned certificate files), never from certificates in the container.
 * Certificates are judged at `at` (a trusted time-stamp), or now when 0.
 */
int dexf_cms_verify(dexf_sig_result *res, const unsigned char *der,
	size_t derlen, const unsigned char *data, size_t len,
	const char *const *trust, size_t ntrust,
	const char *const *signers, size_t nsigners, time_t at,
	const char *what, dexf_err *err);

/* Add the anchors of `path` to a store: a PEM bundle file, or a directory
 * of hashed certificates.  0, or -1 when nothing could be loaded. */
struct x509_store_st;
int dexf_anchor_load(struct x509_store_st *st, const char *path);

/* An X.509 name as RFC 2253 text, cut to fit `outlen`. */
struct X509_name_st;
void dexf_x509_name_text(char *out, size_t outlen,
	const struct X509_name_st *n);

#endif
