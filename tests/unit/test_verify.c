/*
 * test_verify.c - dexf_verify(): verdicts, problem kinds and places,
 * coverage, trust, quick mode (FORMAT.md 11).
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dexf.h"
#include "reader_int.h"
#include "unit.h"

#define NOTE "Seized from desk drawer, room 4.\n"

static char *dir;
static char p_note[600], p_rand[600], p_empty[600], p_tree[600];
static unsigned char *rand_data;
static const size_t rand_len = 3 * 4096 + 1000;
static int seq;

static int
init(void)
{
	char p[700];

	dir = unit_mkdtemp("verify");
	rand_data = malloc(rand_len);
	if (dir == NULL || rand_data == NULL)
		return 1;
	unit_fill_random(rand_data, rand_len, 4321);
	unit_join(p_note, sizeof(p_note), dir, "note.txt");
	unit_join(p_rand, sizeof(p_rand), dir, "rand.bin");
	unit_join(p_empty, sizeof(p_empty), dir, "empty");
	unit_join(p_tree, sizeof(p_tree), dir, "tree");
	if (unit_write_file(p_note, NOTE, 33) != 0 ||
	    unit_write_file(p_rand, rand_data, rand_len) != 0 ||
	    unit_write_file(p_empty, "", 0) != 0 || mkdir(p_tree, 0755) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/emptydir", p_tree);
	if (mkdir(p, 0755) != 0)
		return 1;
	snprintf(p, sizeof(p), "%s/link", p_tree);
	return symlink("../note.txt", p) != 0;
}

static int
clean(void)
{
	unit_rmrf(dir);
	free(dir);
	free(rand_data);
	dir = NULL;
	rand_data = NULL;
	return 0;
}

typedef struct spec {
	int store;
	const char *signer;     /* tests/pki base name, or NULL */
	const char *chain;
	const char *unreadable; /* for rand.bin */
} spec;

/* note.txt (i1), rand.bin (i2), empty (i3), tree/emptydir (i4),
 * tree/link (i5); 4096-byte chunks. */
static int
pack(char *out, size_t outsz, const spec *s)
{
	dexf_writer *w = NULL;
	int rc;

	if (snprintf(out, outsz, "%s/c%d.dexf", dir, seq++) >= (int)outsz)
		return -1;
	if ((rc = dexf_writer_new(&w)) != 0)
		return rc;
	rc = dexf_writer_set_chunk_size(w, 4096);
	if (rc == 0)
		rc = dexf_writer_set_compression(w, s->store ?
		    DEXF_COMPRESSION_STORE : DEXF_COMPRESSION_DEFLATE, 6);
	if (rc == 0)
		rc = dexf_writer_set_hashes(w, DEXF_HASH_MD5 | DEXF_HASH_SHA1);
	if (rc == 0)
		rc = dexf_writer_set_case(w, "number", "2026-0042");
	if (rc == 0)
		rc = dexf_writer_add_agent(w, "examiner", "Jane Doe", NULL);
	if (rc == 0 && s->unreadable)
		rc = dexf_writer_set_item_meta(w, "rand.bin", "unreadable",
		    s->unreadable);
	if (rc == 0 && s->signer) {
		char key[64], cert[64];

		snprintf(key, sizeof(key), "%s.key", s->signer);
		snprintf(cert, sizeof(cert), "%s.pem", s->signer);
		rc = dexf_writer_set_signer(w, unit_pki(key), unit_pki(cert),
		    s->chain ? unit_pki(s->chain) : NULL, NULL);
	}
	if (rc == 0)
		rc = dexf_writer_open(w, out, 0);
	if (rc == 0)
		rc = dexf_writer_add_file(w, p_note, NULL);
	if (rc == 0)
		rc = dexf_writer_add_file(w, p_rand, NULL);
	if (rc == 0)
		rc = dexf_writer_add_file(w, p_empty, NULL);
	if (rc == 0)
		rc = dexf_writer_add_tree(w, p_tree, NULL);
	if (rc == 0)
		rc = dexf_writer_finish(w);
	if (rc != 0)
		fprintf(stderr, "pack: %s\n", dexf_writer_errmsg(w));
	dexf_writer_free(w);
	return rc;
}

typedef struct vopts {
	unsigned flags;
	const char *trust;      /* tests/pki name */
	const char *pin;
} vopts;

static dexf_report *
verify(const char *path, const vopts *v)
{
	dexf_verify_opts o;
	const char *trust[1], *pin[1];
	dexf_report *rep = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	if (v != NULL) {
		o.flags = v->flags;
		if (v->trust) {
			trust[0] = unit_pki(v->trust);
			o.trust = trust;
			o.ntrust = 1;
		}
		if (v->pin) {
			pin[0] = unit_pki(v->pin);
			o.signers = pin;
			o.nsigners = 1;
		}
	}
	rc = dexf_verify(&rep, path, v ? &o : NULL);
	if (rc != 0)
		fprintf(stderr, "dexf_verify: %d\n", rc);
	return rep;
}

