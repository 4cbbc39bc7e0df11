/*
 * cmd_prove.c - dexf prove: export a byte range of an item with its
 * inclusion proof, as a small file checkable without the container.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf prove CASE.dexf --item ITEM --range OFF:LEN -o PROOF [--force]\n\n"
"Write PROOF, a small file holding the seal record and its signature as\n"
"sealed, the manifest, the chunks that cover bytes OFF..OFF+LEN-1 of item\n"
"ITEM (path or id) and an RFC 9162 inclusion proof for each.  Anyone can\n"
"check it without the container, against the signed seal: with\n"
"'dexf verify-proof PROOF', or with unzip, openssl and a few lines of any\n"
"RFC 9162 implementation (doc/FORMAT.md, \"Proof files\").\n\n"
"  -I, --item ITEM     the item (stored path or id)\n"
"  -r, --range OFF:LEN the bytes to prove (OFF: runs to the end; K, M, G\n"
"                      suffixes); at most %d chunks\n"
"  -o, --output PROOF  the proof file to write (through a temporary file)\n"
"  -f, --force         replace PROOF if it exists\n"
"  -q, --quiet         print nothing on success\n"
"  -h, --help\n\n"
"Each chunk is checked against the chunk index, and its inclusion path\n"
"against the Merkle root in the manifest, before the proof is written;\n"
"the signature is copied, not checked (use dexf verify).\n\n"
"Exit: 0 written; 1 a chunk or the index does not match, or the container\n"
"is damaged; 2 usage (no such item, range outside it, PROOF exists); 4\n"
"not a readable dexf container.\n", DEXF_PROOF_MAX_CHUNKS);
}

static const struct option opts[] = {
	{ "item", required_argument, NULL, 'I' },
	{ "range", required_argument, NULL, 'r' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_prove(int argc, char **argv)
{
	const char *item = NULL, *range = NULL, *output = NULL;
	uint64_t off = 0, len = 0;
	int c, rc, force = 0, quiet = 0, ec = EXIT_USAGE;
	dexf_reader *r = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "I:r:o:fqh", opts, NULL)) != -1) {
		switch (c) {
		case 'I': item = optarg; break;
		case 'r': range = optarg; break;
		case 'o': output = optarg; break;
		case 'f': force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(stdout); return 0;
		default: help(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_err("prove", "give one container");
		return EXIT_USAGE;
	}
	if (item == NULL || range == NULL || output == NULL) {
		cli_err("prove", "--item, --range and --output are required");
		return EXIT_USAGE;
	}
	if (cli_parse_range(range, &off, &len) != 0) {
		cli_err("prove", "--range '%s' is not OFF:LEN or OFF: (sizes "
		    "with optional K, M, G)", range);
		return EXIT_USAGE;
	}
	if (strcmp(output, "-") == 0) {
		cli_err("prove", "a proof is a ZIP file: give a file name, not "
		    "'-'");
		return EXIT_USAGE;
	}
	if (dexf_reader_new(&r) != 0)
		return EXIT_UNREADABLE;
	if ((rc = dexf_reader_open(r, argv[optind])) != 0) {
		cli_err("prove", "%s", dexf_reader_errmsg(r));
		ec = rc == DEXF_EINTEGRITY ? EXIT_INTEGRITY : EXIT_UNREADABLE;
		goto out;
	}
	rc = dexf_prove(r, item, off, len, output, force ? DEXF_PROVE_FORCE : 0);
	if (rc != 0) {
		cli_err("prove", "%s%s", dexf_reader_errmsg(r), rc ==
		    DEXF_EEXISTS ? " (use --force to replace it)" : "");
		ec = cli_exit_for(rc);
		goto out;
	}
	if (!quiet) {
		const dexf_item *it = NULL;

		dexf_reader_find(&it, r, item);
		if (len == DEXF_TO_END)
			len = dexf_item_size(it) - off;
		printf("%s: proof of bytes %llu-%llu of item '%s' written\n",
		    output, (unsigned long long)off,
		    (unsigned long long)(off + len - 1), dexf_item_path(it));
	}
	ec = 0;
out:
	dexf_reader_free(r);
	return ec;
}
