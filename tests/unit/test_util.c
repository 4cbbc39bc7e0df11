/*
 * test_util.c - util.c: hex, times, integers, UUIDs, little-endian codecs,
 * checked I/O; error.c: message slots.
 */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "util.h"
#include "unit.h"

static char *dir;

static int
init(void)
{
	dir = unit_mkdtemp("util");
	return dir == NULL;
}

static int
clean(void)
{
	unit_rmrf(dir);
	free(dir);
	dir = NULL;
	return 0;
}

/* ------------------------------------------------------------ hex */

static void
hex_encodes_lowercase_with_nul(void)
{
	const unsigned char in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[13];

	memset(out, 'x', sizeof(out));
	dexf_hex(out, in, sizeof(in));
	UA_STR(out, "00017f80abff");
	dexf_hex(out, in, 0);
	UA_STR(out, "");
}

static void
unhex_accepts_both_cases(void)
{
	unsigned char out[4];
	const unsigned char want[4] = { 0xde, 0xad, 0xbe, 0xef };

	UA_INT(dexf_unhex(out, 4, "deadbeef"), 0);
	UA_MEM(out, want, 4);
	memset(out, 0, sizeof(out));
	UA_INT(dexf_unhex(out, 4, "DEADBEEF"), 0);
	UA_MEM(out, want, 4);
	UA_INT(dexf_unhex(out, 0, ""), 0);
}

static void
unhex_rejects_bad_length_and_digits(void)
{
	unsigned char out[4];

	UA_INT(dexf_unhex(out, 4, "deadbee"), -1);     /* odd, short */
	UA_INT(dexf_unhex(out, 4, "deadbeef00"), -1);  /* too long */
	UA_INT(dexf_unhex(out, 4, "deadbeeg"), -1);    /* not hex */
	UA_INT(dexf_unhex(out, 4, " eadbeef"), -1);
	UA_INT(dexf_unhex(out, 4, "0xadbeef"), -1);
	UA_INT(dexf_unhex(out, 4, NULL), -1);
	/* every byte value, in either digit of a pair */
	for (int c = 1; c < 256; c++) {
		int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F');
		char s[5] = { 'a', (char)c, (char)c, '1', 0 };
		unsigned char o[2];
		int rc = dexf_unhex(o, 2, s);

		EXPECT(rc == (hex ? 0 : -1), "byte 0x%02x: %d", c, rc);
		if (hex && rc == 0) {
			int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

			EXPECT(o[0] == (0xa0 | v) && o[1] == (v << 4 | 1),
			    "byte 0x%02x: %02x %02x", c, o[0], o[1]);
		}
	}
}

static void
hex_unhex_roundtrip_all_byte_values(void)
{
	unsigned char in[256], back[256];
	char hex[513];

	for (int i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	dexf_hex(hex, in, sizeof(in));
	UA_INT(strlen(hex), 512);
	UA_INT(dexf_unhex(back, sizeof(back), hex), 0);
	UA_MEM(back, in, sizeof(in));
}

/* ------------------------------------------------------------ time */

static void
fmt_time_epoch_and_known_instant(void)
{
	char buf[32];

	dexf_fmt_time(buf, sizeof(buf), 0);
	UA_STR(buf, "1970-01-01T00:00:00Z");
	/* FORMAT.md's example instant 2026-11-22T22:45:00Z */
	dexf_fmt_time(buf, sizeof(buf), (time_t)1795387500);
	UA_STR(buf, "2026-11-22T22:45:00Z");
	dexf_fmt_time(buf, sizeof(buf), (time_t)951782400); /* leap day */
	UA_STR(buf, "2000-02-29T00:00:00Z");
}

static void
parse_time_roundtrips_fmt_time(void)
{
	static const time_t ts[] = { 0, 1, 951782400, 1795387500,
	    2147483647, 4102444799 };
	char buf[32];

	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		time_t back = -1;

		dexf_fmt_time(buf, sizeof(buf), ts[i]);
		UA_INT(dexf_parse_time(&back, buf), 0);
		UA_INT(back, ts[i]);
	}
}

