/*
 * record.c - record XML.  The signature covers the exact bytes written
 * here, so they are produced once and never re-serialized.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "format.h"
#include "record.h"
#include "util.h"
#include "xmlsafe.h"

void
dexf_record_clear(dexf_record *r)
{
	free(r->format_version);
	free(r->kind);
	free(r->container_id);
	free(r->time);
	free(r->agent_role);
	free(r->agent_name);
	free(r->agent_org);
	free(r->tool);
	free(r->tool_version);
	free(r->manifest_entry);
	free(r->previous_entry);
	free(r->signature_entry);
	dexf_body_free(&r->body);
	memset(r, 0, sizeof(*r));
}

#define W(call) do { if ((call) < 0) goto fail; } while (0)

int
dexf_record_write(const dexf_record *r, unsigned char **out, size_t *outlen,
    dexf_err *err)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w = dexf_xml_writer_new(&buf);
	char hex[65];

	*out = NULL;
	if (w == NULL)
		return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
	W(xmlTextWriterStartElementNS(w, NULL, BAD_CAST "record",
	    BAD_CAST DEXF_NS_RECORD));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "formatVersion",
	    BAD_CAST r->format_version));
	W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "sequence", "%u",
	    r->sequence));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "kind", BAD_CAST r->kind));
	W(xmlTextWriterWriteElement(w, BAD_CAST "containerId",
	    BAD_CAST r->container_id));
	W(xmlTextWriterWriteElement(w, BAD_CAST "time", BAD_CAST r->time));
	if (r->agent_name != NULL) {
		W(xmlTextWriterStartElement(w, BAD_CAST "agent"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "role",
		    BAD_CAST r->agent_role));
		W(xmlTextWriterWriteElement(w, BAD_CAST "name",
		    BAD_CAST r->agent_name));
		if (r->agent_org != NULL)
			W(xmlTextWriterWriteElement(w, BAD_CAST "organization",
			    BAD_CAST r->agent_org));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterStartElement(w, BAD_CAST "tool"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST r->tool));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "version",
	    BAD_CAST r->tool_version));
	W(xmlTextWriterEndElement(w));
	if (r->has_manifest) {
		W(xmlTextWriterStartElement(w, BAD_CAST "manifest"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "entry",
		    BAD_CAST r->manifest_entry));
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
		    (unsigned long long)r->manifest_size));
		dexf_hex(hex, r->manifest_sha256, 32);
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "sha256",
		    BAD_CAST hex));
		W(xmlTextWriterEndElement(w));
	}
	if (r->has_previous) {
		W(xmlTextWriterStartElement(w, BAD_CAST "previous"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "entry",
		    BAD_CAST r->previous_entry));
		dexf_hex(hex, r->previous_sha256, 32);
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "sha256",
		    BAD_CAST hex));
		if (r->has_prev_sig) {
			dexf_hex(hex, r->prev_sig_sha256, 32);
			W(xmlTextWriterWriteAttribute(w,
			    BAD_CAST "signatureSha256", BAD_CAST hex));
		}
		if (r->has_prev_tst) {
			dexf_hex(hex, r->prev_tst_sha256, 32);
			W(xmlTextWriterWriteAttribute(w,
			    BAD_CAST "timestampSha256", BAD_CAST hex));
		}
		W(xmlTextWriterEndElement(w));
	}
	if (r->signature_entry != NULL) {
		W(xmlTextWriterStartElement(w, BAD_CAST "signature"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "entry",
		    BAD_CAST r->signature_entry));
		W(xmlTextWriterEndElement(w));
	}
	W(dexf_body_write(w, r->w_custody, r->w_annotation, r->w_traceback));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndDocument(w));
	xmlFreeTextWriter(w);
	/* Read our own output back through the reader's checks. */
	{
		dexf_record back;
		int rc = dexf_xml_take(buf, DEXF_SCHEMA_RECORD,
		    "record (being written)", out, outlen, err);

		if (rc == 0 && (rc = dexf_record_parse(&back, *out, *outlen,
		    "record (being written)", err)) != 0) {
			free(*out);
			*out = NULL;
		}
		if (rc == 0)
			dexf_record_clear(&back);
		return rc;
	}
