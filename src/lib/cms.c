/*
 * cms.c - CMS SignedData (RFC 5652), detached, DER, over raw record bytes.
 *
 * Hashing the exact bytes of the record file (no XML canonicalization)
 * removes signature-wrapping and c14n bugs, and lets anyone check a record
 * with `openssl cms -verify`.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cms.h"
#include "util.h"

struct dexf_signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;
	char name[256];
};

static int
pass_cb(char *buf, int size, int rwflag, void *u)
{
	const char *p = u;
	size_t n;

	(void)rwflag;
	if (p == NULL)
		return -1;
	n = strlen(p);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, p, n);
	return (int)n;
}

static X509 *
read_cert(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	X509 *x;

	if (b == NULL)
		return NULL;
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	return x;
}

const char *
dexf_signer_name(const dexf_signer *s)
{
	return s->name;
}

/* The writer profile's curves: NIST P-256 and P-384, by name (a 256-bit
 * key may be secp256k1). */
static int
profile_curve(EVP_PKEY *k)
{
	char name[64];
	size_t len = 0;

	if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, name,
	    sizeof(name), &len) != 1)
		return 0;
	return strcmp(name, "prime256v1") == 0 || strcmp(name, "P-256") == 0 ||
	    strcmp(name, "secp384r1") == 0 || strcmp(name, "P-384") == 0;
}

int
dexf_signer_load(dexf_signer **out, const char *key_path,
    const char *cert_path, const char *chain_path, const char *passphrase,
    dexf_err *err)
{
	dexf_signer *s;
	BIO *b = NULL;
	int rc = 0, base;
	X509_NAME *subj;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	if ((b = BIO_new_file(key_path, "r")) == NULL) {
		rc = dexf_seterr_sys(err, DEXF_ENOTFOUND, errno,
		    "%s: cannot open private key", key_path);
		goto fail;
	}
	s->key = PEM_read_bio_PrivateKey(b, NULL, pass_cb,
	    (void *)(uintptr_t)passphrase);
	BIO_free(b);
	b = NULL;
	if (s->key == NULL) {
		rc = dexf_seterr_ssl(err, DEXF_ECRYPTO, "%s: cannot read private "
		    "key%s", key_path, passphrase ? " (wrong passphrase?)" :
		    " (encrypted? give a passphrase)");
		goto fail;
	}
	if ((s->cert = read_cert(cert_path)) == NULL) {
		rc = dexf_seterr_ssl(err, DEXF_ECRYPTO,
		    "%s: cannot read PEM certificate", cert_path);
		goto fail;
	}
	if (X509_check_private_key(s->cert, s->key) != 1) {
		rc = dexf_seterr_ssl(err, DEXF_ECRYPTO,
		    "%s: private key %s does not belong to this certificate",
		    cert_path, key_path);
		goto fail;
	}
	base = EVP_PKEY_get_base_id(s->key);
	if (base != EVP_PKEY_RSA && base != EVP_PKEY_RSA_PSS &&
	    base != EVP_PKEY_EC && base != EVP_PKEY_ED25519) {
		rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: key type is not RSA, ECDSA or Ed25519", key_path);
		goto fail;
	}
	if (base == EVP_PKEY_ED25519) {
		/* RFC 8419 is in the profile, but OpenSSL 3.0's CMS code can
		 * neither sign nor verify Ed25519 (openssl#11915), and a
		 * signature stock tools cannot check breaks our promise. */
		rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: Ed25519 keys cannot sign CMS with this OpenSSL (%s); "
		    "use an ECDSA P-256/P-384 or RSA key", key_path,
		    OpenSSL_version(OPENSSL_VERSION));
		goto fail;
	}
	if (base == EVP_PKEY_EC && !profile_curve(s->key)) {
		rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: ECDSA keys must be on P-256 or P-384 (FORMAT.md, "
		    "signature profile)", key_path);
		goto fail;
	}
	if ((base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS) &&
	    EVP_PKEY_get_bits(s->key) < 2048) {
		rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: RSA keys must have at least 2048 bits", key_path);
		goto fail;
	}
	s->chain = sk_X509_new_null();
	if (s->chain == NULL) {
		rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		goto fail;
	}
	if (chain_path != NULL) {
		X509 *x;

		if ((b = BIO_new_file(chain_path, "r")) == NULL) {
			rc = dexf_seterr_sys(err, DEXF_ENOTFOUND, errno,
			    "%s: cannot open chain file", chain_path);
			goto fail;
		}
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
			sk_X509_push(s->chain, x);
		ERR_clear_error();
		BIO_free(b);
		b = NULL;
		if (sk_X509_num(s->chain) == 0) {
			rc = dexf_seterr(err, DEXF_ECRYPTO,
			    "%s: no PEM certificates in chain file", chain_path);
			goto fail;
		}
	}
	subj = X509_get_subject_name(s->cert);
	if (X509_NAME_get_text_by_NID(subj, NID_commonName, s->name,
	    sizeof(s->name)) < 0)
		X509_NAME_oneline(subj, s->name, sizeof(s->name));
	*out = s;
	return 0;
