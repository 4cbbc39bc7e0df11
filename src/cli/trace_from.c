/*
 * trace_from.c - trace-back records for `dexf trace add`: read from a file
 * (XML or JSON), split endpoints, and check values before anything is
 * signed.
 *
 * Input is untrusted (it may come from another organization): the file is
 * bounded (4 MiB), XML is parsed without DTDs, entity expansion, XInclude
 * or network access (a DOCTYPE is refused outright), and JSON goes through
 * a small strict parser (RFC 8259: no trailing data, no duplicate keys,
 * valid UTF-8 only, no control characters in strings, nesting <= 32).
 *
 * JSON shape: the incident object `dexf trace show --format json` prints
 * (cmd_trace.c), so its output can be fed back:
 *   { "id": str, "organization": str,
 *     "flow": { "protocol": str|num, "start": str|null, "end": str|null,
 *               "source": {"address": str, "port": str|num|null},
 *               "destination": {"address": str, "port": str|num|null} },
 *     "hops": [ { "point": {"address", "asn", "router", "interface"},
 *                 "time", "observed_source", "spoofed",
 *                 "upstream": {"address", "asn"} | null,
 *                 "method", "confidence",
 *                 "evidence": [ "PATH" | {"item" or "path", "sha256"} ],
 *                 "contact": {"role", "name", "organization", "email",
 *                             "phone"},
 *                 "note" } ],
 *     "result": str | {"value": str, "sequence": n},
 *     "note": str|null }
 * The whole `trace show --format json` document is accepted too when it
 * holds exactly one incident.
 *
 * Unknown keys: only the members trace show prints for display are ignored
 * (hop "index" and "asserted_by", result "sequence", and the document's
 * own members around "incidents").  Any other unknown key is an error:
 * a misspelled optional key ("upstraem") would otherwise silently drop
 * what the author meant to sign.  null means absent.  The XML side is
 * just as strict: every element and unqualified attribute must be one the
 * schema names (attributes in other namespaces, comments and processing
 * instructions are ignored; element order is not enforced, occurrence is).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cli.h"
#include "trace_from.h"

#define VERB "trace add"
#define MAX_FILE (4u << 20)
#define MAX_DEPTH 32
/* a record has a few thousand values at most (256 hops); the bound keeps
 * a hostile 4 MiB "[0,0,0,...]" from costing more than a few MB of nodes */
#define MAX_VALUES (1u << 18)
#define MAX_HOPS 256
#define RECORD_NS "urn:dexf:record:1"

/* ------------------------------------------------------------ storage */

/* Every block behind a trace_from: strings, the hops, evidence arrays. */
typedef struct store {
	void **blk;
	size_t n, cap;
} store;

/* Keep `p` (malloc'd) until trace_from_free(); frees it and returns NULL
 * when out of memory. */
static void *
keep(store *st, void *p)
{
	if (p == NULL)
		return NULL;
	if (st->n == st->cap) {
		size_t nc = st->cap ? st->cap * 2 : 64;
		void **b = realloc(st->blk, nc * sizeof(*b));

		if (b == NULL) {
			free(p);
			return NULL;
		}
		st->blk = b;
		st->cap = nc;
	}
	st->blk[st->n++] = p;
	return p;
}

static const char *
sdup(store *st, const char *s)
{
	return keep(st, strdup(s));
}

void
trace_from_free(trace_from *tf)
{
	store *st;

	if (tf == NULL)
		return;
	st = tf->storage;
	if (st != NULL) {
		for (size_t i = 0; i < st->n; i++)
			free(st->blk[i]);
		free(st->blk);
		free(st);
	}
	memset(tf, 0, sizeof(*tf));
}

/* A value fit for a one-line message: control bytes shown as '?', cut
 * after about 60 bytes (on a UTF-8 boundary). */
