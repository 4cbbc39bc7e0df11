/*
 * manifest.c - manifest model, XML serialization and parsing.
 *
 * The writer serializes with a small serializer of its own and then parses
 * its output back through the hardened parser, so nothing is written that
 * a reader would refuse.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "chunk.h"
#include "format.h"
#include "manifest.h"
#include "path.h"
#include "util.h"
#include "xmlsafe.h"

const char *const dexf_case_fields[C_N] = {
	"number", "name", "description", "authorization"
};

static const char *const meta_keys[M_NMETA] = {
	"exhibit", "media-type", "mtime", "mode", "link-target",
	"source.type", "source.make", "source.model", "source.serial",
	"source.description",
	"acquisition.method", "acquisition.start", "acquisition.end",
	"acquisition.tool", "acquisition.notes",
	"unreadable",
	"entry", "compression", "level", "chunk-size", "chunk-count",
	"stored-size", "index-entry", "index-sha256", "merkle-root",
};

static const char *const src_tags[5] = {
	"type", "make", "model", "serial", "description"
};
static const char *const acq_tags[5] = {
	"method", "start", "end", "tool", "notes"
};

const char *
dexf_meta_key(int slot)
{
	return slot >= 0 && slot < M_NMETA ? meta_keys[slot] : NULL;
}

int
dexf_meta_slot(const char *key)
{
	for (int i = 0; i < M_NMETA; i++)
		if (strcmp(meta_keys[i], key) == 0)
			return i;
	return -1;
}

void
dexf_item_clear(struct dexf_item *it)
{
	free(it->path);
	for (int i = 0; i < M_NMETA; i++)
		free(it->meta[i]);
	for (int i = 0; i < DEXF_NHASH; i++)
		free(it->digest[i]);
	free(it->unreadable);
	free(it->entry);
	free(it->index_entry);
	memset(it, 0, sizeof(*it));
}

void
dexf_manifest_clear(dexf_manifest *m)
{
	free(m->format_version);
	free(m->container_id);
	free(m->created);
	free(m->producer);
	free(m->producer_version);
	for (int i = 0; i < C_N; i++)
		free(m->case_[i]);
	for (size_t i = 0; i < m->nagents; i++) {
		free(m->agents[i].role);
		free(m->agents[i].name);
		free(m->agents[i].org);
	}
	free(m->agents);
	for (size_t i = 0; i < m->nitems; i++)
		dexf_item_clear(&m->items[i]);
	free(m->items);
	memset(m, 0, sizeof(*m));
}

/* "i" and n in decimal, cut to 15 characters: what snprintf(id, 16,
 * "i%zu", n) writes, without its cost (three calls an item). */
static void
item_id(char id[16], size_t n)
{
	char d[20];
	size_t k = 0, i;

	do
		d[k++] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	id[0] = 'i';
	for (i = 0; i < k && i < 14; i++)
		id[1 + i] = d[k - 1 - i];
	id[1 + i] = '\0';
}

struct dexf_item *
dexf_manifest_add_item(dexf_manifest *m)
{
	struct dexf_item *it;

	if (m->nitems == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		struct dexf_item *ni = realloc(m->items, nc * sizeof(*ni));

		if (ni == NULL)
			return NULL;
		m->items = ni;
		m->cap = nc;
	}
	it = &m->items[m->nitems++];
	memset(it, 0, sizeof(*it));
	item_id(it->id, m->nitems);
	return it;
}

int
dexf_parse_ranges(const char *s, dexf_range **out, size_t *n)
{
	dexf_range *r = NULL;
	size_t cnt = 0, cap = 0;
	char *copy, *tok, *save = NULL;

	*out = NULL;
	*n = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if ((copy = strdup(s)) == NULL)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		uint64_t off, len;

		if (colon == NULL)
			goto fail;
		*colon = '\0';
		if (dexf_parse_u64(&off, tok) != 0 ||
		    dexf_parse_u64(&len, colon + 1) != 0 || len == 0)
			goto fail;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 8;
			dexf_range *nr;

			if (nc > 65536)
				goto fail;
			nr = realloc(r, nc * sizeof(*nr));
			if (nr == NULL)
				goto fail;
			r = nr;
			cap = nc;
		}
		r[cnt].offset = off;
		r[cnt].length = len;
		cnt++;
	}
	free(copy);
	*out = r;
	*n = cnt;
	return 0;
fail:
	free(copy);
	free(r);
	return -1;
}

const char *
dexf_ranges_check(const dexf_range *r, size_t n, uint64_t size)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].length == 0)
			return "has an empty range";
		if (r[i].offset > size || r[i].length > size - r[i].offset)
			return "has a range outside the item";
		if (i > 0 && r[i].offset < r[i - 1].offset + r[i - 1].length)
			return "has ranges that are unsorted or overlap";
	}
	return NULL;
}

/* ------------------------------------------------------------ writing */

