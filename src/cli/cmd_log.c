/*
 * cmd_log.c - dexf log: the custody history of a container as a timeline,
 * one block per record in sequence order, with who wrote and who signed
 * each record and how far that signer is trusted.
 *
 * Also holds the pieces `dexf trace show` shares (cli_log_* in cli.h):
 * verifying for a chain view, a record's author and signer in text and
 * JSON, and the exit code over a set of asserting records.
 *
 * --json shape (version 1):
 *   { "dexf_log": 1, "file": str, "verdict": str, "summary": str,
 *     "exit_code": n, "head": {"sequence": n, "sha256": hex} | null,
 *     "records": [ { "sequence": n, "kind": str, "entry": str|null,
 *         "sha256": hex|null, "time": str|null,
 *         "author": {"role","name","organization"},
 *         "valid": bool, "problem": str|null,
 *         "signature": {"valid": bool, "trust": str, "trust_detail",
 *                       "subject", "issuer", "fingerprint"},
 *         "timestamp": null | {"valid": bool, "trust": str, "time", "tsa"},
 *         "summary": str } ],
 *     "problems": [ {"kind", "entry", "message"} ] }
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf log [options] CASE.dexf\n\n"
"Show the custody history: the seal, then every record appended after it\n"
"(custody events, annotations, trace-back records) in sequence order, with\n"
"its claimed time, the time-stamp authority's time when a token is\n"
"present, its author, and its signer and trust; then the head digest (keep\n"
"it as a receipt for 'dexf verify --head') and the verdict.  The evidence\n"
"data itself is not read (like 'dexf verify --quick').\n\n"
"  -t, --trust CA.pem       trusted CA certificates (repeatable)\n"
"  -s, --signer CERT.pem    trust exactly this signer (repeatable)\n"
"      --tsa-trust CA.pem   CA certificates trusted for time-stamp\n"
"                           authorities (repeatable)\n"
"      --json               machine-readable timeline on stdout\n"
"  -h, --help\n\n"
"Exit: 0 intact and every signer trusted; 1 tampered or broken chain\n"
"(the records up to the problem are still shown, the problems go to\n"
"stderr); 2 usage; 3 intact but some signer not established; 4 not a\n"
"readable dexf container.\n");
}

/* ------------------------------------------------------------ shared */

const char *
cli_log_party(char *buf, size_t len, const dexf_party *p)
{
	const char *name = p->name && *p->name ? p->name : NULL;
	const char *org = p->org && *p->org ? p->org : NULL;

	snprintf(buf, len, "%s%s%s%s%s%s", name ? name : "",
	    name && org ? ", " : "", org ? org : "",
	    !name && !org ? "(not named)" : "",
	    p->role && *p->role ? " as " : "",
	    p->role && *p->role ? p->role : "");
	return buf;
}

int
cli_log_record_trusted(const dexf_record_info *r)
{
	return r->valid && r->signature_valid &&
	    r->trust == DEXF_TRUST_TRUSTED;
}

/* Worst exit code of the records (0 all valid and trusted, 3 some not
 * established, 1 some invalid). */
int
cli_log_records_exit(const dexf_record_info *const *recs, size_t n)
{
	int ec = EXIT_INTACT;

	for (size_t i = 0; i < n; i++) {
		if (!recs[i]->valid || !recs[i]->signature_valid ||
		    recs[i]->trust == DEXF_TRUST_INVALID)
			return EXIT_INTEGRITY;
		if (recs[i]->trust != DEXF_TRUST_TRUSTED)
			ec = EXIT_UNTRUSTED;
	}
	return ec;
}

void
cli_log_signer_text(FILE *f, const char *indent, const dexf_record_info *r,
    int with_timestamp)
{
	fprintf(f, "%ssigner      %s\n", indent, r->subject ? r->subject :
	    "(no certificate)");
	fprintf(f, "%ssignature   %s, trust %s%s%s\n", indent,
	    r->signature_valid ? "valid" : "INVALID",
	    dexf_trust_name(r->trust), r->trust_detail ? ": " : "",
	    r->trust_detail ? r->trust_detail : "");
	if (r->timestamped && with_timestamp)
		fprintf(f, "%stime-stamp  %s by %s (token %s, TSA %s)\n",
		    indent, r->timestamp ? r->timestamp : "?",
		    r->tsa_subject ? r->tsa_subject : "?",
		    r->timestamp_valid ? "valid" : "INVALID",
		    dexf_trust_name(r->tsa_trust));
	if (!r->valid)
		fprintf(f, "%sRECORD NOT VALID: %s\n", indent,
		    r->problem ? r->problem : "see the problems");
}