static const dexf_problem *
problem(const dexf_report *rep, const char *kind, size_t nth)
{
	for (size_t i = 0; i < dexf_report_problem_count(rep); i++) {
		const dexf_problem *p = dexf_report_problem(rep, i);

		if (strcmp(p->kind, kind) == 0 && nth-- == 0)
			return p;
	}
	return NULL;
}

static size_t
count_problems(const dexf_report *rep, const char *kind)
{
	size_t n = 0;

	while (problem(rep, kind, n) != NULL)
		n++;
	return n;
}

/* The verdict, with the summary and the problems in the failure message. */
static void
assert_verdict(const dexf_report *rep, dexf_verdict want, unsigned line)
{
	char msg[1536];
	size_t n;

	n = (size_t)snprintf(msg, sizeof(msg), "verdict is %s (got %s: %s",
	    dexf_verdict_name(want), dexf_verdict_name(dexf_report_verdict(rep)),
	    dexf_report_summary(rep));
	for (size_t i = 0; i < dexf_report_problem_count(rep) &&
	    n < sizeof(msg) - 1; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "; %s",
		    dexf_report_problem(rep, i)->kind);
	if (n < sizeof(msg) - 1)
		snprintf(msg + n, sizeof(msg) - n, ")");
	CU_assertImplementation(dexf_report_verdict(rep) == want ? CU_TRUE :
	    CU_FALSE, line, msg, __FILE__, "", CU_FALSE);
}

#define UA_VERDICT(rep, want) assert_verdict((rep), (want), __LINE__)

static uint64_t
entry_data_offset(const char *container, const char *entry)
{
	dexf_reader *r = NULL;
	uint64_t off = 0;

	if (dexf_reader_new(&r) != 0)
		return 0;
	if (dexf_reader_open_zip(r, container) == 0) {
		const dexf_zipr_entry *e = dexf_zipr_find(&r->z, entry);

		if (e != NULL)
			off = e->data_off;
	}
	dexf_reader_free(r);
	return off;
}

/* ------------------------------------------------------------ intact */

static void
unsigned_container_is_intact_unsigned(void)
{
	char c[700];
	spec s = { 0, NULL, NULL, NULL };
	vopts v = { 0, "ca.pem", NULL };
	dexf_report *rep;
	const dexf_seal_info *si;

	UA_INT(pack(c, sizeof(c), &s), 0);
	rep = verify(c, &v);     /* anchors do not make it trusted */
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_INTACT_UNSIGNED);
	UA_INT(dexf_report_problem_count(rep), 1);
	UA(problem(rep, "unsigned", 0) != NULL);
	UA_HAS(dexf_report_summary(rep), "unsigned");
	si = dexf_report_seal(rep);
	UA_INT(si->present, 1);
	UA_INT(si->signed_, 0);
	UA_INT(si->signature_valid, 0);
	UA_INT(si->trust, DEXF_TRUST_UNSIGNED);
	UA_STR(si->trust_detail, "container is not signed");
	UA(si->subject == NULL && si->algorithm == NULL);
	UA_STR(si->sealed_by, "Jane Doe");
	UA(si->sealed_at != NULL && strlen(si->sealed_at) == 20);
	UA_STR(si->sealed_at, dexf_report_get(rep, "created"));
	UA_STR(dexf_report_get(rep, "case.number"), "2026-0042");
	UA_STR(dexf_report_get(rep, "format-version"), "1.0");
	UA(dexf_report_get(rep, "container-id") != NULL);
	UA(dexf_report_get(rep, "case.name") == NULL);
	dexf_report_free(rep);
	/* opts may be NULL */
	rep = verify(c, NULL);
	UA(rep != NULL);
	if (rep != NULL)
		UA_VERDICT(rep, DEXF_VERDICT_INTACT_UNSIGNED);
	dexf_report_free(rep);
}

