/*
 * test_xml.c - hardened XML parsing and schema validation (FORMAT.md 8.6).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "xmlsafe.h"
#include "unit.h"

#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define REC_OPEN(ns, ver) "<record xmlns=\"" ns "\" formatVersion=\"" ver \
	"\" sequence=\"0\" kind=\"seal\">\n"
#define REC_BODY \
	"  <containerId>urn:uuid:6f1c2a9e-3b7d-4c1e-9a55-0d2e8b7f4c31" \
	"</containerId>\n" \
	"  <time>2026-11-22T22:45:00Z</time>\n" \
	"  <agent role=\"examiner\"><name>Jane Doe</name></agent>\n" \
	"  <tool name=\"dexf\" version=\"0.1.0\"/>\n" \
	"  <manifest entry=\"META-INF/dexf/manifest.xml\" size=\"3120\" " \
	"sha256=\"9059091bf4e5879964d7ff7f64f1c200a00bd59e6173ef9150c39b8d9a85" \
	"a3d4\"/>\n"
#define REC_CLOSE "</record>\n"

static const char valid_record[] = DECL REC_OPEN("urn:dexf:record:1", "1.0")
    REC_BODY REC_CLOSE;

static int
parse(const char *doc, size_t len, dexf_schema_id id, dexf_err *err,
    xmlDocPtr *keep)
{
	xmlDocPtr d = (xmlDocPtr)1;
	int rc;

	memset(err, 0, sizeof(*err));
	rc = dexf_xml_parse(&d, (const unsigned char *)doc, len, id,
	    "test.xml", err);
	if (rc != 0 && d != NULL)
		return -100;   /* must not hand out a document on failure */
	if (keep != NULL)
		*keep = d;
	else
		xmlFreeDoc(d);
	return rc;
}

static int
parse_str(const char *doc, dexf_err *err)
{
	return parse(doc, strlen(doc), DEXF_SCHEMA_RECORD, err, NULL);
}

static void
parse_accepts_valid_record_and_helpers_read_it(void)
{
	dexf_err err;
	xmlDocPtr d = NULL;
	xmlNodePtr root, agent;
	char *s;

	UA_INT(parse(valid_record, strlen(valid_record), DEXF_SCHEMA_RECORD,
	    &err, &d), 0);
	if (d == NULL)
		return;
	root = xmlDocGetRootElement(d);
	s = dexf_xml_attr(root, "kind");
	UA_STR(s, "seal");
	free(s);
	UA(dexf_xml_attr(root, "nothing") == NULL);
	UA(dexf_xml_attr(NULL, "kind") == NULL);
	s = dexf_xml_child_text(root, "time");
	UA_STR(s, "2026-11-22T22:45:00Z");
	free(s);
	agent = dexf_xml_child(root, "agent");
	UA(agent != NULL);
	s = dexf_xml_child_text(agent, "name");
	UA_STR(s, "Jane Doe");
	free(s);
	UA(dexf_xml_child_text(agent, "organization") == NULL);
	UA(dexf_xml_child(root, "previous") == NULL);
	UA(dexf_xml_child(NULL, "x") == NULL);
	s = dexf_xml_child_text(root, "tool");     /* empty element */
	UA_STR(s, "");
	free(s);
	xmlFreeDoc(d);
}

/* dexf_xml_attr() gives what xmlGetProp() gives: the value with its
 * references resolved, "" for an empty one, an attribute of that name in
 * any namespace. */
