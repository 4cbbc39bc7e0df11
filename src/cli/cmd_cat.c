/*
 * cmd_cat.c - dexf cat: an item or a byte range of it on stdout, checked
 * chunk by chunk.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf cat CASE.dexf ITEM [--offset N] [--length N]\n\n"
"Write item ITEM (path or id), or LENGTH bytes of it from OFFSET, to\n"
"stdout.  Only the chunks covering the range are read, and each is\n"
"checked against its digest; a damaged chunk stops output with exit 1.\n\n"
"      --offset N   first byte (default 0)\n"
"      --length N   number of bytes (default: to the end)\n"
"  -h, --help\n");
}

enum { O_OFFSET = 256, O_LENGTH };

static const struct option opts[] = {
	{ "offset", required_argument, NULL, O_OFFSET },
	{ "length", required_argument, NULL, O_LENGTH },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_cat(int argc, char **argv)
{
	uint64_t off = 0, len = UINT64_MAX, size;
	int c, ec = EXIT_USAGE, rc, have_len = 0;
	dexf_reader *r = NULL;
	const dexf_item *it;
	unsigned char *buf = NULL;
	const size_t bufsz = 1 << 20;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_OFFSET:
			if (cli_parse_size(optarg, &off) != 0) {
				cli_err("cat", "--offset '%s' is not a number",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case O_LENGTH:
			if (cli_parse_size(optarg, &len) != 0) {
				cli_err("cat", "--length '%s' is not a number",
				    optarg);
				return EXIT_USAGE;
			}
			have_len = 1;
			break;
		case 'h': help(stdout); return 0;
		default: help(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 2 != argc) {
		cli_err("cat", "give a container and an item");
		return EXIT_USAGE;
	}
	if (dexf_reader_new(&r) != 0 || (buf = malloc(bufsz)) == NULL) {
		ec = EXIT_UNREADABLE;
		goto out;
	}
	if ((rc = dexf_reader_open(r, argv[optind])) != 0) {
		cli_err("cat", "%s", dexf_reader_errmsg(r));
		ec = rc == DEXF_EINTEGRITY ? EXIT_INTEGRITY : EXIT_UNREADABLE;
		goto out;
	}
	if (dexf_reader_find(&it, r, argv[optind + 1]) != 0) {
		cli_err("cat", "%s: no item '%s'", argv[optind],
		    argv[optind + 1]);
		goto out;
	}
	if (dexf_item_kind_of(it) != DEXF_ITEM_FILE) {
		cli_err("cat", "%s: item '%s' is not a file", argv[optind],
		    argv[optind + 1]);
		goto out;
	}
	size = dexf_item_size(it);
	if (off > size || (have_len && len > size - off)) {
		cli_err("cat", "%s: range %llu+%llu is outside item '%s' (%llu "
		    "bytes)", argv[optind], (unsigned long long)off,
		    (unsigned long long)len, dexf_item_path(it),
		    (unsigned long long)size);
		goto out;
	}
	if (!have_len)
		len = size - off;
	while (len > 0) {
		size_t want = len < bufsz ? (size_t)len : bufsz, got = 0;
		ssize_t w;

		if ((rc = dexf_reader_read(r, it, off, buf, want, &got)) != 0) {
			cli_err("cat", "%s: %s", argv[optind],
			    dexf_reader_errmsg(r));
			ec = cli_exit_for(rc);
			goto out;
		}
		for (size_t p = 0; p < got; p += (size_t)w) {
			w = write(STDOUT_FILENO, buf + p, got - p);
			if (w <= 0) {
				cli_err("cat", "write to stdout failed");
				ec = EXIT_UNREADABLE;
				goto out;
			}
		}
		off += got;
		len -= got;
		if (got == 0)
			break;
	}
	ec = 0;
out:
	free(buf);
	dexf_reader_free(r);
	return ec;
}
