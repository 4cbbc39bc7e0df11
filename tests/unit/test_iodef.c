/*
 * test_iodef.c - trace-back records exported as IODEF v2 (RFC 7970):
 * the document validates against the RFC's schema (tests/iodef/, local
 * copies, offline) and carries the path, in order, with who asserted each
 * hop.
 */
#include "config.h"

#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "iodef.h"
#include "unit.h"

#define CID "urn:uuid:6f1c2a9e-3b7d-4c1e-9a55-0d2e8b7f4c31"
#define H(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define SHA_A H("a")
#define SHA_B H("b")

static xmlSchemaPtr schema;

static int
init(void)
{
	xmlSchemaParserCtxtPtr pc;

	pc = xmlSchemaNewParserCtxt(TOP_SRCDIR "/tests/iodef/iodef-2.0.xsd");
	if (pc == NULL)
		return -1;
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	return schema != NULL ? 0 : -1;
}

static int
clean(void)
{
	xmlSchemaFree(schema);
	schema = NULL;
	return 0;
}

/* 0 when doc is valid against RFC 7970's schema. */
static int
validate(const char *doc, size_t len, xmlDocPtr *keep)
{
	xmlDocPtr d;
	xmlSchemaValidCtxtPtr vc;
	int rc;

	d = xmlReadMemory(doc, (int)len, "iodef.xml", NULL, XML_PARSE_NONET);
	if (d == NULL)
		return -1;
	vc = xmlSchemaNewValidCtxt(schema);
	rc = vc != NULL ? xmlSchemaValidateDoc(vc, d) : -1;
	xmlSchemaFreeValidCtxt(vc);
	if (keep != NULL && rc == 0)
		*keep = d;
	else
		xmlFreeDoc(d);
	return rc;
}

/* Value of an XPath expression (string() of it) in the iodef namespace
 * (prefix i); malloc'd. */
static char *
xp(xmlDocPtr d, const char *expr)
{
	xmlXPathContextPtr c = xmlXPathNewContext(d);
	xmlXPathObjectPtr o;
	char *s = NULL, buf[512];

	if (c == NULL)
		return NULL;
	xmlXPathRegisterNs(c, BAD_CAST "i",
	    BAD_CAST "urn:ietf:params:xml:ns:iodef-2.0");
	snprintf(buf, sizeof(buf), "string(%s)", expr);
	o = xmlXPathEvalExpression(BAD_CAST buf, c);
	if (o != NULL && o->stringval != NULL)
		s = strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(c);
	return s;
}

#define UA_XP(d, expr, want) do { \
	char *got_ = xp((d), (expr)); \
	UA_STR(got_, (want)); \
	free(got_); \
} while (0)

/* ------------------------------------------------------------ fixtures */

static const dexf_item_ref ev1[] = {
	{ "flows/edge1.nfcapd", SHA_A },
	{ "pcap/edge1.pcap", "not-a-digest" },
};

static const dexf_hop hops1[] = { {
	.point_address = "192.0.2.1", .point_asn = "64500",
	.router = "edge1.victim.example", .interface = "xe-0/0/1",
	.time = "2026-03-01T10:00:05Z", .observed_source = "203.0.113.7",
	.spoofed = "yes", .upstream_address = "198.51.100.1",
	.upstream_asn = "64501", .method = "flow-records",
	.confidence = "high", .evidence = ev1, .nevidence = 2,
	.contact = { "noc", "Ann Operator", "Victim Net" },
	.contact_email = "noc@victim.example", .contact_phone = "+1 555 0100",
	.note = "flows & <packets> match \"exactly\"",
} };

static const dexf_hop hops2[] = { {
	/* IPv6, minimal: no ASN, router, interface, upstream, evidence */
	.point_address = "2001:db8::1", .time = "2026-03-01T10:00:09Z",
	.observed_source = "2001:db8:bad::7", .spoofed = "no",
	.method = "logging", .confidence = "medium",
	.contact = { "noc", NULL, "Transit AS64501" },
}, {
	.point_address = "2001:db8:1::1", .point_asn = "64502",
	.time = "not a time", .observed_source = "2001:db8:bad::7",
	.spoofed = "unknown", .upstream_address = "2001:db8:2::1",
	.method = "inter-as-request", .confidence = "bogus",
	.contact = { "cirt", "Bob", NULL },
} };

static const dexf_traceback tb1 = {
	.incident_id = "INC-2026-0042", .incident_org = "cirt.victim.example",
	.protocol = "tcp", .src_address = "203.0.113.7", .src_port = "4444",
	.dst_address = "192.0.2.80", .dst_port = "443",
	.window_start = "2026-03-01T09:58:00Z",
	.window_end = "2026-03-01T10:02:00Z", .result = "partial-path",
	.hops = hops1, .nhops = 1, .note = "first hop <victim edge>",
};