/*
 * A small serializer: a manifest of 20,000 items is 13 MB, which
 * xmlTextWriter takes a quarter of a second over.  Same layout as
 * xmlTextWriter's with indentation (two spaces a level, an element with
 * text on one line, an empty one self-closed); values are escaped, and
 * the result goes through the reader's parser and schema before use.
 */
typedef struct xw {
	char *buf;
	size_t len, cap;
	int depth;
	int open;       /* the last start tag still lacks its '>' */
	int text;       /* the current element holds text */
	int failed;     /* out of memory */
	int missing;    /* a required value was NULL */
} xw;

static void
xw_put(xw *x, const char *p, size_t n)
{
	if (x->failed)
		return;
	if (x->cap - x->len < n + 1) {
		size_t cap = x->cap ? x->cap : 65536;
		char *nb;

		while (cap - x->len < n + 1)
			cap *= 2;
		if ((nb = realloc(x->buf, cap)) == NULL) {
			x->failed = 1;
			return;
		}
		x->buf = nb;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, p, n);
	x->len += n;
}

static void
xw_puts(xw *x, const char *s)
{
	xw_put(x, s, strlen(s));
}

/* Escaped text (attr: for a double-quoted attribute value). */
static void
xw_esc(xw *x, const char *s, int attr)
{
	const char *run = s;

	if (s == NULL) {
		x->missing = 1;
		return;
	}
	for (; *s; s++) {
		const char *e = NULL;

		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '\r': e = "&#13;"; break;
		case '"': e = attr ? "&quot;" : NULL; break;
		case '\n': e = attr ? "&#10;" : NULL; break;
		case '\t': e = attr ? "&#9;" : NULL; break;
		default: break;
		}
		if (e == NULL)
			continue;
		xw_put(x, run, (size_t)(s - run));
		xw_puts(x, e);
		run = s + 1;
	}
	xw_put(x, run, (size_t)(s - run));
}

static void
xw_indent(xw *x)
{
	static const char sp[] = "                                ";

	for (int d = x->depth * 2; d > 0; d -= 32)
		xw_put(x, sp, d > 32 ? 32 : (size_t)d);
}

static void
xw_start(xw *x, const char *tag)
{
	if (x->open)
		xw_puts(x, ">\n");
	xw_indent(x);
	xw_put(x, "<", 1);
	xw_puts(x, tag);
	x->open = 1;
	x->text = 0;
	x->depth++;
}

static void
xw_attr(xw *x, const char *name, const char *v)
{
	xw_put(x, " ", 1);
	xw_puts(x, name);
	xw_put(x, "=\"", 2);
	xw_esc(x, v, 1);
	xw_put(x, "\"", 1);
}

/* v in decimal, in buf */
static const char *
u64_dec(char buf[24], uint64_t v)
{
	snprintf(buf, 24, "%llu", (unsigned long long)v);
	return buf;
}

static void
xw_attr_u64(xw *x, const char *name, uint64_t v)
{
	char num[24];

	xw_attr(x, name, u64_dec(num, v));
}

static void
xw_string(xw *x, const char *v)
{
	if (x->open)
		xw_put(x, ">", 1);
	x->open = 0;
	x->text = 1;
	xw_esc(x, v, 0);
}

static void
xw_end(xw *x, const char *tag)
{
	x->depth--;
	if (x->open) {
		xw_puts(x, "/>\n");
	} else {
		if (!x->text)
			xw_indent(x);
		xw_put(x, "</", 2);
		xw_puts(x, tag);
		xw_put(x, ">\n", 2);
	}
	x->open = 0;
	x->text = 0;
}

static void
xw_text(xw *x, const char *tag, const char *v)
{
	if (v == NULL)
		return;
	xw_start(x, tag);
	xw_string(x, v);
	xw_end(x, tag);
}

static void
xw_u64(xw *x, const char *tag, uint64_t v)
{
	char num[24];

	xw_text(x, tag, u64_dec(num, v));
}

static int
any_set(char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		if (v[i] != NULL)
			return 1;
	return 0;
}

