/*
 * writer.c - packing evidence into a container.
 *
 * Evidence is streamed chunk by chunk: read, digest (linear set, CRC-32,
 * Merkle leaf), compress, write.  Memory is a few chunk buffers whatever
 * the input size; chunk index entries go to an unlinked scratch file and
 * are copied into the container at the end.  The per-chunk work is a pure
 * function of the chunk (chunk.c), so it can move to worker threads
 * without changing the format.
 */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "dexf/writer.h"
#include "dexf/version.h"
#include "chunk.h"
#include "cms.h"
#include "digest.h"
#include "format.h"
#include "index.h"
#include "manifest.h"
#include "merkle.h"
#include "path.h"
#include "pool.h"
#include "record.h"
#include "xmlsafe.h"
#include "util.h"
#include "writer_int.h"
#include "zipw.h"

#define MAX_TREE_DEPTH 256

typedef struct pending_meta {
	char *path, *key, *value;
} pending_meta;

/* A file of less than one chunk whose chunk work is in flight in a pool
 * slot; written back in item order by write_back(). */
typedef struct deferred {
	size_t item;              /* manifest index */
	size_t slot;
	uint64_t size;
	unsigned mode;
	time_t mtime;
	char *src;                /* for messages */
} deferred;

/* Open-addressing set of item paths -> item index + 1. */
typedef struct pathset {
	size_t *slot;
	size_t cap, n;
} pathset;

struct dexf_writer {
	dexf_err err;
	uint32_t chunk_size;
	int compression;          /* 0 store, 8 deflate */
	int level;
	unsigned hashes;
	dexf_manifest m;
	pending_meta *meta;
	size_t nmeta, capmeta;
	char *key_path, *cert_path, *chain_path, *passphrase;
	dexf_signer *signer;
	dexf_progress_cb progress;
	void *progress_payload;
	dexf_warning_cb warning;
	void *warning_payload;
	uint64_t total, done;
	char *path;
	dexf_outfile out;         /* the container, under a temporary name */
	int idx_fd;
	uint64_t idx_pos;
	/* scratch index records [idx_pos - ibuf_len, idx_pos) not written */
	unsigned char ibuf[64 * DEXF_IDX_ENTRY];
	size_t ibuf_len;
	uint64_t *idx_start;      /* per item: offset in scratch index file */
	dexf_zipw zw;
	int opened, finished, failed, overwrite;
	time_t created;
	int threads;              /* 0: online CPUs */
	dexf_pool *pool;
	/* small files in flight, oldest first; a ring of one entry per
	 * pool slot, taking slots in turn */
	deferred *dq;
	size_t dq_head, dq_len;
	uint64_t dq_seq;
	pathset paths;
	char **dirs;              /* open-addressing set of ancestor dirs */
	size_t ndirs, capdirs;
	/* what readers accept (FORMAT.md 2.4 rule 6, 8.6 step 1): ZIP
	 * entries planned for items, and a floor of the manifest's size */
	uint64_t entries, manifest_floor;
	uint64_t max_entries, max_manifest;
};

/* ------------------------------------------------------------ path set */

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int
pathset_find(const pathset *ps, const dexf_manifest *m, const char *p,
    size_t *pos)
{
	size_t i;

	if (ps->cap == 0)
		return -1;
	i = (size_t)fnv1a(p) & (ps->cap - 1);
	while (ps->slot[i] != 0) {
		if (strcmp(m->items[ps->slot[i] - 1].path, p) == 0) {
			*pos = i;
			return (int)1;
		}
		i = (i + 1) & (ps->cap - 1);
	}
	*pos = i;
	return 0;
}

static int
pathset_add(pathset *ps, const dexf_manifest *m, size_t item)
{
	size_t pos;

	if ((ps->n + 1) * 2 > ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 64;
		size_t *ns = calloc(nc, sizeof(size_t));
		pathset np = { ns, nc, 0 };

		if (ns == NULL)
			return -1;
		for (size_t i = 0; i < ps->cap; i++)
			if (ps->slot[i] != 0) {
				pathset_find(&np, m,
				    m->items[ps->slot[i] - 1].path, &pos);
				ns[pos] = ps->slot[i];
			}
		free(ps->slot);
		ps->slot = ns;
		ps->cap = nc;
	}
	pathset_find(ps, m, m->items[item].path, &pos);
	ps->slot[pos] = item + 1;
	ps->n++;
	return 0;
}

static int
dirset_find(const dexf_writer *w, const char *p, size_t len, size_t *pos)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (size_t k = 0; k < len; k++)
		h = (h ^ (unsigned char)p[k]) * 1099511628211ull;
	if (w->capdirs == 0)
		return 0;
	i = (size_t)h & (w->capdirs - 1);
	while (w->dirs[i] != NULL) {
		if (strlen(w->dirs[i]) == len && memcmp(w->dirs[i], p, len) == 0) {
			*pos = i;
			return 1;
		}
		i = (i + 1) & (w->capdirs - 1);
	}
	*pos = i;
	return 0;
}

static int
dirset_add(dexf_writer *w, const char *p, size_t len)
{
	size_t pos;

	if (dirset_find(w, p, len, &pos))
		return 0;
	if ((w->ndirs + 1) * 2 > w->capdirs) {
		size_t nc = w->capdirs ? w->capdirs * 2 : 64;
		char **nd = calloc(nc, sizeof(*nd)), **old = w->dirs;
		size_t oldcap = w->capdirs;

		if (nd == NULL)
			return -1;
		w->dirs = nd;
		w->capdirs = nc;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i] != NULL) {
				dirset_find(w, old[i], strlen(old[i]), &pos);
				nd[pos] = old[i];
			}
		free(old);
		dirset_find(w, p, len, &pos);
	}
	if ((w->dirs[pos] = strndup(p, len)) == NULL)
		return -1;
	w->ndirs++;
	return 0;
}

/* ------------------------------------------------------------ settings */

int
dexf_writer_new(dexf_writer **out)
{
	dexf_writer *w;

	if (out == NULL)
		return DEXF_EINVAL;
	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return DEXF_ENOMEM;
	w->chunk_size = DEXF_CHUNK_DEFAULT;
	w->max_entries = DEXF_WRITER_MAX_ENTRIES;
	w->max_manifest = DEXF_MAX_MANIFEST;
	w->compression = 8;
	w->level = 1;
	w->hashes = DEXF_HASH_SHA256;
	w->out.fd = w->idx_fd = -1;
	*out = w;
	return 0;
}

void
dexf_writer_free(dexf_writer *w)
{
	if (w == NULL)
		return;
	dexf_outfile_close(&w->out);
	if (w->idx_fd >= 0)
		close(w->idx_fd);
	dexf_zipw_free(&w->zw);
	dexf_manifest_clear(&w->m);
	for (size_t i = 0; i < w->nmeta; i++) {
		free(w->meta[i].path);
		free(w->meta[i].key);
		free(w->meta[i].value);
	}
	free(w->meta);
	free(w->key_path);
	free(w->cert_path);
	free(w->chain_path);
	dexf_free_secret(w->passphrase);
	dexf_signer_free(w->signer);
	free(w->path);
	free(w->idx_start);
	for (size_t i = 0; i < w->dq_len; i++)
		free(w->dq[(w->dq_head + i) % dexf_pool_slots(w->pool)].src);
	free(w->dq);
	dexf_pool_free(w->pool);
	free(w->paths.slot);
	for (size_t i = 0; i < w->capdirs; i++)
		free(w->dirs[i]);
	free(w->dirs);
	free(w);
}