static void
parse_time_rejects_other_syntax(void)
{
	static const char *const bad[] = {
		"",
		"2026-11-22",
		"2026-11-22T22:45:00",           /* no zone */
		"2026-11-22T22:45:00+00:00",     /* offset instead of Z */
		"2026-11-22T22:45:00.5Z",        /* fraction */
		"2026-11-22 22:45:00Z",          /* space instead of T */
		"2026-11-22t22:45:00Z",
		"2026-11-22T22:45:00z",
		"2026-11-22T22:45:00Z ",         /* trailing space */
		" 2026-11-22T22:45:00Z",
		"2026-11-22T22:45Z",
		"20261122T224500Z",
		"2026-13-01T00:00:00Z",          /* month 13 */
		"2026-00-10T00:00:00Z",
		"2026-11-00T00:00:00Z",
		"2026-11-32T00:00:00Z",
		"2026-11-22T24:00:00Z",
		"2026-11-22T23:60:00Z",
		"yesterday at noon, roughly!",
	};
	time_t t;

	UA_INT(dexf_parse_time(&t, NULL), -1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = dexf_parse_time(&t, bad[i]);
		char what[128];

		snprintf(what, sizeof(what), "dexf_parse_time(\"%s\") rejects",
		    bad[i]);
		CU_assertImplementation(rc == -1 ? CU_TRUE : CU_FALSE, __LINE__,
		    what, __FILE__, "", CU_FALSE);
	}
}

/* The parse dexf_parse_time() had: strptime(), then a print back that must
 * give the same text (which takes out what strptime() normalizes). */
static int
strptime_round_trip(time_t *out, const char *s)
{
	struct tm tm;
	const char *end;
	char back[32];
	time_t t;

	if (s == NULL || strlen(s) != 20)
		return -1;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	t = timegm(&tm);
	dexf_fmt_time(back, sizeof(back), t);
	if (strcmp(back, s) != 0)
		return -1;
	*out = t;
	return 0;
}

/* dexf_parse_time() decides as the strptime() round trip, and gives the
 * same instant: on every day of years around the calendar's edges, at
 * the edges of each field, and on 200,000 valid times with one character
 * changed. */
static void
parse_time_agrees_with_strptime_round_trip(void)
{
	static const int years[] = { 999, 1000, 1600, 1900, 1969, 1970, 2000,
	    2024, 2026, 2100, 2400, 9999 };
	static const char *const hms[] = { "00:00:00", "23:59:59",
	    "24:00:00", "23:60:00", "23:59:60", "12:34:56" };
	static const char alphabet[] = "0123456789-T:Z +/a";
	uint64_t r = 12345;
	size_t cases = 0, accepted = 0, differ = 0;

	for (size_t y = 0; y < sizeof(years) / sizeof(years[0]); y++)
		for (int mo = 0; mo <= 13; mo++)
			for (int d = 0; d <= 32; d++)
				for (size_t h = 0; h < sizeof(hms) /
				    sizeof(hms[0]); h++) {
					char s[64];
					time_t a = 1, b = 2;
					int ra, rb;

					snprintf(s, sizeof(s), "%04d-%02d-%02dT"
					    "%sZ", years[y], mo, d, hms[h]);
					ra = dexf_parse_time(&a, s);
					rb = strptime_round_trip(&b, s);
					differ += ra != rb || (ra == 0 &&
					    a != b);
					accepted += ra == 0;
					cases++;
				}
	for (int i = 0; i < 200000; i++) {
		char s[32];
		time_t a = 1, b = 2, t;
		int ra, rb;

		r = r * 6364136223846793005u + 1442695040888963407u;
		/* 1000 to 9999 */
		t = (time_t)((r >> 11) % 284012524800u) - 30610224000;
		dexf_fmt_time(s, sizeof(s), t);
		r = r * 6364136223846793005u + 1442695040888963407u;
		s[(r >> 33) % 20] = alphabet[(r >> 45) %
		    (sizeof(alphabet) - 1)];
		ra = dexf_parse_time(&a, s);
		rb = strptime_round_trip(&b, s);
		differ += ra != rb || (ra == 0 && a != b);
		accepted += ra == 0;
		cases++;
	}
	UA_INT(differ, 0);
	EXPECT(accepted > 20000 && accepted < cases, "%zu of %zu accepted",
	    accepted, cases);
}

