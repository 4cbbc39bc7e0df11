/*
 * iodef.c - trace-back records as one IODEF v2 document (RFC 7970), for
 * the CIRTs that take over an incident.
 *
 * Mapping (one Incident per incident id + issuing organization):
 *
 *   Incident purpose="traceback"
 *     IncidentID name=ORG                 the incident id as recorded
 *     StartTime/EndTime                   the flow's window (first record)
 *     GenerationTime                      newest claimed record time
 *     Description                         summary: hops, records, result
 *     Contact role=creator                the organization that issued the
 *                                         id (the library does not know
 *                                         who exports)
 *     EventData                           the attack flow: System
 *                                         category=source (claimed source)
 *                                         and category=target (victim),
 *                                         Service @ip-protocol + Port
 *     EventData (one per record)          who asserted the hops:
 *       Description, ReportTime           record number, author, result
 *       Contact role=reporter             the record's author
 *       EventData (one per hop, in path order from the victim)
 *         Description, DetectTime         hop number, observation time
 *         Contact role=tech               operator who observed
 *         Assessment/Confidence @rating   the hop's confidence
 *         Method/Description              the trace-back method
 *         Flow: System category=sensor    observation point (+ AS number
 *                                         as Address category=asn)
 *               System category=source    observed source, @spoofed
 *               System category=intermediate  upstream hop
 *         Record/RecordData/FileData      evidence items with SHA-256
 *       AdditionalData dtype=string       meaning dexf-container-id,
 *                                         dexf-record-entry,
 *                                         dexf-record-sha256,
 *                                         dexf-signature (signer, validity,
 *                                         trust), dexf-timestamp,
 *                                         dexf-traceback-result
 *
 * Everything a record claims is reported as claimed; what the verifier
 * established about the record (signature, trust) travels with it in
 * dexf-signature, so a reader can weigh each hop by who asserted it.
 *
 * Text from records is arbitrary UTF-8 (or not); the writer escapes
 * markup, and characters XML cannot carry are replaced by U+FFFD first.
 * Values whose schema type is strict (dateTime, integer, enumerations) are
 * written only when they have the right form, so the document stays valid
 * whatever a hand-made record holds.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "iodef.h"
#include "path.h"
#include "util.h"
#include "xmlsafe.h"

#define IODEF_NS "urn:ietf:params:xml:ns:iodef-2.0"
#define DSIG_NS "http://www.w3.org/2000/09/xmldsig#"
#define SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"

typedef struct iw {
	xmlTextWriterPtr w;
	int rc;             /* first failure; later calls do nothing */
} iw;

/* ------------------------------------------------------------ text */

/* Length of the valid UTF-8 sequence at p (avail bytes) that XML 1.0
 * allows, or 0. */
static size_t
xml_char_len(const unsigned char *p, size_t avail)
{
	if (p[0] < 0x20)
		return p[0] == '\t' || p[0] == '\n' || p[0] == '\r' ? 1 : 0;
	return dexf_utf8_seq(p, avail);
}

/* Copy of s that XML can carry; malloc'd, NULL on ENOMEM. */
static char *
xml_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	char *out = malloc(strlen(s) * 3 + 1), *o = out;

	if (out == NULL)
		return NULL;
	while (*p) {
		size_t n = xml_char_len(p, (size_t)(end - p));

		if (n == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);  /* U+FFFD */
			o += 3;
			p++;
		} else {
			memcpy(o, p, n);
			o += n;
			p += n;
		}
	}
	*o = '\0';
	return out;
}

static int
all_digits(const char *s, size_t maxlen)
{
	size_t n = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9' || n >= maxlen)
			return 0;
	return 1;
}

static int
is_time(const char *s)
{
	time_t t;

	return s != NULL && dexf_parse_time(&t, s) == 0;
}

static int
is_port(const char *s)
{
	return all_digits(s, 5) && atol(s) <= 65535;
}

static int
one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static int
streq0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static const char *
or_(const char *s, const char *dflt)
{
	return s != NULL && *s != '\0' ? s : dflt;
}

/* IANA protocol number for a flow's protocol, -1 when unknown. */
static int
ip_protocol(const char *p)
{
	static const struct { const char *name; int num; } names[] = {
		{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 },
		{ "esp", 50 }, { "icmpv6", 58 }, { "ipv6-icmp", 58 },
		{ "sctp", 132 },
	};

	if (p == NULL)
		return -1;
	if (all_digits(p, 3))
		return atoi(p) <= 255 ? atoi(p) : -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(p, names[i].name) == 0)
			return names[i].num;
	return -1;
}

