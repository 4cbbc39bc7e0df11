/*
 * test_api.c - the public API end to end: writer settings and errors,
 * packing files, trees and streams, reading items back, and the stable
 * names and versions.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "dexf.h"
#include "reader_int.h"
#include "util.h"
#include "unit.h"
#include "writer_int.h"

#define NOTE "Seized from desk drawer, room 4.\n"

static char *dir;
static char srcdir[512], treedir[512];
static char p_note[600], p_rand[600], p_text[600], p_empty[600];
static unsigned char *rand_data, *text_data;
static const size_t rand_len = 3 * 4096 + 1000;
static const size_t text_len = 20000;
static int out_seq;

static int
init(void)
{
	char p[700];
	static const char words[] = "exhibit custody seal chunk merkle ";

	dir = unit_mkdtemp("api");
	rand_data = malloc(rand_len);
	text_data = malloc(text_len);
	if (dir == NULL || rand_data == NULL || text_data == NULL)
		return 1;
	unit_fill_random(rand_data, rand_len, 1234);
	for (size_t i = 0; i < text_len; i++)
		text_data[i] = (unsigned char)words[(i * 3 + i / 7) %
		    (sizeof(words) - 1)];
	unit_join(srcdir, sizeof(srcdir), dir, "src");
	unit_join(treedir, sizeof(treedir), dir, "tree");
	if (mkdir(srcdir, 0755) != 0 || mkdir(treedir, 0755) != 0)
		return 1;
	unit_join(p_note, sizeof(p_note), srcdir, "note.txt");
	unit_join(p_rand, sizeof(p_rand), srcdir, "rand.bin");
	unit_join(p_text, sizeof(p_text), srcdir, "text.log");
	unit_join(p_empty, sizeof(p_empty), srcdir, "empty");
	if (unit_write_file(p_note, NOTE, 33) != 0 ||
	    unit_write_file(p_rand, rand_data, rand_len) != 0 ||
	    unit_write_file(p_text, text_data, text_len) != 0 ||
	    unit_write_file(p_empty, "", 0) != 0 ||
	    chmod(p_rand, 0600) != 0)
		return 1;
	/* tree/a/b.txt, tree/a/c/d.bin, tree/empty-subdir/, tree/fifo,
	 * tree/link -> a/b.txt */
	snprintf(p, sizeof(p), "%s/a", treedir);
	if (mkdir(p, 0755) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/a/c", treedir);
	if (mkdir(p, 0755) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/empty-subdir", treedir);
	if (mkdir(p, 0700) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/a/b.txt", treedir);
	if (unit_write_file(p, "bee\n", 4) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/a/c/d.bin", treedir);
	if (unit_write_file(p, rand_data, 5000) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/fifo", treedir);
	if (mkfifo(p, 0600) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/link", treedir);
	if (symlink("a/b.txt", p) != 0)
		return 1;
	return 0;
}

static int
clean(void)
{
	unit_rmrf(dir);
	free(dir);
	free(rand_data);
	free(text_data);
	dir = NULL;
	rand_data = text_data = NULL;
	return 0;
}

/* A fresh empty output directory; path of "case.dexf" in it. */
static void
out_path(char *buf, size_t size, char *odir, size_t osize)
{
	/* return values checked: a truncated path would be a test bug */
	if (snprintf(odir, osize, "%s/out%d", dir, out_seq++) >= (int)osize ||
	    snprintf(buf, size, "%s/case.dexf", odir) >= (int)size)
		abort();
	mkdir(odir, 0755);
}

typedef struct pack_opts {
	uint32_t chunk;
	int store;
	int signer;            /* 0 none, 1 ecdsa256 */
	unsigned hashes;
} pack_opts;

/* note.txt (i1), rand.bin (i2), text.log (i3), empty (i4), plus a tree. */
static int
pack_standard(const char *out, const pack_opts *o, char *err, size_t errsz)
{
	dexf_writer *w = NULL;
	int rc;

	if ((rc = dexf_writer_new(&w)) != 0)
		return rc;
	if ((rc = dexf_writer_set_chunk_size(w, o->chunk ? o->chunk : 4096))
	    != 0 ||
	    (rc = dexf_writer_set_compression(w, o->store ?
	    DEXF_COMPRESSION_STORE : DEXF_COMPRESSION_DEFLATE, 0)) != 0 ||
	    (rc = dexf_writer_set_hashes(w, o->hashes)) != 0 ||
	    (rc = dexf_writer_set_case(w, "number", "2026-0042")) != 0 ||
	    (rc = dexf_writer_set_case(w, "name", "Harbour Street")) != 0 ||
	    (rc = dexf_writer_set_case(w, "description", "two lines\nhere"))
	    != 0 ||
	    (rc = dexf_writer_set_case(w, "authorization", "Warrant 17/2026"))
	    != 0 ||
	    (rc = dexf_writer_add_agent(w, "technician", "Tom Tech", NULL))
	    != 0 ||
	    (rc = dexf_writer_add_agent(w, "examiner", "Jane Doe",
	    "Regional Forensic Lab")) != 0 ||
	    (rc = dexf_writer_set_item_meta(w, "rand.bin", "exhibit", "EX-2"))
	    != 0 ||
	    (rc = dexf_writer_set_item_meta(w, "rand.bin", "media-type",
	    "application/octet-stream")) != 0 ||
	    (rc = dexf_writer_set_item_meta(w, "rand.bin", "source.serial",
	    "AC123456")) != 0 ||
	    (rc = dexf_writer_set_item_meta(w, "rand.bin", "acquisition.start",
	    "2026-11-20T09:02:10Z")) != 0 ||
	    (rc = dexf_writer_set_item_meta(w, "rand.bin", "acquisition.tool",
	    "dd 9.4")) != 0 ||
	    (rc = dexf_writer_set_item_meta(w, "rand.bin", "unreadable",
	    "4096:512,12288:100")) != 0)
		goto out;
	if (o->signer && (rc = dexf_writer_set_signer(w,
	    unit_pki("ecdsa256.key"), unit_pki("ecdsa256.pem"), NULL, NULL))
	    != 0)
		goto out;
	if ((rc = dexf_writer_open(w, out, 0)) != 0 ||
	    (rc = dexf_writer_add_file(w, p_note, NULL)) != 0 ||
	    (rc = dexf_writer_add_file(w, p_rand, NULL)) != 0 ||
	    (rc = dexf_writer_add_file(w, p_text, "logs/text.log")) != 0 ||
	    (rc = dexf_writer_add_file(w, p_empty, NULL)) != 0 ||
	    (rc = dexf_writer_add_tree(w, treedir, "tree")) != 0)
		goto out;
	/* metadata may also come after the item */
	if ((rc = dexf_writer_set_item_meta(w, "note.txt", "exhibit", "EX-1"))
	    != 0)
		goto out;
	rc = dexf_writer_finish(w);
out:
	if (rc != 0 && err != NULL)
		snprintf(err, errsz, "%s", dexf_writer_errmsg(w));
	dexf_writer_free(w);
	return rc;
}

static dexf_reader *
open_reader(const char *path)
{
	dexf_reader *r = NULL;

	if (dexf_reader_new(&r) != 0)
		return NULL;
	if (dexf_reader_open(r, path) != 0) {
		fprintf(stderr, "reader: %s\n", dexf_reader_errmsg(r));
		dexf_reader_free(r);
		return NULL;
	}
	return r;
}

/* ------------------------------------------------------------ names */

static void
strerror_strings_are_stable(void)
{
	UA_STR(dexf_strerror(DEXF_OK), "success");
	UA_STR(dexf_strerror(DEXF_ENOTFOUND), "not found");
	UA_STR(dexf_strerror(DEXF_EFORMAT), "not a readable dexf container");
	UA_STR(dexf_strerror(DEXF_EINTEGRITY), "integrity failure");
	UA_STR(dexf_strerror(DEXF_EUNTRUSTED), "signer not trusted");
	UA_STR(dexf_strerror(DEXF_EIO), "i/o error");
	UA_STR(dexf_strerror(DEXF_ENOMEM), "out of memory");
	UA_STR(dexf_strerror(DEXF_EINVAL), "invalid argument");
	UA_STR(dexf_strerror(DEXF_EUNSUPPORTED),
	    "unsupported version or algorithm");
	UA_STR(dexf_strerror(DEXF_EEXISTS), "already exists");
	UA_STR(dexf_strerror(DEXF_ECANCELED), "canceled");
	UA_STR(dexf_strerror(DEXF_ECRYPTO), "key, certificate or signing error");
	UA_STR(dexf_strerror(DEXF_EBUSY), "locked by another process");
	UA_STR(dexf_strerror(DEXF_ENETWORK), "remote service unavailable");
	UA_STR(dexf_strerror(-14), "unknown error");
	UA_STR(dexf_strerror(1), "unknown error");
	/* the codes themselves are part of the ABI */
	UA_INT(DEXF_ENOTFOUND, -1);
	UA_INT(DEXF_ECRYPTO, -11);
	UA_INT(DEXF_EBUSY, -12);
	UA_INT(DEXF_ENETWORK, -13);
}

static void
verdict_and_trust_names_are_stable(void)
{
	UA_STR(dexf_verdict_name(DEXF_VERDICT_INTACT_TRUSTED), "intact-trusted");
	UA_STR(dexf_verdict_name(DEXF_VERDICT_INTACT_UNTRUSTED),
	    "intact-untrusted");
	UA_STR(dexf_verdict_name(DEXF_VERDICT_INTACT_UNSIGNED),
	    "intact-unsigned");
	UA_STR(dexf_verdict_name(DEXF_VERDICT_TAMPERED), "tampered");
	UA_STR(dexf_verdict_name(DEXF_VERDICT_CHAIN_BROKEN), "chain-broken");
	UA_STR(dexf_verdict_name(DEXF_VERDICT_UNREADABLE), "unreadable");
	UA_STR(dexf_verdict_name(DEXF_VERDICT_UNSUPPORTED), "unsupported");
	UA_STR(dexf_verdict_name((dexf_verdict)99), "unknown");
	UA_STR(dexf_trust_name(DEXF_TRUST_TRUSTED), "trusted");
	UA_STR(dexf_trust_name(DEXF_TRUST_UNTRUSTED), "untrusted");
	UA_STR(dexf_trust_name(DEXF_TRUST_EXPIRED), "expired");
	UA_STR(dexf_trust_name(DEXF_TRUST_UNKNOWN), "unknown");
	UA_STR(dexf_trust_name(DEXF_TRUST_UNSIGNED), "unsigned");
	UA_STR(dexf_trust_name(DEXF_TRUST_INVALID), "invalid");
	UA_STR(dexf_trust_name((dexf_trust)42), "unknown");
	UA_STR(dexf_hash_name(DEXF_HASH_SHA3_256), "sha3-256");
	UA_INT(dexf_hash_from_name("MD5"), DEXF_HASH_MD5);
}

static void
version_strings_match_headers(void)
{
	const char *b = dexf_backends();

	UA_STR(dexf_version(), DEXF_VERSION_STRING);
	UA_STR(dexf_version(), "0.1.0");
	UA_INT(dexf_version_number(), DEXF_VERSION_NUMBER);
	UA_INT(dexf_version_number(), 100);
	UA_STR(DEXF_FORMAT_VERSION, "1.0");
	UA_HAS(b, "OpenSSL");
	UA_HAS(b, "zlib");
	UA_HAS(b, "libxml2");
	UA(strstr(b, "libarchive") == NULL);    /* tests only */
	UA(dexf_backends() == b);       /* static storage */
}

/* ------------------------------------------------------------ settings */

static void
writer_null_handles_are_invalid(void)
{
	dexf_reader *r = NULL;

	UA_INT(dexf_writer_new(NULL), DEXF_EINVAL);
	UA_INT(dexf_reader_new(NULL), DEXF_EINVAL);
	UA_STR(dexf_writer_errmsg(NULL), "no writer");
	UA_STR(dexf_reader_errmsg(NULL), "no reader");
	UA_INT(dexf_writer_set_chunk_size(NULL, 4096), DEXF_EINVAL);
	UA_INT(dexf_writer_set_case(NULL, "number", "x"), DEXF_EINVAL);
	UA_INT(dexf_writer_open(NULL, "x", 0), DEXF_EINVAL);
	UA_INT(dexf_writer_add_file(NULL, "x", NULL), DEXF_EINVAL);
	UA_INT(dexf_writer_finish(NULL), DEXF_EINVAL);
	UA_INT(dexf_reader_open(NULL, "x"), DEXF_EINVAL);
	UA_INT(dexf_reader_new(&r), 0);
	UA_INT(dexf_reader_open(r, NULL), DEXF_EINVAL);
	UA_INT(dexf_reader_item_count(r), 0);
	UA(dexf_reader_get(r, "container-id") == NULL);
	dexf_reader_free(r);
	dexf_writer_free(NULL);
	dexf_reader_free(NULL);
	dexf_report_free(NULL);
	UA(dexf_report_verdict(NULL) == DEXF_VERDICT_UNREADABLE);
}

static void
writer_rejects_bad_chunk_size(void)
{
	static const uint32_t bad[] = { 0, 1, 1000, 2048, 4095, 4097, 12288,
	    (1u << 20) + 1, 128u << 20, 0x80000000u, 0xffffffffu };
	dexf_writer *w = NULL;

	UA_INT(dexf_writer_new(&w), 0);
	if (w == NULL)
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[80];
		int rc = dexf_writer_set_chunk_size(w, bad[i]);

		snprintf(what, sizeof(what), "chunk size %u refused (got %d)",
		    bad[i], rc);
		CU_assertImplementation(rc == DEXF_EINVAL ? CU_TRUE : CU_FALSE,
		    __LINE__, what, __FILE__, "", CU_FALSE);
	}
	UA_HAS(dexf_writer_errmsg(w), "power of two");
	UA_INT(dexf_writer_set_chunk_size(w, 4096), 0);
	UA_INT(dexf_writer_set_chunk_size(w, 64u << 20), 0);
	UA_INT(dexf_writer_set_chunk_size(w, 1u << 20), 0);
	dexf_writer_free(w);
}

static void
writer_rejects_bad_compression_and_level(void)
{
	dexf_writer *w = NULL;

	UA_INT(dexf_writer_new(&w), 0);
	if (w == NULL)
		return;
	UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_DEFLATE, 10),
	    DEXF_EINVAL);
	UA_HAS(dexf_writer_errmsg(w), "10");
	UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_DEFLATE, -1),
	    DEXF_EINVAL);
	UA_INT(dexf_writer_set_compression(w, (dexf_compression)2, 6),
	    DEXF_EINVAL);
	UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_DEFLATE, 1), 0);
	UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_DEFLATE, 9), 0);
	UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_STORE, 0), 0);
	UA_INT(dexf_writer_set_hashes(w, 1u << 5), DEXF_EINVAL);
	UA_INT(dexf_writer_set_hashes(w, 0x80000000u), DEXF_EINVAL);
	UA_INT(dexf_writer_set_hashes(w, DEXF_HASH_ALL), 0);
	UA_INT(dexf_writer_set_hashes(w, 0), 0);
	dexf_writer_free(w);
}