/* FORMAT.md 1.4: seconds 00-59 and 8.7 rule 10: valid calendar dates. */
static void
parse_time_rejects_impossible_dates_and_leap_seconds(void)
{
	static const char *const bad[] = {
		"2026-02-30T00:00:00Z",   /* no 30 February */
		"2026-02-29T00:00:00Z",   /* 2026 is not a leap year */
		"2026-04-31T00:00:00Z",
		"2026-11-22T23:59:60Z",   /* seconds are 00-59 */
		"2026-11-22T23:59:61Z",
	};
	time_t t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = dexf_parse_time(&t, bad[i]);
		char what[128];

		snprintf(what, sizeof(what), "dexf_parse_time(\"%s\") rejects",
		    bad[i]);
		CU_assertImplementation(rc == -1 ? CU_TRUE : CU_FALSE, __LINE__,
		    what, __FILE__, "", CU_FALSE);
	}
	UA_INT(dexf_parse_time(&t, "2024-02-29T00:00:00Z"), 0);
}

/* Exactly two digits per field: strptime() pads with spaces. */
static void
parse_time_rejects_space_padded_fields(void)
{
	static const char *const bad[] = {
		"2026- 1-22T23:59:59Z",
		"2026-11- 2T23:59:59Z",
		"2026-11-22T 3:59:59Z",
		"2026-11-22T23: 9:59Z",
	};
	time_t t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = dexf_parse_time(&t, bad[i]);
		char what[128];

		snprintf(what, sizeof(what), "dexf_parse_time(\"%s\") rejects",
		    bad[i]);
		CU_assertImplementation(rc == -1 ? CU_TRUE : CU_FALSE, __LINE__,
		    what, __FILE__, "", CU_FALSE);
	}
}

/* ------------------------------------------------------------ integers */

static void
parse_u64_accepts_range_limits(void)
{
	uint64_t v = 7;

	UA_INT(dexf_parse_u64(&v, "0"), 0);
	UA(v == 0);
	UA_INT(dexf_parse_u64(&v, "1"), 0);
	UA(v == 1);
	UA_INT(dexf_parse_u64(&v, "4294967296"), 0);
	UA(v == 4294967296ull);
	UA_INT(dexf_parse_u64(&v, "18446744073709551615"), 0);
	UA(v == UINT64_MAX);
	UA_INT(dexf_parse_u64(&v, "18446744073709551610"), 0);
	UA(v == UINT64_MAX - 5);
}

static void
parse_u64_rejects_overflow(void)
{
	uint64_t v = 42;

	UA_INT(dexf_parse_u64(&v, "18446744073709551616"), -1);
	UA_INT(dexf_parse_u64(&v, "18446744073709551620"), -1);
	UA_INT(dexf_parse_u64(&v, "19999999999999999999"), -1);
	UA_INT(dexf_parse_u64(&v, "99999999999999999999"), -1);
	UA_INT(dexf_parse_u64(&v, "184467440737095516150"), -1);
	UA(v == 42); /* untouched on failure */
}

static void
parse_u64_rejects_signs_spaces_and_junk(void)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1\n", "0x10", "1e3", "12a",
		"1.0", "١",
	};
	uint64_t v;

	UA_INT(dexf_parse_u64(&v, NULL), -1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char what[96];

		snprintf(what, sizeof(what), "dexf_parse_u64(\"%s\") rejects",
		    bad[i]);
		CU_assertImplementation(dexf_parse_u64(&v, bad[i]) == -1 ?
		    CU_TRUE : CU_FALSE, __LINE__, what, __FILE__, "", CU_FALSE);
	}
}