static void
write_item(xw *x, const struct dexf_item *it)
{
	static const char *const kinds[] = { "file", "symlink", "directory" };
	char hex[65];

	xw_start(x, "item");
	xw_attr(x, "id", it->id);
	xw_attr(x, "kind", kinds[it->kind]);
	xw_text(x, "path", it->path);
	xw_text(x, "exhibit", it->meta[M_EXHIBIT]);
	xw_u64(x, "size", it->size);
	xw_text(x, "mediaType", it->meta[M_MEDIA_TYPE]);
	if (it->meta[M_MTIME] || it->meta[M_MODE]) {
		xw_start(x, "original");
		if (it->meta[M_MTIME])
			xw_attr(x, "mtime", it->meta[M_MTIME]);
		if (it->meta[M_MODE])
			xw_attr(x, "mode", it->meta[M_MODE]);
		xw_end(x, "original");
	}
	xw_text(x, "linkTarget", it->meta[M_LINK_TARGET]);
	if (any_set(&it->meta[M_SRC_TYPE], 5)) {
		xw_start(x, "source");
		for (int i = 0; i < 5; i++)
			xw_text(x, src_tags[i], it->meta[M_SRC_TYPE + i]);
		xw_end(x, "source");
	}
	if (any_set(&it->meta[M_ACQ_METHOD], 5)) {
		xw_start(x, "acquisition");
		for (int i = 0; i < 5; i++)
			xw_text(x, acq_tags[i], it->meta[M_ACQ_METHOD + i]);
		xw_end(x, "acquisition");
	}
	if (it->nunreadable > 0) {
		xw_start(x, "unreadable");
		for (size_t i = 0; i < it->nunreadable; i++) {
			xw_start(x, "range");
			xw_attr_u64(x, "offset", it->unreadable[i].offset);
			xw_attr_u64(x, "length", it->unreadable[i].length);
			xw_end(x, "range");
		}
		xw_end(x, "unreadable");
	}
	if (it->kind == DEXF_ITEM_FILE) {
		xw_start(x, "digests");
		for (int i = 0; i < DEXF_NHASH; i++) {
			if (it->digest[i] == NULL)
				continue;
			xw_start(x, "digest");
			xw_attr(x, "algorithm", dexf_hash_name(dexf_hash_at(i)));
			xw_string(x, it->digest[i]);
			xw_end(x, "digest");
		}
		xw_end(x, "digests");
		xw_start(x, "storage");
		xw_attr(x, "entry", it->entry);
		xw_attr(x, "compression", it->compression == 8 ? "deflate" :
		    "store");
		if (it->compression == 8)
			xw_attr_u64(x, "level", (uint64_t)it->level);
		xw_attr_u64(x, "chunkSize", it->chunk_size);
		xw_attr_u64(x, "chunkCount", it->chunk_count);
		xw_attr_u64(x, "storedSize", it->stored_size);
		xw_attr(x, "index", it->index_entry);
		dexf_hex(hex, it->index_sha256, 32);
		xw_attr(x, "indexSha256", hex);
		dexf_hex(hex, it->merkle_root, 32);
		xw_attr(x, "merkleRoot", hex);
		xw_end(x, "storage");
	}
	xw_end(x, "item");
}

int
dexf_manifest_serialize(const dexf_manifest *m, unsigned char **out,
    size_t *outlen, dexf_err *err)
{
	xw x;

	*out = NULL;
	*outlen = 0;
	memset(&x, 0, sizeof(x));
	xw_puts(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	xw_start(&x, "manifest");
	xw_attr(&x, "formatVersion", m->format_version);
	xw_attr(&x, "xmlns", DEXF_NS_MANIFEST);
	xw_text(&x, "containerId", m->container_id);
	xw_text(&x, "created", m->created);
	xw_start(&x, "producer");
	xw_attr(&x, "name", m->producer);
	xw_attr(&x, "version", m->producer_version);
	xw_end(&x, "producer");
	if (any_set(m->case_, C_N)) {
		xw_start(&x, "case");
		for (int i = 0; i < C_N; i++)
			xw_text(&x, dexf_case_fields[i], m->case_[i]);
		xw_end(&x, "case");
	}
	if (m->nagents > 0) {
		xw_start(&x, "agents");
		for (size_t i = 0; i < m->nagents; i++) {
			xw_start(&x, "agent");
			xw_attr(&x, "role", m->agents[i].role);
			xw_text(&x, "name", m->agents[i].name);
			xw_text(&x, "organization", m->agents[i].org);
			xw_end(&x, "agent");
		}
		xw_end(&x, "agents");
	}
	xw_start(&x, "items");
	for (size_t i = 0; i < m->nitems; i++)
		write_item(&x, &m->items[i]);
	xw_end(&x, "items");
	xw_end(&x, "manifest");
	if (x.failed || x.missing) {
		free(x.buf);
		return x.failed ? dexf_seterr(err, DEXF_ENOMEM, "out of memory") :
		    dexf_seterr(err, DEXF_EINVAL, "manifest.xml: a required "
		    "value is missing (an item left unfinished?)");
	}
	x.buf[x.len] = '\0';
	*out = (unsigned char *)x.buf;
	*outlen = x.len;
	return 0;
}

int
dexf_manifest_write(const dexf_manifest *m, unsigned char **out,
    size_t *outlen, dexf_err *err)
{
	int rc;

	if ((rc = dexf_manifest_serialize(m, out, outlen, err)) != 0)
		return rc;
	/* read our own output back through the reader's checks */
	if ((rc = dexf_xml_check(*out, *outlen, DEXF_SCHEMA_MANIFEST,
	    "manifest.xml (being written)", err)) != 0) {
		free(*out);
		*out = NULL;
		*outlen = 0;
	}
	return rc;
}

/* ------------------------------------------------------------ parsing */

/*
 * The pattern facets of the schema's value types, in C.  The overlapped
 * verify checks the manifest against DEXF_SCHEMA_MANIFEST_SHAPE, which
 * leaves them out, so these run on every value of those types (with the
 * full schema they never fail).  Each is 1 when s, not NULL, matches.
 * UtcTime and ItemId have none: dexf_parse_time() takes only a time that
 * prints back exactly as written, and an item's id must be i1, i2, ... in
 * order, at most DEXF_MAX_ITEMS of them (parse_item()): each is that
 * pattern and more.
 */

/* Sha256Hex [0-9a-f]{64}, DigestHex [0-9a-f]{32,128} (without a branch
 * per character: 200 of them an item) */
static int
is_hex(const char *s, size_t min, size_t max)
{
	size_t n = strnlen(s, max + 1);
	unsigned bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		bad |= ((unsigned char)(c - '0') > 9) &
		    ((unsigned char)(c - 'a') > 5);
	}
	return n >= min && n <= max && bad == 0;
}