fail:
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	return dexf_seterr(err, DEXF_EINVAL, "record: cannot serialize");
}

int
dexf_record_parse(dexf_record *r, const unsigned char *buf, size_t len,
    const char *what, dexf_err *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	char *v;
	uint64_t u;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if ((rc = dexf_xml_parse(&doc, buf, len, DEXF_SCHEMA_RECORD, what,
	    err)) != 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	r->format_version = dexf_xml_attr(root, "formatVersion");
	r->kind = dexf_xml_attr(root, "kind");
	v = dexf_xml_attr(root, "sequence");
	if (dexf_parse_u64(&u, v) != 0 || u > 999999) {
		free(v);
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: bad sequence", what);
		goto out;
	}
	free(v);
	r->sequence = (unsigned)u;
	if (dexf_xml_critical_extension(root)) {
		rc = dexf_seterr(err, DEXF_EUNSUPPORTED, "%s: has a critical "
		    "extension this version does not understand", what);
		goto out;
	}
	r->container_id = dexf_xml_child_text(root, "containerId");
	r->time = dexf_xml_child_text(root, "time");
	{
		time_t t;

		if (dexf_parse_time(&t, r->time) != 0) {
			rc = dexf_seterr(err, DEXF_EFORMAT,
			    "%s: '%s' is not a valid UTC time", what, r->time);
			goto out;
		}
	}
	n = dexf_xml_child(root, "agent");
	if (n != NULL) {
		r->agent_role = dexf_xml_attr(n, "role");
		r->agent_name = dexf_xml_child_text(n, "name");
		r->agent_org = dexf_xml_child_text(n, "organization");
	}
	n = dexf_xml_child(root, "tool");
	r->tool = dexf_xml_attr(n, "name");
	r->tool_version = dexf_xml_attr(n, "version");
	n = dexf_xml_child(root, "manifest");
	if (n != NULL) {
		char *h = dexf_xml_attr(n, "sha256");

		r->has_manifest = 1;
		r->manifest_entry = dexf_xml_attr(n, "entry");
		v = dexf_xml_attr(n, "size");
		if (dexf_parse_u64(&r->manifest_size, v) != 0 ||
		    dexf_unhex(r->manifest_sha256, 32, h) != 0)
			rc = dexf_seterr(err, DEXF_EFORMAT,
			    "%s: bad manifest reference", what);
		free(v);
		free(h);
		if (rc != 0)
			goto out;
	}
	n = dexf_xml_child(root, "signature");
	if (n != NULL)
		r->signature_entry = dexf_xml_attr(n, "entry");
	n = dexf_xml_child(root, "previous");
	if (n != NULL) {
		char *h = dexf_xml_attr(n, "sha256");

		char *hs = dexf_xml_attr(n, "signatureSha256");
		char *ht = dexf_xml_attr(n, "timestampSha256");

		r->has_previous = 1;
		r->previous_entry = dexf_xml_attr(n, "entry");
		r->has_prev_sig = hs != NULL;
		r->has_prev_tst = ht != NULL;
		if (dexf_unhex(r->previous_sha256, 32, h) != 0 ||
		    (hs && dexf_unhex(r->prev_sig_sha256, 32, hs) != 0) ||
		    (ht && dexf_unhex(r->prev_tst_sha256, 32, ht) != 0))
			rc = dexf_seterr(err, DEXF_EFORMAT,
			    "%s: bad previous reference", what);
		free(h);
		free(hs);
		free(ht);
		if (rc != 0)
			goto out;
	}
	rc = dexf_body_parse(&r->body, root, what, err);
	if (rc == 0 && r->body.kind != DEXF_RECORD_SEAL &&
	    (int)r->body.kind != dexf_record_kind_from(r->kind))
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: record of kind '%s' "
		    "has a body of another kind", what, r->kind);
	if (rc == 0 && r->body.kind == DEXF_RECORD_SEAL &&
	    strcmp(r->kind, "seal") != 0)
		rc = dexf_seterr(err, DEXF_EFORMAT, "%s: record of kind '%s' "
		    "has no body (only a seal has none)", what, r->kind);
out:
	xmlFreeDoc(doc);
	if (rc != 0)
		dexf_record_clear(r);
	return rc;
}
