/*
 * cmd_pack.c - dexf pack.
 */
#include "config.h"

#include <dirent.h>
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
"usage: dexf pack -o CASE.dexf (--key KEY.pem --cert CERT.pem | --no-sign)\n"
"                 [options] INPUT...\n\n"
"Pack files, directory trees, or stdin ('-', with --name) into a new\n"
"sealed container.  The container is written to a temporary file and\n"
"renamed into place only when complete.\n\n"
"Output and signing:\n"
"  -o, --output FILE        container to create (refuses to overwrite)\n"
"  -f, --force              replace FILE if it exists\n"
"      --key KEY.pem        signer's private key (ECDSA P-256/P-384, RSA)\n"
"      --cert CERT.pem      signer's certificate\n"
"      --chain CHAIN.pem    intermediate certificates to embed\n"
"      --passphrase-file F  key passphrase from the first line of F\n"
"      --passphrase-env V   key passphrase from environment variable V\n"
"      --no-sign            seal without signature (always reported)\n"
"Case metadata:\n"
"      --case NUMBER        case number\n"
"      --case-name TEXT     case name\n"
"      --description TEXT   case description\n"
"      --authorization TEXT warrant or other authority\n"
"      --examiner NAME      examiner (named in the seal)\n"
"      --agency ORG         examiner's organization\n"
"      --agent ROLE:NAME[:ORG]  further people involved (repeatable)\n"
"      --item-meta PATH:KEY=VALUE  item metadata (repeatable); keys:\n"
"                           exhibit, media-type, source.type, source.make,\n"
"                           source.model, source.serial, source.description,\n"
"                           acquisition.method, acquisition.start,\n"
"                           acquisition.end, acquisition.tool,\n"
"                           acquisition.notes, unreadable (OFF:LEN,...)\n"
"Data:\n"
"      --name NAME          stored name for '-' (stdin) or a single input\n"
"      --hash LIST          extra digests: md5,sha1,sha512,sha3-256\n"
"                           (sha256 is always computed)\n"
"      --compression M      deflate (default) or store\n"
"      --level N            deflate level 1-9 (default 1: fastest; higher\n"
"                           levels trade speed for a few %% less; ISA-L\n"
"                           has three: 1-2, 3-6 and 7-9)\n"
"      --chunk-size SIZE    power of two, 4K to 64M (default 1M)\n"
"  -j, --threads N          worker threads compressing and hashing chunks\n"
"                           (default 0: every online CPU; chunks, digests\n"
"                           and Merkle roots are the same whatever N)\n"
"Output:\n"
"  -q, --quiet              no progress, no summary\n"
"      --json               print the result as JSON on stdout\n"
"  -h, --help\n");
}

enum {
	O_KEY = 256, O_CERT, O_CHAIN, O_PASSFILE, O_PASSENV, O_NOSIGN, O_CASE,
	O_CASENAME, O_DESC, O_AUTH, O_EXAMINER, O_AGENCY, O_AGENT, O_ITEMMETA,
	O_NAME, O_HASH, O_COMP, O_LEVEL, O_CHUNK, O_JSON
};
/* -j is the short form of --threads */

