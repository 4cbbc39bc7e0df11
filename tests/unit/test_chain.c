/*
 * test_chain.c - the appender API and the record chain as the library sees
 * it: generations, lock, refusals, report records and head.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "dexf.h"
#include "append_int.h"
#include "unit.h"
#include "zipr.h"

static char *dir;

static int
init(void)
{
	dir = unit_mkdtemp("chain");
	return dir == NULL;
}

static int
clean(void)
{
	unit_rmrf(dir);
	free(dir);
	return 0;
}

/* A signed (or unsigned) container with one file item "data.bin". */
static void
make(const char *out, int sign)
{
	char src[512];
	unsigned char buf[5000];
	dexf_writer *w = NULL;

	unit_join(src, sizeof(src), dir, "data.bin");
	unit_fill_random(buf, sizeof(buf), 7);
	UA_INT(unit_write_file(src, buf, sizeof(buf)), 0);
	UA_INT(dexf_writer_new(&w), 0);
	UA_INT(dexf_writer_set_chunk_size(w, 4096), 0);
	if (sign)
		UA_INT(dexf_writer_set_signer(w, unit_pki("ecdsa256.key"),
		    unit_pki("ecdsa256.pem"), NULL, NULL), 0);
	UA_INT(dexf_writer_open(w, out, 1), 0);
	UA_INT(dexf_writer_add_file(w, src, "data.bin"), 0);
	UA_INT(dexf_writer_finish(w), 0);
	dexf_writer_free(w);
}

static dexf_append_opts
opts(const char *who)
{
	dexf_append_opts o;
	static char key[512], cert[512];

	memset(&o, 0, sizeof(o));
	snprintf(key, sizeof(key), "%s", unit_pki(who));
	strcat(key, ".key");
	snprintf(cert, sizeof(cert), "%s", unit_pki(who));
	strcat(cert, ".pem");
	o.key = key;
	o.cert = cert;
	o.author.name = "Unit Tester";
	o.author.role = "cirt";
	return o;
}

static dexf_report *
verify(const char *path)
{
	const char *trust[] = { unit_pki("ca.pem") };
	dexf_verify_opts vo;
	dexf_report *rep = NULL;

	memset(&vo, 0, sizeof(vo));
	vo.trust = trust;
	vo.ntrust = 1;
	UA_INT(dexf_verify(&rep, path, &vo), 0);
	return rep;
}

static void
appended_records_are_verified_in_sequence(void)
{
	char path[512];
	dexf_append_opts o = opts("ecdsa256");
	dexf_appender *a = NULL;
	dexf_item_ref items[] = { { "data.bin", NULL } };
	dexf_custody c;
	dexf_annotation an;
	dexf_report *rep;
	const dexf_record_info *ri;
	char head1[65];

	unit_join(path, sizeof(path), dir, "a.dexf");
	make(path, 1);
	UA_INT(dexf_appender_open(&a, path, &o), 0);
	UA_INT(dexf_appender_head_sequence(a), 0);
	memset(&c, 0, sizeof(c));
	c.action = "examined";
	c.items = items;
	c.nitems = 1;
	c.outcome = "nothing unusual";
	UA_INT(dexf_appender_add_custody(a, &c), 0);
	UA_INT(dexf_appender_head_sequence(a), 1);
	snprintf(head1, sizeof(head1), "%s", dexf_appender_head(a));
	memset(&an, 0, sizeof(an));
	an.item = "data.bin";
	an.has_range = 1;
	an.offset = 4090;
	an.length = 10;
	an.text = "crosses a chunk boundary";
	UA_INT(dexf_appender_add_annotation(a, &an), 0);
	UA_INT(dexf_appender_head_sequence(a), 2);
	dexf_appender_close(a);

	rep = verify(path);
	if (rep == NULL)
		return;
	UA_INT(dexf_report_verdict(rep), DEXF_VERDICT_INTACT_TRUSTED);
	UA_INT(dexf_report_record_count(rep), 3);
	ri = dexf_report_record(rep, 1);
	UA_INT(ri->kind, DEXF_RECORD_CUSTODY);
	UA_STR(ri->sha256, head1);
	UA_STR(ri->author.name, "Unit Tester");
	UA_STR(ri->custody->outcome, "nothing unusual");
	/* the appender copied the manifest's digest of the item */
	UA_STR(ri->custody->items[0].sha256,
	    dexf_report_item(rep, 0)->sha256);
	ri = dexf_report_record(rep, 2);
	UA_INT(ri->kind, DEXF_RECORD_ANNOTATION);
	UA(ri->valid);
	UA_INT(ri->annotation->offset, 4090);
	UA_INT(dexf_report_head_sequence(rep), 2);
	UA_STR(dexf_report_head(rep), ri->sha256);
	UA(!dexf_report_trailing(rep, NULL, NULL));
	dexf_report_free(rep);

	/* two generations: the first central directory is superseded */
	{
		dexf_zipr z;
		dexf_err err;
		int fd = open(path, O_RDONLY);

		memset(&err, 0, sizeof(err));
		UA_INT(dexf_zipr_open(&z, fd, path, &err), 0);
		UA_INT(z.generations, 3);
		UA_INT(z.tail, 0);
		dexf_zipr_close(&z);
		close(fd);
	}
}

