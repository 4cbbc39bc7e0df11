/*
 * tsa.c - RFC 3161 time-stamp tokens over record signatures.
 *
 * A token proves that the signature bytes existed at genTime, so a signer
 * certificate that expired (or was revoked) afterwards can still be judged
 * at that time.  The token is kept exactly as the authority signed it: a
 * DER ContentInfo holding SignedData over a TSTInfo.
 *
 * The request goes over plain HTTP, which RFC 3161 section 3.4 allows: the
 * reply is signed, and we check that it answers our imprint and nonce.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/httperr.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cms.h"
#include "digest.h"
#include "tsa.h"

#define TSA_CONTENT_QUERY "application/timestamp-query"
#define TSA_CONTENT_REPLY "application/timestamp-reply"
#define TSA_DEFAULT_TIMEOUT 30

/* ------------------------------------------------------------ helpers */

static void
integer_hex(char *out, size_t outlen, const ASN1_INTEGER *ai)
{
	BIGNUM *bn;
	char *h;

	out[0] = '\0';
	if (ai == NULL || (bn = ASN1_INTEGER_to_BN(ai, NULL)) == NULL)
		return;
	if ((h = BN_bn2hex(bn)) != NULL) {
		snprintf(out, outlen, "%s", h);
		for (char *c = out; *c; c++)
			if (*c >= 'A' && *c <= 'F')
				*c = (char)(*c - 'A' + 'a');
		OPENSSL_free(h);
	}
	BN_free(bn);
}

/* The digest an imprint may use: SHA-256 or stronger. */
static const EVP_MD *
imprint_md(int nid)
{
	switch (nid) {
	case NID_sha256: return EVP_sha256();
	case NID_sha384: return EVP_sha384();
	case NID_sha512: return EVP_sha512();
	default: return NULL;
	}
}

/* ------------------------------------------------------------ request */

static TS_REQ *
make_request(const unsigned char md[32], ASN1_INTEGER **nonce_out)
{
	TS_REQ *req = NULL;
	TS_MSG_IMPRINT *mi = NULL;
	X509_ALGOR *alg = NULL;
	ASN1_INTEGER *nonce = NULL;
	BIGNUM *bn = NULL;
	unsigned char rnd[8];
	int ok = 0;

	*nonce_out = NULL;
	if ((req = TS_REQ_new()) == NULL || TS_REQ_set_version(req, 1) != 1 ||
	    (mi = TS_MSG_IMPRINT_new()) == NULL ||
	    (alg = X509_ALGOR_new()) == NULL)
		goto out;
	if (X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL,
	    NULL) != 1 || TS_MSG_IMPRINT_set_algo(mi, alg) != 1 ||
	    TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)md, 32) != 1 ||
	    TS_REQ_set_msg_imprint(req, mi) != 1)
		goto out;
	/* A fresh 64-bit nonce ties the reply to this request (RFC 3161
	 * 2.4.1); it is positive so its DER form is the same everywhere. */
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto out;
	rnd[0] = (unsigned char)((rnd[0] & 0x7f) | 0x01);
	if ((bn = BN_bin2bn(rnd, sizeof(rnd), NULL)) == NULL ||
	    (nonce = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    TS_REQ_set_nonce(req, nonce) != 1)
		goto out;
	if (TS_REQ_set_cert_req(req, 1) != 1)
		goto out;
	ok = 1;
out:
	BN_free(bn);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	if (!ok) {
		ASN1_INTEGER_free(nonce);
		TS_REQ_free(req);
		return NULL;
	}
	*nonce_out = nonce;
	return req;
}

/*
 * Why the transfer failed, from OpenSSL's error queue, in words an
 * examiner can act on ("Connection refused", "HTTP status 500 ...").
 * Returns DEXF_EFORMAT when the server answered with something that is
 * not a time-stamp reply, DEXF_ENETWORK otherwise.  Clears the queue.
 */
