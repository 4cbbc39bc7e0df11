/*
 * test_tsa.c - RFC 3161 time-stamps: requests to a real TSA on loopback
 * (tests/tsa/responder.py, which answers with `openssl ts -reply`), and
 * token verification: imprint, TSA signature, TSA trust only from the
 * caller's anchors, judged at genTime.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "cms.h"
#include "tsa.h"
#include "unit.h"

/* The responders this suite runs: normal, and the failure modes. */
enum { TSA_OK, TSA_FAIL, TSA_REJECT, TSA_GARBAGE, TSA_N };
static const char *const tsa_opt[TSA_N] = { NULL, "--fail", "--reject",
    "--garbage" };
static pid_t tsa_pid[TSA_N];
static char tsa_url[TSA_N][64];

static char *dir;
static char data_path[512], tok_path[512];
static const char data[] = "0\x82 pretend these are the bytes of 000001.p7s";
static unsigned char *tok;      /* a token over `data`, from TSA_OK */
static size_t toklen;

static const char *
python3(void)
{
	const char *p = getenv("PYTHON3");

	return p != NULL && *p != '\0' ? p : "python3";
}

/* Start tests/tsa/responder.py (+ option); wait for its port file. */
static pid_t
start_responder(const char *tag, const char *opt, const char *opt2,
    char *url, size_t urllen)
{
	char portfile[512], sdir[512], script[1024];
	unsigned char *p;
	size_t n;
	pid_t pid;

	snprintf(portfile, sizeof(portfile), "%s/%s.port", dir, tag);
	snprintf(sdir, sizeof(sdir), "%s/%s.d", dir, tag);
	snprintf(script, sizeof(script), "%s/tests/tsa/responder.py",
	    TOP_SRCDIR);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		const char *argv[8];
		int i = 0;

		argv[i++] = python3();
		argv[i++] = script;
		argv[i++] = "--serial-dir";
		argv[i++] = sdir;
		if (opt != NULL)
			argv[i++] = opt;
		if (opt2 != NULL)
			argv[i++] = opt2;
		argv[i++] = portfile;
		argv[i] = NULL;
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		int status;

		if ((p = unit_read_file(portfile, &n)) != NULL && n > 1) {
			snprintf(url, urllen, "http://127.0.0.1:%d/tsa",
			    atoi((char *)p));
			free(p);
			return pid;
		}
		free(p);
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "test_tsa: responder %s exited (%d)\n",
			    tag, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static void
stop_responder(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static int clean(void);

/* CUnit does not call clean() when init() fails: stop the responders. */
static int
init_failed(void)
{
	clean();
	return 1;
}

static int
init(void)
{
	dexf_err err;
	static const char *const tags[TSA_N] = { "ok", "fail", "reject",
	    "garbage" };

	if ((dir = unit_mkdtemp("tsa")) == NULL)
		return 1;
	unit_join(data_path, sizeof(data_path), dir, "000001.p7s");
	unit_join(tok_path, sizeof(tok_path), dir, "000001.tst");
	if (unit_write_file(data_path, data, sizeof(data) - 1) != 0)
		return init_failed();
	for (int i = 0; i < TSA_N; i++)
		if ((tsa_pid[i] = start_responder(tags[i], tsa_opt[i], NULL,
		    tsa_url[i], sizeof(tsa_url[i]))) < 0)
			return init_failed();
	memset(&err, 0, sizeof(err));
	if (dexf_tsa_request(tsa_url[TSA_OK], (const unsigned char *)data,
	    sizeof(data) - 1, 10, &tok, &toklen, &err) != 0) {
		fprintf(stderr, "test_tsa: %s\n", err.msg);
		return init_failed();
	}
	if (unit_write_file(tok_path, tok, toklen) != 0)
		return init_failed();
	return 0;
}

static int
clean(void)
{
	for (int i = 0; i < TSA_N; i++) {
		stop_responder(tsa_pid[i]);
		tsa_pid[i] = 0;
	}
	free(tok);
	tok = NULL;
	unit_rmrf(dir);
	free(dir);
	dir = NULL;
	return 0;
}

static int
verify_over(dexf_tsa_result *res, const unsigned char *t, size_t tlen,
    const char *over, size_t overlen, const char *anchor, dexf_err *err)
{
	const char *trust[1] = { anchor };

	memset(err, 0, sizeof(*err));
	return dexf_tsa_verify(res, t, tlen, (const unsigned char *)over,
	    overlen, trust, anchor ? 1 : 0, "000001.tst", err);
}

/* A port on 127.0.0.1 where nothing listens (bound, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(s, (struct sockaddr *)&sa, &sl) == 0)
		port = ntohs(sa.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* ------------------------------------------------------------ request */

static void
request_gives_a_token_trusted_with_the_tsa_ca(void)
{
	dexf_tsa_result res;
	dexf_err err;
	time_t now = time(NULL);

	UA(tok != NULL && toklen > 100 && toklen < DEXF_TSA_MAX);
	UA_INT(verify_over(&res, tok, toklen, data, sizeof(data) - 1,
	    unit_pki("tsa-ca.pem"), &err), 0);
	UA_INT(res.parsed, 1);
	UA_INT(res.imprint_ok, 1);
	UA_INT(res.signature_ok, 1);
	UA_INT(res.trust, DEXF_TRUST_TRUSTED);
	UA_HAS(res.trust_detail, "CN=dexf Test TSA CA");
	UA_HAS(res.tsa_subject, "CN=dexf Test Time-Stamp Authority");
	UA_HAS(res.tsa_subject, "O=dexf Test TSA");
	UA_STR(res.policy, "2.999.3161.1");
	UA(res.serial[0] != '\0');
	UA(res.gen_time > now - 300 && res.gen_time < now + 300);
	UA_INT(strlen(res.time), 20);
	UA_INT(res.time[10], 'T');
	UA_INT(res.time[19], 'Z');
	{
		char want[24];
		struct tm tm;

		gmtime_r(&res.gen_time, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		UA_STR(res.time, want);
	}
}

static void
token_is_accepted_by_openssl_ts_verify(void)
{
	char cmd[4096], other[512];

	snprintf(cmd, sizeof(cmd), "openssl ts -verify -in '%s' -token_in "
	    "-data '%s' -CAfile '%s' -untrusted '%s' >/dev/null 2>&1",
	    tok_path, data_path, unit_pki("tsa-ca.pem"), unit_pki("tsa.pem"));
	UA_INT(system(cmd), 0);
	/* and the same command can fail: over other bytes it must */
	unit_join(other, sizeof(other), dir, "other.p7s");
	UA_INT(unit_write_file(other, "other", 5), 0);
	snprintf(cmd, sizeof(cmd), "openssl ts -verify -in '%s' -token_in "
	    "-data '%s' -CAfile '%s' -untrusted '%s' >/dev/null 2>&1",
	    tok_path, other, unit_pki("tsa-ca.pem"), unit_pki("tsa.pem"));
	UA(system(cmd) != 0);
}

static void
each_request_has_a_fresh_nonce_and_serial(void)
{
	unsigned char *t2 = NULL;
	size_t t2len = 0;
	dexf_tsa_result r1, r2;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	UA_INT(dexf_tsa_request(tsa_url[TSA_OK], (const unsigned char *)data,
	    sizeof(data) - 1, 0, &t2, &t2len, &err), 0);
	UA(t2 != NULL);
	if (t2 == NULL)
		return;
	UA_INT(verify_over(&r1, tok, toklen, data, sizeof(data) - 1, NULL,
	    &err), 0);
	UA_INT(verify_over(&r2, t2, t2len, data, sizeof(data) - 1, NULL,
	    &err), 0);
	UA(strcmp(r1.serial, r2.serial) != 0);
	UA(t2len != toklen || memcmp(t2, tok, toklen) != 0);
	free(t2);
}

static void
refused_connection_is_a_network_error_naming_the_url(void)
{
	char url[64];
	unsigned char *t = (unsigned char *)"x";
	size_t tl = 7;
	dexf_err err;
	int port = closed_port();

	UA(port > 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/tsa", port);
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_tsa_request(url, (const unsigned char *)data,
	    sizeof(data) - 1, 5, &t, &tl, &err), DEXF_ENETWORK);
	UA(t == NULL);
	UA_INT(tl, 0);
	UA_HAS(err.msg, url);
	UA_HAS(err.msg, "Connection refused");
}

static void
http_500_is_a_network_error_with_the_status(void)
{
	unsigned char *t = NULL;
	size_t tl = 0;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	UA_INT(dexf_tsa_request(tsa_url[TSA_FAIL], (const unsigned char *)data,
	    sizeof(data) - 1, 5, &t, &tl, &err), DEXF_ENETWORK);
	UA(t == NULL);
	UA_HAS(err.msg, tsa_url[TSA_FAIL]);
	UA_HAS(err.msg, "HTTP status 500");
}

static void
rejection_is_a_network_error_with_pki_status(void)
{
	unsigned char *t = NULL;
	size_t tl = 0;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	UA_INT(dexf_tsa_request(tsa_url[TSA_REJECT],
	    (const unsigned char *)data, sizeof(data) - 1, 5, &t, &tl, &err),
	    DEXF_ENETWORK);
	UA(t == NULL);
	UA_HAS(err.msg, tsa_url[TSA_REJECT]);
	UA_HAS(err.msg, "refused the request: rejection (2)");
	UA_HAS(err.msg, "badAlg");
	/* openssl's statusString */
	UA_HAS(err.msg, "not supported");
}

static void
non_der_reply_is_a_format_error(void)
{
	unsigned char *t = NULL;
	size_t tl = 0;
	dexf_err err;

	memset(&err, 0, sizeof(err));
	UA_INT(dexf_tsa_request(tsa_url[TSA_GARBAGE],
	    (const unsigned char *)data, sizeof(data) - 1, 5, &t, &tl, &err),
	    DEXF_EFORMAT);
	UA(t == NULL);
	UA_HAS(err.msg, tsa_url[TSA_GARBAGE]);
}

static void
silent_server_times_out(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char url[64];
	unsigned char *t = NULL;
	size_t tl = 0;
	dexf_err err;
	time_t t0;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	/* Listens (the kernel completes the handshake) but never answers. */
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	UA(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    listen(s, 4) == 0 &&
	    getsockname(s, (struct sockaddr *)&sa, &sl) == 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(sa.sin_port));
	memset(&err, 0, sizeof(err));
	t0 = time(NULL);
	UA_INT(dexf_tsa_request(url, (const unsigned char *)data,
	    sizeof(data) - 1, 2, &t, &tl, &err), DEXF_ENETWORK);
	UA(time(NULL) - t0 <= 6);
	UA_HAS(err.msg, url);
	UA_HAS(err.msg, "timeout");
	if (s >= 0)
		close(s);
}

static void
only_http_urls_are_accepted(void)
{
	static const char *const bad[] = { "https://127.0.0.1/tsa",
	    "ftp://127.0.0.1/tsa", "127.0.0.1:80/tsa", "file:///etc/passwd",
	    "" };
	unsigned char *t = NULL;
	size_t tl = 0;
	dexf_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		UA_INT(dexf_tsa_request(bad[i], (const unsigned char *)data,
		    sizeof(data) - 1, 1, &t, &tl, &err), DEXF_EINVAL);
		UA(t == NULL);
		UA_HAS(err.msg, "must start with http://");
	}
}

/* ------------------------------------------------------------ verify */

static void
no_anchors_is_unknown_and_wrong_ca_is_untrusted(void)
{
	dexf_tsa_result res;
	dexf_err err;

	UA_INT(verify_over(&res, tok, toklen, data, sizeof(data) - 1, NULL,
	    &err), 0);
	UA_INT(res.signature_ok, 1);
	UA_INT(res.trust, DEXF_TRUST_UNKNOWN);
	UA_HAS(res.trust_detail, "--tsa-trust");
	/* The signers' CA is no TSA anchor.  The token carries tsa-ca.pem
	 * itself, and that root must not be trusted for being there. */
	UA_INT(verify_over(&res, tok, toklen, data, sizeof(data) - 1,
	    unit_pki("ca.pem"), &err), 0);
	UA_INT(res.signature_ok, 1);
	UA_INT(res.trust, DEXF_TRUST_UNTRUSTED);
	UA_HAS(res.trust_detail, "self-signed certificate in certificate "
	    "chain");
	/* A missing anchor file is reported, not ignored. */
	UA_INT(verify_over(&res, tok, toklen, data, sizeof(data) - 1,
	    "/nonexistent/tsa-ca.pem", &err), 0);
	UA_INT(res.trust, DEXF_TRUST_UNTRUSTED);
	UA_HAS(res.trust_detail, "cannot load TSA trust anchors from "
	    "/nonexistent/tsa-ca.pem");
}

static void
hashed_directory_anchor_is_trusted(void)
{
	char adir[512], copy[600], cmd[2048];
	dexf_tsa_result res;
	dexf_err err;

	unit_join(adir, sizeof(adir), dir, "anchors");
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s' '%s/' && "
	    "openssl rehash '%s' >/dev/null 2>&1", adir,
	    unit_pki("tsa-ca.pem"), adir, adir);
	UA_INT(system(cmd), 0);
	snprintf(copy, sizeof(copy), "%s/tsa-ca.pem", adir);
	UA(unit_exists(copy));
	UA_INT(verify_over(&res, tok, toklen, data, sizeof(data) - 1, adir,
	    &err), 0);
	UA_INT(res.trust, DEXF_TRUST_TRUSTED);
}

static void
other_data_is_an_integrity_failure(void)
{
	dexf_tsa_result res;
	dexf_err err;
	static const char other[] = "0\x82 the bytes of another signature";

	UA_INT(verify_over(&res, tok, toklen, other, sizeof(other) - 1,
	    unit_pki("tsa-ca.pem"), &err), DEXF_EINTEGRITY);
	UA_INT(res.parsed, 1);
	UA_INT(res.imprint_ok, 0);
	UA_INT(res.signature_ok, 0);
	UA(res.trust != DEXF_TRUST_TRUSTED);
	UA_HAS(err.msg, "000001.tst: time-stamp token imprint does not match");
	/* genTime is still reported, for the examiner */
	UA_INT(strlen(res.time), 20);
	/* one byte less is other data too */
	UA_INT(verify_over(&res, tok, toklen, data, sizeof(data) - 2,
	    unit_pki("tsa-ca.pem"), &err), DEXF_EINTEGRITY);
	UA_INT(res.imprint_ok, 0);
}

static void
damaged_signature_is_an_integrity_failure(void)
{
	dexf_tsa_result res;
	dexf_err err;
	unsigned char *bad = malloc(toklen);

	UA(bad != NULL);
	if (bad == NULL)
		return;
	/* The token ends with the SignerInfo's signature value. */
	memcpy(bad, tok, toklen);
	bad[toklen - 1] ^= 0x01;
	UA_INT(verify_over(&res, bad, toklen, data, sizeof(data) - 1,
	    unit_pki("tsa-ca.pem"), &err), DEXF_EINTEGRITY);
	UA_INT(res.parsed, 1);
	UA_INT(res.imprint_ok, 1);
	UA_INT(res.signature_ok, 0);
	UA_INT(res.trust, DEXF_TRUST_INVALID);
	UA_HAS(err.msg, "000001.tst: time-stamp token signature does not "
	    "verify");
	free(bad);
}

static void
edited_gentime_breaks_the_signature(void)
{
	dexf_tsa_result res, orig;
	dexf_err err;
	unsigned char *bad = malloc(toklen);
	unsigned char *g = NULL;

	UA(bad != NULL);
	if (bad == NULL)
		return;
	UA_INT(verify_over(&orig, tok, toklen, data, sizeof(data) - 1, NULL,
	    &err), 0);
	memcpy(bad, tok, toklen);
	/* GeneralizedTime "YYYYMMDDHHMMSSZ": change the year's last digit */
	for (size_t i = 0; i + 17 < toklen; i++)
		if (bad[i] == 0x18 && bad[i + 1] == 15 && bad[i + 16] == 'Z') {
			g = bad + i + 2;
			break;
		}
	UA(g != NULL);
	if (g != NULL) {
		g[3] = g[3] == '9' ? '8' : (unsigned char)(g[3] + 1);
		UA_INT(verify_over(&res, bad, toklen, data, sizeof(data) - 1,
		    unit_pki("tsa-ca.pem"), &err), DEXF_EINTEGRITY);
		UA_INT(res.signature_ok, 0);
		UA(res.gen_time != orig.gen_time);
		UA_HAS(err.msg, "signature does not verify");
	}
	free(bad);
}

static void
not_a_token_is_a_format_error(void)
{
	dexf_tsa_result res;
	dexf_err err;
	dexf_signer *s = NULL;
	unsigned char *der = NULL, *big;
	size_t derlen = 0;

	/* truncated */
	UA_INT(verify_over(&res, tok, toklen / 2, data, sizeof(data) - 1,
	    NULL, &err), DEXF_EFORMAT);
	UA_INT(res.parsed, 0);
	UA_HAS(err.msg, "000001.tst: not a DER time-stamp token");
	/* trailing bytes */
	big = malloc(toklen + 1);
	UA(big != NULL);
	if (big != NULL) {
		memcpy(big, tok, toklen);
		big[toklen] = 0;
		UA_INT(verify_over(&res, big, toklen + 1, data,
		    sizeof(data) - 1, NULL, &err), DEXF_EFORMAT);
		UA_HAS(err.msg, "trailing bytes");
		free(big);
	}
	/* empty */
	UA_INT(verify_over(&res, tok, 0, data, sizeof(data) - 1, NULL, &err),
	    DEXF_EFORMAT);
	/* a CMS signature, but over id-data, not a TSTInfo: a .p7s */
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_signer_load(&s, unit_pki("ecdsa256.key"),
	    unit_pki("ecdsa256.pem"), NULL, NULL, &err), 0);
	if (s != NULL) {
		UA_INT(dexf_cms_sign(s, (const unsigned char *)data,
		    sizeof(data) - 1, &der, &derlen, &err), 0);
		UA_INT(verify_over(&res, der, derlen, data, sizeof(data) - 1,
		    NULL, &err), DEXF_EFORMAT);
		UA_INT(res.parsed, 0);
		UA_HAS(err.msg, "not an RFC 3161 TimeStampToken");
		free(der);
		dexf_signer_free(s);
	}
	/* bounded: more than 1 MiB is refused before parsing */
	big = calloc(1, DEXF_TSA_MAX + 1);
	UA(big != NULL);
	if (big != NULL) {
		memcpy(big, tok, toklen);
		UA_INT(verify_over(&res, big, DEXF_TSA_MAX + 1, data,
		    sizeof(data) - 1, NULL, &err), DEXF_EFORMAT);
		UA_HAS(err.msg, "more than the 1048576 allowed");
		free(big);
	}
}