static void
add_u64_detects_overflow(void)
{
	uint64_t r = 0;

	UA_INT(add_u64(&r, 1, 2), 0);
	UA(r == 3);
	UA_INT(add_u64(&r, UINT64_MAX - 1, 1), 0);
	UA(r == UINT64_MAX);
	UA_INT(add_u64(&r, UINT64_MAX, 1), -1);
	UA_INT(add_u64(&r, 1ull << 63, 1ull << 63), -1);
}

static void
little_endian_codecs_roundtrip(void)
{
	unsigned char b[8];
	const unsigned char want[8] = { 0x08, 0x07, 0x06, 0x05, 0x04, 0x03,
	    0x02, 0x01 };

	put_le16(b, 0xbeef);
	UA_INT(b[0], 0xef);
	UA_INT(b[1], 0xbe);
	UA_INT(get_le16(b), 0xbeef);
	put_le32(b, 0x8f9db18au);
	UA_INT(b[0], 0x8a);
	UA_INT(b[3], 0x8f);
	UA(get_le32(b) == 0x8f9db18au);
	put_le64(b, 0x0102030405060708ull);
	UA_MEM(b, want, 8);
	UA(get_le64(b) == 0x0102030405060708ull);
	put_le64(b, UINT64_MAX);
	UA(get_le64(b) == UINT64_MAX);
}

/* ------------------------------------------------------------ uuid */

static int
is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void
uuid_urn_is_random_v4_lowercase(void)
{
	char a[64], b[64];
	int ok = 1;

	UA_INT(dexf_uuid_urn(a, sizeof(a)), 0);
	UA_INT(dexf_uuid_urn(b, sizeof(b)), 0);
	UA_INT(strlen(a), 45);
	UA(strncmp(a, "urn:uuid:", 9) == 0);
	for (int i = 9; i < 45; i++) {
		int dash = i == 17 || i == 22 || i == 27 || i == 32;

		if (dash ? a[i] != '-' : !is_lower_hex(a[i]))
			ok = 0;
	}
	UA(ok);
	UA_INT(a[23], '4');                          /* version 4 */
	UA(a[28] == '8' || a[28] == '9' || a[28] == 'a' || a[28] == 'b');
	UA(strcmp(a, b) != 0);
}

static void
uuid_urn_refuses_short_buffer(void)
{
	char small[45];

	UA_INT(dexf_uuid_urn(small, sizeof(small)), -1);
}

/* ------------------------------------------------------------ misc */

static void
strdup_of_null_is_null(void)
{
	char *s = dexf_strdup("abc");

	UA(dexf_strdup(NULL) == NULL);
	UA_STR(s, "abc");
	free(s);
	dexf_free_secret(NULL);
	dexf_free_secret(dexf_strdup("secret"));
}

static void
read_full_and_pread_full_report_eof(void)
{
	char path[512], buf[64];
	int fd;

	unit_join(path, sizeof(path), dir, "io.bin");
	UA_INT(unit_write_file(path, "0123456789", 10), 0);
	fd = open(path, O_RDONLY);
	UA(fd >= 0);
	if (fd < 0)
		return;
	UA_INT(dexf_read_full(fd, buf, sizeof(buf)), 10);
	UA_INT(dexf_read_full(fd, buf, sizeof(buf)), 0);
	UA_INT(dexf_pread_full(fd, buf, 4, 6), 0);
	UA_MEM(buf, "6789", 4);
	UA_INT(dexf_pread_full(fd, buf, 5, 6), -2);   /* past the end */
	close(fd);
	UA_INT(dexf_pread_full(-1, buf, 1, 0), -1);
}

static void
write_full_and_pwrite_full_write_everything(void)
{
	char path[512];
	unsigned char *back;
	size_t n;
	int fd;

	unit_join(path, sizeof(path), dir, "w.bin");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	UA(fd >= 0);
	if (fd < 0)
		return;
	UA_INT(dexf_write_full(fd, "hello world", 11), 0);
	UA_INT(dexf_pwrite_full(fd, "W", 1, 6), 0);
	close(fd);
	back = unit_read_file(path, &n);
	UA_INT(n, 11);
	UA_MEM(back, "hello World", 11);
	free(back);
	UA_INT(dexf_write_full(-1, "x", 1), -1);
}