static int
transfer_failure(char *out, size_t outlen)
{
	unsigned long e;
	const char *data;
	int flags, code = DEXF_ENETWORK;
	size_t n = 0;

	out[0] = '\0';
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		char piece[256];
		const char *rs;

		if (ERR_GET_LIB(e) == ERR_LIB_SYS) {
			snprintf(piece, sizeof(piece), "%s",
			    strerror(ERR_GET_REASON(e)));
		} else if (ERR_GET_LIB(e) == ERR_LIB_HTTP &&
		    ERR_GET_REASON(e) == HTTP_R_RECEIVED_ERROR &&
		    (flags & ERR_TXT_STRING) && data != NULL) {
			/* data is "code=500,reason=Internal Server Error" */
			const char *c = strstr(data, "code=");
			const char *r = strstr(data, "reason=");
			int len = 0;

			if (c != NULL) {
				c += 5;
				while (c[len] >= '0' && c[len] <= '9')
					len++;
			}
			snprintf(piece, sizeof(piece), "HTTP status %.*s%s%s",
			    len, c ? c : "", r ? " " : "", r ? r + 7 : "");
		} else {
			if (ERR_GET_LIB(e) == ERR_LIB_HTTP)
				switch (ERR_GET_REASON(e)) {
				case HTTP_R_UNEXPECTED_CONTENT_TYPE:
				case HTTP_R_MISSING_CONTENT_TYPE:
				case HTTP_R_MISSING_ASN1_ENCODING:
				case HTTP_R_ERROR_PARSING_ASN1_LENGTH:
				case HTTP_R_ASN1_LEN_EXCEEDS_MAX_RESP_LEN:
				case HTTP_R_MAX_RESP_LEN_EXCEEDED:
				case HTTP_R_INCONSISTENT_CONTENT_LENGTH:
					code = DEXF_EFORMAT;
					break;
				default:
					break;
				}
			if ((rs = ERR_reason_error_string(e)) == NULL)
				continue;
			/* "error receiving: server=..." adds nothing to a
			 * cause already found */
			if (n > 0 && ERR_GET_LIB(e) == ERR_LIB_HTTP &&
			    ERR_GET_REASON(e) == HTTP_R_ERROR_RECEIVING)
				continue;
			if ((flags & ERR_TXT_STRING) && data != NULL &&
			    *data != '\0')
				snprintf(piece, sizeof(piece), "%s: %s", rs,
				    data);
			else
				snprintf(piece, sizeof(piece), "%s", rs);
		}
		/* The same cause is often queued at several levels. */
		if (strstr(out, piece) != NULL)
			continue;
		snprintf(out + n, outlen - n, "%s%s", n ? "; " : "", piece);
		n = strlen(out);
	}
	if (out[0] == '\0')
		snprintf(out, outlen, "no reply");
	return code;
}

static const char *
pki_status_name(long s)
{
	static const char *const names[] = { "granted", "grantedWithMods",
	    "rejection", "waiting", "revocationWarning",
	    "revocationNotification" };

	return s >= 0 && s < 6 ? names[s] : "unknown status";
}