static void
writer_rejects_unknown_case_field_and_bad_text(void)
{
	dexf_writer *w = NULL;
	char *big = malloc(70000);

	UA_INT(dexf_writer_new(&w), 0);
	if (w == NULL || big == NULL) {
		free(big);
		dexf_writer_free(w);
		return;
	}
	UA_INT(dexf_writer_set_case(w, "judge", "x"), DEXF_EINVAL);
	UA_HAS(dexf_writer_errmsg(w), "'judge'");
	UA_INT(dexf_writer_set_case(w, "Number", "x"), DEXF_EINVAL);
	UA_INT(dexf_writer_set_case(w, "number", "bell\a"), DEXF_EINVAL);
	UA_INT(dexf_writer_set_case(w, "number", "bad \xff utf8"), DEXF_EINVAL);
	UA_INT(dexf_writer_set_case(w, "number", NULL), DEXF_EINVAL);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	UA_INT(dexf_writer_set_case(w, "description", big), DEXF_EINVAL);
	UA_INT(dexf_writer_set_case(w, "number", "tab\tand\nnewline ok"), 0);
	UA_INT(dexf_writer_set_case(w, "name", ""), 0);
	UA_INT(dexf_writer_add_agent(w, "", "x", NULL), DEXF_EINVAL);
	UA_INT(dexf_writer_add_agent(w, "examiner", NULL, NULL), DEXF_EINVAL);
	UA_INT(dexf_writer_add_agent(w, "examiner", "x\x01", NULL),
	    DEXF_EINVAL);
	free(big);
	dexf_writer_free(w);
}

static void
writer_rejects_unknown_item_meta_key(void)
{
	static const char *const bad[] = { "bogus", "mtime", "mode",
	    "link-target", "entry", "merkle-root", "chunk-size", "Exhibit",
	    "" };
	dexf_writer *w = NULL;

	UA_INT(dexf_writer_new(&w), 0);
	if (w == NULL)
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[80];
		int rc = dexf_writer_set_item_meta(w, "x", bad[i], "v");

		snprintf(what, sizeof(what), "item key '%s' refused (got %d)",
		    bad[i], rc);
		CU_assertImplementation(rc == DEXF_EINVAL ? CU_TRUE : CU_FALSE,
		    __LINE__, what, __FILE__, "", CU_FALSE);
	}
	UA_HAS(dexf_writer_errmsg(w), "unknown item metadata key");
	UA_INT(dexf_writer_set_item_meta(w, "x", "exhibit", "EX-9"), 0);
	UA_INT(dexf_writer_set_item_meta(w, "x", "source.description", "d"), 0);
	UA_INT(dexf_writer_set_item_meta(w, "x", "acquisition.notes", "n"), 0);
	UA_INT(dexf_writer_set_item_meta(w, "x", "media-type", ""),
	    DEXF_EINVAL);
	dexf_writer_free(w);
}

