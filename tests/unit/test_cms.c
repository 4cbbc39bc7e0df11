/*
 * test_cms.c - signer loading, detached CMS signatures over record bytes,
 * and trust decided only from the caller's anchors (FORMAT.md 10).
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cms.h"
#include "util.h"
#include "unit.h"

static char *dir;
static char data_path[512];
static char passphrase[128];
static const char data[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<record>bytes</record>\n";

static int
init(void)
{
	size_t n;
	unsigned char *p;

	dir = unit_mkdtemp("cms");
	if (dir == NULL)
		return 1;
	unit_join(data_path, sizeof(data_path), dir, "record.xml");
	if (unit_write_file(data_path, data, strlen(data)) != 0)
		return 1;
	p = unit_read_file(unit_pki("encrypted.pass"), &n);
	if (p == NULL)
		return 1;
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	snprintf(passphrase, sizeof(passphrase), "%.*s", (int)n, (char *)p);
	free(p);
	return 0;
}

static int
clean(void)
{
	unit_rmrf(dir);
	free(dir);
	dir = NULL;
	return 0;
}

/* Sign `data` with tests/pki/<name>.key/.pem (+ chain); DER or NULL. */
static unsigned char *
sign_as(const char *name, const char *chain, const char *pass, size_t *len,
    int *rc, dexf_err *err)
{
	char key[64], cert[64];
	dexf_signer *s = NULL;
	unsigned char *der = NULL;

	snprintf(key, sizeof(key), "%s.key", name);
	snprintf(cert, sizeof(cert), "%s.pem", name);
	memset(err, 0, sizeof(*err));
	*len = 0;
	*rc = dexf_signer_load(&s, unit_pki(key), unit_pki(cert),
	    chain ? unit_pki(chain) : NULL, pass, err);
	if (*rc != 0)
		return NULL;
	*rc = dexf_cms_sign(s, (const unsigned char *)data, strlen(data), &der,
	    len, err);
	dexf_signer_free(s);
	return der;
}

typedef struct anchors {
	const char *trust[3];
	size_t ntrust;
	const char *signers[2];
	size_t nsigners;
} anchors;

static int
verify(dexf_sig_result *res, const unsigned char *der, size_t len,
    const char *over, size_t overlen, const anchors *a, dexf_err *err)
{
	static const anchors none;

	if (a == NULL)
		a = &none;
	memset(err, 0, sizeof(*err));
	return dexf_cms_verify(res, der, len, (const unsigned char *)over,
	    overlen, a->trust, a->ntrust, a->signers, a->nsigners, 0,
	    "000000.p7s", err);
}

/* Sign as `name`, verify against `a`: the trust found (-1 if invalid). */
static int
trust_of(const char *name, const char *chain, const anchors *a,
    dexf_sig_result *res)
{
	dexf_err err;
	size_t len;
	int rc;
	unsigned char *der = sign_as(name, chain, NULL, &len, &rc, &err);

	if (der == NULL)
		return -100;
	rc = verify(res, der, len, data, strlen(data), a, &err);
	free(der);
	if (rc != 0 || !res->valid)
		return -1;
	return (int)res->trust;
}

/* Run an openssl command line, signing data_path into `out`. */
static int
openssl_sign(const char *out, const char *args)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "openssl cms -sign -binary -outform DER "
	    "-in '%s' -out '%s' %s >/dev/null 2>&1", data_path, out, args);
	return system(cmd);
}

/* ------------------------------------------------------------ signers */