static void
appender_refuses_bad_input_and_leaves_the_file(void)
{
	char path[512], unsigned_path[512];
	dexf_append_opts o = opts("ecdsa256"), nokey;
	dexf_appender *a = NULL;
	dexf_annotation an;
	struct stat before, after;

	unit_join(path, sizeof(path), dir, "b.dexf");
	unit_join(unsigned_path, sizeof(unsigned_path), dir, "u.dexf");
	make(path, 1);
	make(unsigned_path, 0);
	memset(&nokey, 0, sizeof(nokey));
	UA_INT(dexf_appender_open(&a, path, &nokey), DEXF_EINVAL);
	UA_HAS(dexf_appender_errmsg(a), "must be signed");
	dexf_appender_close(a);
	UA_INT(dexf_appender_open(&a, unsigned_path, &o), DEXF_EINVAL);
	UA_HAS(dexf_appender_errmsg(a), "not signed");
	dexf_appender_close(a);
	UA_INT(dexf_appender_open(&a, "/nonexistent/x.dexf", &o),
	    DEXF_ENOTFOUND);
	dexf_appender_close(a);

	UA_INT(stat(path, &before), 0);
	UA_INT(dexf_appender_open(&a, path, &o), 0);
	memset(&an, 0, sizeof(an));
	an.item = "nope.bin";
	an.text = "x";
	UA_INT(dexf_appender_add_annotation(a, &an), DEXF_ENOTFOUND);
	an.item = "data.bin";
	an.has_range = 1;
	an.offset = 4999;
	an.length = 2;
	UA_INT(dexf_appender_add_annotation(a, &an), DEXF_EINVAL);
	UA_HAS(dexf_appender_errmsg(a), "outside item");
	dexf_appender_close(a);
	UA_INT(stat(path, &after), 0);
	UA_INT(after.st_size, before.st_size);
}

/* A custody record "examined" of data.bin, as the swap tests append. */
static const dexf_item_ref data_bin[] = { { "data.bin", NULL } };

static dexf_custody
examined(void)
{
	dexf_custody c;

	memset(&c, 0, sizeof(c));
	c.action = "examined";
	c.items = data_bin;
	c.nitems = 1;
	return c;
}

/* The file at path holds exactly `was` (len bytes, NULL if unread). */
static void
expect_bytes(const char *path, const unsigned char *was, size_t len,
    const char *what)
{
	size_t n = 0;
	unsigned char *now = unit_read_file(path, &n);

	EXPECT(was != NULL && now != NULL && n == len &&
	    memcmp(now, was, len) == 0, "%s is as it was (%zu bytes, was %zu)",
	    what, n, len);
	free(now);
}

/*
 * Another container renamed over the path while an appender has the
 * original open: records go to the file that was opened, verified and
 * locked, or nowhere.  Before, the appender read the chain back by path,
 * took the other file's size and directory for its next append, and wrote
 * and then cut the original at that offset.
 */
