/*
 * test_manifest.c - the manifest model, its XML form and its semantic
 * checks (FORMAT.md 8).
 */
#include "config.h"

#include <stdlib.h>

#include "format.h"
#include "manifest.h"
#include "xmlsafe.h"

#include <libxml/parserInternals.h>
#include "unit.h"

#define UUID "urn:uuid:6f1c2a9e-3b7d-4c1e-9a55-0d2e8b7f4c31"
#define HEX64(c) c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c

static const char sha_a[] = HEX64("a");
static const char sha_b[] = HEX64("b");

static char *
S(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memset(s, c, n);
		s[n] = '\0';
	}
	return s;
}

static void
set_file_storage(struct dexf_item *it, const char *path, uint64_t size,
    int compression, uint32_t chunk)
{
	char buf[128];

	it->kind = DEXF_ITEM_FILE;
	it->path = S(path);
	it->size = size;
	it->digest[0] = S(sha_a);
	it->has_storage = 1;
	it->compression = compression;
	it->level = compression == 8 ? 6 : 0;
	it->chunk_size = chunk;
	it->chunk_count = size / chunk + (size % chunk != 0);
	it->stored_size = size + 2;
	snprintf(buf, sizeof(buf), "evidence/%s", path);
	it->entry = S(buf);
	snprintf(buf, sizeof(buf), "META-INF/dexf/index/%s.idx", it->id);
	it->index_entry = S(buf);
	memset(it->index_sha256, 0x11, 32);
	memset(it->merkle_root, 0x22, 32);
}

/* The required header fields, and nothing else. */
static void
header_model(dexf_manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->format_version = S("1.0");
	m->container_id = S(UUID);
	m->created = S("2026-11-22T22:45:00Z");
	m->producer = S("dexf");
	m->producer_version = S("0.1.0");
}

/* The FORMAT.md 8.5 example, plus every optional field. */
static void
full_model(dexf_manifest *m)
{
	struct dexf_item *it;

	header_model(m);
	m->case_[C_NUMBER] = S("2026-0042");
	m->case_[C_NAME] = S("Harbour Street burglary <&> \"quoted\"");
	m->case_[C_DESCRIPTION] = S("  line one\nline two\ttabbed  ");
	m->case_[C_AUTHORIZATION] = S("Warrant 17/2026");
	m->agents = calloc(2, sizeof(*m->agents));
	m->nagents = 2;
	m->agents[0].role = S("examiner");
	m->agents[0].name = S("Jane Doe");
	m->agents[0].org = S("Regional Forensic Lab");
	m->agents[1].role = S("custodian");
	m->agents[1].name = S("J\xc3\xb8rgen \xe5\xb1\xb1\xe7\x94\xb0");

	it = dexf_manifest_add_item(m);
	set_file_storage(it, "disk.img", 1572864, 8, 1u << 20);
	it->meta[M_EXHIBIT] = S("EX-1");
	it->meta[M_MEDIA_TYPE] = S("application/octet-stream");
	it->meta[M_MTIME] = S("2026-11-20T09:12:44Z");
	it->meta[M_MODE] = S("0640");
	it->meta[M_SRC_TYPE] = S("usb-flash");
	it->meta[M_SRC_MAKE] = S("Acme");
	it->meta[M_SRC_MODEL] = S("Stick 2");
	it->meta[M_SRC_SERIAL] = S("AC123456");
	it->meta[M_SRC_DESC] = S("blue, scratched");
	it->meta[M_ACQ_METHOD] = S("physical");
	it->meta[M_ACQ_START] = S("2026-11-20T09:02:10Z");
	it->meta[M_ACQ_END] = S("2026-11-20T09:12:44Z");
	it->meta[M_ACQ_TOOL] = S("dd 9.4");
	it->meta[M_ACQ_NOTES] = S("write blocker T8");
	it->unreadable = calloc(2, sizeof(*it->unreadable));
	it->nunreadable = 2;
	it->unreadable[0].offset = 4096;
	it->unreadable[0].length = 512;
	it->unreadable[1].offset = 1048576;
	it->unreadable[1].length = 4096;
	it->digest[1] = S("6811c482ead27c0b1165ecfbe996c2b4");
	it->digest[2] = S("95823c334fce55968e8d2827ccd1cf77cee19abd");
	it->digest[3] = repeat('5', 128);
	it->digest[4] = S(sha_b);

	it = dexf_manifest_add_item(m);
	set_file_storage(it, "notes/seizure.txt", 33, 0, 1u << 20);
	it->stored_size = 33;

	it = dexf_manifest_add_item(m);
	it->kind = DEXF_ITEM_SYMLINK;
	it->path = S("notes/latest");
	it->size = 11;
	it->meta[M_LINK_TARGET] = S("seizure.txt");

	it = dexf_manifest_add_item(m);
	it->kind = DEXF_ITEM_DIRECTORY;
	it->path = S("empty-dir");
	it->size = 0;
}

__attribute__((noinline)) static int
write_model(const dexf_manifest *m, char **xml, size_t *len)
{
	dexf_err err;
	unsigned char *out = NULL;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = dexf_manifest_write(m, &out, len, &err);
	*xml = (char *)out;
	return rc;
}

static int
parse_text(const char *xml, dexf_manifest *m, dexf_err *err)
{
	memset(err, 0, sizeof(*err));
	return dexf_manifest_parse(m, (const unsigned char *)xml, strlen(xml),
	    "manifest.xml", err);
}

/* Replace the first `from` in s by `to` (malloc'd; NULL if absent). */
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
	r = malloc(a + b + c + 1);
	if (r == NULL)
		return NULL;
	memcpy(r, s, a);
	memcpy(r + a, to, b);
	memcpy(r + a + b, p + strlen(from), c + 1);
	return r;
}

/* Write the full model, apply a textual change, parse; returns the code
 * (or -100 if the change did not apply) and leaves the message in err. */
static int
parse_changed(const char *from, const char *to, dexf_err *err,
    dexf_manifest *keep)
{
	dexf_manifest m, back;
	char *xml = NULL, *changed;
	size_t len;
	int rc;

	full_model(&m);
	rc = write_model(&m, &xml, &len);
	dexf_manifest_clear(&m);
	if (rc != 0) {
		free(xml);
		return -101;
	}
	changed = replace(xml, from, to);
	free(xml);
	if (changed == NULL)
		return -100;
	rc = parse_text(changed, &back, err);
	free(changed);
	if (keep != NULL)
		*keep = back;
	else
		dexf_manifest_clear(&back);
	return rc;
}

/* Parse a model written as is (semantic errors pass the schema). */
static int
parse_model(dexf_manifest *m, dexf_err *err)
{
	dexf_manifest back;
	char *xml = NULL;
	size_t len;
	int rc = write_model(m, &xml, &len);

	dexf_manifest_clear(m);
	if (rc != 0) {
		free(xml);
		return -101;
	}
	rc = parse_text(xml, &back, err);
	dexf_manifest_clear(&back);
	free(xml);
	return rc;
}

/* ------------------------------------------------------------ roundtrip */

