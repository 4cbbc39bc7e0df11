/*
 * test_zip.c - the ZIP64 writer and the strict reader (FORMAT.md 2.3, 2.4).
 *
 * A small archive is written with dexf_zipw, read back with dexf_zipr, and
 * then damaged copy by copy; each damage must be refused with the right
 * code and a message naming the entry.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "chunk.h"
#include "util.h"
#include "zipr.h"
#include "zipw.h"
#include "unit.h"

#define MEDIA "application/vnd.dexf+zip"

static char *dir;
static unsigned char *text;        /* content of the deflated entry */
static size_t text_len = 10000;
static char good[512];             /* the sample archive */

static const char readme[] = "Hello, zip!\n";

enum {
	V_NONE = 0,
	V_DUPLICATE = 1 << 0,   /* "docs/readme.txt" twice */
	V_DOTDOT = 1 << 1,      /* an entry named "../evil.txt" */
	V_GAP = 1 << 2,         /* 7 stray bytes after the deflated entry */
	V_BADCRC = 1 << 3,      /* readme written with a wrong CRC */
	V_NOMIME = 1 << 4,      /* no mimetype entry */
};

static int
add_entry(dexf_zipw *z, const char *name, int method, const void *plain,
    size_t n, time_t t, uint32_t crc_xor)
{
	uint32_t crc = (uint32_t)crc32(0, plain, (uInt)n) ^ crc_xor;
	int rc;

	if ((rc = dexf_zipw_begin(z, name, method, 0640, t)) != 0)
		return rc;
	if (method == 8) {
		size_t clen;
		unsigned char *c = unit_raw_deflate(plain, n, 6,
		    Z_DEFAULT_STRATEGY, Z_FINISH, &clen);

		if (c == NULL)
			return -100;
		rc = dexf_zipw_write(z, c, clen);
		free(c);
	} else {
		rc = dexf_zipw_write(z, plain, n);
	}
	if (rc != 0)
		return rc;
	return dexf_zipw_end(z, crc, n);
}

