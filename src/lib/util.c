/*
 * util.c - small helpers shared by the library modules.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "util.h"

void
dexf_hex(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

/* Digit values, 0x10 for anything that is not a hex digit. */
static const unsigned char hexval[256] = {
#define X16 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, \
	0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10
	X16, X16, X16,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	0x10, 10, 11, 12, 13, 14, 15, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	0x10, 0x10, 0x10, X16,
	0x10, 10, 11, 12, 13, 14, 15, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	0x10, 0x10, 0x10, X16,
	X16, X16, X16, X16, X16, X16, X16, X16
#undef X16
};

int
dexf_unhex(unsigned char *out, size_t len, const char *hex)
{
	const unsigned char *h = (const unsigned char *)hex;
	unsigned bad = 0;
	size_t i;

	if (hex == NULL || strnlen(hex, 2 * len + 1) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned hi = hexval[h[2 * i]], lo = hexval[h[2 * i + 1]];

		bad |= hi | lo;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return bad & 0x10 ? -1 : 0;
}

void
dexf_fmt_time(char *out, size_t outlen, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, outlen, "1970-01-01T00:00:00Z");
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * Exactly what dexf_fmt_time() writes for some instant: the layout, a
 * year from 1000 (fewer digits would print shorter), a real day of its
 * month, hours to 23 and seconds to 59 (no leap second).  Parsed by hand:
 * strptime() and a print back to compare were half of this function's
 * callers' time in a manifest of 20,000 items.
 */
int
dexf_parse_time(time_t *out, const char *s)
{
	static const char layout[] = "dddd-dd-ddTdd:dd:ddZ";
	static const unsigned char mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int v[6] = { 0 }, f = 0, year, mon, day;
	int64_t secs;

	if (s == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(layout) - 1; i++) {
		if (layout[i] != 'd') {
			if (s[i] != layout[i])
				return -1;
			f++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;      /* also the end of a shorter s */
		v[f] = v[f] * 10 + (s[i] - '0');
	}
	if (s[sizeof(layout) - 1] != '\0')
		return -1;
	year = v[0];
	mon = v[1];
	day = v[2];
	if (year < 1000 || mon < 1 || mon > 12 || day < 1 ||
	    day > mdays[mon - 1] || (mon == 2 && day == 29 &&
	    (year % 4 != 0 || (year % 100 == 0 && year % 400 != 0))) ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59)
		return -1;
	secs = days_from_civil(year, mon, day) * 86400 + v[3] * 3600 +
	    v[4] * 60 + v[5];
	if ((int64_t)(time_t)secs != secs)
		return -1;      /* beyond a 32-bit time_t, as timegm() was */
	*out = (time_t)secs;
	return 0;
}

int
dexf_parse_u64(uint64_t *out, const char *s)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 20)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

char *
dexf_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

void
dexf_free_secret(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

int
dexf_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO; /* unexpected end of file */
			return -2;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int
dexf_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int
dexf_write_full(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t
dexf_read_full(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int
dexf_uuid_urn(char *out, size_t outlen)
{
	unsigned char u[16];
	char h[33];

	if (outlen < 46 || RAND_bytes(u, sizeof(u)) != 1)
		return -1;
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	dexf_hex(h, u, 16);
	snprintf(out, outlen, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s",
	    h, h + 8, h + 12, h + 16, h + 20);
	return 0;
}

void
dexf_once_run(dexf_once *o, void (*fn)(int), int arg)
{
	if (atomic_load_explicit(&o->done, memory_order_acquire))
		return;
	pthread_mutex_lock(&o->mu);
	if (!atomic_load_explicit(&o->done, memory_order_relaxed)) {
		fn(arg);
		atomic_store_explicit(&o->done, 1, memory_order_release);
	}
	pthread_mutex_unlock(&o->mu);
}

int
dexf_outfile_open(dexf_outfile *o, const char *path, int force,
    dexf_err *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t len = strlen(path) + 32;
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->force = force;
	if (*base == '\0')
		return dexf_seterr(err, DEXF_EINVAL, "%s: not a file name", path);
	if (!force && lstat(path, &st) == 0)
		return dexf_seterr(err, DEXF_EEXISTS,
		    "%s: already exists (use --force to replace it)", path);
	if ((o->path = strdup(path)) == NULL ||
	    (o->tmp = malloc(len)) == NULL) {
		dexf_outfile_close(o);
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	}
	snprintf(o->tmp, len, "%.*s%s.%s.XXXXXX.part",
	    slash ? (int)(slash - path) : 0, path, slash ? "/" : "", base);
	if ((o->fd = mkostemps(o->tmp, 5, O_CLOEXEC)) < 0) {
		int e = errno;

		free(o->tmp);
		o->tmp = NULL;
		dexf_outfile_close(o);
		return dexf_seterr_sys(err, DEXF_EIO, e,
		    "%s: cannot create a temporary file beside it", path);
	}
	fchmod(o->fd, 0644);
	return 0;
}

int
dexf_outfile_install(dexf_outfile *o, dexf_err *err)
{
	int rc = fsync(o->fd), e = errno, dfd;
	char *copy;

	if (close(o->fd) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	o->fd = -1;
	if (rc != 0)
		return dexf_seterr_sys(err, DEXF_EIO, e, "%s: cannot write",
		    o->tmp);
	/* without force, link() refuses a file that appeared meanwhile:
	 * never replace what the caller did not ask to replace */
	if (o->force ? rename(o->tmp, o->path) != 0 :
	    link(o->tmp, o->path) != 0)
		return dexf_seterr_sys(err, errno == EEXIST ? DEXF_EEXISTS :
		    DEXF_EIO, errno, "%s: cannot create", o->path);
	if (!o->force)
		unlink(o->tmp);
	o->installed = 1;
	/* the new name itself, durable */
	if ((copy = strdup(o->path)) != NULL) {
		if ((dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(copy);
	}
	return 0;
}

void
dexf_outfile_close(dexf_outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp != NULL && !o->installed)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	o->fd = -1;
}
