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
	EXIT_UNREADABLE = 4   /* not a container, unsupported, I/O error */
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

/* Parse "1M", "64k", "4096" (binary suffixes); -1 on error. */
int cli_parse_size(const char *s, uint64_t *out);
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

/* Human-readable size ("1.5 GiB"). */
const char *cli_human(uint64_t n, char *buf, size_t len);

#endif
