/*
 * zipr.c - strict reader for the dexf ZIP64 profile.
 *
 * The container is hostile input: every length read from it is checked
 * against the bytes that are actually there before it is used.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "chunk.h"
#include "deflate_scan.h"
#include "format.h"
#include "path.h"
#include "util.h"
#include "zipr.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOC64 0x07064b50u

static int
rd(dexf_zipr *z, void *buf, size_t len, uint64_t off, const char *what)
{
	int rc = dexf_pread_full(z->fd, buf, len, off);

	if (rc == -2)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: truncated: %s at offset %llu lies past the end of the "
		    "file", z->what, what, (unsigned long long)off);
	if (rc != 0)
		return dexf_seterr_sys(z->err, DEXF_EIO, errno,
		    "%s: cannot read %s at offset %llu", z->what, what,
		    (unsigned long long)off);
	return 0;
}

/* Parse a ZIP64 extra field in [x, x+xlen); fill the values whose 32-bit
 * field was 0xffffffff, in APPNOTE order. */
static int
parse_zip64(const unsigned char *x, size_t xlen, int need_u, int need_c,
    int need_o, uint64_t *u, uint64_t *c, uint64_t *o, int *seen)
{
	size_t p = 0;

	*seen = 0;
	while (p < xlen) {
		uint16_t id, len;

		if (xlen - p < 4)
			return -1;
		id = get_le16(x + p);
		len = get_le16(x + p + 2);
		p += 4;
		if (len > xlen - p)
			return -1;
		if (id == 0x0001) {
			size_t q = 0, need = 8u * (size_t)(need_u + need_c + need_o);

			if (*seen)
				return -1; /* twice */
			*seen = 1;
			/* A local header carries both sizes (16 bytes)
			 * even when only some overflow. */
			if (len < need)
				return -1;
			if (need_u) { *u = get_le64(x + p + q); q += 8; }
			if (need_c) { *c = get_le64(x + p + q); q += 8; }
			if (need_o) { *o = get_le64(x + p + q); q += 8; }
		}
		p += len;
	}
	return 0;
}

static int
cmp_name(const void *a, const void *b, void *ctx)
{
	const dexf_zipr *z = ctx;

	return strcmp(z->ents[*(const size_t *)a].name,
	    z->ents[*(const size_t *)b].name);
}

static int
cmp_off(const void *a, const void *b, void *ctx)
{
	const dexf_zipr *z = ctx;
	uint64_t x = z->ents[*(const size_t *)a].offset;
	uint64_t y = z->ents[*(const size_t *)b].offset;

	return x < y ? -1 : x > y;
}

/* A hostile name, printable: non-ASCII and controls as \xHH, cut short. */
static void
printable(char *out, size_t outlen, const char *in)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)in;
	    *p && o + 5 < outlen; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\')
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", *p);
	}
	out[o] = '\0';
}

static int
check_name(dexf_zipr *z, const char *name, size_t i)
{
	const char *why;
	char shown[128];

	if (strcmp(name, DEXF_ENTRY_MIMETYPE) == 0)
		return 0;
	/* an evidence entry is the prefix plus a stored path, which may
	 * itself be 4096 bytes long */
	why = dexf_path_check(strncmp(name, DEXF_EVIDENCE_PREFIX,
	    strlen(DEXF_EVIDENCE_PREFIX)) == 0 ?
	    name + strlen(DEXF_EVIDENCE_PREFIX) : name);
	if (why != NULL) {
		printable(shown, sizeof(shown), name);
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: central directory entry %zu '%s': name %s", z->what, i,
		    shown, why);
	}
	return 0;
}