/* Mode [0-7]{4} */
static int
is_mode(const char *s)
{
	for (size_t i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '7')
			return 0;
	return s[4] == '\0';
}

/* AlgorithmName [a-z0-9][a-z0-9\-]{0,31} */
static int
is_alg_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 32 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
			return 0;
	return 1;
}

static int
parse_u64_attr(xmlNodePtr n, const char *name, uint64_t *out)
{
	char *v = dexf_xml_attr(n, name);
	int rc = dexf_parse_u64(out, v);

	free(v);
	return rc;
}


/* One <digest> of a file item: each algorithm at most once, known or
 * not (seen[], up to 16 names), and a known one's hex of its length. */
static int
parse_digest(struct dexf_item *it, xmlNodePtr d, char *seen[16],
    size_t *nseen, const char *what, dexf_err *err)
{
	static const size_t hexlen[DEXF_NHASH] = { 64, 32, 40, 128, 64 };
	char *alg = dexf_xml_attr(d, "algorithm");
	char *val = (char *)xmlNodeGetContent(d);
	dexf_hash h;
	int slot = -1, dup = 0, rc = 0;

	if (alg == NULL || val == NULL) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: item '%s': digest "
		    "without algorithm", what, it->path);
		goto out;
	}
	if (!is_alg_name(alg) || !is_hex(val, 32, 128)) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: item '%s': digest "
		    "'%s' is not a lowercase algorithm name with 32 to 128 "
		    "lowercase hex digits", what, it->path, alg);
		goto out;
	}
	h = dexf_hash_from_name(alg);
	/* each algorithm once, known or not; hex is whole bytes */
	for (size_t k = 0; k < *nseen; k++)
		dup |= strcmp(seen[k], alg) == 0;
	if (dup || strlen(val) % 2 != 0 || *nseen == 16) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: item '%s': digest "
		    "'%s' is repeated or not whole bytes", what, it->path, alg);
		goto out;
	}
	if ((seen[*nseen] = strdup(alg)) == NULL) {
		rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	(*nseen)++;
	for (int i = 0; i < DEXF_NHASH; i++)
		if (h && dexf_hash_at(i) == h &&
		    strcmp(alg, dexf_hash_name(h)) == 0)
			slot = i;
	if (slot < 0)
		it->unknown_digests++;
	else if (it->digest[slot] != NULL)
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: item '%s': digest "
		    "'%s' given twice", what, it->path, dexf_hash_name(h));
	else if (strlen(val) != hexlen[slot])
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: item '%s': %s digest "
		    "has the wrong length", what, it->path, dexf_hash_name(h));
	else
		it->digest[slot] = strdup(val);
out:
	free(alg);
	xmlFree(val);
	return rc;
}

/* The child elements of an item, in the schema's order. */
enum {
	IC_PATH, IC_EXHIBIT, IC_SIZE, IC_MEDIA_TYPE, IC_ORIGINAL,
	IC_LINK_TARGET, IC_SOURCE, IC_ACQUISITION, IC_UNREADABLE, IC_DIGESTS,
	IC_STORAGE, IC_EXTENSIONS, IC_N
};
static const char *const item_tags[IC_N] = {
	"path", "exhibit", "size", "mediaType", "original", "linkTarget",
	"source", "acquisition", "unreadable", "digests", "storage",
	"extensions"
};

/* The first child element of n of each name, as dexf_xml_child() finds
 * it, in one walk: each name is looked for from the last one found on,
 * so children in the schema's order cost a comparison or two. */
