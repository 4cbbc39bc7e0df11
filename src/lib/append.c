/*
 * append.c - adding signed records to a sealed container without
 * rewriting it (FORMAT.md 2.6 and 9.5).
 *
 * The container is locked, checked, and then grows by one ZIP generation
 * per record: the record, its signature, its time-stamp token and its
 * attachments, a central directory that repeats the old one, and the
 * trailer, written last after an fsync.  Existing bytes are never written.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dexf/chain.h"
#include "dexf/version.h"
#include "append_int.h"
#include "cms.h"
#include "chain.h"
#include "digest.h"
#include "format.h"
#include "path.h"
#include "reader_int.h"
#include "record.h"
#include "tsa.h"
#include "util.h"
#include "zipw.h"

#define MAX_ATTACHMENT (256ull << 20)
#define MAX_ATTACHMENTS 64

struct dexf_appender {
	dexf_err err;
	char *path;
	int fd;
	dexf_reader *r;           /* the container as it is now */
	dexf_signer *signer;
	char *role, *name, *org;
	char *tsa_url;
	int tsa_timeout;
	unsigned last;            /* sequence of the newest record */
	char head[65];
	int damage_next;          /* tests: spoil the next generation's
	                           * first (1) or last (2) byte */
	int gone;                 /* the path names another file now */
};