/* A token made by the stock tool, with a SHA-384 imprint, verifies. */
static void
openssl_token_with_sha384_imprint_verifies(void)
{
	char q[512], t[512], cmd[4096];
	unsigned char *ot;
	size_t otlen = 0;
	dexf_tsa_result res;
	dexf_err err;

	unit_join(q, sizeof(q), dir, "sha384.tsq");
	unit_join(t, sizeof(t), dir, "sha384.tst");
	snprintf(cmd, sizeof(cmd), "openssl ts -query -data '%s' -sha384 -cert "
	    "-out '%s' 2>/dev/null && DEXF_TSA_SERIAL='%s/sha384.serial' "
	    "openssl ts -reply -config '%s/tests/tsa/tsa.cnf' -queryfile '%s' "
	    "-signer '%s' -inkey '%s' -chain '%s' -token_out -out '%s' "
	    ">/dev/null 2>&1", data_path, q, dir, TOP_SRCDIR, q,
	    unit_pki("tsa.pem"), unit_pki("tsa.key"), unit_pki("tsa-ca.pem"),
	    t);
	UA_INT(system(cmd), 0);
	ot = unit_read_file(t, &otlen);
	UA(ot != NULL);
	if (ot == NULL)
		return;
	UA_INT(verify_over(&res, ot, otlen, data, sizeof(data) - 1,
	    unit_pki("tsa-ca.pem"), &err), 0);
	UA_INT(res.imprint_ok, 1);
	UA_INT(res.trust, DEXF_TRUST_TRUSTED);
	UA_INT(verify_over(&res, ot, otlen, "x", 1, unit_pki("tsa-ca.pem"),
	    &err), DEXF_EINTEGRITY);
	UA_HAS(err.msg, "does not match the SHA384");
	free(ot);
}

