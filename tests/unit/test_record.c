/*
 * test_record.c - record XML (FORMAT.md 9): write/parse roundtrip and the
 * rejections of the record parser.
 */
#include "config.h"

#include <stdlib.h>

#include "record.h"
#include "unit.h"

#define UUID "urn:uuid:6f1c2a9e-3b7d-4c1e-9a55-0d2e8b7f4c31"

static void
seal_model(dexf_record *r)
{
	memset(r, 0, sizeof(*r));
	r->format_version = strdup("1.0");
	r->sequence = 0;
	r->kind = strdup("seal");
	r->container_id = strdup(UUID);
	r->time = strdup("2026-11-22T22:45:00Z");
	r->agent_role = strdup("examiner");
	r->agent_name = strdup("Jane Doe");
	r->agent_org = strdup("Regional Forensic Lab");
	r->tool = strdup("dexf");
	r->tool_version = strdup("0.1.0");
	r->has_manifest = 1;
	r->manifest_entry = strdup("META-INF/dexf/manifest.xml");
	r->manifest_size = 3120;
	for (int i = 0; i < 32; i++)
		r->manifest_sha256[i] = (unsigned char)(0x90 + i);
}

static char *
write_rec(const dexf_record *r, size_t *len, int *rc)
{
	dexf_err err;
	unsigned char *out = NULL;

	memset(&err, 0, sizeof(err));
	*rc = dexf_record_write(r, &out, len, &err);
	return (char *)out;
}

static int
parse_rec(const char *xml, dexf_record *r, dexf_err *err)
{
	memset(err, 0, sizeof(*err));
	return dexf_record_parse(r, (const unsigned char *)xml, strlen(xml),
	    "records/000000.xml", err);
}

/* noinline: keeps GCC 12's -Wdangling-pointer from tracking the
 * buffer of the writer through here (false positive). */
__attribute__((noinline)) static char *
replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t a, b, c;
	char *r;

	if (p == NULL)
		return NULL;
	a = (size_t)(p - s);
	b = strlen(to);
	c = strlen(p + strlen(from));
	if ((r = malloc(a + b + c + 1)) == NULL)
		return NULL;
	memcpy(r, s, a);
	memcpy(r + a, to, b);
	memcpy(r + a + b, p + strlen(from), c + 1);
	return r;
}

/* Seal written, one textual change, parsed: the code (-100: no match). */
static int
parse_changed(const char *from, const char *to, dexf_err *err)
{
	dexf_record r, back;
	size_t len;
	int rc;
	char *xml, *changed;

	seal_model(&r);
	xml = write_rec(&r, &len, &rc);
	dexf_record_clear(&r);
	if (rc != 0 || xml == NULL) {
		free(xml);
		return -101;
	}
	changed = replace(xml, from, to);
	free(xml);
	if (changed == NULL)
		return -100;
	rc = parse_rec(changed, &back, err);
	dexf_record_clear(&back);
	free(changed);
	return rc;
}

static void
seal_write_then_parse_keeps_every_field(void)
{
	dexf_record r, b;
	dexf_err err;
	size_t len = 0;
	int rc;
	char *xml;

	seal_model(&r);
	xml = write_rec(&r, &len, &rc);
	UA_INT(rc, 0);
	if (xml == NULL) {
		dexf_record_clear(&r);
		return;
	}
	UA_INT(strlen(xml), len);
	UA(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38) == 0);
	UA_HAS(xml, "xmlns=\"urn:dexf:record:1\"");
	UA_HAS(xml, "sha256=\"909192939495969798999a9b9c9d9e9f"
	    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\"");
	UA_INT(parse_rec(xml, &b, &err), 0);
	UA_STR(b.format_version, "1.0");
	UA_INT(b.sequence, 0);
	UA_STR(b.kind, "seal");
	UA_STR(b.container_id, UUID);
	UA_STR(b.time, "2026-11-22T22:45:00Z");
	UA_STR(b.agent_role, "examiner");
	UA_STR(b.agent_name, "Jane Doe");
	UA_STR(b.agent_org, "Regional Forensic Lab");
	UA_STR(b.tool, "dexf");
	UA_STR(b.tool_version, "0.1.0");
	UA_INT(b.has_manifest, 1);
	UA_STR(b.manifest_entry, "META-INF/dexf/manifest.xml");
	UA(b.manifest_size == 3120);
	UA_MEM(b.manifest_sha256, r.manifest_sha256, 32);
	UA_INT(b.has_previous, 0);
	UA(b.previous_entry == NULL);
	dexf_record_clear(&b);
	dexf_record_clear(&r);
	free(xml);
	/* clear leaves a zeroed record */
	UA(b.kind == NULL && b.sequence == 0);
}