static void
load_and_sign_with_each_algorithm(void)
{
	static const struct {
		const char *name, *alg;
	} cases[] = {
		{ "ecdsa256", "ecdsa-sha256" },
		{ "ecdsa384", "ecdsa-sha384" },
		{ "rsapss", "rsa-pss-sha256" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dexf_err err;
		dexf_sig_result res;
		size_t len;
		int rc;
		unsigned char *der = sign_as(cases[i].name, NULL, NULL, &len,
		    &rc, &err);

		UA_INT(rc, 0);
		UA(der != NULL && len > 100);
		if (der == NULL)
			continue;
		UA_INT(verify(&res, der, len, data, strlen(data), NULL, &err), 0);
		UA_INT(res.parsed, 1);
		UA_INT(res.valid, 1);
		UA_STR(res.algorithm, cases[i].alg);
		free(der);
	}
}

static void
rsa_signature_uses_pss_with_sha256_mgf1_and_salt_32(void)
{
	dexf_err err;
	size_t len;
	int rc;
	unsigned char *der = sign_as("rsapss", NULL, NULL, &len, &rc, &err);
	const unsigned char *p = der;
	CMS_ContentInfo *cms;
	X509_ALGOR *dig = NULL, *sig = NULL;
	RSA_PSS_PARAMS *pss = NULL;
	X509_ALGOR *mgfmd = NULL;

	UA(der != NULL);
	if (der == NULL)
		return;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	UA(cms != NULL);
	if (cms != NULL) {
		CMS_SignerInfo *si = sk_CMS_SignerInfo_value(
		    CMS_get0_SignerInfos(cms), 0);

		CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
		UA_INT(OBJ_obj2nid(dig->algorithm), NID_sha256);
		UA_INT(OBJ_obj2nid(sig->algorithm), NID_rsassaPss);
		if (sig->parameter != NULL)
			pss = ASN1_TYPE_unpack_sequence(
			    ASN1_ITEM_rptr(RSA_PSS_PARAMS), sig->parameter);
		UA(pss != NULL);
		if (pss != NULL) {
			UA(pss->hashAlgorithm != NULL && OBJ_obj2nid(
			    pss->hashAlgorithm->algorithm) == NID_sha256);
			UA(pss->maskGenAlgorithm != NULL && OBJ_obj2nid(
			    pss->maskGenAlgorithm->algorithm) == NID_mgf1);
			if (pss->maskGenAlgorithm != NULL &&
			    pss->maskGenAlgorithm->parameter != NULL)
				mgfmd = ASN1_TYPE_unpack_sequence(
				    ASN1_ITEM_rptr(X509_ALGOR),
				    pss->maskGenAlgorithm->parameter);
			UA(mgfmd != NULL && OBJ_obj2nid(mgfmd->algorithm) ==
			    NID_sha256);
			UA(pss->saltLength != NULL &&
			    ASN1_INTEGER_get(pss->saltLength) == 32);
			UA(pss->trailerField == NULL ||
			    ASN1_INTEGER_get(pss->trailerField) == 1);
		}
		X509_ALGOR_free(mgfmd);
		RSA_PSS_PARAMS_free(pss);
		CMS_ContentInfo_free(cms);
	}
	free(der);
}

static void
signature_is_detached_der_with_required_attributes(void)
{
	dexf_err err;
	size_t len;
	int rc;
	unsigned char *der = sign_as("ecdsa256", NULL, NULL, &len, &rc, &err);
	const unsigned char *p = der;
	CMS_ContentInfo *cms;

	if (der == NULL) {
		CU_FAIL("sign");
		return;
	}
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	UA(cms != NULL && p == der + len);
	if (cms != NULL) {
		CMS_SignerInfo *si;
		STACK_OF(X509) *certs = CMS_get1_certs(cms);

		UA_INT(OBJ_obj2nid(CMS_get0_type(cms)), NID_pkcs7_signed);
		UA_INT(OBJ_obj2nid(CMS_get0_eContentType(cms)), NID_pkcs7_data);
		UA(*CMS_get0_content(cms) == NULL);            /* detached */
		UA_INT(sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)), 1);
		si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
		UA(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) >=
		    0);
		UA(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1) >=
		    0);
		UA(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) >=
		    0);
		UA(CMS_signed_get_attr_by_NID(si, NID_SMIMECapabilities, -1) <
		    0);
		UA_INT(sk_X509_num(certs), 1);   /* the signer certificate */
		sk_X509_pop_free(certs, X509_free);
		CMS_ContentInfo_free(cms);
	}
	free(der);
}

static void
signature_verifies_with_openssl_cli(void)
{
	char sig[512], cmd[8192];
	dexf_err err;
	size_t len;
	int rc;
	unsigned char *der = sign_as("ecdsa384", NULL, NULL, &len, &rc, &err);

	if (der == NULL) {
		CU_FAIL("sign");
		return;
	}
	unit_join(sig, sizeof(sig), dir, "ours.p7s");
	UA_INT(unit_write_file(sig, der, len), 0);
	free(der);
	if (!unit_have_program("openssl")) {
		UA(unit_exists(sig));
		return;
	}
	snprintf(cmd, sizeof(cmd), "openssl cms -verify -binary -inform DER "
	    "-in '%s' -content '%s' -CAfile '%s' -purpose any -out /dev/null "
	    ">/dev/null 2>&1", sig, data_path, unit_pki("ca.pem"));
	UA_INT(system(cmd), 0);
}

