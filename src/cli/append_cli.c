/*
 * append_cli.c - options and output shared by the verbs that append a
 * signed record: annotate, trace add.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

int
cli_append_opt(const char *verb, cli_append *s, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case AO_KEY: s->key = arg; return 1;
	case AO_CERT: s->cert = arg; return 1;
	case AO_CHAIN: s->chain = arg; return 1;
	case AO_PASSFILE: s->passfile = arg; return 1;
	case AO_PASSENV: s->passenv = arg; return 1;
	case AO_NAME: s->o.author.name = arg; return 1;
	case AO_ORG: s->o.author.org = arg; return 1;
	case AO_ROLE: s->o.author.role = arg; return 1;
	case AO_TSA:
		if (strncmp(arg, "http://", 7) != 0) {
			cli_err(verb, "--tsa '%s': give an http:// URL (RFC "
			    "3161 replies are signed; https is not supported "
			    "yet)", arg);
			return -1;
		}
		s->o.tsa_url = arg;
		return 1;
	case AO_TSA_TIMEOUT:
		if (cli_parse_u64(arg, &v) != 0 || v < 1 || v > 600) {
			cli_err(verb, "--tsa-timeout must be 1 to 600 seconds");
			return -1;
		}
		s->o.tsa_timeout = (int)v;
		return 1;
	case AO_JSON: s->json = 1; return 1;
	}
	return 0;
}

int
cli_append_open(const char *verb, cli_append *s, const char *path,
    dexf_appender **out)
{
	char *pass = NULL;
	int rc;

	*out = NULL;
	if (s->key == NULL || s->cert == NULL) {
		cli_err(verb, "give --key and --cert: records after the seal "
		    "are signed by their author");
		return EXIT_USAGE;
	}
	if (s->passfile && s->passenv) {
		cli_err(verb, "--passphrase-file conflicts with "
		    "--passphrase-env");
		return EXIT_USAGE;
	}
	if (s->passfile) {
		if ((pass = cli_read_passphrase_file(s->passfile)) == NULL) {
			cli_err(verb, "%s: cannot read passphrase file",
			    s->passfile);
			return EXIT_USAGE;
		}
	} else if (s->passenv) {
		const char *e = getenv(s->passenv);

		if (e == NULL) {
			cli_err(verb, "environment variable %s is not set",
			    s->passenv);
			return EXIT_USAGE;
		}
		pass = strdup(e);
	}
	s->o.key = s->key;
	s->o.cert = s->cert;
	s->o.chain = s->chain;
	s->o.passphrase = pass;
	rc = dexf_appender_open(out, path, &s->o);
	if (pass != NULL) {
		memset(pass, 0, strlen(pass));
		free(pass);
	}
	s->o.passphrase = NULL;
	if (rc != 0) {
		cli_err(verb, "%s", dexf_appender_errmsg(*out));
		dexf_appender_close(*out);
		*out = NULL;
		return cli_exit_for(rc);
	}
	return 0;
}

int
cli_append_done(const char *verb, const cli_append *s, const char *path,
    const dexf_appender *a, const char *what)
{
	unsigned seq = dexf_appender_head_sequence(a);
	const char *head = dexf_appender_head(a);

	(void)verb;
	if (s->json) {
		json j;

		json_init(&j, stdout);
		json_obj(&j);
		json_kstr(&j, "file", path);
		json_ku64(&j, "sequence", seq);
		json_kstr(&j, "record", what);
		json_kbool(&j, "timestamped", s->o.tsa_url != NULL);
		json_key(&j, "head");
		json_obj(&j);
		json_ku64(&j, "sequence", seq);
		json_kstr(&j, "sha256", head);
		json_end_obj(&j);
		json_end_obj(&j);
		json_done(&j);
		return 0;
	}
	printf("%s: record %06u (%s) appended%s\n", path, seq, what,
	    s->o.tsa_url ? ", time-stamped" : "");
	printf("head: %06u %s\n", seq, head);
	return 0;
}