static void
writer_rejects_bad_unreadable_ranges_and_times(void)
{
	static const char *const bad[] = { "abc", "10", "10:0", "-1:5",
	    "1:x", ":5", "5:", "1:2;3:4", "18446744073709551616:1" };
	dexf_writer *w = NULL;

	UA_INT(dexf_writer_new(&w), 0);
	if (w == NULL)
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[80];
		int rc = dexf_writer_set_item_meta(w, "x", "unreadable", bad[i]);

		snprintf(what, sizeof(what), "unreadable '%s' refused (got %d)",
		    bad[i], rc);
		CU_assertImplementation(rc == DEXF_EINVAL ? CU_TRUE : CU_FALSE,
		    __LINE__, what, __FILE__, "", CU_FALSE);
	}
	UA_INT(dexf_writer_set_item_meta(w, "x", "unreadable", "0:1,10:20"), 0);
	UA_INT(dexf_writer_set_item_meta(w, "x", "acquisition.start",
	    "yesterday"), DEXF_EINVAL);
	UA_INT(dexf_writer_set_item_meta(w, "x", "acquisition.end",
	    "2026-11-22 14:03:00"), DEXF_EINVAL);
	UA_INT(dexf_writer_set_item_meta(w, "x", "acquisition.end",
	    "2026-11-22T14:03:00Z"), 0);
	dexf_writer_free(w);
}

static void
writer_settings_after_open_are_refused(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	if (w == NULL)
		return;
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_set_chunk_size(w, 8192), DEXF_EINVAL);
	UA_HAS(dexf_writer_errmsg(w), "before dexf_writer_open");
	UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_STORE, 0),
	    DEXF_EINVAL);
	UA_INT(dexf_writer_set_hashes(w, DEXF_HASH_MD5), DEXF_EINVAL);
	UA_INT(dexf_writer_set_signer(w, unit_pki("ecdsa256.key"),
	    unit_pki("ecdsa256.pem"), NULL, NULL), DEXF_EINVAL);
	UA_INT(dexf_writer_open(w, out, 0), DEXF_EINVAL);
	/* case and item metadata may still be set */
	UA_INT(dexf_writer_set_case(w, "number", "late"), 0);
	UA_INT(dexf_writer_finish(w), 0);
	UA_INT(dexf_writer_finish(w), DEXF_EINVAL);     /* only once */
	UA_INT(dexf_writer_add_file(w, p_note, NULL), DEXF_EINVAL);
	dexf_writer_free(w);
	UA(unit_exists(out));
}

static void
writer_add_before_open_is_invalid(void)
{
	dexf_writer *w = NULL;

	UA_INT(dexf_writer_new(&w), 0);
	if (w == NULL)
		return;
	UA_INT(dexf_writer_add_file(w, p_note, NULL), DEXF_EINVAL);
	UA_INT(dexf_writer_add_tree(w, treedir, NULL), DEXF_EINVAL);
	UA_INT(dexf_writer_add_fd(w, 0, "stdin"), DEXF_EINVAL);
	UA_INT(dexf_writer_finish(w), DEXF_EINVAL);
	UA_HAS(dexf_writer_errmsg(w), "not open");
	UA_INT(dexf_writer_set_signer(w, NULL, unit_pki("ecdsa256.pem"), NULL,
	    NULL), DEXF_EINVAL);
	dexf_writer_free(w);
}

static void
writer_refuses_existing_target_unless_overwrite(void)
{
	char out[600], odir[600], link[700];
	dexf_writer *w = NULL;
	dexf_reader *r;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(unit_write_file(out, "precious", 8), 0);
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_open(w, out, 0), DEXF_EEXISTS);
	UA_HAS(dexf_writer_errmsg(w), out);
	dexf_writer_free(w);
	/* untouched */
	{
		size_t n;
		unsigned char *b = unit_read_file(out, &n);

		UA(b != NULL && n == 8 && memcmp(b, "precious", 8) == 0);
		free(b);
	}
	/* a dangling symlink is an existing name too */
	snprintf(link, sizeof(link), "%s/dangling.dexf", odir);
	UA_INT(symlink("nowhere", link), 0);
	w = NULL;
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_open(w, link, 0), DEXF_EEXISTS);
	dexf_writer_free(w);
	/* overwrite replaces it */
	w = NULL;
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_open(w, out, 1), 0);
	UA_INT(dexf_writer_add_file(w, p_note, NULL), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	r = open_reader(out);
	UA(r != NULL);
	UA_INT(dexf_reader_item_count(r), 1);
	dexf_reader_free(r);
	UA_INT(unit_count_dir(odir), 2);     /* case.dexf, dangling.dexf */
}

static void
writer_meta_for_missing_item_fails_finish_and_leaves_nothing(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_item_meta(w, "nope.bin", "exhibit", "EX-7"), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, p_note, NULL), 0);
	UA_INT(dexf_writer_finish(w), DEXF_ENOTFOUND);
	UA_HAS(dexf_writer_errmsg(w), "'nope.bin'");
	UA(!unit_exists(out));
	dexf_writer_free(w);
	UA(!unit_exists(out));
	UA_INT(unit_count_dir(odir), 0);     /* no temporary file left */
}

static void
writer_unreadable_range_outside_item_fails_finish(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_item_meta(w, "note.txt", "unreadable", "30:10"),
	    0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, p_note, NULL), 0);
	UA_INT(dexf_writer_finish(w), DEXF_EINVAL);
	UA_HAS(dexf_writer_errmsg(w), "note.txt");
	dexf_writer_free(w);
	UA_INT(unit_count_dir(odir), 0);
}

/* FORMAT.md 8.7 rule 9: ranges sorted and disjoint; a writer must not
 * produce what readers refuse. */
static void
writer_unreadable_ranges_must_be_sorted_and_disjoint(void)
{
	static const char *const bad[] = { "20:5,0:5", "0:10,5:10" };

	for (size_t i = 0; i < 2; i++) {
		char out[600], odir[600], what[80];
		dexf_writer *w = NULL;
		int rc;

		out_path(out, sizeof(out), odir, sizeof(odir));
		UA_INT(dexf_writer_new(&w), 0);
		rc = dexf_writer_set_item_meta(w, "note.txt", "unreadable",
		    bad[i]);
		if (rc == 0) {
			UA_INT(dexf_writer_open(w, out, 0), 0);
			UA_INT(dexf_writer_add_file(w, p_note, NULL), 0);
			rc = dexf_writer_finish(w);
		}
		snprintf(what, sizeof(what), "ranges \"%s\" refused (got %d)",
		    bad[i], rc);
		CU_assertImplementation(rc == DEXF_EINVAL ? CU_TRUE : CU_FALSE,
		    __LINE__, what, __FILE__, "", CU_FALSE);
		dexf_writer_free(w);
	}
}

static void
writer_add_file_reports_bad_sources_and_names(void)
{
	char out[600], odir[600], missing[700];
	dexf_writer *w = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	snprintf(missing, sizeof(missing), "%s/missing", srcdir);
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, missing, NULL), DEXF_ENOTFOUND);
	UA_HAS(dexf_writer_errmsg(w), missing);
	UA_INT(dexf_writer_add_file(w, srcdir, NULL), DEXF_EINVAL);
	UA_HAS(dexf_writer_errmsg(w), "directory");
	UA_INT(dexf_writer_add_file(w, p_note, "../escape.txt"), DEXF_EINVAL);
	UA_HAS(dexf_writer_errmsg(w), "'../escape.txt'");
	UA_INT(dexf_writer_add_file(w, p_note, "/abs"), DEXF_EINVAL);
	UA_INT(dexf_writer_add_file(w, p_note, "a\\b"), DEXF_EINVAL);
	UA_INT(dexf_writer_add_file(w, p_note, "bad\xff"), DEXF_EINVAL);
	UA_INT(dexf_writer_add_file(w, p_note, "ok/name.txt"), 0);
	UA_INT(dexf_writer_add_file(w, p_note, "ok/name.txt"), DEXF_EEXISTS);
	UA_INT(dexf_writer_add_tree(w, p_note, NULL), DEXF_EIO);
	UA_INT(dexf_writer_add_tree(w, missing, NULL), DEXF_ENOTFOUND);
	UA_INT(dexf_writer_add_fd(w, 0, NULL), DEXF_EINVAL);
	/* the writer is still usable after refused names */
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
}

/* FORMAT.md 3.5: a file path is never a component prefix of another. */
static void
writer_refuses_file_that_prefixes_another_path(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;
	int rc;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, p_note, "a"), 0);
	rc = dexf_writer_add_file(w, p_note, "a/b");
	CU_assertImplementation(rc == DEXF_EINVAL || rc == DEXF_EEXISTS ?
	    CU_TRUE : CU_FALSE, __LINE__, rc == 0 ? "file 'a/b' after file 'a' "
	    "refused (got 0)" : "file 'a/b' after file 'a' refused with EINVAL "
	    "or EEXISTS", __FILE__, "", CU_FALSE);
	rc = dexf_writer_add_file(w, p_note, "c/d");
	UA_INT(rc, 0);
	rc = dexf_writer_add_file(w, p_note, "c");
	CU_assertImplementation(rc == DEXF_EINVAL || rc == DEXF_EEXISTS ?
	    CU_TRUE : CU_FALSE, __LINE__, rc == 0 ? "file 'c' after file 'c/d' "
	    "refused (got 0)" : "file 'c' after file 'c/d' refused with EINVAL "
	    "or EEXISTS", __FILE__, "", CU_FALSE);
	dexf_writer_free(w);
}