/* Write the sample archive with variations; 0 on success. */
static int
write_sample(const char *path, unsigned variant)
{
	dexf_err err;
	dexf_zipw z;
	time_t t = 1795387500;
	int fd, rc = 0;

	memset(&err, 0, sizeof(err));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	dexf_zipw_init(&z, fd, path, &err);
	if (!(variant & V_NOMIME))
		rc = dexf_zipw_mimetype(&z, MEDIA, t);
	if (rc == 0)
		rc = add_entry(&z, "docs/readme.txt", 0, readme,
		    strlen(readme), t, (variant & V_BADCRC) ? 1 : 0);
	if (rc == 0)
		rc = add_entry(&z, "data/text.txt", 8, text, text_len, t, 0);
	if (rc == 0 && (variant & V_GAP)) {
		rc = dexf_zipw_flush(&z);
		if (rc == 0)
			rc = dexf_write_full(fd, "GAPGAP!", 7);
		z.pos += 7;
	}
	if (rc == 0)
		rc = add_entry(&z, "empty", 0, "", 0, t, 0);
	if (rc == 0 && (variant & V_DUPLICATE))
		rc = add_entry(&z, "docs/readme.txt", 0, readme,
		    strlen(readme), t, 0);
	if (rc == 0 && (variant & V_DOTDOT))
		rc = add_entry(&z, "../evil.txt", 0, "x", 1, t, 0);
	if (rc == 0)
		rc = dexf_zipw_finish(&z);
	dexf_zipw_free(&z);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static int
init(void)
{
	static const char words[] = "chain of custody evidence exhibit ";

	dir = unit_mkdtemp("zip");
	text = malloc(text_len);
	if (dir == NULL || text == NULL)
		return 1;
	for (size_t i = 0; i < text_len; i++)
		text[i] = (unsigned char)words[(i * 7 + i / 13) %
		    (sizeof(words) - 1)];
	unit_join(good, sizeof(good), dir, "good.zip");
	return write_sample(good, V_NONE) != 0;
}

static int
clean(void)
{
	unit_rmrf(dir);
	free(dir);
	free(text);
	dir = NULL;
	text = NULL;
	return 0;
}

/* Open `path` with the strict reader; the archive is closed again unless
 * `z` is kept by the caller (keep != 0). */
static int
open_zip(const char *path, dexf_zipr *z, dexf_err *err, int *fd, int keep)
{
	int rc;

	memset(err, 0, sizeof(*err));
	*fd = open(path, O_RDONLY);
	if (*fd < 0)
		return -100;
	rc = dexf_zipr_open(z, *fd, path, err);
	if (rc != 0 || !keep) {
		if (rc == 0)
			dexf_zipr_close(z);
		close(*fd);
		*fd = -1;
	}
	return rc;
}

static int
try_open(const char *path, dexf_err *err)
{
	dexf_zipr z;
	int fd;

	return open_zip(path, &z, err, &fd, 0);
}

/* A copy of the good archive under `name`, as bytes in memory. */
static unsigned char *
load_copy(const char *name, char *path, size_t pathsz, size_t *len)
{
	unit_join(path, pathsz, dir, name);
	return unit_read_file(good, len);
}

/* Offset of central directory header i in buf (sample layout). */
static size_t
cd_header(const unsigned char *buf, size_t len, size_t i)
{
	uint64_t e64 = get_le64(buf + len - 22 - 20 + 8);
	size_t p = (size_t)get_le64(buf + e64 + 48);

	for (size_t k = 0; k < i; k++)
		p += 46 + get_le16(buf + p + 28) + get_le16(buf + p + 30) +
		    get_le16(buf + p + 32);
	return p;
}

/* ------------------------------------------------------------ writing */

static void
written_layout_follows_format_profile(void)
{
	size_t len;
	unsigned char *b = unit_read_file(good, &len);
	size_t eocd, loc, e64;

	if (b == NULL) {
		CU_FAIL("read sample");
		return;
	}
	/* magic: PK\3\4, "mimetype" at 30, media type at 38 */
	UA_MEM(b, "PK\x03\x04", 4);
	UA_INT(get_le16(b + 4), 10);
	UA_INT(get_le16(b + 6), 0);
	UA_INT(get_le16(b + 8), 0);
	UA(get_le32(b + 14) == 0x8f9db18au);
	UA_INT(get_le32(b + 18), 24);
	UA_INT(get_le32(b + 22), 24);
	UA_INT(get_le16(b + 26), 8);
	UA_INT(get_le16(b + 28), 0);
	UA_MEM(b + 30, "mimetype", 8);
	UA_MEM(b + 38, MEDIA, 24);
	/* next local header: version 45, UTF-8 flag, ZIP64 sizes */
	UA_MEM(b + 62, "PK\x03\x04", 4);
	UA_INT(get_le16(b + 62 + 4), 45);
	UA_INT(get_le16(b + 62 + 6), 0x0800);
	UA(get_le32(b + 62 + 18) == 0xffffffffu);
	UA(get_le32(b + 62 + 22) == 0xffffffffu);
	UA_INT(get_le16(b + 62 + 28), 20);
	UA_INT(get_le16(b + 62 + 30 + 15), 0x0001);
	UA_INT(get_le16(b + 62 + 30 + 15 + 2), 16);
	UA(get_le64(b + 62 + 30 + 15 + 4) == strlen(readme));
	UA(get_le64(b + 62 + 30 + 15 + 12) == strlen(readme));
	/* trailer: ZIP64 EOCD (56), locator (20), EOCD (22), no comment */
	eocd = len - 22;
	loc = eocd - 20;
	e64 = loc - 56;
	UA(get_le32(b + eocd) == 0x06054b50u);
	UA_INT(get_le16(b + eocd + 20), 0);
	UA_INT(get_le16(b + eocd + 8), 4);
	UA_INT(get_le16(b + eocd + 10), 4);
	UA(get_le32(b + loc) == 0x07064b50u);
	UA(get_le64(b + loc + 8) == e64);
	UA_INT(get_le32(b + loc + 16), 1);
	UA(get_le32(b + e64) == 0x06064b50u);
	UA(get_le64(b + e64 + 4) == 44);
	UA_INT(get_le16(b + e64 + 12), 0x032d);
	UA_INT(get_le16(b + e64 + 14), 45);
	UA(get_le64(b + e64 + 24) == 4);
	UA(get_le64(b + e64 + 32) == 4);
	UA(get_le64(b + e64 + 48) + get_le64(b + e64 + 40) == e64);
	UA(get_le32(b + eocd + 16) == get_le64(b + e64 + 48));
	/* central directory: made by 0x032d, mode 0100644 for mimetype,
	 * 0100640 for the others, no extra field when nothing overflows */
	{
		size_t c0 = cd_header(b, len, 0), c1 = cd_header(b, len, 1);

		UA(get_le32(b + c0) == 0x02014b50u);
		UA_INT(get_le16(b + c0 + 4), 0x032d);
		UA(get_le32(b + c0 + 38) == (uint32_t)0100644 << 16);
		UA_INT(get_le16(b + c0 + 30), 0);
		UA(get_le32(b + c1 + 38) == (uint32_t)0100640 << 16);
		UA_INT(get_le16(b + c1 + 30), 0);
		UA_INT(get_le16(b + c1 + 32), 0);
		UA(get_le32(b + c1 + 42) == 62);
		UA(get_le32(b + c1 + 20) == strlen(readme));
	}
	free(b);
}

static void
dos_time_is_clamped_and_even(void)
{
	char path[512];
	dexf_err err;
	dexf_zipw z;
	unsigned char *b;
	size_t len, off;
	int fd;

	unit_join(path, sizeof(path), dir, "times.zip");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	UA(fd >= 0);
	if (fd < 0)
		return;
	dexf_zipw_init(&z, fd, path, &err);
	UA_INT(dexf_zipw_mimetype(&z, MEDIA, 0), 0);          /* 1970 */
	UA_INT(add_entry(&z, "late", 0, "x", 1, (time_t)7258118400, 0), 0);
	UA_INT(add_entry(&z, "odd", 0, "y", 1, (time_t)1795387501, 0), 0);
	UA_INT(dexf_zipw_finish(&z), 0);
	dexf_zipw_free(&z);
	close(fd);
	b = unit_read_file(path, &len);
	if (b == NULL) {
		CU_FAIL("read");
		return;
	}
	/* 1970 -> 1980-01-01 00:00:00 */
	UA_INT(get_le16(b + 10), 0);
	UA_INT(get_le16(b + 12), (0 << 9) | (1 << 5) | 1);
	/* year 2200 -> 2107-12-31 23:59:58 */
	off = 62;
	UA_INT(get_le16(b + off + 10), (23 << 11) | (59 << 5) | 29);
	UA_INT(get_le16(b + off + 12), (127 << 9) | (12 << 5) | 31);
	/* 2026-11-22T22:45:01Z -> 22:45:00 */
	off = 62 + 30 + 4 + 20 + 1;
	UA_INT(get_le16(b + off + 10), (22 << 11) | (45 << 5) | 0);
	UA_INT(get_le16(b + off + 12), (46 << 9) | (11 << 5) | 22);
	free(b);
}

static void
writer_refuses_misuse(void)
{
	char path[512];
	dexf_err err;
	dexf_zipw z;
	int fd;

	unit_join(path, sizeof(path), dir, "misuse.zip");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	UA(fd >= 0);
	if (fd < 0)
		return;
	memset(&err, 0, sizeof(err));
	dexf_zipw_init(&z, fd, path, &err);
	UA_INT(dexf_zipw_write(&z, "x", 1), DEXF_EINVAL);     /* no entry */
	UA_INT(dexf_zipw_end(&z, 0, 0), DEXF_EINVAL);
	UA_INT(dexf_zipw_begin(&z, "", 0, 0644, 0), DEXF_EINVAL);
	UA_INT(dexf_zipw_begin(&z, "a", 0, 0644, 0), 0);
	UA_INT(dexf_zipw_mimetype(&z, MEDIA, 0), DEXF_EINVAL); /* not first */
	UA_INT(dexf_zipw_begin(&z, "b", 0, 0644, 0), DEXF_EINVAL); /* open */
	UA_INT(dexf_zipw_finish(&z), DEXF_EINVAL);
	UA_HAS(err.msg, "misuse.zip");
	UA_INT(dexf_zipw_end(&z, 0, 0), 0);
	dexf_zipw_free(&z);
	close(fd);
}

static void
writer_reports_io_errors(void)
{
	dexf_err err;
	dexf_zipw z;
	int fd = open("/dev/full", O_WRONLY);

	if (fd < 0) {
		UA(unit_exists("/dev/full") == 0);
		return;
	}
	memset(&err, 0, sizeof(err));
	dexf_zipw_init(&z, fd, "full.zip", &err);
	/* small writes are buffered: the error comes with the flush */
	UA_INT(dexf_zipw_mimetype(&z, MEDIA, 0), 0);
	UA_INT(dexf_zipw_flush(&z), DEXF_EIO);
	UA_HAS(err.msg, "full.zip");
	dexf_zipw_free(&z);
	close(fd);
}

/* ------------------------------------------------------------ reading */

static void
reader_lists_entries_with_offsets(void)
{
	dexf_zipr z;
	dexf_err err;
	int fd;
	const dexf_zipr_entry *e;

	UA_INT(open_zip(good, &z, &err, &fd, 1), 0);
	if (fd < 0)
		return;
	UA_INT(z.n, 4);
	UA_STR(z.ents[0].name, "mimetype");
	UA_STR(z.ents[1].name, "docs/readme.txt");
	UA_STR(z.ents[2].name, "data/text.txt");
	UA_STR(z.ents[3].name, "empty");
	UA(z.ents[0].offset == 0);
	UA(z.ents[0].data_off == 38);
	UA_INT(z.ents[0].flags, 0);
	UA(z.ents[0].csize == 24 && z.ents[0].usize == 24);
	UA(z.ents[1].offset == 62);
	UA(z.ents[1].data_off == 62 + 30 + 15 + 20);
	UA_INT(z.ents[1].method, 0);
	UA_INT(z.ents[1].flags, 0x0800);
	UA(z.ents[1].crc == (uint32_t)crc32(0, (const Bytef *)readme,
	    (uInt)strlen(readme)));
	UA(z.ents[1].extattr == (uint32_t)0100640 << 16);
	UA_INT(z.ents[2].method, 8);
	UA(z.ents[2].usize == text_len);
	UA(z.ents[2].csize < text_len);
	UA(z.ents[2].offset == z.ents[1].data_off + z.ents[1].csize);
	UA(z.ents[3].offset == z.ents[2].data_off + z.ents[2].csize);
	UA(z.ents[3].usize == 0 && z.ents[3].csize == 0);
	UA(z.cd_start == z.ents[3].data_off);
	e = dexf_zipr_find(&z, "data/text.txt");
	UA(e == &z.ents[2]);
	UA(dexf_zipr_find(&z, "mimetype") == &z.ents[0]);
	UA(dexf_zipr_find(&z, "empty") == &z.ents[3]);
	UA(dexf_zipr_find(&z, "data") == NULL);
	UA(dexf_zipr_find(&z, "zzz") == NULL);
	UA(dexf_zipr_find(&z, "") == NULL);
	dexf_zipr_close(&z);
	close(fd);
}

/* A new archive `name` in the test directory with its mimetype: the
 * writer's status, or -1 (*fd < 0) when the file cannot be created. */
static int
start_zip(const char *name, char *path, size_t pathlen, dexf_zipw *w,
    dexf_err *err, int *fd, time_t t)
{
	unit_join(path, pathlen, dir, name);
	memset(err, 0, sizeof(*err));
	*fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	UA(*fd >= 0);
	if (*fd < 0)
		return -1;
	dexf_zipw_init(w, *fd, path, err);
	return dexf_zipw_mimetype(w, MEDIA, t);
}

/* Finish the archive written through w (rc: the writes so far), close it
 * and open it for reading into z (*zfd < 0 when it does not open). */
static void
finish_and_open(dexf_zipw *w, int rc, int fd, const char *path,
    dexf_zipr *z, dexf_err *err, int *zfd)
{
	if (rc == 0)
		rc = dexf_zipw_finish(w);
	UA_INT(rc, 0);
	dexf_zipw_free(w);
	close(fd);
	UA_INT(open_zip(path, z, err, zfd, 1), 0);
}

/*
 * Writes of every size around the writer's buffer (256 KiB), in entries
 * whose small local header is still buffered when a large write comes:
 * the bytes must land in order, whatever path each write takes.  A write
 * of 128 KiB to 256 KiB after a buffered header went to the file ahead
 * of the header (every chunk of an incompressible item packed with
 * --chunk-size 128K or 256K).
 */
static void
writes_of_every_size_land_in_order(void)
{
	static const size_t sizes[] = { 1, 100, 65536, 131071, 131072,
	    131073, 200000, 262000, 262144, 262145, 600000 };
	const size_t ns = sizeof(sizes) / sizeof(sizes[0]);
	unsigned char *data = malloc(600000 * 2);
	char path[512];
	dexf_err err;
	dexf_zipw w;
	dexf_zipr z;
	time_t t = 1795387500;
	int fd, rc = 0;

	if (data == NULL) {
		EXPECT(0, "out of memory");
		return;
	}
	unit_fill_random(data, 600000 * 2, 77);
	unit_join(path, sizeof(path), dir, "sizes.zip");
	memset(&err, 0, sizeof(err));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	UA(fd >= 0);
	if (fd < 0) {
		free(data);
		return;
	}
	dexf_zipw_init(&w, fd, path, &err);
	rc = dexf_zipw_mimetype(&w, MEDIA, t);
	/* entry i: one write of sizes[i], then one of sizes[ns - 1 - i] */
	for (size_t i = 0; rc == 0 && i < ns; i++) {
		char name[32];
		size_t a = sizes[i], b = sizes[ns - 1 - i];

		snprintf(name, sizeof(name), "e%02zu", i);
		rc = dexf_zipw_begin(&w, name, 0, 0644, t);
		if (rc == 0)
			rc = dexf_zipw_write(&w, data, a);
		if (rc == 0)
			rc = dexf_zipw_write(&w, data + a, b);
		if (rc == 0)
			rc = dexf_zipw_end(&w, (uint32_t)crc32(0, data,
			    (uInt)(a + b)), a + b);
	}
	finish_and_open(&w, rc, fd, path, &z, &err, &fd);
	if (fd < 0) {
		EXPECT(0, "the archive opens: %s", err.msg);
		free(data);
		return;
	}
	UA_INT(z.n, ns + 1);
	for (size_t i = 0; i < ns && i + 1 < z.n; i++) {
		size_t a = sizes[i], b = sizes[ns - 1 - i], n = 0;
		unsigned char *out = NULL;

		UA_INT(dexf_zipr_slurp(&z, &z.ents[i + 1], 1 << 21, &out, &n),
		    0);
		EXPECT(out != NULL && n == a + b && memcmp(out, data,
		    a + b) == 0, "entry %zu (writes of %zu and %zu bytes): "
		    "the bytes written, in order", i, a, b);
		free(out);
	}
	dexf_zipr_close(&z);
	close(fd);
	free(data);
}

/*
 * The data of entries of at most DEXF_ZIPR_KEEP bytes is read with their
 * local headers when the container is opened, and later reads come from
 * memory: bytes changed in the file afterwards are seen only in larger
 * entries.
 */
static void
reader_keeps_small_entries_from_open(void)
{
	static const size_t sizes[] = { 1, 200, DEXF_ZIPR_KEEP,
	    DEXF_ZIPR_KEEP + 1, 100000 };
	const size_t ns = sizeof(sizes) / sizeof(sizes[0]);
	unsigned char *data = malloc(100000), *other = malloc(100000);
	unsigned char *got = malloc(100000);
	char path[512];
	dexf_err err;
	dexf_zipw w;
	dexf_zipr z;
	time_t t = 1795387500;
	int fd, wfd, rc = 0;

	if (data == NULL || other == NULL || got == NULL) {
		EXPECT(0, "out of memory");
		goto out;
	}
	unit_fill_random(data, 100000, 5);
	unit_fill_random(other, 100000, 6);
	rc = start_zip("keep.zip", path, sizeof(path), &w, &err, &fd, t);
	if (fd < 0)
		goto out;
	for (size_t i = 0; rc == 0 && i < ns; i++) {
		char name[32];

		snprintf(name, sizeof(name), "k%zu", i);
		rc = dexf_zipw_begin(&w, name, 0, 0644, t);
		if (rc == 0)
			rc = dexf_zipw_write(&w, data, sizes[i]);
		if (rc == 0)
			rc = dexf_zipw_end(&w, (uint32_t)crc32(0, data,
			    (uInt)sizes[i]), sizes[i]);
	}
	finish_and_open(&w, rc, fd, path, &z, &err, &fd);
	if (fd < 0)
		goto out;
	UA_INT(z.n, ns + 1);
	wfd = open(path, O_WRONLY);
	UA(wfd >= 0);
	for (size_t i = 0; wfd >= 0 && i < ns && i + 1 < z.n; i++) {
		const dexf_zipr_entry *e = &z.ents[i + 1];
		int kept = sizes[i] <= DEXF_ZIPR_KEEP;

		UA_INT(e->kept_len, kept ? sizes[i] : 0);
		UA_INT(pwrite(wfd, other, sizes[i], (off_t)e->data_off),
		    (ssize_t)sizes[i]);
		UA_INT(dexf_zipr_pread(&z, e, 0, got, sizes[i]), 0);
		EXPECT(memcmp(got, kept ? data : other, sizes[i]) == 0,
		    "entry of %zu bytes: %s", sizes[i], kept ?
		    "the bytes read at open" : "the bytes in the file now");
	}
	if (wfd >= 0)
		close(wfd);
	dexf_zipr_close(&z);
	UA(z.kept == NULL);
	close(fd);
out:
	free(data);
	free(other);
	free(got);
}

static void
reader_slurps_stored_and_deflated_entries(void)
{
	dexf_zipr z;
	dexf_err err;
	unsigned char *out = NULL;
	size_t n = 0;
	int fd;

	UA_INT(open_zip(good, &z, &err, &fd, 1), 0);
	if (fd < 0)
		return;
	UA_INT(dexf_zipr_slurp(&z, &z.ents[0], 256, &out, &n), 0);
	UA_INT(n, 24);
	UA_STR((char *)out, MEDIA);              /* NUL-terminated */
	free(out);
	UA_INT(dexf_zipr_slurp(&z, &z.ents[1], 256, &out, &n), 0);
	UA_INT(n, strlen(readme));
	UA_STR((char *)out, readme);
	free(out);
	UA_INT(dexf_zipr_slurp(&z, &z.ents[2], 1 << 20, &out, &n), 0);
	UA_INT(n, text_len);
	UA_MEM(out, text, text_len);
	free(out);
	UA_INT(dexf_zipr_slurp(&z, &z.ents[3], 16, &out, &n), 0);
	UA_INT(n, 0);
	UA(out != NULL && out[0] == '\0');
	free(out);
	/* larger than allowed */
	out = (unsigned char *)1;
	UA_INT(dexf_zipr_slurp(&z, &z.ents[2], 100, &out, &n), DEXF_EFORMAT);
	UA(out == NULL);
	UA_HAS(err.msg, "data/text.txt");
	dexf_zipr_close(&z);
	close(fd);
}

/* Deflate `len` bytes as the writer deflates the manifest: independent
 * full-flush pieces of 1 MiB, then the stream trailer (malloc'd). */
static unsigned char *
pieces(const unsigned char *data, size_t len, size_t *outlen)
{
	const size_t piece = 1u << 20;
	unsigned char *out = malloc(len + len / 8 + 65536);
	dexf_codec *c = NULL;
	size_t at = 0;

	if (out == NULL || dexf_codec_new(&c, 1) != 0) {
		free(out);
		return NULL;
	}
	for (size_t off = 0; off < len; off += piece) {
		size_t n = len - off < piece ? len - off : piece, olen;

		if (dexf_chunk_deflate(c, data + off, n, out + at,
		    dexf_chunk_stored_max(piece), &olen) != 0) {
			free(out);
			out = NULL;
			break;
		}
		at += olen;
	}
	dexf_codec_free(c);
	if (out != NULL) {
		memcpy(out + at, dexf_deflate_trailer, 2);
		*outlen = at + 2;
	}
	return out;
}

/*
 * Deflated entries as our writers make them (pieces and trailer, which
 * the chunk decoder reads) and as zlib makes them (one stream with a
 * final block, for zlib): the same bytes back.  Damage in either, or a
 * recorded size the data does not have, is EINTEGRITY.
 */
static void
reader_slurps_deflate_pieces_and_plain_streams(void)
{
	const size_t len = (5u << 19) + 12345;  /* 2.5 MiB and a bit */
	unsigned char *data = malloc(len), *pc = NULL, *zs = NULL;
	size_t pclen = 0, zslen = 0;
	char path[512];
	dexf_err err;
	dexf_zipw w;
	dexf_zipr z;
	z_stream st;
	time_t t = 1795387500;
	uint32_t crc;
	int fd, rc;

	if (data == NULL) {
		EXPECT(0, "out of memory");
		return;
	}
	unit_fill_random(data, len, 91);
	for (size_t k = 0; k < len; k++)
		data[k] = (unsigned char)"case notes, exhibit 7 "[data[k] % 22];
	crc = (uint32_t)crc32(0, data, (uInt)len);
	pc = pieces(data, len, &pclen);
	memset(&st, 0, sizeof(st));
	if ((zs = malloc(len + len / 8 + 65536)) != NULL &&
	    deflateInit2(&st, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) ==
	    Z_OK) {
		st.next_in = data;
		st.avail_in = (uInt)len;
		st.next_out = zs;
		st.avail_out = (uInt)(len + len / 8 + 65536);
		if (deflate(&st, Z_FINISH) == Z_STREAM_END)
			zslen = st.total_out;
		deflateEnd(&st);
	}
	UA(pc != NULL && zslen > 0);
	if (pc == NULL || zslen == 0)
		goto out;
	rc = start_zip("pieces.zip", path, sizeof(path), &w, &err, &fd, t);
	if (fd < 0)
		goto out;
	for (int e = 0; rc == 0 && e < 4; e++) {
		static const char *const names[] = { "pieces", "zlib",
		    "pieces-damaged", "pieces-longer" };
		const unsigned char *b = e == 1 ? zs : pc;
		size_t blen = e == 1 ? zslen : pclen;

		rc = dexf_zipw_begin(&w, names[e], 8, 0644, t);
		if (rc == 0 && e == 2) {
			unsigned char *d = malloc(blen);

			rc = d == NULL ? -1 : 0;
			if (d != NULL) {
				memcpy(d, b, blen);
				d[blen / 2] ^= 0x21;
				rc = dexf_zipw_write(&w, d, blen);
				free(d);
			}
		} else if (rc == 0) {
			rc = dexf_zipw_write(&w, b, blen);
		}
		if (rc == 0)
			rc = dexf_zipw_end(&w, crc, len + (e == 3));
	}
	finish_and_open(&w, rc, fd, path, &z, &err, &fd);
	if (fd < 0)
		goto out;
	UA_INT(z.n, 5);
	for (int e = 0; e < 4 && (size_t)e + 1 < z.n; e++) {
		unsigned char *o = (unsigned char *)1;
		size_t n = 0;

		rc = dexf_zipr_slurp(&z, &z.ents[e + 1], 4u << 20, &o, &n);
		if (e < 2) {
			UA_INT(rc, 0);
			EXPECT(rc == 0 && n == len && memcmp(o, data, len) == 0,
			    "entry %s: the bytes deflated", z.ents[e + 1].name);
			if (rc == 0)
				free(o);
		} else {
			UA_INT(rc, DEXF_EINTEGRITY);
			UA(o == NULL);
		}
	}
	dexf_zipr_close(&z);
	close(fd);
out:
	free(data);
	free(pc);
	free(zs);
}

static void
reader_pread_stays_inside_the_entry(void)
{
	dexf_zipr z;
	dexf_err err;
	unsigned char buf[32];
	int fd;

	UA_INT(open_zip(good, &z, &err, &fd, 1), 0);
	if (fd < 0)
		return;
	UA_INT(dexf_zipr_pread(&z, &z.ents[1], 7, buf, 4), 0);
	UA_MEM(buf, "zip!", 4);
	UA_INT(dexf_zipr_pread(&z, &z.ents[1], 0, buf, strlen(readme)), 0);
	UA_INT(dexf_zipr_pread(&z, &z.ents[1], 1, buf, strlen(readme)),
	    DEXF_EFORMAT);
	UA_HAS(err.msg, "docs/readme.txt");
	UA_INT(dexf_zipr_pread(&z, &z.ents[1], 100, buf, 0), DEXF_EFORMAT);
	UA_INT(dexf_zipr_pread(&z, &z.ents[1], UINT64_MAX, buf, 1),
	    DEXF_EFORMAT);
	dexf_zipr_close(&z);
	close(fd);
}

static void
reader_slurp_reports_crc_mismatch_as_integrity(void)
{
	char path[512];
	dexf_zipr z;
	dexf_err err;
	unsigned char *out = NULL;
	size_t n;
	int fd;

	unit_join(path, sizeof(path), dir, "badcrc.zip");
	UA_INT(write_sample(path, V_BADCRC), 0);
	UA_INT(open_zip(path, &z, &err, &fd, 1), 0);   /* CRC not read yet */
	if (fd < 0)
		return;
	UA_INT(dexf_zipr_slurp(&z, &z.ents[1], 256, &out, &n), DEXF_EINTEGRITY);
	UA(out == NULL);
	UA_HAS(err.msg, "docs/readme.txt");
	UA_HAS(err.msg, "CRC");
	dexf_zipr_close(&z);
	close(fd);
}

static void
reader_slurp_reports_damaged_deflate_as_integrity(void)
{
	char path[512];
	unsigned char *b, *out = NULL;
	size_t len, n;
	uint64_t off;
	dexf_zipr z;
	dexf_err err;
	int fd;

	b = load_copy("baddeflate.zip", path, sizeof(path), &len);
	if (b == NULL) {
		CU_FAIL("copy");
		return;
	}
	UA_INT(unit_write_file(path, b, len), 0);
	free(b);
	UA_INT(open_zip(path, &z, &err, &fd, 1), 0);
	if (fd < 0)
		return;
	/* first byte of the deflate data: BTYPE 11 is invalid (in the file,
	 * opened again: a small entry's data is read at open) */
	off = z.ents[2].data_off;
	dexf_zipr_close(&z);
	close(fd);
	UA_INT(unit_flip_byte(path, off), 0);
	UA_INT(open_zip(path, &z, &err, &fd, 1), 0);
	if (fd < 0)
		return;
	UA_INT(dexf_zipr_slurp(&z, &z.ents[2], 1 << 20, &out, &n),
	    DEXF_EINTEGRITY);
	UA_HAS(err.msg, "data/text.txt");
	free(out);
	dexf_zipr_close(&z);
	close(fd);
}

/* ------------------------------------------------------------ damage */

static void
reader_rejects_truncated_file(void)
{
	char path[512];
	size_t len;
	unsigned char *b = load_copy("trunc.zip", path, sizeof(path), &len);
	dexf_err err;

	if (b == NULL) {
		CU_FAIL("copy");
		return;
	}
	UA_INT(unit_write_file(path, b, len - 1), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "trunc.zip");
	UA_INT(unit_write_file(path, b, len / 2), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_INT(unit_write_file(path, b, 100), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "too small");
	UA_INT(unit_write_file(path, b, 0), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	free(b);
}

static void
reader_rejects_trailing_garbage_and_comment(void)
{
	char path[512];
	size_t len;
	unsigned char *b = load_copy("trail.zip", path, sizeof(path), &len);
	unsigned char *c;
	dexf_err err;

	if (b == NULL || (c = malloc(len + 5)) == NULL) {
		free(b);
		CU_FAIL("copy");
		return;
	}
	memcpy(c, b, len);
	memcpy(c + len, "junk\n", 5);
	UA_INT(unit_write_file(path, c, len + 5), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "trail.zip");
	/* an archive comment of 5 bytes */
	put_le16(c + len - 2, 5);
	UA_INT(unit_write_file(path, c, len + 5), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	free(b);
	free(c);
}

static void
reader_rejects_eocd_count_mismatch(void)
{
	char path[512];
	size_t len;
	unsigned char *b = load_copy("count.zip", path, sizeof(path), &len);
	dexf_err err;
	size_t e64;

	if (b == NULL) {
		CU_FAIL("copy");
		return;
	}
	e64 = len - 22 - 20 - 56;
	/* classic EOCD total entries 5 instead of 4 */
	put_le16(b + len - 22 + 10, 5);
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "count.zip");
	put_le16(b + len - 22 + 10, 4);
	/* FORMAT.md 2.4 rule 4: the overflow marker only stands for values
	 * that reach it, 4 entries must be written as 4 */
	put_le16(b + len - 22 + 8, 0xffff);
	put_le16(b + len - 22 + 10, 0xffff);
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	put_le16(b + len - 22 + 8, 4);
	put_le16(b + len - 22 + 10, 4);
	/* ZIP64 counts disagree with each other */
	put_le64(b + e64 + 32, 5);
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	/* both ZIP64 counts say 3: the directory has 4 headers */
	put_le64(b + e64 + 24, 3);
	put_le64(b + e64 + 32, 3);
	put_le16(b + len - 22 + 8, 3);
	put_le16(b + len - 22 + 10, 3);
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	free(b);
}

static void
reader_rejects_duplicate_names(void)
{
	char path[512];
	dexf_err err;

	unit_join(path, sizeof(path), dir, "dup.zip");
	UA_INT(write_sample(path, V_DUPLICATE), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "duplicate");
	UA_HAS(err.msg, "'docs/readme.txt'");
}

static void
reader_rejects_overlapping_entries(void)
{
	char path[512];
	size_t len;
	unsigned char *b = load_copy("overlap.zip", path, sizeof(path), &len);
	dexf_err err;
	size_t c2, lh;
	uint32_t csize;

	if (b == NULL) {
		CU_FAIL("copy");
		return;
	}
	/* data/text.txt claims one byte more (CD and local ZIP64 extra):
	 * it then runs into the local header of "empty" */
	c2 = cd_header(b, len, 2);
	csize = get_le32(b + c2 + 20);
	put_le32(b + c2 + 20, csize + 1);
	lh = get_le32(b + c2 + 42);
	put_le64(b + lh + 30 + 13 + 4 + 8, (uint64_t)csize + 1);
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "overlaps");
	UA_HAS(err.msg, "'data/text.txt'");
	/* two directory entries for one local header: the second name does
	 * not match it */
	free(b);
	b = load_copy("overlap2.zip", path, sizeof(path), &len);
	if (b == NULL)
		return;
	put_le32(b + cd_header(b, len, 3) + 42, (uint32_t)lh);
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "'empty'");
	free(b);
}

/* FORMAT.md 2.4 rule 11 and 15: gaps between entries are tolerated. */
static void
reader_rejects_gap_between_entries(void)
{
	char path[512];
	dexf_err err;
	dexf_zipr z;
	int fd;

	/* format 1.0: entries tile the file; bytes that belong to no entry
	 * make it unreadable, and the message names where */
	unit_join(path, sizeof(path), dir, "gap.zip");
	UA_INT(write_sample(path, V_GAP), 0);
	UA_INT(open_zip(path, &z, &err, &fd, 1), DEXF_EFORMAT);
	UA_HAS(err.msg, "belong to no entry");
	if (fd >= 0) {
		dexf_zipr_close(&z);
		close(fd);
	}
}

static void
reader_rejects_dotdot_name(void)
{
	char path[512];
	dexf_err err;

	unit_join(path, sizeof(path), dir, "dotdot.zip");
	UA_INT(write_sample(path, V_DOTDOT), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "'..'");
	UA_HAS(err.msg, "../evil.txt");
}

/* Patch the flags or method of the readme entry in the directory and in
 * its local header, and open the result. */
static int
open_patched_u16(const char *name, size_t field_cd, size_t field_local,
    uint16_t value, int or_in, dexf_err *err)
{
	char path[512];
	size_t len, c1, lh;
	unsigned char *b = load_copy(name, path, sizeof(path), &len);
	int rc;

	if (b == NULL)
		return -100;
	c1 = cd_header(b, len, 1);
	lh = get_le32(b + c1 + 42);
	put_le16(b + c1 + field_cd, (uint16_t)(or_in ? get_le16(b + c1 +
	    field_cd) | value : value));
	put_le16(b + lh + field_local, (uint16_t)(or_in ? get_le16(b + lh +
	    field_local) | value : value));
	rc = unit_write_file(path, b, len);
	free(b);
	if (rc != 0)
		return -101;
	return try_open(path, err);
}

static void
reader_refuses_encrypted_entry(void)
{
	dexf_err err;

	UA_INT(open_patched_u16("enc.zip", 8, 6, 0x0001, 1, &err),
	    DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "'docs/readme.txt'");
	UA_HAS(err.msg, "encrypted");
	UA_INT(open_patched_u16("enc6.zip", 8, 6, 0x0040, 1, &err),
	    DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "'docs/readme.txt'");
}

/* FORMAT.md 2.4 rule 8: bit 13 (encrypted central directory) too. */
static void
reader_refuses_bit13_encryption_like_bit0(void)
{
	dexf_err err;

	UA_INT(open_patched_u16("enc13.zip", 8, 6, 0x2000, 1, &err),
	    DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "'docs/readme.txt'");
}

static void
reader_refuses_data_descriptor_flag(void)
{
	dexf_err err;

	UA_INT(open_patched_u16("dd.zip", 8, 6, 0x0008, 1, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "'docs/readme.txt'");
	UA_HAS(err.msg, "data descriptor");
}

static void
reader_refuses_compression_method_12(void)
{
	dexf_err err;

	UA_INT(open_patched_u16("m12.zip", 10, 8, 12, 0, &err),
	    DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "'docs/readme.txt'");
	UA_HAS(err.msg, "12");
}

static void
reader_rejects_local_header_disagreeing_with_directory(void)
{
	char path[512];
	size_t len, c1, lh;
	unsigned char *b = load_copy("local.zip", path, sizeof(path), &len);
	dexf_err err;

	if (b == NULL) {
		CU_FAIL("copy");
		return;
	}
	c1 = cd_header(b, len, 1);
	lh = get_le32(b + c1 + 42);
	b[lh + 14] ^= 1;                                   /* CRC */
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "'docs/readme.txt'");
	b[lh + 14] ^= 1;
	b[lh + 30] = 'D';                                  /* name */
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "'docs/readme.txt'");
	b[lh + 30] = 'd';
	put_le64(b + lh + 30 + 15 + 4, 99);                /* usize */
	UA_INT(unit_write_file(path, b, len), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "'docs/readme.txt'");
	free(b);
}