fail:
	BIO_free(b);
	dexf_signer_free(s);
	return rc;
}

void
dexf_signer_free(dexf_signer *s)
{
	if (s == NULL)
		return;
	EVP_PKEY_free(s->key); /* OpenSSL cleanses key material on free */
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	free(s);
}

static const EVP_MD *
digest_for(EVP_PKEY *k)
{
	int base = EVP_PKEY_get_base_id(k);

	if (base == EVP_PKEY_ED25519)
		return EVP_sha512(); /* RFC 8419 */
	if (base == EVP_PKEY_EC) {
		int bits = EVP_PKEY_get_bits(k);

		return bits > 384 ? EVP_sha512() : bits > 256 ? EVP_sha384() :
		    EVP_sha256();
	}
	return EVP_sha256();
}

int
dexf_cms_sign(dexf_signer *s, const unsigned char *data, size_t len,
    unsigned char **der, size_t *derlen, dexf_err *err)
{
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	BIO *in = NULL;
	unsigned char *p = NULL;
	int n, rc = 0, base = EVP_PKEY_get_base_id(s->key);
	unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL |
	    CMS_NOSMIMECAP;

	*der = NULL;
	*derlen = 0;
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	if (cms == NULL)
		goto ssl_fail;
	si = CMS_add1_signer(cms, s->cert, s->key, digest_for(s->key),
	    flags | CMS_KEY_PARAM);
	if (si == NULL)
		goto ssl_fail;
	if (base == EVP_PKEY_RSA || base == EVP_PKEY_RSA_PSS) {
		/* RSA keys sign with RSASSA-PSS (FORMAT.md, signature
		 * profile): MGF1 with the same SHA-256, 32-byte salt.  An
		 * RSA-PSS key is PSS already; its salt still must be set. */
		EVP_PKEY_CTX *pctx = CMS_SignerInfo_get0_pkey_ctx(si);

		if (pctx == NULL || (base == EVP_PKEY_RSA &&
		    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0) ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0)
			goto ssl_fail;
	}
	for (int i = 0; i < sk_X509_num(s->chain); i++)
		if (CMS_add1_cert(cms, sk_X509_value(s->chain, i)) != 1)
			goto ssl_fail;
	if ((in = BIO_new_mem_buf(data, (int)len)) == NULL)
		goto ssl_fail;
	if (CMS_final(cms, in, NULL, CMS_DETACHED | CMS_BINARY) != 1)
		goto ssl_fail;
	n = i2d_CMS_ContentInfo(cms, &p);
	if (n <= 0)
		goto ssl_fail;
	*der = malloc((size_t)n);
	if (*der == NULL) {
		rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(*der, p, (size_t)n);
	*derlen = (size_t)n;
	goto out;
ssl_fail:
	rc = dexf_seterr_ssl(err, DEXF_ECRYPTO, "cannot sign the seal record");
out:
	OPENSSL_free(p);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	return rc;
}

/* ------------------------------------------------------------ verify */

static void
fmt_asn1_time(char *out, size_t outlen, const ASN1_TIME *t)
{
	struct tm tm;

	out[0] = '\0';
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return;
	strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
dexf_x509_name_text(char *out, size_t outlen, const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0) {
		len = BIO_read(b, out, (int)outlen - 1);
		if (len > 0)
			out[len] = '\0';
	}
	BIO_free(b);
}

static void
describe_cert(dexf_sig_result *res, X509 *x)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	BIGNUM *bn = ASN1_INTEGER_to_BN(sn, NULL);

	dexf_x509_name_text(res->subject, sizeof(res->subject),
	    X509_get_subject_name(x));
	dexf_x509_name_text(res->issuer, sizeof(res->issuer),
	    X509_get_issuer_name(x));
	if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1 && mdlen == 32)
		dexf_hex(res->fingerprint, md, 32);
	if (bn != NULL) {
		char *h = BN_bn2hex(bn);

		if (h != NULL) {
			snprintf(res->serial, sizeof(res->serial), "%s", h);
			for (char *c = res->serial; *c; c++)
				if (*c >= 'A' && *c <= 'F')
					*c = (char)(*c - 'A' + 'a');
			OPENSSL_free(h);
		}
		BN_free(bn);
	}
	fmt_asn1_time(res->not_before, sizeof(res->not_before),
	    X509_get0_notBefore(x));
	fmt_asn1_time(res->not_after, sizeof(res->not_after),
	    X509_get0_notAfter(x));
}