static void
appender_refuses_a_file_swapped_under_its_path(void)
{
	char path[512], other[512], keep[512];
	dexf_append_opts o = opts("ecdsa256");
	dexf_appender *a = NULL;
	dexf_custody c = examined();
	unsigned char *orig_a, *orig_b;
	size_t la = 0, lb = 0;

	unit_join(path, sizeof(path), dir, "swap.dexf");
	unit_join(other, sizeof(other), dir, "swap-other.dexf");
	unit_join(keep, sizeof(keep), dir, "swap-keep.dexf");
	make(path, 1);
	make(other, 1);
	/* the original grows past the other one's size */
	UA_INT(dexf_appender_open(&a, path, &o), 0);
	UA_INT(dexf_appender_add_custody(a, &c), 0);
	dexf_appender_close(a);
	a = NULL;
	UA_INT(link(path, keep), 0);
	orig_a = unit_read_file(path, &la);
	orig_b = unit_read_file(other, &lb);
	UA(orig_a != NULL && orig_b != NULL && la > lb);

	UA_INT(dexf_appender_open(&a, path, &o), 0);
	UA_INT(rename(other, path), 0);
	UA_INT(dexf_appender_add_custody(a, &c), DEXF_EIO);
	UA_HAS(dexf_appender_errmsg(a), "moved or replaced");
	UA_HAS(dexf_appender_errmsg(a), "the file opened was cut back");
	/* and no later call writes anything either */
	UA(dexf_appender_add_custody(a, &c) != 0);
	dexf_appender_close(a);

	expect_bytes(keep, orig_a, la, "the original");
	expect_bytes(path, orig_b, lb, "the file now at the path");
	free(orig_a);
	free(orig_b);
}

/* The open-time hook of the test below: another container at the path
 * while the chain is checked, the original back before it is loaded. */
static char swap_keep[512], swap_other[512];

static void
swap_for_the_check(int stage, const char *path)
{
	if (stage == 0) {
		UA_INT(rename(path, swap_keep), 0);
		UA_INT(rename(swap_other, path), 0);
	} else {
		UA_INT(rename(path, swap_other), 0);
		UA_INT(rename(swap_keep, path), 0);
	}
}

/* The check before the first record goes by path: the chain it checked
 * must be the one in the file opened, or nothing is appended. */
static void
appender_refuses_a_file_swapped_for_its_check(void)
{
	char path[512];
	dexf_append_opts o = opts("ecdsa256");
	dexf_appender *a = NULL;
	dexf_custody c = examined();
	unsigned char *orig_a, *orig_b;
	size_t la = 0, lb = 0;

	unit_join(path, sizeof(path), dir, "swap2.dexf");
	unit_join(swap_other, sizeof(swap_other), dir, "swap2-other.dexf");
	unit_join(swap_keep, sizeof(swap_keep), dir, "swap2-keep.dexf");
	make(path, 1);
	make(swap_other, 1);
	orig_a = unit_read_file(path, &la);
	orig_b = unit_read_file(swap_other, &lb);
	dexf_appender_open_hook = swap_for_the_check;
	UA_INT(dexf_appender_open(&a, path, &o), DEXF_EIO);
	dexf_appender_open_hook = NULL;
	UA_HAS(dexf_appender_errmsg(a), "changed while it was being checked");
	UA(dexf_appender_add_custody(a, &c) != 0);
	dexf_appender_close(a);
	expect_bytes(path, orig_a, la, "the file opened");
	expect_bytes(swap_other, orig_b, lb, "the file checked");
	/* with nothing moving, the same file takes a record */
	UA_INT(dexf_appender_open(&a, path, &o), 0);
	UA_INT(dexf_appender_add_custody(a, &c), 0);
	dexf_appender_close(a);
	free(orig_a);
	free(orig_b);
}