/*
 * The members of one record.  dexf verify --json (verify != 0) follows
 * doc/verify-report.schema.json: "problem" is the problem's kind, and an
 * unknown digest or author is null.  log and trace show give the problem's
 * message and always an author object.
 */
void
cli_log_record_json(json *j, const dexf_record_info *r, int verify)
{
	json_ku64(j, "sequence", r->sequence);
	json_kstr(j, "kind", r->kind_name);
	json_kstr(j, "entry", r->entry);
	json_kstr(j, "sha256", verify && r->sha256 && !r->sha256[0] ? NULL :
	    r->sha256);
	json_kstr(j, "time", r->time);
	json_key(j, "author");
	if (r->author.name != NULL || !verify) {
		json_obj(j);
		json_kstr(j, "role", r->author.role);
		json_kstr(j, "name", r->author.name);
		json_kstr(j, "organization", r->author.org);
		json_end_obj(j);
	} else
		json_str(j, NULL);
	json_kbool(j, "valid", r->valid);
	json_kstr(j, "problem", verify ? r->problem_kind : r->problem);
	json_key(j, "signature");
	json_obj(j);
	json_kbool(j, "valid", r->signature_valid);
	json_kstr(j, "trust", dexf_trust_name(r->trust));
	json_kstr(j, "trust_detail", r->trust_detail);
	json_kstr(j, "subject", r->subject);
	json_kstr(j, "issuer", r->issuer);
	json_kstr(j, "fingerprint", r->fingerprint);
	json_kstr(j, "serial", r->serial);
	json_kstr(j, "not_before", r->not_before);
	json_kstr(j, "not_after", r->not_after);
	json_kstr(j, "algorithm", r->algorithm);
	json_end_obj(j);
	json_key(j, "timestamp");
	if (!r->timestamped) {
		json_str(j, NULL);
	} else {
		json_obj(j);
		json_kbool(j, "valid", r->timestamp_valid);
		json_kstr(j, "trust", dexf_trust_name(r->tsa_trust));
		json_kstr(j, "time", r->timestamp);
		json_kstr(j, "tsa", r->tsa_subject);
		json_end_obj(j);
	}
}

/* Problems of the report on stderr, one line each. */
void
cli_log_problems(const char *verb, const dexf_report *rep)
{
	for (size_t i = 0; i < dexf_report_problem_count(rep); i++) {
		const dexf_problem *p = dexf_report_problem(rep, i);

		cli_err(verb, "problem [%s] %s", p->kind, p->message);
	}
}

void
cli_log_problems_json(json *j, const dexf_report *rep)
{
	json_key(j, "problems");
	json_arr(j);
	for (size_t i = 0; i < dexf_report_problem_count(rep); i++) {
		const dexf_problem *p = dexf_report_problem(rep, i);

		json_obj(j);
		json_kstr(j, "kind", p->kind);
		json_kstr(j, "entry", p->entry);
		json_kstr(j, "message", p->message);
		json_end_obj(j);
	}
	json_end_arr(j);
}

/* {"sequence": n, "sha256": hex} of the head, or null. */
void
cli_log_head_json(json *j, const dexf_report *rep)
{
	const char *head = dexf_report_head(rep);

	json_key(j, "head");
	if (head == NULL) {
		json_str(j, NULL);
		return;
	}
	json_obj(j);
	json_ku64(j, "sequence", dexf_report_head_sequence(rep));
	json_kstr(j, "sha256", head);
	json_end_obj(j);
}

/*
 * Check the anchors and verify `path` quickly (no evidence data read), as
 * log and trace show both do.  Returns 0 with *rep set, or the exit code
 * to return (reason printed; *rep NULL): 2 for an unusable anchor, 4 when
 * no report could be made or the file is not a readable container.
 */