static void
encrypted_key_needs_the_right_passphrase(void)
{
	dexf_signer *s = NULL;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	UA_INT(dexf_signer_load(&s, unit_pki("encrypted.key"),
	    unit_pki("encrypted.pem"), NULL, passphrase, &err), 0);
	UA(s != NULL);
	if (s != NULL)
		UA_STR(dexf_signer_name(s), "Test Signer Encrypted Key");
	dexf_signer_free(s);
	s = (dexf_signer *)1;
	UA_INT(dexf_signer_load(&s, unit_pki("encrypted.key"),
	    unit_pki("encrypted.pem"), NULL, NULL, &err), DEXF_ECRYPTO);
	UA(s == NULL);
	UA_HAS(err.msg, "encrypted.key");
	UA_HAS(err.msg, "passphrase");
	UA_INT(dexf_signer_load(&s, unit_pki("encrypted.key"),
	    unit_pki("encrypted.pem"), NULL, "wrong-passphrase", &err),
	    DEXF_ECRYPTO);
	UA_HAS(err.msg, "wrong passphrase");
	UA(s == NULL);
}

static void
encrypted_key_signature_verifies(void)
{
	dexf_err err;
	dexf_sig_result res;
	anchors a = { { NULL }, 0, { NULL }, 0 };
	size_t len;
	int rc;
	unsigned char *der = sign_as("encrypted", NULL, passphrase, &len, &rc,
	    &err);

	UA_INT(rc, 0);
	if (der == NULL)
		return;
	a.trust[0] = unit_pki("ca.pem");
	a.ntrust = 1;
	UA_INT(verify(&res, der, len, data, strlen(data), &a, &err), 0);
	UA_INT(res.trust, DEXF_TRUST_TRUSTED);
	free(der);
}

static void
key_not_matching_certificate_is_crypto_error(void)
{
	dexf_signer *s = NULL;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	UA_INT(dexf_signer_load(&s, unit_pki("ecdsa256.key"),
	    unit_pki("ecdsa384.pem"), NULL, NULL, &err), DEXF_ECRYPTO);
	UA(s == NULL);
	UA_HAS(err.msg, "ecdsa384.pem");
	UA_HAS(err.msg, "does not belong");
	UA_INT(dexf_signer_load(&s, unit_pki("rsapss.key"),
	    unit_pki("ecdsa256.pem"), NULL, NULL, &err), DEXF_ECRYPTO);
}

static void
ed25519_key_is_unsupported(void)
{
	dexf_signer *s = NULL;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	UA_INT(dexf_signer_load(&s, unit_pki("ed25519.key"),
	    unit_pki("ed25519.pem"), NULL, NULL, &err), DEXF_EUNSUPPORTED);
	UA(s == NULL);
	UA_HAS(err.msg, "Ed25519");
}

static void
missing_or_bad_files_are_reported(void)
{
	dexf_signer *s = NULL;
	dexf_err err;
	char nokey[512];

	unit_join(nokey, sizeof(nokey), dir, "no-such.key");
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_signer_load(&s, nokey, unit_pki("ecdsa256.pem"), NULL,
	    NULL, &err), DEXF_ENOTFOUND);
	UA_HAS(err.msg, "no-such.key");
	UA_INT(dexf_signer_load(&s, unit_pki("ecdsa256.key"), nokey, NULL,
	    NULL, &err), DEXF_ECRYPTO);
	UA_INT(dexf_signer_load(&s, unit_pki("ecdsa256.pem"),
	    unit_pki("ecdsa256.pem"), NULL, NULL, &err), DEXF_ECRYPTO);
	UA_INT(dexf_signer_load(&s, unit_pki("ecdsa256.key"),
	    unit_pki("ecdsa256.key"), NULL, NULL, &err), DEXF_ECRYPTO);
	UA_INT(dexf_signer_load(&s, unit_pki("ecdsa256.key"),
	    unit_pki("ecdsa256.pem"), nokey, NULL, &err), DEXF_ENOTFOUND);
	UA_INT(dexf_signer_load(&s, unit_pki("ecdsa256.key"),
	    unit_pki("ecdsa256.pem"), unit_pki("ecdsa256.key"), NULL, &err),
	    DEXF_ECRYPTO);
	UA_HAS(err.msg, "no PEM certificates");
	UA(s == NULL);
}

