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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "xmlsafe.h"

extern const unsigned char dexf_schema_manifest[];
extern const size_t dexf_schema_manifest_len;
extern const unsigned char dexf_schema_record[];
extern const size_t dexf_schema_record_len;

static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
static xmlSchemaPtr schemas[2];

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
load_schemas(void)
{
	const unsigned char *src[2] = { dexf_schema_manifest,
	    dexf_schema_record };
	size_t len[2] = { dexf_schema_manifest_len, dexf_schema_record_len };

	xmlInitParser();
	for (int i = 0; i < 2; i++) {
		xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(
		    (const char *)src[i], (int)len[i]);

		if (pc == NULL)
			continue;
		xmlSchemaSetParserErrors(pc, silent, silent, NULL);
		schemas[i] = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
}

typedef struct {
	char msg[512];
	int line;
	int have;
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

	pthread_once(&schema_once, load_schemas);
	if (schemas[schema] == NULL)
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

int
dexf_xml_parse(xmlDocPtr *out, const unsigned char *buf, size_t len,
    dexf_schema_id schema, const char *what, dexf_err *err)
{
	xmlParserCtxtPtr pc;
	xmlDocPtr doc;
	first_error fe;
	int rc;

	*out = NULL;
	pthread_once(&schema_once, load_schemas);
	if (len > INT32_MAX)
		return dexf_seterr(err, DEXF_EFORMAT, "%s: too large", what);
	if (memmem(buf, len, "<!DOCTYPE", 9) != NULL ||
	    memmem(buf, len, "<!ENTITY", 8) != NULL)
		return dexf_seterr(err, DEXF_EFORMAT,
		    "%s: contains a DOCTYPE or entity declaration, which dexf "
		    "documents never have (refused unparsed)", what);
	pc = xmlNewParserCtxt();
	if (pc == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	memset(&fe, 0, sizeof(fe));
	xmlSetStructuredErrorFunc(&fe, capture);
	doc = xmlCtxtReadMemory(pc, (const char *)buf, (int)len, what, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA);
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
	/* The version decides which schema applies, so it is checked first:
	 * a newer major version is "unsupported", not "invalid". */
	{
		xmlNodePtr root = xmlDocGetRootElement(doc);
		xmlChar *v = root ? xmlGetProp(root,
		    BAD_CAST "formatVersion") : NULL;
		int major = -1, minor = -1;

		const char *ns = root && root->ns && root->ns->href ?
		    (const char *)root->ns->href : "";
		const char *colon = strrchr(ns, ':');

		/* a later namespace version is "unsupported" too */
		if (strncmp(ns, "urn:dexf:", 9) == 0 && colon != NULL &&
		    strcmp(colon, ":1") != 0) {
			rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
			    "%s: namespace %s is not supported (this reader "
			    "knows version 1)", what, ns);
			xmlFree(v);
			xmlFreeDoc(doc);
			return rc;
		}
		if (v != NULL && sscanf((const char *)v, "%d.%d", &major,
		    &minor) == 2 && major != 1) {
			rc = dexf_seterr(err, DEXF_EUNSUPPORTED,
			    "%s: format version %s is not supported (this "
			    "reader knows 1.x)", what, (const char *)v);
			xmlFree(v);
			xmlFreeDoc(doc);
			return rc;
		}
		xmlFree(v);
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
	xmlNodePtr c = dexf_xml_child(parent, name);
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

char *
dexf_xml_attr(xmlNodePtr node, const char *name)
{
	xmlChar *v;
	char *s;

	if (node == NULL)
		return NULL;
	v = xmlGetProp(node, (const xmlChar *)name);
	if (v == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

int
dexf_xml_take(xmlBufferPtr buf, dexf_schema_id schema, const char *what,
    unsigned char **out, size_t *outlen, dexf_err *err)
{
	xmlDocPtr check = NULL;
	size_t len = (size_t)xmlBufferLength(buf);
	int rc;

	*out = NULL;
	*outlen = 0;
	rc = dexf_xml_parse(&check, xmlBufferContent(buf), len, schema, what,
	    err);
	xmlFreeDoc(check);
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
	xmlNodePtr ext = dexf_xml_child(parent, "extensions");

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