/* PKIStatusInfo as text: status, then failInfo bits, then statusString. */
static void
describe_status(char *out, size_t outlen, TS_STATUS_INFO *si, long status)
{
	static const struct { int bit; const char *name; } fails[] = {
		{ 0, "badAlg" }, { 2, "badRequest" }, { 5, "badDataFormat" },
		{ 14, "timeNotAvailable" }, { 15, "unacceptedPolicy" },
		{ 16, "unacceptedExtension" }, { 17, "addInfoNotAvailable" },
		{ 25, "systemFailure" } };
	const ASN1_BIT_STRING *fi = TS_STATUS_INFO_get0_failure_info(si);
	const STACK_OF(ASN1_UTF8STRING) *text = TS_STATUS_INFO_get0_text(si);
	size_t n;

	snprintf(out, outlen, "%s (%ld)", pki_status_name(status), status);
	n = strlen(out);
	for (size_t i = 0; fi != NULL && i < sizeof(fails) / sizeof(fails[0]);
	    i++)
		if (ASN1_BIT_STRING_get_bit(fi, fails[i].bit)) {
			snprintf(out + n, outlen - n, ", %s", fails[i].name);
			n = strlen(out);
		}
	for (int i = 0; i < sk_ASN1_UTF8STRING_num(text); i++) {
		const ASN1_UTF8STRING *s = sk_ASN1_UTF8STRING_value(text, i);

		snprintf(out + n, outlen - n, "%s\"%.*s\"", i ? " " : ": ",
		    ASN1_STRING_length(s), ASN1_STRING_get0_data(s));
		n = strlen(out);
	}
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Loopback authorities (tests, a TSA on this host) never go through a
 * proxy named in the environment. */
static int
loopback_host(const char *host)
{
	return strcmp(host, "localhost") == 0 ||
	    strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0;
}

/*
 * A write to a connection the authority already closed raises SIGPIPE,
 * which would kill the calling program: hold it back for this thread
 * while we talk, and drop one that we caused.
 */
static void
sigpipe_hold(sigset_t *old, int *pending)
{
	sigset_t set, p;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	*pending = sigpending(&p) == 0 && sigismember(&p, SIGPIPE) == 1;
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void
sigpipe_release(const sigset_t *old, int pending)
{
	sigset_t set, p;
	struct timespec zero = { 0, 0 };

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	if (!pending && sigpending(&p) == 0 && sigismember(&p, SIGPIPE) == 1)
		(void)sigtimedwait(&set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/*
 * Connect to host:port within timeout_ms; a non-blocking socket, which
 * OSSL_HTTP then drives with its own timeout.  OpenSSL 3.0 would retry a
 * refused connection until the timeout and then only say "connect
 * timeout": connecting here keeps the real cause for the message.
 */
static int
tsa_connect(const char *host, const char *port, long timeout_ms,
    char *why, size_t whylen)
{
	struct addrinfo hints, *res = NULL, *a;
	struct timespec t0;
	char name[256];
	size_t hl = strlen(host);
	int fd = -1, g, e = 0;

	/* An IPv6 literal comes in brackets, as in the URL. */
	if (hl > 2 && host[0] == '[' && host[hl - 1] == ']')
		snprintf(name, sizeof(name), "%.*s", (int)(hl - 2), host + 1);
	else
		snprintf(name, sizeof(name), "%s", host);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((g = getaddrinfo(name, port, &hints, &res)) != 0) {
		snprintf(why, whylen, "cannot resolve %s: %s", host,
		    g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (a = res; a != NULL; a = a->ai_next) {
		struct pollfd pfd;
		socklen_t sl = sizeof(e);
		long left = timeout_ms - ms_since(&t0);

		if (left <= 0) {
			e = ETIMEDOUT;
			break;
		}
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
			e = errno;
			goto next;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (errno != EINPROGRESS) {
			e = errno;
			goto next;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do
			g = poll(&pfd, 1, (int)(timeout_ms - ms_since(&t0) > 0 ?
			    timeout_ms - ms_since(&t0) : 0));
		while (g < 0 && errno == EINTR);
		if (g == 0)
			e = ETIMEDOUT;
		else if (g < 0)
			e = errno;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) != 0)
			e = errno;
		if (e == 0)
			break;
next:
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(why, whylen, "cannot connect to %s port %s: %s", host,
		    port, strerror(e ? e : ECONNREFUSED));
	return fd;
}

int
dexf_tsa_request(const char *url, const unsigned char *data, size_t len,
    int timeout, unsigned char **tok, size_t *toklen, dexf_err *err)
{
	char *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	char *fullpath = NULL, why[600];
	unsigned char md[32], *reqder = NULL, *p = NULL;
	int ssl = 0, n, rc = 0;
	TS_REQ *req = NULL;
	ASN1_INTEGER *nonce = NULL;
	BIO *reqbio = NULL, *rsp = NULL, *conn = NULL;
	TS_RESP *resp = NULL;
	struct timespec t0;
	sigset_t oldmask;
	int left = 0, held = 0, pipe_pending = 0;
	TS_STATUS_INFO *si;
	TS_TST_INFO *tst;
	TS_MSG_IMPRINT *mi;
	ASN1_OCTET_STRING *got;
	const ASN1_INTEGER *gotnonce;
	PKCS7 *token;
	long status;
	dexf_tsa_result res;

	*tok = NULL;
	*toklen = 0;
	ERR_clear_error();
	if (url == NULL || strncmp(url, "http://", 7) != 0)
		return dexf_seterr(err, DEXF_EINVAL, "%s: time-stamp authority "
		    "URL must start with http://", url ? url : "(null)");
	if (OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path,
	    &query, NULL) != 1 || ssl) {
		ERR_clear_error();
		rc = dexf_seterr(err, DEXF_EINVAL,
		    "%s: not a valid http:// URL", url);
		goto out;
	}
	if (query != NULL) {
		size_t fl = strlen(path) + strlen(query) + 2;

		if ((fullpath = malloc(fl)) == NULL) {
			rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
			goto out;
		}
		snprintf(fullpath, fl, "%s?%s", path, query);
	}
	if (timeout <= 0)
		timeout = TSA_DEFAULT_TIMEOUT;
	if (dexf_sha256(md, data, len) != 0 ||
	    (req = make_request(md, &nonce)) == NULL ||
	    (n = i2d_TS_REQ(req, &reqder)) <= 0 ||
	    (reqbio = BIO_new_mem_buf(reqder, n)) == NULL) {
		rc = dexf_seterr_ssl(err, DEXF_ECRYPTO,
		    "%s: cannot build the time-stamp request", url);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigpipe_hold(&oldmask, &pipe_pending);
	held = 1;
	if (loopback_host(host) ||
	    OSSL_HTTP_adapt_proxy(NULL, NULL, host, 0) == NULL) {
		/* Direct: connect here, for a precise reason on failure. */
		int fd = tsa_connect(host, port, timeout * 1000L, why,
		    sizeof(why));

		if (fd < 0) {
			rc = dexf_seterr(err, DEXF_ENETWORK, "%s: time-stamp "
			    "authority cannot be used: %s", url, why);
			goto out;
		}
		if ((conn = BIO_new_socket(fd, BIO_CLOSE)) == NULL) {
			close(fd);
			rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
			goto out;
		}
		left = timeout - (int)(ms_since(&t0) / 1000);
		if (left < 1)
			left = 1;
	}
	/* Given conn as both BIOs, OSSL_HTTP does no connect of its own;
	 * through an http_proxy from the environment, it connects. */
	rsp = OSSL_HTTP_transfer(NULL, host, port,
	    fullpath ? fullpath : path, 0, NULL, NULL, conn, conn, NULL, NULL,
	    0, NULL, TSA_CONTENT_QUERY, reqbio, TSA_CONTENT_REPLY, 1,
	    DEXF_TSA_MAX, conn ? left : timeout, 0);
	BIO_free_all(conn);
	conn = NULL;
	sigpipe_release(&oldmask, pipe_pending);
	held = 0;
	if (rsp == NULL) {
		rc = transfer_failure(why, sizeof(why));
		rc = dexf_seterr(err, rc, "%s: time-stamp authority %s: %s",
		    url, rc == DEXF_EFORMAT ? "sent no time-stamp reply" :
		    "cannot be used", why);
		goto out;
	}
	if ((resp = d2i_TS_RESP_bio(rsp, NULL)) == NULL) {
		rc = dexf_seterr_ssl(err, DEXF_EFORMAT,
		    "%s: reply is not an RFC 3161 TimeStampResp", url);
		goto out;
	}
	si = TS_RESP_get_status_info(resp);
	status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si));
	if (status != 0 && status != 1) {
		describe_status(why, sizeof(why), si, status);
		rc = dexf_seterr(err, DEXF_ENETWORK, "%s: time-stamp authority "
		    "refused the request: %s", url, why);
		goto out;
	}
	token = TS_RESP_get_token(resp);
	tst = TS_RESP_get_tst_info(resp);
	if (token == NULL || tst == NULL) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: reply grants the "
		    "request but holds no time-stamp token", url);
		goto out;
	}
	/* The reply must answer this request, not another one. */
	mi = TS_TST_INFO_get_msg_imprint(tst);
	got = TS_MSG_IMPRINT_get_msg(mi);
	if (OBJ_obj2nid(TS_MSG_IMPRINT_get_algo(mi)->algorithm) != NID_sha256 ||
	    ASN1_STRING_length(got) != 32 ||
	    memcmp(ASN1_STRING_get0_data(got), md, 32) != 0) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: time-stamp token "
		    "imprint is not the SHA-256 we sent", url);
		goto out;
	}
	gotnonce = TS_TST_INFO_get_nonce(tst);
	if (gotnonce == NULL || ASN1_INTEGER_cmp(gotnonce, nonce) != 0) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: time-stamp token "
		    "%s the request's nonce", url, gotnonce ? "does not echo" :
		    "lacks");
		goto out;
	}
	if ((n = i2d_PKCS7(token, &p)) <= 0) {
		rc = dexf_seterr_ssl(err, DEXF_EFORMAT,
		    "%s: cannot encode the time-stamp token", url);
		goto out;
	}
	/* Keep nothing that would fail verification later. */
	if ((rc = dexf_tsa_verify(&res, p, (size_t)n, data, len, NULL, 0, url,
	    err)) != 0)
		goto out;
	if ((*tok = malloc((size_t)n)) == NULL) {
		rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(*tok, p, (size_t)n);
	*toklen = (size_t)n;
out:
	BIO_free_all(conn);
	if (held)
		sigpipe_release(&oldmask, pipe_pending);
	OPENSSL_free(p);
	TS_RESP_free(resp);
	BIO_free(rsp);
	BIO_free(reqbio);
	OPENSSL_free(reqder);
	ASN1_INTEGER_free(nonce);
	TS_REQ_free(req);
	free(fullpath);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	OPENSSL_free(query);
	ERR_clear_error();
	return rc;
}