static const char *
shown(char *buf, size_t len, const char *s)
{
	size_t i = 0;

	for (; *s != '\0' && i + 4 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (i >= 60 && (c & 0xc0) != 0x80) {
			memcpy(buf + i, "...", 3);
			i += 3;
			break;
		}
		buf[i++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[i] = '\0';
	return buf;
}

/* ------------------------------------------------------------ reading */

static const char *
display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "stdin" : path;
}

/* Whole file (at most MAX_FILE bytes) into a malloc'd, NUL-terminated
 * buffer. */
static char *
slurp(const char *path, const char *name, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (f == NULL) {
		cli_err(VERB, "%s: %s", name, strerror(errno));
		return NULL;
	}
	/* one byte more than allowed tells "too large" from "exactly 4 MiB" */
	if ((buf = malloc(MAX_FILE + 2)) == NULL) {
		cli_err(VERB, "out of memory");
		goto out;
	}
	while (n < MAX_FILE + 1) {
		size_t r = fread(buf + n, 1, MAX_FILE + 1 - n, f);

		if (r == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		cli_err(VERB, "%s: read error: %s", name, strerror(errno));
		goto fail;
	}
	if (n > MAX_FILE) {
		cli_err(VERB, "%s: larger than 4 MiB", name);
		goto fail;
	}
	buf[n] = '\0';
	*len = n;
	goto out;
fail:
	free(buf);
	buf = NULL;
out:
	if (f != stdin)
		fclose(f);
	return buf;
}

/* ------------------------------------------------------------ XML */

typedef struct xctx {
	const char *file;
	store *st;
} xctx;

static int
xml_oom(void)
{
	cli_err(VERB, "out of memory");
	return -1;
}

static int
is_rec(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, RECORD_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

static int
blank(const xmlChar *s)
{
	for (; s != NULL && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* Next element child of `parent` after `c` (NULL: the first).  Elements
 * outside the record namespace and text that is not blank are errors
 * (err set to -1); comments and processing instructions are skipped. */
static xmlNodePtr
next_el(xctx *x, xmlNodePtr parent, xmlNodePtr c, int *err)
{
	char b[80];

	for (c = c ? c->next : parent->children; c != NULL; c = c->next) {
		switch (c->type) {
		case XML_ELEMENT_NODE:
			if (c->ns == NULL || c->ns->href == NULL ||
			    strcmp((const char *)c->ns->href, RECORD_NS) != 0) {
				cli_err(VERB, "%s: line %ld: <%s> is not in "
				    "namespace " RECORD_NS, x->file,
				    xmlGetLineNo(c), shown(b, sizeof(b),
				    (const char *)c->name));
				*err = -1;
				return NULL;
			}
			return c;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (blank(c->content))
				continue;
			cli_err(VERB, "%s: line %ld: unexpected text in <%s>",
			    x->file, xmlGetLineNo(c), parent->name);
			*err = -1;
			return NULL;
		case XML_COMMENT_NODE:
		case XML_PI_NODE:
			continue;
		default:
			cli_err(VERB, "%s: line %ld: unexpected node in <%s>",
			    x->file, xmlGetLineNo(c), parent->name);
			*err = -1;
			return NULL;
		}
	}
	return NULL;
}

/* Unqualified attributes of n must be among `allowed` (NULL-terminated);
 * namespaced ones (xsi:..., xml:lang) are ignored. */
static int
attrs_ok(xctx *x, xmlNodePtr n, const char *const *allowed)
{
	char b[80];

	for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
		size_t i;

		if (a->ns != NULL)
			continue;
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp((const char *)a->name, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			cli_err(VERB, "%s: line %ld: <%s> has no attribute "
			    "'%s'", x->file, xmlGetLineNo(n), n->name,
			    shown(b, sizeof(b), (const char *)a->name));
			return -1;
		}
	}
	return 0;
}

/* Attribute `name` of n copied into the storage, or NULL when absent; a
 * required one missing is an error. */
static int
attr(xctx *x, xmlNodePtr n, const char *name, int required,
    const char **out)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);

	*out = NULL;
	if (v == NULL) {
		if (!required)
			return 0;
		cli_err(VERB, "%s: line %ld: <%s> without '%s'", x->file,
		    xmlGetLineNo(n), n->name, name);
		return -1;
	}
	*out = sdup(x->st, (const char *)v);
	xmlFree(v);
	return *out != NULL ? 0 : xml_oom();
}

static const char *const no_attrs[] = { NULL };

/* Text content of a simple element: attributes among `allowed`, no child
 * elements. */
static int
text(xctx *x, xmlNodePtr n, const char *const *allowed, const char **out)
{
	xmlChar *v;

	if (*out != NULL) {
		cli_err(VERB, "%s: line %ld: more than one <%s>", x->file,
		    xmlGetLineNo(n), n->name);
		return -1;
	}
	if (attrs_ok(x, n, allowed) != 0)
		return -1;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			cli_err(VERB, "%s: line %ld: <%s> holds an element",
			    x->file, xmlGetLineNo(c), n->name);
			return -1;
		}
	v = xmlNodeGetContent(n);
	*out = sdup(x->st, v != NULL ? (const char *)v : "");
	xmlFree(v);
	return *out != NULL ? 0 : xml_oom();
}

static int
unexpected(xctx *x, xmlNodePtr c, xmlNodePtr parent)
{
	char b[80];

	cli_err(VERB, "%s: line %ld: unexpected <%s> in <%s>", x->file,
	    xmlGetLineNo(c), shown(b, sizeof(b), (const char *)c->name),
	    parent->name);
	return -1;
}

static int
once(xctx *x, xmlNodePtr c, int *seen)
{
	if (*seen) {
		cli_err(VERB, "%s: line %ld: more than one <%s>", x->file,
		    xmlGetLineNo(c), c->name);
		return -1;
	}
	*seen = 1;
	return 0;
}

static int
missing(xctx *x, xmlNodePtr n, const char *what)
{
	cli_err(VERB, "%s: line %ld: <%s> without <%s>", x->file,
	    xmlGetLineNo(n), n->name, what);
	return -1;
}

/* Endpoint-like element: address (required) and one more attribute. */
static int
xml_pair(xctx *x, xmlNodePtr n, const char *second, const char **addr,
    const char **val)
{
	const char *allowed[] = { "address", second, NULL };
	int err = 0;

	if (attrs_ok(x, n, allowed) != 0 || attr(x, n, "address", 1, addr) ||
	    attr(x, n, second, 0, val) != 0)
		return -1;
	if (next_el(x, n, NULL, &err) != NULL)
		return unexpected(x, next_el(x, n, NULL, &err), n);
	return err;
}

static int
xml_contact(xctx *x, xmlNodePtr n, dexf_hop *h)
{
	static const char *const allowed[] = { "role", NULL };
	xmlNodePtr c = NULL;
	int err = 0;

	if (attrs_ok(x, n, allowed) != 0 ||
	    attr(x, n, "role", 0, &h->contact.role) != 0)
		return -1;
	while ((c = next_el(x, n, c, &err)) != NULL) {
		const char **dst = is_rec(c, "name") ? &h->contact.name :
		    is_rec(c, "organization") ? &h->contact.org :
		    is_rec(c, "email") ? &h->contact_email :
		    is_rec(c, "phone") ? &h->contact_phone : NULL;

		if (dst == NULL)
			return unexpected(x, c, n);
		if (text(x, c, no_attrs, dst) != 0)
			return -1;
	}
	if (err == 0 && h->contact.name == NULL)
		return missing(x, n, "name");
	return err;
}

static int
xml_evidence(xctx *x, xmlNodePtr n, dexf_item_ref *r)
{
	static const char *const allowed[] = { "path", "sha256", NULL };
	int err = 0;

	if (attrs_ok(x, n, allowed) != 0 || attr(x, n, "path", 1, &r->item) ||
	    attr(x, n, "sha256", 0, &r->sha256) != 0)
		return -1;
	if (next_el(x, n, NULL, &err) != NULL)
		return unexpected(x, next_el(x, n, NULL, &err), n);
	return err;
}

static int
xml_observed(xctx *x, xmlNodePtr n, dexf_hop *h)
{
	static const char *const allowed[] = { "time", "sourceAddress",
	    "spoofed", NULL };
	int err = 0;

	if (attrs_ok(x, n, allowed) != 0 || attr(x, n, "time", 1, &h->time) ||
	    attr(x, n, "sourceAddress", 1, &h->observed_source) != 0 ||
	    attr(x, n, "spoofed", 0, &h->spoofed) != 0)
		return -1;
	if (next_el(x, n, NULL, &err) != NULL)
		return unexpected(x, next_el(x, n, NULL, &err), n);
	return err;
}

static int
xml_point(xctx *x, xmlNodePtr n, dexf_hop *h)
{
	static const char *const allowed[] = { "address", "asn", "router",
	    "interface", NULL };
	int err = 0;

	if (attrs_ok(x, n, allowed) != 0 ||
	    attr(x, n, "address", 1, &h->point_address) != 0 ||
	    attr(x, n, "asn", 0, &h->point_asn) != 0 ||
	    attr(x, n, "router", 0, &h->router) != 0 ||
	    attr(x, n, "interface", 0, &h->interface) != 0)
		return -1;
	if (next_el(x, n, NULL, &err) != NULL)
		return unexpected(x, next_el(x, n, NULL, &err), n);
	return err;
}

static int
xml_hop(xctx *x, xmlNodePtr n, dexf_hop *h)
{
	int point = 0, obs = 0, up = 0, contact = 0, err = 0;
	size_t nev = 0, k = 0;
	dexf_item_ref *ev = NULL;
	xmlNodePtr c = NULL;

	if (attrs_ok(x, n, no_attrs) != 0)
		return -1;
	while ((c = next_el(x, n, c, &err)) != NULL)
		nev += is_rec(c, "evidence");
	if (err != 0)
		return -1;
	if (nev > 0) {
		ev = keep(x->st, calloc(nev, sizeof(*ev)));
		if (ev == NULL)
			return xml_oom();
		h->evidence = ev;
		h->nevidence = nev;
	}
	while ((c = next_el(x, n, c, &err)) != NULL) {
		int r;

		if (is_rec(c, "observationPoint"))
			r = once(x, c, &point) || xml_point(x, c, h);
		else if (is_rec(c, "observed"))
			r = once(x, c, &obs) || xml_observed(x, c, h);
		else if (is_rec(c, "upstream"))
			r = once(x, c, &up) || xml_pair(x, c, "asn",
			    &h->upstream_address, &h->upstream_asn);
		else if (is_rec(c, "method"))
			r = text(x, c, no_attrs, &h->method);
		else if (is_rec(c, "confidence"))
			r = text(x, c, no_attrs, &h->confidence);
		else if (is_rec(c, "evidence"))
			r = xml_evidence(x, c, &ev[k++]);
		else if (is_rec(c, "contact"))
			r = once(x, c, &contact) || xml_contact(x, c, h);
		else if (is_rec(c, "note"))
			r = text(x, c, no_attrs, &h->note);
		else
			r = unexpected(x, c, n);
		if (r != 0)
			return -1;
	}
	if (err != 0)
		return -1;
	return !point ? missing(x, n, "observationPoint") :
	    !obs ? missing(x, n, "observed") :
	    h->method == NULL ? missing(x, n, "method") :
	    !contact ? missing(x, n, "contact") : 0;
}

static int
xml_flow(xctx *x, xmlNodePtr n, dexf_traceback *t)
{
	static const char *const allowed[] = { "protocol", "start", "end",
	    NULL };
	int src = 0, dst = 0, err = 0;
	xmlNodePtr c = NULL;

	if (attrs_ok(x, n, allowed) != 0 ||
	    attr(x, n, "protocol", 1, &t->protocol) != 0 ||
	    attr(x, n, "start", 0, &t->window_start) != 0 ||
	    attr(x, n, "end", 0, &t->window_end) != 0)
		return -1;
	while ((c = next_el(x, n, c, &err)) != NULL) {
		int r;

		if (is_rec(c, "source"))
			r = once(x, c, &src) || xml_pair(x, c, "port",
			    &t->src_address, &t->src_port);
		else if (is_rec(c, "destination"))
			r = once(x, c, &dst) || xml_pair(x, c, "port",
			    &t->dst_address, &t->dst_port);
		else
			r = unexpected(x, c, n);
		if (r != 0)
			return -1;
	}
	if (err != 0)
		return -1;
	return !src ? missing(x, n, "source") :
	    !dst ? missing(x, n, "destination") : 0;
}

static int
xml_traceback(xctx *x, xmlNodePtr n, dexf_traceback *t)
{
	static const char *const allowed[] = { "result", NULL };
	static const char *const inc_allowed[] = { "organization", NULL };
	int inc = 0, flow = 0, err = 0;
	size_t nh = 0, k = 0;
	dexf_hop *hops;
	xmlNodePtr c = NULL;

	if (attrs_ok(x, n, allowed) != 0 ||
	    attr(x, n, "result", 1, &t->result) != 0)
		return -1;
	while ((c = next_el(x, n, c, &err)) != NULL)
		nh += is_rec(c, "hop");
	if (err != 0)
		return -1;
	if (nh > MAX_HOPS) {
		cli_err(VERB, "%s: line %ld: %zu hops (at most %d)", x->file,
		    xmlGetLineNo(n), nh, MAX_HOPS);
		return -1;
	}
	hops = keep(x->st, calloc(nh ? nh : 1, sizeof(*hops)));
	if (hops == NULL)
		return xml_oom();
	t->hops = hops;
	t->nhops = nh;
	while ((c = next_el(x, n, c, &err)) != NULL) {
		int r;

		if (is_rec(c, "incident")) {
			r = once(x, c, &inc) || text(x, c, inc_allowed,
			    &t->incident_id) || attr(x, c, "organization", 1,
			    &t->incident_org);
		} else if (is_rec(c, "flow")) {
			r = once(x, c, &flow) || xml_flow(x, c, t);
		} else if (is_rec(c, "hop")) {
			r = xml_hop(x, c, &hops[k++]);
		} else if (is_rec(c, "note")) {
			r = text(x, c, no_attrs, &t->note);
		} else {
			r = unexpected(x, c, n);
		}
		if (r != 0)
			return -1;
	}
	if (err != 0)
		return -1;
	return !inc ? missing(x, n, "incident") :
	    !flow ? missing(x, n, "flow") :
	    nh == 0 ? missing(x, n, "hop") : 0;
}

/* Plain substring search (memmem is a GNU extension). */
static int
contains(const char *buf, size_t len, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; i + nl <= len; i++)
		if (buf[i] == needle[0] && memcmp(buf + i, needle, nl) == 0)
			return 1;
	return 0;
}

