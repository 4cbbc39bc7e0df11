/*
 * zipw.c - ZIP64 writer for the dexf profile.
 *
 * Why our own writer: the container needs independent precompressed chunks
 * inside one entry, the raw data offset of each entry, and append without
 * rewriting; general-purpose writers give none of these.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chunk.h"
#include "util.h"
#include "zipw.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOC64 0x07064b50u
#define MADE_BY 0x032d /* Unix, 4.5 */
#define FLAG_UTF8 0x0800

void
dexf_zipw_init(dexf_zipw *z, int fd, const char *what, dexf_err *err)
{
	memset(z, 0, sizeof(*z));
	z->fd = fd;
	z->err = err;
	z->what = what;
}

int
dexf_zipw_append_init(dexf_zipw *z, int fd, const char *what, dexf_err *err,
    uint64_t end, const unsigned char *cd, uint64_t cd_len, uint64_t n)
{
	dexf_zipw_init(z, fd, what, err);
	if ((z->prev_cd = malloc(cd_len ? cd_len : 1)) == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	memcpy(z->prev_cd, cd, cd_len);
	z->prev_cd_len = cd_len;
	z->prev_n = n;
	z->sync = 1;
	z->pos = end;
	if (lseek(fd, (off_t)end, SEEK_SET) < 0)
		return dexf_seterr_sys(err, DEXF_EIO, errno,
		    "%s: cannot seek to offset %llu", what,
		    (unsigned long long)end);
	return 0;
}

void
dexf_zipw_free(dexf_zipw *z)
{
	free(z->buf);
	z->buf = NULL;
	z->blen = 0;
	free(z->prev_cd);
	z->prev_cd = NULL;
	for (size_t i = 0; i < z->n; i++)
		free(z->ents[i].name);
	free(z->ents);
	z->ents = NULL;
	z->n = z->cap = 0;
}

static void
dos_time(time_t t, uint16_t *dtime, uint16_t *ddate)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < 80) {
		*dtime = 0;
		*ddate = (1 << 5) | 1; /* 1980-01-01 */
		return;
	}
	if (tm.tm_year > 207) {
		tm.tm_year = 207; tm.tm_mon = 11; tm.tm_mday = 31;
		tm.tm_hour = 23; tm.tm_min = 59; tm.tm_sec = 58;
	}
	*dtime = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) |
	    (tm.tm_sec / 2));
	*ddate = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) |
	    tm.tm_mday);
}

#define ZIPW_BUF (256u << 10)

int
dexf_zipw_flush(dexf_zipw *z)
{
	if (z->blen == 0)
		return 0;
	if (dexf_write_full(z->fd, z->buf, z->blen) != 0)
		return dexf_seterr_sys(z->err, DEXF_EIO, errno,
		    "%s: write failed at offset %llu", z->what,
		    (unsigned long long)(z->pos - z->blen));
	z->blen = 0;
	return 0;
}

static int
raw_write(dexf_zipw *z, const void *p, size_t n)
{
	int rc;

	if (z->buf == NULL && (z->buf = malloc(ZIPW_BUF)) == NULL)
		return dexf_seterr(z->err, DEXF_ENOMEM, "out of memory");
	/* the buffer holds the bytes just before z->pos: it goes out first
	 * when a large write bypasses it, or would overflow it */
	if ((n >= ZIPW_BUF / 2 || z->blen + n > ZIPW_BUF) &&
	    (rc = dexf_zipw_flush(z)) != 0)
		return rc;
	if (n >= ZIPW_BUF / 2) {
		/* a chunk: straight to the file, no copy */
		if (dexf_write_full(z->fd, p, n) != 0)
			return dexf_seterr_sys(z->err, DEXF_EIO, errno,
			    "%s: write failed at offset %llu", z->what,
			    (unsigned long long)z->pos);
	} else {
		memcpy(z->buf + z->blen, p, n);
		z->blen += n;
	}
	z->pos += n;
	return 0;
}

/* Overwrite n bytes at file offset off, in the buffer or in the file. */
static int
patch(dexf_zipw *z, uint64_t off, const unsigned char *p, size_t n)
{
	uint64_t bstart = z->pos - z->blen;
	size_t head;

	if (off >= bstart) {
		memcpy(z->buf + (off - bstart), p, n);
		return 0;
	}
	head = off + n <= bstart ? n : (size_t)(bstart - off);
	if (dexf_pwrite_full(z->fd, p, head, off) != 0)
		return -1;
	memcpy(z->buf, p + head, n - head);
	return 0;
}