static int
check_algorithms(dexf_sig_result *res, CMS_SignerInfo *si, const char *what,
    dexf_err *err)
{
	X509_ALGOR *dig = NULL, *sig = NULL;
	int dnid, snid;
	const char *dname, *sname;

	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	if (dig == NULL || sig == NULL)
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: signer info has no algorithms", what);
	dnid = OBJ_obj2nid(dig->algorithm);
	snid = OBJ_obj2nid(sig->algorithm);
	switch (dnid) {
	case NID_sha256: dname = "sha256"; break;
	case NID_sha384: dname = "sha384"; break;
	case NID_sha512: dname = "sha512"; break;
	default:
		snprintf(res->algorithm, sizeof(res->algorithm), "%s",
		    OBJ_nid2sn(dnid));
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: digest algorithm %s is not allowed (SHA-256 or "
		    "stronger required)", what, OBJ_nid2sn(dnid));
	}
	switch (snid) {
	case NID_rsassaPss: sname = "rsa-pss"; break;
	case NID_rsaEncryption:
	case NID_sha256WithRSAEncryption:
	case NID_sha384WithRSAEncryption:
	case NID_sha512WithRSAEncryption: sname = "rsa-pkcs1"; break;
	case NID_X9_62_id_ecPublicKey:
	case NID_ecdsa_with_SHA256:
	case NID_ecdsa_with_SHA384:
	case NID_ecdsa_with_SHA512: sname = "ecdsa"; break;
	case NID_ED25519:
		snprintf(res->algorithm, sizeof(res->algorithm), "ed25519");
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: Ed25519 signatures cannot be verified with this OpenSSL "
		    "(CMS support is missing, openssl#11915)", what);
	default:
		snprintf(res->algorithm, sizeof(res->algorithm), "%s",
		    OBJ_nid2sn(snid));
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: signature algorithm %s is not supported", what,
		    OBJ_nid2sn(snid));
	}
	snprintf(res->algorithm, sizeof(res->algorithm), "%s-%s", sname,
	    dname);
	return 0;
}

int
dexf_anchor_load(struct x509_store_st *st, const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return -1;
	if (S_ISDIR(sb.st_mode))
		return X509_STORE_load_path(st, path) == 1 ? 0 : -1;
	return X509_STORE_load_file(st, path) == 1 ? 0 : -1;
}