static void
item_children(xmlNodePtr n, xmlNodePtr ch[IC_N])
{
	int k = 0;

	memset(ch, 0, IC_N * sizeof(*ch));
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (int tries = 0; tries < IC_N; tries++, k = (k + 1) % IC_N)
			if (strcmp((const char *)c->name, item_tags[k]) == 0) {
				if (ch[k] == NULL)
					ch[k] = c;
				break;
			}
	}
}

static int
parse_item(struct dexf_item *it, xmlNodePtr n, size_t idx, const char *what,
    dexf_err *err)
{
	char *v, expect[64];
	xmlNodePtr c, ch[IC_N];
	const char *why;

	v = dexf_xml_attr(n, "id");
	item_id(expect, idx + 1);
	if (v == NULL || strcmp(v, expect) != 0) {
		free(v);
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item %zu: id must be '%s'", what, idx + 1, expect);
	}
	free(v);
	/* Without the schema (dexf_manifest_parse_unvalidated) anything
	 * may be missing here: each such case is an error, never a NULL
	 * dereference.  With it, none of these errors can occur. */
	v = dexf_xml_attr(n, "kind");
	if (v == NULL)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item %zu: no kind", what, idx + 1);
	it->kind = strcmp(v, "file") == 0 ? DEXF_ITEM_FILE :
	    strcmp(v, "symlink") == 0 ? DEXF_ITEM_SYMLINK :
	    DEXF_ITEM_DIRECTORY;
	free(v);
	item_children(n, ch);
	if (ch[IC_PATH] == NULL)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item %zu: no path", what, idx + 1);
	it->path = dexf_xml_text(ch[IC_PATH]);
	if (it->path == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	if ((why = dexf_path_check(it->path)) != NULL)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item '%s': path %s", what, it->id, why);
	v = dexf_xml_text(ch[IC_SIZE]);
	if (dexf_parse_u64(&it->size, v) != 0) {
		free(v);
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item '%s': bad size", what, it->path);
	}
	free(v);
	it->meta[M_EXHIBIT] = dexf_xml_text(ch[IC_EXHIBIT]);
	it->meta[M_MEDIA_TYPE] = dexf_xml_text(ch[IC_MEDIA_TYPE]);
	c = ch[IC_ORIGINAL];
	it->meta[M_MTIME] = dexf_xml_attr(c, "mtime");
	it->meta[M_MODE] = dexf_xml_attr(c, "mode");
	if (it->meta[M_MODE] != NULL && !is_mode(it->meta[M_MODE]))
		return dexf_seterr(err, DEXF_EFORMAT, "%s: item '%s': mode "
		    "'%s' is not four octal digits", what, it->path,
		    it->meta[M_MODE]);
	it->meta[M_LINK_TARGET] = dexf_xml_text(ch[IC_LINK_TARGET]);
	c = ch[IC_SOURCE];
	for (int i = 0; c && i < 5; i++)
		it->meta[M_SRC_TYPE + i] = dexf_xml_child_text(c, src_tags[i]);
	c = ch[IC_ACQUISITION];
	for (int i = 0; c && i < 5; i++)
		it->meta[M_ACQ_METHOD + i] = dexf_xml_child_text(c,
		    acq_tags[i]);
	c = ch[IC_UNREADABLE];
	if (c != NULL) {
		size_t cnt = 0, cap = 0, slen = 0, scap = 0;
		char *s = NULL;

		for (xmlNodePtr r = c->children; r; r = r->next) {
			dexf_range rg, *nr;
			char tmp[48];
			size_t tl;

			if (r->type != XML_ELEMENT_NODE)
				continue;
			if (parse_u64_attr(r, "offset", &rg.offset) != 0 ||
			    parse_u64_attr(r, "length", &rg.length) != 0) {
				free(s);
				return dexf_seterr(err, DEXF_EFORMAT,
				    "%s: item '%s': bad unreadable range", what,
				    it->path);
			}
			if (cnt == cap) {
				cap = cap ? cap * 2 : 8;
				nr = realloc(it->unreadable, cap * sizeof(*nr));
				if (nr == NULL) {
					free(s);
					return dexf_seterr(err, DEXF_ENOMEM,
					    "out of memory");
				}
				it->unreadable = nr;
			}
			it->unreadable[cnt++] = rg;
			it->nunreadable = cnt;
			tl = (size_t)snprintf(tmp, sizeof(tmp), "%s%llu:%llu",
			    cnt > 1 ? "," : "", (unsigned long long)rg.offset,
			    (unsigned long long)rg.length);
			if (slen + tl + 1 > scap) {
				char *ns;

				scap = (slen + tl + 1) * 2;
				ns = realloc(s, scap);
				if (ns == NULL) {
					free(s);
					return dexf_seterr(err, DEXF_ENOMEM,
					    "out of memory");
				}
				s = ns;
			}
			memcpy(s + slen, tmp, tl + 1);
			slen += tl;
		}
		it->meta[M_UNREADABLE] = s;
		{
			const char *bad = it->kind != DEXF_ITEM_FILE ?
			    "is not a file" : dexf_ranges_check(it->unreadable,
			    it->nunreadable, it->size);

			if (bad != NULL)
				return dexf_seterr(err, DEXF_EFORMAT,
				    "%s: item '%s': unreadable ranges: item %s",
				    what, it->path, bad);
		}
	}
	/* Times must be real instants, not just the right shape. */
	{
		static const int slots[] = { M_MTIME, M_ACQ_START, M_ACQ_END };
		time_t t;

		for (size_t k = 0; k < sizeof(slots) / sizeof(slots[0]); k++)
			if (it->meta[slots[k]] != NULL &&
			    dexf_parse_time(&t, it->meta[slots[k]]) != 0)
				return dexf_seterr(err, DEXF_EFORMAT,
				    "%s: item '%s': '%s' is not a valid UTC time",
				    what, it->path, it->meta[slots[k]]);
	}
	if (it->kind == DEXF_ITEM_DIRECTORY && it->size != 0)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item '%s': a directory has size 0", what, it->path);
	if (it->kind == DEXF_ITEM_SYMLINK && it->meta[M_LINK_TARGET] != NULL &&
	    it->size != strlen(it->meta[M_LINK_TARGET]))
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item '%s': size must be the length of the link target",
		    what, it->path);
	if (dexf_xml_critical_in(ch[IC_EXTENSIONS]))
		return dexf_seterr(err, DEXF_EUNSUPPORTED,
		    "%s: item '%s' has a critical extension this version does "
		    "not understand", what, it->path);

	c = ch[IC_DIGESTS];
	if (it->kind != DEXF_ITEM_FILE) {
		if (c != NULL || ch[IC_STORAGE] != NULL)
			return dexf_seterr(err, DEXF_EFORMAT,
			    "%s: item '%s': only files have digests and storage",
			    what, it->path);
		if ((it->kind == DEXF_ITEM_SYMLINK) !=
		    (it->meta[M_LINK_TARGET] != NULL))
			return dexf_seterr(err, DEXF_EFORMAT,
			    "%s: item '%s': linkTarget belongs to symlinks "
			    "only", what, it->path);
		return 0;
	}
	if (it->meta[M_LINK_TARGET] != NULL)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item '%s': a file has no linkTarget", what, it->path);
	char *seen[16];
	size_t nseen = 0;
	int rc = 0;

	for (xmlNodePtr d = c ? c->children : NULL; d && rc == 0; d = d->next)
		if (d->type == XML_ELEMENT_NODE)
			rc = parse_digest(it, d, seen, &nseen, what, err);
	for (size_t k = 0; k < nseen; k++)
		free(seen[k]);
	if (rc != 0)
		return rc;
	if (it->digest[0] == NULL)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item '%s' has no sha256 digest", what, it->path);
	c = ch[IC_STORAGE];
	if (c == NULL)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: item '%s' has no storage element", what, it->path);
	{
		uint64_t cs, lvl = 0;
		size_t pl, il;
		char *comp = dexf_xml_attr(c, "compression");
		char *ix = dexf_xml_attr(c, "indexSha256");
		char *mr = dexf_xml_attr(c, "merkleRoot");
		char *lv = dexf_xml_attr(c, "level");
		int bad;

		it->has_storage = 1;
		it->compression = comp != NULL && strcmp(comp, "deflate") == 0 ?
		    8 : 0;
		it->meta[M_CHUNK_SIZE] = dexf_xml_attr(c, "chunkSize");
		it->meta[M_CHUNK_COUNT] = dexf_xml_attr(c, "chunkCount");
		it->meta[M_STORED_SIZE] = dexf_xml_attr(c, "storedSize");
		bad = comp == NULL || ix == NULL || !is_hex(ix, 64, 64) ||
		    mr == NULL || !is_hex(mr, 64, 64) ||
		    dexf_parse_u64(&cs, it->meta[M_CHUNK_SIZE]) != 0 ||
		    dexf_parse_u64(&it->chunk_count,
		    it->meta[M_CHUNK_COUNT]) != 0 ||
		    dexf_parse_u64(&it->stored_size,
		    it->meta[M_STORED_SIZE]) != 0 ||
		    dexf_unhex(it->index_sha256, 32, ix) != 0 ||
		    dexf_unhex(it->merkle_root, 32, mr) != 0 ||
		    (lv != NULL && dexf_parse_u64(&lvl, lv) != 0) ||
		    (lv != NULL) != (it->compression == 8);
		it->level = (int)lvl;
		it->entry = dexf_xml_attr(c, "entry");
		it->index_entry = dexf_xml_attr(c, "index");
		it->meta[M_COMPRESSION] = comp;
		it->meta[M_LEVEL] = lv;
		it->meta[M_INDEX_SHA256] = ix;
		it->meta[M_MERKLE_ROOT] = mr;
		it->meta[M_ENTRY] = dexf_strdup(it->entry);
		it->meta[M_INDEX] = dexf_strdup(it->index_entry);
		if (bad || it->entry == NULL || it->index_entry == NULL)
			return dexf_seterr(err, DEXF_EFORMAT,
			    "%s: item '%s': bad storage attributes", what,
			    it->path);
		if (cs < DEXF_CHUNK_MIN || cs > DEXF_CHUNK_MAX || (cs & (cs - 1)))
			return dexf_seterr(err, DEXF_EFORMAT,
			    "%s: item '%s': chunk size %llu is not a power of "
			    "two from 4 KiB to 64 MiB", what, it->path,
			    (unsigned long long)cs);
		it->chunk_size = (uint32_t)cs;
		if (it->chunk_count != it->size / cs + (it->size % cs != 0))
			return dexf_seterr(err, DEXF_EFORMAT,
			    "%s: item '%s': chunk count %llu does not match size "
			    "%llu", what, it->path,
			    (unsigned long long)it->chunk_count,
			    (unsigned long long)it->size);
		pl = strlen(DEXF_INDEX_PREFIX);
		il = strlen(it->id);
		if (strncmp(it->entry, DEXF_EVIDENCE_PREFIX, 9) != 0 ||
		    strcmp(it->entry + 9, it->path) != 0 ||
		    strncmp(it->index_entry, DEXF_INDEX_PREFIX, pl) != 0 ||
		    strncmp(it->index_entry + pl, it->id, il) != 0 ||
		    strcmp(it->index_entry + pl + il, ".idx") != 0) {
			snprintf(expect, sizeof(expect), "%s%s.idx",
			    DEXF_INDEX_PREFIX, it->id);
			return dexf_seterr(err, DEXF_EFORMAT,
			    "%s: item '%s': storage entry names must be "
			    "'evidence/%s' and '%s'", what, it->path, it->path,
			    expect);
		}
	}
	return 0;
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp((*(struct dexf_item *const *)a)->path,
	    (*(struct dexf_item *const *)b)->path);
}