static int
parse_cd(dexf_zipr *z, const unsigned char *cd, uint64_t cd_size, uint64_t n)
{
	uint64_t p = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		dexf_zipr_entry *e = &z->ents[i];
		uint16_t nlen, xlen, clen;
		uint32_t c32, u32, o32;
		int seen;

		e->cd_off = p;
		if (cd_size - p < 46 || get_le32(cd + p) != SIG_CENTRAL)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: central directory entry %zu is damaged",
			    z->what, i);
		e->flags = get_le16(cd + p + 8);
		e->method = get_le16(cd + p + 10);
		e->crc = get_le32(cd + p + 16);
		c32 = get_le32(cd + p + 20);
		u32 = get_le32(cd + p + 24);
		nlen = get_le16(cd + p + 28);
		xlen = get_le16(cd + p + 30);
		clen = get_le16(cd + p + 32);
		e->extattr = get_le32(cd + p + 38);
		o32 = get_le32(cd + p + 42);
		if (get_le16(cd + p + 6) > 45)
			return dexf_seterr(z->err, DEXF_EUNSUPPORTED,
			    "%s: central directory entry %zu needs ZIP version "
			    "%u", z->what, i, get_le16(cd + p + 6));
		if (get_le16(cd + p + 32) != 0)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: central directory entry %zu has a comment "
			    "(not in the dexf profile)", z->what, i);
		if (get_le16(cd + p + 34) != 0)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: central directory entry %zu is on another "
			    "disk", z->what, i);
		if (nlen == 0 || nlen > DEXF_MAX_NAME ||
		    46 + (uint64_t)nlen + xlen + clen > cd_size - p)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: central directory entry %zu: bad name or field "
			    "lengths", z->what, i);
		e->name = malloc((size_t)nlen + 1);
		if (e->name == NULL)
			return dexf_seterr(z->err, DEXF_ENOMEM, "out of memory");
		memcpy(e->name, cd + p + 46, nlen);
		e->name[nlen] = '\0';
		if (strlen(e->name) != nlen)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: central directory entry %zu: name contains "
			    "NUL", z->what, i);
		if ((rc = check_name(z, e->name, i)) != 0)
			return rc;
		e->usize = u32;
		e->csize = c32;
		e->offset = o32;
		if (parse_zip64(cd + p + 46 + nlen, xlen, u32 == 0xffffffffu,
		    c32 == 0xffffffffu, o32 == 0xffffffffu, &e->usize,
		    &e->csize, &e->offset, &seen) != 0 ||
		    (!seen && (u32 == 0xffffffffu || c32 == 0xffffffffu ||
		    o32 == 0xffffffffu)))
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: entry '%s': malformed extra field", z->what,
			    e->name);
		if (e->flags & 0x2041) /* encryption, strong, CD encryption */
			return dexf_seterr(z->err, DEXF_EUNSUPPORTED,
			    "%s: entry '%s' is encrypted", z->what, e->name);
		if (e->flags & ~0x0806u)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: entry '%s': general purpose flags 0x%04x not "
			    "allowed (data descriptors are not used)", z->what,
			    e->name, e->flags);
		if (e->method != 0 && e->method != 8)
			return dexf_seterr(z->err, DEXF_EUNSUPPORTED,
			    "%s: entry '%s': compression method %u is not "
			    "supported", z->what, e->name, e->method);
		if (e->method == 0 && e->csize != e->usize)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: entry '%s': stored entry with different sizes",
			    z->what, e->name);
		p += 46 + (uint64_t)nlen + xlen + clen;
	}
	if (p != cd_size)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: central directory has %llu unexplained bytes",
		    z->what, (unsigned long long)(cd_size - p));
	return 0;
}

/*
 * The local headers are read through a window of the file: at a header
 * outside it, 64 KiB are read when the entry is small, since the next
 * headers then follow within them (40,000 entries of small files: 40,000
 * reads before).  The header of a large entry is read alone, as is one
 * where the window cannot be filled, which reports what is wrong.
 */
#define LH_WINDOW (64u << 10)

struct lh_window {
	unsigned char *buf;     /* NULL: read each header alone */
	uint64_t off;
	size_t len;
};

/* The window's bytes for [off, off + len), or NULL if it lacks them. */
static const unsigned char *
in_window(const struct lh_window *w, uint64_t off, size_t len)
{
	if (w->buf == NULL || off < w->off || off - w->off > w->len ||
	    len > w->len - (size_t)(off - w->off))
		return NULL;
	return w->buf + (off - w->off);
}

static int
rd_window(dexf_zipr *z, struct lh_window *w, int fill, void *dst,
    size_t len, uint64_t off, const char *what)
{
	const unsigned char *have = in_window(w, off, len);

	if (have != NULL) {
		memcpy(dst, have, len);
		return 0;
	}
	/* the local headers all lie before the central directory */
	if (fill && w->buf != NULL && off < z->cd_start) {
		size_t n = z->cd_start - off < LH_WINDOW ?
		    (size_t)(z->cd_start - off) : LH_WINDOW;

		w->len = 0;
		if (len <= n && dexf_pread_full(z->fd, w->buf, n, off) == 0) {
			w->off = off;
			w->len = n;
			memcpy(dst, w->buf, len);
			return 0;
		}
	}
	return rd(z, dst, len, off, what);
}