static int
from_xml(const char *file, const char *buf, size_t len, store *st,
    dexf_traceback *t)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	xctx x = { file, st };
	int rc = -1;

	/* No DTD at all: that rules out entity expansion ("billion laughs"),
	 * external entities and DTD fetches before libxml2 sees a byte.  A
	 * DOCTYPE inside a comment is refused too; nobody needs one. */
	if (contains(buf, len, "<!DOCTYPE")) {
		cli_err(VERB, "%s: DOCTYPE declarations are not accepted",
		    file);
		return -1;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return xml_oom();
	/* no XML_PARSE_NOENT, DTDLOAD, XINCLUDE or HUGE: entities stay
	 * unexpanded, nothing is fetched, libxml2's default limits apply */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA);
	if (doc == NULL) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
		char m[200];
		size_t ml;

		snprintf(m, sizeof(m), "%s", e && e->message ? e->message :
		    "not well-formed XML");
		/* libxml2 messages end in '\n' and may hold more: one line */
		for (ml = 0; m[ml] != '\0'; ml++)
			if (m[ml] == '\n' || m[ml] == '\r')
				m[ml] = ' ';
		while (ml > 0 && m[ml - 1] == ' ')
			m[--ml] = '\0';
		cli_err(VERB, "%s: line %d: %s", file, e ? e->line : 0, m);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		cli_err(VERB, "%s: DOCTYPE declarations are not accepted",
		    file);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (is_rec(root, "record")) {
		/* a whole record: its body must be a traceback; the rest
		 * (container id, signer, previous link) is the appender's */
		xmlNodePtr c;

		for (c = root->children; c != NULL; c = c->next)
			if (is_rec(c, "traceback"))
				break;
		if (c == NULL) {
			cli_err(VERB, "%s: line %ld: <record> holds no "
			    "<traceback>", file, xmlGetLineNo(root));
			goto out;
		}
		root = c;
	}
	if (!is_rec(root, "traceback")) {
		char b[80];
		const char *name = root ? (const char *)root->name : "?";

		if (strcmp(name, "traceback") == 0 ||
		    strcmp(name, "record") == 0)
			cli_err(VERB, "%s: line %ld: <%s> is not in namespace "
			    RECORD_NS, file, xmlGetLineNo(root), name);
		else
			cli_err(VERB, "%s: line %ld: root element must be "
			    "<traceback> in namespace " RECORD_NS ", not <%s>",
			    file, root ? xmlGetLineNo(root) : 0,
			    shown(b, sizeof(b), name));
		goto out;
	}
	rc = xml_traceback(&x, root, t);
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* ------------------------------------------------------------ JSON */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv jv;