static int
cmp_key_path(const void *key, const void *b)
{
	return strcmp(key, (*(struct dexf_item *const *)b)->path);
}

/*
 * No item may lie below a file or a symbolic link: 'd' -> /tmp plus 'd/x'
 * would let an unpacker write through the link.  `sorted` holds the items
 * in path order.
 */
static int
check_ancestors(struct dexf_item **sorted, size_t n, const char *what,
    dexf_err *err)
{
	char prefix[DEXF_PATH_MAX + 1];

	for (size_t i = 0; i < n; i++) {
		const char *p = sorted[i]->path;

		for (const char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
			struct dexf_item **hit;
			size_t len = (size_t)(s - p);

			memcpy(prefix, p, len);
			prefix[len] = '\0';
			hit = bsearch(prefix, sorted, n, sizeof(*sorted),
			    cmp_key_path);
			if (hit != NULL && (*hit)->kind != DEXF_ITEM_DIRECTORY)
				return dexf_seterr(err, DEXF_EFORMAT,
				    "%s: item '%s' lies below '%s', which is a "
				    "%s", what, p, prefix,
				    (*hit)->kind == DEXF_ITEM_SYMLINK ?
				    "symbolic link" : "file");
		}
	}
	return 0;
}

typedef struct parse_ctx {
	dexf_manifest *m;
	const char *what;
	dexf_err *err;
	unsigned seen;  /* header_once[] elements met, one bit each */
} parse_ctx;