/* With faketime(1), the TSA stamps 2020 and its chain is judged then. */
static void
past_gentime_is_reported_and_judged_then(void)
{
	char url[64];
	unsigned char *t = NULL;
	size_t tl = 0;
	dexf_tsa_result res;
	dexf_err err;
	pid_t pid;

	if (!unit_have_program("faketime")) {
		fprintf(stderr, "\n  (skipped: faketime(1) is not installed) ");
		return;
	}
	pid = start_responder("past", "--faketime", "2020-06-01 12:00:00", url,
	    sizeof(url));
	UA(pid > 0);
	if (pid <= 0)
		return;
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_tsa_request(url, (const unsigned char *)data,
	    sizeof(data) - 1, 10, &t, &tl, &err), 0);
	stop_responder(pid);
	if (t == NULL)
		return;
	UA_INT(verify_over(&res, t, tl, data, sizeof(data) - 1,
	    unit_pki("tsa-ca.pem"), &err), 0);
	UA(strncmp(res.time, "2020-06-01T12:0", 15) == 0);
	UA(res.gen_time >= 1591012800 && res.gen_time < 1591012800 + 600);
	UA_INT(res.trust, DEXF_TRUST_TRUSTED);
	UA_HAS(res.trust_detail, "at 2020-06-01T12:0");
	free(t);
}

