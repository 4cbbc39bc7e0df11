/*
 * cmd_unpack.c - dexf unpack.
 *
 * Safety rules: every path is resolved component by component from the
 * target directory with O_NOFOLLOW, so nothing is written outside it or
 * through a symbolic link; each file is written to a temporary name and
 * renamed only after its digests verified; existing files are kept unless
 * --force; symbolic links are created last, after every file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf unpack CASE.dexf [-C DIR] [options] [ITEM...]\n\n"
"Extract items (all, or those named by path, id, or directory prefix),\n"
"verifying every chunk and digest on the way.  A damaged item is never\n"
"left under its name; intact items are still extracted.\n\n"
"  -C, --directory DIR      extract into DIR (default: current directory)\n"
"  -f, --force              replace existing files\n"
"  -t, --trust CA.pem       trusted CA certificates (repeatable)\n"
"  -s, --signer CERT.pem    trusted signer certificate (repeatable)\n"
"  -i, --integrity-only     exit 0 when intact, whoever signed\n"
"  -q, --quiet              no progress, no listing\n"
"  -h, --help\n\n"
"Exit: 0 all extracted, signer trusted; 1 an item or the container is\n"
"damaged or the seal is broken (intact items are still extracted, except\n"
"when the seal is broken: then nothing is); 2 usage, an existing file\n"
"without --force, an unknown ITEM; 3 extracted, signer not established;\n"
"4 not a readable container, or a file could not be created.\n");
}

static const struct option opts[] = {
	{ "directory", required_argument, NULL, 'C' },
	{ "force", no_argument, NULL, 'f' },
	{ "trust", required_argument, NULL, 't' },
	{ "signer", required_argument, NULL, 's' },
	{ "integrity-only", no_argument, NULL, 'i' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Open (creating as needed) the parent directory of `path` under root,
 * never following symbolic links.  *leaf points into `path`. */
static int
open_parent(int root, const char *path, const char **leaf, int create)
{
	char comp[256];
	const char *p = path, *slash;
	int fd = dup(root);

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		size_t n = (size_t)(slash - p);
		int next;

		if (n == 0 || n >= sizeof(comp)) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (create && mkdirat(fd, comp, 0755) != 0 && errno != EEXIST) {
			close(fd);
			return -1;
		}
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	*leaf = p;
	return fd;
}

static void
set_times(int dirfd, const char *leaf, const dexf_item *it, int fd)
{
	const char *mt = dexf_item_get(it, "mtime");
	struct timespec ts[2];
	struct tm tm;

	if (mt == NULL)
		return;
	memset(&tm, 0, sizeof(tm));
	if (strptime(mt, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return;
	ts[0].tv_sec = ts[1].tv_sec = timegm(&tm);
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (fd >= 0)
		futimens(fd, ts);
	else
		utimensat(dirfd, leaf, ts, AT_SYMLINK_NOFOLLOW);
}

static mode_t
item_mode(const dexf_item *it, mode_t dflt)
{
	const char *m = dexf_item_get(it, "mode");

	/* permission bits only: never restore setuid/setgid/sticky */
	return m ? (mode_t)(strtoul(m, NULL, 8) & 0777) : dflt;
}

static int
extract_file(dexf_reader *r, int root, const dexf_item *it, int force,
    cli_progress *prog)
{
	const char *leaf;
	char tmp[300];
	struct stat st;
	int dfd, fd, rc;

	dfd = open_parent(root, dexf_item_path(it), &leaf, 1);
	if (dfd < 0) {
		cli_err("unpack", "%s: cannot create its directory (a file or "
		    "symbolic link is in the way?): %s", dexf_item_path(it),
		    strerror(errno));
		return EXIT_UNREADABLE;
	}
	if (!force && fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		cli_err("unpack", "%s: exists, not replaced (use --force)",
		    dexf_item_path(it));
		close(dfd);
		return EXIT_USAGE;
	}
	snprintf(tmp, sizeof(tmp), ".dexf-%ld-%s.part", (long)getpid(),
	    dexf_item_id(it));
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0) {
		cli_err("unpack", "%s: cannot create: %s", dexf_item_path(it),
		    strerror(errno));
		close(dfd);
		return EXIT_UNREADABLE;
	}
	rc = dexf_reader_extract(r, it, fd, cli_progress_cb, prog);
	if (rc == 0) {
		fchmod(fd, item_mode(it, 0644));
		set_times(dfd, NULL, it, fd);
		if (fsync(fd) != 0)
			rc = DEXF_EIO;
	}
	close(fd);
	if (rc != 0) {
		cli_progress_end(prog);
		unlinkat(dfd, tmp, 0);
		cli_err("unpack", "%s: %s; not extracted", dexf_item_path(it),
		    rc == DEXF_EIO ? "write failed" : dexf_reader_errmsg(r));
		close(dfd);
		return rc == DEXF_ECANCELED ? 130 : cli_exit_for(rc);
	}
	if (renameat(dfd, tmp, dfd, leaf) != 0) {
		cli_err("unpack", "%s: cannot rename into place: %s",
		    dexf_item_path(it), strerror(errno));
		unlinkat(dfd, tmp, 0);
		close(dfd);
		return EXIT_UNREADABLE;
	}
	close(dfd);
	return 0;
}

static int
make_dir(int root, const dexf_item *it)
{
	const char *leaf;
	int dfd = open_parent(root, dexf_item_path(it), &leaf, 1);

	if (dfd < 0 || (mkdirat(dfd, leaf, item_mode(it, 0755)) != 0 &&
	    errno != EEXIST)) {
		cli_err("unpack", "%s: cannot create directory: %s",
		    dexf_item_path(it), strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return EXIT_UNREADABLE;
	}
	close(dfd);
	return 0;
}

static int
make_link(int root, const dexf_item *it, int force)
{
	const char *leaf, *target = dexf_item_get(it, "link-target");
	struct stat st;
	int dfd = open_parent(root, dexf_item_path(it), &leaf, 1);

	if (dfd < 0) {
		cli_err("unpack", "%s: cannot create its directory: %s",
		    dexf_item_path(it), strerror(errno));
		return EXIT_UNREADABLE;
	}
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!force) {
			cli_err("unpack", "%s: exists, not replaced (use "
			    "--force)", dexf_item_path(it));
			close(dfd);
			return EXIT_USAGE;
		}
		if (S_ISDIR(st.st_mode) || unlinkat(dfd, leaf, 0) != 0) {
			cli_err("unpack", "%s: cannot replace", dexf_item_path(it));
			close(dfd);
			return EXIT_UNREADABLE;
		}
	}
	/* The link is recreated as recorded; it is never followed here. */
	if (symlinkat(target, dfd, leaf) != 0) {
		cli_err("unpack", "%s: cannot create symbolic link: %s",
		    dexf_item_path(it), strerror(errno));
		close(dfd);
		return EXIT_UNREADABLE;
	}
	set_times(dfd, leaf, it, -1);
	close(dfd);
	return 0;
}