static void
write_then_parse_keeps_every_field(void)
{
	dexf_manifest m, b;
	dexf_err err;
	char *xml = NULL;
	size_t len = 0;
	const struct dexf_item *it;

	full_model(&m);
	UA_INT(write_model(&m, &xml, &len), 0);
	if (xml == NULL) {
		dexf_manifest_clear(&m);
		return;
	}
	UA_INT(strlen(xml), len);
	UA(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38) == 0);
	UA_HAS(xml, "xmlns=\"urn:dexf:manifest:1\"");
	UA_INT(parse_text(xml, &b, &err), 0);
	UA_STR(b.format_version, "1.0");
	UA_INT(b.major, 1);
	UA_INT(b.minor, 0);
	UA_STR(b.container_id, UUID);
	UA_STR(b.created, "2026-11-22T22:45:00Z");
	UA_STR(b.producer, "dexf");
	UA_STR(b.producer_version, "0.1.0");
	for (int i = 0; i < C_N; i++)
		UA_STR(b.case_[i], m.case_[i]);
	UA_INT(b.nagents, 2);
	if (b.nagents == 2) {
		UA_STR(b.agents[0].role, "examiner");
		UA_STR(b.agents[0].name, "Jane Doe");
		UA_STR(b.agents[0].org, "Regional Forensic Lab");
		UA_STR(b.agents[1].role, "custodian");
		UA_STR(b.agents[1].name, m.agents[1].name);
		UA(b.agents[1].org == NULL);
	}
	UA_INT(b.nitems, 4);
	if (b.nitems != 4)
		goto out;
	for (size_t i = 0; i < 4; i++) {
		const struct dexf_item *a = &m.items[i];

		it = &b.items[i];
		UA_STR(it->id, a->id);
		UA_STR(it->path, a->path);
		UA_INT(it->kind, a->kind);
		UA(it->size == a->size);
		for (int k = 0; k < M_ENTRY; k++) {
			if (k == M_UNREADABLE)
				continue;   /* rebuilt from the ranges below */
			if (a->meta[k] != NULL)
				UA_STR(it->meta[k], a->meta[k]);
			else
				UA(it->meta[k] == NULL);
		}
		for (int k = 0; k < DEXF_NHASH; k++) {
			if (a->digest[k] != NULL)
				UA_STR(it->digest[k], a->digest[k]);
			else
				UA(it->digest[k] == NULL);
		}
		UA_INT(it->unknown_digests, 0);
		UA_INT(it->has_storage, a->kind == DEXF_ITEM_FILE);
		if (a->kind != DEXF_ITEM_FILE)
			continue;
		UA_INT(it->compression, a->compression);
		UA_INT(it->level, a->level);
		UA_INT(it->chunk_size, a->chunk_size);
		UA(it->chunk_count == a->chunk_count);
		UA(it->stored_size == a->stored_size);
		UA_STR(it->entry, a->entry);
		UA_STR(it->index_entry, a->index_entry);
		UA_MEM(it->index_sha256, a->index_sha256, 32);
		UA_MEM(it->merkle_root, a->merkle_root, 32);
		UA_STR(it->meta[M_ENTRY], a->entry);
		UA_STR(it->meta[M_INDEX], a->index_entry);
		UA_STR(it->meta[M_COMPRESSION], a->compression == 8 ?
		    "deflate" : "store");
		UA_STR(it->meta[M_INDEX_SHA256], HEX64("1"));
		UA_STR(it->meta[M_MERKLE_ROOT], HEX64("2"));
	}
	it = &b.items[0];
	UA_INT(it->nunreadable, 2);
	if (it->nunreadable == 2) {
		UA(it->unreadable[0].offset == 4096);
		UA(it->unreadable[0].length == 512);
		UA(it->unreadable[1].offset == 1048576);
		UA(it->unreadable[1].length == 4096);
	}
	UA_STR(it->meta[M_UNREADABLE], "4096:512,1048576:4096");
	UA_STR(it->meta[M_LEVEL], "6");
	UA_STR(it->meta[M_CHUNK_SIZE], "1048576");
	UA_STR(it->meta[M_CHUNK_COUNT], "2");
	UA_STR(it->meta[M_STORED_SIZE], "1572866");
	UA(b.items[1].meta[M_LEVEL] == NULL);
	UA_STR(b.items[2].meta[M_LINK_TARGET], "seizure.txt");
out:
	dexf_manifest_clear(&b);
	dexf_manifest_clear(&m);
	free(xml);
}

static void
write_then_parse_of_empty_manifest(void)
{
	dexf_manifest m, b;
	dexf_err err;
	char *xml = NULL;
	size_t len;

	header_model(&m);
	UA_INT(write_model(&m, &xml, &len), 0);
	if (xml != NULL) {
		UA(strstr(xml, "<case") == NULL);
		UA(strstr(xml, "<agents") == NULL);
		UA_INT(parse_text(xml, &b, &err), 0);
		UA_INT(b.nitems, 0);
		UA_INT(b.nagents, 0);
		UA(b.case_[C_NUMBER] == NULL);
		dexf_manifest_clear(&b);
	}
	free(xml);
	dexf_manifest_clear(&m);
}

/* Markup characters in a path land in text and in attributes (the
 * storage entry): escaped in each, and read back as they were; and the
 * layout is the one of FORMAT.md 8.5's example (two-space indentation, an
 * element with text on one line, an empty element self-closed). */
static void
write_escapes_text_and_attributes(void)
{
	static const char path[] = "a&b<c>\"d'e f.txt";
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<manifest formatVersion=\"1.0\" xmlns=\"urn:dexf:manifest:1\">\n"
	    "  <containerId>";
	dexf_manifest m, b;
	dexf_err err;
	char *xml = NULL;
	size_t len;

	header_model(&m);
	m.case_[C_DESCRIPTION] = S("x\r\ny");
	set_file_storage(dexf_manifest_add_item(&m), path, 10, 8, 4096);
	UA_INT(write_model(&m, &xml, &len), 0);
	if (xml == NULL)
		goto out;
	UA_INT(len, strlen(xml));
	UA(strncmp(xml, head, strlen(head)) == 0);
	UA_HAS(xml, "\n      <path>a&amp;b&lt;c&gt;\"d'e f.txt</path>\n");
	UA_HAS(xml, " entry=\"evidence/a&amp;b&lt;c&gt;&quot;d'e f.txt\" ");
	UA_HAS(xml, "<description>x&#13;\ny</description>");
	UA_HAS(xml, "\n      <digests>\n        <digest algorithm=\"sha256\">");
	UA_HAS(xml, "\"/>\n    </item>\n  </items>\n</manifest>\n");
	UA_INT(parse_text(xml, &b, &err), 0);
	if (b.nitems == 1) {
		UA_STR(b.items[0].path, path);
		UA_STR(b.items[0].entry, m.items[0].entry);
		UA_STR(b.case_[C_DESCRIPTION], "x\r\ny");
	}
	dexf_manifest_clear(&b);
out:
	free(xml);
	dexf_manifest_clear(&m);
}

/* A file item left unfinished (no storage entry names) is refused with
 * a message, not serialized with holes. */
static void
write_refuses_item_without_entry_names(void)
{
	dexf_manifest m;
	char *xml = NULL;
	size_t len;
	struct dexf_item *it;

	header_model(&m);
	it = dexf_manifest_add_item(&m);
	set_file_storage(it, "a.bin", 10, 8, 4096);
	free(it->entry);
	it->entry = NULL;
	UA_INT(write_model(&m, &xml, &len), DEXF_EINVAL);
	UA(xml == NULL);
	free(xml);
	dexf_manifest_clear(&m);
}

static void
write_refuses_schema_invalid_model(void)
{
	dexf_manifest m;
	dexf_err err;
	unsigned char *out = (unsigned char *)1;
	size_t len = 7;

	full_model(&m);
	free(m.container_id);
	m.container_id = S("not-a-uuid");
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_manifest_write(&m, &out, &len, &err), DEXF_EFORMAT);
	UA(out == NULL);
	UA_HAS(err.msg, "being written");
	dexf_manifest_clear(&m);
}

