/*
 * body.h - the bodies of records N >= 1 (FORMAT.md 9.5): custody events,
 * annotations and trace-back, written from and parsed into the public
 * structures of dexf/chain.h.
 */
#ifndef DEXF_BODY_H
#define DEXF_BODY_H

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "dexf/chain.h"
#include "error.h"

/* A parsed body: the public structure plus the storage behind it. */
typedef struct dexf_body {
	dexf_record_kind kind;
	dexf_custody custody;
	dexf_annotation annotation;
	dexf_traceback traceback;
	/* storage */
	dexf_item_ref *refs;
	dexf_attachment *atts;
	dexf_hop *hops;
	const char **tags;
	char **strs;
	size_t nstrs, capstrs;
} dexf_body;

void dexf_body_free(dexf_body *b);

/* Write the body element of `kind` from the matching structure (one of
 * c/an/t is non-NULL).  Returns < 0 on a libxml2 failure. */
int dexf_body_write(xmlTextWriterPtr w, const dexf_custody *c,
	const dexf_annotation *an, const dexf_traceback *t);

/*
 * Parse the body element under `root` (schema-valid already) into `b`.
 * Checks what the schema cannot: addresses (inet_pton), times, offset and
 * length given together.  DEXF_EFORMAT with a message naming `what`.
 */
int dexf_body_parse(dexf_body *b, xmlNodePtr root, const char *what,
	dexf_err *err);

/* Kind from its name; -1 if unknown. */
int dexf_record_kind_from(const char *name);

#endif