/* ------------------------------------------------------------ writer */

static void
fail(iw *x, int r)
{
	if (r < 0 && x->rc == 0)
		x->rc = DEXF_ENOMEM;
}

static void
start(iw *x, const char *name)
{
	if (x->rc == 0)
		fail(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void
end(iw *x)
{
	if (x->rc == 0)
		fail(x, xmlTextWriterEndElement(x->w));
}

static void
attr(iw *x, const char *name, const char *val)
{
	char *c;

	if (x->rc != 0 || val == NULL)
		return;
	if ((c = xml_clean(val)) == NULL) {
		x->rc = DEXF_ENOMEM;
		return;
	}
	fail(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST c));
	free(c);
}

static void
text(iw *x, const char *s)
{
	char *c;

	if (x->rc != 0 || s == NULL)
		return;
	if ((c = xml_clean(s)) == NULL) {
		x->rc = DEXF_ENOMEM;
		return;
	}
	fail(x, xmlTextWriterWriteString(x->w, BAD_CAST c));
	free(c);
}

/* <name>s</name>, nothing when s is NULL. */
static void
elem(iw *x, const char *name, const char *s)
{
	if (s == NULL)
		return;
	start(x, name);
	text(x, s);
	end(x);
}

static char *
vfmt(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void
elemf(iw *x, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
elemf(iw *x, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (x->rc != 0)
		return;
	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	if (s == NULL) {
		x->rc = DEXF_ENOMEM;
		return;
	}
	elem(x, name, s);
	free(s);
}

/* <AdditionalData dtype="string" meaning="m">s</AdditionalData> */
static void
additional(iw *x, const char *meaning, const char *s)
{
	if (s == NULL)
		return;
	start(x, "AdditionalData");
	attr(x, "dtype", "string");
	attr(x, "meaning", meaning);
	text(x, s);
	end(x);
}

/* ------------------------------------------------------------ pieces */

static void
address(iw *x, const char *a)
{
	start(x, "Address");
	attr(x, "category", strchr(a, ':') != NULL ? "ipv6-addr" :
	    "ipv4-addr");
	text(x, a);
	end(x);
}

/* Node with an IP address and, when known, its AS number. */
static void
node(iw *x, const char *addr, const char *asn)
{
	start(x, "Node");
	address(x, addr);
	if (all_digits(asn, 10)) {
		start(x, "Address");
		attr(x, "category", "asn");
		text(x, asn);
		end(x);
	}
	end(x);
}

static void
service(iw *x, int proto, const char *port)
{
	char num[8];

	if (proto < 0 && !is_port(port))
		return;
	start(x, "Service");
	if (proto >= 0) {
		snprintf(num, sizeof(num), "%d", proto);
		attr(x, "ip-protocol", num);
	}
	if (is_port(port))
		elem(x, "Port", port);
	end(x);
}

/* A person (with their organization nested) or an organization alone. */
static void
contact(iw *x, const char *role, const dexf_party *p, const char *email,
    const char *phone)
{
	int person = p->name != NULL && *p->name != '\0';

	if (!person && (p->org == NULL || *p->org == '\0'))
		return;
	start(x, "Contact");
	attr(x, "role", role);
	attr(x, "type", person ? "person" : "organization");
	elem(x, "ContactName", person ? p->name : p->org);
	if (p->role != NULL && *p->role != '\0')
		elem(x, "ContactTitle", p->role);
	if (email != NULL && *email != '\0') {
		start(x, "Email");
		elem(x, "EmailTo", email);
		end(x);
	}
	if (phone != NULL && *phone != '\0') {
		start(x, "Telephone");
		elem(x, "TelephoneNumber", phone);
		end(x);
	}
	if (person && p->org != NULL && *p->org != '\0') {
		start(x, "Contact");
		attr(x, "role", role);
		attr(x, "type", "organization");
		elem(x, "ContactName", p->org);
		end(x);
	}
	end(x);
}

/* Evidence items as files with their SHA-256 (ds:DigestValue is base64). */
static void
evidence(iw *x, const dexf_hop *h)
{
	unsigned char md[32];

	if (h->nevidence == 0)
		return;
	start(x, "Record");
	start(x, "RecordData");
	elem(x, "Description", "evidence items held in the dexf container, "
	    "with the SHA-256 the observer recorded");
	start(x, "FileData");
	for (size_t i = 0; i < h->nevidence; i++) {
		const dexf_item_ref *e = &h->evidence[i];

		start(x, "File");
		elem(x, "FileName", or_(e->item, "(unnamed)"));
		if (dexf_unhex(md, sizeof(md), e->sha256) == 0) {
			start(x, "HashData");
			attr(x, "scope", "file-contents");
			start(x, "Hash");
			if (x->rc == 0)
				fail(x, xmlTextWriterStartElementNS(x->w,
				    BAD_CAST "ds", BAD_CAST "DigestMethod",
				    BAD_CAST DSIG_NS));
			attr(x, "Algorithm", SHA256_URI);
			end(x);
			if (x->rc == 0)
				fail(x, xmlTextWriterStartElementNS(x->w,
				    BAD_CAST "ds", BAD_CAST "DigestValue",
				    BAD_CAST DSIG_NS));
			if (x->rc == 0)
				fail(x, xmlTextWriterWriteBase64(x->w,
				    (const char *)md, 0, sizeof(md)));
			end(x);
			end(x);   /* Hash */
			end(x);   /* HashData */
		}
		end(x);   /* File */
	}
	end(x);   /* FileData */
	end(x);   /* RecordData */
	end(x);   /* Record */
}

static void
hop_event(iw *x, const dexf_record_info *r, const dexf_hop *h, size_t k,
    size_t nhops)
{
	static const char *const conf[] = { "low", "medium", "high",
	    "unknown", NULL };
	static const char *const yn[] = { "yes", "no", "unknown", NULL };

	start(x, "EventData");
	elemf(x, "Description", "hop %zu of %zu in dexf record %u: observed "
	    "at %s%s%s%s%s%s%s", k + 1, nhops, r->sequence,
	    or_(h->point_address, "(unknown point)"),
	    h->point_asn ? ", AS" : "", h->point_asn ? h->point_asn : "",
	    h->router ? ", router " : "", h->router ? h->router : "",
	    h->interface ? ", interface " : "",
	    h->interface ? h->interface : "");
	if (h->note != NULL)
		elem(x, "Description", h->note);
	if (is_time(h->time))
		elem(x, "DetectTime", h->time);
	contact(x, "tech", &h->contact, h->contact_email, h->contact_phone);
	if (one_of(h->confidence, conf)) {
		/* RFC 7970 requires an impact in every Assessment; the
		 * neutral SystemImpact (type "unknown") carries none. */
		start(x, "Assessment");
		start(x, "SystemImpact");
		attr(x, "type", "unknown");
		end(x);
		start(x, "Confidence");
		attr(x, "rating", h->confidence);
		end(x);
		end(x);
	}
	if (h->method != NULL) {
		start(x, "Method");
		elemf(x, "Description", "trace-back method: %s", h->method);
		end(x);
	}
	if (h->point_address != NULL || h->observed_source != NULL ||
	    h->upstream_address != NULL) {
		start(x, "Flow");
		if (h->point_address != NULL) {
			start(x, "System");
			attr(x, "category", "sensor");
			attr(x, "interface", h->interface);
			node(x, h->point_address, h->point_asn);
			start(x, "NodeRole");
			attr(x, "category", "infra-router");
			end(x);
			if (h->router != NULL)
				elemf(x, "Description", "observation point, "
				    "router %s", h->router);
			else
				elem(x, "Description", "observation point");
			end(x);
		}
		if (h->observed_source != NULL) {
			start(x, "System");
			attr(x, "category", "source");
			if (one_of(h->spoofed, yn))
				attr(x, "spoofed", h->spoofed);
			node(x, h->observed_source, NULL);
			elem(x, "Description", "source address of the "
			    "attack traffic observed at this point");
			end(x);
		}
		if (h->upstream_address != NULL) {
			start(x, "System");
			attr(x, "category", "intermediate");
			node(x, h->upstream_address, h->upstream_asn);
			start(x, "NodeRole");
			attr(x, "category", "infra-router");
			end(x);
			elem(x, "Description", "upstream: the next hop toward "
			    "the source");
			end(x);
		}
		end(x);   /* Flow */
	}
	evidence(x, h);
	end(x);   /* EventData */
}

static void
signature_data(iw *x, const dexf_record_info *r)
{
	char *s;

	s = malloc(1024 + strlen(or_(r->subject, "")) +
	    strlen(or_(r->issuer, "")) + strlen(or_(r->fingerprint, "")) +
	    strlen(or_(r->trust_detail, "")) + strlen(or_(r->problem, "")) +
	    strlen(or_(r->timestamp, "")) + strlen(or_(r->tsa_subject, "")));
	if (s == NULL) {
		x->rc = DEXF_ENOMEM;
		return;
	}
	sprintf(s, "signer: %s; issuer: %s; fingerprint sha256: %s; "
	    "signature: %s; trust: %s%s%s%s; record: %s%s%s",
	    or_(r->subject, "(none)"), or_(r->issuer, "(none)"),
	    or_(r->fingerprint, "(none)"),
	    r->signature_valid ? "valid" : "invalid", dexf_trust_name(r->trust),
	    r->trust_detail ? " (" : "", or_(r->trust_detail, ""),
	    r->trust_detail ? ")" : "",
	    r->valid ? "valid" : "invalid", r->problem ? ": " : "",
	    or_(r->problem, ""));
	additional(x, "dexf-signature", s);
	if (r->timestamped) {
		sprintf(s, "time-stamped %s by %s; token: %s; TSA trust: %s",
		    or_(r->timestamp, "(unknown time)"),
		    or_(r->tsa_subject, "(unknown TSA)"),
		    r->timestamp_valid ? "valid" : "invalid",
		    dexf_trust_name(r->tsa_trust));
		additional(x, "dexf-timestamp", s);
	}
	free(s);
}

static void
record_event(iw *x, const dexf_record_info *r, const char *container_id)
{
	const dexf_traceback *t = r->traceback;
	const char *who = or_(r->author.name, or_(r->author.org, NULL));

	start(x, "EventData");
	elemf(x, "Description", "dexf trace-back record %u%s%s: %zu hop(s), "
	    "result %s", r->sequence, who ? " by " : "", who ? who : "",
	    t->nhops, or_(t->result, "(none)"));
	if (t->note != NULL)
		elem(x, "Description", t->note);
	if (is_time(r->time))
		elem(x, "ReportTime", r->time);
	contact(x, "reporter", &r->author, NULL, NULL);
	for (size_t k = 0; k < t->nhops; k++)
		hop_event(x, r, &t->hops[k], k, t->nhops);
	additional(x, "dexf-container-id", container_id);
	additional(x, "dexf-record-entry", r->entry);
	additional(x, "dexf-record-sha256", r->sha256);
	signature_data(x, r);
	additional(x, "dexf-traceback-result", t->result);
	end(x);
}

static void
flow_event(iw *x, const dexf_traceback *t)
{
	int proto = ip_protocol(t->protocol);

	start(x, "EventData");
	elemf(x, "Description", "attack flow as seen by the victim "
	    "(protocol %s)", or_(t->protocol, "unknown"));
	if (is_time(t->window_start))
		elem(x, "StartTime", t->window_start);
	if (is_time(t->window_end))
		elem(x, "EndTime", t->window_end);
	if (t->src_address != NULL || t->dst_address != NULL) {
		start(x, "Flow");
		if (t->src_address != NULL) {
			start(x, "System");
			attr(x, "category", "source");
			node(x, t->src_address, NULL);
			service(x, proto, t->src_port);
			elem(x, "Description", "source address claimed by "
			    "the attack traffic (may be spoofed)");
			end(x);
		}
		if (t->dst_address != NULL) {
			start(x, "System");
			attr(x, "category", "target");
			node(x, t->dst_address, NULL);
			service(x, proto, t->dst_port);
			elem(x, "Description", "victim");
			end(x);
		}
		end(x);
	}
	end(x);
}

static int
same_incident(const dexf_traceback *a, const dexf_traceback *b)
{
	return streq0(a->incident_id, b->incident_id) &&
	    streq0(a->incident_org, b->incident_org);
}

static int
is_traceback(const dexf_record_info *r)
{
	return r != NULL && r->kind == DEXF_RECORD_TRACEBACK &&
	    r->traceback != NULL;
}

/* The Incident for the records of first's incident (first is the
 * earliest of them). */
static void
incident(iw *x, const dexf_record_info *const *recs, size_t n, size_t first,
    const char *container_id)
{
	const dexf_traceback *t0 = recs[first]->traceback;
	const dexf_record_info *newest = recs[first];
	const char *gen = NULL, *start_t = NULL, *end_t = NULL;
	size_t nrec = 0, nhops = 0;
	char now[32];

	for (size_t i = first; i < n; i++) {
		const dexf_record_info *r = recs[i];

		if (!is_traceback(r) || !same_incident(r->traceback, t0))
			continue;
		nrec++;
		nhops += r->traceback->nhops;
		newest = r;
		if (is_time(r->time) && (gen == NULL ||
		    strcmp(r->time, gen) > 0))
			gen = r->time;
		if (start_t == NULL && is_time(r->traceback->window_start))
			start_t = r->traceback->window_start;
		if (end_t == NULL && is_time(r->traceback->window_end))
			end_t = r->traceback->window_end;
	}
	if (gen == NULL) {
		dexf_fmt_time(now, sizeof(now), time(NULL));
		gen = now;
	}
	start(x, "Incident");
	attr(x, "purpose", "traceback");
	start(x, "IncidentID");
	attr(x, "name", or_(t0->incident_org, "unknown"));
	text(x, or_(t0->incident_id, ""));
	end(x);
	if (start_t != NULL)
		elem(x, "StartTime", start_t);
	if (end_t != NULL)
		elem(x, "EndTime", end_t);
	elem(x, "GenerationTime", gen);
	elemf(x, "Description", "trace-back of incident %s (%s): %zu hop(s) "
	    "asserted in %zu signed dexf record(s)%s%s; result of the newest "
	    "record (%u): %s", or_(t0->incident_id, "(no id)"),
	    or_(t0->incident_org, "unknown organization"), nhops, nrec,
	    container_id ? " of container " : "", or_(container_id, ""),
	    newest->sequence, or_(newest->traceback->result, "(none)"));
	start(x, "Contact");
	attr(x, "role", "creator");
	attr(x, "type", "organization");
	elem(x, "ContactName", or_(t0->incident_org, "unknown"));
	end(x);
	flow_event(x, t0);
	for (size_t i = first; i < n; i++)
		if (is_traceback(recs[i]) &&
		    same_incident(recs[i]->traceback, t0))
			record_event(x, recs[i], container_id);
	end(x);
}

int
dexf_iodef_write(const dexf_record_info *const *recs, size_t n,
    const char *container_id, char **out, size_t *outlen)
{
	xmlBufferPtr buf = NULL;
	iw x = { NULL, 0 };
	size_t found = 0;

	if (out == NULL || outlen == NULL || (recs == NULL && n > 0))
		return DEXF_EINVAL;
	*out = NULL;
	*outlen = 0;
	for (size_t i = 0; i < n; i++)
		found += is_traceback(recs[i]);
	if (found == 0)
		return DEXF_ENOTFOUND;
	if ((x.w = dexf_xml_writer_new(&buf)) == NULL) {
		x.rc = DEXF_ENOMEM;
		goto out;
	}
	fail(&x, xmlTextWriterStartElementNS(x.w, NULL,
	    BAD_CAST "IODEF-Document", BAD_CAST IODEF_NS));
	attr(&x, "version", "2.00");
	attr(&x, "xml:lang", "en");
	for (size_t i = 0; i < n; i++) {
		int seen = 0;

		if (!is_traceback(recs[i]))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = is_traceback(recs[j]) && same_incident(
			    recs[j]->traceback, recs[i]->traceback);
		if (!seen)
			incident(&x, recs, n, i, container_id);
	}
	end(&x);
	if (x.rc == 0)
		fail(&x, xmlTextWriterEndDocument(x.w));
	if (x.rc != 0)
		goto out;
	xmlFreeTextWriter(x.w);   /* flushes into buf */
	x.w = NULL;
	*out = malloc((size_t)xmlBufferLength(buf) + 1);
	if (*out == NULL) {
		x.rc = DEXF_ENOMEM;
		goto out;
	}
	*outlen = (size_t)xmlBufferLength(buf);
	memcpy(*out, xmlBufferContent(buf), *outlen);
	(*out)[*outlen] = '\0';
out:
	if (x.w != NULL)
		xmlFreeTextWriter(x.w);
	xmlBufferFree(buf);
	return x.rc;
}