static void
attr_reads_values_as_xmlgetprop_does(void)
{
	static const char doc[] = "<a xmlns:p=\"urn:x\" x=\"1&amp;2&lt;\" "
	    "y=\"&#65;B&#x43;\" e=\"\" p:n=\"ns\"><b/></a>";
	xmlDocPtr d = xmlReadMemory(doc, (int)strlen(doc), "a.xml", NULL,
	    XML_PARSE_NONET);
	xmlNodePtr root = d != NULL ? xmlDocGetRootElement(d) : NULL;
	const char *names[] = { "x", "y", "e", "n", "z", "m" };
	xmlAttrPtr m;

	UA(root != NULL);
	if (root == NULL) {
		xmlFreeDoc(d);
		return;
	}
	/* a value of several nodes: text, an entity reference, text */
	m = xmlNewProp(root, BAD_CAST "m", NULL);
	if (m != NULL) {
		xmlAddChild((xmlNodePtr)m, xmlNewDocText(d, BAD_CAST "a"));
		xmlAddChild((xmlNodePtr)m, xmlNewReference(d, BAD_CAST "&foo;"));
		xmlAddChild((xmlNodePtr)m, xmlNewDocText(d, BAD_CAST "b"));
	}
	UA(m != NULL && m->children != NULL && m->children->next != NULL);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *got = dexf_xml_attr(root, names[i]);
		xmlChar *want = xmlGetProp(root, (const xmlChar *)names[i]);

		EXPECT(got == NULL ? want == NULL : want != NULL &&
		    strcmp(got, (const char *)want) == 0, "attribute %s: "
		    "'%s', xmlGetProp '%s'", names[i], got ? got : "(null)",
		    want ? (const char *)want : "(null)");
		free(got);
		xmlFree(want);
	}
	{
		char *x = dexf_xml_attr(root, "x");

		UA_STR(x, "1&2<");
		free(x);
	}
	UA(dexf_xml_attr(root->children, "x") == NULL);
	xmlFreeDoc(d);
}

static void
parse_refuses_doctype_unparsed(void)
{
	static const char doc[] = DECL
	    "<!DOCTYPE record [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    REC_OPEN("urn:dexf:record:1", "1.0") REC_BODY REC_CLOSE;
	static const char in_comment[] = DECL "<!-- <!DOCTYPE x> -->\n"
	    REC_OPEN("urn:dexf:record:1", "1.0") REC_BODY REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(doc, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "test.xml");
	UA_HAS(err.msg, "DOCTYPE");
	/* anywhere in the bytes, FORMAT.md 8.6 step 3 */
	UA_INT(parse_str(in_comment, &err), DEXF_EFORMAT);
}

static void
parse_refuses_entity_declaration(void)
{
	static const char doc[] = DECL "<!-- <!ENTITY lol \"lol\"> -->\n"
	    REC_OPEN("urn:dexf:record:1", "1.0") REC_BODY REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(doc, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "entity");
}

static void
parse_rejects_undefined_entity_reference(void)
{
	static const char doc[] = DECL REC_OPEN("urn:dexf:record:1", "1.0")
	    "  <containerId>&xxe;</containerId>\n" REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(doc, &err), DEXF_EFORMAT);
}

static void
parse_reports_line_of_malformed_xml(void)
{
	/* the bad end tag is on line 4 */
	static const char doc[] = DECL REC_OPEN("urn:dexf:record:1", "1.0")
	    "  <containerId>urn:uuid:6f1c2a9e-3b7d-4c1e-9a55-0d2e8b7f4c31"
	    "</containerId>\n"
	    "  <time>2026-11-22T22:45:00Z</tyme>\n" REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(doc, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "test.xml: line 4:");
	UA_HAS(err.msg, "not well-formed");
	/* truncated document */
	UA_INT(parse(valid_record, strlen(valid_record) - 20,
	    DEXF_SCHEMA_RECORD, &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "line ");
	/* empty input */
	UA_INT(parse("", 0, DEXF_SCHEMA_RECORD, &err, NULL), DEXF_EFORMAT);
}

static void
parse_reports_major_2_as_unsupported(void)
{
	static const char v2[] = DECL REC_OPEN("urn:dexf:record:1", "2.0")
	    REC_BODY REC_CLOSE;
	static const char v10[] = DECL REC_OPEN("urn:dexf:record:1", "10.3")
	    REC_BODY REC_CLOSE;
	static const char v0[] = DECL REC_OPEN("urn:dexf:record:1", "0.9")
	    REC_BODY REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(v2, &err), DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "2.0");
	UA_INT(parse_str(v10, &err), DEXF_EUNSUPPORTED);
	UA_INT(parse_str(v0, &err), DEXF_EUNSUPPORTED);
}

static void
parse_accepts_newer_minor_version(void)
{
	static const char v17[] = DECL REC_OPEN("urn:dexf:record:1", "1.7")
	    REC_BODY REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(v17, &err), 0);
}