/* Make a self-signed key pair with openssl req; 0 on success. */
static int
make_self_signed(const char *name, const char *opts, char *key, size_t ksz,
    char *cert, size_t csz)
{
	char cmd[8192];

	if (snprintf(key, ksz, "%s/%s.key", dir, name) >= (int)ksz ||
	    snprintf(cert, csz, "%s/%s.pem", dir, name) >= (int)csz)
		return -1;
	snprintf(cmd, sizeof(cmd), "openssl req -x509 %s -nodes -keyout '%s' "
	    "-out '%s' -subj /CN=%s -days 2 >/dev/null 2>&1", opts, key, cert,
	    name);
	return system(cmd);
}

/* FORMAT.md 10.2: writers refuse RSA below 2048 bits. */
static void
rsa_1024_key_is_unsupported(void)
{
	char key[512], cert[512];
	dexf_signer *s = NULL;
	dexf_err err;

	UA_INT(make_self_signed("rsa1024", "-newkey rsa:1024", key,
	    sizeof(key), cert, sizeof(cert)), 0);
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_signer_load(&s, key, cert, NULL, NULL, &err),
	    DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "2048");
	UA(s == NULL);
	dexf_signer_free(s);
}

/* writer.h and FORMAT.md 10.2: ECDSA is P-256 or P-384 only; a P-521 key
 * would sign with SHA-512, which verifiers must call unsupported. */
static void
p521_key_is_unsupported(void)
{
	char key[512], cert[512];
	dexf_signer *s = NULL;
	dexf_err err;

	UA_INT(make_self_signed("p521", "-newkey ec -pkeyopt "
	    "ec_paramgen_curve:P-521", key, sizeof(key), cert, sizeof(cert)),
	    0);
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_signer_load(&s, key, cert, NULL, NULL, &err),
	    DEXF_EUNSUPPORTED);
	dexf_signer_free(s);
}

/* ------------------------------------------------------------ trust */

static void
verify_reports_signer_details(void)
{
	dexf_sig_result res;
	anchors a = { { NULL }, 1, { NULL }, 0 };
	X509 *x;
	FILE *f;
	unsigned char md[32];
	unsigned int mdlen = 0;
	char fp[65];
	time_t st;

	a.trust[0] = unit_pki("ca.pem");
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_TRUSTED);
	UA_STR(res.subject, "CN=Test Signer ECDSA P-256,OU=TEST ONLY - not "
	    "for real evidence,O=dexf Test Org A");
	UA_STR(res.issuer, "CN=dexf Test CA A,OU=TEST ONLY - not for real "
	    "evidence,O=dexf Test Org A");
	UA_STR(res.serial, "0a10");
	UA_STR(res.not_before, "2026-01-01T00:00:00Z");
	UA_STR(res.not_after, "2046-01-01T00:00:00Z");
	UA_HAS(res.trust_detail, "dexf Test CA A");
	UA_INT(dexf_parse_time(&st, res.signing_time), 0);
	UA(llabs((long long)(time(NULL) - st)) < 600);
	f = fopen(unit_pki("ecdsa256.pem"), "r");
	x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	if (f != NULL)
		fclose(f);
	UA(x != NULL && X509_digest(x, EVP_sha256(), md, &mdlen) == 1);
	dexf_hex(fp, md, 32);
	UA_STR(res.fingerprint, fp);
	X509_free(x);
}