/*
 * A small entry's data lies in the window just read for its header: kept,
 * a verify of 20,000 small files reads each chunk index from memory, not
 * with a pread of its own (20,000 system calls on the thread that is the
 * verify's critical path).
 */
static void
keep_small(dexf_zipr *z, const struct lh_window *w, dexf_zipr_entry *e)
{
	size_t n = (size_t)e->csize;
	const unsigned char *data;

	if (n == 0 || n > DEXF_ZIPR_KEEP ||
	    z->kept_used + n > DEXF_ZIPR_KEEP_ALL ||
	    (data = in_window(w, e->data_off, n)) == NULL)
		return;
	if (z->kept_used + n > z->kept_cap) {
		size_t cap = z->kept_cap ? z->kept_cap * 2 : 64u << 10;
		unsigned char *nk;

		while (cap < z->kept_used + n)
			cap *= 2;
		if (cap > DEXF_ZIPR_KEEP_ALL)
			cap = DEXF_ZIPR_KEEP_ALL;
		if ((nk = realloc(z->kept, cap)) == NULL)
			return;         /* read from the file instead */
		z->kept = nk;
		z->kept_cap = cap;
	}
	memcpy(z->kept + z->kept_used, data, n);
	e->kept_at = (uint32_t)z->kept_used;
	e->kept_len = (uint32_t)n;
	z->kept_used += n;
}

static int
check_local(dexf_zipr *z, struct lh_window *w, dexf_zipr_entry *e)
{
	/* one read gets the fixed part, the name and the usual extra */
	unsigned char h[30 + 482], *x = NULL;
	uint16_t nlen, xlen;
	uint32_t c32, u32;
	uint64_t u = 0, c = 0, o = 0, end;
	char *name = NULL, *heap = NULL;
	size_t got;
	int rc = 0, seen;
	/* a small entry: the next headers lie within a window read here */
	int fill = e->csize < LH_WINDOW / 2;

	if (e->offset > z->cd_start || z->cd_start - e->offset < 30)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': local header offset %llu out of range",
		    z->what, e->name, (unsigned long long)e->offset);
	got = z->cd_start - e->offset < sizeof(h) ?
	    (size_t)(z->cd_start - e->offset) : sizeof(h);
	if ((rc = rd_window(z, w, fill, h, got, e->offset,
	    "local header")) != 0)
		return rc;
	nlen = get_le16(h + 26);
	xlen = get_le16(h + 28);
	c32 = get_le32(h + 18);
	u32 = get_le32(h + 22);
	if (get_le32(h) != SIG_LOCAL || nlen != strlen(e->name) ||
	    get_le16(h + 8) != e->method || get_le16(h + 6) != e->flags ||
	    get_le32(h + 14) != e->crc)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': local header at offset %llu does not match "
		    "the central directory", z->what, e->name,
		    (unsigned long long)e->offset);
	if (30 + (uint64_t)nlen + xlen > z->cd_start - e->offset)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': local header runs into the central "
		    "directory", z->what, e->name);
	if (30 + (size_t)nlen + xlen <= got) {
		name = (char *)h + 30;
	} else {
		if ((name = heap = malloc((size_t)nlen + xlen + 1)) == NULL)
			return dexf_seterr(z->err, DEXF_ENOMEM,
			    "out of memory");
		if ((rc = rd_window(z, w, fill, name, (size_t)nlen + xlen,
		    e->offset + 30, "local header")) != 0)
			goto out;
	}
	if (memcmp(name, e->name, nlen) != 0) {
		rc = dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': local header names a different file",
		    z->what, e->name);
		goto out;
	}
	x = (unsigned char *)name + nlen;
	if (parse_zip64(x, xlen, u32 == 0xffffffffu, c32 == 0xffffffffu, 0,
	    &u, &c, &o, &seen) != 0 ||
	    (!seen && (u32 == 0xffffffffu || c32 == 0xffffffffu)) ||
	    (u32 == 0xffffffffu ? u : u32) != e->usize ||
	    (c32 == 0xffffffffu ? c : c32) != e->csize) {
		rc = dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': sizes in local header do not match the "
		    "central directory", z->what, e->name);
		goto out;
	}
	e->data_off = e->offset + 30 + nlen + xlen;
	if (add_u64(&end, e->data_off, e->csize) != 0 || end > z->cd_start)
		rc = dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': data (%llu bytes at offset %llu) runs past "
		    "the central directory", z->what, e->name,
		    (unsigned long long)e->csize,
		    (unsigned long long)e->data_off);
	else
		keep_small(z, w, e);