const char *
dexf_writer_errmsg(const dexf_writer *w)
{
	return w ? dexf_errstr(&w->err) : "no writer";
}

static int
not_opened(dexf_writer *w, const char *what)
{
	if (w == NULL)
		return DEXF_EINVAL;
	if (w->opened)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "%s must be set before dexf_writer_open()", what);
	return 0;
}

int
dexf_writer_set_chunk_size(dexf_writer *w, uint32_t size)
{
	int rc = not_opened(w, "chunk size");

	if (rc != 0)
		return rc;
	if (size < DEXF_CHUNK_MIN || size > DEXF_CHUNK_MAX ||
	    (size & (size - 1)) != 0)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "chunk size %u is not a power of two from 4 KiB to 64 MiB",
		    size);
	w->chunk_size = size;
	return 0;
}

int
dexf_writer_set_compression(dexf_writer *w, dexf_compression c, int level)
{
	int rc = not_opened(w, "compression");

	if (rc != 0)
		return rc;
	if (c != DEXF_COMPRESSION_STORE && c != DEXF_COMPRESSION_DEFLATE)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "unknown compression %d", (int)c);
	if (level < 0 || level > 9)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "compression level %d is not 1..9", level);
	w->compression = c == DEXF_COMPRESSION_DEFLATE ? 8 : 0;
	w->level = level == 0 ? 1 : level;
	return 0;
}

int
dexf_writer_set_hashes(dexf_writer *w, unsigned hashes)
{
	int rc = not_opened(w, "hashes");

	if (rc != 0)
		return rc;
	if (hashes & ~(unsigned)DEXF_HASH_ALL)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "unknown hash algorithm flags 0x%x", hashes);
	w->hashes = hashes | DEXF_HASH_SHA256;
	return 0;
}

static int
check_text(dexf_writer *w, const char *what, const char *v)
{
	size_t len = strlen(v);

	if (len > DEXF_MAX_TEXT || !dexf_utf8_valid(v, len))
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "%s: must be valid UTF-8 of at most 64 KiB", what);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
		    *p == 0x7f)
			return dexf_seterr(&w->err, DEXF_EINVAL,
			    "%s: contains a control character", what);
	return 0;
}

int
dexf_writer_set_case(dexf_writer *w, const char *field, const char *value)
{
	int rc;

	if (w == NULL || field == NULL || value == NULL)
		return DEXF_EINVAL;
	if ((rc = check_text(w, field, value)) != 0)
		return rc;
	for (int i = 0; i < C_N; i++)
		if (strcmp(dexf_case_fields[i], field) == 0) {
			char *v = strdup(value);

			if (v == NULL)
				return dexf_seterr(&w->err, DEXF_ENOMEM,
				    "out of memory");
			free(w->m.case_[i]);
			w->m.case_[i] = v;
			return 0;
		}
	return dexf_seterr(&w->err, DEXF_EINVAL,
	    "unknown case field '%s' (number, name, description, "
	    "authorization)", field);
}

int
dexf_writer_add_agent(dexf_writer *w, const char *role, const char *name,
    const char *org)
{
	dexf_agent *na;
	int rc;

	if (w == NULL || role == NULL || name == NULL)
		return DEXF_EINVAL;
	if ((rc = check_text(w, "agent name", name)) != 0 ||
	    (rc = check_text(w, "agent role", role)) != 0 ||
	    (org && (rc = check_text(w, "organization", org)) != 0))
		return rc;
	if (*role == '\0' || strlen(role) > 256)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "agent role must be 1..256 bytes");
	if (w->m.nagents >= 1024)
		return dexf_seterr(&w->err, DEXF_EINVAL, "too many agents");
	na = realloc(w->m.agents, (w->m.nagents + 1) * sizeof(*na));
	if (na == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	w->m.agents = na;
	na = &w->m.agents[w->m.nagents];
	na->role = strdup(role);
	na->name = strdup(name);
	na->org = dexf_strdup(org);
	w->m.nagents++;
	if (na->role == NULL || na->name == NULL || (org && na->org == NULL))
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	return 0;
}

int
dexf_writer_set_item_meta(dexf_writer *w, const char *path, const char *key,
    const char *value)
{
	int slot;
	pending_meta *pm;
	int rc;

	if (w == NULL || path == NULL || key == NULL || value == NULL)
		return DEXF_EINVAL;
	slot = dexf_meta_slot(key);
	if (slot < 0 || slot >= M_ENTRY || slot == M_MTIME || slot == M_MODE ||
	    slot == M_LINK_TARGET)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "unknown item metadata key '%s'", key);
	if ((rc = check_text(w, key, value)) != 0)
		return rc;
	if (slot == M_ACQ_START || slot == M_ACQ_END) {
		time_t t;

		if (dexf_parse_time(&t, value) != 0)
			return dexf_seterr(&w->err, DEXF_EINVAL,
			    "%s: '%s' is not a UTC time like "
			    "2026-11-22T14:03:00Z", key, value);
	}
	if (slot == M_UNREADABLE) {
		dexf_range *r;
		size_t n;

		const char *why;

		if (dexf_parse_ranges(value, &r, &n) != 0)
			return dexf_seterr(&w->err, DEXF_EINVAL,
			    "unreadable: '%s' is not OFFSET:LENGTH[,...]",
			    value);
		why = dexf_ranges_check(r, n, UINT64_MAX);
		free(r);
		if (why != NULL)
			return dexf_seterr(&w->err, DEXF_EINVAL,
			    "unreadable: '%s' %s", value, why);
	}
	if (slot == M_MEDIA_TYPE && (strlen(value) == 0 || strlen(value) > 256))
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "media-type must be 1..256 bytes");
	if (w->nmeta == w->capmeta) {
		size_t nc = w->capmeta ? w->capmeta * 2 : 8;

		pm = realloc(w->meta, nc * sizeof(*pm));
		if (pm == NULL)
			return dexf_seterr(&w->err, DEXF_ENOMEM,
			    "out of memory");
		w->meta = pm;
		w->capmeta = nc;
	}
	pm = &w->meta[w->nmeta++];
	pm->path = strdup(path);
	pm->key = strdup(key);
	pm->value = strdup(value);
	if (!pm->path || !pm->key || !pm->value)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	return 0;
}

int
dexf_writer_set_signer(dexf_writer *w, const char *key_path,
    const char *cert_path, const char *chain_path, const char *passphrase)
{
	int rc = not_opened(w, "signer");

	if (rc != 0)
		return rc;
	if (key_path == NULL || cert_path == NULL)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "a signer needs both a key and a certificate");
	free(w->key_path);
	free(w->cert_path);
	free(w->chain_path);
	dexf_free_secret(w->passphrase);
	w->key_path = strdup(key_path);
	w->cert_path = strdup(cert_path);
	w->chain_path = dexf_strdup(chain_path);
	w->passphrase = dexf_strdup(passphrase);
	if (!w->key_path || !w->cert_path || (chain_path && !w->chain_path) ||
	    (passphrase && !w->passphrase))
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	return 0;
}