static const dexf_traceback tb2 = {
	.incident_id = "INC-2026-0042", .incident_org = "cirt.victim.example",
	.protocol = "udp", .src_address = "203.0.113.7",
	.dst_address = "192.0.2.80", .result = "ingress-point",
	.hops = hops2, .nhops = 2,
};

static const dexf_custody cust = { .action = "received" };

static dexf_record_info rec_seal, rec1, rec_c, rec2;

static void
fixtures(void)
{
	memset(&rec_seal, 0, sizeof(rec_seal));
	rec_seal.kind = DEXF_RECORD_SEAL;
	rec_seal.kind_name = "seal";

	memset(&rec1, 0, sizeof(rec1));
	rec1.sequence = 1;
	rec1.kind = DEXF_RECORD_TRACEBACK;
	rec1.kind_name = "traceback";
	rec1.entry = "META-INF/dexf/records/000001.xml";
	rec1.sha256 = SHA_A;
	rec1.time = "2026-03-01T11:00:00Z";
	rec1.author = (dexf_party){ "cirt", "Carol Analyst", "Victim CIRT" };
	rec1.valid = 1;
	rec1.signature_valid = 1;
	rec1.trust = DEXF_TRUST_TRUSTED;
	rec1.subject = "CN=Carol Analyst,O=Victim CIRT";
	rec1.issuer = "CN=Victim CA";
	rec1.fingerprint = SHA_B;
	rec1.timestamped = 1;
	rec1.timestamp_valid = 1;
	rec1.tsa_trust = DEXF_TRUST_TRUSTED;
	rec1.timestamp = "2026-03-01T11:00:02Z";
	rec1.tsa_subject = "CN=Example TSA";
	rec1.traceback = &tb1;

	memset(&rec_c, 0, sizeof(rec_c));
	rec_c.sequence = 2;
	rec_c.kind = DEXF_RECORD_CUSTODY;
	rec_c.kind_name = "custody";
	rec_c.time = "2026-03-02T00:00:00Z";   /* newer: must not count */
	rec_c.custody = &cust;

	memset(&rec2, 0, sizeof(rec2));
	rec2.sequence = 3;
	rec2.kind = DEXF_RECORD_TRACEBACK;
	rec2.kind_name = "traceback";
	rec2.entry = "META-INF/dexf/records/000003.xml";
	rec2.sha256 = SHA_B;
	rec2.time = "2026-03-01T12:30:00Z";
	rec2.author = (dexf_party){ NULL, NULL, "Transit NOC" };
	rec2.valid = 1;
	rec2.signature_valid = 1;
	rec2.trust = DEXF_TRUST_UNKNOWN;
	rec2.trust_detail = "no trust anchors given";
	rec2.subject = "CN=noc <ops> & co";
	rec2.traceback = &tb2;
}

/* ------------------------------------------------------------ tests */