out:
	free(heap);
	return rc;
}

/* Check the 98-byte trailer `t` that ends at `end`; fill the entry count,
 * CD size and CD offset it describes. */
static int
check_trailer(dexf_zipr *z, const unsigned char *t, uint64_t end,
    uint64_t *n_out, uint64_t *cd_size_out, uint64_t *cd_start_out)
{
	uint64_t n, cd_size, cd_start, e64 = end - 98;

	if (get_le32(t + 76) != SIG_EOCD || get_le16(t + 96) != 0)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: no end of central directory record at the end of the "
		    "file (truncated, or data appended)", z->what);
	if (get_le32(t + 56) != SIG_LOC64 || get_le32(t + 60) != 0 ||
	    get_le32(t + 72) != 1)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: not a dexf container: no ZIP64 end of central "
		    "directory locator (every dexf container has one)", z->what);
	if (get_le64(t + 64) != e64 || get_le32(t) != SIG_EOCD64 ||
	    get_le64(t + 4) != 44 || get_le32(t + 16) != 0 ||
	    get_le32(t + 20) != 0)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: ZIP64 end of central directory record missing or "
		    "damaged", z->what);
	if (get_le16(t + 80) != 0 || get_le16(t + 82) != 0)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: multi-disk archives are not supported", z->what);
	n = get_le64(t + 24);
	cd_size = get_le64(t + 40);
	cd_start = get_le64(t + 48);
	if (get_le64(t + 32) != n || n == 0 || n > DEXF_MAX_ENTRIES)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: implausible entry count %llu", z->what,
		    (unsigned long long)n);
	if (cd_size > DEXF_MAX_CD_SIZE || cd_start > e64 ||
	    e64 - cd_start != cd_size || cd_size < 46 * n)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: central directory size %llu at offset %llu does not "
		    "fit the file", z->what, (unsigned long long)cd_size,
		    (unsigned long long)cd_start);
	/* The classic record holds the real values, or the overflow marker
	 * exactly when the value does not fit. */
	if (get_le16(t + 84) != (n >= 0xffff ? 0xffff : n) ||
	    get_le16(t + 86) != (n >= 0xffff ? 0xffff : n) ||
	    get_le32(t + 88) != (cd_size >= 0xffffffffu ? 0xffffffffu :
	    cd_size) ||
	    get_le32(t + 92) != (cd_start >= 0xffffffffu ? 0xffffffffu :
	    cd_start))
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: end of central directory records disagree", z->what);
	*n_out = n;
	*cd_size_out = cd_size;
	*cd_start_out = cd_start;
	return 0;
}

static int
parse_tail(dexf_zipr *z, uint64_t *n_out, uint64_t *cd_size_out)
{
	unsigned char t[98];
	uint64_t fs = z->file_size;
	int rc;

	/* the smallest possible container: a mimetype entry, its central
	 * directory header and the end records */
	if (fs < 214)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: too small to be a dexf container (%llu bytes)",
		    z->what, (unsigned long long)fs);
	if ((rc = rd(z, t, sizeof(t), fs - sizeof(t), "end records")) != 0)
		return rc;
	if ((rc = check_trailer(z, t, fs, n_out, cd_size_out,
	    &z->cd_start)) == 0)
		z->trailer_ok = 1;
	return rc;
}

/*
 * The bytes between the end of an entry and the next local header (or the
 * final CD) must be a superseded directory: the first `m` headers of the
 * final CD, which describe exactly the `m` entries before it, then a
 * trailer describing them (FORMAT.md 2.4).
 */
