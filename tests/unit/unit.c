/*
 * unit.c - helpers shared by the unit test suites.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "util.h"
#include "zipr.h"
#include "zipw.h"
#include "unit.h"

void
unit_assert_int(long long got, long long want, const char *expr,
    const char *file, unsigned line)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s (got %lld, want %lld)", expr, got, want);
	CU_assertImplementation(got == want ? CU_TRUE : CU_FALSE, line, msg,
	    file, "", CU_FALSE);
}

void
unit_assert_str(const char *got, const char *want, const char *expr,
    const char *file, unsigned line)
{
	char msg[768];
	int ok = got != NULL && want != NULL && strcmp(got, want) == 0;

	snprintf(msg, sizeof(msg), "%s (got \"%.300s\", want \"%.300s\")",
	    expr, got ? got : "(null)", want ? want : "(null)");
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "",
	    CU_FALSE);
}

void
unit_assert_contains(const char *hay, const char *needle, const char *expr,
    const char *file, unsigned line)
{
	char msg[768];
	int ok = hay != NULL && needle != NULL && strstr(hay, needle) != NULL;

	snprintf(msg, sizeof(msg), "%s (got \"%.400s\")", expr,
	    hay ? hay : "(null)");
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "",
	    CU_FALSE);
}

void
unit_assert_mem(const void *got, const void *want, size_t n,
    const char *expr, const char *file, unsigned line)
{
	char msg[512];
	int ok = got != NULL && want != NULL && memcmp(got, want, n) == 0;
	size_t at = 0;

	if (!ok && got != NULL && want != NULL)
		while (at < n && ((const unsigned char *)got)[at] ==
		    ((const unsigned char *)want)[at])
			at++;
	snprintf(msg, sizeof(msg), "%s (%zu bytes; first difference at %zu)",
	    expr, n, at);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "",
	    CU_FALSE);
}

char *
unit_mkdtemp(const char *tag)
{
	char buf[256];
	char *d;

	snprintf(buf, sizeof(buf), "/tmp/dexf-unit-%s-XXXXXX", tag);
	if (mkdtemp(buf) == NULL)
		return NULL;
	d = strdup(buf);
	return d;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		return rmdir(path) == 0 ? 0 : 0;
	unlink(path);
	return 0;
}

void
unit_rmrf(const char *dir)
{
	if (dir == NULL || strncmp(dir, "/tmp/dexf-unit-", 15) != 0)
		return; /* never remove anything else */
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
unit_join(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

const char *
unit_pki(const char *name)
{
	static char bufs[8][1024];
	static int next;
	char *b = bufs[next++ & 7];

	snprintf(b, sizeof(bufs[0]), "%s/tests/pki/%s", TOP_SRCDIR, name);
	return b;
}

unsigned char *
unit_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	*len = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int
unit_write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (f == NULL)
		return -1;
	if (n > 0 && fwrite(p, 1, n, f) != n)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int
unit_exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

int
unit_count_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

int
unit_flip_byte(const char *path, uint64_t off)
{
	int fd = open(path, O_RDWR);
	unsigned char c;
	int rc = -1;

	if (fd < 0)
		return -1;
	if (pread(fd, &c, 1, (off_t)off) == 1) {
		c ^= 0xff;
		if (pwrite(fd, &c, 1, (off_t)off) == 1)
			rc = 0;
	}
	close(fd);
	return rc;
}

int
unit_copy_file(const char *from, const char *to)
{
	size_t n;
	unsigned char *b = unit_read_file(from, &n);
	int rc;

	if (b == NULL)
		return -1;
	rc = unit_write_file(to, b, n);
	free(b);
	return rc;
}

void
unit_fill_random(unsigned char *p, size_t n, uint32_t seed)
{
	uint32_t x = seed ? seed : 0x9e3779b9u;

	for (size_t i = 0; i < n; i++) {
		/* xorshift32 */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)(x >> 24);
	}
}