/* FORMAT.md 8.6 step 6: namespace urn:dexf:record:N, N != 1, is
 * unsupported, not invalid. */
static void
parse_reports_namespace_version_2_as_unsupported(void)
{
	static const char ns2[] = DECL REC_OPEN("urn:dexf:record:2", "1.0")
	    REC_BODY REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(ns2, &err), DEXF_EUNSUPPORTED);
}

/* FORMAT.md 8.6 step 3: the document begins with "<?xml". */
static void
parse_accepts_missing_xml_declaration(void)
{
	static const char nodecl[] = REC_OPEN("urn:dexf:record:1", "1.0")
	    REC_BODY REC_CLOSE;
	dexf_err err;

	/* the XML declaration is optional (XML 1.0); schema rules apply */
	UA_INT(parse_str(nodecl, &err), 0);
}

static void
parse_accepts_utf8_bom_only(void)
{
	static const char bom[] = "\xef\xbb\xbf" DECL
	    REC_OPEN("urn:dexf:record:1", "1.0") REC_BODY REC_CLOSE;
	static const char bom16[] = "\xff\xfe<";
	dexf_err err;

	/* a UTF-8 byte order mark is allowed by XML; UTF-16 is not ours */
	UA_INT(parse_str(bom, &err), 0);
	UA_INT(parse_str(bom16, &err), DEXF_EFORMAT);
}

/* An extensions element with `depth` nested elements. */
static char *
deep_record(int depth)
{
	size_t cap = 4096 + (size_t)depth * 32;
	char *s = malloc(cap);
	size_t n;

	if (s == NULL)
		return NULL;
	n = (size_t)snprintf(s, cap, "%s", DECL REC_OPEN("urn:dexf:record:1",
	    "1.0") REC_BODY "  <extensions><x:e xmlns:x=\"urn:example:x\">");
	for (int i = 0; i < depth; i++)
		n += (size_t)snprintf(s + n, cap - n, "<x:d>");
	for (int i = 0; i < depth; i++)
		n += (size_t)snprintf(s + n, cap - n, "</x:d>");
	snprintf(s + n, cap - n, "</x:e></extensions>\n" REC_CLOSE);
	return s;
}

static void
parse_accepts_moderately_nested_extension(void)
{
	char *s = deep_record(20);
	dexf_err err;

	UA(s != NULL);
	if (s != NULL)
		UA_INT(parse_str(s, &err), 0);
	free(s);
}

/* FORMAT.md 8.6 step 4: maximum element depth 64. */
static void
parse_refuses_deep_nesting(void)
{
	char *t = deep_record(1000);
	dexf_err err;

	/* deep nesting outside the schema is refused by validation (and
	 * libxml2 bounds depth itself); it never crashes */
	UA(t != NULL);
	if (t != NULL)
		UA_INT(parse_str(t, &err), DEXF_EFORMAT);
	free(t);
}

static void
parse_does_not_process_xinclude_or_fetch_anything(void)
{
	static const char doc[] = DECL REC_OPEN("urn:dexf:record:1", "1.0")
	    REC_BODY "  <extensions><xi:include "
	    "xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
	    "href=\"file:///etc/passwd\" parse=\"text\"/></extensions>\n"
	    REC_CLOSE;
	dexf_err err;
	xmlDocPtr d = NULL;

	UA_INT(parse(doc, strlen(doc), DEXF_SCHEMA_RECORD, &err, &d), 0);
	if (d != NULL) {
		xmlNodePtr ext = dexf_xml_child(xmlDocGetRootElement(d),
		    "extensions");
		xmlNodePtr inc = dexf_xml_child(ext, "include");

		/* still the element itself, not the file's content */
		UA(inc != NULL);
		xmlFreeDoc(d);
	}
}

