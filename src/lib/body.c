/*
 * body.c - record bodies (FORMAT.md 9.5).  Element and attribute names
 * follow schemas/record.xsd; the writer emits them in schema order and the
 * result is validated before it is signed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "body.h"
#include "util.h"
#include "xmlsafe.h"

#define W(call) do { if ((call) < 0) return -1; } while (0)

static const char *const kind_names[] = {
	"seal", "custody", "annotation", "traceback"
};

int
dexf_record_kind_from(const char *name)
{
	for (int i = 0; name != NULL && i < 4; i++)
		if (strcmp(name, kind_names[i]) == 0)
			return i;
	return -1;
}

/* ---- writing ------------------------------------------------------ */

static int
attr(xmlTextWriterPtr w, const char *name, const char *v)
{
	if (v == NULL)
		return 0;
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v);
}

static int
elem(xmlTextWriterPtr w, const char *name, const char *v)
{
	if (v == NULL)
		return 0;
	return xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST v);
}

static int
party(xmlTextWriterPtr w, const char *el, const dexf_party *p)
{
	if (p->name == NULL)
		return 0;
	W(xmlTextWriterStartElement(w, BAD_CAST el));
	W(attr(w, "role", p->role ? p->role : "custodian"));
	W(elem(w, "name", p->name));
	W(elem(w, "organization", p->org));
	return xmlTextWriterEndElement(w);
}

static int
item_ref(xmlTextWriterPtr w, const char *el, const dexf_item_ref *r)
{
	W(xmlTextWriterStartElement(w, BAD_CAST el));
	W(attr(w, "path", r->item));
	W(attr(w, "sha256", r->sha256));
	return xmlTextWriterEndElement(w);
}

static int
write_custody(xmlTextWriterPtr w, const dexf_custody *c)
{
	W(xmlTextWriterStartElement(w, BAD_CAST "custody"));
	W(attr(w, "action", c->action));
	W(party(w, "receiver", &c->receiver));
	W(elem(w, "location", c->location));
	W(elem(w, "authorization", c->authorization));
	if (c->tool_name != NULL) {
		W(xmlTextWriterStartElement(w, BAD_CAST "tool"));
		W(attr(w, "name", c->tool_name));
		W(attr(w, "version", c->tool_version));
		W(xmlTextWriterEndElement(w));
	}
	for (size_t i = 0; i < c->nitems; i++)
		W(item_ref(w, "item", &c->items[i]));
	W(elem(w, "outcome", c->outcome));
	W(elem(w, "note", c->note));
	for (size_t i = 0; i < c->nattachments; i++) {
		const dexf_attachment *a = &c->attachments[i];

		W(xmlTextWriterStartElement(w, BAD_CAST "attachment"));
		W(attr(w, "entry", a->entry));
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
		    (unsigned long long)a->size));
		W(attr(w, "sha256", a->sha256));
		W(attr(w, "mediaType", a->media_type));
		W(xmlTextWriterEndElement(w));
	}
	return xmlTextWriterEndElement(w);
}

static int
write_annotation(xmlTextWriterPtr w, const dexf_annotation *an)
{
	W(xmlTextWriterStartElement(w, BAD_CAST "annotation"));
	W(attr(w, "type", an->type ? an->type : "finding"));
	W(attr(w, "confidence", an->confidence ? an->confidence : "unknown"));
	W(xmlTextWriterStartElement(w, BAD_CAST "target"));
	W(attr(w, "item", an->item));
	if (an->has_range) {
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "offset",
		    "%llu", (unsigned long long)an->offset));
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "length",
		    "%llu", (unsigned long long)an->length));
	}
	W(attr(w, "path", an->path));
	W(attr(w, "sha256", an->sha256));
	W(xmlTextWriterEndElement(w));
	W(elem(w, "text", an->text ? an->text : ""));
	for (size_t i = 0; i < an->ntags; i++)
		W(elem(w, "tag", an->tags[i]));
	return xmlTextWriterEndElement(w);
}

static int
endpoint(xmlTextWriterPtr w, const char *el, const char *addr,
    const char *port)
{
	W(xmlTextWriterStartElement(w, BAD_CAST el));
	W(attr(w, "address", addr));
	W(attr(w, "port", port));
	return xmlTextWriterEndElement(w);
}