static void
verify_trust_outcomes_by_anchor(void)
{
	dexf_sig_result res;
	anchors a = { { NULL }, 0, { NULL }, 0 };
	char bogus[512];

	/* no anchors at all */
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_UNKNOWN);
	UA_HAS(res.trust_detail, "no trust anchors");
	/* the wrong organisation's CA */
	a.trust[0] = unit_pki("ca-b.pem");
	a.ntrust = 1;
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_UNTRUSTED);
	/* both CAs */
	a.trust[1] = unit_pki("ca.pem");
	a.ntrust = 2;
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_TRUSTED);
	/* CA B's signer */
	a.ntrust = 1;
	UA_INT(trust_of("cab-signer", NULL, &a, &res), DEXF_TRUST_TRUSTED);
	a.trust[0] = unit_pki("ca.pem");
	UA_INT(trust_of("cab-signer", NULL, &a, &res), DEXF_TRUST_UNTRUSTED);
	/* the rogue CA's signer, and the rogue CA itself as an anchor */
	UA_INT(trust_of("rogue", NULL, &a, &res), DEXF_TRUST_UNTRUSTED);
	a.trust[0] = unit_pki("rogue-ca.pem");
	UA_INT(trust_of("rogue", NULL, &a, &res), DEXF_TRUST_TRUSTED);
	/* an anchor file that cannot be read */
	unit_join(bogus, sizeof(bogus), dir, "missing-ca.pem");
	a.trust[0] = bogus;
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_UNTRUSTED);
	UA_HAS(res.trust_detail, "missing-ca.pem");
}

static void
verify_trusts_hashed_ca_directory(void)
{
	char cadir[512], cmd[8192];
	dexf_sig_result res;
	anchors a = { { NULL }, 1, { NULL }, 0 };

	unit_join(cadir, sizeof(cadir), dir, "cadir");
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s' '%s/' && "
	    "openssl rehash '%s' >/dev/null 2>&1", cadir, unit_pki("ca.pem"),
	    cadir, cadir);
	if (system(cmd) != 0) {
		CU_FAIL("openssl rehash");
		return;
	}
	a.trust[0] = cadir;
	UA_INT(trust_of("ecdsa384", NULL, &a, &res), DEXF_TRUST_TRUSTED);
}

static void
verify_pinned_signer_is_trusted_by_exact_certificate(void)
{
	dexf_sig_result res;
	anchors a = { { NULL }, 0, { NULL }, 1 };

	a.signers[0] = unit_pki("ecdsa256.pem");
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_TRUSTED);
	UA_HAS(res.trust_detail, "pinned");
	a.signers[0] = unit_pki("ecdsa384.pem");
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_UNTRUSTED);
	/* pinning the CA is not pinning the signer */
	a.signers[0] = unit_pki("ca.pem");
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_UNTRUSTED);
	/* a pin that is not the signer, plus an anchor that is */
	a.signers[0] = unit_pki("ecdsa384.pem");
	a.trust[0] = unit_pki("ca.pem");
	a.ntrust = 1;
	UA_INT(trust_of("ecdsa256", NULL, &a, &res), DEXF_TRUST_TRUSTED);
}

static void
verify_expired_signer_is_expired_not_invalid(void)
{
	dexf_sig_result res;
	anchors a = { { NULL }, 1, { NULL }, 0 };

	a.trust[0] = unit_pki("ca.pem");
	UA_INT(trust_of("expired", NULL, &a, &res), DEXF_TRUST_EXPIRED);
	UA_INT(res.valid, 1);
	UA_HAS(res.trust_detail, "expired");
}

/* FORMAT.md 10.4: a pinned signer must also be within its validity. */
static void
verify_pinned_expired_signer_is_not_trusted(void)
{
	dexf_sig_result res;
	anchors a = { { NULL }, 0, { NULL }, 1 };

	a.signers[0] = unit_pki("expired.pem");
	UA_INT(trust_of("expired", NULL, &a, &res), DEXF_TRUST_EXPIRED);
}

static void
verify_intermediate_embedded_in_signature_builds_chain(void)
{
	dexf_sig_result res;
	anchors a = { { NULL }, 1, { NULL }, 0 };

	a.trust[0] = unit_pki("ca.pem");
	UA_INT(trust_of("leaf-via-int", "intermediate.pem", &a, &res),
	    DEXF_TRUST_TRUSTED);
	UA_HAS(res.trust_detail, "dexf Test CA A");
	/* without the intermediate there is no path */
	UA_INT(trust_of("leaf-via-int", NULL, &a, &res), DEXF_TRUST_UNTRUSTED);
}