static void
parse_validates_against_the_schema(void)
{
	static const char missing_time[] = DECL
	    REC_OPEN("urn:dexf:record:1", "1.0")
	    "  <containerId>urn:uuid:6f1c2a9e-3b7d-4c1e-9a55-0d2e8b7f4c31"
	    "</containerId>\n"
	    "  <tool name=\"dexf\" version=\"0.1.0\"/>\n" REC_CLOSE;
	static const char unknown_elem[] = DECL
	    REC_OPEN("urn:dexf:record:1", "1.0") REC_BODY
	    "  <comment>not in the schema</comment>\n" REC_CLOSE;
	static const char no_ns[] = DECL
	    "<record formatVersion=\"1.0\" sequence=\"0\" kind=\"seal\">\n"
	    REC_BODY REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(missing_time, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "test.xml: line ");
	UA_HAS(err.msg, "schema");
	UA_INT(parse_str(unknown_elem, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "comment");
	UA_INT(parse_str(no_ns, &err), DEXF_EFORMAT);
	/* a record is not a manifest */
	UA_INT(parse(valid_record, strlen(valid_record), DEXF_SCHEMA_MANIFEST,
	    &err, NULL), DEXF_EFORMAT);
}

/* The schema named by the document is ignored (8.6 step 7). */
static void
parse_ignores_schema_location(void)
{
	static const char doc[] = DECL
	    "<record xmlns=\"urn:dexf:record:1\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	    "xsi:schemaLocation=\"urn:dexf:record:1 http://127.0.0.1:9/any.xsd\""
	    " formatVersion=\"1.0\" sequence=\"0\" kind=\"seal\">\n"
	    "  <bogus/>\n" REC_CLOSE;
	dexf_err err;

	UA_INT(parse_str(doc, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "schema");
}

static void
validate_checks_documents_built_in_memory(void)
{
	xmlDocPtr d = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "record");
	xmlNsPtr ns = xmlNewNs(root, BAD_CAST "urn:dexf:record:1", NULL);
	dexf_err err;

	xmlSetNs(root, ns);
	xmlDocSetRootElement(d, root);
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_xml_validate(d, DEXF_SCHEMA_RECORD, "mem.xml", &err),
	    DEXF_EFORMAT);
	UA_HAS(err.msg, "mem.xml");
	xmlFreeDoc(d);
	UA_INT(parse(valid_record, strlen(valid_record), DEXF_SCHEMA_RECORD,
	    &err, &d), 0);
	if (d != NULL) {
		UA_INT(dexf_xml_validate(d, DEXF_SCHEMA_RECORD, "again", &err),
		    0);
		xmlFreeDoc(d);
	}
}

static const unit_test tests[] = {
	{ "parse_accepts_valid_record_and_helpers_read_it",
	    parse_accepts_valid_record_and_helpers_read_it },
	{ "attr_reads_values_as_xmlgetprop_does",
	    attr_reads_values_as_xmlgetprop_does },
	{ "parse_refuses_doctype_unparsed", parse_refuses_doctype_unparsed },
	{ "parse_refuses_entity_declaration",
	    parse_refuses_entity_declaration },
	{ "parse_rejects_undefined_entity_reference",
	    parse_rejects_undefined_entity_reference },
	{ "parse_reports_line_of_malformed_xml",
	    parse_reports_line_of_malformed_xml },
	{ "parse_reports_major_2_as_unsupported",
	    parse_reports_major_2_as_unsupported },
	{ "parse_accepts_newer_minor_version",
	    parse_accepts_newer_minor_version },
	{ "parse_reports_namespace_version_2_as_unsupported",
	    parse_reports_namespace_version_2_as_unsupported },
	{ "parse_accepts_missing_xml_declaration",
	    parse_accepts_missing_xml_declaration },
	{ "parse_accepts_utf8_bom_only", parse_accepts_utf8_bom_only },
	{ "parse_accepts_moderately_nested_extension",
	    parse_accepts_moderately_nested_extension },
	{ "parse_refuses_deep_nesting",
	    parse_refuses_deep_nesting },
	{ "parse_does_not_process_xinclude_or_fetch_anything",
	    parse_does_not_process_xinclude_or_fetch_anything },
	{ "parse_validates_against_the_schema",
	    parse_validates_against_the_schema },
	{ "parse_ignores_schema_location", parse_ignores_schema_location },
	{ "validate_checks_documents_built_in_memory",
	    validate_checks_documents_built_in_memory },
	{ NULL, NULL }
};

int
unit_register_xml(void)
{
	return unit_add_suite("xml", NULL, NULL, tests);
}
