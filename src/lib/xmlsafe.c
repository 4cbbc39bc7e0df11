/*
 * xmlsafe.c - hardened libxml2 use.
 *
 * The libxml2 in Debian 12 (2.9.14) has no XML_PARSE_NO_XXE, so the DTD is
 * kept out before the parser sees it: our documents never need one, and a
 * document with a DOCTYPE is refused outright.  Entities are then never
 * defined, so nothing can expand.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "format.h"
#include "util.h"
#include "xmlsafe.h"

extern const unsigned char dexf_schema_manifest[];
extern const size_t dexf_schema_manifest_len;
extern const unsigned char dexf_schema_record[];
extern const size_t dexf_schema_record_len;
extern const unsigned char dexf_schema_proof[];
extern const size_t dexf_schema_proof_len;

#define NSCHEMAS 4
/* Each schema is parsed on first use only: a command that reads a
 * container never pays for the proof schema, and so on. */
static dexf_once schema_once[NSCHEMAS] = {
	DEXF_ONCE_INIT, DEXF_ONCE_INIT, DEXF_ONCE_INIT, DEXF_ONCE_INIT
};
static xmlSchemaPtr schemas[NSCHEMAS];

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static pthread_once_t parser_once = PTHREAD_ONCE_INIT;

static void
init_parser(void)
{
	xmlInitParser();
}

/* The facets DEXF_SCHEMA_MANIFEST_SHAPE leaves out, each once in the
 * manifest schema: UtcTime, Sha256Hex, DigestHex, Mode, ItemId and
 * AlgorithmName (manifest.c checks the same in C). */
static const char *const shape_cut[] = {
	"<xs:pattern value=\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
	    "[0-9]{2}Z\"/>",
	"<xs:pattern value=\"[0-9a-f]{64}\"/>",
	"<xs:pattern value=\"[0-9a-f]{32,128}\"/>",
	"<xs:pattern value=\"[0-7]{4}\"/>",
	"<xs:pattern value=\"i[1-9][0-9]{0,8}\"/>",
	"<xs:pattern value=\"[a-z0-9][a-z0-9\\-]{0,31}\"/>"
};

/* The manifest schema without shape_cut (malloc'd, *len bytes), or NULL
 * if one of them is not in it exactly once. */
static char *
manifest_shape(size_t *len)
{
	size_t n = dexf_schema_manifest_len;
	char *s = malloc(n);

	if (s != NULL)
		memcpy(s, dexf_schema_manifest, n);

	for (size_t k = 0; s != NULL && k < sizeof(shape_cut) /
	    sizeof(*shape_cut); k++) {
		size_t cl = strlen(shape_cut[k]);
		char *at = memmem(s, n, shape_cut[k], cl);

		if (at == NULL || memmem(at + cl, n - (size_t)(at + cl - s),
		    shape_cut[k], cl) != NULL) {
			free(s);
			return NULL;
		}
		memmove(at, at + cl, n - (size_t)(at + cl - s));
		n -= cl;
	}
	*len = n;
	return s;
}