/* FORMAT.md 10.4: any certificate in the trust input is an anchor. */
static void
verify_intermediate_alone_is_an_anchor(void)
{
	dexf_sig_result res;
	anchors a = { { NULL }, 1, { NULL }, 0 };

	a.trust[0] = unit_pki("intermediate.pem");
	UA_INT(trust_of("leaf-via-int", "intermediate.pem", &a, &res),
	    DEXF_TRUST_TRUSTED);
}

static void
verify_detects_flipped_data_byte(void)
{
	dexf_err err;
	dexf_sig_result res;
	anchors a = { { NULL }, 1, { NULL }, 0 };
	size_t len;
	int rc;
	unsigned char *der = sign_as("ecdsa256", NULL, NULL, &len, &rc, &err);
	char *copy = strdup(data);

	if (der == NULL || copy == NULL) {
		free(der);
		free(copy);
		CU_FAIL("setup");
		return;
	}
	a.trust[0] = unit_pki("ca.pem");
	for (size_t at = 0; at < strlen(data); at += 17) {
		copy[at] ^= 0x01;
		UA_INT(verify(&res, der, len, copy, strlen(data), &a, &err),
		    DEXF_EINTEGRITY);
		UA_INT(res.valid, 0);
		UA_INT(res.parsed, 1);
		UA_INT(res.trust, DEXF_TRUST_INVALID);
		copy[at] ^= 0x01;
	}
	UA_HAS(err.msg, "000000.p7s");
	/* one byte more or less */
	UA_INT(verify(&res, der, len, data, strlen(data) - 1, &a, &err),
	    DEXF_EINTEGRITY);
	UA_INT(verify(&res, der, len, data, strlen(data) + 1, &a, &err),
	    DEXF_EINTEGRITY);
	/* and the original still verifies */
	UA_INT(verify(&res, der, len, copy, strlen(data), &a, &err), 0);
	UA_INT(res.trust, DEXF_TRUST_TRUSTED);
	free(copy);
	free(der);
}

static void
verify_detects_flipped_signature_byte(void)
{
	dexf_err err;
	dexf_sig_result res;
	size_t len;
	int rc, bad = 0;
	unsigned char *der = sign_as("ecdsa256", NULL, NULL, &len, &rc, &err);

	if (der == NULL) {
		CU_FAIL("sign");
		return;
	}
	/* the signature value is the last field of the DER */
	for (size_t at = len - 16; at < len; at++) {
		der[at] ^= 0x20;
		rc = verify(&res, der, len, data, strlen(data), NULL, &err);
		if (rc == 0 && res.valid)
			bad++;
		der[at] ^= 0x20;
	}
	UA_INT(bad, 0);
	free(der);
}

static void
verify_rejects_garbage_der(void)
{
	dexf_err err;
	dexf_sig_result res;
	unsigned char junk[300];
	size_t len;
	int rc;
	unsigned char *der = sign_as("ecdsa256", NULL, NULL, &len, &rc, &err);
	unsigned char *longer;

	unit_fill_random(junk, sizeof(junk), 3);
	UA_INT(verify(&res, junk, sizeof(junk), data, strlen(data), NULL, &err),
	    DEXF_EINTEGRITY);
	UA_INT(res.parsed, 0);
	UA_INT(res.valid, 0);
	UA_INT(res.trust, DEXF_TRUST_INVALID);
	UA_HAS(err.msg, "000000.p7s");
	UA_INT(verify(&res, junk, 0, data, strlen(data), NULL, &err),
	    DEXF_EINTEGRITY);
	if (der == NULL) {
		CU_FAIL("sign");
		return;
	}
	UA_INT(verify(&res, der, len - 1, data, strlen(data), NULL, &err),
	    DEXF_EINTEGRITY);
	longer = malloc(len + 1);
	if (longer != NULL) {
		memcpy(longer, der, len);
		longer[len] = 0;
		UA_INT(verify(&res, longer, len + 1, data, strlen(data), NULL,
		    &err), DEXF_EINTEGRITY);
		UA_HAS(err.msg, "trailing");
		free(longer);
	}
	free(der);
}