static void
signed_container_is_trusted_with_its_ca(void)
{
	char c[700], hex[65];
	spec s = { 0, "ecdsa256", NULL, NULL };
	vopts v = { 0, "ca.pem", NULL };
	dexf_report *rep;
	const dexf_seal_info *si;
	dexf_reader *r = NULL;

	UA_INT(pack(c, sizeof(c), &s), 0);
	rep = verify(c, &v);
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_INTACT_TRUSTED);
	UA_INT(dexf_report_problem_count(rep), 0);
	UA_HAS(dexf_report_summary(rep), "intact");
	si = dexf_report_seal(rep);
	UA_INT(si->present, 1);
	UA_INT(si->signed_, 1);
	UA_INT(si->signature_valid, 1);
	UA_INT(si->trust, DEXF_TRUST_TRUSTED);
	UA_HAS(si->trust_detail, "dexf Test CA A");
	UA_HAS(si->subject, "CN=Test Signer ECDSA P-256");
	UA_HAS(si->issuer, "CN=dexf Test CA A");
	UA_STR(si->serial, "0a10");
	UA(si->fingerprint != NULL && strlen(si->fingerprint) == 64);
	UA_STR(si->algorithm, "ecdsa-sha256");
	UA(si->signing_time != NULL && strlen(si->signing_time) == 20);
	UA_STR(si->not_after, "2046-01-01T00:00:00Z");
	/* the manifest digest is that of the manifest entry's bytes */
	if (dexf_reader_new(&r) == 0 && dexf_reader_open(r, c) == 0) {
		unit_sha256_hex(hex, r->manifest_buf, r->manifest_len);
		UA_STR(si->manifest_sha256, hex);
		UA_STR(dexf_report_get(rep, "container-id"),
		    dexf_reader_get(r, "container-id"));
	} else {
		CU_FAIL("reader");
	}
	dexf_reader_free(r);
	dexf_report_free(rep);
}

static void
coverage_and_item_results_account_for_everything(void)
{
	char c[700], hex[65];
	spec s = { 0, "ecdsa256", NULL, "4096:512,12288:100" };
	vopts v = { 0, "ca.pem", NULL };
	dexf_report *rep;
	const dexf_coverage *cov;

	UA_INT(pack(c, sizeof(c), &s), 0);
	rep = verify(c, &v);
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_INTACT_TRUSTED);
	cov = dexf_report_coverage(rep);
	/* mimetype, 3 x (evidence + index), manifest, seal, signature */
	UA(cov->entries == 10);
	UA(cov->entries_accounted == 10);
	UA_INT(cov->quick, 0);
	UA(cov->items == 5);
	UA(cov->items_checked == 5);
	UA(cov->chunks_checked == 1 + 4 + 0);
	UA(cov->bytes_hashed == 33 + rand_len);
	UA(cov->unreadable_bytes == 612);
	UA_INT(dexf_report_item_count(rep), 5);
	if (dexf_report_item_count(rep) == 5) {
		const dexf_item_result *it = dexf_report_item(rep, 1);

		UA_STR(it->path, "rand.bin");
		UA_STR(it->id, "i2");
		UA_INT(it->status, DEXF_ITEM_OK);
		UA(it->size == rand_len);
		UA(it->chunks == 4);
		UA(it->bad_chunks == 0);
		unit_sha256_hex(hex, rand_data, rand_len);
		UA_STR(it->sha256, hex);
		it = dexf_report_item(rep, 2);
		UA_STR(it->path, "empty");
		UA_INT(it->status, DEXF_ITEM_OK);
		UA(it->chunks == 0);
		UA_STR(it->sha256, "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855");
		it = dexf_report_item(rep, 4);
		UA_STR(it->path, "tree/link");
		UA_INT(it->status, DEXF_ITEM_OK);
		UA(it->sha256 == NULL);
	}
	UA(dexf_report_item(rep, 5) == NULL);
	UA(dexf_report_problem(rep, 0) == NULL);
	dexf_report_free(rep);
}