typedef struct jmem {
	char *key;      /* NULL in arrays */
	size_t kpos;    /* byte offset of the key */
	jv *v;
} jmem;

struct jv {
	enum jtype type;
	size_t pos;     /* byte offset of the value */
	char *s;        /* J_STR: decoded UTF-8; J_NUM: the number's text */
	jmem *m;        /* J_ARR, J_OBJ */
	size_t n, cap;
};

typedef struct jparser {
	const unsigned char *base, *p, *end;
	int depth;
	size_t values;
	const char *err;
	size_t errpos;
} jparser;

static void
jv_free(jv *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->m[i].key);
		jv_free(v->m[i].v);
	}
	free(v->m);
	free(v->s);
	free(v);
}

static int
jfail(jparser *jp, const unsigned char *at, const char *msg)
{
	if (jp->err == NULL) {
		jp->err = msg;
		jp->errpos = (size_t)(at - jp->base);
	}
	return -1;
}

static void
jws(jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' ||
	    *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

/* Length of the UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, at most U+10FFFF), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static size_t
utf8_put(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int
hex4(const unsigned char *s, const unsigned char *end, unsigned long *out)
{
	unsigned long v = 0;

	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int c = s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | (unsigned long)d;
	}
	*out = v;
	return 0;
}

/* String at jp->p (the opening quote) into a malloc'd UTF-8 string. */
static int
jstring(jparser *jp, char **out)
{
	const unsigned char *s = jp->p + 1, *q = s;
	char *o;
	size_t n = 0;

	/* the decoded string is never longer than its source text */
	while (q < jp->end && *q != '"')
		q += *q == '\\' && q + 1 < jp->end ? 2 : 1;
	if (q >= jp->end)
		return jfail(jp, jp->p, "unterminated string");
	if ((o = malloc((size_t)(q - s) + 1)) == NULL)
		return jfail(jp, jp->p, "out of memory");
	while (*s != '"') {
		size_t l;

		if (*s < 0x20) {
			free(o);
			return jfail(jp, s, "control character in string");
		}
		if (*s != '\\') {
			if ((l = utf8_len(s, (size_t)(jp->end - s))) == 0) {
				free(o);
				return jfail(jp, s, "invalid UTF-8");
			}
			memcpy(o + n, s, l);
			n += l;
			s += l;
			continue;
		}
		switch (s[1]) {
		case '"': o[n++] = '"'; s += 2; continue;
		case '\\': o[n++] = '\\'; s += 2; continue;
		case '/': o[n++] = '/'; s += 2; continue;
		case 'b': o[n++] = '\b'; s += 2; continue;
		case 'f': o[n++] = '\f'; s += 2; continue;
		case 'n': o[n++] = '\n'; s += 2; continue;
		case 'r': o[n++] = '\r'; s += 2; continue;
		case 't': o[n++] = '\t'; s += 2; continue;
		case 'u': {
			unsigned long cp, lo;

			if (hex4(s + 2, jp->end, &cp) != 0) {
				free(o);
				return jfail(jp, s, "bad \\u escape");
			}
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				free(o);
				return jfail(jp, s, "unpaired surrogate");
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (s[6] != '\\' || s[7] != 'u' ||
				    hex4(s + 8, jp->end, &lo) != 0 ||
				    lo < 0xdc00 || lo > 0xdfff) {
					free(o);
					return jfail(jp, s,
					    "unpaired surrogate");
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				s += 6;
			}
			if (cp == 0) {
				free(o);
				return jfail(jp, s, "\\u0000 in string");
			}
			n += utf8_put(o + n, cp);
			s += 6;
			continue;
		}
		default:
			free(o);
			return jfail(jp, s, "bad escape in string");
		}
	}
	o[n] = '\0';
	jp->p = q + 1;
	*out = o;
	return 0;
}

static int
jdigits(jparser *jp)
{
	const unsigned char *s = jp->p;

	while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
		jp->p++;
	return jp->p > s ? 0 : jfail(jp, jp->p, "bad number");
}

/* RFC 8259 number; kept as its text. */
static int
jnumber(jparser *jp, jv *v)
{
	const unsigned char *s = jp->p;

	if (*jp->p == '-')
		jp->p++;
	if (jp->p < jp->end && *jp->p == '0')
		jp->p++;
	else if (jdigits(jp) != 0)
		return -1;
	if (jp->p < jp->end && *jp->p == '.') {
		jp->p++;
		if (jdigits(jp) != 0)
			return -1;
	}
	if (jp->p < jp->end && (*jp->p == 'e' || *jp->p == 'E')) {
		jp->p++;
		if (jp->p < jp->end && (*jp->p == '+' || *jp->p == '-'))
			jp->p++;
		if (jdigits(jp) != 0)
			return -1;
	}
	if ((v->s = strndup((const char *)s, (size_t)(jp->p - s))) == NULL)
		return jfail(jp, s, "out of memory");
	return 0;
}

static int
jadd(jparser *jp, jv *v, char *key, size_t kpos, jv *item)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 8;
		jmem *m = realloc(v->m, nc * sizeof(*m));

		if (m == NULL) {
			free(key);
			jv_free(item);
			return jfail(jp, jp->p, "out of memory");
		}
		v->m = m;
		v->cap = nc;
	}
	v->m[v->n].key = key;
	v->m[v->n].kpos = kpos;
	v->m[v->n].v = item;
	v->n++;
	return 0;
}

static int
cmp_key(const void *a, const void *b)
{
	const jmem *x = *(const jmem *const *)a, *y = *(const jmem *const *)b;
	int c = strcmp(x->key, y->key);

	/* ties by position, so the later duplicate is reported */
	return c != 0 ? c : (x->kpos > y->kpos) - (x->kpos < y->kpos);
}

/* Duplicate keys, found by sorting (an object may have 100k keys). */
static int
jdups(jparser *jp, const jv *v)
{
	const jmem **s;
	int rc = 0;

	if (v->n < 2)
		return 0;
	if ((s = malloc(v->n * sizeof(*s))) == NULL)
		return jfail(jp, jp->p, "out of memory");
	for (size_t i = 0; i < v->n; i++)
		s[i] = &v->m[i];
	qsort(s, v->n, sizeof(*s), cmp_key);
	for (size_t i = 1; i < v->n && rc == 0; i++)
		if (strcmp(s[i - 1]->key, s[i]->key) == 0)
			rc = jfail(jp, jp->base + s[i]->kpos,
			    "duplicate key");
	free(s);
	return rc;
}

static int jvalue(jparser *jp, jv **out);