static int warnings_seen;
static char last_warning[1024];

static void
on_warning(const char *msg, void *payload)
{
	(void)payload;
	warnings_seen++;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

static void
writer_add_tree_stores_files_links_and_empty_dirs_in_order(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;
	dexf_reader *r;
	static const struct {
		const char *path;
		dexf_item_kind kind;
		uint64_t size;
	} want[] = {
		{ "evidence-tree/a/b.txt", DEXF_ITEM_FILE, 4 },
		{ "evidence-tree/a/c/d.bin", DEXF_ITEM_FILE, 5000 },
		{ "evidence-tree/empty-subdir", DEXF_ITEM_DIRECTORY, 0 },
		{ "evidence-tree/link", DEXF_ITEM_SYMLINK, 7 },
	};

	out_path(out, sizeof(out), odir, sizeof(odir));
	warnings_seen = 0;
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_warning(w, on_warning, NULL), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_tree(w, treedir, "evidence-tree"), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	UA_INT(warnings_seen, 1);
	UA_HAS(last_warning, "fifo");
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_INT(dexf_reader_item_count(r), 4);
	for (size_t i = 0; i < 4 && i < dexf_reader_item_count(r); i++) {
		const dexf_item *it = dexf_reader_item(r, i);

		UA_STR(dexf_item_path(it), want[i].path);
		UA_INT(dexf_item_kind_of(it), want[i].kind);
		UA(dexf_item_size(it) == want[i].size);
	}
	{
		const dexf_item *it = NULL;

		UA_INT(dexf_reader_find(&it, r, "evidence-tree/link"), 0);
		UA_STR(dexf_item_get(it, "link-target"), "a/b.txt");
		UA(dexf_item_digest(it, DEXF_HASH_SHA256) == NULL);
		UA(dexf_item_get(it, "entry") == NULL);
		UA_INT(dexf_reader_find(&it, r, "evidence-tree/empty-subdir"), 0);
		UA_STR(dexf_item_get(it, "mode"), "0700");
	}
	dexf_reader_free(r);
}

static void
writer_add_tree_uses_directory_base_name(void)
{
	char out[600], odir[600], slash[700];
	dexf_writer *w = NULL;
	dexf_reader *r;
	const dexf_item *it = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	snprintf(slash, sizeof(slash), "%s/", treedir);
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_tree(w, slash, NULL), 0);
	UA_INT(dexf_writer_add_tree(w, "/", NULL), DEXF_EINVAL);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	r = open_reader(out);
	UA(r != NULL);
	if (r != NULL) {
		UA_INT(dexf_reader_find(&it, r, "tree/a/b.txt"), 0);
		dexf_reader_free(r);
	}
}

static void
writer_add_fd_reads_a_pipe_to_the_end(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;
	dexf_reader *r;
	const dexf_item *it = NULL;
	unsigned char back[10000];
	size_t n = 0;
	int pfd[2];

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pipe(pfd), 0);
	UA_INT(write(pfd[1], text_data, 10000), 10000);
	close(pfd[1]);
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_chunk_size(w, 4096), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_fd(w, pfd[0], "stdin.log"), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	close(pfd[0]);
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_INT(dexf_reader_find(&it, r, "stdin.log"), 0);
	UA(dexf_item_size(it) == 10000);
	UA(dexf_item_get(it, "mtime") == NULL);    /* a stream has no stat */
	UA(dexf_item_get(it, "mode") == NULL);
	UA_STR(dexf_item_get(it, "chunk-count"), "3");
	UA_INT(dexf_reader_read(r, it, 0, back, sizeof(back), &n), 0);
	UA_INT(n, 10000);
	UA_MEM(back, text_data, 10000);
	dexf_reader_free(r);
}

typedef struct progress_log {
	uint64_t done[64], total[64];
	int n, cancel_at;
} progress_log;

static int
on_progress(uint64_t done, uint64_t total, void *payload)
{
	progress_log *l = payload;

	if (l->n < 64) {
		l->done[l->n] = done;
		l->total[l->n] = total;
	}
	l->n++;
	return l->cancel_at > 0 && l->n >= l->cancel_at;
}

static void
writer_progress_reports_increasing_done(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;
	progress_log log;
	int increasing = 1;

	memset(&log, 0, sizeof(log));
	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_chunk_size(w, 4096), 0);
	UA_INT(dexf_writer_set_progress(w, on_progress, &log), 0);
	UA_INT(dexf_writer_set_total(w, rand_len + text_len), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, p_rand, NULL), 0);
	UA_INT(dexf_writer_add_file(w, p_text, NULL), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	/* 4 chunks of rand.bin and 5 of text.log */
	UA_INT(log.n, 9);
	for (int i = 1; i < log.n && i < 64; i++)
		if (log.done[i] <= log.done[i - 1])
			increasing = 0;
	UA(increasing);
	UA(log.done[0] == 4096);
	UA(log.done[3] == rand_len);
	if (log.n >= 1 && log.n <= 64) {
		UA(log.done[log.n - 1] == rand_len + text_len);
		UA(log.total[log.n - 1] == rand_len + text_len);
	}
}

static void
writer_progress_cancel_leaves_no_output_or_temp_file(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;
	progress_log log;

	memset(&log, 0, sizeof(log));
	log.cancel_at = 2;
	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_chunk_size(w, 4096), 0);
	UA_INT(dexf_writer_set_progress(w, on_progress, &log), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, p_rand, NULL), DEXF_ECANCELED);
	UA_HAS(dexf_writer_errmsg(w), "cancel");
	UA_INT(log.n, 2);
	UA(dexf_writer_finish(w) != 0);
	UA(!unit_exists(out));
	dexf_writer_free(w);
	UA(!unit_exists(out));
	UA_INT(unit_count_dir(odir), 0);
}

static void
writer_bad_signer_fails_at_open_before_any_output(void)
{
	static const struct {
		const char *key, *cert, *pass;
		int want;
	} cases[] = {
		{ "encrypted.key", "encrypted.pem", "wrong", DEXF_ECRYPTO },
		{ "encrypted.key", "encrypted.pem", NULL, DEXF_ECRYPTO },
		{ "ecdsa256.key", "ecdsa384.pem", NULL, DEXF_ECRYPTO },
		{ "ed25519.key", "ed25519.pem", NULL, DEXF_EUNSUPPORTED },
		{ "missing.key", "ecdsa256.pem", NULL, DEXF_ENOTFOUND },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[600], odir[600];
		dexf_writer *w = NULL;

		out_path(out, sizeof(out), odir, sizeof(odir));
		UA_INT(dexf_writer_new(&w), 0);
		UA_INT(dexf_writer_set_signer(w, unit_pki(cases[i].key),
		    unit_pki(cases[i].cert), NULL, cases[i].pass), 0);
		UA_INT(dexf_writer_open(w, out, 0), cases[i].want);
		UA_INT(dexf_writer_add_file(w, p_note, NULL), DEXF_EINVAL);
		dexf_writer_free(w);
		UA_INT(unit_count_dir(odir), 0);
	}
}

/* Metadata named by a directory path reaches every item below it (the
 * writer's apply_meta(); not yet described in writer.h). */
static void
writer_item_meta_on_a_directory_applies_to_items_below(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;
	dexf_reader *r;
	const dexf_item *it = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_item_meta(w, "t/a", "exhibit", "EX-A"), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_tree(w, treedir, "t"), 0);
	UA_INT(dexf_writer_add_file(w, p_note, "t/ab"), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_INT(dexf_reader_find(&it, r, "t/a/b.txt"), 0);
	UA_STR(dexf_item_get(it, "exhibit"), "EX-A");
	UA_INT(dexf_reader_find(&it, r, "t/a/c/d.bin"), 0);
	UA_STR(dexf_item_get(it, "exhibit"), "EX-A");
	/* a mere string prefix is not below the directory */
	UA_INT(dexf_reader_find(&it, r, "t/ab"), 0);
	UA(dexf_item_get(it, "exhibit") == NULL);
	UA_INT(dexf_reader_find(&it, r, "t/link"), 0);
	UA(dexf_item_get(it, "exhibit") == NULL);
	dexf_reader_free(r);
}

/* FORMAT.md 2.3: the ZIP attributes drop setuid/setgid/sticky, the
 * manifest mode keeps the low 12 bits. */