static int
check_superseded(dexf_zipr *z, uint64_t start, uint64_t len, uint64_t m,
    uint64_t max_cd_index)
{
	unsigned char t[98], buf[65536];
	uint64_t plen = m < z->n ? z->ents[m].cd_off : z->cd_size;
	uint64_t n, cd_size, cd_start;
	int rc;

	if (max_cd_index + 1 != m || len < 98 || len - 98 != plen)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: %llu bytes at offset %llu belong to no entry and are "
		    "not a superseded central directory", z->what,
		    (unsigned long long)len, (unsigned long long)start);
	for (uint64_t o = 0; o < plen; ) {
		size_t k = plen - o > sizeof(buf) ? sizeof(buf) :
		    (size_t)(plen - o);

		if ((rc = rd(z, buf, k, start + o, "superseded directory")) != 0)
			return rc;
		if (memcmp(buf, z->cd + o, k) != 0)
			return dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: superseded central directory at offset %llu "
			    "differs from the current one", z->what,
			    (unsigned long long)start);
		o += k;
	}
	if ((rc = rd(z, t, 98, start + plen, "superseded end records")) != 0)
		return rc;
	if ((rc = check_trailer(z, t, start + len, &n, &cd_size,
	    &cd_start)) != 0 || n != m || cd_size != plen || cd_start != start)
		return rc != 0 ? rc : dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: end records of the superseded central directory at "
		    "offset %llu do not describe it", z->what,
		    (unsigned long long)start);
	return 0;
}