static const struct option opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "key", required_argument, NULL, O_KEY },
	{ "cert", required_argument, NULL, O_CERT },
	{ "chain", required_argument, NULL, O_CHAIN },
	{ "passphrase-file", required_argument, NULL, O_PASSFILE },
	{ "passphrase-env", required_argument, NULL, O_PASSENV },
	{ "no-sign", no_argument, NULL, O_NOSIGN },
	{ "case", required_argument, NULL, O_CASE },
	{ "case-name", required_argument, NULL, O_CASENAME },
	{ "description", required_argument, NULL, O_DESC },
	{ "authorization", required_argument, NULL, O_AUTH },
	{ "examiner", required_argument, NULL, O_EXAMINER },
	{ "agency", required_argument, NULL, O_AGENCY },
	{ "agent", required_argument, NULL, O_AGENT },
	{ "item-meta", required_argument, NULL, O_ITEMMETA },
	{ "name", required_argument, NULL, O_NAME },
	{ "hash", required_argument, NULL, O_HASH },
	{ "compression", required_argument, NULL, O_COMP },
	{ "level", required_argument, NULL, O_LEVEL },
	{ "chunk-size", required_argument, NULL, O_CHUNK },
	{ "json", no_argument, NULL, O_JSON },
	{ "threads", required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

static void
on_warning(const char *msg, void *payload)
{
	(void)payload;
	cli_err("pack", "warning: %s", msg);
}

/* Sum of regular file sizes under the inputs, for the progress bar. */
static uint64_t
input_bytes(const char *path, int depth)
{
	struct stat st;
	uint64_t sum = 0;
	DIR *d;
	struct dirent *de;

	if (depth > 64 || lstat(path, &st) != 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return (uint64_t)st.st_size;
	if (!S_ISDIR(st.st_mode) || (d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *p;
		size_t n;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(path) + strlen(de->d_name) + 2;
		if ((p = malloc(n)) == NULL)
			break;
		snprintf(p, n, "%s/%s", path, de->d_name);
		sum += input_bytes(p, depth + 1);
		free(p);
	}
	closedir(d);
	return sum;
}

static int
parse_hashes(const char *list, unsigned *out)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int rc = 0;

	if (copy == NULL)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		dexf_hash h = dexf_hash_from_name(tok);

		if (h == 0) {
			cli_err("pack", "unknown hash '%s' (md5, sha1, sha256, "
			    "sha512, sha3-256)", tok);
			rc = -1;
			break;
		}
		*out |= h;
	}
	free(copy);
	return rc;
}

static int
item_meta(dexf_writer *w, const char *arg)
{
	/* PATH:KEY=VALUE, where PATH may itself contain ':' - split at the
	 * last ':' before the first '=' */
	const char *eq = strchr(arg, '='), *colon = NULL;
	char *path, *key;
	int rc;

	if (eq == NULL)
		goto bad;
	for (const char *p = arg; p < eq; p++)
		if (*p == ':')
			colon = p;
	if (colon == NULL || colon == arg || colon + 1 == eq)
		goto bad;
	path = strndup(arg, (size_t)(colon - arg));
	key = strndup(colon + 1, (size_t)(eq - colon - 1));
	rc = path && key ? dexf_writer_set_item_meta(w, path, key, eq + 1) :
	    DEXF_ENOMEM;
	free(path);
	free(key);
	if (rc != 0) {
		cli_err("pack", "--item-meta %s: %s", arg, dexf_writer_errmsg(w));
		return -1;
	}
	return 0;
bad:
	cli_err("pack", "--item-meta '%s': expected PATH:KEY=VALUE", arg);
	return -1;
}

static int
agent(dexf_writer *w, const char *arg)
{
	char *copy = strdup(arg), *name, *org;
	int rc;

	if (copy == NULL)
		return -1;
	name = strchr(copy, ':');
	if (name == NULL || name == copy || name[1] == '\0') {
		cli_err("pack", "--agent '%s': expected ROLE:NAME[:ORG]", arg);
		free(copy);
		return -1;
	}
	*name++ = '\0';
	org = strchr(name, ':');
	if (org != NULL)
		*org++ = '\0';
	rc = dexf_writer_add_agent(w, copy, name, org);
	if (rc != 0)
		cli_err("pack", "--agent: %s", dexf_writer_errmsg(w));
	free(copy);
	return rc ? -1 : 0;
}

static void
print_result(const char *out, const char *json_mode, int quiet,
    int signed_)
{
	dexf_reader *r = NULL;
	size_t n;
	char hb[32];
	uint64_t total = 0;

	if (quiet && json_mode == NULL)
		return;
	if (dexf_reader_new(&r) != 0 || dexf_reader_open(r, out) != 0) {
		cli_err("pack", "%s: written, but cannot be reopened: %s", out,
		    dexf_reader_errmsg(r));
		dexf_reader_free(r);
		return;
	}
	n = dexf_reader_item_count(r);
	if (json_mode != NULL) {
		json j;

		json_init(&j, stdout);
		json_obj(&j);
		json_ku64(&j, "dexf_pack", 1);
		json_kstr(&j, "container", out);
		json_kstr(&j, "container_id", dexf_reader_get(r, "container-id"));
		json_kstr(&j, "created", dexf_reader_get(r, "created"));
		json_kbool(&j, "signed", signed_);
		json_key(&j, "items");
		json_arr(&j);
		for (size_t i = 0; i < n; i++) {
			const dexf_item *it = dexf_reader_item(r, i);
			static const char *const kinds[] = { "file", "symlink",
			    "directory" };

			json_obj(&j);
			json_kstr(&j, "id", dexf_item_id(it));
			json_kstr(&j, "path", dexf_item_path(it));
			json_kstr(&j, "kind", kinds[dexf_item_kind_of(it)]);
			json_ku64(&j, "size", dexf_item_size(it));
			if (dexf_item_kind_of(it) == DEXF_ITEM_FILE) {
				json_key(&j, "digests");
				json_obj(&j);
				for (unsigned h = 1; h <= DEXF_HASH_SHA3_256;
				    h <<= 1)
					if (dexf_item_digest(it, h))
						json_kstr(&j, dexf_hash_name(h),
						    dexf_item_digest(it, h));
				json_end_obj(&j);
				json_kstr(&j, "merkle_root",
				    dexf_item_get(it, "merkle-root"));
			}
			json_end_obj(&j);
		}
		json_end_arr(&j);
		json_end_obj(&j);
		json_done(&j);
	} else {
		for (size_t i = 0; i < n; i++)
			total += dexf_item_size(dexf_reader_item(r, i));
		printf("packed %zu item(s), %s, into %s (%s)\n", n,
		    cli_human(total, hb, sizeof(hb)), out,
		    signed_ ? "signed" : "UNSIGNED");
		printf("container id %s\n", dexf_reader_get(r, "container-id"));
		for (size_t i = 0; i < n; i++) {
			const dexf_item *it = dexf_reader_item(r, i);
			const char *d = dexf_item_digest(it, DEXF_HASH_SHA256);

			if (d != NULL)
				printf("sha256 %s  %s\n", d, dexf_item_path(it));
		}
	}
	dexf_reader_free(r);
}

int
cmd_pack(int argc, char **argv)
{
	const char *out = NULL, *key = NULL, *cert = NULL, *chain = NULL;
	const char *passfile = NULL, *passenv = NULL, *name = NULL;
	const char *examiner = NULL, *agency = NULL, *json_mode = NULL;
	const char **metas = NULL, **agents = NULL;
	size_t nmetas = 0, nagents = 0;
	char *pass = NULL;
	int force = 0, quiet = 0, nosign = 0, c, rc, ec = EXIT_USAGE;
	int store = 0, level = 0;
	unsigned hashes = DEXF_HASH_SHA256;
	dexf_writer *w = NULL;
	cli_progress prog;
	uint64_t v;

	if (dexf_writer_new(&w) != 0)
		return EXIT_UNREADABLE;
	metas = calloc((size_t)argc, sizeof(*metas));
	agents = calloc((size_t)argc, sizeof(*agents));
	if (metas == NULL || agents == NULL)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:fqhj:", opts, NULL)) != -1) {
		rc = 0;
		switch (c) {
		case 'o': out = optarg; break;
		case 'f': force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(stdout); ec = 0; goto out;
		case O_KEY: key = optarg; break;
		case O_CERT: cert = optarg; break;
		case O_CHAIN: chain = optarg; break;
		case O_PASSFILE: passfile = optarg; break;
		case O_PASSENV: passenv = optarg; break;
		case O_NOSIGN: nosign = 1; break;
		case O_CASE: rc = dexf_writer_set_case(w, "number", optarg); break;
		case O_CASENAME: rc = dexf_writer_set_case(w, "name", optarg); break;
		case O_DESC: rc = dexf_writer_set_case(w, "description", optarg); break;
		case O_AUTH: rc = dexf_writer_set_case(w, "authorization", optarg); break;
		case O_EXAMINER: examiner = optarg; break;
		case O_AGENCY: agency = optarg; break;
		case O_AGENT: agents[nagents++] = optarg; break;
		case O_ITEMMETA: metas[nmetas++] = optarg; break;
		case O_NAME: name = optarg; break;
		case O_HASH:
			if (parse_hashes(optarg, &hashes) != 0)
				goto out;
			break;
		case O_COMP:
			if (strcmp(optarg, "deflate") == 0)
				store = 0;
			else if (strcmp(optarg, "store") == 0)
				store = 1;
			else {
				cli_err("pack", "--compression must be deflate "
				    "or store");
				goto out;
			}
			break;
		case O_LEVEL:
			if (cli_parse_u64(optarg, &v) != 0 || v < 1 || v > 9) {
				cli_err("pack", "--level must be 1 to 9");
				goto out;
			}
			level = (int)v;
			break;
		case O_CHUNK:
			if (cli_parse_size(optarg, &v) != 0 || v > UINT32_MAX) {
				cli_err("pack", "--chunk-size '%s' is not a size",
				    optarg);
				goto out;
			}
			rc = dexf_writer_set_chunk_size(w, (uint32_t)v);
			break;
		case O_JSON: json_mode = "1"; break;
		case 'j':
			if (cli_parse_u64(optarg, &v) != 0 || v > 64) {
				cli_err("pack", "--threads must be 0 (all CPUs) "
				    "to 64");
				goto out;
			}
			rc = dexf_writer_set_threads(w, (int)v);
			break;
		default: help(stderr); goto out;
		}
		if (rc != 0) {
			cli_err("pack", "%s", dexf_writer_errmsg(w));
			goto out;
		}
	}
	if (out == NULL) {
		cli_err("pack", "no output: give -o CASE.dexf");
		goto out;
	}
	if (optind >= argc) {
		cli_err("pack", "nothing to pack: give files, directories or -");
		goto out;
	}
	if (nosign && (key || cert || chain || passfile || passenv)) {
		cli_err("pack", "--no-sign conflicts with --key, --cert, --chain "
		    "and the passphrase options");
		goto out;
	}
	if (store && level) {
		cli_err("pack", "--level conflicts with --compression store");
		goto out;
	}
	if (dexf_writer_set_compression(w, store ? DEXF_COMPRESSION_STORE :
	    DEXF_COMPRESSION_DEFLATE, level) != 0) {
		cli_err("pack", "%s", dexf_writer_errmsg(w));
		goto out;
	}
	if (!nosign && (key == NULL || cert == NULL)) {
		cli_err("pack", "give --key and --cert to sign the seal, or "
		    "--no-sign for an explicitly unsigned container");
		goto out;
	}
	if (passfile && passenv) {
		cli_err("pack", "--passphrase-file conflicts with "
		    "--passphrase-env");
		goto out;
	}
	if (name != NULL && argc - optind != 1) {
		cli_err("pack", "--name applies to a single input");
		goto out;
	}
	for (int i = optind; i < argc; i++)
		if (argv[i][0] == '\0') {
			cli_err("pack", "an input name is empty");
			goto out;
		}
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && name == NULL) {
			cli_err("pack", "stdin ('-') needs --name NAME");
			goto out;
		}
	if (agency && !examiner) {
		cli_err("pack", "--agency needs --examiner");
		goto out;
	}
	if (passfile) {
		pass = cli_read_passphrase_file(passfile);
		if (pass == NULL) {
			cli_err("pack", "%s: cannot read passphrase file",
			    passfile);
			goto out;
		}
	} else if (passenv) {
		const char *e = getenv(passenv);

		if (e == NULL) {
			cli_err("pack", "environment variable %s is not set",
			    passenv);
			goto out;
		}
		pass = strdup(e);
	}
	if ((examiner && dexf_writer_add_agent(w, "examiner", examiner,
	    agency) != 0) || dexf_writer_set_hashes(w, hashes) != 0) {
		cli_err("pack", "%s", dexf_writer_errmsg(w));
		goto out;
	}
	for (size_t i = 0; i < nagents; i++)
		if (agent(w, agents[i]) != 0)
			goto out;
	for (size_t i = 0; i < nmetas; i++)
		if (item_meta(w, metas[i]) != 0)
			goto out;
	if (!nosign && dexf_writer_set_signer(w, key, cert, chain, pass) != 0) {
		cli_err("pack", "%s", dexf_writer_errmsg(w));
		goto out;
	}
	if (pass != NULL) {
		memset(pass, 0, strlen(pass));
		free(pass);
		pass = NULL;
	}
	cli_catch_signals();
	cli_progress_init(&prog, "packing", quiet || json_mode);
	/* The bar's total, from a walk of the inputs before packing: not
	 * when no bar is drawn (it costs a path lookup and a stat a file,
	 * a tenth of a tree pack's time). */
	if (prog.enabled) {
		uint64_t total = 0;

		for (int i = optind; i < argc; i++)
			if (strcmp(argv[i], "-") != 0)
				total += input_bytes(argv[i], 0);
		dexf_writer_set_total(w, total);
	}
	dexf_writer_set_progress(w, cli_progress_cb, &prog);
	dexf_writer_set_warning(w, on_warning, NULL);
	if ((rc = dexf_writer_open(w, out, force)) != 0) {
		cli_err("pack", "%s", dexf_writer_errmsg(w));
		/* an unusable key is a usage problem, not an unreadable
		 * container */
		ec = rc == DEXF_EUNSUPPORTED ? EXIT_USAGE : cli_exit_for(rc);
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;
		const char *in = argv[i];

		if (strcmp(in, "-") == 0)
			rc = dexf_writer_add_fd(w, STDIN_FILENO, name);
		else if (lstat(in, &st) == 0 && S_ISDIR(st.st_mode))
			rc = dexf_writer_add_tree(w, in, name);
		else
			rc = dexf_writer_add_file(w, in, name);
		if (rc != 0) {
			cli_progress_end(&prog);
			cli_err("pack", "%s", dexf_writer_errmsg(w));
			cli_err("pack", "%s was not written", out);
			ec = rc == DEXF_ECANCELED ? 130 : cli_exit_for(rc);
			goto out;
		}
	}
	rc = dexf_writer_finish(w);
	cli_progress_end(&prog);
	if (rc != 0) {
		cli_err("pack", "%s", dexf_writer_errmsg(w));
		cli_err("pack", "%s was not written", out);
		ec = cli_exit_for(rc);
		goto out;
	}
	dexf_writer_free(w);
	w = NULL;
	print_result(out, json_mode, quiet, !nosign);
	ec = 0;
out:
	if (pass != NULL) {
		memset(pass, 0, strlen(pass));
		free(pass);
	}
	free(metas);
	free(agents);
	dexf_writer_free(w);
	return ec;
}