int
dexf_writer_set_threads(dexf_writer *w, int threads)
{
	int rc = not_opened(w, "threads");

	if (rc != 0)
		return rc;
	if (threads < 0 || threads > 64)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "threads must be 0 (all CPUs) to 64, not %d", threads);
	w->threads = threads;
	return 0;
}

int
dexf_writer_set_progress(dexf_writer *w, dexf_progress_cb cb, void *payload)
{
	if (w == NULL)
		return DEXF_EINVAL;
	w->progress = cb;
	w->progress_payload = payload;
	return 0;
}

int
dexf_writer_set_total(dexf_writer *w, uint64_t total)
{
	if (w == NULL)
		return DEXF_EINVAL;
	w->total = total;
	return 0;
}

int
dexf_writer_set_warning(dexf_writer *w, dexf_warning_cb cb, void *payload)
{
	if (w == NULL)
		return DEXF_EINVAL;
	w->warning = cb;
	w->warning_payload = payload;
	return 0;
}

static void
warn(dexf_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(dexf_writer *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (w->warning == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w->warning(buf, w->warning_payload);
}

/* ------------------------------------------------------------ open */

static int
make_temp(dexf_writer *w)
{
	size_t len;
	char *ip;
	int rc;

	if ((rc = dexf_outfile_open(&w->out, w->path, 1, &w->err)) != 0)
		return rc;
	/* Scratch space for chunk index entries beside it, unlinked at
	 * once: ".NAME.XXXXXX.idx~" for ".NAME.XXXXXX.part". */
	len = strlen(w->out.tmp);
	if ((ip = strdup(w->out.tmp)) == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	memcpy(ip + len - 5, ".idx~", 5);
	w->idx_fd = open(ip, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w->idx_fd < 0)
		rc = dexf_seterr_sys(&w->err, DEXF_EIO, errno,
		    "%s: cannot create scratch file", ip);
	else
		unlink(ip);
	free(ip);
	return rc;
}

int
dexf_writer_open(dexf_writer *w, const char *path, int overwrite)
{
	struct stat sb;
	char id[64], now[32];
	int rc;

	if (w == NULL || path == NULL || *path == '\0')
		return DEXF_EINVAL;
	if (w->opened)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "writer is already open");
	w->opened = 1;
	w->overwrite = overwrite != 0;
	if (!overwrite && lstat(path, &sb) == 0)
		return dexf_seterr(&w->err, DEXF_EEXISTS,
		    "%s: already exists (use --force to replace it)", path);
	if ((w->path = strdup(path)) == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	if (w->key_path != NULL &&
	    (rc = dexf_signer_load(&w->signer, w->key_path, w->cert_path,
	    w->chain_path, w->passphrase, &w->err)) != 0)
		return rc;
	dexf_free_secret(w->passphrase);
	w->passphrase = NULL;
	if (w->signer != NULL) {
		char when[32];

		if (dexf_signer_expired(w->signer, when, sizeof(when)))
			warn(w, "signer certificate %s expired on %s: verifiers "
			    "will report this seal as not trusted", w->cert_path,
			    when);
	}
	/* memory: a few slots of chunk size per thread, whatever the input */
	if (dexf_pool_new(&w->pool, w->threads ? w->threads :
	    dexf_online_cpus(), w->chunk_size, w->compression == 8,
	    w->level) != 0)
		return dexf_seterr(&w->err, DEXF_ENOMEM,
		    "cannot start %d worker thread(s)", w->threads);
	if ((w->dq = calloc(dexf_pool_slots(w->pool), sizeof(*w->dq))) == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	w->created = time(NULL);
	if (dexf_uuid_urn(id, sizeof(id)) != 0)
		return dexf_seterr(&w->err, DEXF_ECRYPTO,
		    "cannot get random bytes for the container id");
	dexf_fmt_time(now, sizeof(now), w->created);
	w->m.format_version = strdup(DEXF_FORMAT_VERSION);
	w->m.container_id = strdup(id);
	w->m.created = strdup(now);
	w->m.producer = strdup("dexf");
	w->m.producer_version = strdup(DEXF_VERSION_STRING);
	if (!w->m.format_version || !w->m.container_id || !w->m.created ||
	    !w->m.producer || !w->m.producer_version)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	if ((rc = make_temp(w)) != 0)
		return rc;
	dexf_zipw_init(&w->zw, w->out.fd, w->path, &w->err);
	return dexf_zipw_mimetype(&w->zw, DEXF_MEDIA_TYPE, w->created);
}

/* ------------------------------------------------------------ items */

static int
usable(dexf_writer *w)
{
	if (w == NULL)
		return DEXF_EINVAL;
	if (!w->opened || w->out.fd < 0 || w->finished)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "writer is not open");
	if (w->failed)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "writer failed earlier: %s", "start again");
	return 0;
}

static int
new_item(dexf_writer *w, const char *name, dexf_item_kind kind,
    struct dexf_item **out)
{
	struct dexf_item *it;
	const char *why;
	uint64_t floor;
	size_t pos;

	*out = NULL;
	if ((why = dexf_path_check(name)) != NULL)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "stored path '%s' %s", name, why);
	if (pathset_find(&w->paths, &w->m, name, &pos) == 1)
		return dexf_seterr(&w->err, DEXF_EEXISTS,
		    "stored path '%s' is already in the container", name);
	/* Nothing may lie below a file or link (an unpacker would have to
	 * write through it), and a file may not take a directory's name. */
	if (kind != DEXF_ITEM_DIRECTORY &&
	    dirset_find(w, name, strlen(name), &pos))
		return dexf_seterr(&w->err, DEXF_EEXISTS,
		    "stored path '%s' is already a directory of other items",
		    name);
	for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
		char pre[DEXF_PATH_MAX + 1];
		size_t len = (size_t)(s - name);

		memcpy(pre, name, len);
		pre[len] = '\0';
		if (pathset_find(&w->paths, &w->m, pre, &pos) == 1 &&
		    w->m.items[w->paths.slot[pos] - 1].kind != DEXF_ITEM_DIRECTORY)
			return dexf_seterr(&w->err, DEXF_EEXISTS,
			    "stored path '%s' lies below '%s', which is a file "
			    "or link", name, pre);
	}
	if (w->m.nitems >= DEXF_MAX_ITEMS)
		return dexf_seterr(&w->err, DEXF_EINVAL, "too many items");
	/*
	 * Refused while packing, not with a container no reader opens: a
	 * file is two ZIP entries (its data and its index), and every item
	 * adds at least this much to the manifest (a file: its path twice,
	 * three SHA-256 values in hex and its markup, 510 bytes and more
	 * as written; a directory or link: its path and 140 bytes).  The
	 * exact size, metadata included, is checked at the end.
	 */
	floor = w->manifest_floor + (kind == DEXF_ITEM_FILE ?
	    2 * strlen(name) + 500 : strlen(name) + 100);
	if (kind == DEXF_ITEM_FILE && w->entries + 2 > w->max_entries)
		return dexf_seterr(&w->err, DEXF_EINVAL, "too many files for "
		    "one container: at most %llu (the ZIP entry limit of "
		    "FORMAT.md 2.4, with room left for records); split the "
		    "evidence over several containers",
		    (unsigned long long)(w->max_entries / 2));
	if (floor > w->max_manifest)
		return dexf_seterr(&w->err, DEXF_EINVAL, "too many items for "
		    "one container: the manifest would pass the %llu bytes "
		    "a reader accepts (FORMAT.md 8.6) at '%s'; split the "
		    "evidence over several containers",
		    (unsigned long long)w->max_manifest, name);
	for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/'))
		if (dirset_add(w, name, (size_t)(s - name)) != 0)
			return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	w->manifest_floor = floor;
	if (kind == DEXF_ITEM_FILE)
		w->entries += 2;
	if ((it = dexf_manifest_add_item(&w->m)) == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	it->kind = kind;
	if ((it->path = strdup(name)) == NULL ||
	    pathset_add(&w->paths, &w->m, w->m.nitems - 1) != 0)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	*out = it;
	return 0;
}

static int
set_original(struct dexf_item *it, const struct stat *st)
{
	char buf[32];

	if (st == NULL)
		return 0;
	dexf_fmt_time(buf, sizeof(buf), st->st_mtime);
	it->meta[M_MTIME] = strdup(buf);
	snprintf(buf, sizeof(buf), "%04o", (unsigned)(st->st_mode & 07777));
	it->meta[M_MODE] = strdup(buf);
	return it->meta[M_MTIME] && it->meta[M_MODE] ? 0 : -1;
}

static int
idx_flush(dexf_writer *w)
{
	if (w->ibuf_len > 0 && dexf_pwrite_full(w->idx_fd, w->ibuf,
	    w->ibuf_len, w->idx_pos - w->ibuf_len) != 0)
		return dexf_seterr_sys(&w->err, DEXF_EIO, errno,
		    "scratch index write failed");
	w->ibuf_len = 0;
	return 0;
}

/* One chunk index record to the scratch file, through a small buffer. */
static int
idx_append(dexf_writer *w, const unsigned char rec[DEXF_IDX_ENTRY])
{
	int rc;

	if (w->ibuf_len == sizeof(w->ibuf) && (rc = idx_flush(w)) != 0)
		return rc;
	memcpy(w->ibuf + w->ibuf_len, rec, DEXF_IDX_ENTRY);
	w->ibuf_len += DEXF_IDX_ENTRY;
	w->idx_pos += DEXF_IDX_ENTRY;
	return 0;
}

/* Start a file item: the checks, its manifest entry with the original
 * metadata, and its place in the table of scratch index offsets. */
static int
file_begin(dexf_writer *w, const char *name, const struct stat *st,
    size_t *item)
{
	struct dexf_item *it;
	uint64_t *ns;
	int rc;

	if ((rc = new_item(w, name, DEXF_ITEM_FILE, &it)) != 0)
		return rc;
	*item = w->m.nitems - 1;
	if (set_original(it, st) != 0 ||
	    (ns = realloc(w->idx_start, (*item + 1) * sizeof(*ns))) == NULL) {
		w->failed = 1;  /* the item is in the manifest, unfinished */
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	}
	w->idx_start = ns;
	return 0;
}

/* The manifest fields of a file item whose entry is written. */
static int
file_end(dexf_writer *w, size_t item, const char *entry, uint64_t size,
    uint64_t stored, uint64_t chunks, char hex[DEXF_NHASH][DEXF_HEX_MAX])
{
	struct dexf_item *it = &w->m.items[item];
	char ix[DEXF_PATH_MAX + 16];

	for (int i = 0; i < DEXF_NHASH; i++)
		if (hex[i][0] != '\0' &&
		    (it->digest[i] = strdup(hex[i])) == NULL)
			return dexf_seterr(&w->err, DEXF_ENOMEM,
			    "out of memory");
	it->size = size;
	it->has_storage = 1;
	it->compression = w->compression;
	it->level = w->level;
	it->chunk_size = w->chunk_size;
	it->chunk_count = chunks;
	it->stored_size = stored;
	it->entry = strdup(entry);
	snprintf(ix, sizeof(ix), "%s%s.idx", DEXF_INDEX_PREFIX, it->id);
	it->index_entry = strdup(ix);
	if (it->entry == NULL || it->index_entry == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	return 0;
}

static int
report_progress(dexf_writer *w, uint64_t n, const char *src)
{
	w->done += n;
	if (w->progress && w->progress(w->done, w->total,
	    w->progress_payload) != 0)
		return dexf_seterr(&w->err, DEXF_ECANCELED,
		    "canceled while packing %s", src);
	return 0;
}

/* One chunk out at offset *stored of its entry: its index record, its
 * Merkle leaf and its stored bytes. */
static int
put_chunk(dexf_writer *w, const dexf_slot *sl, dexf_merkle *mk,
    uint64_t *stored, const char *src)
{
	dexf_idx_entry ie;
	unsigned char rec[DEXF_IDX_ENTRY];
	int rc;

	memcpy(ie.leaf, sl->leaf, 32);
	ie.offset = *stored;
	ie.length = (uint32_t)sl->outlen;
	dexf_idx_entry_encode(rec, &ie);
	if (dexf_merkle_add(mk, ie.leaf) != 0)
		return dexf_seterr(&w->err, DEXF_ECRYPTO, "%s: digest failed",
		    src);
	if ((rc = idx_append(w, rec)) != 0 ||
	    (rc = dexf_zipw_write(&w->zw, w->compression == 8 ? sl->out :
	    sl->in, sl->outlen)) != 0)
		return rc;
	*stored += sl->outlen;
	return 0;
}

/* After an entry's last chunk: the deflate stream's trailer. */
static int
put_trailer(dexf_writer *w, uint64_t *stored)
{
	int rc;

	if (w->compression != 8)
		return 0;
	if ((rc = dexf_zipw_write(&w->zw, dexf_deflate_trailer, 2)) != 0)
		return rc;
	*stored += 2;
	return 0;
}

/* Write back the oldest small file in flight: its ZIP entry, its index
 * record and its manifest fields, exactly as add_stream() would have. */
static int
write_back(dexf_writer *w)
{
	size_t nslots = dexf_pool_slots(w->pool);
	deferred d = w->dq[w->dq_head];
	dexf_slot *sl = dexf_pool_slot(w->pool, d.slot);
	char entry[DEXF_PATH_MAX + 16];
	dexf_merkle mk;
	uint64_t stored = 0, chunks = 0;
	int rc;

	w->dq_head = (w->dq_head + 1) % nslots;
	w->dq_len--;
	if (dexf_pool_wait(w->pool, d.slot) != 0) {
		rc = dexf_seterr(&w->err, DEXF_ENOMEM, "%s: compression failed",
		    d.src);
		goto fail;
	}
	if (sl->md_failed) {
		rc = dexf_seterr(&w->err, DEXF_ECRYPTO, "%s: digest failed",
		    d.src);
		goto fail;
	}
	snprintf(entry, sizeof(entry), "%s%s", DEXF_EVIDENCE_PREFIX,
	    w->m.items[d.item].path);
	w->idx_start[d.item] = w->idx_pos;
	if ((rc = dexf_zipw_begin(&w->zw, entry, w->compression, d.mode,
	    d.mtime)) != 0)
		goto fail;
	dexf_merkle_init(&mk);
	if (d.size > 0) {
		if ((rc = put_chunk(w, sl, &mk, &stored, d.src)) != 0)
			goto fail;
		chunks = 1;
	}
	if ((rc = put_trailer(w, &stored)) != 0 ||
	    (rc = dexf_zipw_end(&w->zw, d.size > 0 ? sl->crc : 0,
	    d.size)) != 0)
		goto fail;
	if (dexf_merkle_root(&mk, w->m.items[d.item].merkle_root) != 0) {
		rc = dexf_seterr(&w->err, DEXF_ECRYPTO, "%s: digest failed",
		    d.src);
		goto fail;
	}
	if ((rc = file_end(w, d.item, entry, d.size, stored, chunks,
	    sl->hex)) != 0 || (rc = report_progress(w, d.size, d.src)) != 0)
		goto fail;
	free(d.src);
	return 0;
fail:
	free(d.src);
	w->failed = 1; /* the ZIP stream is now inconsistent */
	return rc;
}

/* Every small file in flight, written back in order. */
static int
write_back_all(dexf_writer *w)
{
	int rc;

	while (w->dq_len > 0)
		if ((rc = write_back(w)) != 0)
			return rc;
	return 0;
}

static int
add_stream(dexf_writer *w, int fd, const char *name, const struct stat *st,
    const char *src)
{
	char entry[DEXF_PATH_MAX + 16];
	char hex[DEXF_NHASH][DEXF_HEX_MAX];
	dexf_mdset md;
	dexf_merkle mk;
	uint32_t crc = 0;
	uint64_t size = 0, stored = 0, chunks = 0;
	size_t item_index;
	int rc, md_ready = 0;

	/* the pool's slots are all this item's from here */
	if ((rc = write_back_all(w)) != 0 ||
	    (rc = file_begin(w, name, st, &item_index)) != 0)
		return rc;
	snprintf(entry, sizeof(entry), "%s%s", DEXF_EVIDENCE_PREFIX, name);
	w->idx_start[item_index] = w->idx_pos;
	if ((rc = dexf_zipw_begin(&w->zw, entry, w->compression,
	    st ? (unsigned)(st->st_mode & 0777) : 0644,
	    st ? st->st_mtime : w->created)) != 0)
		goto fail;
	if (dexf_mdset_init(&md, w->hashes) != 0) {
		rc = dexf_seterr(&w->err, DEXF_ENOMEM, "cannot set up digests");
		goto fail;
	}
	md_ready = 1;
	dexf_merkle_init(&mk);
	/*
	 * Pipeline: this thread reads chunk after chunk into free slots;
	 * workers compress them and compute their leaf hash and CRC-32; the
	 * linear digests run in stream order on the pool's linear thread;
	 * this thread then writes the slots back in order, combining the
	 * CRCs and building the Merkle tree.  Up to nslots chunks are in
	 * flight.
	 */
	dexf_pool_set_linear(w->pool, &md);
	{
		size_t nslots = dexf_pool_slots(w->pool);
		uint64_t rd_seq = 0, wr_seq = 0;
		int eof = 0;

		for (;;) {
			dexf_slot *sl;

			while (!eof && rd_seq - wr_seq < nslots) {
				ssize_t n;

				sl = dexf_pool_slot(w->pool, rd_seq % nslots);
				n = dexf_read_full(fd, sl->in, w->chunk_size);
				if (n < 0) {
					rc = dexf_seterr_sys(&w->err, DEXF_EIO,
					    errno, "%s: read failed at offset "
					    "%llu", src,
					    (unsigned long long)size);
					goto fail;
				}
				if (n == 0) {
					eof = 1;
					break;
				}
				sl->inlen = (size_t)n;
				size += (uint64_t)n;
				/* a file that is one short chunk: no hand-off */
				if (rd_seq == 0 && (size_t)n < w->chunk_size)
					dexf_pool_process_now(w->pool,
					    rd_seq % nslots);
				else
					dexf_pool_submit(w->pool,
					    rd_seq % nslots);
				rd_seq++;
				if ((size_t)n < w->chunk_size)
					eof = 1;
			}
			if (wr_seq == rd_seq)
				break;
			sl = dexf_pool_slot(w->pool, wr_seq % nslots);
			if (dexf_pool_wait(w->pool, wr_seq % nslots) != 0) {
				rc = dexf_seterr(&w->err, DEXF_ENOMEM,
				    "%s: compression failed", src);
				goto fail;
			}
			crc = dexf_crc32_combine(crc, sl->crc,
			    sl->inlen);
			if ((rc = put_chunk(w, sl, &mk, &stored, src)) != 0)
				goto fail;
			chunks++;
			wr_seq++;
			if ((rc = report_progress(w, sl->inlen, src)) != 0)
				goto fail;
		}
	}
	if ((rc = put_trailer(w, &stored)) != 0)
		goto fail;
	dexf_pool_set_linear(w->pool, NULL);
	if ((rc = dexf_zipw_end(&w->zw, crc, size)) != 0)
		goto fail;
	if (dexf_pool_linear_failed(w->pool) ||
	    dexf_mdset_final(&md, hex) != 0 ||
	    dexf_merkle_root(&mk, w->m.items[item_index].merkle_root) != 0) {
		rc = dexf_seterr(&w->err, DEXF_ECRYPTO, "%s: digest failed", src);
		goto fail;
	}
	dexf_mdset_free(&md);
	return file_end(w, item_index, entry, size, stored, chunks, hex);
fail:
	/* the linear thread may still be using md */
	if (w->pool != NULL) {
		dexf_pool_drain(w->pool);
		dexf_pool_set_linear(w->pool, NULL);
	}
	if (md_ready)
		dexf_mdset_free(&md);
	w->failed = 1; /* the ZIP stream is now inconsistent */
	return rc;
}

int
dexf_writer_add_fd(dexf_writer *w, int fd, const char *name)
{
	int rc = usable(w);
	struct stat sb;

	if (rc != 0)
		return rc;
	if (name == NULL)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "a stream needs a stored name");
	/* A regular file given as a descriptor keeps its metadata. */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		return add_stream(w, fd, name, &sb, name);
	return add_stream(w, fd, name, NULL, name);
}

static int
add_symlink(dexf_writer *w, int dirfd, const char *rel, const char *name,
    const struct stat *st, const char *src)
{
	struct dexf_item *it;
	char target[DEXF_PATH_MAX + 1];
	ssize_t n;
	int rc;

	n = readlinkat(dirfd, rel, target, sizeof(target));
	if (n < 0)
		return dexf_seterr_sys(&w->err, DEXF_EIO, errno,
		    "%s: cannot read symbolic link", src);
	if ((size_t)n > DEXF_PATH_MAX)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "%s: symbolic link target longer than 4096 bytes", src);
	target[n] = '\0';
	if (!dexf_utf8_valid(target, (size_t)n))
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "%s: symbolic link target is not valid UTF-8", src);
	if ((rc = new_item(w, name, DEXF_ITEM_SYMLINK, &it)) != 0)
		return rc;
	it->size = (uint64_t)n;
	if ((it->meta[M_LINK_TARGET] = strdup(target)) == NULL ||
	    set_original(it, st) != 0)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	return 0;
}