static int
jcontainer(jparser *jp, jv *v)
{
	int obj = *jp->p == '{';
	unsigned char close = obj ? '}' : ']';

	if (++jp->depth > MAX_DEPTH)
		return jfail(jp, jp->p, "nested deeper than 32 levels");
	jp->p++;
	jws(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		jp->depth--;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t kpos = 0;
		jv *item = NULL;

		jws(jp);
		if (obj) {
			if (jp->p >= jp->end || *jp->p != '"')
				return jfail(jp, jp->p, "expected a key");
			kpos = (size_t)(jp->p - jp->base);
			if (jstring(jp, &key) != 0)
				return -1;
			jws(jp);
			if (jp->p >= jp->end || *jp->p != ':') {
				free(key);
				return jfail(jp, jp->p, "expected ':'");
			}
			jp->p++;
		}
		if (jvalue(jp, &item) != 0) {
			free(key);
			return -1;
		}
		if (jadd(jp, v, key, kpos, item) != 0)
			return -1;
		jws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == close) {
			jp->p++;
			break;
		}
		return jfail(jp, jp->p, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
	jp->depth--;
	return obj ? jdups(jp, v) : 0;
}

static int
jliteral(jparser *jp, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n) != 0)
		return jfail(jp, jp->p, "unexpected character");
	jp->p += n;
	return 0;
}