static void
signer_algorithms_are_reported(void)
{
	static const struct {
		const char *signer, *chain, *alg;
	} cases[] = {
		{ "ecdsa384", NULL, "ecdsa-sha384" },
		{ "rsapss", NULL, "rsa-pss-sha256" },
		{ "leaf-via-int", "intermediate.pem", "ecdsa-sha256" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char c[700];
		spec s = { 1, cases[i].signer, cases[i].chain, NULL };
		vopts v = { 0, "ca.pem", NULL };
		dexf_report *rep;

		UA_INT(pack(c, sizeof(c), &s), 0);
		rep = verify(c, &v);
		UA(rep != NULL);
		if (rep == NULL)
			continue;
		UA_VERDICT(rep, DEXF_VERDICT_INTACT_TRUSTED);
		UA_STR(dexf_report_seal(rep)->algorithm, cases[i].alg);
		dexf_report_free(rep);
	}
}

static void
untrusted_outcomes_keep_integrity_intact(void)
{
	static const struct {
		const char *signer, *trust, *pin;
		dexf_trust want;
	} cases[] = {
		{ "ecdsa256", NULL, NULL, DEXF_TRUST_UNKNOWN },
		{ "ecdsa256", "ca-b.pem", NULL, DEXF_TRUST_UNTRUSTED },
		{ "rogue", "ca.pem", NULL, DEXF_TRUST_UNTRUSTED },
		{ "expired", "ca.pem", NULL, DEXF_TRUST_EXPIRED },
		{ "ecdsa256", NULL, "ecdsa384.pem", DEXF_TRUST_UNTRUSTED },
		{ "ecdsa256", NULL, "ecdsa256.pem", DEXF_TRUST_TRUSTED },
		{ "leaf-via-int", "ca.pem", NULL, DEXF_TRUST_UNTRUSTED },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char c[700];
		spec s = { 0, cases[i].signer, NULL, NULL };
		vopts v = { 0, cases[i].trust, cases[i].pin };
		dexf_report *rep;
		const dexf_problem *p;

		UA_INT(pack(c, sizeof(c), &s), 0);
		rep = verify(c, &v);
		UA(rep != NULL);
		if (rep == NULL)
			continue;
		UA_INT(dexf_report_seal(rep)->trust, cases[i].want);
		UA_INT(dexf_report_seal(rep)->signature_valid, 1);
		if (cases[i].want == DEXF_TRUST_TRUSTED) {
			UA_VERDICT(rep, DEXF_VERDICT_INTACT_TRUSTED);
			dexf_report_free(rep);
			continue;
		}
		UA_VERDICT(rep, DEXF_VERDICT_INTACT_UNTRUSTED);
		p = problem(rep, "untrusted", 0);
		UA(p != NULL);
		if (p != NULL)
			UA_STR(p->entry, "META-INF/dexf/records/000000.p7s");
		UA_HAS(dexf_report_summary(rep), "not established");
		dexf_report_free(rep);
	}
}

/* ------------------------------------------------------------ damage */

static void
flipped_stored_byte_names_item_chunk_and_range(void)
{
	char c[700];
	spec s = { 1, "ecdsa256", NULL, NULL };
	vopts v = { 0, "ca.pem", NULL };
	dexf_report *rep;
	const dexf_problem *p;
	uint64_t off;

	UA_INT(pack(c, sizeof(c), &s), 0);
	off = entry_data_offset(c, "evidence/rand.bin");
	UA(off > 0);
	UA_INT(unit_flip_byte(c, off + 4096 + 10), 0);      /* chunk 1 */
	rep = verify(c, &v);
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	UA_INT(count_problems(rep, "chunk-mismatch"), 1);
	p = problem(rep, "chunk-mismatch", 0);
	UA(p != NULL);
	if (p != NULL) {
		UA_STR(p->item, "rand.bin");
		UA_STR(p->entry, "evidence/rand.bin");
		UA(p->chunk == 1);
		UA(p->chunk_last == 1);
		UA(p->offset == 4096);
		UA(p->length == 4096);
		UA_HAS(p->message, "chunk 1");
		UA_HAS(p->message, "4096-8191");
	}
	if (dexf_report_item_count(rep) == 5) {
		UA_INT(dexf_report_item(rep, 1)->status, DEXF_ITEM_MISMATCH);
		UA(dexf_report_item(rep, 1)->bad_chunks == 1);
		UA_INT(dexf_report_item(rep, 0)->status, DEXF_ITEM_OK);
	}
	/* damage does not stop the other chunks from being checked */
	UA(dexf_report_coverage(rep)->chunks_checked == 5);
	/* the signature is still fine */
	UA_INT(dexf_report_seal(rep)->trust, DEXF_TRUST_TRUSTED);
	UA_HAS(dexf_report_summary(rep), "tampered");
	dexf_report_free(rep);
}

static void
consecutive_damaged_chunks_form_one_run(void)
{
	char c[700];
	spec s = { 1, NULL, NULL, NULL };
	dexf_report *rep;
	const dexf_problem *p;
	uint64_t off;

	UA_INT(pack(c, sizeof(c), &s), 0);
	off = entry_data_offset(c, "evidence/rand.bin");
	UA_INT(unit_flip_byte(c, off + 4096), 0);            /* chunk 1 */
	UA_INT(unit_flip_byte(c, off + 3 * 4096 - 1), 0);    /* chunk 2 */
	UA_INT(unit_flip_byte(c, off + 3 * 4096 + 999), 0);  /* chunk 3 */
	rep = verify(c, NULL);
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	p = problem(rep, "chunk-mismatch", 0);
	UA(p != NULL);
	if (p != NULL) {
		UA(p->chunk == 1);
		UA(p->chunk_last == 3);
		UA(p->offset == 4096);
		UA(p->length == rand_len - 4096);      /* last chunk is short */
		UA_HAS(p->message, "4096-13287");
	}
	UA_INT(count_problems(rep, "chunk-mismatch"), 1);
	if (dexf_report_item_count(rep) > 1)
		UA(dexf_report_item(rep, 1)->bad_chunks == 3);
	dexf_report_free(rep);
}

static void
flipped_deflated_byte_is_a_chunk_mismatch(void)
{
	char c[700];
	spec s = { 0, NULL, NULL, NULL };
	dexf_report *rep;
	const dexf_problem *p;
	uint64_t off;

	UA_INT(pack(c, sizeof(c), &s), 0);
	off = entry_data_offset(c, "evidence/note.txt");
	UA_INT(unit_flip_byte(c, off + 5), 0);
	rep = verify(c, NULL);
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	p = problem(rep, "chunk-mismatch", 0);
	UA(p != NULL);
	if (p != NULL) {
		UA_STR(p->item, "note.txt");
		UA(p->chunk == 0 && p->chunk_last == 0);
		UA(p->offset == 0 && p->length == 33);
	}
	dexf_report_free(rep);
}

static void
quick_mode_reads_no_evidence(void)
{
	char c[700];
	spec s = { 1, "ecdsa256", NULL, NULL };
	vopts v = { DEXF_VERIFY_QUICK, "ca.pem", NULL };
	dexf_report *rep;
	const dexf_coverage *cov;
	uint64_t off;

	UA_INT(pack(c, sizeof(c), &s), 0);
	off = entry_data_offset(c, "evidence/rand.bin");
	UA_INT(unit_flip_byte(c, off + 100), 0);
	rep = verify(c, &v);
	UA(rep != NULL);
	if (rep == NULL)
		return;
	/* the flipped data byte is not seen */
	UA_VERDICT(rep, DEXF_VERDICT_INTACT_TRUSTED);
	cov = dexf_report_coverage(rep);
	UA_INT(cov->quick, 1);
	UA(cov->chunks_checked == 0);
	UA(cov->bytes_hashed == 0);
	if (dexf_report_item_count(rep) == 5) {
		UA_INT(dexf_report_item(rep, 0)->status, DEXF_ITEM_NOT_CHECKED);
		UA_INT(dexf_report_item(rep, 1)->status, DEXF_ITEM_NOT_CHECKED);
		UA(dexf_report_item(rep, 1)->sha256 == NULL);
	}
	dexf_report_free(rep);
}

static void
edit_index_leaf(unit_entry *e, unit_entry **x, size_t *nx, void *ctx)
{
	(void)x;
	(void)nx;
	(void)ctx;
	if (e != NULL && strcmp(e->name, "META-INF/dexf/index/i2.idx") == 0 &&
	    e->rawlen > 64 + 48 + 20) {
		e->raw[64 + 48 + 20] ^= 0x01;          /* leaf of chunk 1 */
		{   /* recompute the ZIP CRC so only the index digest fails */
			size_t n;
			unsigned char *p = unit_entry_plain(e, &n);

			if (p != NULL)
				unit_entry_set(e, p, n, 0);
			free(p);
		}
	}
}

static void
quick_mode_still_checks_the_indexes(void)
{
	char c[700], alt[800];
	spec s = { 1, NULL, NULL, NULL };
	vopts v = { DEXF_VERIFY_QUICK, NULL, NULL };
	dexf_report *rep;
	const dexf_problem *p;

	UA_INT(pack(c, sizeof(c), &s), 0);
	snprintf(alt, sizeof(alt), "%s.idx-edited", c);
	UA_INT(unit_rebuild(c, alt, edit_index_leaf, NULL), 0);
	rep = verify(alt, &v);
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	p = problem(rep, "index-mismatch", 0);
	UA(p != NULL);
	if (p != NULL)
		UA_STR(p->item, "rand.bin");
	dexf_report_free(rep);
	/* and in full mode too */
	rep = verify(alt, NULL);
	UA(rep != NULL && count_problems(rep, "index-mismatch") == 1);
	if (rep != NULL)
		UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	dexf_report_free(rep);
}

static void
non_containers_are_unreadable_with_a_report(void)
{
	char junk[700], missing[700];
	unsigned char b[5000];
	dexf_report *rep;

	snprintf(junk, sizeof(junk), "%s/junk.bin", dir);
	unit_fill_random(b, sizeof(b), 8);
	UA_INT(unit_write_file(junk, b, sizeof(b)), 0);
	rep = verify(junk, NULL);
	UA(rep != NULL);
	if (rep != NULL) {
		UA_VERDICT(rep, DEXF_VERDICT_UNREADABLE);
		UA(problem(rep, "structure", 0) != NULL);
		UA_HAS(dexf_report_summary(rep), "unreadable");
		UA_INT(dexf_report_seal(rep)->present, 0);
		UA(dexf_report_coverage(rep)->entries == 0);
	}
	dexf_report_free(rep);
	snprintf(missing, sizeof(missing), "%s/missing.dexf", dir);
	rep = verify(missing, NULL);
	UA(rep != NULL);
	if (rep != NULL) {
		UA_VERDICT(rep, DEXF_VERDICT_UNREADABLE);
		UA(problem(rep, "io", 0) != NULL);
	}
	dexf_report_free(rep);
}

static void
verify_rejects_null_arguments(void)
{
	dexf_report *rep = (dexf_report *)1;

	UA_INT(dexf_verify(NULL, "x", NULL), DEXF_EINVAL);
	UA_INT(dexf_verify(&rep, NULL, NULL), DEXF_EINVAL);
	UA_INT(dexf_report_problem_count(NULL), 0);
	UA(dexf_report_seal(NULL) == NULL);
	UA_STR(dexf_report_summary(NULL), "");
}

static int
cancel_cb(uint64_t done, uint64_t total, void *payload)
{
	int *calls = payload;

	(*calls)++;
	return done > 0 && total > 0 && *calls >= 2;
}

static void
progress_callback_can_cancel_verification(void)
{
	char c[700];
	spec s = { 1, NULL, NULL, NULL };
	dexf_verify_opts o;
	dexf_report *rep = (dexf_report *)1;
	int calls = 0;

	UA_INT(pack(c, sizeof(c), &s), 0);
	memset(&o, 0, sizeof(o));
	o.progress = cancel_cb;
	o.payload = &calls;
	UA_INT(dexf_verify(&rep, c, &o), DEXF_ECANCELED);
	UA(rep == NULL);
	UA_INT(calls, 2);
}

/* ------------------------------------------------------------ rebuilt */

static void
rebuild_without_changes_still_verifies(void)
{
	char c[700], alt[800];
	spec s = { 0, "ecdsa256", NULL, NULL };
	vopts v = { 0, "ca.pem", NULL };
	dexf_report *rep;

	UA_INT(pack(c, sizeof(c), &s), 0);
	snprintf(alt, sizeof(alt), "%s.copy", c);
	UA_INT(unit_rebuild(c, alt, NULL, NULL), 0);
	rep = verify(alt, &v);
	UA(rep != NULL);
	if (rep != NULL)
		UA_VERDICT(rep, DEXF_VERDICT_INTACT_TRUSTED);
	dexf_report_free(rep);
}

typedef struct edit {
	const char *drop;         /* entry to leave out */
	const char *add;          /* entry to append (small text) */
	const char *append_to;    /* entry whose content gets a suffix */
	const char *suffix;
	const char *crc_of;       /* entry whose ZIP CRC is flipped */
} edit;

static void
apply_edit(unit_entry *e, unit_entry **x, size_t *nx, void *ctx)
{
	const edit *ed = ctx;

	if (e == NULL) {
		if (ed->add != NULL && (*x = calloc(1, sizeof(**x))) != NULL) {
			(*x)->name = strdup(ed->add);
			unit_entry_set(*x, "extra\n", 6, 0);
			*nx = 1;
		}
		return;
	}
	if (ed->drop && strcmp(e->name, ed->drop) == 0)
		e->drop = 1;
	if (ed->crc_of && strcmp(e->name, ed->crc_of) == 0)
		e->crc ^= 0x00010000u;
	if (ed->append_to && strcmp(e->name, ed->append_to) == 0) {
		size_t n, k = strlen(ed->suffix);
		unsigned char *p = unit_entry_plain(e, &n), *q;

		q = p ? malloc(n + k) : NULL;
		if (q != NULL) {
			memcpy(q, p, n);
			memcpy(q + n, ed->suffix, k);
			unit_entry_set(e, q, n + k, e->method);
		}
		free(p);
		free(q);
	}
}

/* Pack (signed by ecdsa256), rebuild with `ed`, verify against ca.pem. */
static dexf_report *
verify_edited(const edit *ed, int store)
{
	char c[700], alt[800];
	spec s = { store, "ecdsa256", NULL, NULL };
	vopts v = { 0, "ca.pem", NULL };

	if (pack(c, sizeof(c), &s) != 0)
		return NULL;
	snprintf(alt, sizeof(alt), "%s.edited", c);
	if (unit_rebuild(c, alt, apply_edit, (void *)(uintptr_t)ed) != 0)
		return NULL;
	return verify(alt, &v);
}

static void
extra_entry_is_tampered(void)
{
	edit ed = { NULL, "notes/extra.txt", NULL, NULL, NULL };
	dexf_report *rep = verify_edited(&ed, 0);
	const dexf_problem *p;

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	p = problem(rep, "extra-entry", 0);
	UA(p != NULL);
	if (p != NULL) {
		UA_STR(p->entry, "notes/extra.txt");
		UA_HAS(p->message, "notes/extra.txt");
	}
	UA(dexf_report_coverage(rep)->entries == 11);
	UA(dexf_report_coverage(rep)->entries_accounted == 10);
	dexf_report_free(rep);
}

static void
evidence_entry_for_a_symlink_is_extra(void)
{
	edit ed = { NULL, "evidence/tree/link", NULL, NULL, NULL };
	dexf_report *rep = verify_edited(&ed, 0);

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	UA(problem(rep, "extra-entry", 0) != NULL);
	dexf_report_free(rep);
}

static void
reserved_record_is_unsupported(void)
{
	edit ed = { NULL, "META-INF/dexf/records/000000.ots", NULL, NULL,
	    NULL };
	dexf_report *rep = verify_edited(&ed, 0);
	const dexf_problem *p;

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_UNSUPPORTED);
	p = problem(rep, "unsupported", 0);
	UA(p != NULL);
	if (p != NULL)
		UA_STR(p->entry, "META-INF/dexf/records/000000.ots");
	dexf_report_free(rep);
}