static int
selected(const dexf_item *it, char **sel, int nsel, unsigned char *used)
{
	const char *p = dexf_item_path(it);

	if (nsel == 0)
		return 1;
	for (int i = 0; i < nsel; i++) {
		size_t n = strlen(sel[i]);

		while (n > 1 && sel[i][n - 1] == '/')
			n--;
		if (strcmp(sel[i], dexf_item_id(it)) == 0 ||
		    strcmp(sel[i], p) == 0 ||
		    (strncmp(sel[i], p, n) == 0 && p[n] == '/')) {
			used[i] = 1;
			return 1;
		}
	}
	return 0;
}

static int
worse(int a, int b)
{
	static const int rank[] = { 0, 3, 2, 1, 4 };

	if (b < 0 || b > 4)
		return b;
	if (a < 0 || a > 4)
		return a;
	return rank[b] > rank[a] ? b : a;
}

int
cmd_unpack(int argc, char **argv)
{
	const char *dir = ".", *path;
	const char **trust = NULL, **signers = NULL;
	size_t ntrust = 0, nsigners = 0, n;
	int c, force = 0, quiet = 0, integrity_only = 0, ec = EXIT_USAGE;
	int root = -1, failed = 0, extracted = 0, rc;
	dexf_reader *r = NULL;
	dexf_report *rep = NULL;
	dexf_verify_opts vo;
	unsigned char *used = NULL;
	cli_progress prog;
	dexf_verdict v;

	trust = calloc((size_t)argc, sizeof(*trust));
	signers = calloc((size_t)argc, sizeof(*signers));
	used = calloc((size_t)argc, 1);
	if (!trust || !signers || !used)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "C:ft:s:iqh", opts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'f': force = 1; break;
		case 't': trust[ntrust++] = optarg; break;
		case 's': signers[nsigners++] = optarg; break;
		case 'i': integrity_only = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(stdout); ec = 0; goto out;
		default: help(stderr); goto out;
		}
	}
	if (optind >= argc) {
		cli_err("unpack", "no container given");
		goto out;
	}
	path = argv[optind++];
	if (cli_check_anchors("unpack", trust, ntrust, signers, nsigners) != 0)
		goto out;
	/* The seal, signature and indexes first: nothing is extracted from
	 * a container whose seal does not hold. */
	memset(&vo, 0, sizeof(vo));
	vo.flags = DEXF_VERIFY_QUICK;
	vo.trust = trust;
	vo.ntrust = ntrust;
	vo.signers = signers;
	vo.nsigners = nsigners;
	if ((rc = dexf_verify(&rep, path, &vo)) != 0) {
		cli_err("unpack", "%s: %s", path, dexf_strerror(rc));
		ec = EXIT_UNREADABLE;
		goto out;
	}
	v = dexf_report_verdict(rep);
	if (v == DEXF_VERDICT_CHAIN_BROKEN || v == DEXF_VERDICT_UNREADABLE ||
	    v == DEXF_VERDICT_UNSUPPORTED) {
		cli_err("unpack", "refusing to unpack: %s",
		    dexf_report_summary(rep));
		ec = cli_exit_for_verdict(v, 0);
		goto out;
	}
	if (v == DEXF_VERDICT_TAMPERED) {
		/* Container-level damage (an extra or missing entry, a bad
		 * index): say what, extract what is intact, and exit 1. */
		for (size_t i = 0; i < dexf_report_problem_count(rep); i++) {
			const dexf_problem *p = dexf_report_problem(rep, i);

			if (strcmp(p->kind, "untrusted") != 0 &&
			    strcmp(p->kind, "unsigned") != 0)
				cli_err("unpack", "%s: %s", path, p->message);
		}
		ec = EXIT_INTEGRITY;
	} else {
		ec = cli_exit_for_verdict(v, integrity_only);
	}
	if (dexf_report_seal(rep)->trust != DEXF_TRUST_TRUSTED && !quiet &&
	    !integrity_only)
		cli_err("unpack", "warning: signer not established: %s",
		    dexf_report_seal(rep)->trust_detail);
	if (dexf_reader_new(&r) != 0 || (rc = dexf_reader_open(r, path)) != 0) {
		cli_err("unpack", "%s", dexf_reader_errmsg(r));
		ec = cli_exit_for(rc);
		if (ec == EXIT_USAGE)
			ec = EXIT_UNREADABLE;
		goto out;
	}
	n = dexf_reader_item_count(r);
	for (int i = optind; i < argc; i++) {
		int found = 0;

		for (size_t k = 0; k < n && !found; k++) {
			unsigned char one = 0;
			char *sel[1] = { argv[i] };

			found = selected(dexf_reader_item(r, k), sel, 1, &one);
		}
		if (!found) {
			cli_err("unpack", "%s: no such item in %s", argv[i], path);
			ec = EXIT_USAGE;
			goto out;
		}
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		cli_err("unpack", "%s: cannot create: %s", dir, strerror(errno));
		ec = EXIT_UNREADABLE;
		goto out;
	}
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		cli_err("unpack", "%s: %s", dir, strerror(errno));
		ec = EXIT_UNREADABLE;
		goto out;
	}
	cli_catch_signals();
	cli_progress_init(&prog, "unpacking", quiet);
	n = dexf_reader_item_count(r);
	/* files and directories first, then links, then directory times */
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < n; i++) {
			const dexf_item *it = dexf_reader_item(r, i);
			dexf_item_kind k = dexf_item_kind_of(it);
			int e = 0;

			if (!selected(it, argv + optind, argc - optind, used))
				continue;
			if (pass == 0 && k == DEXF_ITEM_FILE)
				e = extract_file(r, root, it, force, &prog);
			else if (pass == 0 && k == DEXF_ITEM_DIRECTORY)
				e = make_dir(root, it);
			else if (pass == 1 && k == DEXF_ITEM_SYMLINK)
				e = make_link(root, it, force);
			else if (pass == 2 && k == DEXF_ITEM_DIRECTORY) {
				const char *leaf;
				int dfd = open_parent(root, dexf_item_path(it),
				    &leaf, 0);

				if (dfd >= 0) {
					set_times(dfd, leaf, it, -1);
					close(dfd);
				}
				continue;
			} else
				continue;
			if (e == 130) {
				ec = 130;
				goto out;
			}
			if (e != 0) {
				failed++;
				ec = worse(ec, e);
			} else {
				extracted++;
				if (!quiet && k == DEXF_ITEM_FILE)
					printf("ok %s\n", dexf_item_path(it));
			}
		}
	cli_progress_end(&prog);
	for (int i = optind; i < argc; i++)
		if (!used[i - optind]) {
			cli_err("unpack", "%s: no such item in %s", argv[i], path);
			failed++;
			ec = worse(ec, EXIT_USAGE);
		}
	if (!quiet)
		printf("%d item(s) extracted to %s, %d failed\n", extracted, dir,
		    failed);
out:
	if (root >= 0)
		close(root);
	dexf_report_free(rep);
	dexf_reader_free(r);
	free(trust);
	free(signers);
	free(used);
	return ec;
}