static void
evidence_mode_keeps_setuid_in_manifest_but_not_in_zip(void)
{
	char out[600], odir[600], src[700];
	dexf_writer *w = NULL;
	dexf_reader *r = NULL;
	const dexf_item *it = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	snprintf(src, sizeof(src), "%s/suid.bin", odir);
	UA_INT(unit_write_file(src, "x", 1), 0);
	UA_INT(chmod(src, 04751), 0);
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, src, NULL), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	UA_INT(dexf_reader_new(&r), 0);
	UA_INT(dexf_reader_open(r, out), 0);
	UA_INT(dexf_reader_find(&it, r, "suid.bin"), 0);
	UA_STR(dexf_item_get(it, "mode"), "4751");
	{
		const dexf_zipr_entry *e = dexf_zipr_find(&r->z,
		    "evidence/suid.bin");
		const dexf_zipr_entry *m = dexf_zipr_find(&r->z,
		    "META-INF/dexf/manifest.xml");

		UA(e != NULL && e->extattr == (uint32_t)0100751 << 16);
		UA(m != NULL && m->extattr == (uint32_t)0100644 << 16);
	}
	dexf_reader_free(r);
}

/* ------------------------------------------------------------ reader */

static void
reader_open_reports_missing_and_non_containers(void)
{
	dexf_reader *r = NULL;
	char path[600];
	unsigned char junk[1000];

	UA_INT(dexf_reader_new(&r), 0);
	snprintf(path, sizeof(path), "%s/none.dexf", dir);
	UA_INT(dexf_reader_open(r, path), DEXF_ENOTFOUND);
	UA_HAS(dexf_reader_errmsg(r), "none.dexf");
	dexf_reader_free(r);
	r = NULL;
	UA_INT(dexf_reader_new(&r), 0);
	snprintf(path, sizeof(path), "%s/junk.dexf", dir);
	unit_fill_random(junk, sizeof(junk), 77);
	UA_INT(unit_write_file(path, junk, sizeof(junk)), 0);
	UA_INT(dexf_reader_open(r, path), DEXF_EFORMAT);
	UA_HAS(dexf_reader_errmsg(r), "junk.dexf");
	dexf_reader_free(r);
	r = NULL;
	UA_INT(dexf_reader_new(&r), 0);
	{
		int rc = dexf_reader_open(r, srcdir);

		/* a directory: either reading it fails or it is no ZIP */
		UA(rc == DEXF_EIO || rc == DEXF_EFORMAT);
		UA_HAS(dexf_reader_errmsg(r), srcdir);
	}
	dexf_reader_free(r);
}

static void
reader_gets_container_metadata(void)
{
	char out[600], odir[600], err[1024] = "";
	pack_opts o = { 4096, 0, 1, 0 };
	dexf_reader *r;
	const char *role, *name, *org, *v;
	time_t created;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_STR(dexf_reader_get(r, "format-version"), "1.0");
	v = dexf_reader_get(r, "container-id");
	UA(v != NULL && strlen(v) == 45 && strncmp(v, "urn:uuid:", 9) == 0);
	v = dexf_reader_get(r, "created");
	UA_INT(dexf_parse_time(&created, v), 0);
	UA(llabs((long long)(time(NULL) - created)) < 600);
	UA_STR(dexf_reader_get(r, "producer"), "dexf");
	UA_STR(dexf_reader_get(r, "producer-version"), DEXF_VERSION_STRING);
	UA_STR(dexf_reader_get(r, "case.number"), "2026-0042");
	UA_STR(dexf_reader_get(r, "case.name"), "Harbour Street");
	UA_STR(dexf_reader_get(r, "case.description"), "two lines\nhere");
	UA_STR(dexf_reader_get(r, "case.authorization"), "Warrant 17/2026");
	UA_STR(dexf_reader_get(r, "sealed-at"), v);
	UA_STR(dexf_reader_get(r, "sealed-by"), "Jane Doe");
	UA_STR(dexf_reader_get(r, "signed"), "yes");
	UA(dexf_reader_get(r, "case.judge") == NULL);
	UA(dexf_reader_get(r, "nonsense") == NULL);
	UA(dexf_reader_get(r, NULL) == NULL);
	UA_INT(dexf_reader_agent_count(r), 2);
	UA_INT(dexf_reader_agent(r, 0, &role, &name, &org), 0);
	UA_STR(role, "technician");
	UA_STR(name, "Tom Tech");
	UA(org == NULL);
	UA_INT(dexf_reader_agent(r, 1, &role, &name, &org), 0);
	UA_STR(role, "examiner");
	UA_STR(org, "Regional Forensic Lab");
	UA_INT(dexf_reader_agent(r, 2, &role, &name, &org), DEXF_ENOTFOUND);
	UA_INT(dexf_reader_agent(r, 0, NULL, NULL, NULL), 0);
	dexf_reader_free(r);
}

static void
reader_lists_and_finds_items(void)
{
	char out[600], odir[600], err[1024] = "", hex[65];
	pack_opts o = { 4096, 0, 0, DEXF_HASH_MD5 | DEXF_HASH_SHA3_256 };
	dexf_reader *r;
	const dexf_item *it = NULL, *by_id = NULL;
	static const char *const paths[] = { "note.txt", "rand.bin",
	    "logs/text.log", "empty", "tree/a/b.txt", "tree/a/c/d.bin",
	    "tree/empty-subdir", "tree/link" };

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_INT(dexf_reader_item_count(r), 8);
	for (size_t i = 0; i < 8 && i < dexf_reader_item_count(r); i++) {
		char id[16];

		it = dexf_reader_item(r, i);
		snprintf(id, sizeof(id), "i%zu", i + 1);
		UA_STR(dexf_item_path(it), paths[i]);
		UA_STR(dexf_item_id(it), id);
	}
	UA(dexf_reader_item(r, 8) == NULL);
	UA_STR(dexf_reader_get(r, "signed"), "no");
	/* find by path and by id */
	UA_INT(dexf_reader_find(&it, r, "rand.bin"), 0);
	UA_INT(dexf_reader_find(&by_id, r, "i2"), 0);
	UA(it != NULL && it == by_id);
	UA_INT(dexf_reader_find(&it, r, "missing.bin"), DEXF_ENOTFOUND);
	UA(it == NULL);
	UA_INT(dexf_reader_find(&it, r, "i99"), DEXF_ENOTFOUND);
	UA_INT(dexf_reader_find(&it, r, "RAND.BIN"), DEXF_ENOTFOUND);
	/* accessors */
	UA_INT(dexf_reader_find(&it, r, "rand.bin"), 0);
	UA_INT(dexf_item_kind_of(it), DEXF_ITEM_FILE);
	UA(dexf_item_size(it) == rand_len);
	unit_sha256_hex(hex, rand_data, rand_len);
	UA_STR(dexf_item_digest(it, DEXF_HASH_SHA256), hex);
	UA(dexf_item_digest(it, DEXF_HASH_MD5) != NULL &&
	    strlen(dexf_item_digest(it, DEXF_HASH_MD5)) == 32);
	UA(dexf_item_digest(it, DEXF_HASH_SHA3_256) != NULL &&
	    strlen(dexf_item_digest(it, DEXF_HASH_SHA3_256)) == 64);
	UA(dexf_item_digest(it, DEXF_HASH_SHA1) == NULL);
	UA(dexf_item_digest(it, (dexf_hash)0) == NULL);
	UA(dexf_item_digest(NULL, DEXF_HASH_SHA256) == NULL);
	/* dexf_item_get keys */
	UA_STR(dexf_item_get(it, "exhibit"), "EX-2");
	UA_STR(dexf_item_get(it, "media-type"), "application/octet-stream");
	UA_STR(dexf_item_get(it, "mode"), "0600");
	UA(dexf_item_get(it, "mtime") != NULL &&
	    strlen(dexf_item_get(it, "mtime")) == 20);
	UA_STR(dexf_item_get(it, "source.serial"), "AC123456");
	UA(dexf_item_get(it, "source.make") == NULL);
	UA_STR(dexf_item_get(it, "acquisition.start"), "2026-11-20T09:02:10Z");
	UA_STR(dexf_item_get(it, "acquisition.tool"), "dd 9.4");
	UA_STR(dexf_item_get(it, "unreadable"), "4096:512,12288:100");
	UA_STR(dexf_item_get(it, "chunk-size"), "4096");
	UA_STR(dexf_item_get(it, "chunk-count"), "4");
	UA_STR(dexf_item_get(it, "compression"), "deflate");
	UA(dexf_item_get(it, "level") != NULL);
	UA_STR(dexf_item_get(it, "entry"), "evidence/rand.bin");
	UA_STR(dexf_item_get(it, "index-entry"), "META-INF/dexf/index/i2.idx");
	UA(dexf_item_get(it, "merkle-root") != NULL &&
	    strlen(dexf_item_get(it, "merkle-root")) == 64);
	UA(dexf_item_get(it, "index-sha256") != NULL);
	UA(dexf_item_get(it, "stored-size") != NULL);
	UA(dexf_item_get(it, "link-target") == NULL);
	UA(dexf_item_get(it, "nonsense") == NULL);
	UA(dexf_item_get(it, NULL) == NULL);
	UA_INT(dexf_reader_find(&it, r, "note.txt"), 0);
	UA_STR(dexf_item_get(it, "exhibit"), "EX-1");
	UA_STR(dexf_item_get(it, "merkle-root"), "74da21003c5de089a793e84ff538"
	    "ce0ca622de96c24efc30e0b656581b0ca61b");
	UA_STR(dexf_item_digest(it, DEXF_HASH_SHA256), "76498599bc8d7cd230f6"
	    "7e8964f2dbb1ebda38b6ff3018c73129025d6426537f");
	UA_INT(dexf_reader_find(&it, r, "empty"), 0);
	UA(dexf_item_size(it) == 0);
	UA_STR(dexf_item_get(it, "chunk-count"), "0");
	UA_STR(dexf_item_get(it, "merkle-root"), "e3b0c44298fc1c149afbf4c8996f"
	    "b92427ae41e4649b934ca495991b7852b855");
	UA_STR(dexf_item_digest(it, DEXF_HASH_SHA256), "e3b0c44298fc1c149afb"
	    "f4c8996fb92427ae41e4649b934ca495991b7852b855");
	dexf_reader_free(r);
}

