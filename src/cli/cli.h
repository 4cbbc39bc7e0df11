/*
 * cli.h - shared pieces of the dexf tool.
 */
#ifndef DEXF_CLI_H
#define DEXF_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <dexf.h>

/* Exit codes: the same for every verb (README, dexf --help). */
enum {
	EXIT_INTACT = 0,      /* verified intact and signer trusted */
	EXIT_INTEGRITY = 1,   /* tampered/damaged, broken seal or signature */
	EXIT_USAGE = 2,       /* bad command line */
	EXIT_UNTRUSTED = 3,   /* intact, signer not established/unsigned */
	EXIT_UNREADABLE = 4,  /* not a container, unsupported, I/O error */
	EXIT_TEMPFAIL = 5     /* locked by another appender, time-stamp
	                         authority unreachable: try again */
};

typedef struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cli_cmd;

int cmd_pack(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_annotate(int argc, char **argv);
/* dexf trace SUBCOMMAND: dispatches to show and add */
int cmd_trace(int argc, char **argv);
int cmd_trace_show(int argc, char **argv);
int cmd_trace_add(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_prove(int argc, char **argv);
int cmd_verify_proof(int argc, char **argv);

/* Options shared by the verbs that append a signed record. */
enum {
	AO_KEY = 0x1000, AO_CERT, AO_CHAIN, AO_PASSFILE, AO_PASSENV,
	AO_NAME, AO_ORG, AO_ROLE, AO_TSA, AO_TSA_TIMEOUT, AO_JSON
};
#define CLI_APPEND_LONGOPTS \
	{ "key", required_argument, NULL, AO_KEY }, \
	{ "cert", required_argument, NULL, AO_CERT }, \
	{ "chain", required_argument, NULL, AO_CHAIN }, \
	{ "passphrase-file", required_argument, NULL, AO_PASSFILE }, \
	{ "passphrase-env", required_argument, NULL, AO_PASSENV }, \
	{ "name", required_argument, NULL, AO_NAME }, \
	{ "org", required_argument, NULL, AO_ORG }, \
	{ "role", required_argument, NULL, AO_ROLE }, \
	{ "tsa", required_argument, NULL, AO_TSA }, \
	{ "tsa-timeout", required_argument, NULL, AO_TSA_TIMEOUT }, \
	{ "json", no_argument, NULL, AO_JSON }
#define CLI_APPEND_HELP \
"Signing (records after the seal are always signed):\n" \
"      --key FILE           private key (PEM)\n" \
"      --cert FILE          its certificate (PEM)\n" \
"      --chain FILE         intermediate certificates to embed (PEM)\n" \
"      --passphrase-file F  key passphrase from the first line of F\n" \
"      --passphrase-env V   key passphrase from environment variable V\n" \
"      --name NAME          author's name (default: certificate CN)\n" \
"      --org ORG            author's organization\n" \
"      --role ROLE          author's role (default: custodian)\n" \
"      --tsa URL            RFC 3161 time-stamp authority (http://...): its\n" \
"                           token over the signature is stored too\n" \
"      --tsa-timeout SECS   give up on the authority after SECS (30)\n" \
"      --json               print the result as JSON\n"

typedef struct cli_append {
	const char *key, *cert, *chain, *passfile, *passenv;
	dexf_append_opts o;
	int json;
} cli_append;

/* Handle one of the AO_ options: 1 if it was one, -1 on a bad value. */
int cli_append_opt(const char *verb, cli_append *s, int c,
	const char *arg);
/* Open `path` for appending; prints the error and returns the exit code,
 * or 0 with *out set. */
int cli_append_open(const char *verb, cli_append *s, const char *path,
	dexf_appender **out);
/* Report the appended record (text or JSON); returns 0. */
int cli_append_done(const char *verb, const cli_append *s,
	const char *path, const dexf_appender *a, const char *what);

extern const char *cli_prog;

/* Diagnostics on stderr, prefixed "dexf VERB: ". */
void cli_err(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Exit code for a library error code outside verification. */
int cli_exit_for(int rc);
/* Exit code for a verdict; integrity_only maps "not established" to 0. */
int cli_exit_for_verdict(dexf_verdict v, int integrity_only);

/* Check --trust and --signer files before use; prints and returns -1 on
 * the first unusable one. */
int cli_check_anchors(const char *verb, const char *const *trust,
	size_t ntrust, const char *const *signers, size_t nsigners);

/* The anchors verify and verify-proof take: --trust, --signer,
 * --tsa-trust, each repeatable. */
typedef struct cli_anchors {
	const char **trust, **signers, **tsa;
	size_t ntrust, nsigners, ntsa;
} cli_anchors;

/* Room for argc of each; -1 when out of memory. */
int cli_anchors_init(cli_anchors *a, int argc);
void cli_anchors_free(cli_anchors *a);
/* Check every file before use, as cli_check_anchors() (and --tsa-trust);
 * prints and returns -1 on the first unusable one. */
int cli_anchors_check(const char *verb, const cli_anchors *a);
struct cli_progress;
/* Options for dexf_verify*(): the anchors, and progress through prog. */
void cli_anchors_opts(const cli_anchors *a, dexf_verify_opts *vo,
	struct cli_progress *prog);

/* Parse "1M", "64k", "4096" (binary suffixes); -1 on error. */
int cli_parse_size(const char *s, uint64_t *out);
/* "OFF:LEN" or "OFF:" (to the end: *len = DEXF_TO_END), each a size as
 * above; -1 on error. */
int cli_parse_range(const char *s, uint64_t *off, uint64_t *len);
int cli_parse_u64(const char *s, uint64_t *out);
/* Read a passphrase from the first line of a file; malloc'd. */
char *cli_read_passphrase_file(const char *path);

/* Ctrl-C sets this; long operations cancel through their callbacks. */
extern volatile int cli_interrupted;
void cli_catch_signals(void);

/* Progress on stderr when it is a terminal and not quiet. */
typedef struct cli_progress {
	const char *label;
	int enabled;
	double start, last;
} cli_progress;
void cli_progress_init(cli_progress *p, const char *label, int quiet);
int cli_progress_cb(uint64_t done, uint64_t total, void *payload);
void cli_progress_end(cli_progress *p);

/* Shared by log and trace show (cmd_log.c). */
struct json;
/* "Name, Org as role" of a party into buf. */
const char *cli_log_party(char *buf, size_t len, const dexf_party *p);
/* Record valid, signature valid and signer trusted. */
int cli_log_record_trusted(const dexf_record_info *r);
/* 0 every record valid and trusted, 3 some not established, 1 some
 * invalid. */
int cli_log_records_exit(const dexf_record_info *const *recs, size_t n);
/* signer / signature+trust / time-stamp / validity lines. */
void cli_log_signer_text(FILE *f, const char *indent,
	const dexf_record_info *r, int with_timestamp);
/* The members describing a record (inside an open JSON object); verify:
 * the shape of doc/verify-report.schema.json. */
void cli_log_record_json(struct json *j, const dexf_record_info *r,
	int verify);
void cli_log_head_json(struct json *j, const dexf_report *rep);
void cli_log_problems_json(struct json *j, const dexf_report *rep);
/* Every problem of the report on stderr. */
void cli_log_problems(const char *verb, const dexf_report *rep);
/* Check anchors, verify quickly; 0 with *rep set, or an exit code (the
 * reason printed) with *rep NULL. */
int cli_log_verify(const char *verb, const char *path,
	const char *const *trust, size_t ntrust, const char *const *signers,
	size_t nsigners, const char *const *tsa, size_t ntsa,
	dexf_report **rep);

/* The verify report as text (cmd_verify.c), on f; verify-proof too. */
void cli_verify_human(FILE *f, const char *path, const dexf_report *rep,
	int quiet);
/* The verify JSON (doc/verify-report.schema.json) on stdout: the object
 * and its "containers" array, one report object in it, and the end with
 * the command's exit code. */
void cli_json_begin(struct json *j);
void cli_json_end(struct json *j, int exit_code);
void cli_json_report(struct json *j, const char *path,
	const dexf_report *rep, int exit_code, const char *const *trust,
	size_t ntrust, const char *const *signers, size_t nsigners);

/* Human-readable size ("1.5 GiB"). */
const char *cli_human(uint64_t n, char *buf, size_t len);

#endif