/*
 * A regular file of less than one chunk.  A hand-off per file would cost
 * more than its chunk work, and a tree is mostly such files, so they are
 * spread over the workers instead: the file is read now into the next
 * pool slot, a worker compresses it and computes its leaf, CRC-32 and
 * linear digests while later files are read, and write_back() writes it
 * out in item order.  The container is the same byte for byte as
 * add_stream() makes, whatever the number of threads.
 */
static int
add_small(dexf_writer *w, int fd, const char *name, const struct stat *st,
    const char *src)
{
	size_t nslots = dexf_pool_slots(w->pool), slot, item;
	dexf_slot *sl;
	deferred *d;
	ssize_t n;
	int rc;

	if (w->dq_len == nslots && (rc = write_back(w)) != 0)
		return rc;
	slot = (size_t)(w->dq_seq % nslots);
	sl = dexf_pool_slot(w->pool, slot);
	if ((n = dexf_read_full(fd, sl->in, w->chunk_size)) < 0)
		return dexf_seterr_sys(&w->err, DEXF_EIO, errno,
		    "%s: read failed at offset 0", src);
	if ((size_t)n == w->chunk_size) {
		/* it has grown to a chunk or more: stream it */
		if (lseek(fd, 0, SEEK_SET) != 0)
			return dexf_seterr_sys(&w->err, DEXF_EIO, errno,
			    "%s: cannot seek", src);
		return add_stream(w, fd, name, st, src);
	}
	if ((rc = file_begin(w, name, st, &item)) != 0)
		return rc;
	d = &w->dq[(w->dq_head + w->dq_len) % nslots];
	if ((d->src = strdup(src)) == NULL) {
		w->failed = 1; /* an item without storage */
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	}
	d->item = item;
	d->slot = slot;
	d->size = (uint64_t)n;
	d->mode = (unsigned)(st->st_mode & 0777);
	d->mtime = st->st_mtime;
	w->dq_len++;
	w->dq_seq++;
	sl->inlen = (size_t)n;
	dexf_pool_submit_item(w->pool, slot, w->hashes);
	return 0;
}