/* writer.h: "level 1..9 for deflate (0 = default 1)", and a new writer
 * uses "1 MiB chunks, deflate level 1". */
static void
writer_compression_level_0_means_default_level(void)
{
	static const int levels[] = { 0, 6, 9 };
	static const char *const want[] = { "1", "6", "9" };

	for (int i = 0; i < 3; i++) {
		char out[600], odir[600];
		dexf_writer *w = NULL;
		dexf_reader *r;
		const dexf_item *it = NULL;

		out_path(out, sizeof(out), odir, sizeof(odir));
		UA_INT(dexf_writer_new(&w), 0);
		UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_DEFLATE,
		    levels[i]), 0);
		UA_INT(dexf_writer_open(w, out, 0), 0);
		UA_INT(dexf_writer_add_file(w, p_text, NULL), 0);
		UA_INT(dexf_writer_finish(w), 0);
		dexf_writer_free(w);
		r = open_reader(out);
		UA(r != NULL);
		if (r == NULL)
			continue;
		UA_INT(dexf_reader_find(&it, r, "text.log"), 0);
		UA_STR(dexf_item_get(it, "level"), want[i]);
		dexf_reader_free(r);
	}
	/* the default writer, never told a level */
	{
		char out[600], odir[600];
		dexf_writer *w = NULL;
		dexf_reader *r;
		const dexf_item *it = NULL;

		out_path(out, sizeof(out), odir, sizeof(odir));
		UA_INT(dexf_writer_new(&w), 0);
		UA_INT(dexf_writer_open(w, out, 0), 0);
		UA_INT(dexf_writer_add_file(w, p_text, NULL), 0);
		UA_INT(dexf_writer_finish(w), 0);
		dexf_writer_free(w);
		r = open_reader(out);
		if (r != NULL && dexf_reader_find(&it, r, "text.log") == 0) {
			UA_STR(dexf_item_get(it, "level"), "1");
			UA_STR(dexf_item_get(it, "compression"), "deflate");
			UA_STR(dexf_item_get(it, "chunk-size"), "1048576");
		} else {
			CU_FAIL("default container");
		}
		dexf_reader_free(r);
	}
}

/* The FORMAT.md 5.4 note stored: its index is the normative example. */
static void
stored_note_index_matches_format_example(void)
{
	char out[600], odir[600];
	dexf_writer *w = NULL;
	dexf_reader *r;
	const dexf_item *it = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_compression(w, DEXF_COMPRESSION_STORE, 0), 0);
	UA_INT(dexf_writer_open(w, out, 0), 0);
	UA_INT(dexf_writer_add_file(w, p_note, "notes/seizure.txt"), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_INT(dexf_reader_find(&it, r, "notes/seizure.txt"), 0);
	UA_STR(dexf_item_get(it, "index-sha256"), "d3d44c45a33dc69924337dad2a"
	    "abc893ebf667cc12e1e1fae5b0363acc327ab7");
	UA_STR(dexf_item_get(it, "stored-size"), "33");
	UA_STR(dexf_item_get(it, "compression"), "store");
	UA(dexf_item_get(it, "level") == NULL);
	UA_STR(dexf_item_get(it, "chunk-size"), "1048576");
	dexf_reader_free(r);
}

/* Read many ranges, compare with the source bytes. */
static void
check_ranges(dexf_reader *r, const char *path, const unsigned char *orig,
    size_t len)
{
	const dexf_item *it = NULL;
	unsigned char *buf = malloc(len + 200);
	size_t n;
	struct { uint64_t off; size_t len; } cases[] = {
		{ 0, 1 }, { 0, 0 }, { 4095, 2 }, { 4096, 4096 }, { 100, 9000 },
		{ 4000, 8500 }, { 0, len }, { 0, len + 100 }, { len - 10, 100 },
		{ len, 10 }, { len + 100, 10 }, { UINT64_MAX, 1 }, { 8191, 1 },
		{ 8192, 1 }, { 12287, 2 }, { 31, 5 },
	};
	uint32_t seed = 99;
	int ok = 1;

	if (buf == NULL || dexf_reader_find(&it, r, path) != 0) {
		free(buf);
		CU_FAIL("find");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[128];
		size_t want = cases[i].off >= len ? 0 :
		    (cases[i].len < len - cases[i].off ? cases[i].len :
		    (size_t)(len - cases[i].off));
		int rc;

		n = 12345;
		rc = dexf_reader_read(r, it, cases[i].off, buf, cases[i].len, &n);
		snprintf(what, sizeof(what), "%s: read %zu at %llu gives %zu "
		    "original bytes (rc %d, got %zu)", path, cases[i].len,
		    (unsigned long long)cases[i].off, want, rc, n);
		CU_assertImplementation(rc == 0 && n == want &&
		    (n == 0 || memcmp(buf, orig + cases[i].off, n) == 0) ?
		    CU_TRUE : CU_FALSE, __LINE__, what, __FILE__, "", CU_FALSE);
	}
	/* pseudo-random ranges, in random order (exercises the cache) */
	for (int k = 0; k < 200; k++) {
		uint64_t off;
		size_t l;

		seed = seed * 1103515245u + 12345u;
		off = (seed >> 8) % len;
		seed = seed * 1103515245u + 12345u;
		l = (seed >> 8) % 9000;
		if (dexf_reader_read(r, it, off, buf, l, &n) != 0 ||
		    n != (l < len - off ? l : len - off) ||
		    memcmp(buf, orig + off, n) != 0)
			ok = 0;
	}
	UA(ok);
	free(buf);
}

static void
reader_reads_ranges_across_chunk_boundaries(void)
{
	for (int store = 0; store <= 1; store++) {
		char out[600], odir[600], err[1024] = "";
		pack_opts o = { 4096, store, 0, 0 };
		dexf_reader *r;

		out_path(out, sizeof(out), odir, sizeof(odir));
		UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
		r = open_reader(out);
		UA(r != NULL);
		if (r == NULL)
			continue;
		check_ranges(r, "rand.bin", rand_data, rand_len);
		check_ranges(r, "logs/text.log", text_data, text_len);
		check_ranges(r, "note.txt", (const unsigned char *)NOTE, 33);
		/* interleaved items share the reader's buffers */
		check_ranges(r, "rand.bin", rand_data, rand_len);
		/* the chunk cache is keyed by item: the same chunk number
		 * of two items, read alternately, gives each item's bytes */
		{
			const dexf_item *a = NULL, *b = NULL;
			unsigned char x[100];
			size_t n;
			int ok = 1;

			UA_INT(dexf_reader_find(&a, r, "rand.bin"), 0);
			UA_INT(dexf_reader_find(&b, r, "logs/text.log"), 0);
			for (uint64_t off = 0; a && b && off + 100 <= text_len &&
			    off + 100 <= rand_len; off += 1500) {
				if (dexf_reader_read(r, a, off, x, 100, &n) != 0 ||
				    n != 100 || memcmp(x, rand_data + off, 100))
					ok = 0;
				if (dexf_reader_read(r, b, off, x, 100, &n) != 0 ||
				    n != 100 || memcmp(x, text_data + off, 100))
					ok = 0;
			}
			UA(ok);
		}
		dexf_reader_free(r);
	}
}

static void
reader_read_of_empty_and_non_file_items(void)
{
	char out[600], odir[600], err[1024] = "";
	pack_opts o = { 4096, 0, 0, 0 };
	dexf_reader *r;
	const dexf_item *it = NULL;
	unsigned char buf[16];
	size_t n = 5;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_INT(dexf_reader_find(&it, r, "empty"), 0);
	UA_INT(dexf_reader_read(r, it, 0, buf, sizeof(buf), &n), 0);
	UA_INT(n, 0);
	UA_INT(dexf_reader_find(&it, r, "tree/link"), 0);
	UA_INT(dexf_reader_read(r, it, 0, buf, sizeof(buf), &n), DEXF_EINVAL);
	UA_INT(dexf_reader_find(&it, r, "tree/empty-subdir"), 0);
	UA_INT(dexf_reader_read(r, it, 0, buf, sizeof(buf), &n), DEXF_EINVAL);
	UA_INT(dexf_reader_read(r, NULL, 0, buf, 1, &n), DEXF_EINVAL);
	UA_INT(dexf_reader_find(&it, r, "note.txt"), 0);
	UA_INT(dexf_reader_read(r, it, 0, NULL, 1, &n), DEXF_EINVAL);
	UA_INT(dexf_reader_read(r, it, 3, buf, 4, NULL), 0);
	UA_MEM(buf, "zed ", 4);
	dexf_reader_free(r);
}

