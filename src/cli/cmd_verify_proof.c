/*
 * cmd_verify_proof.c - dexf verify-proof: check a proof file without its
 * container, and give out the proven bytes on request.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf verify-proof [options] PROOF\n\n"
"Check a proof file written by 'dexf prove' without the container: the\n"
"seal record's signature and its signer's trust, the manifest against the\n"
"seal and its rules, and each chunk's leaf hash and RFC 9162 inclusion\n"
"path to the item's Merkle root in the manifest.  Trust in the signer\n"
"comes only from the anchors given here.\n\n"
"  -t, --trust CA.pem       trusted CA certificates (file or hashed\n"
"                           directory; repeatable)\n"
"  -s, --signer CERT.pem    trust exactly this signer certificate\n"
"                           (repeatable)\n"
"      --tsa-trust CA.pem   CA certificates trusted for time-stamp\n"
"                           authorities (repeatable)\n"
"  -i, --integrity-only     exit 0 when intact whatever the signer\n"
"  -o, --extract FILE       write the proven bytes to FILE ('-': stdout,\n"
"                           the report then goes to stderr); a file is\n"
"                           kept only when the proof is intact\n"
"  -f, --force              replace FILE if it exists\n"
"      --json               machine-readable report on stdout\n"
"  -q, --quiet              only the verdict line\n"
"  -h, --help\n\n"
"Bytes are given out only when everything but the chunk data passed, and\n"
"each chunk's bytes only after that chunk passed.\n\n"
"Exit: 0 intact and trusted; 1 tampered or broken seal or signature; 2\n"
"usage; 3 intact but the signer not established; 4 not a readable proof.\n");
}

enum { O_JSON = 256, O_TSA_TRUST };

static const struct option opts[] = {
	{ "trust", required_argument, NULL, 't' },
	{ "signer", required_argument, NULL, 's' },
	{ "tsa-trust", required_argument, NULL, O_TSA_TRUST },
	{ "integrity-only", no_argument, NULL, 'i' },
	{ "extract", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "json", no_argument, NULL, O_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The extracted bytes go to a temporary file beside FILE, renamed into
 * place only when the proof is intact. */
typedef struct extract {
	const char *path;
	char *tmp;
	int fd, force;
} extract;

static int
extract_open(extract *x, const char *path, int force)
{
	struct stat st;
	size_t len = strlen(path) + 16;

	x->path = path;
	x->force = force;
	if (strcmp(path, "-") == 0) {
		x->fd = STDOUT_FILENO;
		return 0;
	}
	if (!force && lstat(path, &st) == 0) {
		cli_err("verify-proof", "%s: already exists (use --force to "
		    "replace it)", path);
		return -1;
	}
	if ((x->tmp = malloc(len)) == NULL)
		return -1;
	snprintf(x->tmp, len, "%s.XXXXXX.part", path);
	if ((x->fd = mkostemps(x->tmp, 5, O_CLOEXEC)) < 0) {
		cli_err("verify-proof", "%s: cannot create: %s", x->tmp,
		    strerror(errno));
		free(x->tmp);
		x->tmp = NULL;
		return -1;
	}
	return 0;
}

/* Keep the bytes (intact) or drop them; 0, or -1 when keeping failed. */
static int
extract_close(extract *x, int keep)
{
	int rc = 0;

	if (x->tmp == NULL)
		return 0;
	if (keep && fsync(x->fd) != 0)
		rc = -1;
	if (close(x->fd) != 0)
		rc = -1;
	/* without --force, link() refuses a file that appeared meanwhile */
	if (keep && rc == 0 && (x->force ? rename(x->tmp, x->path) :
	    link(x->tmp, x->path)) != 0)
		rc = -1;
	if (keep && rc != 0)
		cli_err("verify-proof", "%s: cannot write: %s", x->path,
		    strerror(errno));
	if (!keep || rc != 0 || !x->force)
		unlink(x->tmp);
	free(x->tmp);
	x->tmp = NULL;
	return rc;
}

int
cmd_verify_proof(int argc, char **argv)
{
	const char *output = NULL;
	cli_anchors an;
	int c, rc, integrity_only = 0, as_json = 0, quiet = 0, force = 0;
	int ec = EXIT_USAGE;
	extract x = { NULL, NULL, -1, 0 };
	dexf_report *rep = NULL;
	dexf_verify_opts vo;
	cli_progress prog;
	FILE *report_to = stdout;

	if (cli_anchors_init(&an, argc) != 0)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:s:io:fqh", opts, NULL)) != -1) {
		switch (c) {
		case 't': an.trust[an.ntrust++] = optarg; break;
		case 's': an.signers[an.nsigners++] = optarg; break;
		case O_TSA_TRUST: an.tsa[an.ntsa++] = optarg; break;
		case 'i': integrity_only = 1; break;
		case 'o': output = optarg; break;
		case 'f': force = 1; break;
		case O_JSON: as_json = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(stdout); ec = 0; goto out;
		default: help(stderr); goto out;
		}
	}
	if (optind + 1 != argc) {
		cli_err("verify-proof", "give one proof file");
		goto out;
	}
	if (as_json && quiet) {
		cli_err("verify-proof", "--json conflicts with --quiet");
		goto out;
	}
	if (output != NULL && strcmp(output, "-") == 0) {
		if (as_json) {
			cli_err("verify-proof", "--json and --extract - both "
			    "want stdout");
			goto out;
		}
		report_to = stderr;
	}
	if (cli_anchors_check("verify-proof", &an) != 0)
		goto out;
	if (output != NULL && extract_open(&x, output, force) != 0)
		goto out;
	cli_catch_signals();
	cli_anchors_opts(&an, &vo, &prog);
	cli_progress_init(&prog, "verifying", quiet || as_json);
	rc = dexf_verify_proof(&rep, argv[optind], x.fd, &vo);
	cli_progress_end(&prog);
	if (rc != 0) {
		cli_err("verify-proof", "%s", rep != NULL ?
		    dexf_report_summary(rep) : rc == DEXF_ECANCELED ?
		    "interrupted" : dexf_strerror(rc));
		ec = rc == DEXF_ECANCELED ? 130 : EXIT_UNREADABLE;
		extract_close(&x, 0);
		goto out;
	}
	ec = cli_exit_for_verdict(dexf_report_verdict(rep), integrity_only);
	if (as_json) {
		json j;

		cli_json_begin(&j);
		cli_json_report(&j, argv[optind], rep, ec, an.trust, an.ntrust,
		    an.signers, an.nsigners);
		cli_json_end(&j, ec);
	} else {
		cli_verify_human(report_to, argv[optind], rep, quiet);
	}
	/* intact (trusted or not): every byte of the range was written */
	if (extract_close(&x, dexf_report_verdict(rep) <=
	    DEXF_VERDICT_INTACT_UNSIGNED) != 0)
		ec = EXIT_UNREADABLE;
out:
	dexf_report_free(rep);
	cli_anchors_free(&an);
	return ec;
}