static void
add_item_numbers_ids_in_order(void)
{
	dexf_manifest m;

	memset(&m, 0, sizeof(m));
	for (int i = 0; i < 40; i++)
		if (dexf_manifest_add_item(&m) == NULL)
			break;
	UA_INT(m.nitems, 40);
	UA_STR(m.items[0].id, "i1");
	UA_STR(m.items[9].id, "i10");
	UA_STR(m.items[39].id, "i40");
	dexf_manifest_clear(&m);
	UA_INT(m.nitems, 0);
	UA(m.items == NULL);
}

static void
meta_slots_and_keys_correspond(void)
{
	UA_INT(dexf_meta_slot("exhibit"), M_EXHIBIT);
	UA_INT(dexf_meta_slot("acquisition.notes"), M_ACQ_NOTES);
	UA_INT(dexf_meta_slot("merkle-root"), M_MERKLE_ROOT);
	UA_INT(dexf_meta_slot("index-entry"), M_INDEX);
	UA_INT(dexf_meta_slot("nonsense"), -1);
	UA_INT(dexf_meta_slot(""), -1);
	for (int i = 0; i < M_NMETA; i++)
		UA_INT(dexf_meta_slot(dexf_meta_key(i)), i);
	UA(dexf_meta_key(-1) == NULL);
	UA(dexf_meta_key(M_NMETA) == NULL);
}

static void
parse_ranges_accepts_lists_and_rejects_junk(void)
{
	dexf_range *r = NULL;
	size_t n = 9;

	UA_INT(dexf_parse_ranges("0:1,4096:512,1048576:4096", &r, &n), 0);
	UA_INT(n, 3);
	if (n == 3) {
		UA(r[1].offset == 4096 && r[1].length == 512);
		UA(r[2].offset == 1048576 && r[2].length == 4096);
	}
	free(r);
	UA_INT(dexf_parse_ranges("", &r, &n), 0);
	UA_INT(n, 0);
	UA(r == NULL);
	UA_INT(dexf_parse_ranges("10", &r, &n), -1);
	UA_INT(dexf_parse_ranges("10:0", &r, &n), -1);
	UA_INT(dexf_parse_ranges("10:-1", &r, &n), -1);
	UA_INT(dexf_parse_ranges("a:1", &r, &n), -1);
	UA_INT(dexf_parse_ranges("1:2,x", &r, &n), -1);
	UA_INT(dexf_parse_ranges("1:2;3:4", &r, &n), -1);
	UA_INT(dexf_parse_ranges("18446744073709551616:1", &r, &n), -1);
	UA(r == NULL);
}

/* ------------------------------------------------------------ rejects */

static void
parse_refuses_doctype_and_entity(void)
{
	dexf_err err;

	UA_INT(parse_changed("?>\n", "?>\n<!DOCTYPE manifest>\n", &err, NULL),
	    DEXF_EFORMAT);
	UA_HAS(err.msg, "manifest.xml");
	UA_HAS(err.msg, "DOCTYPE");
	UA_INT(parse_changed("?>\n", "?>\n<!DOCTYPE manifest [<!ENTITY a "
	    "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n", &err,
	    NULL), DEXF_EFORMAT);
	UA_INT(parse_changed("<items>", "<!-- <!ENTITY x \"y\"> --><items>",
	    &err, NULL), DEXF_EFORMAT);
}

static void
parse_reports_line_number_when_not_well_formed(void)
{
	dexf_manifest m;
	dexf_err err;
	char *xml = NULL, *changed, want[32];
	size_t len;
	int line = 1;
	const char *p;

	full_model(&m);
	UA_INT(write_model(&m, &xml, &len), 0);
	dexf_manifest_clear(&m);
	if (xml == NULL)
		return;
	p = strstr(xml, "</items>");
	for (const char *q = xml; p != NULL && q < p; q++)
		line += *q == '\n';
	changed = replace(xml, "</items>", "</itemz>");
	free(xml);
	if (changed == NULL) {
		CU_FAIL("no </items>");
		return;
	}
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_manifest_parse(&m, (unsigned char *)changed,
	    strlen(changed), "manifest.xml", &err), DEXF_EFORMAT);
	snprintf(want, sizeof(want), "line %d:", line);
	UA_HAS(err.msg, want);
	UA_HAS(err.msg, "not well-formed");
	/* the model is left empty on failure */
	UA(m.items == NULL && m.container_id == NULL);
	free(changed);
}

static void
parse_rejects_missing_sha256(void)
{
	dexf_err err;
	char line[160];

	snprintf(line, sizeof(line), "<digest algorithm=\"sha256\">%s"
	    "</digest>", sha_a);
	UA_INT(parse_changed(line, "", &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "'disk.img'");
	UA_HAS(err.msg, "sha256");
}

static void
parse_rejects_bad_id_sequence(void)
{
	dexf_err err;

	UA_INT(parse_changed("id=\"i2\"", "id=\"i3\"", &err, NULL),
	    DEXF_EFORMAT);
	UA_HAS(err.msg, "'i2'");
	UA_INT(parse_changed("id=\"i1\"", "id=\"i2\"", &err, NULL),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("id=\"i1\"", "id=\"i01\"", &err, NULL),
	    DEXF_EFORMAT);
}

static void
parse_rejects_duplicate_path(void)
{
	dexf_manifest m;
	dexf_err err;

	full_model(&m);
	free(m.items[3].path);
	m.items[3].path = S("notes/latest");
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "duplicate");
	UA_HAS(err.msg, "'notes/latest'");
}

static void
parse_treats_differently_normalized_paths_as_distinct(void)
{
	dexf_manifest m;
	dexf_err err;

	full_model(&m);
	free(m.items[2].path);
	m.items[2].path = S("caf\xc3\xa9");
	free(m.items[3].path);
	m.items[3].path = S("cafe\xcc\x81");
	UA_INT(parse_model(&m, &err), 0);
}

static void
parse_rejects_dotdot_and_other_bad_paths(void)
{
	static const char *const bad[] = { "a/../b", "../x", "/abs", "a//b",
	    "a\\b", "dir/", "." };
	dexf_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dexf_manifest m;
		char what[96];
		int rc;

		full_model(&m);
		free(m.items[3].path);
		m.items[3].path = S(bad[i]);
		rc = parse_model(&m, &err);
		snprintf(what, sizeof(what), "path \"%s\" rejected (got %d)",
		    bad[i], rc);
		CU_assertImplementation(rc == DEXF_EFORMAT ? CU_TRUE : CU_FALSE,
		    __LINE__, what, __FILE__, "", CU_FALSE);
	}
	/* tab only via a character reference */
	UA_INT(parse_changed("<path>empty-dir</path>",
	    "<path>empty&#9;dir</path>", &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "control");
}

static void
parse_rejects_storage_entry_not_matching_path(void)
{
	dexf_manifest m;
	dexf_err err;

	full_model(&m);
	free(m.items[1].entry);
	m.items[1].entry = S("evidence/other.txt");
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "evidence/notes/seizure.txt");
	full_model(&m);
	free(m.items[1].index_entry);
	m.items[1].index_entry = S("META-INF/dexf/index/i1.idx");
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
	full_model(&m);
	free(m.items[1].entry);
	m.items[1].entry = S("evidencenotes/seizure.txt");
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
}

static void
parse_rejects_chunk_count_mismatch(void)
{
	dexf_manifest m;
	dexf_err err;

	full_model(&m);
	m.items[0].chunk_count = 3;
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
	UA_HAS(err.msg, "chunk count");
	full_model(&m);
	m.items[1].chunk_count = 0;
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
}