void
unit_sha256_hex(char out[65], const void *p, size_t n)
{
	unsigned char md[32];
	unsigned int len = 0;
	static const char digits[] = "0123456789abcdef";

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

int
unit_have_program(const char *name)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

int
unit_add_suite(const char *name, int (*init)(void), int (*clean)(void),
    const unit_test *tests)
{
	CU_pSuite s = CU_add_suite(name, init, clean);

	if (s == NULL)
		return (int)CU_get_error();
	for (const unit_test *t = tests; t->name != NULL; t++)
		if (CU_add_test(s, t->name, t->fn) == NULL)
			return (int)CU_get_error();
	return 0;
}

void
unit_expect(int cond, const char *file, unsigned line, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	CU_assertImplementation(cond ? CU_TRUE : CU_FALSE, line, what, file,
	    "", CU_FALSE);
}

/* ------------------------------------------------------------ rebuild */

unsigned char *
unit_raw_deflate(const void *p, size_t n, int level, int strategy, int flush,
    size_t *out)
{
	size_t cap = n + n / 8 + 1024;
	unsigned char *buf = malloc(cap);
	z_stream s;
	int rc;

	*out = 0;
	memset(&s, 0, sizeof(s));
	if (buf == NULL || deflateInit2(&s, level, Z_DEFLATED, -15, 8,
	    strategy) != Z_OK) {
		free(buf);
		return NULL;
	}
	s.next_in = (Bytef *)(uintptr_t)p;
	s.avail_in = (uInt)n;
	s.next_out = buf;
	s.avail_out = (uInt)cap;
	rc = deflate(&s, flush);
	if (rc != (flush == Z_FINISH ? Z_STREAM_END : Z_OK) ||
	    s.avail_in != 0) {
		deflateEnd(&s);
		free(buf);
		return NULL;
	}
	*out = cap - s.avail_out;
	deflateEnd(&s);
	return buf;
}

int
unit_entry_set(unit_entry *e, const void *plain, size_t len, int method)
{
	unsigned char *raw;
	size_t rawlen = len;

	if (method == 8) {
		raw = unit_raw_deflate(plain, len, 6, Z_DEFAULT_STRATEGY,
		    Z_FINISH, &rawlen);
		if (raw == NULL)
			return -1;
	} else {
		raw = malloc(len + 1);
		if (raw == NULL)
			return -1;
		memcpy(raw, plain, len);
	}
	free(e->raw);
	e->raw = raw;
	e->rawlen = rawlen;
	e->method = method;
	e->usize = len;
	e->crc = (uint32_t)crc32(0, plain, (uInt)len);
	return 0;
}

unsigned char *
unit_entry_plain(const unit_entry *e, size_t *len)
{
	unsigned char *out = malloc(e->usize + 1);

	*len = 0;
	if (out == NULL)
		return NULL;
	if (e->method == 8) {
		z_stream s;
		int zr;

		memset(&s, 0, sizeof(s));
		if (inflateInit2(&s, -15) != Z_OK) {
			free(out);
			return NULL;
		}
		s.next_in = e->raw;
		s.avail_in = (uInt)e->rawlen;
		s.next_out = out;
		s.avail_out = (uInt)e->usize;
		zr = inflate(&s, Z_FINISH);
		inflateEnd(&s);
		if (zr != Z_STREAM_END) {
			free(out);
			return NULL;
		}
	} else {
		memcpy(out, e->raw, e->usize);
	}
	out[e->usize] = '\0';
	*len = e->usize;
	return out;
}

static void
entry_free(unit_entry *e)
{
	free(e->name);
	free(e->raw);
	memset(e, 0, sizeof(*e));
}

static int
put_entry(dexf_zipw *z, const unit_entry *e)
{
	int rc;

	if (strcmp(e->name, "mimetype") == 0 && z->n == 0 && e->method == 0 &&
	    e->rawlen == 24) {
		char content[25];

		memcpy(content, e->raw, 24);
		content[24] = '\0';
		return dexf_zipw_mimetype(z, content, 1795387500);
	}
	if ((rc = dexf_zipw_begin(z, e->name, e->method, 0644,
	    1795387500)) != 0 ||
	    (rc = dexf_zipw_write(z, e->raw, e->rawlen)) != 0)
		return rc;
	return dexf_zipw_end(z, e->crc, e->usize);
}

int
unit_rebuild(const char *src, const char *dst, unit_edit_fn fn, void *ctx)
{
	dexf_err err;
	dexf_zipr zr;
	dexf_zipw zw;
	int in, out, rc;
	unit_entry *extra = NULL;
	size_t nextra = 0;

	memset(&err, 0, sizeof(err));
	in = open(src, O_RDONLY);
	if (in < 0)
		return -1;
	if ((rc = dexf_zipr_open(&zr, in, src, &err)) != 0) {
		close(in);
		return rc;
	}
	out = open(dst, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		dexf_zipr_close(&zr);
		close(in);
		return -1;
	}
	dexf_zipw_init(&zw, out, dst, &err);
	for (size_t i = 0; i < zr.n && rc == 0; i++) {
		const dexf_zipr_entry *ze = &zr.ents[i];
		unit_entry e;

		memset(&e, 0, sizeof(e));
		e.name = strdup(ze->name);
		e.method = ze->method;
		e.rawlen = (size_t)ze->csize;
		e.raw = malloc(e.rawlen + 1);
		e.crc = ze->crc;
		e.usize = ze->usize;
		if (e.name == NULL || e.raw == NULL ||
		    dexf_zipr_pread(&zr, ze, 0, e.raw, e.rawlen) != 0) {
			entry_free(&e);
			rc = -1;
			break;
		}
		e.raw[e.rawlen] = '\0';
		if (fn != NULL)
			fn(&e, NULL, NULL, ctx);
		if (!e.drop)
			rc = put_entry(&zw, &e);
		entry_free(&e);
	}
	if (rc == 0 && fn != NULL)
		fn(NULL, &extra, &nextra, ctx);
	for (size_t i = 0; i < nextra; i++) {
		if (rc == 0)
			rc = put_entry(&zw, &extra[i]);
		entry_free(&extra[i]);
	}
	free(extra);
	if (rc == 0)
		rc = dexf_zipw_finish(&zw);
	dexf_zipw_free(&zw);
	dexf_zipr_close(&zr);
	close(in);
	if (close(out) != 0 && rc == 0)
		rc = -1;
	return rc;
}