static int
push_entry(dexf_zipw *z, const char *name)
{
	dexf_zipw_entry *e;

	if (z->open)
		return dexf_seterr(z->err, DEXF_EINVAL,
		    "%s: entry already open", z->what);
	if (z->n == z->cap) {
		size_t nc = z->cap ? z->cap * 2 : 64;
		dexf_zipw_entry *ne = realloc(z->ents, nc * sizeof(*ne));

		if (ne == NULL)
			return dexf_seterr(z->err, DEXF_ENOMEM, "out of memory");
		z->ents = ne;
		z->cap = nc;
	}
	e = &z->ents[z->n];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name);
	if (e->name == NULL)
		return dexf_seterr(z->err, DEXF_ENOMEM, "out of memory");
	e->offset = z->pos;
	z->n++;
	z->open = 1;
	return 0;
}

static void
local_header(unsigned char *h, const dexf_zipw_entry *e, size_t nlen,
    uint16_t xlen, uint32_t csize32, uint32_t usize32)
{
	put_le32(h, SIG_LOCAL);
	put_le16(h + 4, e->version_needed);
	put_le16(h + 6, e->flags);
	put_le16(h + 8, e->method);
	put_le16(h + 10, e->dostime);
	put_le16(h + 12, e->dosdate);
	put_le32(h + 14, e->crc);
	put_le32(h + 18, csize32);
	put_le32(h + 22, usize32);
	put_le16(h + 26, (uint16_t)nlen);
	put_le16(h + 28, xlen);
}

int
dexf_zipw_mimetype(dexf_zipw *z, const char *content, time_t t)
{
	unsigned char h[30];
	dexf_zipw_entry *e;
	size_t clen = strlen(content);
	int rc;

	if (z->n != 0 || z->pos != 0)
		return dexf_seterr(z->err, DEXF_EINVAL,
		    "%s: mimetype must be the first entry", z->what);
	if ((rc = push_entry(z, "mimetype")) != 0)
		return rc;
	e = &z->ents[z->n - 1];
	e->version_needed = 10;
	e->method = 0;
	e->flags = 0;
	dos_time(t, &e->dostime, &e->dosdate);
	e->crc = dexf_crc32(0, content, clen);
	e->csize = e->usize = clen;
	e->extattr = (uint32_t)(S_IFREG | 0644) << 16;
	local_header(h, e, 8, 0, (uint32_t)clen, (uint32_t)clen);
	if ((rc = raw_write(z, h, sizeof(h))) != 0 ||
	    (rc = raw_write(z, "mimetype", 8)) != 0 ||
	    (rc = raw_write(z, content, clen)) != 0)
		return rc;
	z->open = 0;
	return 0;
}

int
dexf_zipw_begin(dexf_zipw *z, const char *name, int method, unsigned mode,
    time_t mtime)
{
	unsigned char h[30 + 20];
	dexf_zipw_entry *e;
	size_t nlen = strlen(name);
	int rc;

	if (nlen == 0 || nlen > 0xffff)
		return dexf_seterr(z->err, DEXF_EINVAL,
		    "%s: entry name length %zu out of range", z->what, nlen);
	if ((rc = push_entry(z, name)) != 0)
		return rc;
	e = &z->ents[z->n - 1];
	e->version_needed = 45;
	e->method = (uint16_t)method;
	e->flags = FLAG_UTF8;
	dos_time(mtime, &e->dostime, &e->dosdate);
	e->extattr = (uint32_t)(S_IFREG | (mode & 07777)) << 16;
	/* Sizes are not known yet: they go in the ZIP64 extra, patched by
	 * dexf_zipw_end(); the 32-bit fields say "see ZIP64". */
	local_header(h, e, nlen, 20, 0xffffffffu, 0xffffffffu);
	if ((rc = raw_write(z, h, 30)) != 0 ||
	    (rc = raw_write(z, name, nlen)) != 0)
		return rc;
	put_le16(h + 30, 0x0001);
	put_le16(h + 32, 16);
	put_le64(h + 34, 0);
	put_le64(h + 42, 0);
	return raw_write(z, h + 30, 20);
}

int
dexf_zipw_write(dexf_zipw *z, const void *p, size_t n)
{
	if (!z->open)
		return dexf_seterr(z->err, DEXF_EINVAL, "%s: no open entry",
		    z->what);
	z->ents[z->n - 1].csize += n;
	return raw_write(z, p, n);
}

int
dexf_zipw_end(dexf_zipw *z, uint32_t crc, uint64_t usize)
{
	dexf_zipw_entry *e;
	unsigned char b[16];
	size_t nlen;

	if (!z->open)
		return dexf_seterr(z->err, DEXF_EINVAL, "%s: no open entry",
		    z->what);
	e = &z->ents[z->n - 1];
	e->crc = crc;
	e->usize = usize;
	nlen = strlen(e->name);
	put_le32(b, crc);
	if (patch(z, e->offset + 14, b, 4) != 0)
		goto fail;
	put_le64(b, usize);
	put_le64(b + 8, e->csize);
	if (patch(z, e->offset + 30 + nlen + 4, b, 16) != 0)
		goto fail;
	z->open = 0;
	return 0;
fail:
	return dexf_seterr_sys(z->err, DEXF_EIO, errno,
	    "%s: cannot update header of '%s'", z->what, e->name);
}