static void
evaluate_trust(dexf_sig_result *res, X509 *signer,
    STACK_OF(X509) *untrusted, const char *const *trust, size_t ntrust,
    const char *const *signers, size_t nsigners, time_t at)
{
	time_t now = at ? at : time(NULL);
	X509_STORE *st = NULL;
	X509_STORE_CTX *ctx = NULL;
	int verr;

	if (ntrust == 0 && nsigners == 0) {
		res->trust = DEXF_TRUST_UNKNOWN;
		snprintf(res->trust_detail, sizeof(res->trust_detail),
		    "no trust anchors given (--trust or --signer)");
		return;
	}
	for (size_t i = 0; i < nsigners; i++) {
		X509 *pin = read_cert(signers[i]);
		int same = pin != NULL && X509_cmp(pin, signer) == 0;

		X509_free(pin);
		ERR_clear_error();
		if (same) {
			/* Pinning names the certificate, not a time: it is
			 * judged at the trusted time-stamp, or now. */
			if (X509_cmp_time(X509_get0_notAfter(signer), &now) < 0 ||
			    X509_cmp_time(X509_get0_notBefore(signer), &now) > 0) {
				res->trust = DEXF_TRUST_EXPIRED;
				snprintf(res->trust_detail,
				    sizeof(res->trust_detail), "pinned signer "
				    "certificate %s is outside its validity "
				    "period %s", signers[i], at ? "at the "
				    "time-stamp" : "now");
				return;
			}
			res->trust = DEXF_TRUST_TRUSTED;
			snprintf(res->trust_detail, sizeof(res->trust_detail),
			    "pinned signer certificate %s%s", signers[i], at ?
			    ", valid at the time-stamp" : "");
			return;
		}
	}
	res->trust = DEXF_TRUST_UNTRUSTED;
	if (ntrust == 0) {
		snprintf(res->trust_detail, sizeof(res->trust_detail),
		    "signer certificate matches none of the %zu pinned "
		    "certificate(s)", nsigners);
		return;
	}
	if ((st = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL)
		goto out;
	for (size_t i = 0; i < ntrust; i++)
		if (dexf_anchor_load(st, trust[i]) != 0) {
			snprintf(res->trust_detail, sizeof(res->trust_detail),
			    "cannot load trust anchors from %s", trust[i]);
			goto out;
		}
	/* Certificates carried in the container are only candidate
	 * intermediates: trust must end in an anchor the verifier named. */
	if (X509_STORE_CTX_init(ctx, st, signer, untrusted) != 1)
		goto out;
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
	/* An anchor may be an intermediate: a CIRT that trusts one lab's
	 * issuing CA need not trust the whole root. */
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
	/* With a trusted time-stamp the chain is judged at its time. */
	if (at)
		X509_STORE_CTX_set_time(ctx, 0, at);
	if (X509_verify_cert(ctx) == 1) {
		uint32_t ku = X509_get_key_usage(signer);

		if (ku != UINT32_MAX &&
		    !(ku & (X509v3_KU_DIGITAL_SIGNATURE |
		    X509v3_KU_NON_REPUDIATION))) {
			snprintf(res->trust_detail, sizeof(res->trust_detail),
			    "certificate key usage does not allow signing");
			goto out;
		}
		{
			STACK_OF(X509) *ch = X509_STORE_CTX_get0_chain(ctx);
			X509 *root = sk_X509_value(ch, sk_X509_num(ch) - 1);
			char rn[256];

			dexf_x509_name_text(rn, sizeof(rn),
			    X509_get_subject_name(root));
			res->trust = DEXF_TRUST_TRUSTED;
			snprintf(res->trust_detail, sizeof(res->trust_detail),
			    "chains to trusted anchor %s%s", rn, at ?
			    " (valid at the time-stamp)" : "");
		}
		goto out;
	}
	verr = X509_STORE_CTX_get_error(ctx);
	if (verr == X509_V_ERR_CERT_HAS_EXPIRED ||
	    verr == X509_V_ERR_CERT_NOT_YET_VALID)
		res->trust = DEXF_TRUST_EXPIRED;
	snprintf(res->trust_detail, sizeof(res->trust_detail), "%s",
	    X509_verify_cert_error_string(verr));
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
}

int
dexf_cms_verify(dexf_sig_result *res, const unsigned char *der,
    size_t derlen, const unsigned char *data, size_t len,
    const char *const *trust, size_t ntrust, const char *const *signers,
    size_t nsigners, time_t at, const char *what, dexf_err *err)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs = NULL, *signer_certs = NULL;
	CMS_SignerInfo *si;
	BIO *content = NULL;
	X509 *signer;
	ASN1_TIME *st = NULL;
	int rc = 0, idx;

	memset(res, 0, sizeof(*res));
	res->trust = DEXF_TRUST_INVALID;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)derlen);
	if (cms == NULL || p != der + derlen) {
		rc = dexf_seterr_ssl(err, DEXF_EINTEGRITY,
		    "%s: not a DER CMS structure%s", what,
		    cms ? " (trailing bytes)" : "");
		goto out;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data ||
	    CMS_get0_content(cms) == NULL || *CMS_get0_content(cms) != NULL) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY,
		    "%s: not a detached CMS SignedData over id-data", what);
		goto out;
	}
	res->parsed = 1;
	sis = CMS_get0_SignerInfos(cms);
	if (sis == NULL || sk_CMS_SignerInfo_num(sis) != 1) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY,
		    "%s: must have exactly one signer, has %d", what,
		    sis ? sk_CMS_SignerInfo_num(sis) : 0);
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	if ((rc = check_algorithms(res, si, what, err)) != 0)
		goto out;
	if (CMS_signed_get_attr_count(si) <= 0) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY,
		    "%s: signed attributes are required", what);
		goto out;
	}
	if ((content = BIO_new_mem_buf(data, (int)len)) == NULL) {
		rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	/* Integrity only here: the signature over these exact bytes, with
	 * the certificate the signer embedded.  Trust is decided apart. */
	if (CMS_verify(cms, NULL, NULL, content, NULL, CMS_DETACHED |
	    CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		rc = dexf_seterr_ssl(err, DEXF_EINTEGRITY,
		    "%s: signature does not verify over the record bytes", what);
		signer_certs = CMS_get0_signers(cms);
		if (signer_certs && sk_X509_num(signer_certs) == 1)
			describe_cert(res, sk_X509_value(signer_certs, 0));
		goto out;
	}
	res->valid = 1;
	signer_certs = CMS_get0_signers(cms);
	if (signer_certs == NULL || sk_X509_num(signer_certs) != 1) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY,
		    "%s: signer certificate not found", what);
		res->valid = 0;
		goto out;
	}
	signer = sk_X509_value(signer_certs, 0);
	describe_cert(res, signer);
	idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (idx >= 0) {
		X509_ATTRIBUTE *a = CMS_signed_get_attr(si, idx);
		ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(a, 0);

		if (t != NULL && (t->type == V_ASN1_UTCTIME ||
		    t->type == V_ASN1_GENERALIZEDTIME)) {
			st = (ASN1_TIME *)t->value.asn1_string;
			fmt_asn1_time(res->signing_time,
			    sizeof(res->signing_time), st);
		}
	}
	certs = CMS_get1_certs(cms);
	evaluate_trust(res, signer, certs, trust, ntrust, signers, nsigners,
	    at);