/* A record 1 that is not a record at all breaks the chain there. */
static void
garbage_record_1_is_record_invalid(void)
{
	edit ed = { NULL, "META-INF/dexf/records/000001.xml", NULL, NULL,
	    NULL };
	dexf_report *rep = verify_edited(&ed, 0);
	const dexf_problem *p;

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_CHAIN_BROKEN);
	p = problem(rep, "record-invalid", 0);
	UA(p != NULL);
	if (p != NULL)
		UA_STR(p->entry, "META-INF/dexf/records/000001.xml");
	UA_INT(dexf_report_record_count(rep), 2);
	UA(!dexf_report_record(rep, 1)->valid);
	/* the head stays at the seal */
	UA_STR(dexf_report_head(rep), dexf_report_record(rep, 0)->sha256);
	dexf_report_free(rep);
}

/* FORMAT.md 2.5: attachments/ names other than NNNNNN/<name> are
 * reserved. */
static void
reserved_attachment_is_unsupported(void)
{
	edit ed = { NULL, "META-INF/dexf/attachments/photo.jpg", NULL, NULL,
	    NULL };
	dexf_report *rep = verify_edited(&ed, 0);

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_UNSUPPORTED);
	UA(problem(rep, "unsupported", 0) != NULL);
	dexf_report_free(rep);
}