static void
parse_rejects_bad_chunk_size(void)
{
	dexf_err err;

	UA_INT(parse_changed("chunkSize=\"1048576\"", "chunkSize=\"1000000\"",
	    &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "power of two");
	UA_INT(parse_changed("chunkSize=\"1048576\"", "chunkSize=\"2048\"",
	    &err, NULL), DEXF_EFORMAT);
	UA_INT(parse_changed("chunkSize=\"1048576\"",
	    "chunkSize=\"134217728\"", &err, NULL), DEXF_EFORMAT);
}

static void
parse_rejects_level_with_store(void)
{
	dexf_err err;

	UA_INT(parse_changed("compression=\"store\"",
	    "compression=\"store\" level=\"6\"", &err, NULL), DEXF_EFORMAT);
}

static void
parse_rejects_kind_dependent_violations(void)
{
	dexf_err err;
	char dig[400];

	/* a symlink with digests */
	snprintf(dig, sizeof(dig), "<linkTarget>seizure.txt</linkTarget>"
	    "<digests><digest algorithm=\"sha256\">%s</digest></digests>",
	    sha_a);
	UA_INT(parse_changed("<linkTarget>seizure.txt</linkTarget>", dig, &err,
	    NULL), DEXF_EFORMAT);
	/* a symlink without target */
	UA_INT(parse_changed("<linkTarget>seizure.txt</linkTarget>", "", &err,
	    NULL), DEXF_EFORMAT);
	/* a directory with a target (only the directory has size 0) */
	UA_INT(parse_changed("<size>0</size>",
	    "<size>0</size><linkTarget>x</linkTarget>", &err, NULL),
	    DEXF_EFORMAT);
	/* a file with a target */
	UA_INT(parse_changed("<size>33</size>",
	    "<size>33</size><linkTarget>x</linkTarget>", &err, NULL),
	    DEXF_EFORMAT);
	/* a file without storage */
	snprintf(dig, sizeof(dig), "<storage entry=\"evidence/notes/"
	    "seizure.txt\" compression=\"store\" chunkSize=\"1048576\" "
	    "chunkCount=\"1\" storedSize=\"33\" index=\"META-INF/dexf/index/"
	    "i2.idx\" indexSha256=\"%s\" merkleRoot=\"%s\"/>", HEX64("1"),
	    HEX64("2"));
	UA_INT(parse_changed(dig, "", &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "storage");
}

/* FORMAT.md 8.7 rule 6: symlink size = bytes of linkTarget, directory
 * size = 0. */
static void
parse_rejects_symlink_and_directory_sizes(void)
{
	dexf_manifest m;
	dexf_err err;

	full_model(&m);
	m.items[2].size = 12;
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
	full_model(&m);
	m.items[3].size = 5;
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
}

/* FORMAT.md 3.5 / 8.7 rule 5: a file path is no component prefix. */
static void
parse_rejects_file_path_that_prefixes_another(void)
{
	dexf_manifest m;
	dexf_err err;

	full_model(&m);
	free(m.items[3].path);
	m.items[3].path = S("disk.img/inner");
	UA_INT(parse_model(&m, &err), DEXF_EFORMAT);
	/* a mere string prefix is fine */
	full_model(&m);
	free(m.items[3].path);
	m.items[3].path = S("disk.img2");
	UA_INT(parse_model(&m, &err), 0);
	/* and a directory may be a prefix */
	full_model(&m);
	free(m.items[2].path);
	m.items[2].path = S("empty-dir/link");
	UA_INT(parse_model(&m, &err), 0);
}

static void
parse_rejects_unreadable_outside_item(void)
{
	dexf_err err;

	UA_INT(parse_changed("offset=\"1048576\" length=\"4096\"",
	    "offset=\"1572860\" length=\"5\"", &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "'disk.img'");
	UA_INT(parse_changed("offset=\"1048576\" length=\"4096\"",
	    "offset=\"1048576\" length=\"0\"", &err, NULL), DEXF_EFORMAT);
	UA_INT(parse_changed("offset=\"1048576\" length=\"4096\"",
	    "offset=\"1\" length=\"18446744073709551615\"", &err, NULL),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("offset=\"1048576\" length=\"4096\"",
	    "offset=\"1568768\" length=\"4096\"", &err, NULL), 0);
}

/* FORMAT.md 8.7 rule 9: sorted by offset, not overlapping. */
static void
parse_rejects_unsorted_or_overlapping_unreadable(void)
{
	dexf_err err;

	/* 1500000:10 before 1048576:4096 */
	UA_INT(parse_changed("offset=\"4096\" length=\"512\"",
	    "offset=\"1500000\" length=\"10\"", &err, NULL), DEXF_EFORMAT);
	/* 4096:512 then 100:10 */
	UA_INT(parse_changed("offset=\"1048576\" length=\"4096\"",
	    "offset=\"100\" length=\"10\"", &err, NULL), DEXF_EFORMAT);
	/* 4096:512 and 4500:100 overlap */
	UA_INT(parse_changed("offset=\"1048576\" length=\"4096\"",
	    "offset=\"4500\" length=\"100\"", &err, NULL), DEXF_EFORMAT);
	/* adjacent ranges are fine */
	UA_INT(parse_changed("offset=\"1048576\" length=\"4096\"",
	    "offset=\"4608\" length=\"100\"", &err, NULL), 0);
}

static void
parse_rejects_unreadable_on_non_file(void)
{
	dexf_err err;

	UA_INT(parse_changed("<linkTarget>seizure.txt</linkTarget>",
	    "<linkTarget>seizure.txt</linkTarget><unreadable><range "
	    "offset=\"0\" length=\"1\"/></unreadable>", &err, NULL),
	    DEXF_EFORMAT);
}

/* FORMAT.md 8.7 rule 10. */
static void
parse_rejects_impossible_times(void)
{
	dexf_err err;

	UA_INT(parse_changed("<created>2026-11-22T22:45:00Z",
	    "<created>2026-02-30T22:45:00Z", &err, NULL), DEXF_EFORMAT);
	UA_INT(parse_changed("mtime=\"2026-11-20T09:12:44Z\"",
	    "mtime=\"2026-11-20T25:12:44Z\"", &err, NULL), DEXF_EFORMAT);
	UA_INT(parse_changed("<start>2026-11-20T09:02:10Z",
	    "<start>2026-13-20T09:02:10Z", &err, NULL), DEXF_EFORMAT);
}

/* FORMAT.md 8.2: every uint is at most 2^63 - 1. */
static void
parse_accepts_full_unsigned_64_bit_range(void)
{
	dexf_err err;

	/* integers are xs:unsignedLong: the full 64-bit range, no more */
	UA_INT(parse_changed("storedSize=\"33\"",
	    "storedSize=\"18446744073709551615\"", &err, NULL), 0);
	UA_INT(parse_changed("storedSize=\"33\"",
	    "storedSize=\"18446744073709551616\"", &err, NULL), DEXF_EFORMAT);
}

static void
parse_reports_format_version_2_as_unsupported(void)
{
	dexf_err err;

	UA_INT(parse_changed("formatVersion=\"1.0\"", "formatVersion=\"2.0\"",
	    &err, NULL), DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "2.0");
}

static void
parse_accepts_format_version_1_9(void)
{
	dexf_manifest m;
	dexf_err err;

	UA_INT(parse_changed("formatVersion=\"1.0\"", "formatVersion=\"1.9\"",
	    &err, &m), 0);
	UA_INT(m.major, 1);
	UA_INT(m.minor, 9);
	dexf_manifest_clear(&m);
}

/* FORMAT.md 8.6 step 6. */
static void
parse_refuses_unknown_compression(void)
{
	dexf_err err;

	/* an unknown compression fails the 1.x schema: unreadable (exit 4,
	 * the same exit as unsupported), and the message names it */
	UA_INT(parse_changed("compression=\"deflate\"", "compression=\"zstd\"",
	    &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "compression");
}

static void
parse_reports_manifest_namespace_2_as_unsupported(void)
{
	dexf_err err;

	UA_INT(parse_changed("urn:dexf:manifest:1", "urn:dexf:manifest:2",
	    &err, NULL), DEXF_EUNSUPPORTED);
}

static void
parse_reports_critical_extension_as_unsupported(void)
{
	dexf_err err;

	UA_INT(parse_changed("</manifest>", "<extensions><x:redaction "
	    "xmlns:x=\"urn:example:ext\" critical=\"true\"/></extensions>"
	    "</manifest>", &err, NULL), DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "critical");
	UA_INT(parse_changed("</manifest>", "<extensions><x:e "
	    "xmlns:x=\"urn:example:ext\"/><x:f xmlns:x=\"urn:example:ext\" "
	    "critical=\"1\"/></extensions></manifest>", &err, NULL),
	    DEXF_EUNSUPPORTED);
	/* in an item */
	UA_INT(parse_changed("</item>", "<extensions><x:e "
	    "xmlns:x=\"urn:example:ext\" critical=\"true\"/></extensions>"
	    "</item>", &err, NULL), DEXF_EUNSUPPORTED);
	UA_HAS(err.msg, "'disk.img'");
}

static void
parse_ignores_non_critical_extensions(void)
{
	dexf_manifest m;
	dexf_err err;

	UA_INT(parse_changed("</manifest>", "<extensions><x:note "
	    "xmlns:x=\"urn:example:ext\" critical=\"false\">hi<x:deep a=\"1\"/>"
	    "</x:note><y:z xmlns:y=\"urn:example:other\"/></extensions>"
	    "</manifest>", &err, &m), 0);
	UA_INT(m.nitems, 4);
	dexf_manifest_clear(&m);
	UA_INT(parse_changed("</item>", "<extensions><x:e "
	    "xmlns:x=\"urn:example:ext\" critical=\"no\"/></extensions>"
	    "</item>", &err, NULL), 0);
}

static void
parse_rejects_extension_in_dexf_namespace(void)
{
	dexf_err err;

	UA_INT(parse_changed("</manifest>", "<extensions><note/></extensions>"
	    "</manifest>", &err, NULL), DEXF_EFORMAT);
	UA_INT(parse_changed("<items>", "<bogus/><items>", &err, NULL),
	    DEXF_EFORMAT);
	UA_INT(parse_changed("kind=\"file\"", "kind=\"file\" extra=\"1\"", &err,
	    NULL), DEXF_EFORMAT);
}

static void
parse_counts_unknown_digest_algorithms(void)
{
	dexf_manifest m;
	dexf_err err;
	char line[400];

	snprintf(line, sizeof(line), "<digests>\n<digest algorithm=\"blake3\">"
	    "%s</digest><digest algorithm=\"whirlpool-x\">%s%s</digest>",
	    sha_b, sha_b, sha_b);
	UA_INT(parse_changed("<digests>", line, &err, &m), 0);
	UA_INT(m.nitems, 4);
	if (m.nitems == 4) {
		UA_INT(m.items[0].unknown_digests, 2);
		UA_STR(m.items[0].digest[0], sha_a);
	}
	dexf_manifest_clear(&m);
}

static void
parse_rejects_duplicate_or_wrong_length_known_digest(void)
{
	dexf_err err;
	char line[240];

	snprintf(line, sizeof(line), "<digests>\n<digest algorithm=\"sha256\">"
	    "%s</digest>", sha_b);
	UA_INT(parse_changed("<digests>", line, &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "repeated");
	UA_INT(parse_changed("<digest algorithm=\"md5\">6811c482ead27c0b1165ecf"
	    "be996c2b4", "<digest algorithm=\"md5\">6811c482ead27c0b1165ecfbe9"
	    "96c2b400", &err, NULL), DEXF_EFORMAT);
	UA_HAS(err.msg, "length");
	/* uppercase hex is not the hex type */
	UA_INT(parse_changed("<digest algorithm=\"md5\">6811c482ead27c0b1165ecf"
	    "be996c2b4", "<digest algorithm=\"md5\">6811C482EAD27C0B1165ECFBE9"
	    "96C2B4", &err, NULL), DEXF_EFORMAT);
}

/* FORMAT.md 8.7 rule 7: no algorithm twice; an unknown one has even
 * length. */
static void
parse_rejects_odd_or_repeated_unknown_digest(void)
{
	dexf_err err;
	char line[300];

	snprintf(line, sizeof(line), "<digests>\n<digest algorithm=\"blake3\">"
	    "%sa</digest>", sha_b);
	UA_INT(parse_changed("<digests>", line, &err, NULL), DEXF_EFORMAT);
	snprintf(line, sizeof(line), "<digests>\n<digest algorithm=\"blake3\">"
	    "%s</digest><digest algorithm=\"blake3\">%s</digest>", sha_b,
	    sha_a);
	UA_INT(parse_changed("<digests>", line, &err, NULL), DEXF_EFORMAT);
}

static void
parse_refuses_when_not_a_manifest(void)
{
	dexf_manifest m;
	dexf_err err;

	UA_INT(parse_text("<?xml version=\"1.0\"?>\n<record xmlns=\"urn:dexf:"
	    "record:1\"/>", &m, &err), DEXF_EFORMAT);
	UA_INT(parse_text("<?xml version=\"1.0\"?>\n<manifest xmlns=\"urn:"
	    "dexf:manifest:1\" formatVersion=\"1.0\"/>", &m, &err),
	    DEXF_EFORMAT);
	UA_INT(parse_text("not xml at all", &m, &err), DEXF_EFORMAT);
}

/* The parse without the schema (a full verify's, while the schema check
 * runs on another thread): the same model from a valid manifest, and a
 * plain refusal, never a crash, of what only the schema would refuse. */
static void
unvalidated_parse_refuses_what_the_schema_would(void)
{
	static const struct {
		const char *from, *to;
	} cut[] = {
		{ " kind=\"file\"", "" },
		{ "<path>disk.img</path>", "" },
		{ " algorithm=\"sha256\"", "" },
		{ " compression=\"deflate\"", "" },
		{ " entry=\"evidence/disk.img\"", "" },
		{ " index=\"META-INF/dexf/index/i1.idx\"", "" },
		{ "<containerId>" UUID "</containerId>", "" },
		{ "<agents>", "<agents><agent role=\"x\"><name>a</name></agent>"
		    "</agents><agents>" },
		{ "<producer ", "<producer name=\"x\" version=\"1\"/><producer " },
		{ "<items>", "<case><number>1</number></case><items>" },
	};
	dexf_manifest m, a, b;
	dexf_err err;
	char *xml = NULL;
	size_t len = 0;

	full_model(&m);
	UA_INT(write_model(&m, &xml, &len), 0);
	dexf_manifest_clear(&m);
	if (xml == NULL)
		return;
	memset(&err, 0, sizeof(err));
	UA_INT(dexf_manifest_parse_unvalidated(&a, (unsigned char *)xml, len,
	    "manifest.xml", &err), 0);
	UA_INT(parse_text(xml, &b, &err), 0);
	UA_INT(a.nitems, b.nitems);
	UA_INT(a.nagents, b.nagents);
	for (size_t i = 0; i < a.nitems && i < b.nitems; i++) {
		UA_STR(a.items[i].path, b.items[i].path);
		EXPECT(a.items[i].digest[0] == NULL ?
		    b.items[i].digest[0] == NULL : b.items[i].digest[0] !=
		    NULL && strcmp(a.items[i].digest[0],
		    b.items[i].digest[0]) == 0, "item %zu: the same sha256", i);
	}
	dexf_manifest_clear(&a);
	dexf_manifest_clear(&b);
	for (size_t k = 0; k < sizeof(cut) / sizeof(cut[0]); k++) {
		char *bad = replace(xml, cut[k].from, cut[k].to);
		int rv, ru;

		EXPECT(bad != NULL, "case %zu: '%s' is in the manifest", k,
		    cut[k].from);
		if (bad == NULL)
			continue;
		rv = parse_text(bad, &b, &err);
		EXPECT(rv == DEXF_EFORMAT && strstr(err.msg, "schema") != NULL,
		    "case %zu: the schema refuses it (%d, %s)", k, rv, err.msg);
		memset(&err, 0, sizeof(err));
		ru = dexf_manifest_parse_unvalidated(&a,
		    (unsigned char *)bad, strlen(bad), "manifest.xml", &err);
		EXPECT(ru == DEXF_EFORMAT, "case %zu: refused without the "
		    "schema too (%d, %s)", k, ru, err.msg);
		if (ru == 0)
			dexf_manifest_clear(&a);
		free(bad);
	}
	free(xml);
}

/* dexf_xml_check(), which decides on the parser's SAX events and runs
 * the validating reader only to explain a refusal: the validating parse's
 * verdict and message, and a single pass for a valid manifest, also one
 * of more than 10 MB (where libxml2 2.9.14 goes wrong on a static
 * buffer). */
static void
xml_check_agrees_with_the_validating_parse(void)
{
	static const struct {
		const char *from, *to;
	} bad[] = {
		{ " kind=\"file\"", " kind=\"fiel\"" },
		{ "<size>1572864</size>", "<size>15x</size>" },
		{ "<path>disk.img</path>",
		    "<path>disk.img</path><path>x</path>" },
		{ "</items>", "</itemz>" },
		{ "<items>", "<items>&#1;" },
		{ "<items>", "<items><!-- -- -->" },
		/* what the reader refuses as it builds its tree */
		{ "</manifest>", "<extensions><x:e xmlns:x=\"urn:example:ext\" "
		    "xml:id=\"a\"/><x:f xmlns:x=\"urn:example:ext\" "
		    "xml:id=\"a\"/></extensions></manifest>" },
		{ "</manifest>", "<extensions><x:e xmlns:x=\"urn:example:ext\" "
		    "xml:id=\"1a\"/></extensions></manifest>" },
	};
	dexf_manifest m, a;
	dexf_err e1, e2;
	char *xml = NULL;
	size_t len = 0, before;

	full_model(&m);
	UA_INT(write_model(&m, &xml, &len), 0);
	dexf_manifest_clear(&m);
	if (xml == NULL)
		return;
	memset(&e2, 0, sizeof(e2));
	before = dexf_xml_check_fallbacks();
	UA_INT(dexf_xml_check((unsigned char *)xml, len, DEXF_SCHEMA_MANIFEST,
	    "manifest.xml", &e2), 0);
	UA_INT(dexf_xml_check_fallbacks() - before, 0);
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		char *b = replace(xml, bad[k].from, bad[k].to);
		int rp, rc;

		EXPECT(b != NULL, "case %zu applies", k);
		if (b == NULL)
			continue;
		rp = parse_text(b, &a, &e1);
		if (rp == 0)
			dexf_manifest_clear(&a);
		memset(&e2, 0, sizeof(e2));
		before = dexf_xml_check_fallbacks();
		rc = dexf_xml_check((unsigned char *)b, strlen(b),
		    DEXF_SCHEMA_MANIFEST, "manifest.xml", &e2);
		/* the last two (xml:id) the reader accepts */
		EXPECT(rp == (k + 2 < sizeof(bad) / sizeof(bad[0]) ?
		    DEXF_EFORMAT : 0) && rc == rp, "case %zu: the same "
		    "verdict (%d, %d)", k, rp, rc);
		if (rp != 0)
			UA_STR(e2.msg, e1.msg);
		UA_INT(dexf_xml_check_fallbacks() - before, 1);
		free(b);
	}
	/* a text node of more than 10 MB, in an extension: the reader
	 * refuses it */
	{
		static const char open[] = "<extensions><x:e "
		    "xmlns:x=\"urn:example:ext\">";
		static const char close[] = "</x:e></extensions></manifest>\n";
		const char *end = strstr(xml, "</manifest>");
		size_t head = end != NULL ? (size_t)(end - xml) : 0;
		size_t n = XML_MAX_TEXT_LENGTH + 2, at;
		char *b = end != NULL ? malloc(head + sizeof(open) + n +
		    sizeof(close)) : NULL;
		int rp, rc;

		UA(b != NULL);
		if (b != NULL) {
			memcpy(b, xml, head);
			memcpy(b + head, open, sizeof(open) - 1);
			at = head + sizeof(open) - 1;
			memset(b + at, 'x', n);
			memcpy(b + at + n, close, sizeof(close));
			rp = parse_text(b, &a, &e1);
			if (rp == 0)
				dexf_manifest_clear(&a);
			before = dexf_xml_check_fallbacks();
			rc = dexf_xml_check((unsigned char *)b, strlen(b),
			    DEXF_SCHEMA_MANIFEST, "manifest.xml", &e2);
			EXPECT(rp == DEXF_EFORMAT && rc == rp, "a huge text "
			    "node: refused by both (%d, %d)", rp, rc);
			UA_INT(dexf_xml_check_fallbacks() - before, 1);
			free(b);
		}
	}
	free(xml);

	/* 20,000 items: about 11 MB */
	header_model(&m);
	for (int i = 0; i < 20000; i++) {
		char path[64];
		struct dexf_item *it = dexf_manifest_add_item(&m);

		if (it == NULL)
			break;
		snprintf(path, sizeof(path), "tree/dir%02d/f%06d.txt", i % 16,
		    i);
		set_file_storage(it, path, 4096 + (uint64_t)i, 8, 1u << 20);
		it->meta[M_MTIME] = S("2026-11-20T09:12:44Z");
		it->meta[M_MODE] = S("0644");
	}
	UA_INT((int)m.nitems, 20000);
	xml = NULL;
	UA_INT(write_model(&m, &xml, &len), 0);
	dexf_manifest_clear(&m);
	EXPECT(len > 10u << 20, "the manifest has %zu bytes", len);
	memset(&e2, 0, sizeof(e2));
	before = dexf_xml_check_fallbacks();
	UA_INT(dexf_xml_check((unsigned char *)xml, len, DEXF_SCHEMA_MANIFEST,
	    "manifest.xml", &e2), 0);
	UA_INT(dexf_xml_check_fallbacks() - before, 0);
	free(xml);
}

/* The verdicts (1: accepted) on doc of the validating parse, the shape
 * check and the unvalidated parse, and how many times the shape check
 * left the decision to the full schema. */
static void
decide_three_ways(const char *doc, int *full, int *shape, int *plain,
    size_t *fallbacks)
{
	dexf_manifest a;
	dexf_err err;
	size_t before;

	*full = parse_text(doc, &a, &err) == 0;
	if (*full)
		dexf_manifest_clear(&a);
	memset(&err, 0, sizeof(err));
	before = dexf_xml_check_fallbacks();
	*shape = dexf_xml_check((const unsigned char *)doc, strlen(doc),
	    DEXF_SCHEMA_MANIFEST_SHAPE, "manifest.xml", &err) == 0;
	*fallbacks = dexf_xml_check_fallbacks() - before;
	memset(&err, 0, sizeof(err));
	*plain = dexf_manifest_parse_unvalidated(&a,
	    (const unsigned char *)doc, strlen(doc), "manifest.xml",
	    &err) == 0;
	if (*plain)
		dexf_manifest_clear(&a);
}

/*
 * An overlapped verify checks the manifest against the schema without the
 * patterns of its value types (DEXF_SCHEMA_MANIFEST_SHAPE), and the
 * unvalidated parse checks those patterns in C.  Together they must decide
 * exactly as the validating parse, on every place each type is used: each
 * value below replaces one in the full model's manifest.
 */
static void
shape_schema_and_parser_decide_as_the_full_schema(void)
{
	static const char *const times[] = {
		"2026-11-20T09:12:44Z", "2026-11-20T09:12:44", "2026-11-20 "
		"09:12:44Z", "2026-1-20T09:12:44Z", "02026-11-20T09:12:44Z",
		"2026-11-20T09:12:44.5Z", " 2026-11-20T09:12:44Z",
		"2026-11-20T09:12:44Z ", "2026-11-20t09:12:44Z",
		"2026-11-20T09:12:44z", "\xef\xbc\x92" "026-11-20T09:12:44Z", "",
		"2026-13-45T09:12:44Z", "2026-11-20T09:12:4aZ", NULL
	};
	static const char *const hex64[] = {
		HEX64("1"), HEX64("A"), HEX64("g"),
		HEX64("1") "1", " " HEX64("1"), "", NULL
	};
	static const char *const md5[] = {
		"6811c482ead27c0b1165ecfbe996c2b4",
		"6811C482EAD27C0B1165ECFBE996C2B4",
		"6811c482ead27c0b1165ecfbe996c2b", "6811c482ead27c0b1165ecfbe996c2bx",
		" 6811c482ead27c0b1165ecfbe996c2b4", "", NULL
	};
	static const char *const algs[] = {
		"md5", "MD5", "-md5", "md_5", "x-custom", "sha-256",
		"abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz0123456",
		"", NULL
	};
	static const char *const modes[] = {
		"0640", "640", "06400", "0648", "064a", " 640", "", NULL
	};
	static const char *const ids[] = {
		"i1", "i01", "I1", "i1 ", "i", "i0", NULL
	};
	static const struct {
		const char *from, *pre, *post;
		const char *const *values;
	} site[] = {
		{ "<created>2026-11-22T22:45:00Z</created>", "<created>",
		    "</created>", times },
		{ "mtime=\"2026-11-20T09:12:44Z\"", "mtime=\"", "\"", times },
		{ "<start>2026-11-20T09:02:10Z</start>", "<start>", "</start>",
		    times },
		{ "<end>2026-11-20T09:12:44Z</end>", "<end>", "</end>", times },
		{ "indexSha256=\"" HEX64("1") "\"", "indexSha256=\"", "\"",
		    hex64 },
		{ "merkleRoot=\"" HEX64("2") "\"", "merkleRoot=\"", "\"",
		    hex64 },
		{ ">6811c482ead27c0b1165ecfbe996c2b4<", ">", "<", md5 },
		{ "algorithm=\"md5\"", "algorithm=\"", "\"", algs },
		{ "mode=\"0640\"", "mode=\"", "\"", modes },
		{ " id=\"i1\"", " id=\"", "\"", ids },
	};
	dexf_manifest m;
	dexf_err err;
	char *xml = NULL, to[512];
	size_t len = 0, cases = 0, by_c = 0, fb;

	full_model(&m);
	UA_INT(write_model(&m, &xml, &len), 0);
	dexf_manifest_clear(&m);
	if (xml == NULL)
		return;
	for (size_t k = 0; k < sizeof(site) / sizeof(site[0]); k++) {
		for (size_t v = 0; site[k].values[v] != NULL; v++) {
			char *b;
			int full, shape, plain;

			snprintf(to, sizeof(to), "%s%s%s", site[k].pre,
			    site[k].values[v], site[k].post);
			b = replace(xml, site[k].from, to);
			EXPECT(b != NULL, "site %zu: '%s' is in the manifest", k,
			    site[k].from);
			if (b == NULL)
				break;
			decide_three_ways(b, &full, &shape, &plain, &fb);
			EXPECT(full == (shape && plain), "%s: the full schema "
			    "says %d, the shape %d and the parser %d", to, full,
			    shape, plain);
			/* the first value of each site is valid, and three
			 * more algorithm names */
			EXPECT(full == (v == 0 || (site[k].values == algs &&
			    v >= 4 && v <= 6)), "%s: %s", to, full ?
			    "accepted" : "refused");
			cases++;
			by_c += shape && !plain;
			free(b);
		}
	}
	UA_INT(cases, 96);
	/* the facets are out of the shape schema: the parser alone refuses
	 * these values */
	EXPECT(by_c >= 40, "%zu values refused by the parser alone", by_c);
	/* Extension content is validated laxly: a declaration it names
	 * (xsi:type) or finds (an element of the manifest's namespace) brings
	 * the patterns where the parser does not look.  The shape check
	 * leaves such a document to the full schema.  And values encoded
	 * otherwise than as plain text. */
	{
#define XSI "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
#define EXT(body) "<extensions><x:e xmlns:x=\"urn:example:x\" " \
	    "xmlns:m=\"" DEXF_NS_MANIFEST "\" " body "</x:e></extensions>"
		static const struct {
			const char *from, *to;
			int valid, fallback;
		} ext[] = {
			{ "</manifest>", EXT(XSI "xsi:type=\"m:Mode\">9")
			    "</manifest>", 0, 1 },
			{ "</manifest>", EXT(XSI "xsi:type=\"m:Mode\">0640")
			    "</manifest>", 1, 1 },
			{ "</item>", EXT(XSI "xsi:type=\"m:Sha256Hex\">"
			    HEX64("A")) "</item>", 0, 1 },
			{ "</manifest>", EXT("><m:manifest formatVersion=\"1.0\">"
			    "<m:containerId>" UUID "</m:containerId>"
			    "<m:created>2026-11-22T22:45:00Z</m:created>"
			    "<m:producer name=\"x\" version=\"1\"/><m:items>"
			    "<m:item id=\"i1\" kind=\"directory\"><m:path>d"
			    "</m:path><m:size>0</m:size><m:original mode=\"9\"/>"
			    "</m:item></m:items></m:manifest>") "</manifest>",
			    0, 1 },
			{ "</manifest>", EXT(">plain") "</manifest>", 1, 1 },
			/* an xsi: attribute on the manifest's own element */
			{ "<size>", "<size " XSI "xmlns:xs=\"http://www.w3.org/"
			    "2001/XMLSchema\" xsi:type=\"xs:unsignedLong\">",
			    1, 1 },
			/* values written with character references, CDATA and
			 * comments: the parser sees what the schema sees */
			{ ">6811c482ead27c0b1165ecfbe996c2b4<", ">6811c482<![CDATA["
			    "ead27c0b]]>1165<!-- x -->ecfbe996c2b4<", 1, 0 },
			{ ">6811c482ead27c0b1165ecfbe996c2b4<",
			    ">6811c482ead27c0b1165ecfbe996c2b&#x61;<", 1, 0 },
			{ ">6811c482ead27c0b1165ecfbe996c2b4<",
			    ">6811c482ead27c0b1165ecfbe996c2b&#x41;<", 0, 0 },
			{ "mode=\"0640\"", "mode=\"06&#x34;0\"", 1, 0 },
			{ "mode=\"0640\"", "mode=\"064&#x38;\"", 0, 0 },
			{ "mode=\"0640\"", "mode=\"06\t40\"", 0, 0 },
		};

		for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
			char *b = replace(xml, ext[k].from, ext[k].to);
			int full, shape, plain;

			EXPECT(b != NULL, "extension case %zu applies", k);
			if (b == NULL)
				continue;
			decide_three_ways(b, &full, &shape, &plain, &fb);
			/* the full schema decides extension content */
			if (ext[k].fallback)
				EXPECT(fb == 1, "extension case %zu: the full "
				    "schema decides", k);
			EXPECT(full == ext[k].valid && full == (shape && plain),
			    "extension case %zu: the full schema says %d, the "
			    "shape %d and the parser %d", k, full, shape, plain);
			free(b);
		}
#undef EXT
#undef XSI
	}
	/* what else the schema checks stays: a bad container id, an unknown
	 * kind, an element out of place */
	{
		static const struct {
			const char *from, *to;
		} kept[] = {
			{ "<containerId>urn:uuid:", "<containerId>urn:uuid:X" },
			{ " kind=\"file\"", " kind=\"fiel\"" },
			{ "</items>", "<bogus/></items>" },
			{ "formatVersion=\"1.0\"", "formatVersion=\"1.x\"" },
		};

		for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]); k++) {
			char *b = replace(xml, kept[k].from, kept[k].to);

			EXPECT(b != NULL, "kept %zu applies", k);
			if (b == NULL)
				continue;
			memset(&err, 0, sizeof(err));
			EXPECT(dexf_xml_check((unsigned char *)b, strlen(b),
			    DEXF_SCHEMA_MANIFEST_SHAPE, "manifest.xml",
			    &err) == DEXF_EFORMAT, "kept %zu: the shape schema "
			    "refuses it", k);
			free(b);
		}
	}
	free(xml);
}