int
cli_log_verify(const char *verb, const char *path, const char *const *trust,
    size_t ntrust, const char *const *signers, size_t nsigners,
    const char *const *tsa, size_t ntsa, dexf_report **rep)
{
	dexf_verify_opts vo;
	dexf_verdict v;
	int rc;

	if (cli_check_anchors(verb, trust, ntrust, signers, nsigners) != 0)
		return EXIT_USAGE;
	for (size_t i = 0; i < ntsa; i++) {
		char msg[512];

		if (dexf_anchor_check(tsa[i], 0, msg, sizeof(msg)) != 0) {
			cli_err(verb, "--tsa-trust %s", msg);
			return EXIT_USAGE;
		}
	}
	memset(&vo, 0, sizeof(vo));
	vo.flags = DEXF_VERIFY_QUICK;
	vo.trust = trust;
	vo.ntrust = ntrust;
	vo.signers = signers;
	vo.nsigners = nsigners;
	vo.tsa_trust = tsa;
	vo.ntsa_trust = ntsa;
	cli_catch_signals();
	rc = dexf_verify(rep, path, &vo);
	if (rc != 0) {
		cli_err(verb, "%s: %s", path, rc == DEXF_ECANCELED ?
		    "interrupted" : dexf_strerror(rc));
		return rc == DEXF_ECANCELED ? 130 : EXIT_UNREADABLE;
	}
	v = dexf_report_verdict(*rep);
	if (v == DEXF_VERDICT_UNREADABLE || v == DEXF_VERDICT_UNSUPPORTED) {
		cli_err(verb, "%s", dexf_report_summary(*rep));
		dexf_report_free(*rep);
		*rep = NULL;
		return EXIT_UNREADABLE;
	}
	return 0;
}

/* ------------------------------------------------------------ bodies */

typedef struct sbuf {
	char s[2048];
	size_t n;
} sbuf;

static void
add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (b->n >= sizeof(b->s) - 1)
		return;
	va_start(ap, fmt);
	k = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->n += (size_t)k < sizeof(b->s) - b->n ? (size_t)k :
		    sizeof(b->s) - b->n - 1;
}

static void
add_opt(sbuf *b, const char *label, const char *v)
{
	if (v != NULL && *v != '\0')
		add(b, "; %s %s", label, v);
}

/* One line describing the body of a record. */
static const char *
summary(sbuf *b, const dexf_record_info *r)
{
	char pb[512];

	b->n = 0;
	b->s[0] = '\0';
	if (r->custody != NULL) {
		const dexf_custody *c = r->custody;

		add(b, "%s", c->action ? c->action : "(no action)");
		if (c->receiver.name != NULL)
			add(b, "; to %s", cli_log_party(pb, sizeof(pb),
			    &c->receiver));
		add_opt(b, "at", c->location);
		add_opt(b, "authorization", c->authorization);
		if (c->tool_name != NULL)
			add(b, "; tool %s%s%s", c->tool_name,
			    c->tool_version ? " " : "",
			    c->tool_version ? c->tool_version : "");
		if (c->nitems == 0)
			add(b, "; all items");
		for (size_t i = 0; i < c->nitems; i++)
			add(b, "%s%s", i ? ", " : "; items ",
			    c->items[i].item ? c->items[i].item : "?");
		add_opt(b, "outcome", c->outcome);
		add_opt(b, "note", c->note);
		for (size_t i = 0; i < c->nattachments; i++)
			add(b, "%s%s (%" PRIu64 " bytes)", i ? ", " :
			    "; attachments ", c->attachments[i].entry ?
			    c->attachments[i].entry : "?",
			    c->attachments[i].size);
	} else if (r->annotation != NULL) {
		const dexf_annotation *a = r->annotation;

		add(b, "%s on %s", a->type ? a->type : "annotation",
		    a->item ? a->item : "?");
		if (a->has_range)
			add(b, " bytes %" PRIu64 "+%" PRIu64, a->offset,
			    a->length);
		add_opt(b, "path", a->path);
		add_opt(b, "confidence", a->confidence);
		if (a->text != NULL)
			add(b, ": \"%s\"", a->text);
		for (size_t i = 0; i < a->ntags; i++)
			add(b, "%s%s", i ? ", " : "; tags ", a->tags[i]);
	} else if (r->traceback != NULL) {
		const dexf_traceback *t = r->traceback;

		add(b, "incident %s (%s): %s, %zu hop(s)",
		    t->incident_id ? t->incident_id : "?",
		    t->incident_org ? t->incident_org : "?",
		    t->result ? t->result : "?", t->nhops);
	} else if (r->kind == DEXF_RECORD_SEAL) {
		add(b, "container sealed");
	} else {
		add(b, "(body not readable)");
	}
	return b->s;
}