static void
second_appender_gets_ebusy(void)
{
	char path[512];
	dexf_append_opts o = opts("ecdsa256");
	dexf_appender *a = NULL, *b = NULL;
	int fd;

	unit_join(path, sizeof(path), dir, "c.dexf");
	make(path, 1);
	UA_INT(dexf_appender_open(&a, path, &o), 0);
	UA_INT(dexf_appender_open(&b, path, &o), DEXF_EBUSY);
	UA_HAS(dexf_appender_errmsg(b), "locked");
	dexf_appender_close(b);
	dexf_appender_close(a);
	/* the same with an outside lock holder */
	fd = open(path, O_RDONLY);
	UA_INT(flock(fd, LOCK_EX), 0);
	UA_INT(dexf_appender_open(&b, path, &o), DEXF_EBUSY);
	dexf_appender_close(b);
	close(fd);
	UA_INT(dexf_appender_open(&b, path, &o), 0);
	dexf_appender_close(b);
}

static void
interrupted_append_is_a_note_and_is_removed(void)
{
	char path[512];
	dexf_append_opts o = opts("ecdsa256");
	dexf_appender *a = NULL;
	dexf_custody c;
	dexf_report *rep;
	struct stat sb;
	uint64_t off = 0, n = 0;
	off_t old;
	int fd;

	unit_join(path, sizeof(path), dir, "d.dexf");
	make(path, 1);
	UA_INT(stat(path, &sb), 0);
	old = sb.st_size;
	/* what a crash after writing part of a local header leaves */
	fd = open(path, O_WRONLY | O_APPEND);
	UA_INT(write(fd, "PK\003\004\055\000", 6), 6);
	close(fd);
	rep = verify(path);
	if (rep != NULL) {
		UA_INT(dexf_report_verdict(rep), DEXF_VERDICT_INTACT_TRUSTED);
		UA(dexf_report_trailing(rep, &off, &n));
		UA_INT(off, old);
		UA_INT(n, 6);
		dexf_report_free(rep);
	}
	UA_INT(dexf_appender_open(&a, path, &o), 0);
	memset(&c, 0, sizeof(c));
	c.action = "note";
	c.note = "after a crash";
	UA_INT(dexf_appender_add_custody(a, &c), 0);
	dexf_appender_close(a);
	rep = verify(path);
	if (rep != NULL) {
		UA_INT(dexf_report_verdict(rep), DEXF_VERDICT_INTACT_TRUSTED);
		UA(!dexf_report_trailing(rep, NULL, NULL));
		UA_INT(dexf_report_record_count(rep), 2);
		dexf_report_free(rep);
	}
}

/* The file at path is byte for byte `before` (nb bytes) and verifies
 * intact with `records` records and no tail. */
static void
expect_as_before(const char *path, const unsigned char *before, size_t nb,
    size_t records)
{
	unsigned char *after;
	dexf_report *rep;
	size_t na = 0;

	after = unit_read_file(path, &na);
	EXPECT(after != NULL && na == nb && memcmp(before, after, nb) == 0,
	    "the file is as it was (%zu bytes, now %zu)", nb, na);
	free(after);
	rep = verify(path);
	if (rep != NULL) {
		UA_INT(dexf_report_verdict(rep), DEXF_VERDICT_INTACT_TRUSTED);
		UA_INT(dexf_report_record_count(rep), records);
		UA(!dexf_report_trailing(rep, NULL, NULL));
		dexf_report_free(rep);
	}
}

/*
 * A generation that does not read back once written (a writer bug: here
 * its first byte, a local header, or its last, the trailer, is spoiled)
 * is taken out again: the append fails with a message that says so, the
 * file is byte for byte what it was, it verifies with its old head, and
 * the same appender appends again.  (Before, a spoiled header left a
 * container nobody could open; a spoiled trailer was taken for success,
 * and the record vanished as an interrupted append.)
 */