/* ------------------------------------------------------------ verify */

/*
 * The token names its signer certificate in a signed ESS attribute
 * (RFC 3161 2.4.1, RFC 5816); without that check another certificate
 * with the same key could be substituted.
 */
static int
ess_binds_signer(PKCS7_SIGNER_INFO *si, X509 *signer)
{
	ASN1_TYPE *a1, *a2;
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ss2 = NULL;
	STACK_OF(X509) *chain = NULL;
	const unsigned char *q;
	int ok = 0;

	a1 = PKCS7_get_signed_attribute(si, NID_id_smime_aa_signingCertificate);
	a2 = PKCS7_get_signed_attribute(si,
	    NID_id_smime_aa_signingCertificateV2);
	if (a1 != NULL) {
		if (a1->type != V_ASN1_SEQUENCE)
			goto out;
		q = a1->value.sequence->data;
		if ((ss = d2i_ESS_SIGNING_CERT(NULL, &q,
		    a1->value.sequence->length)) == NULL)
			goto out;
	}
	if (a2 != NULL) {
		if (a2->type != V_ASN1_SEQUENCE)
			goto out;
		q = a2->value.sequence->data;
		if ((ss2 = d2i_ESS_SIGNING_CERT_V2(NULL, &q,
		    a2->value.sequence->length)) == NULL)
			goto out;
	}
	if ((chain = sk_X509_new_null()) == NULL ||
	    sk_X509_push(chain, signer) <= 0)
		goto out;
	ok = OSSL_ESS_check_signing_certs(ss, ss2, chain, 1) == 1;
out:
	sk_X509_free(chain);
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ss2);
	return ok;
}