static int
add_regular_at(dexf_writer *w, int dirfd, const char *rel, const char *name,
    const struct stat *lst, const char *src)
{
	struct stat sb;
	int fd, rc;

	/* O_NONBLOCK: what was a file may be a FIFO by now, whose open
	 * would wait for a writer (on a regular file it changes nothing) */
	fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return dexf_seterr_sys(&w->err, DEXF_EIO, errno,
		    "%s: cannot open", src);
	/* The file must still be the one we looked at (lst), or, when the
	 * directory entry said "regular file" (lst NULL), still be one. */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (lst != NULL &&
	    (sb.st_ino != lst->st_ino || sb.st_dev != lst->st_dev))) {
		close(fd);
		return dexf_seterr(&w->err, DEXF_EIO,
		    "%s: changed while being packed", src);
	}
	if (sb.st_size < (off_t)w->chunk_size)
		rc = add_small(w, fd, name, &sb, src);
	else
		rc = add_stream(w, fd, name, &sb, src);
	close(fd);
	return rc;
}

int
dexf_writer_add_file(dexf_writer *w, const char *src, const char *name)
{
	struct stat st;
	char *copy, *base;
	int rc = usable(w);

	if (rc != 0)
		return rc;
	if (src == NULL)
		return DEXF_EINVAL;
	if (lstat(src, &st) != 0)
		return dexf_seterr_sys(&w->err, errno == ENOENT ?
		    DEXF_ENOTFOUND : DEXF_EIO, errno, "%s", src);
	copy = strdup(src);
	if (copy == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	base = basename(copy);
	if (name == NULL)
		name = base;
	if (S_ISLNK(st.st_mode))
		rc = add_symlink(w, AT_FDCWD, src, name, &st, src);
	else if (S_ISREG(st.st_mode))
		rc = add_regular_at(w, AT_FDCWD, src, name, &st, src);
	else if (S_ISDIR(st.st_mode))
		rc = dexf_seterr(&w->err, DEXF_EINVAL,
		    "%s: is a directory (add it as a tree)", src);
	else
		rc = dexf_seterr(&w->err, DEXF_EINVAL,
		    "%s: not a regular file, directory or symbolic link", src);
	free(copy);
	return rc;
}

/* A directory entry: its name and readdir()'s type (DT_UNKNOWN when the
 * file system does not say). */
typedef struct dirent_name {
	char *name;
	unsigned char type;
} dirent_name;

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const dirent_name *)a)->name,
	    ((const dirent_name *)b)->name);
}