static void
append_that_does_not_read_back_is_taken_out(void)
{
	for (int last = 0; last <= 1; last++) {
		char path[512];
		dexf_append_opts o = opts("ecdsa256");
		dexf_appender *a = NULL;
		dexf_custody c;
		dexf_report *rep;
		unsigned char *before;
		size_t nb = 0;

		unit_join(path, sizeof(path), dir, last ? "r2.dexf" : "r1.dexf");
		make(path, 1);
		before = unit_read_file(path, &nb);
		UA_INT(dexf_appender_open(&a, path, &o), 0);
		if (a == NULL || before == NULL) {
			free(before);
			dexf_appender_close(a);
			return;
		}
		memset(&c, 0, sizeof(c));
		c.action = "note";
		c.note = "this one is spoiled";
		dexf_appender_damage_next(a, last);
		UA_INT(dexf_appender_add_custody(a, &c), DEXF_EIO);
		UA_HAS(dexf_appender_errmsg(a), ": record 1 does not read back (");
		UA_HAS(dexf_appender_errmsg(a), "; nothing was added, the "
		    "container is as it was");
		UA_INT(dexf_appender_head_sequence(a), 0);
		expect_as_before(path, before, nb, 1);
		c.note = "this one is whole";
		UA_INT(dexf_appender_add_custody(a, &c), 0);
		UA_INT(dexf_appender_head_sequence(a), 1);
		dexf_appender_close(a);
		rep = verify(path);
		if (rep != NULL) {
			UA_INT(dexf_report_verdict(rep),
			    DEXF_VERDICT_INTACT_TRUSTED);
			UA_INT(dexf_report_record_count(rep), 2);
			dexf_report_free(rep);
		}
		free(before);
	}
}

/*
 * A write that fails during an append (the file size limit stands in for
 * a full disk) takes the generation out again: the call fails, the file
 * is byte for byte what it was, with no tail, and the next append works.
 */
static void
append_that_cannot_be_written_is_taken_out(void)
{
	char path[512];
	dexf_append_opts o = opts("ecdsa256");
	dexf_appender *a = NULL;
	dexf_custody c;
	unsigned char *before;
	size_t nb = 0;
	struct rlimit old, lim;
	void (*oldsig)(int);
	int rc;

	unit_join(path, sizeof(path), dir, "w.dexf");
	make(path, 1);
	before = unit_read_file(path, &nb);
	UA_INT(dexf_appender_open(&a, path, &o), 0);
	if (a == NULL || before == NULL || getrlimit(RLIMIT_FSIZE, &old) != 0) {
		EXPECT(0, "set-up");
		free(before);
		dexf_appender_close(a);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.action = "note";
	c.note = "written past the limit";
	/* writes past nb + 100 bytes fail with EFBIG instead of a signal */
	oldsig = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = (rlim_t)nb + 100;
	UA_INT(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = dexf_appender_add_custody(a, &c);
	UA_INT(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	UA_INT(rc, DEXF_EIO);
	UA_HAS(dexf_appender_errmsg(a), "; nothing was added, the container "
	    "is as it was");
	UA_INT(dexf_appender_head_sequence(a), 0);
	expect_as_before(path, before, nb, 1);
	c.note = "written whole";
	UA_INT(dexf_appender_add_custody(a, &c), 0);
	UA_INT(dexf_appender_head_sequence(a), 1);
	dexf_appender_close(a);
	free(before);
}

static const unit_test tests[] = {
	{ "appended_records_are_verified_in_sequence",
	    appended_records_are_verified_in_sequence },
	{ "appender_refuses_bad_input_and_leaves_the_file",
	    appender_refuses_bad_input_and_leaves_the_file },
	{ "appender_refuses_a_file_swapped_under_its_path",
	    appender_refuses_a_file_swapped_under_its_path },
	{ "appender_refuses_a_file_swapped_for_its_check",
	    appender_refuses_a_file_swapped_for_its_check },
	{ "second_appender_gets_ebusy", second_appender_gets_ebusy },
	{ "interrupted_append_is_a_note_and_is_removed",
	    interrupted_append_is_a_note_and_is_removed },
	{ "append_that_does_not_read_back_is_taken_out",
	    append_that_does_not_read_back_is_taken_out },
	{ "append_that_cannot_be_written_is_taken_out",
	    append_that_cannot_be_written_is_taken_out },
	{ NULL, NULL }
};

int
unit_register_chain(void)
{
	return unit_add_suite("chain", init, clean, tests);
}