static void
missing_index_entry_is_missing_entry(void)
{
	edit ed = { "META-INF/dexf/index/i2.idx", NULL, NULL, NULL, NULL };
	dexf_report *rep = verify_edited(&ed, 0);
	const dexf_problem *p;

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	p = problem(rep, "missing-entry", 0);
	UA(p != NULL);
	if (p != NULL)
		UA_STR(p->item, "rand.bin");
	if (dexf_report_item_count(rep) == 5) {
		UA_INT(dexf_report_item(rep, 1)->status, DEXF_ITEM_MISSING);
		UA_INT(dexf_report_item(rep, 0)->status, DEXF_ITEM_OK);
	}
	dexf_report_free(rep);
}

static void
missing_evidence_entry_is_missing_entry(void)
{
	edit ed = { "evidence/note.txt", NULL, NULL, NULL, NULL };
	dexf_report *rep = verify_edited(&ed, 0);

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	UA(problem(rep, "missing-entry", 0) != NULL);
	if (dexf_report_item_count(rep) == 5)
		UA_INT(dexf_report_item(rep, 0)->status, DEXF_ITEM_MISSING);
	dexf_report_free(rep);
}

/* FORMAT.md 11.2 / 11.3 step 5: manifest-mismatch is chain-broken. */
static void
manifest_not_matching_seal_is_tampered(void)
{
	edit ed = { NULL, NULL, "META-INF/dexf/manifest.xml",
	    "<!-- appended -->\n", NULL };
	dexf_report *rep = verify_edited(&ed, 0);

	/* a manifest that does not match the digest the seal holds is a
	 * digest mismatch: tampered, and item results are not "as sealed" */
	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA(problem(rep, "manifest-mismatch", 0) != NULL);
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	UA_INT(dexf_report_coverage(rep)->manifest_bound, 0);
	dexf_report_free(rep);
}