static void
reader_extracts_to_file_and_pipe(void)
{
	char out[600], odir[600], err[1024] = "", dst[700];
	pack_opts o = { 4096, 0, 0, 0 };
	dexf_reader *r;
	const dexf_item *it = NULL;
	progress_log log;
	int fd, pfd[2];
	unsigned char *back, pbuf[64];
	size_t n;
	ssize_t got;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
	r = open_reader(out);
	UA(r != NULL);
	if (r == NULL)
		return;
	/* to a file, with progress */
	memset(&log, 0, sizeof(log));
	snprintf(dst, sizeof(dst), "%s/rand.out", odir);
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	UA_INT(dexf_reader_find(&it, r, "rand.bin"), 0);
	UA_INT(dexf_reader_extract(r, it, fd, on_progress, &log), 0);
	close(fd);
	back = unit_read_file(dst, &n);
	UA_INT(n, rand_len);
	UA(back != NULL && memcmp(back, rand_data, rand_len) == 0);
	free(back);
	UA_INT(log.n, 4);
	UA(log.done[3] == rand_len && log.total[3] == rand_len);
	/* to a pipe */
	UA_INT(pipe(pfd), 0);
	UA_INT(dexf_reader_find(&it, r, "note.txt"), 0);
	UA_INT(dexf_reader_extract(r, it, pfd[1], NULL, NULL), 0);
	close(pfd[1]);
	got = read(pfd[0], pbuf, sizeof(pbuf));
	close(pfd[0]);
	UA_INT(got, 33);
	UA_MEM(pbuf, NOTE, 33);
	/* canceled by the callback */
	memset(&log, 0, sizeof(log));
	log.cancel_at = 1;
	fd = open(dst, O_WRONLY | O_TRUNC);
	UA_INT(dexf_reader_find(&it, r, "rand.bin"), 0);
	UA_INT(dexf_reader_extract(r, it, fd, on_progress, &log),
	    DEXF_ECANCELED);
	close(fd);
	/* not a file, bad descriptor */
	UA_INT(dexf_reader_find(&it, r, "tree/link"), 0);
	UA_INT(dexf_reader_extract(r, it, 1, NULL, NULL), DEXF_EINVAL);
	UA_INT(dexf_reader_find(&it, r, "note.txt"), 0);
	UA_INT(dexf_reader_extract(r, it, -1, NULL, NULL), DEXF_EINVAL);
	dexf_reader_free(r);
}

/* Offset of an entry's data in a container (via the private reader). */
static uint64_t
data_offset(const char *container, const char *entry)
{
	dexf_reader *r = NULL;
	uint64_t off = 0;

	if (dexf_reader_new(&r) != 0)
		return 0;
	if (dexf_reader_open_zip(r, container) == 0) {
		const dexf_zipr_entry *e = dexf_zipr_find(&r->z, entry);

		if (e != NULL)
			off = e->data_off;
	}
	dexf_reader_free(r);
	return off;
}

static void
reader_read_detects_flipped_evidence_byte(void)
{
	char out[600], odir[600], err[1024] = "";
	pack_opts o = { 4096, 1, 0, 0 };
	dexf_reader *r;
	const dexf_item *it = NULL;
	unsigned char buf[4096];
	uint64_t off;
	size_t n;
	int fd;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
	off = data_offset(out, "evidence/rand.bin");
	UA(off > 0);
	UA_INT(unit_flip_byte(out, off + 2 * 4096 + 77), 0);  /* chunk 2 */
	r = open_reader(out);   /* opening reads no evidence */
	UA(r != NULL);
	if (r == NULL)
		return;
	UA_INT(dexf_reader_find(&it, r, "rand.bin"), 0);
	UA_INT(dexf_reader_read(r, it, 0, buf, 4096, &n), 0);
	UA_INT(dexf_reader_read(r, it, 4096, buf, 4096, &n), 0);
	UA_INT(dexf_reader_read(r, it, 8192 + 100, buf, 10, &n),
	    DEXF_EINTEGRITY);
	UA_HAS(dexf_reader_errmsg(r), "chunk 2");
	UA_HAS(dexf_reader_errmsg(r), "8192-12287");
	UA_HAS(dexf_reader_errmsg(r), "'rand.bin'");
	UA_INT(dexf_reader_read(r, it, 12288, buf, 10, &n), 0);
	fd = open("/dev/null", O_WRONLY);
	UA_INT(dexf_reader_extract(r, it, fd, NULL, NULL), DEXF_EINTEGRITY);
	close(fd);
	/* other items are not affected */
	UA_INT(dexf_reader_find(&it, r, "note.txt"), 0);
	UA_INT(dexf_reader_read(r, it, 0, buf, 33, &n), 0);
	dexf_reader_free(r);
}

static void
edit_manifest_comment(unit_entry *e, unit_entry **extra, size_t *nextra,
    void *ctx)
{
	unsigned char *plain, *more;
	size_t len;

	(void)extra;
	(void)nextra;
	(void)ctx;
	if (e == NULL || strcmp(e->name, "META-INF/dexf/manifest.xml") != 0)
		return;
	plain = unit_entry_plain(e, &len);
	more = plain ? malloc(len + 16) : NULL;
	if (more != NULL) {
		memcpy(more, plain, len);
		memcpy(more + len, "<!-- x -->\n", 11);
		unit_entry_set(e, more, len + 11, 8);
	}
	free(plain);
	free(more);
}

static void
reader_open_refuses_manifest_not_bound_by_seal(void)
{
	char out[600], odir[600], err[1024] = "", alt[700];
	pack_opts o = { 4096, 0, 0, 0 };
	dexf_reader *r = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
	snprintf(alt, sizeof(alt), "%s/altered.dexf", odir);
	UA_INT(unit_rebuild(out, alt, edit_manifest_comment, NULL), 0);
	UA_INT(dexf_reader_new(&r), 0);
	UA_INT(dexf_reader_open(r, alt), DEXF_EINTEGRITY);
	UA_HAS(dexf_reader_errmsg(r), "seal");
	dexf_reader_free(r);
}

/* Record 0 rewritten as a "custody" record (the signature is not
 * checked by the reader, the kind is). */
static void
edit_seal_kind(unit_entry *e, unit_entry **extra, size_t *nextra, void *ctx)
{
	static const char from[] = "kind=\"seal\"", to[] = "kind=\"custody\"";
	unsigned char *plain, *out;
	size_t len;
	char *k;

	(void)extra;
	(void)nextra;
	(void)ctx;
	if (e == NULL ||
	    strcmp(e->name, "META-INF/dexf/records/000000.xml") != 0)
		return;
	plain = unit_entry_plain(e, &len);
	k = plain ? strstr((char *)plain, from) : NULL;
	out = k ? malloc(len + sizeof(to)) : NULL;
	if (out != NULL) {
		size_t a = (size_t)((unsigned char *)k - plain);
		size_t b = strlen(to), c = len - a - strlen(from);

		memcpy(out, plain, a);
		memcpy(out + a, to, b);
		memcpy(out + a + b, k + strlen(from), c);
		unit_entry_set(e, out, a + b + c, e->method);
	}
	free(out);
	free(plain);
}

static void
reader_open_refuses_record_0_that_is_not_a_seal(void)
{
	char out[600], odir[600], err[1024] = "", alt[700];
	pack_opts o = { 4096, 0, 0, 0 };
	dexf_reader *r = NULL;

	out_path(out, sizeof(out), odir, sizeof(odir));
	UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
	snprintf(alt, sizeof(alt), "%s/custody.dexf", odir);
	UA_INT(unit_rebuild(out, alt, edit_seal_kind, NULL), 0);
	UA_INT(dexf_reader_new(&r), 0);
	/* a broken seal is an integrity failure for reads, as for verify */
	UA_INT(dexf_reader_open(r, alt), DEXF_EINTEGRITY);
	UA_HAS(dexf_reader_errmsg(r), "seal");
	dexf_reader_free(r);
}

/* Every entry of archive `path` read through libarchive's ZIP reader (a
 * second, independent implementation); the bytes of `want_entry` into
 * *got.  The number of entries, or -1 as soon as libarchive reports an
 * error (a bad CRC-32 included). */
static int
libarchive_read_all(const char *path, const char *want_entry,
    unsigned char **got, size_t *got_len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	unsigned char buf[16384];
	int n = 0, rc = 0;

	*got = NULL;
	*got_len = 0;
	if (a == NULL || archive_read_support_format_zip_seekable(a) !=
	    ARCHIVE_OK || archive_read_open_filename(a, path, 65536) !=
	    ARCHIVE_OK) {
		archive_read_free(a);
		return -1;
	}
	while (rc == 0 && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		int want = strcmp(archive_entry_pathname(e), want_entry) == 0;
		la_ssize_t k;

		n++;
		while ((k = archive_read_data(a, buf, sizeof(buf))) > 0) {
			unsigned char *nb;

			if (!want)
				continue;
			if ((nb = realloc(*got, *got_len + (size_t)k)) == NULL) {
				rc = -1;
				break;
			}
			memcpy(nb + *got_len, buf, (size_t)k);
			*got = nb;
			*got_len += (size_t)k;
		}
		if (k < 0)
			rc = -1;
	}
	archive_read_free(a);
	return rc == 0 ? n : -1;
}