/* Exit code for the whole timeline. */
static int
log_exit(const dexf_report *rep)
{
	int ec = cli_exit_for_verdict(dexf_report_verdict(rep), 0);

	for (size_t i = 0; i < dexf_report_record_count(rep); i++) {
		const dexf_record_info *r = dexf_report_record(rep, i);

		if (r->sequence == 0)
			continue;   /* the seal: the verdict covers it */
		if (!r->valid || !r->signature_valid)
			return EXIT_INTEGRITY;
		if (r->trust != DEXF_TRUST_TRUSTED && ec == EXIT_INTACT)
			ec = EXIT_UNTRUSTED;
	}
	return ec;
}

static void
log_text(const dexf_report *rep)
{
	size_t n = dexf_report_record_count(rep);
	const char *head = dexf_report_head(rep);
	char pb[512];
	sbuf b;

	for (size_t i = 0; i < n; i++) {
		const dexf_record_info *r = dexf_report_record(rep, i);

		printf("%06u  %-10s %s%s", r->sequence,
		    r->kind_name ? r->kind_name : "?",
		    r->time ? r->time : "(no time)",
		    r->time ? " (claimed)" : "");
		if (r->timestamped)
			printf(", time-stamped %s by %s (token %s, TSA %s)",
			    r->timestamp ? r->timestamp : "?",
			    r->tsa_subject ? r->tsa_subject : "?",
			    r->timestamp_valid ? "valid" : "INVALID",
			    dexf_trust_name(r->tsa_trust));
		printf("\n");
		printf("        author      %s\n", cli_log_party(pb,
		    sizeof(pb), &r->author));
		cli_log_signer_text(stdout, "        ", r, 0);
		printf("        %s\n", summary(&b, r));
		printf("\n");
	}
	if (head != NULL)
		printf("head: %s\n", head);
	printf("%s: %s\n", dexf_verdict_name(dexf_report_verdict(rep)),
	    dexf_report_summary(rep));
}

static void
log_json(const char *path, const dexf_report *rep, int ec)
{
	size_t n = dexf_report_record_count(rep);
	json j;
	sbuf b;

	json_init(&j, stdout);
	json_obj(&j);
	json_ku64(&j, "dexf_log", 1);
	json_kstr(&j, "file", path);
	json_kstr(&j, "verdict", dexf_verdict_name(dexf_report_verdict(rep)));
	json_kstr(&j, "summary", dexf_report_summary(rep));
	json_ku64(&j, "exit_code", (uint64_t)ec);
	cli_log_head_json(&j, rep);
	json_key(&j, "records");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		const dexf_record_info *r = dexf_report_record(rep, i);

		json_obj(&j);
		cli_log_record_json(&j, r, 0);
		json_kstr(&j, "summary", summary(&b, r));
		json_end_obj(&j);
	}
	json_end_arr(&j);
	cli_log_problems_json(&j, rep);
	json_end_obj(&j);
	json_done(&j);
}

enum { O_JSON = 256, O_TSA };

static const struct option opts[] = {
	{ "trust", required_argument, NULL, 't' },
	{ "signer", required_argument, NULL, 's' },
	{ "tsa-trust", required_argument, NULL, O_TSA },
	{ "json", no_argument, NULL, O_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_log(int argc, char **argv)
{
	const char **trust, **signers, **tsa;
	size_t ntrust = 0, nsigners = 0, ntsa = 0;
	dexf_report *rep = NULL;
	int c, as_json = 0, ec = EXIT_USAGE;

	trust = calloc((size_t)argc, sizeof(*trust));
	signers = calloc((size_t)argc, sizeof(*signers));
	tsa = calloc((size_t)argc, sizeof(*tsa));
	if (trust == NULL || signers == NULL || tsa == NULL)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': trust[ntrust++] = optarg; break;
		case 's': signers[nsigners++] = optarg; break;
		case O_TSA: tsa[ntsa++] = optarg; break;
		case O_JSON: as_json = 1; break;
		case 'h': help(stdout); ec = 0; goto out;
		default: help(stderr); goto out;
		}
	}
	if (optind != argc - 1) {
		cli_err("log", optind >= argc ? "no container given" :
		    "one container at a time");
		goto out;
	}
	ec = cli_log_verify("log", argv[optind], trust, ntrust, signers,
	    nsigners, tsa, ntsa, &rep);
	if (rep == NULL)
		goto out;
	ec = log_exit(rep);
	if (ec == EXIT_INTEGRITY)
		cli_log_problems("log", rep);
	if (as_json)
		log_json(argv[optind], rep, ec);
	else
		log_text(rep);
out:
	dexf_report_free(rep);
	free(trust);
	free(signers);
	free(tsa);
	return ec;
}