static int
write_hop(xmlTextWriterPtr w, const dexf_hop *h)
{
	W(xmlTextWriterStartElement(w, BAD_CAST "hop"));
	W(xmlTextWriterStartElement(w, BAD_CAST "observationPoint"));
	W(attr(w, "address", h->point_address));
	W(attr(w, "asn", h->point_asn));
	W(attr(w, "router", h->router));
	W(attr(w, "interface", h->interface));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterStartElement(w, BAD_CAST "observed"));
	W(attr(w, "time", h->time));
	W(attr(w, "sourceAddress", h->observed_source));
	W(attr(w, "spoofed", h->spoofed ? h->spoofed : "unknown"));
	W(xmlTextWriterEndElement(w));
	if (h->upstream_address != NULL) {
		W(xmlTextWriterStartElement(w, BAD_CAST "upstream"));
		W(attr(w, "address", h->upstream_address));
		W(attr(w, "asn", h->upstream_asn));
		W(xmlTextWriterEndElement(w));
	}
	W(elem(w, "method", h->method));
	W(elem(w, "confidence", h->confidence ? h->confidence : "unknown"));
	for (size_t i = 0; i < h->nevidence; i++)
		W(item_ref(w, "evidence", &h->evidence[i]));
	W(xmlTextWriterStartElement(w, BAD_CAST "contact"));
	W(attr(w, "role", h->contact.role ? h->contact.role : "operator"));
	W(elem(w, "name", h->contact.name));
	W(elem(w, "organization", h->contact.org));
	W(elem(w, "email", h->contact_email));
	W(elem(w, "phone", h->contact_phone));
	W(xmlTextWriterEndElement(w));
	W(elem(w, "note", h->note));
	return xmlTextWriterEndElement(w);
}

static int
write_traceback(xmlTextWriterPtr w, const dexf_traceback *t)
{
	W(xmlTextWriterStartElement(w, BAD_CAST "traceback"));
	W(attr(w, "result", t->result));
	W(xmlTextWriterStartElement(w, BAD_CAST "incident"));
	W(attr(w, "organization", t->incident_org));
	W(xmlTextWriterWriteString(w, BAD_CAST t->incident_id));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterStartElement(w, BAD_CAST "flow"));
	W(attr(w, "protocol", t->protocol));
	W(attr(w, "start", t->window_start));
	W(attr(w, "end", t->window_end));
	W(endpoint(w, "source", t->src_address, t->src_port));
	W(endpoint(w, "destination", t->dst_address, t->dst_port));
	W(xmlTextWriterEndElement(w));
	for (size_t i = 0; i < t->nhops; i++)
		W(write_hop(w, &t->hops[i]));
	W(elem(w, "note", t->note));
	return xmlTextWriterEndElement(w);
}

int
dexf_body_write(xmlTextWriterPtr w, const dexf_custody *c,
    const dexf_annotation *an, const dexf_traceback *t)
{
	if (c != NULL)
		return write_custody(w, c);
	if (an != NULL)
		return write_annotation(w, an);
	if (t != NULL)
		return write_traceback(w, t);
	return 0;
}

/* ---- parsing ------------------------------------------------------ */

void
dexf_body_free(dexf_body *b)
{
	for (size_t i = 0; i < b->nstrs; i++)
		free(b->strs[i]);
	free(b->strs);
	free(b->refs);
	free(b->atts);
	free(b->hops);
	free(b->tags);
	memset(b, 0, sizeof(*b));
}

/* Keep `s` (malloc'd or NULL) in the body's storage; returns it. */
static const char *
keep(dexf_body *b, char *s, int *oom)
{
	if (s == NULL)
		return NULL;
	if (b->nstrs == b->capstrs) {
		size_t nc = b->capstrs ? b->capstrs * 2 : 32;
		char **n = realloc(b->strs, nc * sizeof(*n));

		if (n == NULL) {
			free(s);
			*oom = 1;
			return NULL;
		}
		b->strs = n;
		b->capstrs = nc;
	}
	b->strs[b->nstrs++] = s;
	return s;
}

#define A(node, name) keep(b, dexf_xml_attr(node, name), &oom)
#define T(node, name) keep(b, dexf_xml_child_text(node, name), &oom)

static size_t
count(xmlNodePtr parent, const char *name)
{
	size_t n = 0;

	for (xmlNodePtr c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			n++;
	return n;
}

static int
is_el(xmlNodePtr c, const char *name)
{
	return c->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)c->name, name) == 0;
}

static int
address_ok(const char *a)
{
	unsigned char buf[16];

	return a == NULL || inet_pton(AF_INET, a, buf) == 1 ||
	    inet_pton(AF_INET6, a, buf) == 1;
}

static int
protocol_ok(const char *p)
{
	uint64_t v;

	return p != NULL && (strcmp(p, "tcp") == 0 || strcmp(p, "udp") == 0 ||
	    strcmp(p, "icmp") == 0 || (dexf_parse_u64(&v, p) == 0 &&
	    v <= 255));
}

static int
time_ok(const char *s)
{
	time_t t;

	return s == NULL || dexf_parse_time(&t, s) == 0;
}