static int
jvalue(jparser *jp, jv **out)
{
	jv *v;
	int rc;

	jws(jp);
	if (jp->p >= jp->end)
		return jfail(jp, jp->p, "unexpected end of input");
	if (++jp->values > MAX_VALUES)
		return jfail(jp, jp->p, "too many values");
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return jfail(jp, jp->p, "out of memory");
	v->pos = (size_t)(jp->p - jp->base);
	switch (*jp->p) {
	case '{': v->type = J_OBJ; rc = jcontainer(jp, v); break;
	case '[': v->type = J_ARR; rc = jcontainer(jp, v); break;
	case '"': v->type = J_STR; rc = jstring(jp, &v->s); break;
	case 't': v->type = J_BOOL; rc = jliteral(jp, "true"); break;
	case 'f': v->type = J_BOOL; rc = jliteral(jp, "false"); break;
	case 'n': v->type = J_NULL; rc = jliteral(jp, "null"); break;
	default:
		v->type = J_NUM;
		rc = *jp->p == '-' || (*jp->p >= '0' && *jp->p <= '9') ?
		    jnumber(jp, v) : jfail(jp, jp->p, "unexpected character");
		break;
	}
	if (rc != 0) {
		jv_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

/* ---- mapping the parsed JSON onto a dexf_traceback */

typedef struct jmap {
	const char *file;
	store *st;
	size_t hop;     /* 1-based while mapping a hop, else 0 */
} jmap;

static const char *
hop_prefix(char *buf, size_t len, size_t hop)
{
	if (hop == 0)
		buf[0] = '\0';
	else
		snprintf(buf, len, "hop %zu: ", hop);
	return buf;
}

static int
jm_err(jmap *m, size_t pos, const char *fmt, const char *a)
{
	char pre[32], b[80], msg[200];

	/* fmt is one of this file's literals, with one %s for the value */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(msg, sizeof(msg), fmt, shown(b, sizeof(b), a));
#pragma GCC diagnostic pop
	cli_err(VERB, "%s: JSON at byte %zu: %s%s", m->file, pos,
	    hop_prefix(pre, sizeof(pre), m->hop), msg);
	return -1;
}

static int
jm_missing(jmap *m, const char *path)
{
	char pre[32];

	cli_err(VERB, "%s: %smissing '%s'", m->file,
	    hop_prefix(pre, sizeof(pre), m->hop), path);
	return -1;
}

static const jv *
jget(const jv *o, const char *key)
{
	for (size_t i = 0; o != NULL && o->type == J_OBJ && i < o->n; i++)
		if (strcmp(o->m[i].key, key) == 0)
			return o->m[i].v->type == J_NULL ? NULL : o->m[i].v;
	return NULL;
}

/* Every key of o is in `known` or `ignored` (NULL-terminated lists). */
static int
jkeys(jmap *m, const jv *o, const char *where, const char *const *known,
    const char *const *ignored)
{
	for (size_t i = 0; i < o->n; i++) {
		const char *k = o->m[i].key;
		int ok = 0;

		for (size_t j = 0; !ok && known[j] != NULL; j++)
			ok = strcmp(k, known[j]) == 0;
		for (size_t j = 0; !ok && ignored && ignored[j] != NULL; j++)
			ok = strcmp(k, ignored[j]) == 0;
		if (!ok) {
			char fmt[120];

			snprintf(fmt, sizeof(fmt), "unknown key '%%s' in %s",
			    where);
			return jm_err(m, o->m[i].kpos, fmt, k);
		}
	}
	return 0;
}

enum { REQ = 1, NUM = 2 };

/* o[key] as a string (a number too with NUM) copied into the storage;
 * `path` names it in messages. */
static int
jstr(jmap *m, const jv *o, const char *key, const char *path, int flags,
    const char **out)
{
	const jv *v = jget(o, key);

	*out = NULL;
	if (v == NULL)
		return flags & REQ ? jm_missing(m, path) : 0;
	if (v->type != J_STR && !(flags & NUM && v->type == J_NUM))
		return jm_err(m, v->pos, flags & NUM ? "'%s' must be a "
		    "string or a number" : "'%s' must be a string", path);
	if ((*out = sdup(m->st, v->s)) == NULL) {
		cli_err(VERB, "out of memory");
		return -1;
	}
	return 0;
}

/* o[key] as an object (NULL when absent or null). */
static int
jobj(jmap *m, const jv *o, const char *key, const char *path, int flags,
    const jv **out)
{
	const jv *v = jget(o, key);

	*out = v;
	if (v == NULL)
		return flags & REQ ? jm_missing(m, path) : 0;
	if (v->type != J_OBJ)
		return jm_err(m, v->pos, "'%s' must be an object", path);
	return 0;
}

static int
jendpoint(jmap *m, const jv *flow, const char *key, const char **addr,
    const char **port)
{
	static const char *const known[] = { "address", "port", NULL };
	char pe[40], pa[48], pp[48];
	const jv *e;

	snprintf(pe, sizeof(pe), "'flow.%s'", key);
	snprintf(pa, sizeof(pa), "flow.%s.address", key);
	snprintf(pp, sizeof(pp), "flow.%s.port", key);
	if (jobj(m, flow, key, pa, REQ, &e) != 0 ||
	    jkeys(m, e, pe, known, NULL) != 0)
		return -1;
	return jstr(m, e, "address", pa, REQ, addr) ||
	    jstr(m, e, "port", pp, NUM, port);
}

static int
jevidence(jmap *m, const jv *h, dexf_hop *hop)
{
	static const char *const known[] = { "item", "path", "sha256", NULL };
	const jv *a = jget(h, "evidence");
	dexf_item_ref *ev;

	if (a == NULL)
		return 0;
	if (a->type != J_ARR)
		return jm_err(m, a->pos, "'%s' must be an array", "evidence");
	if (a->n == 0)
		return 0;
	if ((ev = keep(m->st, calloc(a->n, sizeof(*ev)))) == NULL) {
		cli_err(VERB, "out of memory");
		return -1;
	}
	hop->evidence = ev;
	hop->nevidence = a->n;
	for (size_t i = 0; i < a->n; i++) {
		const jv *e = a->m[i].v;

		if (e->type == J_STR) {
			if ((ev[i].item = sdup(m->st, e->s)) == NULL) {
				cli_err(VERB, "out of memory");
				return -1;
			}
			continue;
		}
		if (e->type != J_OBJ)
			return jm_err(m, e->pos, "'%s' entries must be item "
			    "paths or {\"item\", \"sha256\"} objects",
			    "evidence");
		if (jkeys(m, e, "evidence", known, NULL) != 0)
			return -1;
		if (jget(e, "item") != NULL && jget(e, "path") != NULL)
			return jm_err(m, e->pos, "%s: give 'item' or 'path', "
			    "not both", "evidence");
		if (jstr(m, e, jget(e, "path") ? "path" : "item",
		    "evidence.item", REQ, &ev[i].item) != 0 ||
		    jstr(m, e, "sha256", "evidence.sha256", 0,
		    &ev[i].sha256) != 0)
			return -1;
	}
	return 0;
}

static int
jhop(jmap *m, const jv *h, dexf_hop *hop)
{
	static const char *const known[] = { "point", "time",
	    "observed_source", "spoofed", "upstream", "method", "confidence",
	    "evidence", "contact", "note", NULL };
	/* printed by trace show for display, not part of the record */
	static const char *const ignored[] = { "index", "asserted_by", NULL };
	static const char *const kpoint[] = { "address", "asn", "router",
	    "interface", NULL };
	static const char *const kup[] = { "address", "asn", NULL };
	static const char *const kcontact[] = { "role", "name",
	    "organization", "email", "phone", NULL };
	const jv *o;

	if (h->type != J_OBJ)
		return jm_err(m, h->pos, "'%s' entries must be objects",
		    "hops");
	if (jkeys(m, h, "the hop", known, ignored) != 0)
		return -1;
	if (jobj(m, h, "point", "point.address", REQ, &o) != 0 ||
	    jkeys(m, o, "'point'", kpoint, NULL) != 0 ||
	    jstr(m, o, "address", "point.address", REQ,
	    &hop->point_address) != 0 ||
	    jstr(m, o, "asn", "point.asn", NUM, &hop->point_asn) != 0 ||
	    jstr(m, o, "router", "point.router", 0, &hop->router) != 0 ||
	    jstr(m, o, "interface", "point.interface", 0,
	    &hop->interface) != 0)
		return -1;
	if (jstr(m, h, "time", "time", REQ, &hop->time) != 0 ||
	    jstr(m, h, "observed_source", "observed_source", REQ,
	    &hop->observed_source) != 0 ||
	    jstr(m, h, "spoofed", "spoofed", 0, &hop->spoofed) != 0 ||
	    jstr(m, h, "method", "method", REQ, &hop->method) != 0 ||
	    jstr(m, h, "confidence", "confidence", 0,
	    &hop->confidence) != 0 ||
	    jstr(m, h, "note", "note", 0, &hop->note) != 0)
		return -1;
	if (jobj(m, h, "upstream", "upstream", 0, &o) != 0)
		return -1;
	if (o != NULL && (jkeys(m, o, "'upstream'", kup, NULL) != 0 ||
	    jstr(m, o, "address", "upstream.address", REQ,
	    &hop->upstream_address) != 0 ||
	    jstr(m, o, "asn", "upstream.asn", NUM, &hop->upstream_asn) != 0))
		return -1;
	if (jevidence(m, h, hop) != 0)
		return -1;
	if (jobj(m, h, "contact", "contact.name", REQ, &o) != 0 ||
	    jkeys(m, o, "'contact'", kcontact, NULL) != 0 ||
	    jstr(m, o, "name", "contact.name", REQ, &hop->contact.name) != 0 ||
	    jstr(m, o, "role", "contact.role", 0, &hop->contact.role) != 0 ||
	    jstr(m, o, "organization", "contact.organization", 0,
	    &hop->contact.org) != 0 ||
	    jstr(m, o, "email", "contact.email", 0,
	    &hop->contact_email) != 0 ||
	    jstr(m, o, "phone", "contact.phone", 0, &hop->contact_phone) != 0)
		return -1;
	return 0;
}

static int
jincident(jmap *m, const jv *top, dexf_traceback *t)
{
	static const char *const known[] = { "id", "organization", "flow",
	    "hops", "result", "note", NULL };
	static const char *const kflow[] = { "protocol", "start", "end",
	    "source", "destination", NULL };
	static const char *const kresult[] = { "value", NULL };
	static const char *const iresult[] = { "sequence", NULL };
	const jv *flow, *hops, *res = jget(top, "result");
	dexf_hop *hv;

	if (jkeys(m, top, "the incident", known, NULL) != 0 ||
	    jstr(m, top, "id", "id", REQ, &t->incident_id) != 0 ||
	    jstr(m, top, "organization", "organization", REQ,
	    &t->incident_org) != 0 ||
	    jstr(m, top, "note", "note", 0, &t->note) != 0)
		return -1;
	if (jobj(m, top, "flow", "flow", REQ, &flow) != 0 ||
	    jkeys(m, flow, "'flow'", kflow, NULL) != 0 ||
	    jstr(m, flow, "protocol", "flow.protocol", REQ | NUM,
	    &t->protocol) != 0 ||
	    jstr(m, flow, "start", "flow.start", 0, &t->window_start) != 0 ||
	    jstr(m, flow, "end", "flow.end", 0, &t->window_end) != 0 ||
	    jendpoint(m, flow, "source", &t->src_address, &t->src_port) != 0 ||
	    jendpoint(m, flow, "destination", &t->dst_address,
	    &t->dst_port) != 0)
		return -1;
	/* trace show prints {"value", "sequence"}; a plain string is the
	 * natural thing to write by hand */
	if (res != NULL && res->type == J_OBJ) {
		if (jkeys(m, res, "'result'", kresult, iresult) != 0 ||
		    jstr(m, res, "value", "result.value", REQ,
		    &t->result) != 0)
			return -1;
	} else if (jstr(m, top, "result", "result", REQ, &t->result) != 0) {
		return -1;
	}
	if ((hops = jget(top, "hops")) == NULL)
		return jm_missing(m, "hops");
	if (hops->type != J_ARR)
		return jm_err(m, hops->pos, "'%s' must be an array", "hops");
	if (hops->n == 0)
		return jm_err(m, hops->pos, "'%s' is empty", "hops");
	if (hops->n > MAX_HOPS) {
		cli_err(VERB, "%s: JSON at byte %zu: %zu hops (at most %d)",
		    m->file, hops->pos, hops->n, MAX_HOPS);
		return -1;
	}
	if ((hv = keep(m->st, calloc(hops->n, sizeof(*hv)))) == NULL) {
		cli_err(VERB, "out of memory");
		return -1;
	}
	t->hops = hv;
	t->nhops = hops->n;
	for (size_t i = 0; i < hops->n; i++) {
		m->hop = i + 1;
		if (jhop(m, hops->m[i].v, &hv[i]) != 0)
			return -1;
	}
	m->hop = 0;
	return 0;
}

static int
from_json(const char *file, const char *buf, size_t len, size_t start,
    store *st, dexf_traceback *t)
{
	/* members of the whole `trace show --format json` document */
	static const char *const kdoc[] = { "incidents", NULL };
	static const char *const idoc[] = { "dexf_trace", "file", "verdict",
	    "exit_code", "head", "problems", NULL };
	jparser jp = { 0 };
	jmap m = { file, st, 0 };
	jv *root = NULL;
	const jv *top;
	int rc = -1;

	jp.base = (const unsigned char *)buf;
	jp.p = jp.base + start;
	jp.end = jp.base + len;
	if (jvalue(&jp, &root) == 0) {
		jws(&jp);
		if (jp.p != jp.end)
			jfail(&jp, jp.p, "trailing data after the JSON value");
		else if (root->type != J_OBJ)
			jfail(&jp, jp.base + root->pos, "not an object");
	}
	if (jp.err != NULL) {
		cli_err(VERB, "%s: JSON at byte %zu: %s", file, jp.errpos,
		    jp.err);
		goto out;
	}
	top = root;
	if (jget(root, "incidents") != NULL && jget(root, "hops") == NULL) {
		const jv *a = jget(root, "incidents");

		if (jkeys(&m, root, "the document", kdoc, idoc) != 0)
			goto out;
		if (a->type != J_ARR || a->n != 1) {
			cli_err(VERB, "%s: JSON at byte %zu: 'incidents' must "
			    "hold exactly one incident (it holds %zu)", file,
			    a->pos, a->type == J_ARR ? a->n : 0);
			goto out;
		}
		top = a->m[0].v;
		if (top->type != J_OBJ) {
			jm_err(&m, top->pos, "'%s' entries must be objects",
			    "incidents");
			goto out;
		}
	}
	rc = jincident(&m, top, t);
out:
	jv_free(root);
	return rc;
}

/* ------------------------------------------------------------ entry */

int
trace_from_file(const char *path, trace_from *out)
{
	const char *file = display_name(path);
	size_t len = 0, i = 0;
	char *buf;
	store *st;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		cli_err(VERB, "out of memory");
		return -1;
	}
	out->storage = st;
	if ((buf = slurp(path, file, &len)) == NULL)
		goto fail;
	/* a UTF-8 byte order mark is tolerated (RFC 8259 8.1 allows
	 * ignoring it; libxml2 handles it itself) */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' ||
	    buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (i < len && buf[i] == '<')
		rc = from_xml(file, buf, len, st, &out->t);
	else if (i < len && buf[i] == '{')
		rc = from_json(file, buf, len, i, st, &out->t);
	else
		cli_err(VERB, "%s: neither XML (<traceback ...>) nor JSON "
		    "({...})", file);
	free(buf);
	if (rc == 0)
		return 0;
fail:
	trace_from_free(out);
	return -1;
}

/* ------------------------------------------------------------ values */

static int
is_addr(const char *s, int family)
{
	unsigned char b[16];

	if (family != 0)
		return inet_pton(family, s, b) == 1;
	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

/* Decimal 0..max, digits only (the schema's xs:unsignedInt). */
static int
is_uint(const char *s, unsigned long long max)
{
	unsigned long long v = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v > max)
			return 0;
	}
	return 1;
}