static void
load_schema(int i)
{
	const unsigned char *src[NSCHEMAS] = { dexf_schema_manifest,
	    dexf_schema_record, dexf_schema_proof, NULL };
	size_t len[NSCHEMAS] = { dexf_schema_manifest_len,
	    dexf_schema_record_len, dexf_schema_proof_len, 0 };
	xmlSchemaParserCtxtPtr pc;
	char *shape = NULL;

	pthread_once(&parser_once, init_parser);
	if (i == DEXF_SCHEMA_MANIFEST_SHAPE) {
		/* without it, nothing: a check then fails, never passes */
		if ((shape = manifest_shape(&len[i])) == NULL)
			return;
		src[i] = (const unsigned char *)shape;
	}
	pc = xmlSchemaNewMemParserCtxt((const char *)src[i], (int)len[i]);
	if (pc != NULL) {
		xmlSchemaSetParserErrors(pc, silent, silent, NULL);
		schemas[i] = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	free(shape);
}

/* The parsed schema, or NULL if it cannot be parsed. */
static xmlSchemaPtr
schema_get(dexf_schema_id id)
{
	if ((int)id < 0 || (int)id >= NSCHEMAS)
		return NULL;
	dexf_once_run(&schema_once[id], load_schema, (int)id);
	return schemas[id];
}

typedef struct {
	char msg[512];
	int line;
	int have;
	int domain;
} first_error;

static void
capture(void *ctx, xmlErrorPtr e)
{
	first_error *fe = ctx;
	size_t n;

	if (fe->have || e == NULL)
		return;
	fe->have = 1;
	fe->line = e->line;
	fe->domain = e->domain;
	snprintf(fe->msg, sizeof(fe->msg), "%s", e->message ? e->message :
	    "invalid");
	n = strlen(fe->msg);
	while (n > 0 && (fe->msg[n - 1] == '\n' || fe->msg[n - 1] == ' '))
		fe->msg[--n] = '\0';
}

int
dexf_xml_validate(xmlDocPtr doc, dexf_schema_id schema, const char *what,
    dexf_err *err)
{
	xmlSchemaValidCtxtPtr vc;
	first_error fe;
	int rc;

	if (schema_get(schema) == NULL)
		return dexf_seterr(err, DEXF_ENOMEM,
		    "cannot load the built-in schema");
	vc = xmlSchemaNewValidCtxt(schemas[schema]);
	if (vc == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	memset(&fe, 0, sizeof(fe));
	xmlSchemaSetValidStructuredErrors(vc, capture, &fe);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	if (rc != 0)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: line %d: does not match the schema: %s", what, fe.line,
		    fe.have ? fe.msg : "invalid");
	return 0;
}

/* 1 if "<!DOCTYPE" or "<!ENTITY" is in buf: one pass of memchr() for
 * '!', rare outside comments and CDATA sections (13.5 MB: two passes of
 * memmem() took 5.5 ms). */
static int
has_declaration(const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf, *end = buf + len;

	while (p < end && (p = memchr(p, '!', (size_t)(end - p))) != NULL) {
		if (p > buf && p[-1] == '<' &&
		    ((end - p >= 8 && memcmp(p, "!DOCTYPE", 8) == 0) ||
		    (end - p >= 7 && memcmp(p, "!ENTITY", 7) == 0)))
			return 1;
		p++;
	}
	return 0;
}

/*
 * Checks made before any parser sees the bytes: a size the parser can
 * take, and no DTD (libxml2 2.9 has no XML_PARSE_NO_XXE; our documents
 * never need one, so a DOCTYPE is refused outright and entities can never
 * be defined).
 */
static int
refuse_unparsed(const unsigned char *buf, size_t len, const char *what,
    dexf_err *err)
{
	if (len > INT32_MAX)
		return dexf_seterr(err, DEXF_EFORMAT, "%s: too large", what);
	if (has_declaration(buf, len))
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: contains a DOCTYPE or entity declaration, which dexf "
		    "documents never have (refused unparsed)", what);
	return 0;
}

static int check_root_version(const unsigned char *buf, size_t len,
	const char *what, char **version, dexf_err *err);