static void
two_records_one_incident_validates(void)
{
	const dexf_record_info *recs[4];
	char *doc = NULL;
	size_t len = 0;
	xmlDocPtr d = NULL;

	fixtures();
	recs[0] = &rec_seal; recs[1] = &rec1; recs[2] = &rec_c;
	recs[3] = &rec2;
	UA_INT(dexf_iodef_write(recs, 4, CID, &doc, &len), 0);
	if (doc == NULL)
		return;
	UA_INT(strlen(doc), len);
	UA_INT(validate(doc, len, &d), 0);
	if (d == NULL) {
		fputs(doc, stderr);
		free(doc);
		return;
	}
	UA_XP(d, "/i:IODEF-Document/@version", "2.00");
	UA_XP(d, "count(/i:IODEF-Document/i:Incident)", "1");
	UA_XP(d, "/i:IODEF-Document/i:Incident/@purpose", "traceback");
	UA_XP(d, "//i:Incident/i:IncidentID", "INC-2026-0042");
	UA_XP(d, "//i:Incident/i:IncidentID/@name", "cirt.victim.example");
	/* newest trace-back record's time; the newer custody record and the
	 * clock do not count */
	UA_XP(d, "//i:Incident/i:GenerationTime", "2026-03-01T12:30:00Z");
	UA_XP(d, "//i:Incident/i:StartTime", "2026-03-01T09:58:00Z");
	/* the flow: victim and claimed source, tcp with ports */
	UA_XP(d, "//i:Incident/i:EventData[1]/i:Flow/i:System"
	    "[@category='target']/i:Node/i:Address", "192.0.2.80");
	UA_XP(d, "//i:Incident/i:EventData[1]/i:Flow/i:System"
	    "[@category='target']/i:Service/@ip-protocol", "6");
	UA_XP(d, "//i:Incident/i:EventData[1]/i:Flow/i:System"
	    "[@category='target']/i:Service/i:Port", "443");
	UA_XP(d, "//i:Incident/i:EventData[1]/i:Flow/i:System"
	    "[@category='source']/i:Service/i:Port", "4444");
	/* two record EventData, custody skipped; hops in path order */
	UA_XP(d, "count(//i:Incident/i:EventData)", "3");
	UA_XP(d, "count(//i:Incident/i:EventData/i:EventData)", "3");
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Flow/i:System"
	    "[@category='sensor']/i:Node/i:Address[1]", "192.0.2.1");
	UA_XP(d, "(//i:EventData/i:EventData)[2]/i:Flow/i:System"
	    "[@category='sensor']/i:Node/i:Address", "2001:db8::1");
	UA_XP(d, "(//i:EventData/i:EventData)[3]/i:Flow/i:System"
	    "[@category='sensor']/i:Node/i:Address[1]", "2001:db8:1::1");
	UA_XP(d, "(//i:EventData/i:EventData)[2]/i:Flow/i:System"
	    "[@category='sensor']/i:Node/i:Address/@category", "ipv6-addr");
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Flow/i:System"
	    "[@category='sensor']/i:Node/i:Address[@category='asn']",
	    "64500");
	/* spoofed as observed at each hop */
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Flow/i:System"
	    "[@category='source']/@spoofed", "yes");
	UA_XP(d, "(//i:EventData/i:EventData)[2]/i:Flow/i:System"
	    "[@category='source']/@spoofed", "no");
	UA_XP(d, "(//i:EventData/i:EventData)[3]/i:Flow/i:System"
	    "[@category='source']/@spoofed", "unknown");
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Flow/i:System"
	    "[@category='intermediate']/i:Node/i:Address[1]",
	    "198.51.100.1");
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:DetectTime",
	    "2026-03-01T10:00:05Z");
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Assessment/i:Confidence"
	    "/@rating", "high");
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Method/i:Description",
	    "trace-back method: flow-records");
	/* a bad time and a bad confidence are left out, not written */
	UA_XP(d, "count((//i:EventData/i:EventData)[3]/i:DetectTime)", "0");
	UA_XP(d, "count((//i:EventData/i:EventData)[3]/i:Assessment)", "0");
	/* operator contact */
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Contact/i:ContactName",
	    "Ann Operator");
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Contact/i:Email/i:EmailTo",
	    "noc@victim.example");
	UA_XP(d, "(//i:EventData/i:EventData)[2]/i:Contact/@type",
	    "organization");
	/* evidence: the well-formed digest as base64, the other without */
	UA_XP(d, "count(//i:File)", "2");
	UA_XP(d, "(//i:File)[1]/i:FileName", "flows/edge1.nfcapd");
	UA_XP(d, "count((//i:File)[2]/i:HashData)", "0");
	UA_XP(d, "(//i:File)[1]//*[local-name()='DigestValue']",
	    "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=");
	/* who asserted the hops */
	UA_XP(d, "//i:Incident/i:EventData[2]/i:AdditionalData"
	    "[@meaning='dexf-record-entry']",
	    "META-INF/dexf/records/000001.xml");
	UA_XP(d, "//i:Incident/i:EventData[2]/i:AdditionalData"
	    "[@meaning='dexf-record-sha256']", SHA_A);
	UA_XP(d, "//i:Incident/i:EventData[2]/i:AdditionalData"
	    "[@meaning='dexf-container-id']", CID);
	UA_XP(d, "//i:Incident/i:EventData[2]/i:AdditionalData"
	    "[@meaning='dexf-timestamp']", "time-stamped "
	    "2026-03-01T11:00:02Z by CN=Example TSA; token: valid; "
	    "TSA trust: trusted");
	UA_XP(d, "//i:Incident/i:EventData[3]/i:AdditionalData"
	    "[@meaning='dexf-signature']", "signer: CN=noc <ops> & co; "
	    "issuer: (none); fingerprint sha256: (none); signature: valid; "
	    "trust: unknown (no trust anchors given); record: valid");
	UA_XP(d, "count(//i:Incident/i:EventData[3]/i:AdditionalData"
	    "[@meaning='dexf-timestamp'])", "0");
	UA_XP(d, "//i:Incident/i:EventData[3]/i:Contact/i:ContactName",
	    "Transit NOC");
	/* text with markup characters round-trips */
	UA_XP(d, "(//i:EventData/i:EventData)[1]/i:Description[2]",
	    "flows & <packets> match \"exactly\"");
	UA_HAS(doc, "flows &amp; &lt;packets&gt;");
	UA_HAS(doc, "CN=noc &lt;ops&gt; &amp; co");
	xmlFreeDoc(d);
	free(doc);
}