static int
add_dir(dexf_writer *w, int dirfd, const char *name, const char *src,
    const struct stat *dst, int depth)
{
	DIR *d = NULL;
	struct dirent *de;
	dirent_name *names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0, dfd;

	if (depth > MAX_TREE_DEPTH)
		return dexf_seterr(&w->err, DEXF_EINVAL,
		    "%s: directory tree deeper than %d levels", src,
		    MAX_TREE_DEPTH);
	if ((dfd = dup(dirfd)) < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return dexf_seterr_sys(&w->err, DEXF_EIO, errno,
		    "%s: cannot read directory", src);
	}
	/* Sorted, so the container does not depend on readdir() order. */
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			dirent_name *nn = realloc(names, nc * sizeof(*nn));

			if (nn == NULL) {
				rc = dexf_seterr(&w->err, DEXF_ENOMEM,
				    "out of memory");
				goto out;
			}
			names = nn;
			cap = nc;
		}
		names[n].type = de->d_type;
		if ((names[n].name = strdup(de->d_name)) == NULL) {
			rc = dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	if (errno != 0) {
		rc = dexf_seterr_sys(&w->err, DEXF_EIO, errno,
		    "%s: cannot read directory", src);
		goto out;
	}
	if (n == 0) {
		/* Empty directories are kept as directory items. */
		struct dexf_item *it;

		if ((rc = new_item(w, name, DEXF_ITEM_DIRECTORY, &it)) != 0)
			goto out;
		if (set_original(it, dst) != 0)
			rc = dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *nm = names[i].name;
		size_t cl = strlen(name) + strlen(nm) + 2;
		size_t sl = strlen(src) + strlen(nm) + 2;
		char *child = malloc(cl), *csrc = malloc(sl);
		struct stat st;

		if (child == NULL || csrc == NULL) {
			free(child);
			free(csrc);
			rc = dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
			break;
		}
		snprintf(child, cl, "%s/%s", name, nm);
		snprintf(csrc, sl, "%s/%s", src, nm);
		/* A regular file by its directory entry is opened and
		 * checked by its descriptor alone: one path lookup, not
		 * two (many small files spent a seventh of the walk in
		 * fstatat). */
		if (names[i].type == DT_REG) {
			rc = add_regular_at(w, dirfd, nm, child, NULL, csrc);
		} else if (fstatat(dirfd, nm, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = dexf_seterr_sys(&w->err, DEXF_EIO, errno, "%s",
			    csrc);
		} else if (S_ISREG(st.st_mode)) {
			rc = add_regular_at(w, dirfd, nm, child, &st, csrc);
		} else if (S_ISLNK(st.st_mode)) {
			rc = add_symlink(w, dirfd, nm, child, &st, csrc);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, nm, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0) {
				rc = dexf_seterr_sys(&w->err, DEXF_EIO, errno,
				    "%s: cannot open directory", csrc);
			} else {
				rc = add_dir(w, sub, child, csrc, &st,
				    depth + 1);
				close(sub);
			}
		} else {
			warn(w, "%s: skipped: not a regular file, directory "
			    "or symbolic link", csrc);
		}
		free(child);
		free(csrc);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i].name);
	free(names);
	closedir(d);
	return rc;
}

