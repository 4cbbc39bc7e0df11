/*
 * main.c - the dexf tool: dispatch table and global options.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static const cli_cmd commands[] = {
	{ "pack", cmd_pack, "pack files, directories or stdin into a sealed container" },
	{ "verify", cmd_verify, "verify containers from their bytes: integrity, seal, signer trust" },
	{ "unpack", cmd_unpack, "extract evidence, verifying every item" },
	{ "info", cmd_info, "show case, items, digests and seal" },
	{ "cat", cmd_cat, "write an item, or a byte range of it, to stdout" },
	{ "prove", cmd_prove, "export a byte range with its inclusion proof, checkable without the container" },
	{ "verify-proof", cmd_verify_proof, "check a proof file against its signed seal; extract the proven bytes" },
	{ "annotate", cmd_annotate, "append a signed custody event or finding" },
	{ "trace", cmd_trace, "append a trace-back hop (add) or show the path (show)" },
	{ "log", cmd_log, "show the custody history: every record, signer and trust" },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: dexf COMMAND [OPTIONS] ...\n\n"
	    "Digital evidence containers: pack, verify, unpack.\n\n"
	    "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(f, "\n'dexf COMMAND --help' describes a command; "
	    "'dexf --version [--json]'\nnames the version, format and "
	    "libraries.\n\n"
	    "Exit codes (every command):\n"
	    "  0  verified intact, signer trusted (or the command succeeded)\n"
	    "  1  integrity failure: tampered or damaged data, broken seal,\n"
	    "     invalid signature\n"
	    "  2  usage error (bad option, missing input, existing output)\n"
	    "  3  intact, but the signer is not established: unsigned, no\n"
	    "     --trust/--signer given, or not trusted (0 with\n"
	    "     --integrity-only)\n"
	    "  4  cannot be read as a dexf container: not one, unsupported\n"
	    "     version or algorithm, I/O error\n"
	    "  5  try again: the container is locked by another appender,\n"
	    "     or the time-stamp authority could not be reached\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		if (argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0)) {
			fprintf(stderr, "dexf: usage: dexf --version [--json]\n");
			return EXIT_USAGE;
		}
		if (argc == 3) {
			json j;

			json_init(&j, stdout);
			json_obj(&j);
			json_ku64(&j, "dexf_version", 1);
			json_kstr(&j, "version", dexf_version());
			json_kstr(&j, "format", DEXF_FORMAT_VERSION);
			json_kstr(&j, "backends", dexf_backends());
			json_end_obj(&j);
			json_done(&j);
			return 0;
		}
		printf("dexf %s (format %s)\n%s\n", dexf_version(),
		    DEXF_FORMAT_VERSION, dexf_backends());
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "dexf: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