int
dexf_xml_parse(xmlDocPtr *out, const unsigned char *buf, size_t len,
    dexf_schema_id schema, const char *what, dexf_err *err)
{
	xmlParserCtxtPtr pc;
	xmlDocPtr doc;
	first_error fe;
	int rc;

	*out = NULL;
	pthread_once(&parser_once, init_parser);
	if ((rc = refuse_unparsed(buf, len, what, err)) != 0 ||
	    (rc = check_root_version(buf, len, what, NULL, err)) != 0)
		return rc;
	pc = xmlNewParserCtxt();
	if (pc == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	memset(&fe, 0, sizeof(fe));
	xmlSetStructuredErrorFunc(&fe, capture);
	doc = xmlCtxtReadMemory(pc, (const char *)buf, (int)len, what, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc == NULL || !pc->wellFormed) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: line %d: not well-formed "
		    "XML: %s", what, fe.have ? fe.line : 0,
		    fe.have ? fe.msg : "parse error");
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(pc);
		return rc;
	}
	xmlFreeParserCtxt(pc);
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlFreeDoc(doc);
		return dexf_seterr(err, DEXF_EFORMAT, "%s: has a DTD", what);
	}
	if ((rc = dexf_xml_validate(doc, schema, what, err)) != 0) {
		xmlFreeDoc(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

xmlNodePtr
dexf_xml_child(xmlNodePtr parent, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (xmlNodePtr c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

char *
dexf_xml_child_text(xmlNodePtr parent, const char *name)
{
	return dexf_xml_text(dexf_xml_child(parent, name));
}

char *
dexf_xml_text(xmlNodePtr c)
{
	xmlChar *t;
	char *s;

	if (c == NULL)
		return NULL;
	t = xmlNodeGetContent(c);
	if (t == NULL)
		return strdup("");
	s = strdup((const char *)t);
	xmlFree(t);
	return s;
}

/* What xmlGetProp() returns (without a DTD, which our documents never
 * have), copied once rather than twice: 20,000 items have 200,000. */
char *
dexf_xml_attr(xmlNodePtr node, const char *name)
{
	xmlAttrPtr a;
	xmlChar *v;
	char *s;

	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = node->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			break;
	if (a == NULL)
		return NULL;
	if (a->children != NULL && a->children->next == NULL &&
	    (a->children->type == XML_TEXT_NODE ||
	    a->children->type == XML_CDATA_SECTION_NODE))
		return a->children->content != NULL ?
		    strdup((const char *)a->children->content) : NULL;
	v = a->children != NULL ? xmlNodeListGetString(node->doc,
	    a->children, 1) : NULL;
	s = strdup(v != NULL ? (const char *)v : "");
	xmlFree(v);
	return s;
}

static int
no_op(void *ctx, int in_container, xmlNodePtr node)
{
	(void)ctx;
	(void)in_container;
	(void)node;
	return 0;
}

/* Any error or warning, of the parser or of the schema: the first one
 * decides, and stops the parse. */
typedef struct {
	xmlSchemaValidCtxtPtr vc;
	int failed;
	size_t text;            /* text since the last tag */
	int shape;              /* checking DEXF_SCHEMA_MANIFEST_SHAPE */
} quick_state;

static void
quick_stop(quick_state *q)
{
	xmlParserCtxtPtr pc = xmlSchemaValidCtxtGetParserCtxt(q->vc);

	q->failed = 1;
	if (pc != NULL)
		xmlStopParser(pc);
}

static void
quick_error(void *ctx, xmlErrorPtr e)
{
	(void)e;
	quick_stop(ctx);
}

/*
 * What the reader refuses in building its tree, which this pass does not
 * build, is left to the reader: a text node of more than
 * XML_MAX_TEXT_LENGTH bytes ("huge text node"), and xml:id attributes
 * (their values are checked and registered as the tree is built).  Both
 * can only come in extensions.
 */
static void
quick_text(void *ctx, const xmlChar *ch, int len)
{
	quick_state *q = ctx;

	(void)ch;
	q->text += len > 0 ? (size_t)len : 0;
	if (q->text > XML_MAX_TEXT_LENGTH)
		quick_stop(q);
}

static void
quick_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	quick_state *q = ctx;

	(void)localname;
	(void)prefix;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	q->text = 0;
	/*
	 * The shape schema leaves the patterns of value types to the
	 * manifest parser, which sees only the manifest's own elements.  An
	 * element of another namespace (in <extensions>, validated laxly: a
	 * declaration it names or finds, such as xsi:type="m:Mode", applies
	 * there too) or an xsi: attribute could bring those types where the
	 * parser does not look: such a document goes to the full schema.
	 */
	if (q->shape && (uri == NULL ||
	    strcmp((const char *)uri, DEXF_NS_MANIFEST) != 0))
		quick_stop(q);
	/* five pointers per attribute: local name, prefix, URI, value and
	 * value end */
	for (int i = 0; i < nattrs; i++) {
		if (attrs[5 * i + 1] != NULL &&
		    strcmp((const char *)attrs[5 * i + 1], "xml") == 0 &&
		    strcmp((const char *)attrs[5 * i], "id") == 0)
			quick_stop(q);
		if (q->shape && attrs[5 * i + 2] != NULL &&
		    strcmp((const char *)attrs[5 * i + 2],
		    "http://www.w3.org/2001/XMLSchema-instance") == 0)
			quick_stop(q);
	}
}

static void
quick_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	quick_state *q = ctx;

	(void)localname;
	(void)prefix;
	(void)uri;
	q->text = 0;
}

/* The document, handed to the parser a piece at a time on request. */
typedef struct {
	const unsigned char *p;
	size_t left;
} mem_source;

static int
mem_read(void *ctx, char *buf, int len)
{
	mem_source *m = ctx;
	size_t n = len > 0 ? (size_t)len : 0;

	if (n > m->left)
		n = m->left;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (int)n;
}

/*
 * Schema validation on the parser's SAX events, with neither a tree nor a
 * text reader in between: the same validator as the reader's (which plugs
 * it into its own parse the same way) at three quarters of the CPU.  Only
 * says yes or no; 0 when valid.
 */
static int
quick_valid(const unsigned char *buf, size_t len, dexf_schema_id schema)
{
	xmlSchemaValidCtxtPtr vc;
	xmlParserInputBufferPtr in;
	xmlSAXHandler none;
	mem_source src;
	quick_state q;
	int rc;

	if (schema_get(schema) == NULL ||
	    (vc = xmlSchemaNewValidCtxt(schemas[schema])) == NULL)
		return -1;
	/* Read through callbacks: neither a copy of the document (13.5 MB
	 * for 20,000 items) nor a static buffer, which libxml2 2.9.14 parses
	 * wrongly (errors in a valid manifest). */
	src.p = buf;
	src.left = len;
	in = xmlParserInputBufferCreateIO(mem_read, NULL, &src,
	    XML_CHAR_ENCODING_NONE);
	if (in == NULL) {
		xmlSchemaFreeValidCtxt(vc);
		return -1;
	}
	memset(&none, 0, sizeof(none));
	none.initialized = XML_SAX2_MAGIC;      /* nothing built */
	none.startElementNs = quick_start;
	none.endElementNs = quick_end;
	none.characters = quick_text;
	none.ignorableWhitespace = quick_text;
	none.cdataBlock = quick_text;
	memset(&q, 0, sizeof(q));
	q.vc = vc;
	q.shape = schema == DEXF_SCHEMA_MANIFEST_SHAPE;
	xmlSchemaSetValidStructuredErrors(vc, quick_error, &q);
	xmlSetStructuredErrorFunc(&q, quick_error);
	/* takes the input buffer */
	rc = xmlSchemaValidateStream(vc, in, XML_CHAR_ENCODING_NONE, &none,
	    &q);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSchemaFreeValidCtxt(vc);
	return rc == 0 && !q.failed ? 0 : -1;
}

static atomic_size_t reader_checks;

size_t
dexf_xml_check_fallbacks(void)
{
	return atomic_load(&reader_checks);
}

int
dexf_xml_check(const unsigned char *doc, size_t len, dexf_schema_id schema,
    const char *what, dexf_err *err)
{
	char *version = NULL;
	int rc;

	pthread_once(&parser_once, init_parser);
	if (refuse_unparsed(doc, len, what, err) == 0 &&
	    check_root_version(doc, len, what, NULL, err) == 0 &&
	    quick_valid(doc, len, schema) == 0)
		return 0;
	/* Refused: the validating reader's pass (streaming, so a large
	 * manifest is never a tree) gives the verdict and the message with
	 * its line; with the full schema for the shape's refusals too. */
	atomic_fetch_add(&reader_checks, 1);
	rc = dexf_xml_stream(doc, len, schema == DEXF_SCHEMA_MANIFEST_SHAPE ?
	    DEXF_SCHEMA_MANIFEST : schema, what, "items", no_op, NULL,
	    &version, err);
	free(version);
	return rc;
}

xmlTextWriterPtr
dexf_xml_writer_new(xmlBufferPtr *buf)
{
	xmlTextWriterPtr w = NULL;

	if ((*buf = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(*buf, 0)) == NULL ||
	    xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0) {
		if (w != NULL)
			xmlFreeTextWriter(w);
		xmlBufferFree(*buf);
		*buf = NULL;
		return NULL;
	}
	return w;
}

int
dexf_xml_take(xmlBufferPtr buf, dexf_schema_id schema, const char *what,
    unsigned char **out, size_t *outlen, dexf_err *err)
{
	size_t len = (size_t)xmlBufferLength(buf);
	int rc;

	*out = NULL;
	*outlen = 0;
	rc = dexf_xml_check(xmlBufferContent(buf), len, schema, what, err);
	if (rc == 0) {
		*out = malloc(len + 1);
		if (*out == NULL) {
			rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		} else {
			memcpy(*out, xmlBufferContent(buf), len);
			(*out)[len] = '\0';
			*outlen = len;
		}
	}
	xmlBufferFree(buf);
	return rc;
}

int
dexf_xml_critical_extension(xmlNodePtr parent)
{
	return dexf_xml_critical_in(dexf_xml_child(parent, "extensions"));
}

int
dexf_xml_critical_in(xmlNodePtr ext)
{
	if (ext == NULL)
		return 0;
	for (xmlNodePtr c = ext->children; c != NULL; c = c->next) {
		char *v;
		int crit;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		v = dexf_xml_attr(c, "critical");
		crit = v != NULL && (strcmp(v, "true") == 0 ||
		    strcmp(v, "1") == 0);
		free(v);
		if (crit)
			return 1;
	}
	return 0;
}

/* Root namespace and version, read before validation so a newer version is
 * "unsupported" rather than "invalid".  *version (if not NULL) gets the
 * root's formatVersion. */
static int
check_root_version(const unsigned char *buf, size_t len, const char *what,
    char **version, dexf_err *err)
{
	xmlTextReaderPtr rd;
	first_error fe;
	int ret, rc = 0;

	memset(&fe, 0, sizeof(fe));
	rd = xmlReaderForMemory((const char *)buf, (int)len, what, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (rd == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	xmlTextReaderSetStructuredErrorHandler(rd, capture, &fe);
	while ((ret = xmlTextReaderRead(rd)) == 1 &&
	    xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT)
		;
	if (ret != 1) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: line %d: not well-formed "
		    "XML: %s", what, fe.have ? fe.line : 0,
		    fe.have ? fe.msg : "no root element");
	} else {
		const xmlChar *ns = xmlTextReaderConstNamespaceUri(rd);
		const char *n = ns ? (const char *)ns : "";
		const char *colon = strrchr(n, ':');
		xmlChar *v = xmlTextReaderGetAttribute(rd,
		    BAD_CAST "formatVersion");
		int major = -1, minor = -1;

		if (strncmp(n, "urn:dexf:", 9) == 0 && colon != NULL &&
		    strcmp(colon, ":1") != 0)
			rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
			    "%s: namespace %s is not supported (this reader "
			    "knows version 1)", what, n);
		else if (v != NULL && sscanf((const char *)v, "%d.%d", &major,
		    &minor) == 2 && major != 1)
			rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
			    "%s: format version %s is not supported (this "
			    "reader knows 1.x)", what, (const char *)v);
		else if (version != NULL && v != NULL &&
		    (*version = strdup((const char *)v)) == NULL)
			rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		xmlFree(v);
	}
	xmlFreeTextReader(rd);
	return rc;
}