static void
reader_requires_mimetype_first(void)
{
	char path[512];
	dexf_err err;

	unit_join(path, sizeof(path), dir, "nomime.zip");
	UA_INT(write_sample(path, V_NOMIME), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "not a dexf container");
}

/* FORMAT.md 2.4: readers MUST ignore the version fields. */
static void
reader_refuses_version_needed_above_45(void)
{
	dexf_err err;

	/* a ZIP feature newer than 4.5 is something this reader does not
	 * implement: unsupported, not corrupt */
	UA_INT(open_patched_u16("ver.zip", 6, 4, 45, 0, &err), 0);
	UA_INT(open_patched_u16("ver.zip", 6, 4, 63, 0, &err),
	    DEXF_EUNSUPPORTED);
}

static void
reader_rejects_not_a_zip(void)
{
	char path[512];
	unsigned char junk[4096];
	dexf_err err;

	unit_join(path, sizeof(path), dir, "junk.bin");
	unit_fill_random(junk, sizeof(junk), 5);
	UA_INT(unit_write_file(path, junk, sizeof(junk)), 0);
	UA_INT(try_open(path, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "junk.bin");
}

/* ------------------------------------------------------------ interop */

static void
python_zipfile_reads_written_archive(void)
{
	char cmd[2048];
	int rc;

	if (!unit_have_program("python3")) {
		/* nothing to compare with; the archive must still exist */
		UA(unit_exists(good));
		return;
	}
	snprintf(cmd, sizeof(cmd), "python3 -c '"
	    "import sys, zipfile\n"
	    "z = zipfile.ZipFile(sys.argv[1])\n"
	    "assert z.testzip() is None\n"
	    "assert z.namelist() == [\"mimetype\", \"docs/readme.txt\", "
	    "\"data/text.txt\", \"empty\"], z.namelist()\n"
	    "assert z.read(\"mimetype\") == b\"" MEDIA "\"\n"
	    "assert z.read(\"docs/readme.txt\") == b\"Hello, zip!\\n\"\n"
	    "assert len(z.read(\"data/text.txt\")) == %zu\n"
	    "assert z.getinfo(\"data/text.txt\").compress_type == 8\n"
	    "' '%s'", text_len, good);
	rc = system(cmd);
	UA_INT(rc, 0);
}

static const unit_test tests[] = {
	{ "reader_slurps_deflate_pieces_and_plain_streams",
	    reader_slurps_deflate_pieces_and_plain_streams },
	{ "written_layout_follows_format_profile",
	    written_layout_follows_format_profile },
	{ "dos_time_is_clamped_and_even", dos_time_is_clamped_and_even },
	{ "writer_refuses_misuse", writer_refuses_misuse },
	{ "writer_reports_io_errors", writer_reports_io_errors },
	{ "reader_lists_entries_with_offsets",
	    reader_lists_entries_with_offsets },
	{ "writes_of_every_size_land_in_order",
	    writes_of_every_size_land_in_order },
	{ "reader_keeps_small_entries_from_open",
	    reader_keeps_small_entries_from_open },
	{ "reader_slurps_stored_and_deflated_entries",
	    reader_slurps_stored_and_deflated_entries },
	{ "reader_pread_stays_inside_the_entry",
	    reader_pread_stays_inside_the_entry },
	{ "reader_slurp_reports_crc_mismatch_as_integrity",
	    reader_slurp_reports_crc_mismatch_as_integrity },
	{ "reader_slurp_reports_damaged_deflate_as_integrity",
	    reader_slurp_reports_damaged_deflate_as_integrity },
	{ "reader_rejects_truncated_file", reader_rejects_truncated_file },
	{ "reader_rejects_trailing_garbage_and_comment",
	    reader_rejects_trailing_garbage_and_comment },
	{ "reader_rejects_eocd_count_mismatch",
	    reader_rejects_eocd_count_mismatch },
	{ "reader_rejects_duplicate_names", reader_rejects_duplicate_names },
	{ "reader_rejects_overlapping_entries",
	    reader_rejects_overlapping_entries },
	{ "reader_rejects_gap_between_entries",
	    reader_rejects_gap_between_entries },
	{ "reader_rejects_dotdot_name", reader_rejects_dotdot_name },
	{ "reader_refuses_encrypted_entry", reader_refuses_encrypted_entry },
	{ "reader_refuses_bit13_encryption_like_bit0",
	    reader_refuses_bit13_encryption_like_bit0 },
	{ "reader_refuses_data_descriptor_flag",
	    reader_refuses_data_descriptor_flag },
	{ "reader_refuses_compression_method_12",
	    reader_refuses_compression_method_12 },
	{ "reader_rejects_local_header_disagreeing_with_directory",
	    reader_rejects_local_header_disagreeing_with_directory },
	{ "reader_requires_mimetype_first", reader_requires_mimetype_first },
	{ "reader_refuses_version_needed_above_45", reader_refuses_version_needed_above_45 },
	{ "reader_rejects_not_a_zip", reader_rejects_not_a_zip },
	{ "python_zipfile_reads_written_archive",
	    python_zipfile_reads_written_archive },
	{ NULL, NULL }
};

int
unit_register_zip(void)
{
	return unit_add_suite("zip", init, clean, tests);
}