static void
custody_record_with_previous_roundtrips(void)
{
	dexf_record r, b;
	dexf_err err;
	size_t len;
	int rc;
	char *xml;

	seal_model(&r);
	r.sequence = 3;
	free(r.kind);
	r.kind = strdup("custody");
	r.has_manifest = 0;
	free(r.agent_org);
	r.agent_org = NULL;
	r.has_previous = 1;
	r.previous_entry = strdup("META-INF/dexf/records/000002.xml");
	memset(r.previous_sha256, 0xab, 32);
	r.has_prev_sig = 1;
	memset(r.prev_sig_sha256, 0xcd, 32);
	{
		static const dexf_item_ref items[] = {
			{ "disk.img", "00112233445566778899aabbccddeeff"
			    "00112233445566778899aabbccddeeff" }
		};
		static const dexf_custody c = {
			"transferred", { "cirt", "Ana <A&B>", "CIRT A" },
			"Room 4", "Order 17/2026", "dexf", "1.1", NULL,
			"handed over sealed", items, 1, NULL, 0
		};

		r.w_custody = &c;
		xml = write_rec(&r, &len, &rc);
	}
	UA_INT(rc, 0);
	if (xml != NULL) {
		UA(strstr(xml, "<manifest") == NULL);
		UA(strstr(xml, "Ana &lt;A&amp;B&gt;") != NULL);
		UA_INT(parse_rec(xml, &b, &err), 0);
		UA_INT(b.sequence, 3);
		UA_STR(b.kind, "custody");
		UA_INT(b.has_manifest, 0);
		UA_INT(b.has_previous, 1);
		UA_STR(b.previous_entry, "META-INF/dexf/records/000002.xml");
		UA_MEM(b.previous_sha256, r.previous_sha256, 32);
		UA_INT(b.has_prev_sig, 1);
		UA_INT(b.has_prev_tst, 0);
		UA_MEM(b.prev_sig_sha256, r.prev_sig_sha256, 32);
		UA(b.agent_org == NULL);
		UA_INT(b.body.kind, DEXF_RECORD_CUSTODY);
		UA_STR(b.body.custody.action, "transferred");
		UA_STR(b.body.custody.receiver.name, "Ana <A&B>");
		UA_STR(b.body.custody.receiver.org, "CIRT A");
		UA_STR(b.body.custody.authorization, "Order 17/2026");
		UA_INT(b.body.custody.nitems, 1);
		if (b.body.custody.nitems == 1)
			UA_STR(b.body.custody.items[0].item, "disk.img");
		UA_STR(b.body.custody.note, "handed over sealed");
		UA(b.body.custody.outcome == NULL);
		dexf_record_clear(&b);
	}
	free(xml);
	/* a custody record needs its body */
	r.w_custody = NULL;
	xml = write_rec(&r, &len, &rc);
	UA(xml == NULL);
	UA_INT(rc, DEXF_EFORMAT);
	free(xml);
	dexf_record_clear(&r);
}

static void
record_without_agent_roundtrips(void)
{
	dexf_record r, b;
	dexf_err err;
	size_t len;
	int rc;
	char *xml;

	seal_model(&r);
	free(r.agent_name);
	free(r.agent_role);
	free(r.agent_org);
	r.agent_name = r.agent_role = r.agent_org = NULL;
	xml = write_rec(&r, &len, &rc);
	UA_INT(rc, 0);
	if (xml != NULL) {
		UA(strstr(xml, "<agent") == NULL);
		UA_INT(parse_rec(xml, &b, &err), 0);
		UA(b.agent_name == NULL && b.agent_role == NULL);
		dexf_record_clear(&b);
	}
	free(xml);
	dexf_record_clear(&r);
}

static void
write_refuses_invalid_record(void)
{
	dexf_record r;
	dexf_err err;
	unsigned char *out = (unsigned char *)1;
	size_t len;

	seal_model(&r);
	free(r.kind);
	r.kind = strdup("confession");
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_record_write(&r, &out, &len, &err), DEXF_EFORMAT);
	UA(out == NULL);
	dexf_record_clear(&r);
	seal_model(&r);
	free(r.time);
	r.time = strdup("22 Nov 2026");
	UA_INT(dexf_record_write(&r, &out, &len, &err), DEXF_EFORMAT);
	dexf_record_clear(&r);
}