out:
	sk_X509_free(signer_certs);
	sk_X509_pop_free(certs, X509_free);
	BIO_free(content);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return rc;
}

int
dexf_signer_expired(const dexf_signer *s, char *when, size_t len)
{
	const ASN1_TIME *na = X509_get0_notAfter(s->cert);

	fmt_asn1_time(when, len, na);
	return X509_cmp_current_time(na) < 0;
}

int
dexf_anchor_check(const char *path, int pinned, char *msg, size_t msglen)
{
	struct stat sb;
	X509_STORE *st;
	int ok;

	if (path == NULL)
		return DEXF_EINVAL;
	if (stat(path, &sb) != 0) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return DEXF_ENOTFOUND;
	}
	if (pinned) {
		X509 *x = S_ISDIR(sb.st_mode) ? NULL : read_cert(path);

		ok = x != NULL;
		X509_free(x);
		ERR_clear_error();
		if (!ok) {
			snprintf(msg, msglen, "%s: not a PEM certificate", path);
			return DEXF_EINVAL;
		}
		return 0;
	}
	if ((st = X509_STORE_new()) == NULL) {
		snprintf(msg, msglen, "out of memory");
		return DEXF_ENOMEM;
	}
	ok = dexf_anchor_load(st, path) == 0;
	if (ok && !S_ISDIR(sb.st_mode)) {
		STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(st);

		ok = objs != NULL && sk_X509_OBJECT_num(objs) > 0;
	}
	X509_STORE_free(st);
	ERR_clear_error();
	if (!ok) {
		snprintf(msg, msglen, "%s: no PEM certificates to trust", path);
		return DEXF_EINVAL;
	}
	return 0;
}