/* The header elements the schema allows once each. */
static const char *const header_once[] = {
	"containerId", "created", "producer", "case", "agents"
};

static int
parse_agents(parse_ctx *pc, xmlNodePtr n)
{
	dexf_manifest *m = pc->m;
	size_t count = 0;

	for (xmlNodePtr a = n->children; a; a = a->next)
		if (a->type == XML_ELEMENT_NODE)
			count++;
	if (count == 0)
		return 0;
	m->agents = calloc(count, sizeof(*m->agents));
	if (m->agents == NULL)
		return dexf_seterr(pc->err, DEXF_ENOMEM, "out of memory");
	for (xmlNodePtr a = n->children; a; a = a->next) {
		dexf_agent *ag;

		if (a->type != XML_ELEMENT_NODE)
			continue;
		ag = &m->agents[m->nagents++];
		ag->role = dexf_xml_attr(a, "role");
		ag->name = dexf_xml_child_text(a, "name");
		ag->org = dexf_xml_child_text(a, "organization");
	}
	return 0;
}

/* One element of the manifest at a time (dexf_xml_stream): the header
 * elements, then each item. */
static int
on_element(void *ctx, int in_items, xmlNodePtr n)
{
	parse_ctx *pc = ctx;
	dexf_manifest *m = pc->m;
	const char *name = (const char *)n->name;
	xmlChar *t;

	if (in_items) {
		struct dexf_item *it;

		if (m->nitems >= DEXF_MAX_ITEMS)
			return dexf_seterr(pc->err, DEXF_EFORMAT,
			    "%s: more than %u items", pc->what, DEXF_MAX_ITEMS);
		if ((it = dexf_manifest_add_item(m)) == NULL)
			return dexf_seterr(pc->err, DEXF_ENOMEM, "out of memory");
		return parse_item(it, n, m->nitems - 1, pc->what, pc->err);
	}
	/* The schema allows each header element once; without it (the
	 * unvalidated parse) a repeat must not replace or extend what the
	 * first one set. */
	for (size_t k = 0; k < sizeof(header_once) / sizeof(*header_once);
	    k++) {
		if (strcmp(name, header_once[k]) != 0)
			continue;
		if (pc->seen & 1u << k)
			return dexf_seterr(pc->err, DEXF_EFORMAT, "%s: more "
			    "than one <%s>", pc->what, name);
		pc->seen |= 1u << k;
	}
	if (strcmp(name, "containerId") == 0 || strcmp(name, "created") == 0) {
		char **dst = name[1] == 'o' ? &m->container_id : &m->created;

		t = xmlNodeGetContent(n);
		*dst = strdup(t ? (const char *)t : "");
		xmlFree(t);
		if (*dst == NULL)
			return dexf_seterr(pc->err, DEXF_ENOMEM, "out of memory");
		if (dst == &m->created) {
			time_t tt;

			if (dexf_parse_time(&tt, m->created) != 0)
				return dexf_seterr(pc->err, DEXF_EFORMAT,
				    "%s: created '%s' is not a valid UTC time",
				    pc->what, m->created);
		}
	} else if (strcmp(name, "producer") == 0) {
		m->producer = dexf_xml_attr(n, "name");
		m->producer_version = dexf_xml_attr(n, "version");
	} else if (strcmp(name, "case") == 0) {
		for (int i = 0; i < C_N; i++)
			m->case_[i] = dexf_xml_child_text(n,
			    dexf_case_fields[i]);
	} else if (strcmp(name, "agents") == 0) {
		return parse_agents(pc, n);
	} else if (strcmp(name, "extensions") == 0) {
		if (dexf_xml_critical_in(n))
			return dexf_seterr(pc->err, DEXF_EUNSUPPORTED,
			    "%s: has a critical extension this version does "
			    "not understand", pc->what);
	}
	return 0;
}