int
dexf_zipw_finish(dexf_zipw *z)
{
	uint64_t cd_start = z->pos, cd_size, eocd64, total;
	unsigned char h[46 + 28], t[56 + 20 + 22];
	int rc;

	if (z->open)
		return dexf_seterr(z->err, DEXF_EINVAL,
		    "%s: entry still open", z->what);
	/* the superseded directory's headers, byte for byte */
	if (z->prev_cd != NULL &&
	    (rc = raw_write(z, z->prev_cd, z->prev_cd_len)) != 0)
		return rc;
	for (size_t i = 0; i < z->n; i++) {
		const dexf_zipw_entry *e = &z->ents[i];
		size_t nlen = strlen(e->name);
		unsigned char x[28];
		uint16_t xlen = 0;
		uint32_t c32 = (uint32_t)e->csize, u32 = (uint32_t)e->usize;
		uint32_t o32 = (uint32_t)e->offset;

		/* ZIP64 extra carries only the fields that overflow, in
		 * APPNOTE order. */
		if (e->usize >= 0xffffffffu) {
			put_le64(x + 4 + xlen, e->usize);
			xlen += 8;
			u32 = 0xffffffffu;
		}
		if (e->csize >= 0xffffffffu) {
			put_le64(x + 4 + xlen, e->csize);
			xlen += 8;
			c32 = 0xffffffffu;
		}
		if (e->offset >= 0xffffffffu) {
			put_le64(x + 4 + xlen, e->offset);
			xlen += 8;
			o32 = 0xffffffffu;
		}
		put_le32(h, SIG_CENTRAL);
		put_le16(h + 4, MADE_BY);
		put_le16(h + 6, e->version_needed);
		put_le16(h + 8, e->flags);
		put_le16(h + 10, e->method);
		put_le16(h + 12, e->dostime);
		put_le16(h + 14, e->dosdate);
		put_le32(h + 16, e->crc);
		put_le32(h + 20, c32);
		put_le32(h + 24, u32);
		put_le16(h + 28, (uint16_t)nlen);
		put_le16(h + 30, xlen ? (uint16_t)(xlen + 4) : 0);
		put_le16(h + 32, 0);
		put_le16(h + 34, 0);
		put_le16(h + 36, 0);
		put_le32(h + 38, e->extattr);
		put_le32(h + 42, o32);
		if ((rc = raw_write(z, h, 46)) != 0 ||
		    (rc = raw_write(z, e->name, nlen)) != 0)
			return rc;
		if (xlen) {
			put_le16(x, 0x0001);
			put_le16(x + 2, xlen);
			if ((rc = raw_write(z, x, xlen + 4u)) != 0)
				return rc;
		}
	}
	cd_size = z->pos - cd_start;
	eocd64 = z->pos;
	total = z->prev_n + z->n;
	if ((rc = dexf_zipw_flush(z)) != 0)
		return rc;
	/* Everything before the trailer is on disk before the trailer is
	 * written: a crash leaves the old container plus a tail that readers
	 * recognise as an interrupted append (FORMAT.md 2.4). */
	if (z->sync && fsync(z->fd) != 0)
		return dexf_seterr_sys(z->err, DEXF_EIO, errno,
		    "%s: fsync failed", z->what);
	/* ZIP64 end of central directory record */
	put_le32(t, SIG_EOCD64);
	put_le64(t + 4, 44);
	put_le16(t + 12, MADE_BY);
	put_le16(t + 14, 45);
	put_le32(t + 16, 0);
	put_le32(t + 20, 0);
	put_le64(t + 24, total);
	put_le64(t + 32, total);
	put_le64(t + 40, cd_size);
	put_le64(t + 48, cd_start);
	/* locator */
	put_le32(t + 56, SIG_LOC64);
	put_le32(t + 60, 0);
	put_le64(t + 64, eocd64);
	put_le32(t + 72, 1);
	/* classic end of central directory */
	put_le32(t + 76, SIG_EOCD);
	put_le16(t + 80, 0);
	put_le16(t + 82, 0);
	put_le16(t + 84, total >= 0xffff ? 0xffff : (uint16_t)total);
	put_le16(t + 86, total >= 0xffff ? 0xffff : (uint16_t)total);
	put_le32(t + 88, cd_size >= 0xffffffffu ? 0xffffffffu :
	    (uint32_t)cd_size);
	put_le32(t + 92, cd_start >= 0xffffffffu ? 0xffffffffu :
	    (uint32_t)cd_start);
	put_le16(t + 96, 0);
	if ((rc = raw_write(z, t, sizeof(t))) != 0 ||
	    (rc = dexf_zipw_flush(z)) != 0)
		return rc;
	if (z->sync && fsync(z->fd) != 0)
		return dexf_seterr_sys(z->err, DEXF_EIO, errno,
		    "%s: fsync failed", z->what);
	return 0;
}