static void
party_of(dexf_body *b, xmlNodePtr n, dexf_party *p, int *oomp)
{
	int oom = 0;

	if (n == NULL)
		return;
	p->role = A(n, "role");
	p->name = T(n, "name");
	p->org = T(n, "organization");
	*oomp |= oom;
}

static int
parse_refs(dexf_body *b, xmlNodePtr parent, const char *name,
    dexf_item_ref **out, size_t *nout, int *oomp)
{
	size_t n = count(parent, name), k = 0;
	int oom = 0;

	*out = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	/* the array is kept with the body's strings */
	if ((*out = calloc(n, sizeof(**out))) == NULL ||
	    keep(b, (char *)*out, &oom) == NULL) {
		*oomp = 1;
		return -1;
	}
	for (xmlNodePtr c = parent->children; c != NULL; c = c->next) {
		if (!is_el(c, name))
			continue;
		(*out)[k].item = A(c, "path");
		(*out)[k].sha256 = A(c, "sha256");
		k++;
	}
	*nout = k;
	*oomp |= oom;
	return 0;
}

static int
parse_custody(dexf_body *b, xmlNodePtr n, const char *what, dexf_err *err)
{
	dexf_custody *c = &b->custody;
	xmlNodePtr x;
	size_t na = count(n, "attachment"), k = 0;
	int oom = 0;

	c->action = A(n, "action");
	party_of(b, dexf_xml_child(n, "receiver"), &c->receiver, &oom);
	c->location = T(n, "location");
	c->authorization = T(n, "authorization");
	if ((x = dexf_xml_child(n, "tool")) != NULL) {
		c->tool_name = A(x, "name");
		c->tool_version = A(x, "version");
	}
	if (parse_refs(b, n, "item", (dexf_item_ref **)&c->items,
	    &c->nitems, &oom) != 0)
		goto oom;
	c->outcome = T(n, "outcome");
	c->note = T(n, "note");
	if (na > 0) {
		if ((b->atts = calloc(na, sizeof(*b->atts))) == NULL)
			goto oom;
		for (xmlNodePtr a = n->children; a != NULL; a = a->next) {
			dexf_attachment *t = &b->atts[k];
			char *sz;

			if (!is_el(a, "attachment"))
				continue;
			t->entry = A(a, "entry");
			t->sha256 = A(a, "sha256");
			t->media_type = A(a, "mediaType");
			sz = dexf_xml_attr(a, "size");
			if (dexf_parse_u64(&t->size, sz) != 0) {
				free(sz);
				return dexf_seterr(err, DEXF_EFORMAT,
				    "%s: attachment size is not a number", what);
			}
			free(sz);
			k++;
		}
		c->attachments = b->atts;
		c->nattachments = k;
	}
	if (oom)
		goto oom;
	return 0;
oom:
	return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
}

static int
parse_annotation(dexf_body *b, xmlNodePtr n, const char *what, dexf_err *err)
{
	dexf_annotation *an = &b->annotation;
	xmlNodePtr t = dexf_xml_child(n, "target");
	size_t nt = count(n, "tag"), k = 0;
	char *off, *len;
	int oom = 0, bad = 0;

	an->type = A(n, "type");
	an->confidence = A(n, "confidence");
	an->item = A(t, "item");
	an->path = A(t, "path");
	an->sha256 = A(t, "sha256");
	off = dexf_xml_attr(t, "offset");
	len = dexf_xml_attr(t, "length");
	if ((off == NULL) != (len == NULL))
		bad = 1;
	else if (off != NULL) {
		an->has_range = 1;
		if (dexf_parse_u64(&an->offset, off) != 0 ||
		    dexf_parse_u64(&an->length, len) != 0 || an->length == 0 ||
		    an->offset + an->length < an->offset)
			bad = 1;
	}
	free(off);
	free(len);
	if (bad)
		return dexf_seterr(err, DEXF_EFORMAT, "%s: annotation target "
		    "needs both offset and length, with a length of at least "
		    "1 that does not overflow", what);
	an->text = T(n, "text");
	if (nt > 0) {
		if ((b->tags = calloc(nt, sizeof(*b->tags))) == NULL)
			goto oom;
		for (xmlNodePtr c = n->children; c != NULL; c = c->next)
			if (is_el(c, "tag")) {
				xmlChar *v = xmlNodeGetContent(c);

				b->tags[k++] = keep(b, v ? strdup((char *)v) :
				    strdup(""), &oom);
				xmlFree(v);
			}
		an->tags = b->tags;
		an->ntags = k;
	}
	if (oom)
		goto oom;
	return 0;
oom:
	return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
}

