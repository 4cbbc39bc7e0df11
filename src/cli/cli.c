/*
 * cli.c - helpers shared by the verbs.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_prog = "dexf";
volatile int cli_interrupted;

void
cli_err(const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", cli_prog, verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_exit_for(int rc)
{
	switch (rc) {
	case DEXF_OK: return EXIT_INTACT;
	case DEXF_EINTEGRITY: return EXIT_INTEGRITY;
	case DEXF_EUNTRUSTED: return EXIT_UNTRUSTED;
	case DEXF_EINVAL:
	case DEXF_EEXISTS:
	case DEXF_ENOTFOUND:
	case DEXF_ECRYPTO: return EXIT_USAGE;
	case DEXF_EBUSY:
	case DEXF_ENETWORK: return EXIT_TEMPFAIL;
	default: return EXIT_UNREADABLE;
	}
}

int
cli_exit_for_verdict(dexf_verdict v, int integrity_only)
{
	switch (v) {
	case DEXF_VERDICT_INTACT_TRUSTED: return EXIT_INTACT;
	case DEXF_VERDICT_INTACT_UNTRUSTED:
	case DEXF_VERDICT_INTACT_UNSIGNED:
		return integrity_only ? EXIT_INTACT : EXIT_UNTRUSTED;
	case DEXF_VERDICT_TAMPERED:
	case DEXF_VERDICT_CHAIN_BROKEN: return EXIT_INTEGRITY;
	default: return EXIT_UNREADABLE;
	}
}

int
cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'm' || *end == 'M')
		shift = 20;
	else if (*end == 'g' || *end == 'G')
		shift = 30;
	else if (*end != '\0')
		return -1;
	if (shift) {
		end++;
		if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B')
			end++;
		if (*end != '\0' || v > (UINT64_MAX >> shift))
			return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

char *
cli_read_passphrase_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[1024], *nl;

	if (f == NULL)
		return NULL;
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	nl = strpbrk(buf, "\r\n");
	if (nl != NULL)
		*nl = '\0';
	nl = strdup(buf);
	memset(buf, 0, sizeof(buf));
	return nl;
}

static void
on_signal(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

void
cli_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

const char *
cli_human(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
	    "PiB" };
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)n);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

int
cli_check_anchors(const char *verb, const char *const *trust, size_t ntrust,
    const char *const *signers, size_t nsigners)
{
	char msg[512];

	for (size_t i = 0; i < ntrust; i++)
		if (dexf_anchor_check(trust[i], 0, msg, sizeof(msg)) != 0) {
			cli_err(verb, "--trust %s", msg);
			return -1;
		}
	for (size_t i = 0; i < nsigners; i++)
		if (dexf_anchor_check(signers[i], 1, msg, sizeof(msg)) != 0) {
			cli_err(verb, "--signer %s", msg);
			return -1;
		}
	return 0;
}

int
cli_parse_range(const char *s, uint64_t *off, uint64_t *len)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	char head[64];

	if (colon == NULL || (size_t)(colon - s) >= sizeof(head))
		return -1;
	memcpy(head, s, (size_t)(colon - s));
	head[colon - s] = '\0';
	if (cli_parse_size(head, off) != 0)
		return -1;
	if (colon[1] == '\0') {
		*len = DEXF_TO_END;
		return 0;
	}
	/* a length of 2^64 - 1 would mean "to the end": refuse it spelled */
	return cli_parse_size(colon + 1, len) != 0 || *len == DEXF_TO_END ?
	    -1 : 0;
}

int
cli_anchors_init(cli_anchors *a, int argc)
{
	memset(a, 0, sizeof(*a));
	a->trust = calloc((size_t)argc, sizeof(*a->trust));
	a->signers = calloc((size_t)argc, sizeof(*a->signers));
	a->tsa = calloc((size_t)argc, sizeof(*a->tsa));
	return a->trust && a->signers && a->tsa ? 0 : -1;
}

void
cli_anchors_free(cli_anchors *a)
{
	free(a->trust);
	free(a->signers);
	free(a->tsa);
	memset(a, 0, sizeof(*a));
}

int
cli_anchors_check(const char *verb, const cli_anchors *a)
{
	char msg[512];

	if (cli_check_anchors(verb, a->trust, a->ntrust, a->signers,
	    a->nsigners) != 0)
		return -1;
	for (size_t k = 0; k < a->ntsa; k++)
		if (dexf_anchor_check(a->tsa[k], 0, msg, sizeof(msg)) != 0) {
			cli_err(verb, "--tsa-trust %s", msg);
			return -1;
		}
	return 0;
}

void
cli_anchors_opts(const cli_anchors *a, dexf_verify_opts *vo,
    cli_progress *prog)
{
	memset(vo, 0, sizeof(*vo));
	vo->trust = a->trust;
	vo->ntrust = a->ntrust;
	vo->signers = a->signers;
	vo->nsigners = a->nsigners;
	vo->tsa_trust = a->tsa;
	vo->ntsa_trust = a->ntsa;
	vo->progress = cli_progress_cb;
	vo->payload = prog;
}