int
dexf_writer_add_tree(dexf_writer *w, const char *src, const char *name)
{
	struct stat st;
	char *copy = NULL;
	int rc = usable(w), fd;

	if (rc != 0)
		return rc;
	if (src == NULL)
		return DEXF_EINVAL;
	fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dexf_seterr_sys(&w->err, errno == ENOENT ?
		    DEXF_ENOTFOUND : DEXF_EIO, errno, "%s", src);
	if (fstat(fd, &st) != 0) {
		rc = dexf_seterr_sys(&w->err, DEXF_EIO, errno, "%s", src);
		goto out;
	}
	if (name == NULL) {
		char *b;
		size_t l;

		copy = strdup(src);
		if (copy == NULL) {
			rc = dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
			goto out;
		}
		/* basename of "dir/" is "dir"; of "." or "/" is unusable */
		l = strlen(copy);
		while (l > 1 && copy[l - 1] == '/')
			copy[--l] = '\0';
		b = basename(copy);
		if (strcmp(b, ".") == 0 || strcmp(b, "..") == 0 ||
		    strcmp(b, "/") == 0) {
			rc = dexf_seterr(&w->err, DEXF_EINVAL,
			    "%s: give a stored name for this directory", src);
			goto out;
		}
		name = b;
	}
	rc = add_dir(w, fd, name, src, &st, 0);
out:
	free(copy);
	close(fd);
	return rc;
}

/* ------------------------------------------------------------ finish */

static int set_meta(dexf_writer *w, struct dexf_item *it, int slot,
	const char *value);

static int
apply_meta(dexf_writer *w)
{
	for (size_t i = 0; i < w->nmeta; i++) {
		pending_meta *pm = &w->meta[i];
		struct dexf_item *it;
		size_t pos;
		int slot = dexf_meta_slot(pm->key), rc;

		if (pathset_find(&w->paths, &w->m, pm->path, &pos) != 1) {
			/* A directory: applies to every item below it. */
			size_t plen = strlen(pm->path), hits = 0;

			for (size_t k = 0; k < w->m.nitems; k++) {
				it = &w->m.items[k];
				if (strncmp(it->path, pm->path, plen) != 0 ||
				    it->path[plen] != '/')
					continue;
				if ((rc = set_meta(w, it, slot, pm->value)) != 0)
					return rc;
				hits++;
			}
			if (hits == 0)
				return dexf_seterr(&w->err, DEXF_ENOTFOUND,
				    "item metadata for '%s': no item or "
				    "directory with that path was packed",
				    pm->path);
			continue;
		}
		it = &w->m.items[w->paths.slot[pos] - 1];
		if ((rc = set_meta(w, it, slot, pm->value)) != 0)
			return rc;
	}
	return 0;
}

static int
set_meta(dexf_writer *w, struct dexf_item *it, int slot, const char *value)
{
	char *v;

	if (slot == M_UNREADABLE) {
		dexf_range *r;
		size_t n;

		const char *why;

		if (it->kind != DEXF_ITEM_FILE)
			return dexf_seterr(&w->err, DEXF_EINVAL,
			    "item '%s': unreadable ranges apply to files only",
			    it->path);
		if (dexf_parse_ranges(value, &r, &n) != 0)
			return dexf_seterr(&w->err, DEXF_EINVAL,
			    "bad unreadable ranges");
		if ((why = dexf_ranges_check(r, n, it->size)) != NULL) {
			free(r);
			return dexf_seterr(&w->err, DEXF_EINVAL,
			    "item '%s' (%llu bytes): unreadable '%s' %s",
			    it->path, (unsigned long long)it->size, value, why);
		}
		free(it->unreadable);
		it->unreadable = r;
		it->nunreadable = n;
	}
	if ((v = strdup(value)) == NULL)
		return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
	free(it->meta[slot]);
	it->meta[slot] = v;
	return 0;
}

static int
write_indexes(dexf_writer *w)
{
	unsigned char buf[DEXF_IDX_ENTRY * 1024];
	unsigned char hdr[DEXF_IDX_HEADER];
	uint64_t win_off = 0;
	size_t win_len = 0;
	int frc;

	if ((frc = idx_flush(w)) != 0)
		return frc;
	for (size_t i = 0; i < w->m.nitems; i++) {
		struct dexf_item *it = &w->m.items[i];
		dexf_idx_header h;
		uint64_t left, off;
		uint32_t crc;
		int rc;
		dexf_mdset md;
		char hex[DEXF_NHASH][DEXF_HEX_MAX];

		if (it->kind != DEXF_ITEM_FILE)
			continue;
		memset(&h, 0, sizeof(h));
		h.major = 1;
		h.minor = 0;
		h.chunk_size = it->chunk_size;
		h.item_size = it->size;
		h.chunk_count = it->chunk_count;
		h.compression = (uint8_t)it->compression;
		h.leaf_alg = DEXF_IDX_LEAF_SHA256;
		h.data_size = it->stored_size;
		dexf_idx_header_encode(hdr, &h);
		if ((rc = dexf_zipw_begin(&w->zw, it->index_entry, 0, 0644,
		    w->created)) != 0)
			return rc;
		if (dexf_mdset_init(&md, DEXF_HASH_SHA256) != 0)
			return dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
		crc = dexf_crc32(0, hdr, sizeof(hdr));
		dexf_mdset_update(&md, hdr, sizeof(hdr));
		if ((rc = dexf_zipw_write(&w->zw, hdr, sizeof(hdr))) != 0) {
			dexf_mdset_free(&md);
			return rc;
		}
		left = it->chunk_count * DEXF_IDX_ENTRY;
		off = w->idx_start[i];
		while (left > 0) {
			size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
			const unsigned char *p;

			/* items' records follow each other in the scratch
			 * file: read it in windows, not item by item */
			if (off < win_off || off + n > win_off + win_len) {
				win_off = off;
				win_len = w->idx_pos - off < sizeof(buf) ?
				    (size_t)(w->idx_pos - off) : sizeof(buf);
				if (dexf_pread_full(w->idx_fd, buf, win_len,
				    off) != 0) {
					dexf_mdset_free(&md);
					return dexf_seterr_sys(&w->err, DEXF_EIO,
					    errno, "scratch index read failed");
				}
			}
			p = buf + (off - win_off);
			crc = dexf_crc32(crc, p, n);
			dexf_mdset_update(&md, p, n);
			if ((rc = dexf_zipw_write(&w->zw, p, n)) != 0) {
				dexf_mdset_free(&md);
				return rc;
			}
			left -= n;
			off += n;
		}
		dexf_mdset_final(&md, hex);
		dexf_mdset_free(&md);
		dexf_unhex(it->index_sha256, 32, hex[0]);
		if ((rc = dexf_zipw_end(&w->zw, crc, DEXF_IDX_HEADER +
		    it->chunk_count * DEXF_IDX_ENTRY)) != 0)
			return rc;
	}
	return 0;
}