/* Signatures made by stock openssl, outside the profile or not. */
static void
verify_openssl_sha1_signature_is_unsupported(void)
{
	char sig[512], args[4096];
	unsigned char *der;
	size_t len;
	dexf_sig_result res;
	dexf_err err;

	unit_join(sig, sizeof(sig), dir, "sha1.p7s");
	snprintf(args, sizeof(args), "-md sha1 -signer '%s' -inkey '%s'",
	    unit_pki("ecdsa256.pem"), unit_pki("ecdsa256.key"));
	UA_INT(openssl_sign(sig, args), 0);
	der = unit_read_file(sig, &len);
	if (der == NULL) {
		CU_FAIL("openssl cms -sign -md sha1");
		return;
	}
	UA_INT(verify(&res, der, len, data, strlen(data), NULL, &err),
	    DEXF_EUNSUPPORTED);
	UA_INT(res.valid, 0);
	UA_HAS(err.msg, "SHA1");
	free(der);
}

static void
verify_openssl_rsa_pkcs1_signature_is_accepted(void)
{
	char sig[512], args[4096];
	unsigned char *der;
	size_t len;
	dexf_sig_result res;
	dexf_err err;
	anchors a = { { NULL }, 1, { NULL }, 0 };

	unit_join(sig, sizeof(sig), dir, "pkcs1.p7s");
	snprintf(args, sizeof(args), "-md sha256 -signer '%s' -inkey '%s'",
	    unit_pki("rsapss.pem"), unit_pki("rsapss.key"));
	UA_INT(openssl_sign(sig, args), 0);
	der = unit_read_file(sig, &len);
	if (der == NULL) {
		CU_FAIL("openssl cms -sign");
		return;
	}
	a.trust[0] = unit_pki("ca.pem");
	UA_INT(verify(&res, der, len, data, strlen(data), &a, &err), 0);
	UA_INT(res.valid, 1);
	UA_STR(res.algorithm, "rsa-pkcs1-sha256");
	UA_INT(res.trust, DEXF_TRUST_TRUSTED);
	free(der);
}

/* FORMAT.md 10.2: ECDSA P-256 goes with SHA-256 only. */
static void
verify_ecdsa_p256_with_sha384_is_accepted(void)
{
	char sig[512], args[4096];
	unsigned char *der;
	size_t len;
	dexf_sig_result res;
	dexf_err err;

	/* any SHA-2 digest of 256 bits or more with any accepted curve:
	 * stock openssl signs P-384 with SHA-256 by default */
	unit_join(sig, sizeof(sig), dir, "p256-sha384.p7s");
	snprintf(args, sizeof(args), "-md sha384 -signer '%s' -inkey '%s'",
	    unit_pki("ecdsa256.pem"), unit_pki("ecdsa256.key"));
	UA_INT(openssl_sign(sig, args), 0);
	der = unit_read_file(sig, &len);
	if (der == NULL) {
		CU_FAIL("openssl cms -sign");
		return;
	}
	UA_INT(verify(&res, der, len, data, strlen(data), NULL, &err), 0);
	UA_STR(res.algorithm, "ecdsa-sha384");
	free(der);
}

static void
verify_requires_signed_attributes(void)
{
	char sig[512], args[4096];
	unsigned char *der;
	size_t len;
	dexf_sig_result res;
	dexf_err err;

	unit_join(sig, sizeof(sig), dir, "noattr.p7s");
	snprintf(args, sizeof(args), "-noattr -md sha256 -signer '%s' "
	    "-inkey '%s'", unit_pki("ecdsa256.pem"), unit_pki("ecdsa256.key"));
	UA_INT(openssl_sign(sig, args), 0);
	der = unit_read_file(sig, &len);
	if (der == NULL) {
		CU_FAIL("openssl cms -sign -noattr");
		return;
	}
	UA_INT(verify(&res, der, len, data, strlen(data), NULL, &err),
	    DEXF_EINTEGRITY);
	UA_INT(res.valid, 0);
	free(der);
}