/* The validating reader can stop at a syntax error without reporting it;
 * a plain streaming pass finds it, with its line. */
static int
syntax_error(const unsigned char *buf, size_t len, const char *what,
    dexf_err *err)
{
	xmlTextReaderPtr rd;
	first_error fe;
	int ret;

	memset(&fe, 0, sizeof(fe));
	rd = xmlReaderForMemory((const char *)buf, (int)len, what, NULL,
	    XML_PARSE_NONET);
	if (rd == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	xmlTextReaderSetStructuredErrorHandler(rd, capture, &fe);
	while ((ret = xmlTextReaderRead(rd)) == 1)
		;
	xmlFreeTextReader(rd);
	return dexf_seterr(err, DEXF_EFORMAT, "%s: line %d: not well-formed "
	    "XML: %s", what, fe.have ? fe.line : 0, fe.have ? fe.msg :
	    "parse error");
}

static int
stream(const unsigned char *buf, size_t len, dexf_schema_id schema,
    const char *what, const char *container, dexf_xml_cb cb, void *ctx,
    char **version, dexf_err *err, int validate)
{
	xmlTextReaderPtr rd = NULL;
	first_error fe;
	int ret, rc;

	*version = NULL;
	if (validate && schema_get(schema) == NULL)
		return dexf_seterr(err, DEXF_ENOMEM,
		    "cannot load the built-in schema");
	pthread_once(&parser_once, init_parser);
	if ((rc = refuse_unparsed(buf, len, what, err)) != 0 ||
	    (rc = check_root_version(buf, len, what, version, err)) != 0)
		goto out;
	memset(&fe, 0, sizeof(fe));
	/* no NOERROR here: the reader reports errors only through its
	 * handler, which captures them (nothing is printed); and no NOCDATA:
	 * with a schema, libxml2 2.9.14's reader then drops a CDATA
	 * section's text from the tree it validated (CDATA nodes are text to
	 * xmlNodeGetContent() and to us) */
	rd = xmlReaderForMemory((const char *)buf, (int)len, what, NULL,
	    XML_PARSE_NONET | XML_PARSE_COMPACT);
	if (rd == NULL) {
		rc = dexf_seterr(err, DEXF_ENOMEM, "out of memory");
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, capture, &fe);
	if (validate && xmlTextReaderSetSchema(rd, schemas[schema]) != 0) {
		rc = dexf_seterr(err, DEXF_ENOMEM, "cannot attach the schema");
		goto out;
	}
	ret = xmlTextReaderRead(rd);
	while (ret == 1 && !fe.have) {
		int depth = xmlTextReaderDepth(rd);
		int in = 0;
		xmlNodePtr node;

		if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT ||
		    depth == 0 || depth > 2) {
			ret = xmlTextReaderRead(rd);
			continue;
		}
		if (depth == 1 && container != NULL &&
		    strcmp((const char *)xmlTextReaderConstLocalName(rd),
		    container) == 0) {
			/* descend: its children come one at a time */
			ret = xmlTextReaderRead(rd);
			continue;
		}
		if (depth == 2) {
			in = 1;
		}
		node = xmlTextReaderExpand(rd);
		if (node == NULL) {
			ret = -1;
			break;
		}
		if (fe.have)
			break;
		if ((rc = cb(ctx, in, node)) != 0)
			goto out;
		ret = xmlTextReaderNext(rd);
	}
	/* Next() after an expanded subtree can end the walk at a syntax
	 * error without returning -1: the reader's state says so. */
	if (ret == 0 && xmlTextReaderReadState(rd) == XML_TEXTREADER_MODE_ERROR)
		ret = -1;
	if (fe.have && fe.domain == XML_FROM_SCHEMASV) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: line %d: does not match "
		    "the schema: %s", what, fe.line, fe.msg);
		goto out;
	}
	if (fe.have) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: line %d: not well-formed "
		    "XML: %s", what, fe.line, fe.msg);
		goto out;
	}
	if (ret < 0) {
		rc = syntax_error(buf, len, what, err);
		goto out;
	}
	if (validate && xmlTextReaderIsValid(rd) != 1) {
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: does not match the "
		    "schema", what);
		goto out;
	}
	rc = 0;
out:
	xmlFreeTextReader(rd);
	if (rc != 0) {
		free(*version);
		*version = NULL;
	}
	return rc;
}

int
dexf_xml_stream(const unsigned char *buf, size_t len, dexf_schema_id schema,
    const char *what, const char *container, dexf_xml_cb cb, void *ctx,
    char **version, dexf_err *err)
{
	return stream(buf, len, schema, what, container, cb, ctx, version, err,
	    1);
}

int
dexf_xml_stream_unvalidated(const unsigned char *buf, size_t len,
    dexf_schema_id schema, const char *what, const char *container,
    dexf_xml_cb cb, void *ctx, char **version, dexf_err *err)
{
	return stream(buf, len, schema, what, container, cb, ctx, version, err,
	    0);
}