static void
parse_refuses_doctype(void)
{
	dexf_err err;

	UA_INT(parse_changed("?>\n", "?>\n<!DOCTYPE record>\n", &err),
	    DEXF_EFORMAT);
	UA_HAS(err.msg, "records/000000.xml");
}

static void
parse_reports_major_2_as_unsupported(void)
{
	dexf_err err;

	UA_INT(parse_changed("formatVersion=\"1.0\"", "formatVersion=\"2.0\"",
	    &err), DEXF_EUNSUPPORTED);
	UA_INT(parse_changed("formatVersion=\"1.0\"", "formatVersion=\"1.3\"",
	    &err), 0);
}

static void
parse_rejects_schema_violations(void)
{
	dexf_err err;

	UA_INT(parse_changed("kind=\"seal\"", "kind=\"confession\"", &err),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("kind=\"seal\"", "", &err), DEXF_EFORMAT);
	UA_INT(parse_changed("sequence=\"0\"", "sequence=\"-1\"", &err),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("sequence=\"0\"", "sequence=\"x\"", &err),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("<containerId>urn:uuid:6f1c",
	    "<containerId>urn:uuid:6F1C", &err), DEXF_EFORMAT);
	UA_INT(parse_changed("<time>2026-11-22T22:45:00Z",
	    "<time>2026-11-22T22:45:00+01:00", &err), DEXF_EFORMAT);
	UA_INT(parse_changed("sha256=\"9091", "sha256=\"9G91", &err),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("size=\"3120\"", "size=\"-3\"", &err),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("<tool name=\"dexf\"", "<tool", &err),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("</record>", "<nonsense/></record>", &err),
	    DEXF_EFORMAT);
	UA_HAS(err.msg, "records/000000.xml");
}

static void
parse_rejects_sequence_above_999999(void)
{
	dexf_err err;

	UA_INT(parse_changed("sequence=\"0\"", "sequence=\"1000000\"", &err),
	    DEXF_EFORMAT);
	UA_HAS(err.msg, "sequence");
	UA_INT(parse_changed("sequence=\"0\"", "sequence=\"999999\"", &err), 0);
}

static void
parse_rejects_not_well_formed(void)
{
	dexf_err err;

	UA_INT(parse_changed("</record>", "</recorx>", &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "line ");
}

/* FORMAT.md 12: critical extensions in a record are unsupported too. */
static void
parse_reports_critical_extension_as_unsupported(void)
{
	dexf_err err;

	UA_INT(parse_changed("</record>", "<extensions><x:e xmlns:x=\"urn:x\" "
	    "critical=\"true\"/></extensions></record>", &err),
	    DEXF_EUNSUPPORTED);
	UA_INT(parse_changed("</record>", "<extensions><x:e xmlns:x=\"urn:x\"/>"
	    "</extensions></record>", &err), 0);
}

/* FORMAT.md 9.2 via 8.6/8.7: the time is a valid calendar time. */
static void
parse_rejects_impossible_time(void)
{
	dexf_err err;

	UA_INT(parse_changed("<time>2026-11-22T22:45:00Z",
	    "<time>2026-11-31T22:45:00Z", &err), DEXF_EFORMAT);
}

static const unit_test tests[] = {
	{ "seal_write_then_parse_keeps_every_field",
	    seal_write_then_parse_keeps_every_field },
	{ "custody_record_with_previous_roundtrips",
	    custody_record_with_previous_roundtrips },
	{ "record_without_agent_roundtrips", record_without_agent_roundtrips },
	{ "write_refuses_invalid_record", write_refuses_invalid_record },
	{ "parse_refuses_doctype", parse_refuses_doctype },
	{ "parse_reports_major_2_as_unsupported",
	    parse_reports_major_2_as_unsupported },
	{ "parse_rejects_schema_violations", parse_rejects_schema_violations },
	{ "parse_rejects_sequence_above_999999",
	    parse_rejects_sequence_above_999999 },
	{ "parse_rejects_not_well_formed", parse_rejects_not_well_formed },
	{ "parse_reports_critical_extension_as_unsupported",
	    parse_reports_critical_extension_as_unsupported },
	{ "parse_rejects_impossible_time", parse_rejects_impossible_time },
	{ NULL, NULL }
};

int
unit_register_record(void)
{
	return unit_add_suite("record", NULL, NULL, tests);
}