/* A CDATA section is text like any other: libxml2 2.9.14's validating
 * reader lost its content from the tree when asked to merge it into text
 * (XML_PARSE_NOCDATA), so the model had "di" where the schema had checked
 * "disk.img". */
static void
parse_reads_cdata_sections_in_values(void)
{
	dexf_manifest m;
	dexf_err err;

	UA_INT(parse_changed("<path>disk.img</path>",
	    "<path>di<![CDATA[sk.i]]>mg</path>", &err, &m), 0);
	if (m.nitems > 0)
		UA_STR(m.items[0].path, "disk.img");
	dexf_manifest_clear(&m);
	UA_INT(parse_changed(">6811c482ead27c0b1165ecfbe996c2b4<",
	    "><![CDATA[6811c482ead27c0b1165ecfbe996c2b4]]><", &err, &m), 0);
	if (m.nitems > 0 && m.items[0].digest[1] != NULL)
		UA_STR(m.items[0].digest[1], "6811c482ead27c0b1165ecfbe996c2b4");
	dexf_manifest_clear(&m);
}

static const unit_test tests[] = {
	{ "parse_reads_cdata_sections_in_values",
	    parse_reads_cdata_sections_in_values },
	{ "shape_schema_and_parser_decide_as_the_full_schema",
	    shape_schema_and_parser_decide_as_the_full_schema },
	{ "write_then_parse_keeps_every_field",
	    write_then_parse_keeps_every_field },
	{ "unvalidated_parse_refuses_what_the_schema_would",
	    unvalidated_parse_refuses_what_the_schema_would },
	{ "xml_check_agrees_with_the_validating_parse",
	    xml_check_agrees_with_the_validating_parse },
	{ "write_then_parse_of_empty_manifest",
	    write_then_parse_of_empty_manifest },
	{ "write_refuses_schema_invalid_model",
	    write_refuses_schema_invalid_model },
	{ "write_escapes_text_and_attributes",
	    write_escapes_text_and_attributes },
	{ "write_refuses_item_without_entry_names",
	    write_refuses_item_without_entry_names },
	{ "add_item_numbers_ids_in_order", add_item_numbers_ids_in_order },
	{ "meta_slots_and_keys_correspond", meta_slots_and_keys_correspond },
	{ "parse_ranges_accepts_lists_and_rejects_junk",
	    parse_ranges_accepts_lists_and_rejects_junk },
	{ "parse_refuses_doctype_and_entity", parse_refuses_doctype_and_entity },
	{ "parse_reports_line_number_when_not_well_formed",
	    parse_reports_line_number_when_not_well_formed },
	{ "parse_rejects_missing_sha256", parse_rejects_missing_sha256 },
	{ "parse_rejects_bad_id_sequence", parse_rejects_bad_id_sequence },
	{ "parse_rejects_duplicate_path", parse_rejects_duplicate_path },
	{ "parse_treats_differently_normalized_paths_as_distinct",
	    parse_treats_differently_normalized_paths_as_distinct },
	{ "parse_rejects_dotdot_and_other_bad_paths",
	    parse_rejects_dotdot_and_other_bad_paths },
	{ "parse_rejects_storage_entry_not_matching_path",
	    parse_rejects_storage_entry_not_matching_path },
	{ "parse_rejects_chunk_count_mismatch",
	    parse_rejects_chunk_count_mismatch },
	{ "parse_rejects_bad_chunk_size", parse_rejects_bad_chunk_size },
	{ "parse_rejects_level_with_store", parse_rejects_level_with_store },
	{ "parse_rejects_kind_dependent_violations",
	    parse_rejects_kind_dependent_violations },
	{ "parse_rejects_symlink_and_directory_sizes",
	    parse_rejects_symlink_and_directory_sizes },
	{ "parse_rejects_file_path_that_prefixes_another",
	    parse_rejects_file_path_that_prefixes_another },
	{ "parse_rejects_unreadable_outside_item",
	    parse_rejects_unreadable_outside_item },
	{ "parse_rejects_unsorted_or_overlapping_unreadable",
	    parse_rejects_unsorted_or_overlapping_unreadable },
	{ "parse_rejects_unreadable_on_non_file",
	    parse_rejects_unreadable_on_non_file },
	{ "parse_rejects_impossible_times", parse_rejects_impossible_times },
	{ "parse_accepts_full_unsigned_64_bit_range", parse_accepts_full_unsigned_64_bit_range },
	{ "parse_reports_format_version_2_as_unsupported",
	    parse_reports_format_version_2_as_unsupported },
	{ "parse_accepts_format_version_1_9",
	    parse_accepts_format_version_1_9 },
	{ "parse_refuses_unknown_compression",
	    parse_refuses_unknown_compression },
	{ "parse_reports_manifest_namespace_2_as_unsupported",
	    parse_reports_manifest_namespace_2_as_unsupported },
	{ "parse_reports_critical_extension_as_unsupported",
	    parse_reports_critical_extension_as_unsupported },
	{ "parse_ignores_non_critical_extensions",
	    parse_ignores_non_critical_extensions },
	{ "parse_rejects_extension_in_dexf_namespace",
	    parse_rejects_extension_in_dexf_namespace },
	{ "parse_counts_unknown_digest_algorithms",
	    parse_counts_unknown_digest_algorithms },
	{ "parse_rejects_duplicate_or_wrong_length_known_digest",
	    parse_rejects_duplicate_or_wrong_length_known_digest },
	{ "parse_rejects_odd_or_repeated_unknown_digest",
	    parse_rejects_odd_or_repeated_unknown_digest },
	{ "parse_refuses_when_not_a_manifest",
	    parse_refuses_when_not_a_manifest },
	{ NULL, NULL }
};

int
unit_register_manifest(void)
{
	return unit_add_suite("manifest", NULL, NULL, tests);
}