static void
seterr_formats_and_returns_code(void)
{
	dexf_err e;

	memset(&e, 0, sizeof(e));
	UA_INT(dexf_seterr(&e, DEXF_EFORMAT, "entry '%s' at %d", "x", 5),
	    DEXF_EFORMAT);
	UA_INT(e.code, DEXF_EFORMAT);
	UA_STR(dexf_errstr(&e), "entry 'x' at 5");
	UA_INT(dexf_seterr(NULL, DEXF_EIO, "ignored"), DEXF_EIO);
	UA_INT(dexf_seterr_sys(&e, DEXF_EIO, 2, "open %s", "f"), DEXF_EIO);
	UA_HAS(dexf_errstr(&e), "open f: ");
	UA_HAS(dexf_errstr(&e), "No such file");
	dexf_clearerr(&e);
	UA_STR(dexf_errstr(&e), "no error");
	e.code = DEXF_EINTEGRITY;
	UA_STR(dexf_errstr(&e), "integrity failure");
	UA_STR(dexf_errstr(NULL), "invalid handle");
}

static void
seterr_truncates_long_messages(void)
{
	dexf_err e;
	char big[3000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dexf_seterr(&e, DEXF_EINVAL, "%s", big);
	UA_INT(strlen(e.msg), DEXF_ERRMSG_MAX - 1);
}

/* A new file appears whole under its name or not at all, and an
 * existing one is replaced only when asked. */
static void
outfile_installs_whole_and_replaces_only_when_asked(void)
{
	char *tdir = unit_mkdtemp("outfile"), path[512];
	dexf_outfile o;
	dexf_err err;
	unsigned char *got;
	size_t len;

	if (tdir == NULL) {
		UA(tdir != NULL);
		return;
	}
	memset(&err, 0, sizeof(err));
	unit_join(path, sizeof(path), tdir, "c.dexf");
	/* dropped: nothing is left behind */
	UA_INT(dexf_outfile_open(&o, path, 0, &err), 0);
	UA(o.tmp != NULL && strstr(o.tmp, "/.c.dexf.") != NULL);
	UA_INT(dexf_write_full(o.fd, "half", 4), 0);
	dexf_outfile_close(&o);
	UA_INT(unit_count_dir(tdir), 0);
	/* installed: the name holds the whole content, nothing else */
	UA_INT(dexf_outfile_open(&o, path, 0, &err), 0);
	UA_INT(dexf_write_full(o.fd, "first", 5), 0);
	UA_INT(dexf_outfile_install(&o, &err), 0);
	dexf_outfile_close(&o);
	UA_INT(unit_count_dir(tdir), 1);
	got = unit_read_file(path, &len);
	UA(got != NULL && len == 5 && memcmp(got, "first", 5) == 0);
	free(got);
	/* an existing file without force: refused at open */
	UA_INT(dexf_outfile_open(&o, path, 0, &err), DEXF_EEXISTS);
	UA_HAS(err.msg, "already exists");
	dexf_outfile_close(&o);
	/* one that appears while writing: refused at install, kept */
	unit_join(path, sizeof(path), tdir, "d.dexf");
	UA_INT(dexf_outfile_open(&o, path, 0, &err), 0);
	UA_INT(unit_write_file(path, "theirs", 6), 0);
	UA_INT(dexf_outfile_install(&o, &err), DEXF_EEXISTS);
	dexf_outfile_close(&o);
	got = unit_read_file(path, &len);
	UA(got != NULL && len == 6 && memcmp(got, "theirs", 6) == 0);
	free(got);
	UA_INT(unit_count_dir(tdir), 2);
	/* with force: replaced */
	UA_INT(dexf_outfile_open(&o, path, 1, &err), 0);
	UA_INT(dexf_write_full(o.fd, "ours", 4), 0);
	UA_INT(dexf_outfile_install(&o, &err), 0);
	dexf_outfile_close(&o);
	got = unit_read_file(path, &len);
	UA(got != NULL && len == 4 && memcmp(got, "ours", 4) == 0);
	free(got);
	UA_INT(unit_count_dir(tdir), 2);
	/* a name that is a directory's */
	unit_join(path, sizeof(path), tdir, "");
	UA_INT(dexf_outfile_open(&o, path, 1, &err), DEXF_EINVAL);
	dexf_outfile_close(&o);
	unit_rmrf(tdir);
	free(tdir);
}

/* dexf_once_run: one run per dexf_once, with its argument, whatever the
 * number of threads racing for it. */
static atomic_int once_calls, once_arg;
static dexf_once once_a = DEXF_ONCE_INIT, once_b = DEXF_ONCE_INIT;

static void
once_fn(int arg)
{
	atomic_fetch_add(&once_calls, 1);
	atomic_store(&once_arg, arg);
}

static void *
once_racer(void *unused)
{
	(void)unused;
	for (int i = 0; i < 1000; i++)
		dexf_once_run(&once_a, once_fn, 7);
	return NULL;
}

static void
once_runs_each_once_with_its_argument(void)
{
	pthread_t t[4];
	int started = 0;

	for (int i = 0; i < 4; i++)
		started += pthread_create(&t[i], NULL, once_racer, NULL) == 0;
	UA_INT(started, 4);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	UA_INT(atomic_load(&once_calls), 1);
	UA_INT(atomic_load(&once_arg), 7);
	dexf_once_run(&once_b, once_fn, 3);
	dexf_once_run(&once_b, once_fn, 5);
	UA_INT(atomic_load(&once_calls), 2);
	UA_INT(atomic_load(&once_arg), 3);
}

static const unit_test tests[] = {
	{ "hex_encodes_lowercase_with_nul", hex_encodes_lowercase_with_nul },
	{ "once_runs_each_once_with_its_argument",
	    once_runs_each_once_with_its_argument },
	{ "outfile_installs_whole_and_replaces_only_when_asked",
	    outfile_installs_whole_and_replaces_only_when_asked },
	{ "unhex_accepts_both_cases", unhex_accepts_both_cases },
	{ "unhex_rejects_bad_length_and_digits",
	    unhex_rejects_bad_length_and_digits },
	{ "hex_unhex_roundtrip_all_byte_values",
	    hex_unhex_roundtrip_all_byte_values },
	{ "fmt_time_epoch_and_known_instant",
	    fmt_time_epoch_and_known_instant },
	{ "parse_time_roundtrips_fmt_time", parse_time_roundtrips_fmt_time },
	{ "parse_time_rejects_other_syntax", parse_time_rejects_other_syntax },
	{ "parse_time_agrees_with_strptime_round_trip",
	    parse_time_agrees_with_strptime_round_trip },
	{ "parse_time_rejects_impossible_dates_and_leap_seconds",
	    parse_time_rejects_impossible_dates_and_leap_seconds },
	{ "parse_time_rejects_space_padded_fields",
	    parse_time_rejects_space_padded_fields },
	{ "parse_u64_accepts_range_limits", parse_u64_accepts_range_limits },
	{ "parse_u64_rejects_overflow", parse_u64_rejects_overflow },
	{ "parse_u64_rejects_signs_spaces_and_junk",
	    parse_u64_rejects_signs_spaces_and_junk },
	{ "add_u64_detects_overflow", add_u64_detects_overflow },
	{ "little_endian_codecs_roundtrip", little_endian_codecs_roundtrip },
	{ "uuid_urn_is_random_v4_lowercase", uuid_urn_is_random_v4_lowercase },
	{ "uuid_urn_refuses_short_buffer", uuid_urn_refuses_short_buffer },
	{ "strdup_of_null_is_null", strdup_of_null_is_null },
	{ "read_full_and_pread_full_report_eof",
	    read_full_and_pread_full_report_eof },
	{ "write_full_and_pwrite_full_write_everything",
	    write_full_and_pwrite_full_write_everything },
	{ "seterr_formats_and_returns_code", seterr_formats_and_returns_code },
	{ "seterr_truncates_long_messages", seterr_truncates_long_messages },
	{ NULL, NULL }
};

int
unit_register_util(void)
{
	return unit_add_suite("util", init, clean, tests);
}