static int
open_at(dexf_zipr *z, uint64_t fs)
{
	unsigned char *cd = NULL;
	uint64_t n = 0, cd_size = 0;
	size_t *byoff = NULL;
	struct lh_window lh = { NULL, 0, 0 };
	int rc, later = 0;

	z->file_size = fs;
	if ((rc = parse_tail(z, &n, &cd_size)) != 0)
		return rc;
	cd = malloc(cd_size ? cd_size : 1);
	z->ents = calloc(n, sizeof(*z->ents));
	z->by_name = malloc(n * sizeof(size_t));
	byoff = malloc(n * sizeof(size_t));
	if (cd == NULL || z->ents == NULL || z->by_name == NULL ||
	    byoff == NULL) {
		free(cd);
		rc = dexf_seterr(z->err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	z->cd = cd;
	z->cd_size = cd_size;
	z->n = n;
	z->generations = 1;
	if ((rc = rd(z, cd, cd_size, z->cd_start, "central directory")) != 0 ||
	    (rc = parse_cd(z, cd, cd_size, n)) != 0)
		goto out;
	/* without memory for the window each header is read alone */
	lh.buf = n > 1 ? malloc(LH_WINDOW) : NULL;
	for (size_t i = 0; i < n; i++) {
		z->by_name[i] = byoff[i] = i;
		if ((rc = check_local(z, &lh, &z->ents[i])) != 0)
			goto out;
	}
	free(lh.buf);
	lh.buf = NULL;
	qsort_r(z->by_name, n, sizeof(size_t), cmp_name, z);
	qsort_r(byoff, n, sizeof(size_t), cmp_off, z);
	for (size_t i = 1; i < n; i++)
		if (strcmp(z->ents[z->by_name[i - 1]].name,
		    z->ents[z->by_name[i]].name) == 0) {
			rc = dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: duplicate entry '%s'", z->what,
			    z->ents[z->by_name[i]].name);
			goto out;
		}
	/* Entries and superseded directories tile the file from offset 0 to
	 * the central directory: no overlaps (one byte read as two things)
	 * and no gaps (bytes no digest covers). */
	{
		const dexf_zipr_entry *f = &z->ents[byoff[0]];

		if (f->offset != 0 || strcmp(f->name, DEXF_ENTRY_MIMETYPE) != 0) {
			rc = dexf_seterr(z->err, DEXF_EFORMAT,
			    "%s: first entry is not 'mimetype' at offset 0 "
			    "(not a dexf container)", z->what);
			goto out;
		}
	}
	{
		uint64_t max_idx = 0;

		for (size_t i = 0; i < n; i++) {
			const dexf_zipr_entry *e = &z->ents[byoff[i]];
			uint64_t next = i + 1 < n ? z->ents[byoff[i + 1]].offset :
			    z->cd_start;
			uint64_t end_e = e->data_off + e->csize;

			if (byoff[i] > max_idx)
				max_idx = byoff[i];
			if (later && strncmp(e->name, DEXF_RECORDS_PREFIX,
			    strlen(DEXF_RECORDS_PREFIX)) != 0 &&
			    strncmp(e->name, DEXF_ATTACH_PREFIX,
			    strlen(DEXF_ATTACH_PREFIX)) != 0) {
				rc = dexf_seterr(z->err, DEXF_EFORMAT,
				    "%s: entry '%s' was appended after the "
				    "container was sealed (only records and "
				    "attachments may be)", z->what, e->name);
				goto out;
			}
			if (end_e > next) {
				rc = dexf_seterr(z->err, DEXF_EFORMAT,
				    "%s: entry '%s' overlaps the next entry",
				    z->what, e->name);
				goto out;
			}
			if (end_e < next) {
				if ((rc = check_superseded(z, end_e,
				    next - end_e, i + 1, max_idx)) != 0)
					goto out;
				z->generations++;
				later = 1;
			}
		}
	}
out:
	free(lh.buf);
	free(byoff);
	if (rc != 0)
		dexf_zipr_close(z);
	return rc;
}

/*
 * The file does not end in a valid trailer: find the end of the last
 * complete container in it.  Only the start of an interrupted append (a
 * local header, possibly cut short) may follow it; anything else there
 * makes the file unreadable, and an earlier generation is never taken
 * instead (that would drop records).
 */
static int
recover(dexf_zipr *z, uint64_t fs, dexf_err *first)
{
	static const unsigned char lsig[4] = { 0x50, 0x4b, 0x03, 0x04 };
	unsigned char buf[65536 + 3];
	uint64_t hi = fs;
	unsigned tries = 0;

	while (hi > 0 && tries < 64) {
		uint64_t lo = hi > 65536 ? hi - 65536 : 0;
		size_t len = (size_t)(hi - lo) + (hi + 3 <= fs ? 3 :
		    (size_t)(fs - hi));

		if (dexf_pread_full(z->fd, buf, len, lo) != 0)
			break;
		for (size_t k = (size_t)(hi - lo); k-- > 0; ) {
			uint64_t end = lo + k + 22;
			unsigned char l[4];
			size_t ll;
			dexf_err e2;

			if (buf[k] != 0x50 || k + 4 > len || buf[k + 1] != 0x4b ||
			    buf[k + 2] != 0x05 || buf[k + 3] != 0x06 ||
			    end >= fs || end < 214)
				continue;
			tries++;
			memset(&e2, 0, sizeof(e2));
			z->err = &e2;
			if (open_at(z, end) != 0) {
				z->err = first;
				if (tries >= 64)
					return -1;
				continue;
			}
			z->err = first;
			/* the last complete container: what follows must
			 * begin like a local header */
			ll = fs - end < 4 ? (size_t)(fs - end) : 4;
			if (dexf_pread_full(z->fd, l, ll, end) != 0 ||
			    memcmp(l, lsig, ll) != 0) {
				dexf_zipr_close(z);
				dexf_seterr(first, DEXF_EFORMAT, "%s: no end of "
				    "central directory record at the end of the "
				    "file: %llu bytes after the end of the "
				    "container (offset %llu) are not an "
				    "interrupted append", z->what,
				    (unsigned long long)(fs - end),
				    (unsigned long long)end);
				return -1;
			}
			z->tail = fs - end;
			return 0;
		}
		hi = lo;
	}
	return -1;
}

int
dexf_zipr_open(dexf_zipr *z, int fd, const char *what, dexf_err *err)
{
	off_t end;
	int rc;

	memset(z, 0, sizeof(*z));
	z->fd = fd;
	z->err = err;
	z->what = what;
	end = lseek(fd, 0, SEEK_END);
	if (end < 0)
		return dexf_seterr_sys(err, DEXF_EIO, errno,
		    "%s: cannot determine size", what);
	rc = open_at(z, (uint64_t)end);
	/* Only a file whose last bytes are not a trailer can hold an
	 * interrupted append; any other damage is reported as it is. */
	if (rc == DEXF_EFORMAT && !z->trailer_ok &&
	    recover(z, (uint64_t)end, err) == 0)
		return 0;
	return rc;
}

void
dexf_zipr_close(dexf_zipr *z)
{
	if (z->ents != NULL)
		for (size_t i = 0; i < z->n; i++)
			free(z->ents[i].name);
	free(z->ents);
	free(z->by_name);
	free(z->cd);
	free(z->kept);
	z->ents = NULL;
	z->by_name = NULL;
	z->cd = NULL;
	z->kept = NULL;
	z->kept_used = z->kept_cap = 0;
	z->n = 0;
}

const dexf_zipr_entry *
dexf_zipr_find(const dexf_zipr *z, const char *name)
{
	size_t lo = 0, hi = z->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, z->ents[z->by_name[mid]].name);

		if (c == 0)
			return &z->ents[z->by_name[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
dexf_zipr_pread(const dexf_zipr *z, const dexf_zipr_entry *e, uint64_t off,
    void *buf, size_t len)
{
	int rc;

	if (off > e->csize || len > e->csize - off)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': read of %zu bytes at %llu is outside the "
		    "entry", z->what, e->name, len, (unsigned long long)off);
	if (e->kept_len != 0) {
		memcpy(buf, z->kept + e->kept_at + off, len);
		return 0;
	}
	rc = dexf_pread_full(z->fd, buf, len, e->data_off + off);
	if (rc == -2)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s': truncated", z->what, e->name);
	if (rc != 0)
		return dexf_seterr_sys(z->err, DEXF_EIO, errno,
		    "%s: entry '%s': read failed", z->what, e->name);
	return 0;
}

/* A deflated entry into plain (usize bytes), as zlib inflates it. */
static int
inflate_entry(const dexf_zipr *z, const dexf_zipr_entry *e,
    const unsigned char *raw, unsigned char *plain)
{
	z_stream s;
	int zr;

	/* Full-flush pieces and the stream trailer, as our writers deflate
	 * the manifest: the chunk decoder takes them at twice zlib's speed
	 * (13.5 MB: 15 ms, not 30, before a verify can start) and accepts
	 * only what zlib accepts, with its output.  Anything else is
	 * zlib's to decide. */
	if (e->csize >= 2 && memcmp(raw + e->csize - 2, dexf_deflate_trailer,
	    2) == 0 && dexf_deflate_decode(raw, (size_t)e->csize - 2,
	    plain, (size_t)e->usize) == 0)
		return 0;
	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, -15) != Z_OK)
		return dexf_seterr(z->err, DEXF_ENOMEM, "out of memory");
	s.next_in = (unsigned char *)(uintptr_t)raw;
	s.avail_in = (uInt)e->csize;
	s.next_out = plain;
	s.avail_out = (uInt)e->usize + 1; /* +1 catches overlong */
	zr = inflate(&s, Z_FINISH);
	inflateEnd(&s);
	if (zr != Z_STREAM_END || s.total_out != e->usize || s.avail_in != 0)
		return dexf_seterr(z->err, DEXF_EINTEGRITY, "%s: entry '%s': "
		    "compressed data is damaged (does not inflate to its "
		    "recorded size)", z->what, e->name);
	return 0;
}