int
trace_split_endpoint(const char *arg, char **buf, const char **addr,
    const char **port)
{
	char *b, *a, *p = NULL, *c, sh[80], sv[80];
	int family;

	*buf = NULL;
	*addr = *port = NULL;
	if ((b = strdup(arg)) == NULL) {
		cli_err(VERB, "out of memory");
		return -1;
	}
	if (b[0] == '[') {
		/* [V6] or [V6]:PORT */
		a = b + 1;
		if ((c = strchr(a, ']')) == NULL || (c[1] != '\0' &&
		    c[1] != ':'))
			goto bad_form;
		*c = '\0';
		if (c[1] == ':')
			p = c + 2;
		family = AF_INET6;
	} else if ((c = strchr(b, ':')) != NULL && strchr(c + 1, ':') ==
	    NULL) {
		/* one colon: IPv4:PORT */
		*c = '\0';
		a = b;
		p = c + 1;
		family = AF_INET;
	} else {
		/* no colon: IPv4; several: a bare IPv6 address, no port */
		a = b;
		family = c != NULL ? AF_INET6 : AF_INET;
	}
	if (!is_addr(a, family)) {
		cli_err(VERB, "'%s': '%s' is not an %s address",
		    shown(sh, sizeof(sh), arg), shown(sv, sizeof(sv), a),
		    family == AF_INET ? "IPv4" : "IPv6");
		goto fail;
	}
	if (p != NULL && !is_uint(p, 65535)) {
		cli_err(VERB, "'%s': port '%s' is not a number 0-65535",
		    shown(sh, sizeof(sh), arg), shown(sv, sizeof(sv), p));
		goto fail;
	}
	*buf = b;
	*addr = a;
	*port = p;
	return 0;
bad_form:
	cli_err(VERB, "'%s': give ADDR, ADDR:PORT, [IPV6]:PORT or IPV6",
	    shown(sh, sizeof(sh), arg));
fail:
	free(b);
	return -1;
}

/* UTC time "YYYY-MM-DDTHH:MM:SSZ" that names a real instant: the fields
 * survive a timegm()/gmtime_r() round trip (no 31 April, no 25:00). */
static int
is_time(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm tm, back;
	time_t when;

	if (strlen(s) != sizeof(pat) - 1)
		return 0;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	back = tm;
	when = timegm(&back);
	if (gmtime_r(&when, &back) == NULL)
		return 0;
	return back.tm_year == tm.tm_year && back.tm_mon == tm.tm_mon &&
	    back.tm_mday == tm.tm_mday && back.tm_hour == tm.tm_hour &&
	    back.tm_min == tm.tm_min && back.tm_sec == tm.tm_sec;
}

static int
in(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* Characters and length of a string the record will carry: valid UTF-8,
 * only characters XML 1.0 allows, minc..maxc characters.  NULL when fine,
 * else the reason. */
static const char *
text_problem(const char *s, size_t minc, size_t maxc)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0, left = strlen(s);

	while (left > 0) {
		size_t l = utf8_len(u, left);

		if (l == 0)
			return "is not valid UTF-8";
		if ((*u < 0x20 && *u != '\t' && *u != '\n' && *u != '\r') ||
		    (l == 3 && u[0] == 0xef && u[1] == 0xbf && u[2] >= 0xbe))
			return "holds a character XML cannot carry";
		u += l;
		left -= l;
		n++;
	}
	if (n < minc)
		return "is empty";
	if (n > maxc)
		return maxc == 256 ? "is longer than 256 characters" :
		    maxc == 4096 ? "is longer than 4096 characters" :
		    "is longer than 65536 characters";
	return NULL;
}

/* Everything trace_check() needs to name the problem. */
typedef struct chk {
	char pre[32];   /* "hop N: " or "" */
	int bad;
} chk;

enum kind { K_TOKEN, K_TEXT, K_PATH };

static void
c_text(chk *c, const char *field, const char *v, enum kind k, int req)
{
	const char *why;

	if (v == NULL) {
		if (req) {
			cli_err(VERB, "%s%s is required", c->pre, field);
			c->bad = 1;
		}
		return;
	}
	why = k == K_TOKEN ? text_problem(v, 1, 256) :
	    k == K_PATH ? text_problem(v, 1, 4096) :
	    text_problem(v, 0, 65536);
	if (why != NULL) {
		cli_err(VERB, "%s%s %s", c->pre, field, why);
		c->bad = 1;
	}
}