static int
write_small(dexf_writer *w, const char *name, const unsigned char *data,
    size_t len, int compress)
{
	uint32_t crc = dexf_crc32(0, data, len);
	int rc;

	if ((rc = dexf_zipw_begin(&w->zw, name, compress ? 8 : 0, 0644,
	    w->created)) != 0)
		return rc;
	if (compress) {
		/*
		 * Independent full-flush chunks and the stream trailer, as an
		 * evidence stream is made: one deflate stream any inflater
		 * reads, on the faster engine.  A 20,000-file tree has a 13 MB
		 * manifest, which zlib took 0.1 s over at level 1, with the
		 * workers idle.  The evidence's level, or 6 when it is stored.
		 */
		const size_t piece = 1u << 20;
		dexf_codec *c = NULL;
		unsigned char *out = malloc(dexf_chunk_stored_max(piece));
		size_t n;

		rc = out == NULL || dexf_codec_new(&c, w->compression == 8 ?
		    w->level : 6) != 0 ? dexf_seterr(&w->err, DEXF_ENOMEM,
		    "out of memory") : 0;
		for (size_t off = 0; rc == 0 && off < len; off += n) {
			size_t olen;

			n = len - off < piece ? len - off : piece;
			if (dexf_chunk_deflate(c, data + off, n, out,
			    dexf_chunk_stored_max(piece), &olen) != 0)
				rc = dexf_seterr(&w->err, DEXF_ENOMEM,
				    "deflate failed");
			else
				rc = dexf_zipw_write(&w->zw, out, olen);
		}
		if (rc == 0)
			rc = dexf_zipw_write(&w->zw, dexf_deflate_trailer, 2);
		dexf_codec_free(c);
		free(out);
		if (rc != 0)
			return rc;
	} else if ((rc = dexf_zipw_write(&w->zw, data, len)) != 0) {
		return rc;
	}
	return dexf_zipw_end(&w->zw, crc, len);
}

static int
install(dexf_writer *w, int overwrite)
{
	int rc;

	/* the temporary file was opened as "force": the writer checked
	 * for an existing container itself; link() re-checks unless asked
	 * to replace one */
	w->out.force = overwrite;
	if ((rc = dexf_outfile_install(&w->out, &w->err)) == 0)
		w->finished = 1;
	return rc;
}

/* The manifest's schema check (a reader's: nothing is sealed that a
 * reader would refuse) on a thread of its own while the manifest is
 * compressed and written; the writer fails if either does. */
typedef struct manifest_check {
	const unsigned char *doc;
	size_t len;
	dexf_err err;
	int rc;
} manifest_check;

static void *
run_manifest_check(void *arg)
{
	manifest_check *c = arg;

	c->rc = dexf_xml_check(c->doc, c->len, DEXF_SCHEMA_MANIFEST,
	    "manifest.xml (being written)", &c->err);
	return NULL;
}

static int
check_and_write_manifest(dexf_writer *w, const unsigned char *doc,
    size_t len)
{
	manifest_check c;
	pthread_t tid;
	int rc, threaded;

	memset(&c, 0, sizeof(c));
	c.doc = doc;
	c.len = len;
	threaded = pthread_create(&tid, NULL, run_manifest_check, &c) == 0;
	if (!threaded)
		run_manifest_check(&c);
	rc = write_small(w, DEXF_ENTRY_MANIFEST, doc, len, 1);
	if (threaded)
		pthread_join(tid, NULL);
	if (c.rc != 0) {
		w->err = c.err;
		return c.rc;
	}
	return rc;
}

int
dexf_writer_finish(dexf_writer *w)
{
	unsigned char *mbuf = NULL, *rbuf = NULL, *sig = NULL;
	size_t mlen = 0, rlen = 0, slen = 0;
	dexf_record rec;
	int rc = usable(w);

	if (rc != 0)
		return rc;
	memset(&rec, 0, sizeof(rec));
	if ((rc = write_back_all(w)) != 0 || (rc = apply_meta(w)) != 0 ||
	    (rc = write_indexes(w)) != 0 ||
	    (rc = dexf_manifest_serialize(&w->m, &mbuf, &mlen, &w->err)) != 0)
		goto out;
	if (mlen > w->max_manifest) {
		rc = dexf_seterr(&w->err, DEXF_EINVAL, "the manifest is %zu "
		    "bytes, more than the %llu a reader accepts (FORMAT.md "
		    "8.6): split the evidence over several containers", mlen,
		    (unsigned long long)w->max_manifest);
		goto out;
	}
	/* the schema check of the manifest runs while it is compressed */
	if ((rc = check_and_write_manifest(w, mbuf, mlen)) != 0)
		goto out;
	/* Record 0 binds the exact manifest bytes. */
	rec.format_version = strdup(DEXF_FORMAT_VERSION);
	rec.sequence = 0;
	rec.kind = strdup("seal");
	rec.container_id = strdup(w->m.container_id);
	rec.time = strdup(w->m.created);
	for (size_t i = 0; i < w->m.nagents; i++)
		if (strcmp(w->m.agents[i].role, "examiner") == 0) {
			rec.agent_role = strdup("examiner");
			rec.agent_name = strdup(w->m.agents[i].name);
			rec.agent_org = dexf_strdup(w->m.agents[i].org);
			break;
		}
	rec.tool = strdup("dexf");
	rec.tool_version = strdup(DEXF_VERSION_STRING);
	rec.has_manifest = 1;
	rec.manifest_entry = strdup(DEXF_ENTRY_MANIFEST);
	if (w->signer != NULL &&
	    (rec.signature_entry = strdup(DEXF_ENTRY_SEAL_SIG)) == NULL) {
		rc = dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	rec.manifest_size = mlen;
	if (!rec.format_version || !rec.kind || !rec.container_id ||
	    !rec.time || !rec.tool || !rec.tool_version ||
	    !rec.manifest_entry) {
		rc = dexf_seterr(&w->err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	dexf_sha256(rec.manifest_sha256, mbuf, mlen);
	if ((rc = dexf_record_write(&rec, &rbuf, &rlen, &w->err)) != 0 ||
	    (rc = write_small(w, DEXF_ENTRY_SEAL, rbuf, rlen, 0)) != 0)
		goto out;
	if (w->signer != NULL) {
		if ((rc = dexf_cms_sign(w->signer, rbuf, rlen, &sig, &slen,
		    &w->err)) != 0 ||
		    (rc = write_small(w, DEXF_ENTRY_SEAL_SIG, sig, slen, 0)) != 0)
			goto out;
	}
	if ((rc = dexf_zipw_finish(&w->zw)) != 0)
		goto out;
	rc = install(w, w->overwrite);
out:
	if (rc != 0)
		w->failed = 1;
	dexf_record_clear(&rec);
	free(mbuf);
	free(rbuf);
	free(sig);
	return rc;
}

void
dexf_writer_set_limits(dexf_writer *w, uint64_t max_entries,
    uint64_t max_manifest)
{
	w->max_entries = max_entries;
	w->max_manifest = max_manifest;
}