static void
missing_manifest_or_seal_is_chain_broken(void)
{
	edit ed1 = { "META-INF/dexf/manifest.xml", NULL, NULL, NULL, NULL };
	edit ed2 = { "META-INF/dexf/records/000000.xml", NULL, NULL, NULL,
	    NULL };
	dexf_report *rep;

	rep = verify_edited(&ed1, 0);
	UA(rep != NULL);
	if (rep != NULL)
		UA_VERDICT(rep, DEXF_VERDICT_CHAIN_BROKEN);
	dexf_report_free(rep);
	rep = verify_edited(&ed2, 0);
	UA(rep != NULL);
	if (rep != NULL) {
		UA_VERDICT(rep, DEXF_VERDICT_CHAIN_BROKEN);
		UA(problem(rep, "record-invalid", 0) != NULL);
		UA_INT(dexf_report_seal(rep)->present, 0);
	}
	dexf_report_free(rep);
}

static void
stripped_signature_breaks_the_seal(void)
{
	edit ed = { "META-INF/dexf/records/000000.p7s", NULL, NULL, NULL,
	    NULL };
	dexf_report *rep = verify_edited(&ed, 0);

	UA(rep != NULL);
	if (rep == NULL)
		return;
	/* the seal record declares its signature file: removing it breaks
	 * the seal rather than making the container "unsigned" */
	UA_VERDICT(rep, DEXF_VERDICT_CHAIN_BROKEN);
	UA(problem(rep, "signature-invalid", 0) != NULL);
	UA_INT(dexf_report_seal(rep)->signed_, 1);
	UA_INT(dexf_report_coverage(rep)->manifest_bound, 0);
	dexf_report_free(rep);
}