static void
verify_requires_exactly_one_signer_and_detached_content(void)
{
	char sig[512], args[4096];
	unsigned char *der;
	size_t len;
	dexf_sig_result res;
	dexf_err err;

	unit_join(sig, sizeof(sig), dir, "two.p7s");
	snprintf(args, sizeof(args), "-md sha256 -signer '%s' -inkey '%s' "
	    "-signer '%s' -inkey '%s'", unit_pki("ecdsa256.pem"),
	    unit_pki("ecdsa256.key"), unit_pki("ecdsa384.pem"),
	    unit_pki("ecdsa384.key"));
	UA_INT(openssl_sign(sig, args), 0);
	der = unit_read_file(sig, &len);
	if (der != NULL) {
		UA_INT(verify(&res, der, len, data, strlen(data), NULL, &err),
		    DEXF_EINTEGRITY);
		UA_HAS(err.msg, "one signer");
		free(der);
	} else {
		CU_FAIL("openssl cms -sign (two signers)");
	}
	unit_join(sig, sizeof(sig), dir, "attached.p7s");
	snprintf(args, sizeof(args), "-nodetach -md sha256 -signer '%s' "
	    "-inkey '%s'", unit_pki("ecdsa256.pem"), unit_pki("ecdsa256.key"));
	UA_INT(openssl_sign(sig, args), 0);
	der = unit_read_file(sig, &len);
	if (der != NULL) {
		UA_INT(verify(&res, der, len, data, strlen(data), NULL, &err),
		    DEXF_EINTEGRITY);
		UA_HAS(err.msg, "detached");
		free(der);
	} else {
		CU_FAIL("openssl cms -sign -nodetach");
	}
}

static const unit_test tests[] = {
	{ "load_and_sign_with_each_algorithm",
	    load_and_sign_with_each_algorithm },
	{ "rsa_signature_uses_pss_with_sha256_mgf1_and_salt_32",
	    rsa_signature_uses_pss_with_sha256_mgf1_and_salt_32 },
	{ "signature_is_detached_der_with_required_attributes",
	    signature_is_detached_der_with_required_attributes },
	{ "signature_verifies_with_openssl_cli",
	    signature_verifies_with_openssl_cli },
	{ "encrypted_key_needs_the_right_passphrase",
	    encrypted_key_needs_the_right_passphrase },
	{ "encrypted_key_signature_verifies",
	    encrypted_key_signature_verifies },
	{ "key_not_matching_certificate_is_crypto_error",
	    key_not_matching_certificate_is_crypto_error },
	{ "ed25519_key_is_unsupported", ed25519_key_is_unsupported },
	{ "missing_or_bad_files_are_reported",
	    missing_or_bad_files_are_reported },
	{ "rsa_1024_key_is_unsupported", rsa_1024_key_is_unsupported },
	{ "p521_key_is_unsupported", p521_key_is_unsupported },
	{ "verify_reports_signer_details", verify_reports_signer_details },
	{ "verify_trust_outcomes_by_anchor", verify_trust_outcomes_by_anchor },
	{ "verify_trusts_hashed_ca_directory",
	    verify_trusts_hashed_ca_directory },
	{ "verify_pinned_signer_is_trusted_by_exact_certificate",
	    verify_pinned_signer_is_trusted_by_exact_certificate },
	{ "verify_expired_signer_is_expired_not_invalid",
	    verify_expired_signer_is_expired_not_invalid },
	{ "verify_pinned_expired_signer_is_not_trusted",
	    verify_pinned_expired_signer_is_not_trusted },
	{ "verify_intermediate_embedded_in_signature_builds_chain",
	    verify_intermediate_embedded_in_signature_builds_chain },
	{ "verify_intermediate_alone_is_an_anchor",
	    verify_intermediate_alone_is_an_anchor },
	{ "verify_detects_flipped_data_byte", verify_detects_flipped_data_byte },
	{ "verify_detects_flipped_signature_byte",
	    verify_detects_flipped_signature_byte },
	{ "verify_rejects_garbage_der", verify_rejects_garbage_der },
	{ "verify_openssl_sha1_signature_is_unsupported",
	    verify_openssl_sha1_signature_is_unsupported },
	{ "verify_openssl_rsa_pkcs1_signature_is_accepted",
	    verify_openssl_rsa_pkcs1_signature_is_accepted },
	{ "verify_ecdsa_p256_with_sha384_is_accepted",
	    verify_ecdsa_p256_with_sha384_is_accepted },
	{ "verify_requires_signed_attributes",
	    verify_requires_signed_attributes },
	{ "verify_requires_exactly_one_signer_and_detached_content",
	    verify_requires_exactly_one_signer_and_detached_content },
	{ NULL, NULL }
};

int
unit_register_cms(void)
{
	return unit_add_suite("cms", init, clean, tests);
}
