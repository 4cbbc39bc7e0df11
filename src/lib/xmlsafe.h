/*
 * xmlsafe.h - hardened XML parsing and schema validation.
 */
#ifndef DEXF_XMLSAFE_H
#define DEXF_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "error.h"

typedef enum {
	DEXF_SCHEMA_MANIFEST = 0,
	DEXF_SCHEMA_RECORD = 1
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

/* 1 if `parent` has an <extensions> child holding an element marked
 * critical="true" (or "1"): content this version must not ignore. */
int dexf_xml_critical_extension(xmlNodePtr parent);

/* First child element named `name` (in any namespace), or NULL. */
xmlNodePtr dexf_xml_child(xmlNodePtr parent, const char *name);
/* Text content of a child element (malloc'd; NULL if absent). */
char *dexf_xml_child_text(xmlNodePtr parent, const char *name);
/* Attribute value (malloc'd; NULL if absent). */
char *dexf_xml_attr(xmlNodePtr node, const char *name);

#endif