/* RFC 3161 2.3: exactly one EKU extension, critical, timeStamping only. */
static int
timestamping_eku(X509 *x)
{
	int i = X509_get_ext_by_NID(x, NID_ext_key_usage, -1);

	if (i < 0 || X509_get_ext_by_NID(x, NID_ext_key_usage, i) >= 0)
		return 0;
	if (!X509_EXTENSION_get_critical(X509_get_ext(x, i)))
		return 0;
	return X509_get_extended_key_usage(x) == XKU_TIMESTAMP;
}

static void
evaluate_tsa_trust(dexf_tsa_result *res, X509 *signer,
    STACK_OF(X509) *untrusted, const char *const *trust, size_t ntrust)
{
	X509_STORE *st = NULL;
	X509_STORE_CTX *ctx = NULL;
	int verr;

	if (ntrust == 0) {
		res->trust = DEXF_TRUST_UNKNOWN;
		snprintf(res->trust_detail, sizeof(res->trust_detail),
		    "no time-stamp authority trust anchors given "
		    "(--tsa-trust)");
		return;
	}
	res->trust = DEXF_TRUST_UNTRUSTED;
	if (!timestamping_eku(signer)) {
		snprintf(res->trust_detail, sizeof(res->trust_detail),
		    "TSA certificate lacks a critical extended key usage of "
		    "timeStamping only (RFC 3161 2.3)");
		return;
	}
	if ((st = X509_STORE_new()) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL) {
		snprintf(res->trust_detail, sizeof(res->trust_detail),
		    "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ntrust; i++)
		if (dexf_anchor_load(st, trust[i]) != 0) {
			snprintf(res->trust_detail, sizeof(res->trust_detail),
			    "cannot load TSA trust anchors from %s", trust[i]);
			goto out;
		}
	/* Certificates in the token are only candidate intermediates. */
	if (X509_STORE_CTX_init(ctx, st, signer, untrusted) != 1)
		goto out;
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_TIMESTAMP_SIGN);
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
	/* The authority vouches for genTime: its certificate must have
	 * been valid then, not necessarily now. */
	X509_STORE_CTX_set_time(ctx, 0, res->gen_time);
	if (X509_verify_cert(ctx) == 1) {
		STACK_OF(X509) *ch = X509_STORE_CTX_get0_chain(ctx);
		X509 *root = sk_X509_value(ch, sk_X509_num(ch) - 1);
		char rn[256];

		dexf_x509_name_text(rn, sizeof(rn),
		    X509_get_subject_name(root));
		res->trust = DEXF_TRUST_TRUSTED;
		snprintf(res->trust_detail, sizeof(res->trust_detail),
		    "TSA chains to trusted anchor %s at %s", rn, res->time);
		goto out;
	}
	verr = X509_STORE_CTX_get_error(ctx);
	if (verr == X509_V_ERR_CERT_HAS_EXPIRED ||
	    verr == X509_V_ERR_CERT_NOT_YET_VALID)
		res->trust = DEXF_TRUST_EXPIRED;
	snprintf(res->trust_detail, sizeof(res->trust_detail),
	    "TSA certificate at %s: %s", res->time,
	    X509_verify_cert_error_string(verr));
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
}

static void
describe_tst(dexf_tsa_result *res, TS_TST_INFO *tst)
{
	const ASN1_GENERALIZEDTIME *gt = TS_TST_INFO_get_time(tst);
	ASN1_OBJECT *pol = TS_TST_INFO_get_policy_id(tst);
	struct tm tm;

	if (gt != NULL && ASN1_TIME_to_tm(gt, &tm) == 1) {
		res->gen_time = timegm(&tm);
		strftime(res->time, sizeof(res->time), "%Y-%m-%dT%H:%M:%SZ",
		    &tm);
	}
	integer_hex(res->serial, sizeof(res->serial),
	    TS_TST_INFO_get_serial(tst));
	if (pol != NULL && OBJ_obj2txt(res->policy, sizeof(res->policy), pol,
	    1) < 0)
		res->policy[0] = '\0';
}

int
dexf_tsa_verify(dexf_tsa_result *res, const unsigned char *tok, size_t len,
    const unsigned char *data, size_t dlen, const char *const *tsa_trust,
    size_t ntrust, const char *what, dexf_err *err)
{
	const unsigned char *p = tok;
	PKCS7 *p7 = NULL;
	TS_TST_INFO *tst = NULL;
	STACK_OF(PKCS7_SIGNER_INFO) *sis;
	STACK_OF(X509) *signers = NULL;
	TS_MSG_IMPRINT *mi;
	const ASN1_OCTET_STRING *got;
	const EVP_MD *md;
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int diglen = 0;
	X509 *signer;
	int rc = 0, nid;

	memset(res, 0, sizeof(*res));
	res->trust = DEXF_TRUST_INVALID;
	ERR_clear_error();
	if (len > DEXF_TSA_MAX) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: time-stamp token is "
		    "%zu bytes, more than the %d allowed", what, len,
		    DEXF_TSA_MAX);
		goto out;
	}
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (p7 == NULL || p != tok + len) {
		rc = dexf_seterr_ssl(err, DEXF_EFORMAT, "%s: not a DER "
		    "time-stamp token%s", what, p7 ? " (trailing bytes)" : "");
		goto out;
	}
	if (!PKCS7_type_is_signed(p7) ||
	    (tst = PKCS7_to_TS_TST_INFO(p7)) == NULL) {
		rc = dexf_seterr_ssl(err, DEXF_EFORMAT, "%s: not an RFC 3161 "
		    "TimeStampToken (SignedData over TSTInfo)", what);
		goto out;
	}
	res->parsed = 1;
	describe_tst(res, tst);

	mi = TS_TST_INFO_get_msg_imprint(tst);
	nid = OBJ_obj2nid(TS_MSG_IMPRINT_get_algo(mi)->algorithm);
	got = TS_MSG_IMPRINT_get_msg(mi);
	if ((md = imprint_md(nid)) == NULL) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY, "%s: time-stamp imprint "
		    "algorithm %s is not allowed (SHA-256 or stronger "
		    "required)", what, OBJ_nid2sn(nid));
		goto out;
	}
	if (EVP_Digest(data, dlen, dig, &diglen, md, NULL) != 1) {
		rc = dexf_seterr_ssl(err, DEXF_ECRYPTO, "%s: cannot hash the "
		    "time-stamped bytes", what);
		goto out;
	}
	if ((unsigned)ASN1_STRING_length(got) != diglen ||
	    memcmp(ASN1_STRING_get0_data(got), dig, diglen) != 0) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY, "%s: time-stamp token "
		    "imprint does not match the %s of the stamped bytes", what,
		    OBJ_nid2sn(nid));
		goto out;
	}
	res->imprint_ok = 1;

	sis = PKCS7_get_signer_info(p7);
	if (sis == NULL || sk_PKCS7_SIGNER_INFO_num(sis) != 1) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY, "%s: time-stamp token "
		    "must have exactly one signer, has %d", what,
		    sis ? sk_PKCS7_SIGNER_INFO_num(sis) : 0);
		goto out;
	}
	signers = PKCS7_get0_signers(p7, NULL, 0);
	if (signers == NULL || sk_X509_num(signers) != 1) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY, "%s: time-stamp token "
		    "does not carry the TSA certificate", what);
		goto out;
	}
	signer = sk_X509_value(signers, 0);
	dexf_x509_name_text(res->tsa_subject, sizeof(res->tsa_subject),
	    X509_get_subject_name(signer));
	/* Integrity only: the TSA's signature with its own certificate.
	 * Whether that authority is believed is decided below. */
	if (PKCS7_verify(p7, NULL, NULL, NULL, NULL, PKCS7_NOVERIFY |
	    PKCS7_NOCHAIN) != 1) {
		rc = dexf_seterr_ssl(err, DEXF_EINTEGRITY,
		    "%s: time-stamp token signature does not verify", what);
		goto out;
	}
	if (!ess_binds_signer(sk_PKCS7_SIGNER_INFO_value(sis, 0), signer)) {
		rc = dexf_seterr(err, DEXF_EINTEGRITY, "%s: time-stamp token "
		    "signing-certificate attribute does not name its signer",
		    what);
		goto out;
	}
	res->signature_ok = 1;
	evaluate_tsa_trust(res, signer, p7->d.sign->cert, tsa_trust, ntrust);
out:
	sk_X509_free(signers);
	TS_TST_INFO_free(tst);
	PKCS7_free(p7);
	ERR_clear_error();
	return rc;
}