/* A value whose characters are fine; then its own rule. */
static int
c_value(chk *c, const char *field, const char *v, int req)
{
	c_text(c, field, v, K_TOKEN, req);
	return v != NULL && text_problem(v, 1, 256) == NULL;
}

static void
c_enum(chk *c, const char *field, const char *v, int req,
    const char *const *set, const char *use)
{
	char b[80];

	if (c_value(c, field, v, req) && !in(v, set)) {
		cli_err(VERB, "%s%s '%s': use %s", c->pre, field,
		    shown(b, sizeof(b), v), use);
		c->bad = 1;
	}
}

static void
c_addr(chk *c, const char *field, const char *v, int req)
{
	char b[80];

	if (c_value(c, field, v, req) && !is_addr(v, 0)) {
		cli_err(VERB, "%s%s '%s': not an IPv4 or IPv6 address",
		    c->pre, field, shown(b, sizeof(b), v));
		c->bad = 1;
	}
}

static void
c_uint(chk *c, const char *field, const char *v, unsigned long long max)
{
	char b[80];

	if (c_value(c, field, v, 0) && !is_uint(v, max)) {
		cli_err(VERB, "%s%s '%s': use a decimal number 0-%llu",
		    c->pre, field, shown(b, sizeof(b), v), max);
		c->bad = 1;
	}
}

static void
c_time(chk *c, const char *field, const char *v, int req)
{
	char b[80];

	if (c_value(c, field, v, req) && !is_time(v)) {
		cli_err(VERB, "%s%s '%s': not a valid UTC time like "
		    "2026-11-20T08:55:00Z", c->pre, field,
		    shown(b, sizeof(b), v));
		c->bad = 1;
	}
}

static void
c_sha256(chk *c, const char *field, const char *v)
{
	char b[80];
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] && ((v[i] >= '0' && v[i] <= '9') ||
	    (v[i] >= 'a' && v[i] <= 'f')); i++)
		;
	if (i != 64 || v[i] != '\0') {
		cli_err(VERB, "%s%s '%s': not 64 lowercase hex digits",
		    c->pre, field, shown(b, sizeof(b), v));
		c->bad = 1;
	}
}

static const char *const results[] = { "source-identified",
    "ingress-point", "partial-path", "inconclusive", NULL };
static const char *const spoofs[] = { "yes", "no", "unknown", NULL };
static const char *const confidences[] = { "low", "medium", "high",
    "unknown", NULL };
static const char *const methods[] = { "link-testing", "logging",
    "sampling", "packet-marking", "icmp-traceback", "inter-as-request",
    "flow-records", "other", NULL };

static void
check_hop(chk *c, const dexf_hop *h)
{
	c_addr(c, "point", h->point_address, 1);
	c_uint(c, "point-asn", h->point_asn, 4294967295ULL);
	c_text(c, "router", h->router, K_TOKEN, 0);
	c_text(c, "interface", h->interface, K_TOKEN, 0);
	c_time(c, "observed-time", h->time, 1);
	c_addr(c, "observed-source", h->observed_source, 1);
	c_enum(c, "spoofed", h->spoofed, 0, spoofs, "yes, no or unknown");
	c_addr(c, "upstream", h->upstream_address, 0);
	c_uint(c, "upstream-asn", h->upstream_asn, 4294967295ULL);
	if (h->upstream_asn != NULL && h->upstream_address == NULL) {
		/* the record has no place for an ASN without an address */
		cli_err(VERB, "%supstream-asn without upstream", c->pre);
		c->bad = 1;
	}
	c_enum(c, "method", h->method, 1, methods, "link-testing, logging, "
	    "sampling, packet-marking, icmp-traceback, inter-as-request, "
	    "flow-records or other");
	c_enum(c, "confidence", h->confidence, 0, confidences,
	    "low, medium, high or unknown");
	for (size_t i = 0; i < h->nevidence; i++) {
		c_text(c, "evidence", h->evidence[i].item, K_PATH, 1);
		c_sha256(c, "evidence sha256", h->evidence[i].sha256);
	}
	c_text(c, "contact", h->contact.name, K_TEXT, 1);
	c_text(c, "contact-org", h->contact.org, K_TEXT, 0);
	c_text(c, "contact-role", h->contact.role, K_TOKEN, 0);
	c_text(c, "contact-email", h->contact_email, K_TOKEN, 0);
	c_text(c, "contact-phone", h->contact_phone, K_TOKEN, 0);
	c_text(c, "hop-note", h->note, K_TEXT, 0);
}

/*
 * Every problem is printed (not only the first), so a hand-written file
 * can be fixed in one go.  Hop fields carry "hop N: " when the record has
 * more than one hop; with one (the option form) it would only confuse.
 */
int
trace_check(const dexf_traceback *t)
{
	chk c = { "", 0 };
	char b[80];

	c_text(&c, "incident", t->incident_id, K_TOKEN, 1);
	c_text(&c, "incident-org", t->incident_org, K_TOKEN, 1);
	c_enum(&c, "result", t->result, 1, results, "source-identified, "
	    "ingress-point, partial-path or inconclusive");
	if (c_value(&c, "protocol", t->protocol, 1) &&
	    strcmp(t->protocol, "tcp") != 0 &&
	    strcmp(t->protocol, "udp") != 0 &&
	    strcmp(t->protocol, "icmp") != 0 && !is_uint(t->protocol, 255)) {
		cli_err(VERB, "protocol '%s': use tcp, udp, icmp or a number "
		    "0-255", shown(b, sizeof(b), t->protocol));
		c.bad = 1;
	}
	c_addr(&c, "source", t->src_address, 1);
	c_uint(&c, "source port", t->src_port, 65535);
	c_addr(&c, "destination", t->dst_address, 1);
	c_uint(&c, "destination port", t->dst_port, 65535);
	c_time(&c, "start", t->window_start, 0);
	c_time(&c, "end", t->window_end, 0);
	/* same fixed-width format: text order is time order */
	if (t->window_start != NULL && t->window_end != NULL &&
	    is_time(t->window_start) && is_time(t->window_end) &&
	    strcmp(t->window_start, t->window_end) > 0) {
		cli_err(VERB, "start %s is after end %s", t->window_start,
		    t->window_end);
		c.bad = 1;
	}
	c_text(&c, "note", t->note, K_TEXT, 0);
	if (t->nhops == 0 || t->nhops > MAX_HOPS || t->hops == NULL) {
		cli_err(VERB, "a record holds 1 to %d hops, not %zu", MAX_HOPS,
		    t->hops == NULL ? 0 : t->nhops);
		c.bad = 1;
	} else {
		for (size_t i = 0; i < t->nhops; i++) {
			if (t->nhops > 1)
				snprintf(c.pre, sizeof(c.pre), "hop %zu: ",
				    i + 1);
			check_hop(&c, &t->hops[i]);
		}
	}
	return c.bad ? -1 : 0;
}