static int
fail(dexf_appender *a, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(dexf_appender *a, int code, const char *fmt, ...)
{
	va_list ap;

	a->err.code = code;
	va_start(ap, fmt);
	vsnprintf(a->err.msg, sizeof(a->err.msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *
dexf_appender_errmsg(const dexf_appender *a)
{
	return a ? dexf_errstr(&a->err) : "out of memory";
}

void
dexf_appender_close(dexf_appender *a)
{
	if (a == NULL)
		return;
	dexf_reader_free(a->r);
	dexf_signer_free(a->signer);
	if (a->fd >= 0)
		close(a->fd);   /* releases the lock */
	free(a->path);
	free(a->role);
	free(a->name);
	free(a->org);
	free(a->tsa_url);
	free(a);
}

unsigned
dexf_appender_head_sequence(const dexf_appender *a)
{
	return a ? a->last : 0;
}

const char *
dexf_appender_head(const dexf_appender *a)
{
	return a && a->head[0] ? a->head : NULL;
}

/*
 * (Re)open the reader on the container as it is now.  The reader opens
 * the path, and records are written through a->fd, the file opened and
 * locked: if the path no longer names that file (moved, or another
 * renamed over it), the reader would describe another container, and an
 * append would write at its size into ours.  No reader, then: every
 * later call refuses.
 */
static int
load(dexf_appender *a)
{
	struct stat ours, theirs;
	int rc;

	dexf_reader_free(a->r);
	a->r = NULL;
	if (dexf_reader_new(&a->r) != 0)
		return fail(a, DEXF_ENOMEM, "out of memory");
	if ((rc = dexf_reader_open(a->r, a->path)) != 0)
		fail(a, rc, "%s", dexf_reader_errmsg(a->r));
	else if (fstat(a->fd, &ours) != 0 || fstat(a->r->fd, &theirs) != 0)
		rc = fail(a, DEXF_EIO, "%s: %s", a->path, strerror(errno));
	else if ((a->gone = ours.st_dev != theirs.st_dev ||
	    ours.st_ino != theirs.st_ino))
		rc = fail(a, DEXF_EIO, "%s: not the file opened for "
		    "appending any more (moved or replaced): nothing more is "
		    "written", a->path);
	if (rc != 0) {
		/* a reader that did not open is no reader: calls refuse */
		dexf_reader_free(a->r);
		a->r = NULL;
	}
	return rc;
}

void (*dexf_appender_open_hook)(int stage, const char *path);

/* Digest of entry `name` (at most max bytes) into md; 0 if absent, 1 if
 * present, -1 with *rc set when it cannot be read. */
static int
entry_digest(dexf_appender *a, const char *name, size_t max,
    unsigned char md[32], int *rc)
{
	const dexf_zipr_entry *e = dexf_zipr_find(&a->r->z, name);
	unsigned char *buf;
	size_t len;

	*rc = 0;
	if (e == NULL)
		return 0;
	if ((*rc = dexf_zipr_slurp(&a->r->z, e, max, &buf, &len)) != 0) {
		fail(a, *rc, "%s", dexf_errstr(&a->r->err));
		return -1;
	}
	dexf_sha256(md, buf, len);
	free(buf);
	return 1;
}

/*
 * dexf_verify() checks the chain through the path; the appender's reader,
 * through the path again, is checked to be the file opened (load()).  In
 * between, the path may have named another file.  So the chain checked
 * must be the one loaded: its newest record here, with the same digest,
 * and none after it.  Otherwise a record would be linked to another
 * container's head, in a file nobody checked.
 */
static int
same_chain(dexf_appender *a)
{
	char name[64], hex[65];
	unsigned char md[32];
	int rc, has;

	dexf_record_entry(name, sizeof(name), a->last + 1, "xml");
	if (dexf_zipr_find(&a->r->z, name) == NULL) {
		dexf_record_entry(name, sizeof(name), a->last, "xml");
		if ((has = entry_digest(a, name, DEXF_MAX_RECORD, md,
		    &rc)) < 0)
			return rc;
		if (has == 1) {
			dexf_hex(hex, md, 32);
			if (strcmp(hex, a->head) == 0)
				return 0;
		}
	}
	return fail(a, DEXF_EIO, "%s: changed while it was being checked "
	    "(its newest record is not the one verified): nothing is "
	    "written", a->path);
}

static int
chain_full(dexf_appender *a)
{
	return fail(a, DEXF_EINVAL, "%s: the record chain is full (999999 "
	    "records)", a->path);
}

int
dexf_appender_open(dexf_appender **out, const char *path,
    const dexf_append_opts *opts)
{
	static const dexf_append_opts none;
	const dexf_append_opts *o = opts ? opts : &none;
	dexf_appender *a;
	dexf_verify_opts vo;
	dexf_report *rep = NULL;
	dexf_verdict v;
	int rc;

	if (out == NULL)
		return DEXF_EINVAL;
	*out = NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return DEXF_ENOMEM;
	*out = a;
	a->fd = -1;
	if (path == NULL)
		return fail(a, DEXF_EINVAL, "no container given");
	if ((a->path = strdup(path)) == NULL)
		return fail(a, DEXF_ENOMEM, "out of memory");
	if (o->key == NULL || o->cert == NULL)
		return fail(a, DEXF_EINVAL, "records after the seal must be "
		    "signed: give a key and a certificate");
	if (o->tsa_url != NULL && (a->tsa_url = strdup(o->tsa_url)) == NULL)
		return fail(a, DEXF_ENOMEM, "out of memory");
	a->tsa_timeout = o->tsa_timeout > 0 ? o->tsa_timeout : 30;
	a->fd = open(path, O_RDWR | O_CLOEXEC);
	if (a->fd < 0)
		return fail(a, errno == ENOENT ? DEXF_ENOTFOUND : DEXF_EIO,
		    "%s: cannot open for appending: %s", path,
		    strerror(errno));
	if (flock(a->fd, LOCK_EX | LOCK_NB) != 0)
		return fail(a, errno == EWOULDBLOCK ? DEXF_EBUSY : DEXF_EIO,
		    "%s: %s", path, errno == EWOULDBLOCK ? "another process "
		    "is appending to this container (it is locked); try "
		    "again when it has finished" : strerror(errno));
	if (dexf_appender_open_hook != NULL)
		dexf_appender_open_hook(0, path);
	/* Only a container that verifies gets a new record: its chain, its
	 * seal and its structure (not trust, not the evidence data). */
	memset(&vo, 0, sizeof(vo));
	vo.flags = DEXF_VERIFY_QUICK;
	vo.threads = o->threads;
	if ((rc = dexf_verify(&rep, path, &vo)) != 0)
		return fail(a, rc, "%s: cannot check the container: %s", path,
		    dexf_strerror(rc));
	v = dexf_report_verdict(rep);
	if (v != DEXF_VERDICT_INTACT_TRUSTED &&
	    v != DEXF_VERDICT_INTACT_UNTRUSTED) {
		rc = v == DEXF_VERDICT_INTACT_UNSIGNED ? DEXF_EINVAL :
		    v == DEXF_VERDICT_UNSUPPORTED ? DEXF_EUNSUPPORTED :
		    v == DEXF_VERDICT_UNREADABLE ? DEXF_EFORMAT :
		    DEXF_EINTEGRITY;
		fail(a, rc, v == DEXF_VERDICT_INTACT_UNSIGNED ? "%s: the "
		    "container is not signed: records can only extend a "
		    "signed seal" : "refusing to append: %s",
		    v == DEXF_VERDICT_INTACT_UNSIGNED ? path :
		    dexf_report_summary(rep));
		dexf_report_free(rep);
		return rc;
	}
	/* An intact chain: its head is the newest record. */
	a->last = dexf_report_head_sequence(rep);
	snprintf(a->head, sizeof(a->head), "%s", dexf_report_head(rep));
	if (dexf_report_record_count(rep) != (size_t)a->last + 1) {
		dexf_report_free(rep);
		return fail(a, DEXF_EFORMAT, "%s: the record chain does not "
		    "end at its head", path);
	}
	dexf_report_free(rep);
	if (a->last >= 999999)
		return chain_full(a);
	if (dexf_appender_open_hook != NULL)
		dexf_appender_open_hook(1, path);
	if ((rc = load(a)) != 0 || (rc = same_chain(a)) != 0) {
		/* no reader: a caller that goes on anyway is refused */
		dexf_reader_free(a->r);
		a->r = NULL;
		return rc;
	}
	if ((rc = dexf_signer_load(&a->signer, o->key, o->cert, o->chain,
	    o->passphrase, &a->err)) != 0)
		return rc;
	{
		char when[32];

		if (dexf_signer_expired(a->signer, when, sizeof(when)))
			return fail(a, DEXF_ECRYPTO, "%s: signer certificate "
			    "expired %s", o->cert, when);
	}
	a->role = strdup(o->author.role ? o->author.role : "custodian");
	a->name = strdup(o->author.name ? o->author.name :
	    dexf_signer_name(a->signer));
	a->org = dexf_strdup(o->author.org);
	if (a->role == NULL || a->name == NULL ||
	    (o->author.org != NULL && a->org == NULL))
		return fail(a, DEXF_ENOMEM, "out of memory");
	return 0;
}

/* The manifest's SHA-256 of item `path` (a file item). */
static const char *
item_sha(dexf_appender *a, const char *path, int *rc)
{
	const dexf_item *it;
	const char *d;

	*rc = 0;
	if (path == NULL || dexf_reader_find(&it, a->r, path) != 0) {
		*rc = fail(a, DEXF_ENOTFOUND, "%s: no item '%s'", a->path,
		    path ? path : "(none)");
		return NULL;
	}
	if ((d = dexf_item_digest(it, DEXF_HASH_SHA256)) == NULL)
		*rc = fail(a, DEXF_EINVAL, "%s: item '%s' is not a file: only "
		    "file items have a digest to refer to", a->path, path);
	return d;
}

/* Copy refs, filling missing digests from the manifest. */
static dexf_item_ref *
fill_refs(dexf_appender *a, const dexf_item_ref *in, size_t n, int *rc)
{
	dexf_item_ref *out;

	*rc = 0;
	if (n == 0)
		return NULL;
	if ((out = calloc(n, sizeof(*out))) == NULL) {
		*rc = fail(a, DEXF_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *d = item_sha(a, in[i].item, rc);
		const dexf_item *it;

		if (*rc != 0) {
			free(out);
			return NULL;
		}
		/* refer to the item by its stored path */
		(void)dexf_reader_find(&it, a->r, in[i].item);
		out[i].item = dexf_item_path(it);
		out[i].sha256 = in[i].sha256 ? in[i].sha256 : d;
		if (in[i].sha256 != NULL) {
			unsigned char tmp[32];

			if (dexf_unhex(tmp, 32, in[i].sha256) != 0) {
				free(out);
				*rc = fail(a, DEXF_EINVAL, "item '%s': '%s' is "
				    "not a SHA-256 digest", in[i].item,
				    in[i].sha256);
				return NULL;
			}
		}
	}
	return out;
}

typedef struct blob {
	char name[DEXF_MAX_NAME + 1];
	unsigned char *data;
	size_t len;
} blob;

static int
read_attachment(dexf_appender *a, const dexf_attachment *in, unsigned seq,
    blob *b, dexf_attachment *outa, char *hex)
{
	const char *base = in->name;
	struct stat sb;
	unsigned char md[32];
	int fd;
	ssize_t got;

	if (in->src == NULL)
		return fail(a, DEXF_EINVAL, "attachment without a file");
	if (base == NULL) {
		base = strrchr(in->src, '/');
		base = base ? base + 1 : in->src;
	}
	if (*base == '\0' || strchr(base, '/') != NULL ||
	    dexf_path_check(base) != NULL)
		return fail(a, DEXF_EINVAL, "attachment name '%s' is not a "
		    "valid file name", base);
	if ((fd = open(in->src, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(a, errno == ENOENT ? DEXF_ENOTFOUND : DEXF_EIO,
		    "%s: cannot open: %s", in->src, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size > MAX_ATTACHMENT) {
		close(fd);
		return fail(a, DEXF_EINVAL, "%s: not a regular file of at most "
		    "256 MiB", in->src);
	}
	if ((b->data = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return fail(a, DEXF_ENOMEM, "out of memory");
	}
	got = dexf_read_full(fd, b->data, (size_t)sb.st_size + 1);
	close(fd);
	if (got < 0 || (uint64_t)got != (uint64_t)sb.st_size)
		return fail(a, DEXF_EIO, "%s: read failed or the file changed "
		    "while it was read", in->src);
	b->len = (size_t)got;
	snprintf(b->name, sizeof(b->name), "%s%06u/%s", DEXF_ATTACH_PREFIX,
	    seq, base);
	dexf_sha256(md, b->data, b->len);
	dexf_hex(hex, md, 32);
	outa->entry = b->name;
	outa->size = b->len;
	outa->sha256 = hex;
	outa->media_type = in->media_type;
	return 0;
}

static int
write_blob(dexf_appender *a, dexf_zipw *z, const char *name,
    const unsigned char *p, size_t len, time_t now)
{
	int rc;

	if ((rc = dexf_zipw_begin(z, name, 0, 0644, now)) != 0 ||
	    (rc = dexf_zipw_write(z, p, len)) != 0 ||
	    (rc = dexf_zipw_end(z, dexf_crc32(0, p, len), len)) != 0)
		return rc;      /* the writer's message, in a->err */
	return 0;
}

/*
 * Build, sign, time-stamp and append record last+1 with body c/an/t and
 * the attachment blobs.
 */
static int
append_record(dexf_appender *a, const char *kind, const dexf_custody *c,
    const dexf_annotation *an, const dexf_traceback *t, blob *att,
    size_t natt)
{
	unsigned seq = a->last + 1;
	dexf_record rec;
	char xname[64], sname[64], tname[64], when[24];
	unsigned char *xml = NULL, *sig = NULL, *tok = NULL, md[32];
	size_t xlen = 0, slen = 0, tlen = 0;
	uint64_t old_end = 0;
	int undo = 0, reread = 0;
	time_t now = time(NULL);
	dexf_zipw z;
	int rc, has;

	if (a->last >= 999999)
		return chain_full(a);
	memset(&rec, 0, sizeof(rec));
	memset(&z, 0, sizeof(z));
	dexf_fmt_time(when, sizeof(when), now);
	rec.format_version = (char *)"1.1";
	rec.sequence = seq;
	rec.kind = (char *)kind;
	rec.container_id = a->r->seal.container_id;
	rec.time = when;
	rec.agent_role = a->role;
	rec.agent_name = a->name;
	rec.agent_org = a->org;
	rec.tool = (char *)"dexf";
	rec.tool_version = (char *)DEXF_VERSION_STRING;
	rec.has_previous = 1;
	dexf_record_entry(xname, sizeof(xname), seq - 1, "xml");
	rec.previous_entry = xname;
	dexf_unhex(rec.previous_sha256, 32, a->head);
	dexf_record_entry(sname, sizeof(sname), seq - 1, "p7s");
	if ((has = entry_digest(a, sname, DEXF_MAX_SIGNATURE,
	    rec.prev_sig_sha256, &rc)) < 0)
		return rc;
	rec.has_prev_sig = has;
	dexf_record_entry(tname, sizeof(tname), seq - 1, "tst");
	if ((has = entry_digest(a, tname, DEXF_MAX_SIGNATURE,
	    rec.prev_tst_sha256, &rc)) < 0)
		return rc;
	rec.has_prev_tst = has;
	dexf_record_entry(sname, sizeof(sname), seq, "p7s");
	rec.signature_entry = sname;
	rec.w_custody = c;
	rec.w_annotation = an;
	rec.w_traceback = t;
	rc = dexf_record_write(&rec, &xml, &xlen, &a->err);
	if (rc != 0)
		goto out;
	if ((rc = dexf_cms_sign(a->signer, xml, xlen, &sig, &slen,
	    &a->err)) != 0)
		goto out;
	if (a->tsa_url != NULL && (rc = dexf_tsa_request(a->tsa_url, sig,
	    slen, a->tsa_timeout, &tok, &tlen, &a->err)) != 0)
		goto out;

	/* An interrupted append left bytes after the container: they are
	 * not part of it (FORMAT.md 2.4) and go before anything is added. */
	if (a->r->z.tail != 0) {
		if (ftruncate(a->fd, (off_t)a->r->z.file_size) != 0 ||
		    fsync(a->fd) != 0) {
			rc = fail(a, DEXF_EIO, "%s: cannot remove the bytes of "
			    "an interrupted append: %s", a->path,
			    strerror(errno));
			goto out;
		}
	}
	old_end = a->r->z.file_size;
	if ((rc = dexf_zipw_append_init(&z, a->fd, a->path, &a->err,
	    old_end, a->r->z.cd, a->r->z.cd_size, a->r->z.n)) != 0)
		goto out;
	/* from here on, a failure takes the generation out again */
	undo = 1;
	for (size_t i = 0; i < natt; i++)
		if ((rc = write_blob(a, &z, att[i].name, att[i].data,
		    att[i].len, now)) != 0)
			goto out;
	dexf_record_entry(xname, sizeof(xname), seq, "xml");
	dexf_record_entry(tname, sizeof(tname), seq, "tst");
	if ((rc = write_blob(a, &z, xname, xml, xlen, now)) != 0 ||
	    (rc = write_blob(a, &z, sname, sig, slen, now)) != 0 ||
	    (tok != NULL && (rc = write_blob(a, &z, tname, tok, tlen,
	    now)) != 0))
		goto out;
	if ((rc = dexf_zipw_finish(&z)) != 0)
		goto out;       /* the writer's message, in a->err */
	if (a->damage_next) {
		/* tests: the first or the last byte of the generation */
		off_t at = a->damage_next == 1 ? (off_t)old_end :
		    (off_t)z.pos - 1;

		a->damage_next = 0;
		if (pwrite(a->fd, "X", 1, at) != 1) {
			/* no damage: the test sees the record added */
		}
	}
	/* The container must open with the new generation as its newest,
	 * holding the new record, and end where it was written: a
	 * generation that does not (a writer bug) goes again, as below.  A
	 * reader that finds a bad trailer falls back to the previous one
	 * and takes the new bytes for an interrupted append. */
	reread = 1;
	if ((rc = load(a)) != 0 || a->r->z.tail != 0 ||
	    a->r->z.file_size != z.pos ||
	    dexf_zipr_find(&a->r->z, xname) == NULL) {
		char why[sizeof(a->err.msg)];

		snprintf(why, sizeof(why), "%s", rc != 0 ?
		    dexf_errstr(&a->err) : "the container opens without it");
		rc = fail(a, DEXF_EIO, "%s: record %u does not read back (%s)",
		    a->path, seq, why);
		goto out;
	}
	undo = 0;
	/* the record just written is the new head */
	a->last = seq;
	dexf_sha256(md, xml, xlen);
	dexf_hex(a->head, md, 32);
out:
	/*
	 * A failed write (a full disk) or a generation that does not read
	 * back: no byte before old_end was written, so cutting the file back
	 * there gives the container exactly as it was (FORMAT.md 9.11),
	 * never one with a broken newest directory nobody can open.
	 */
	if (undo) {
		char why[sizeof(a->err.msg)];

		snprintf(why, sizeof(why), "%s", dexf_errstr(&a->err));
		if (ftruncate(a->fd, (off_t)old_end) != 0 ||
		    fsync(a->fd) != 0) {
			rc = fail(a, DEXF_EIO, "%s; the container could not be "
			    "cut back to its %llu bytes before the append: %s",
			    why, (unsigned long long)old_end, strerror(errno));
		} else if (a->gone) {
			rc = fail(a, DEXF_EIO, "%s; the file opened was cut "
			    "back to its %llu bytes, as it was", why,
			    (unsigned long long)old_end);
		} else if (reread && load(a) != 0) {
			char again[sizeof(a->err.msg)];

			snprintf(again, sizeof(again), "%s",
			    dexf_errstr(&a->err));
			rc = fail(a, DEXF_EIO, "%s; cut back to its %llu bytes, "
			    "the container does not open either: %s", why,
			    (unsigned long long)old_end, again);
		} else {
			rc = fail(a, rc, "%s; nothing was added, the "
			    "container is as it was", why);
		}
	}
	dexf_zipw_free(&z);
	free(xml);
	free(sig);
	free(tok);
	return rc;
}

int
dexf_appender_add_custody(dexf_appender *a, const dexf_custody *c)
{
	dexf_custody cc;
	dexf_item_ref *refs = NULL;
	dexf_attachment atts[MAX_ATTACHMENTS];
	char hex[MAX_ATTACHMENTS][65];
	blob *blobs = NULL;
	int rc;

	if (a == NULL || c == NULL || a->r == NULL || a->signer == NULL)
		return a ? fail(a, DEXF_EINVAL, "appender not open") :
		    DEXF_EINVAL;
	if (c->nattachments > MAX_ATTACHMENTS)
		return fail(a, DEXF_EINVAL, "at most %d attachments per "
		    "record", MAX_ATTACHMENTS);
	if (c->action == NULL)
		return fail(a, DEXF_EINVAL, "a custody event needs an action");
	cc = *c;
	if ((refs = fill_refs(a, c->items, c->nitems, &rc)) == NULL && rc)
		return rc;
	cc.items = refs;
	memset(atts, 0, sizeof(atts));
	if (c->nattachments > 0 &&
	    (blobs = calloc(c->nattachments, sizeof(*blobs))) == NULL) {
		free(refs);
		return fail(a, DEXF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < c->nattachments; i++) {
		if ((rc = read_attachment(a, &c->attachments[i], a->last + 1,
		    &blobs[i], &atts[i], hex[i])) != 0)
			goto out;
		for (size_t k = 0; k < i; k++)
			if (strcmp(blobs[k].name, blobs[i].name) == 0) {
				rc = fail(a, DEXF_EINVAL, "two attachments "
				    "named '%s'", blobs[i].name);
				goto out;
			}
	}
	cc.attachments = atts;
	rc = append_record(a, "custody", &cc, NULL, NULL, blobs,
	    c->nattachments);
out:
	for (size_t i = 0; blobs != NULL && i < c->nattachments; i++)
		free(blobs[i].data);
	free(blobs);
	free(refs);
	return rc;
}

int
dexf_appender_add_annotation(dexf_appender *a, const dexf_annotation *an)
{
	dexf_annotation x;
	const dexf_item *it;
	char hex[65];
	int rc;

	if (a == NULL || an == NULL || a->r == NULL || a->signer == NULL)
		return a ? fail(a, DEXF_EINVAL, "appender not open") :
		    DEXF_EINVAL;
	if (an->item == NULL || dexf_reader_find(&it, a->r, an->item) != 0)
		return fail(a, DEXF_ENOTFOUND, "%s: no item '%s'", a->path,
		    an->item ? an->item : "(none)");
	if (dexf_item_kind_of(it) != DEXF_ITEM_FILE)
		return fail(a, DEXF_EINVAL, "item '%s' is not a file: "
		    "annotations point into file items", an->item);
	x = *an;
	x.item = dexf_item_path(it);
	if (an->has_range) {
		uint64_t size = dexf_item_size(it);

		if (an->length == 0 || an->offset > size ||
		    an->length > size - an->offset)
			return fail(a, DEXF_EINVAL, "range %llu:%llu is outside "
			    "item '%s' (%llu bytes)",
			    (unsigned long long)an->offset,
			    (unsigned long long)an->length, x.item,
			    (unsigned long long)size);
		/* the bytes are read, and checked against their chunk
		 * digests, to compute what the annotation points at */
		if ((rc = dexf_reader_hash_range(a->r, it, an->offset,
		    an->length, hex)) != 0)
			return fail(a, rc, "%s", dexf_reader_errmsg(a->r));
		x.sha256 = hex;
	} else {
		x.sha256 = dexf_item_digest(it, DEXF_HASH_SHA256);
	}
	if (an->text == NULL || an->text[0] == '\0')
		return fail(a, DEXF_EINVAL, "an annotation needs a text");
	return append_record(a, "annotation", NULL, &x, NULL, NULL, 0);
}

int
dexf_appender_add_traceback(dexf_appender *a, const dexf_traceback *t)
{
	dexf_traceback x;
	dexf_hop *hops;
	dexf_item_ref **refs;
	int rc = 0;

	if (a == NULL || t == NULL || a->r == NULL || a->signer == NULL)
		return a ? fail(a, DEXF_EINVAL, "appender not open") :
		    DEXF_EINVAL;
	if (t->nhops == 0 || t->nhops > 256)
		return fail(a, DEXF_EINVAL, "a trace-back record needs 1 to "
		    "256 hops, not %zu", t->nhops);
	hops = calloc(t->nhops, sizeof(*hops));
	refs = calloc(t->nhops, sizeof(*refs));
	if (hops == NULL || refs == NULL) {
		free(hops);
		free(refs);
		return fail(a, DEXF_ENOMEM, "out of memory");
	}
	x = *t;
	for (size_t i = 0; i < t->nhops; i++) {
		hops[i] = t->hops[i];
		refs[i] = fill_refs(a, t->hops[i].evidence,
		    t->hops[i].nevidence, &rc);
		if (rc != 0)
			goto out;
		hops[i].evidence = refs[i];
	}
	x.hops = hops;
	rc = append_record(a, "traceback", NULL, NULL, &x, NULL, 0);
out:
	for (size_t i = 0; i < t->nhops; i++)
		free(refs[i]);
	free(refs);
	free(hops);
	return rc;
}

void
dexf_appender_damage_next(dexf_appender *a, int last)
{
	a->damage_next = last ? 2 : 1;
}