static int
parse_traceback(dexf_body *b, xmlNodePtr n, const char *what, dexf_err *err)
{
	dexf_traceback *t = &b->traceback;
	xmlNodePtr inc = dexf_xml_child(n, "incident");
	xmlNodePtr flow = dexf_xml_child(n, "flow"), x;
	size_t nh = count(n, "hop"), k = 0;
	int oom = 0;

	t->result = A(n, "result");
	if (inc != NULL) {
		xmlChar *v = xmlNodeGetContent(inc);

		t->incident_id = keep(b, v ? strdup((char *)v) : strdup(""),
		    &oom);
		xmlFree(v);
		t->incident_org = A(inc, "organization");
	}
	t->protocol = A(flow, "protocol");
	t->window_start = A(flow, "start");
	t->window_end = A(flow, "end");
	x = dexf_xml_child(flow, "source");
	t->src_address = A(x, "address");
	t->src_port = A(x, "port");
	x = dexf_xml_child(flow, "destination");
	t->dst_address = A(x, "address");
	t->dst_port = A(x, "port");
	t->note = T(n, "note");
	if (!address_ok(t->src_address) || !address_ok(t->dst_address))
		return dexf_seterr(err, DEXF_EFORMAT, "%s: flow address is not "
		    "an IPv4 or IPv6 address", what);
	if (!time_ok(t->window_start) || !time_ok(t->window_end))
		return dexf_seterr(err, DEXF_EFORMAT, "%s: flow time window is "
		    "not a valid time", what);
	if (t->window_start != NULL && t->window_end != NULL &&
	    strcmp(t->window_start, t->window_end) > 0)
		return dexf_seterr(err, DEXF_EFORMAT, "%s: flow time window "
		    "starts after it ends", what);
	if (!protocol_ok(t->protocol))
		return dexf_seterr(err, DEXF_EFORMAT, "%s: protocol '%s' is "
		    "not tcp, udp, icmp or a number 0-255", what, t->protocol);
	if ((b->hops = calloc(nh ? nh : 1, sizeof(*b->hops))) == NULL)
		goto oom;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		dexf_hop *h = &b->hops[k];
		xmlNodePtr y;

		if (!is_el(c, "hop"))
			continue;
		y = dexf_xml_child(c, "observationPoint");
		h->point_address = A(y, "address");
		h->point_asn = A(y, "asn");
		h->router = A(y, "router");
		h->interface = A(y, "interface");
		y = dexf_xml_child(c, "observed");
		h->time = A(y, "time");
		h->observed_source = A(y, "sourceAddress");
		h->spoofed = A(y, "spoofed");
		y = dexf_xml_child(c, "upstream");
		h->upstream_address = A(y, "address");
		h->upstream_asn = A(y, "asn");
		h->method = T(c, "method");
		h->confidence = T(c, "confidence");
		if (parse_refs(b, c, "evidence", (dexf_item_ref **)&h->evidence,
		    &h->nevidence, &oom) != 0)
			goto oom;
		y = dexf_xml_child(c, "contact");
		party_of(b, y, &h->contact, &oom);
		h->contact_email = T(y, "email");
		h->contact_phone = T(y, "phone");
		h->note = T(c, "note");
		k++;
		if (!address_ok(h->point_address) ||
		    !address_ok(h->observed_source) ||
		    !address_ok(h->upstream_address))
			return dexf_seterr(err, DEXF_EFORMAT, "%s: hop %zu: an "
			    "address is not an IPv4 or IPv6 address", what, k);
		if (!time_ok(h->time))
			return dexf_seterr(err, DEXF_EFORMAT, "%s: hop %zu: "
			    "observation time '%s' is not a valid time", what,
			    k, h->time);
	}
	t->hops = b->hops;
	t->nhops = k;
	if (oom)
		goto oom;
	return 0;
oom:
	return dexf_seterr(err, DEXF_ENOMEM, "out of memory");
}

int
dexf_body_parse(dexf_body *b, xmlNodePtr root, const char *what,
    dexf_err *err)
{
	xmlNodePtr n;
	int rc;

	memset(b, 0, sizeof(*b));
	if ((n = dexf_xml_child(root, "custody")) != NULL) {
		b->kind = DEXF_RECORD_CUSTODY;
		rc = parse_custody(b, n, what, err);
	} else if ((n = dexf_xml_child(root, "annotation")) != NULL) {
		b->kind = DEXF_RECORD_ANNOTATION;
		rc = parse_annotation(b, n, what, err);
	} else if ((n = dexf_xml_child(root, "traceback")) != NULL) {
		b->kind = DEXF_RECORD_TRACEBACK;
		rc = parse_traceback(b, n, what, err);
	} else {
		b->kind = DEXF_RECORD_SEAL;
		return 0;
	}
	if (rc != 0)
		dexf_body_free(b);
	return rc;
}
