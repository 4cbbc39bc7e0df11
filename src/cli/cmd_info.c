/*
 * cmd_info.c - dexf info: case, items, digests, seal and signer.
 *
 * info reads and describes; it checks structure and the seal signature
 * (quick verification, no trust anchors) so what it shows is labelled
 * honestly, but it is not a verdict: use verify for that.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf info [--json] CASE.dexf\n\n"
"Show the case, the items with their digests and metadata, and the seal.\n"
"Nothing is verified beyond structure and signature validity: use\n"
"'dexf verify' for a verdict.\n\n"
"      --json    machine-readable output on stdout\n"
"  -h, --help\n");
}

static const struct option opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static const char *const item_keys[] = {
	"exhibit", "media-type", "mtime", "mode", "link-target",
	"source.type", "source.make", "source.model", "source.serial",
	"source.description", "acquisition.method", "acquisition.start",
	"acquisition.end", "acquisition.tool", "acquisition.notes",
	"unreadable", "compression", "level", "chunk-size", "chunk-count",
	"stored-size", "merkle-root",
};
static const char *const kinds[] = { "file", "symlink", "directory" };

int
cmd_info(int argc, char **argv)
{
	int c, as_json = 0, ec = EXIT_USAGE, rc;
	dexf_reader *r = NULL;
	dexf_report *rep = NULL;
	const dexf_seal_info *s;
	const char *path;
	size_t n;
	char hb[32];

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': as_json = 1; break;
		case 'h': help(stdout); return 0;
		default: help(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_err("info", "give exactly one container");
		return EXIT_USAGE;
	}
	path = argv[optind];
	if (dexf_reader_new(&r) != 0)
		return EXIT_UNREADABLE;
	if ((rc = dexf_reader_open(r, path)) != 0) {
		cli_err("info", "%s", dexf_reader_errmsg(r));
		ec = rc == DEXF_EINTEGRITY ? EXIT_INTEGRITY : EXIT_UNREADABLE;
		goto out;
	}
	{
		dexf_verify_opts vo;

		memset(&vo, 0, sizeof(vo));
		vo.flags = DEXF_VERIFY_QUICK;
		if (dexf_verify(&rep, path, &vo) != 0) {
			cli_err("info", "%s: out of memory", path);
			ec = EXIT_UNREADABLE;
			goto out;
		}
	}
	s = dexf_report_seal(rep);
	n = dexf_reader_item_count(r);
	if (as_json) {
		json j;
		static const char *const ck[] = { "number", "name",
		    "description", "authorization" };

		json_init(&j, stdout);
		json_obj(&j);
		json_ku64(&j, "dexf_info", 1);
		json_kstr(&j, "file", path);
		json_kstr(&j, "format_version", dexf_reader_get(r, "format-version"));
		json_kstr(&j, "container_id", dexf_reader_get(r, "container-id"));
		json_kstr(&j, "created", dexf_reader_get(r, "created"));
		json_kstr(&j, "producer", dexf_reader_get(r, "producer"));
		json_kstr(&j, "producer_version",
		    dexf_reader_get(r, "producer-version"));
		json_key(&j, "case");
		json_obj(&j);
		for (int i = 0; i < 4; i++) {
			char k[32];

			snprintf(k, sizeof(k), "case.%s", ck[i]);
			json_kstr(&j, ck[i], dexf_reader_get(r, k));
		}
		json_end_obj(&j);
		json_key(&j, "agents");
		json_arr(&j);
		for (size_t i = 0; i < dexf_reader_agent_count(r); i++) {
			const char *role, *name, *org;

			dexf_reader_agent(r, i, &role, &name, &org);
			json_obj(&j);
			json_kstr(&j, "role", role);
			json_kstr(&j, "name", name);
			json_kstr(&j, "organization", org);
			json_end_obj(&j);
		}
		json_end_arr(&j);
		json_key(&j, "seal");
		json_obj(&j);
		json_kstr(&j, "sealed_at", s->sealed_at);
		json_kstr(&j, "sealed_by", s->sealed_by);
		json_kbool(&j, "signed", s->signed_);
		json_kbool(&j, "signature_valid", s->signature_valid);
		json_kstr(&j, "signer_subject", s->subject);
		json_kstr(&j, "signer_issuer", s->issuer);
		json_kstr(&j, "signer_fingerprint_sha256", s->fingerprint);
		json_kstr(&j, "algorithm", s->algorithm);
		json_end_obj(&j);
		json_key(&j, "items");
		json_arr(&j);
		for (size_t i = 0; i < n; i++) {
			const dexf_item *it = dexf_reader_item(r, i);

			json_obj(&j);
			json_kstr(&j, "id", dexf_item_id(it));
			json_kstr(&j, "path", dexf_item_path(it));
			json_kstr(&j, "kind", kinds[dexf_item_kind_of(it)]);
			json_ku64(&j, "size", dexf_item_size(it));
			json_key(&j, "digests");
			json_obj(&j);
			for (unsigned h = 1; h <= DEXF_HASH_SHA3_256; h <<= 1)
				if (dexf_item_digest(it, h))
					json_kstr(&j, dexf_hash_name(h),
					    dexf_item_digest(it, h));
			json_end_obj(&j);
			for (size_t k = 0; k < sizeof(item_keys) /
			    sizeof(item_keys[0]); k++)
				if (dexf_item_get(it, item_keys[k]))
					json_kstr(&j, item_keys[k],
					    dexf_item_get(it, item_keys[k]));
			json_end_obj(&j);
		}
		json_end_arr(&j);
		json_end_obj(&j);
		json_done(&j);
	} else {
		const char *v;

		printf("container   %s\n", path);
		printf("format      dexf %s, id %s\n",
		    dexf_reader_get(r, "format-version"),
		    dexf_reader_get(r, "container-id"));
		printf("created     %s by %s %s\n", dexf_reader_get(r, "created"),
		    dexf_reader_get(r, "producer"),
		    dexf_reader_get(r, "producer-version"));
		if ((v = dexf_reader_get(r, "case.number")))
			printf("case        %s\n", v);
		if ((v = dexf_reader_get(r, "case.name")))
			printf("case name   %s\n", v);
		if ((v = dexf_reader_get(r, "case.description")))
			printf("description %s\n", v);
		if ((v = dexf_reader_get(r, "case.authorization")))
			printf("authority   %s\n", v);
		for (size_t i = 0; i < dexf_reader_agent_count(r); i++) {
			const char *role, *name, *org;

			dexf_reader_agent(r, i, &role, &name, &org);
			printf("%-11s %s%s%s\n", role, name, org ? ", " : "",
			    org ? org : "");
		}
		printf("sealed      %s%s%s\n", s->sealed_at ? s->sealed_at : "?",
		    s->sealed_by ? " by " : "", s->sealed_by ? s->sealed_by : "");
		if (!s->signed_)
			printf("signature   none (UNSIGNED container)\n");
		else
			printf("signature   %s, %s\nsigner      %s\n"
			    "fingerprint sha256:%s\n", s->signature_valid ?
			    "valid (trust not evaluated: use verify --trust)" :
			    "INVALID", s->algorithm ? s->algorithm : "?",
			    s->subject ? s->subject : "?",
			    s->fingerprint ? s->fingerprint : "?");
		printf("items       %zu\n", n);
		for (size_t i = 0; i < n; i++) {
			const dexf_item *it = dexf_reader_item(r, i);

			printf("\n  %s  %s (%s, %s)\n", dexf_item_id(it),
			    dexf_item_path(it), kinds[dexf_item_kind_of(it)],
			    cli_human(dexf_item_size(it), hb, sizeof(hb)));
			for (unsigned h = 1; h <= DEXF_HASH_SHA3_256; h <<= 1)
				if (dexf_item_digest(it, h))
					printf("    %-18s %s\n", dexf_hash_name(h),
					    dexf_item_digest(it, h));
			for (size_t k = 0; k < sizeof(item_keys) /
			    sizeof(item_keys[0]); k++)
				if (dexf_item_get(it, item_keys[k]))
					printf("    %-18s %s\n", item_keys[k],
					    dexf_item_get(it, item_keys[k]));
		}
	}
	ec = s->signed_ && !s->signature_valid ? EXIT_INTEGRITY : 0;
out:
	dexf_report_free(rep);
	dexf_reader_free(r);
	return ec;
}