int
dexf_zipr_slurp(const dexf_zipr *z, const dexf_zipr_entry *e, size_t max,
    unsigned char **out, size_t *outlen)
{
	unsigned char *raw = NULL, *plain = NULL;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (e->usize > max || e->csize > max + max / 8 + 1024)
		return dexf_seterr(z->err, DEXF_EFORMAT,
		    "%s: entry '%s' is %llu bytes, more than the %zu allowed",
		    z->what, e->name, (unsigned long long)e->usize, max);
	raw = malloc(e->csize + 1);
	plain = malloc(e->usize + 1);
	if (raw == NULL || plain == NULL) {
		rc = dexf_seterr(z->err, DEXF_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = dexf_zipr_pread(z, e, 0, raw, e->csize)) != 0)
		goto fail;
	if (e->method == 0)
		memcpy(plain, raw, e->csize);
	else if ((rc = inflate_entry(z, e, raw, plain)) != 0)
		goto fail;
	if (dexf_crc32(0, plain, (size_t)e->usize) != e->crc) {
		rc = dexf_seterr(z->err, DEXF_EINTEGRITY,
		    "%s: entry '%s': CRC-32 mismatch", z->what, e->name);
		goto fail;
	}
	plain[e->usize] = '\0';
	free(raw);
	*out = plain;
	*outlen = e->usize;
	return 0;
fail:
	free(raw);
	free(plain);
	return rc;
}