static void
incidents_are_grouped_by_id_and_organization(void)
{
	dexf_traceback other = tb2;
	const dexf_record_info *recs[3];
	dexf_record_info r3;
	char *doc = NULL;
	size_t len = 0;
	xmlDocPtr d = NULL;

	fixtures();
	other.incident_org = "cirt.other.example";   /* same id, other org */
	r3 = rec2;
	r3.sequence = 4;
	r3.traceback = &other;
	recs[0] = &rec1; recs[1] = &r3; recs[2] = &rec2;
	UA_INT(dexf_iodef_write(recs, 3, NULL, &doc, &len), 0);
	if (doc == NULL)
		return;
	UA_INT(validate(doc, len, &d), 0);
	if (d != NULL) {
		UA_XP(d, "count(//i:Incident)", "2");
		UA_XP(d, "//i:Incident[1]/i:IncidentID/@name",
		    "cirt.victim.example");
		UA_XP(d, "//i:Incident[2]/i:IncidentID/@name",
		    "cirt.other.example");
		UA_XP(d, "count(//i:Incident[1]/i:EventData)", "3");
		UA_XP(d, "count(//i:Incident[2]/i:EventData)", "2");
		UA_XP(d, "count(//i:AdditionalData"
		    "[@meaning='dexf-container-id'])", "0");
		xmlFreeDoc(d);
	}
	free(doc);
}

static void
no_traceback_is_enotfound(void)
{
	const dexf_record_info *recs[2];
	char *doc = (char *)1;
	size_t len = 7;

	fixtures();
	recs[0] = &rec_seal; recs[1] = &rec_c;
	UA_INT(dexf_iodef_write(recs, 2, CID, &doc, &len), DEXF_ENOTFOUND);
	UA(doc == NULL);
	UA_INT(len, 0);
	UA_INT(dexf_iodef_write(NULL, 0, CID, &doc, &len), DEXF_ENOTFOUND);
	UA_INT(dexf_iodef_write(recs, 2, CID, NULL, &len), DEXF_EINVAL);
}

static void
missing_optional_fields_and_bad_text_stay_valid(void)
{
	static const dexf_hop bare[] = { { .point_address = NULL } };
	dexf_traceback t = { .incident_id = "bad\x01id\xff",
	    .incident_org = NULL, .protocol = "ospf", .src_address = NULL,
	    .dst_address = "192.0.2.9", .dst_port = "99999",
	    .result = "inconclusive", .hops = bare, .nhops = 1 };
	dexf_record_info r;
	const dexf_record_info *recs[1] = { &r };
	char *doc = NULL;
	size_t len = 0;
	xmlDocPtr d = NULL;
	char *gen;

	memset(&r, 0, sizeof(r));
	r.sequence = 1;
	r.kind = DEXF_RECORD_TRACEBACK;
	r.traceback = &t;
	UA_INT(dexf_iodef_write(recs, 1, CID, &doc, &len), 0);
	if (doc == NULL)
		return;
	UA_INT(validate(doc, len, &d), 0);
	if (d != NULL) {
		/* control character and invalid byte replaced by U+FFFD */
		UA_XP(d, "//i:IncidentID", "bad\xef\xbf\xbdid\xef\xbf\xbd");
		UA_XP(d, "//i:IncidentID/@name", "unknown");
		/* no record time: the clock, in the schema's form */
		gen = xp(d, "//i:GenerationTime");
		UA(gen != NULL && strlen(gen) == 20);
		free(gen);
		/* unknown protocol name and a bad port: no Service */
		UA_XP(d, "count(//i:Service)", "0");
		xmlFreeDoc(d);
	} else {
		fputs(doc, stderr);
	}
	free(doc);
}

static const unit_test tests[] = {
	{ "two_records_one_incident_validates",
	    two_records_one_incident_validates },
	{ "incidents_are_grouped_by_id_and_organization",
	    incidents_are_grouped_by_id_and_organization },
	{ "no_traceback_is_enotfound", no_traceback_is_enotfound },
	{ "missing_optional_fields_and_bad_text_stay_valid",
	    missing_optional_fields_and_bad_text_stay_valid },
	{ NULL, NULL }
};

int
unit_register_iodef(void)
{
	return unit_add_suite("iodef", init, clean, tests);
}
