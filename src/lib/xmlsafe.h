/*
 * xmlsafe.h - hardened XML parsing and schema validation.
 */
#ifndef DEXF_XMLSAFE_H
#define DEXF_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "error.h"

typedef enum {
	DEXF_SCHEMA_MANIFEST = 0,
	DEXF_SCHEMA_RECORD = 1,
	DEXF_SCHEMA_PROOF = 2,     /* the descriptor of a proof file */
	/* The manifest schema without the pattern facets of its value types
	 * (time, mode, item id, hex digests, algorithm names), which
	 * dexf_manifest_parse_unvalidated() checks in C on every value of
	 * those types: for the schema pass of an overlapped verify, where
	 * the facets were a third of the check.  A document with an element
	 * of another namespace (extension content) or an xsi: attribute,
	 * which could bring those types where the parser does not look, and
	 * every refusal, are checked against the full manifest schema. */
	DEXF_SCHEMA_MANIFEST_SHAPE = 3
} dexf_schema_id;

/*
 * Parse `buf` as one of our documents: no DTD (a DOCTYPE is refused before
 * parsing), no entity substitution, no network, then validate against the
 * schema.  DEXF_EFORMAT with the line and the first problem on failure.
 */
int dexf_xml_parse(xmlDocPtr *out, const unsigned char *buf, size_t len,
	dexf_schema_id schema, const char *what, dexf_err *err);
/* Validate an in-memory document (used by writers before writing). */
int dexf_xml_validate(xmlDocPtr doc, dexf_schema_id schema, const char *what,
	dexf_err *err);

/*
 * Take the serialized document in `buf` (which is freed), read it back
 * through dexf_xml_parse() so nothing is written that a reader would
 * refuse, and return a malloc'd NUL-terminated copy.
 */
int dexf_xml_take(xmlBufferPtr buf, dexf_schema_id schema, const char *what,
	unsigned char **out, size_t *outlen, dexf_err *err);
/* A writer into a new buffer (*buf) with our layout (two-space indent)
 * and the XML declaration (1.0, UTF-8) written; NULL, nothing left
 * allocated, when out of memory. */
xmlTextWriterPtr dexf_xml_writer_new(xmlBufferPtr *buf);
/* The checks of dexf_xml_take(): 0 if a reader would accept the document.
 * The schema check runs on the parser's events, without a tree; only a
 * refusal runs the validating reader as well, for its message. */
int dexf_xml_check(const unsigned char *doc, size_t len,
	dexf_schema_id schema, const char *what, dexf_err *err);
/* How many dexf_xml_check() calls needed the reader (for the tests). */
size_t dexf_xml_check_fallbacks(void);

/* 1 if `parent` has an <extensions> child holding an element marked
 * critical="true" (or "1"): content this version must not ignore. */
int dexf_xml_critical_extension(xmlNodePtr parent);

/*
 * Stream `buf` through the same hardening and schema as dexf_xml_parse(),
 * without building the whole document: each element at depth 1 is
 * expanded on its own and passed to cb(ctx, 0, node); the children of the
 * depth-1 element named `container` are passed one at a time as
 * cb(ctx, 1, node).  A node is valid only during its callback.  Memory is
 * bounded by the largest such element, not by the document.  The root's
 * formatVersion is returned in *version (malloc'd).  A non-zero return of
 * cb stops the walk and is returned.
 */
typedef int (*dexf_xml_cb)(void *ctx, int in_container, xmlNodePtr node);
int dexf_xml_stream(const unsigned char *buf, size_t len,
	dexf_schema_id schema, const char *what, const char *container,
	dexf_xml_cb cb, void *ctx, char **version, dexf_err *err);
/* The same walk without the schema: the same safety (no DTD, entities or
 * network) and well-formedness, for a caller that runs dexf_xml_check()
 * on the same bytes as well and keeps nothing unless it passes. */
int dexf_xml_stream_unvalidated(const unsigned char *buf, size_t len,
	dexf_schema_id schema, const char *what, const char *container,
	dexf_xml_cb cb, void *ctx, char **version, dexf_err *err);
/* 1 if the <extensions> element `ext` holds a critical extension. */
int dexf_xml_critical_in(xmlNodePtr ext);

/* First child element named `name` (in any namespace), or NULL. */
xmlNodePtr dexf_xml_child(xmlNodePtr parent, const char *name);
/* Text content of a child element (malloc'd; NULL if absent). */
char *dexf_xml_child_text(xmlNodePtr parent, const char *name);
/* Text content of element c (malloc'd; NULL if c is NULL). */
char *dexf_xml_text(xmlNodePtr c);
/* Attribute value (malloc'd; NULL if absent). */
char *dexf_xml_attr(xmlNodePtr node, const char *name);

#endif