static const unit_test tests[] = {
	{ "request_gives_a_token_trusted_with_the_tsa_ca",
	    request_gives_a_token_trusted_with_the_tsa_ca },
	{ "token_is_accepted_by_openssl_ts_verify",
	    token_is_accepted_by_openssl_ts_verify },
	{ "each_request_has_a_fresh_nonce_and_serial",
	    each_request_has_a_fresh_nonce_and_serial },
	{ "refused_connection_is_a_network_error_naming_the_url",
	    refused_connection_is_a_network_error_naming_the_url },
	{ "http_500_is_a_network_error_with_the_status",
	    http_500_is_a_network_error_with_the_status },
	{ "rejection_is_a_network_error_with_pki_status",
	    rejection_is_a_network_error_with_pki_status },
	{ "non_der_reply_is_a_format_error", non_der_reply_is_a_format_error },
	{ "silent_server_times_out", silent_server_times_out },
	{ "only_http_urls_are_accepted", only_http_urls_are_accepted },
	{ "no_anchors_is_unknown_and_wrong_ca_is_untrusted",
	    no_anchors_is_unknown_and_wrong_ca_is_untrusted },
	{ "hashed_directory_anchor_is_trusted",
	    hashed_directory_anchor_is_trusted },
	{ "other_data_is_an_integrity_failure",
	    other_data_is_an_integrity_failure },
	{ "damaged_signature_is_an_integrity_failure",
	    damaged_signature_is_an_integrity_failure },
	{ "edited_gentime_breaks_the_signature",
	    edited_gentime_breaks_the_signature },
	{ "not_a_token_is_a_format_error", not_a_token_is_a_format_error },
	{ "openssl_token_with_sha384_imprint_verifies",
	    openssl_token_with_sha384_imprint_verifies },
	{ "past_gentime_is_reported_and_judged_then",
	    past_gentime_is_reported_and_judged_then },
	{ NULL, NULL }
};

int
unit_register_tsa(void)
{
	return unit_add_suite("tsa", init, clean, tests);
}