/* A container is a plain ZIP to libarchive: every entry reads with a good
 * CRC-32, the evidence bytes are the file's, the entries are all there;
 * and a flipped byte in the evidence is caught by it too. */
static void
libarchive_reads_containers_and_catches_damage(void)
{
	static const int stores[] = { 0, 1 };
	char out[600], odir[600], err[1024] = "";

	for (size_t i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
		pack_opts o = { 4096, stores[i], 1, 0 };
		dexf_reader *r;
		unsigned char *got = NULL;
		size_t len = 0;
		uint64_t off;
		int n;

		out_path(out, sizeof(out), odir, sizeof(odir));
		UA_INT(pack_standard(out, &o, err, sizeof(err)), 0);
		if ((r = open_reader(out)) == NULL) {
			UA(r != NULL);
			return;
		}
		n = libarchive_read_all(out, "evidence/rand.bin", &got, &len);
		UA_INT(n, (long long)r->z.n);
		UA(got != NULL && len == rand_len &&
		    memcmp(got, rand_data, rand_len) == 0);
		free(got);
		dexf_reader_free(r);
		off = data_offset(out, "evidence/rand.bin");
		UA(off > 0);
		UA_INT(unit_flip_byte(out, off + 2 * 4096 + 77), 0);
		n = libarchive_read_all(out, "evidence/rand.bin", &got, &len);
		/* deflate: the stream or the CRC breaks; store: the CRC */
		UA_INT(n, -1);
		free(got);
	}
}

/* Add files named f0, f1, ... (the note's bytes) until one is refused;
 * the number added. */
static size_t
add_until_refused(dexf_writer *w, size_t most, int *rc)
{
	size_t i;

	*rc = 0;
	for (i = 0; i < most; i++) {
		char name[32];
		int fd = open(p_note, O_RDONLY);

		snprintf(name, sizeof(name), "f%zu", i);
		*rc = fd < 0 ? -100 : dexf_writer_add_fd(w, fd, name);
		if (fd >= 0)
			close(fd);
		if (*rc != 0)
			break;
	}
	return i;
}

/*
 * What no reader could open is refused while packing, with a message
 * that says why: the file past the ZIP entry limit (two entries a file),
 * the item that takes the manifest past its bound (a floor of its size
 * per item), and at the end a manifest larger than the bound.  No
 * container is left behind.  The limits are lowered so tests can reach
 * them (at their real values: about 2 million files, 512 MiB).
 */
static void
writer_refuses_items_beyond_reader_limits(void)
{
	static const struct {
		uint64_t entries, manifest;
		size_t added;        /* files added before the refusal */
		const char *at_add;  /* its message; NULL: finish refuses */
	} cases[] = {
		{ 10, DEXF_MAX_MANIFEST, 5,
		    "too many files for one container: at most 5 " },
		{ DEXF_WRITER_MAX_ENTRIES, 1600, 3,
		    "the manifest would pass the 1600 bytes a reader accepts "
		    "(FORMAT.md 8.6) at 'f3'; split the evidence" },
		{ DEXF_WRITER_MAX_ENTRIES, 3100, 6, NULL },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char out[600], odir[600];
		dexf_writer *w = NULL;
		size_t n;
		int rc;

		out_path(out, sizeof(out), odir, sizeof(odir));
		UA_INT(dexf_writer_new(&w), 0);
		if (w == NULL)
			return;
		dexf_writer_set_limits(w, cases[k].entries, cases[k].manifest);
		UA_INT(dexf_writer_open(w, out, 0), 0);
		n = add_until_refused(w, 6, &rc);
		UA_INT(n, cases[k].added);
		if (cases[k].at_add != NULL) {
			UA_INT(rc, DEXF_EINVAL);
			UA_HAS(dexf_writer_errmsg(w), cases[k].at_add);
		} else {
			UA_INT(rc, 0);
			UA_INT(dexf_writer_finish(w), DEXF_EINVAL);
			UA_HAS(dexf_writer_errmsg(w), "more than the 3100 a "
			    "reader accepts (FORMAT.md 8.6): split the evidence");
		}
		dexf_writer_free(w);
		EXPECT(!unit_exists(out), "case %zu: no container at %s", k,
		    out);
		EXPECT(unit_count_dir(odir) == 0, "case %zu: %s is empty", k,
		    odir);
	}
}

static const unit_test tests[] = {
	{ "writer_refuses_items_beyond_reader_limits",
	    writer_refuses_items_beyond_reader_limits },
	{ "libarchive_reads_containers_and_catches_damage",
	    libarchive_reads_containers_and_catches_damage },
	{ "strerror_strings_are_stable", strerror_strings_are_stable },
	{ "verdict_and_trust_names_are_stable",
	    verdict_and_trust_names_are_stable },
	{ "version_strings_match_headers", version_strings_match_headers },
	{ "writer_null_handles_are_invalid", writer_null_handles_are_invalid },
	{ "writer_rejects_bad_chunk_size", writer_rejects_bad_chunk_size },
	{ "writer_rejects_bad_compression_and_level",
	    writer_rejects_bad_compression_and_level },
	{ "writer_rejects_unknown_case_field_and_bad_text",
	    writer_rejects_unknown_case_field_and_bad_text },
	{ "writer_rejects_unknown_item_meta_key",
	    writer_rejects_unknown_item_meta_key },
	{ "writer_rejects_bad_unreadable_ranges_and_times",
	    writer_rejects_bad_unreadable_ranges_and_times },
	{ "writer_settings_after_open_are_refused",
	    writer_settings_after_open_are_refused },
	{ "writer_add_before_open_is_invalid",
	    writer_add_before_open_is_invalid },
	{ "writer_refuses_existing_target_unless_overwrite",
	    writer_refuses_existing_target_unless_overwrite },
	{ "writer_meta_for_missing_item_fails_finish_and_leaves_nothing",
	    writer_meta_for_missing_item_fails_finish_and_leaves_nothing },
	{ "writer_unreadable_range_outside_item_fails_finish",
	    writer_unreadable_range_outside_item_fails_finish },
	{ "writer_unreadable_ranges_must_be_sorted_and_disjoint",
	    writer_unreadable_ranges_must_be_sorted_and_disjoint },
	{ "writer_add_file_reports_bad_sources_and_names",
	    writer_add_file_reports_bad_sources_and_names },
	{ "writer_refuses_file_that_prefixes_another_path",
	    writer_refuses_file_that_prefixes_another_path },
	{ "writer_add_tree_stores_files_links_and_empty_dirs_in_order",
	    writer_add_tree_stores_files_links_and_empty_dirs_in_order },
	{ "writer_add_tree_uses_directory_base_name",
	    writer_add_tree_uses_directory_base_name },
	{ "writer_add_fd_reads_a_pipe_to_the_end",
	    writer_add_fd_reads_a_pipe_to_the_end },
	{ "writer_progress_reports_increasing_done",
	    writer_progress_reports_increasing_done },
	{ "writer_progress_cancel_leaves_no_output_or_temp_file",
	    writer_progress_cancel_leaves_no_output_or_temp_file },
	{ "writer_bad_signer_fails_at_open_before_any_output",
	    writer_bad_signer_fails_at_open_before_any_output },
	{ "writer_item_meta_on_a_directory_applies_to_items_below",
	    writer_item_meta_on_a_directory_applies_to_items_below },
	{ "evidence_mode_keeps_setuid_in_manifest_but_not_in_zip",
	    evidence_mode_keeps_setuid_in_manifest_but_not_in_zip },
	{ "reader_open_reports_missing_and_non_containers",
	    reader_open_reports_missing_and_non_containers },
	{ "reader_gets_container_metadata", reader_gets_container_metadata },
	{ "reader_lists_and_finds_items", reader_lists_and_finds_items },
	{ "writer_compression_level_0_means_default_level",
	    writer_compression_level_0_means_default_level },
	{ "stored_note_index_matches_format_example",
	    stored_note_index_matches_format_example },
	{ "reader_reads_ranges_across_chunk_boundaries",
	    reader_reads_ranges_across_chunk_boundaries },
	{ "reader_read_of_empty_and_non_file_items",
	    reader_read_of_empty_and_non_file_items },
	{ "reader_extracts_to_file_and_pipe", reader_extracts_to_file_and_pipe },
	{ "reader_read_detects_flipped_evidence_byte",
	    reader_read_detects_flipped_evidence_byte },
	{ "reader_open_refuses_manifest_not_bound_by_seal",
	    reader_open_refuses_manifest_not_bound_by_seal },
	{ "reader_open_refuses_record_0_that_is_not_a_seal",
	    reader_open_refuses_record_0_that_is_not_a_seal },
	{ NULL, NULL }
};

int
unit_register_api(void)
{
	return unit_add_suite("api", init, clean, tests);
}