static void
altered_seal_record_breaks_the_signature(void)
{
	edit ed = { NULL, NULL, "META-INF/dexf/records/000000.xml",
	    "<!-- x -->\n", NULL };
	dexf_report *rep = verify_edited(&ed, 0);

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_CHAIN_BROKEN);
	UA(problem(rep, "signature-invalid", 0) != NULL);
	UA_INT(dexf_report_seal(rep)->signature_valid, 0);
	UA_INT(dexf_report_seal(rep)->trust, DEXF_TRUST_INVALID);
	dexf_report_free(rep);
}

static void
evidence_crc_mismatch_is_tampered(void)
{
	edit ed = { NULL, NULL, NULL, NULL, "evidence/rand.bin" };
	dexf_report *rep = verify_edited(&ed, 1);
	const dexf_problem *p;

	UA(rep != NULL);
	if (rep == NULL)
		return;
	UA_VERDICT(rep, DEXF_VERDICT_TAMPERED);
	p = problem(rep, "crc-mismatch", 0);
	UA(p != NULL);
	if (p != NULL)
		UA_STR(p->entry, "evidence/rand.bin");
	UA_INT(count_problems(rep, "chunk-mismatch"), 0);
	dexf_report_free(rep);
}

static const unit_test tests[] = {
	{ "unsigned_container_is_intact_unsigned",
	    unsigned_container_is_intact_unsigned },
	{ "signed_container_is_trusted_with_its_ca",
	    signed_container_is_trusted_with_its_ca },
	{ "coverage_and_item_results_account_for_everything",
	    coverage_and_item_results_account_for_everything },
	{ "signer_algorithms_are_reported", signer_algorithms_are_reported },
	{ "untrusted_outcomes_keep_integrity_intact",
	    untrusted_outcomes_keep_integrity_intact },
	{ "flipped_stored_byte_names_item_chunk_and_range",
	    flipped_stored_byte_names_item_chunk_and_range },
	{ "consecutive_damaged_chunks_form_one_run",
	    consecutive_damaged_chunks_form_one_run },
	{ "flipped_deflated_byte_is_a_chunk_mismatch",
	    flipped_deflated_byte_is_a_chunk_mismatch },
	{ "quick_mode_reads_no_evidence", quick_mode_reads_no_evidence },
	{ "quick_mode_still_checks_the_indexes",
	    quick_mode_still_checks_the_indexes },
	{ "non_containers_are_unreadable_with_a_report",
	    non_containers_are_unreadable_with_a_report },
	{ "verify_rejects_null_arguments", verify_rejects_null_arguments },
	{ "progress_callback_can_cancel_verification",
	    progress_callback_can_cancel_verification },
	{ "rebuild_without_changes_still_verifies",
	    rebuild_without_changes_still_verifies },
	{ "extra_entry_is_tampered", extra_entry_is_tampered },
	{ "evidence_entry_for_a_symlink_is_extra",
	    evidence_entry_for_a_symlink_is_extra },
	{ "reserved_record_is_unsupported", reserved_record_is_unsupported },
	{ "garbage_record_1_is_record_invalid",
	    garbage_record_1_is_record_invalid },
	{ "reserved_attachment_is_unsupported",
	    reserved_attachment_is_unsupported },
	{ "missing_index_entry_is_missing_entry",
	    missing_index_entry_is_missing_entry },
	{ "missing_evidence_entry_is_missing_entry",
	    missing_evidence_entry_is_missing_entry },
	{ "manifest_not_matching_seal_is_tampered",
	    manifest_not_matching_seal_is_tampered },
	{ "missing_manifest_or_seal_is_chain_broken",
	    missing_manifest_or_seal_is_chain_broken },
	{ "stripped_signature_breaks_the_seal",
	    stripped_signature_breaks_the_seal },
	{ "altered_seal_record_breaks_the_signature",
	    altered_seal_record_breaks_the_signature },
	{ "evidence_crc_mismatch_is_tampered",
	    evidence_crc_mismatch_is_tampered },
	{ NULL, NULL }
};

int
unit_register_verify(void)
{
	return unit_add_suite("verify", init, clean, tests);
}