static int
manifest_parse(dexf_manifest *m, const unsigned char *buf, size_t len,
    const char *what, dexf_err *err, int validate)
{
	parse_ctx pc = { .m = m, .what = what, .err = err };
	struct dexf_item **sorted = NULL;
	int rc;

	memset(m, 0, sizeof(*m));
	/* Streamed: memory follows the model, not a whole-document tree
	 * (a DOM costs several times the manifest's size). */
	if ((rc = (validate ? dexf_xml_stream : dexf_xml_stream_unvalidated)(
	    buf, len, DEXF_SCHEMA_MANIFEST, what, "items", on_element, &pc,
	    &m->format_version, err)) != 0)
		goto out;
	if (m->container_id == NULL || m->created == NULL) {
		/* only without the schema, which requires both */
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: no containerId or "
		    "created", what);
		goto out;
	}
	if (m->format_version == NULL || sscanf(m->format_version, "%d.%d",
	    &m->major, &m->minor) != 2) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: bad formatVersion",
		    what);
		goto out;
	}
	/* Paths are unique (byte comparison; see FORMAT.md on
	 * normalization). */
	if (m->nitems > 1) {
		sorted = malloc(m->nitems * sizeof(*sorted));
		if (sorted == NULL) {
			rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < m->nitems; i++)
			sorted[i] = &m->items[i];
		qsort(sorted, m->nitems, sizeof(*sorted), cmp_path);
		for (size_t i = 1; i < m->nitems; i++)
			if (strcmp(sorted[i - 1]->path, sorted[i]->path) == 0) {
				rc = dexf_seterr(err, DEXF_EFORMAT,
				    "%s: duplicate item path '%s'", what,
				    sorted[i]->path);
				goto out;
			}
		if ((rc = check_ancestors(sorted, m->nitems, what, err)) != 0)
			goto out;
	}
	rc = 0;
out:
	free(sorted);
	if (rc != 0)
		dexf_manifest_clear(m);
	return rc;
}

int
dexf_manifest_parse(dexf_manifest *m, const unsigned char *buf, size_t len,
    const char *what, dexf_err *err)
{
	return manifest_parse(m, buf, len, what, err, 1);
}

int
dexf_manifest_parse_unvalidated(dexf_manifest *m, const unsigned char *buf,
    size_t len, const char *what, dexf_err *err)
{
	return manifest_parse(m, buf, len, what, err, 0);
}
