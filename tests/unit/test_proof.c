/*
 * test_proof.c - RFC 9162 inclusion proofs (proof.c): the paths and the
 * root they reach against a reference written from the RFC, by brute
 * force over every tree of 1..70 leaves and every leaf; the FORMAT.md 6.2
 * worked example; the node callback of the incremental Merkle tree; and
 * the proof API's refusals (dexf_prove(), dexf_verify_range(),
 * dexf_verify_proof()).
 */
#include "config.h"

#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "dexf.h"
#include "digest.h"
#include "merkle.h"
#include "proof.h"
#include "util.h"
#include "unit.h"

#define MAXN 70

/* ------------------------------------------------------------ reference
 * RFC 9162 2.1.1 and 2.1.3.1 over leaf hashes, with OpenSSL directly,
 * sharing no code with the library. */

static void
ref_node(unsigned char out[32], const unsigned char l[32],
    const unsigned char r[32])
{
	static const unsigned char one = 1;
	EVP_MD_CTX *x = EVP_MD_CTX_new();

	EVP_DigestInit_ex(x, EVP_sha256(), NULL);
	EVP_DigestUpdate(x, &one, 1);
	EVP_DigestUpdate(x, l, 32);
	EVP_DigestUpdate(x, r, 32);
	EVP_DigestFinal_ex(x, out, NULL);
	EVP_MD_CTX_free(x);
}

static size_t
ref_split(size_t n)
{
	size_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* MTH over leaf hashes leaves[0..n), n >= 1. */
static void
ref_mth(unsigned char out[32], unsigned char (*leaves)[32], size_t n)
{
	unsigned char l[32], r[32];
	size_t k;

	if (n == 1) {
		memcpy(out, leaves[0], 32);
		return;
	}
	k = ref_split(n);
	ref_mth(l, leaves, k);
	ref_mth(r, leaves + k, n - k);
	ref_node(out, l, r);
}

/* PATH(m, D[n]), appended to path; returns the new length. */
static size_t
ref_path(unsigned char (*path)[32], size_t len, size_t m,
    unsigned char (*leaves)[32], size_t n)
{
	size_t k;

	if (n == 1)
		return len;
	k = ref_split(n);
	if (m < k) {
		len = ref_path(path, len, m, leaves, k);
		ref_mth(path[len], leaves + k, n - k);
	} else {
		len = ref_path(path, len, m - k, leaves + k, n - k);
		ref_mth(path[len], leaves, k);
	}
	return len + 1;
}

static unsigned char leaves[MAXN][32];

static int
init(void)
{
	for (int i = 0; i < MAXN; i++) {
		unsigned char d[8];

		unit_fill_random(d, sizeof(d), (uint32_t)(1000 + i));
		dexf_leaf_hash(leaves[i], d, sizeof(d));
	}
	return 0;
}

#define CHECK(cond, ...) do { \
	char what_[160]; \
	snprintf(what_, sizeof(what_), __VA_ARGS__); \
	CU_assertImplementation((cond) ? CU_TRUE : CU_FALSE, __LINE__, \
	    what_, __FILE__, "", CU_FALSE); \
} while (0)

/* ------------------------------------------------------------ paths */

/* Every leaf of every tree of 1..70 leaves: the spans hash to the RFC's
 * path, and that path leads from the leaf to the RFC's root. */
static void
paths_match_rfc_for_every_leaf_of_1_to_70(void)
{
	unsigned bad_spans = 0, bad_root = 0, cases = 0;

	for (size_t n = 1; n <= MAXN; n++) {
		unsigned char root[32];

		ref_mth(root, leaves, n);
		for (size_t m = 0; m < n; m++) {
			unsigned char want[DEXF_PATH_MAX][32];
			unsigned char got[DEXF_PATH_MAX][32], r[32];
			dexf_span sp[DEXF_PATH_MAX];
			size_t wl = ref_path(want, 0, m, leaves, n);
			int len = dexf_inclusion_spans(sp, m, n);

			cases++;
			if (len < 0 || (size_t)len != wl) {
				bad_spans++;
				continue;
			}
			for (int i = 0; i < len; i++)
				ref_mth(got[i], leaves + sp[i].first,
				    (size_t)sp[i].count);
			if (memcmp(got, want, wl * 32) != 0)
				bad_spans++;
			if (dexf_inclusion_root(r, leaves[m], m, n,
			    (const unsigned char (*)[32])want, wl) != 0 ||
			    memcmp(r, root, 32) != 0)
				bad_root++;
		}
	}
	CHECK(bad_spans == 0, "%u of %u paths differ from RFC 9162 PATH",
	    bad_spans, cases);
	CHECK(bad_root == 0, "%u of %u paths do not reach the root", bad_root,
	    cases);
	UA_INT(cases, MAXN * (MAXN + 1) / 2);
}

/* Any change to a valid proof reaches no root, or another one. */
static void
altered_proofs_fail_for_every_leaf_of_1_to_70(void)
{
	unsigned missed = 0;

	for (size_t n = 1; n <= MAXN; n++) {
		unsigned char root[32];

		ref_mth(root, leaves, n);
		for (size_t m = 0; m < n; m++) {
			unsigned char p[DEXF_PATH_MAX + 1][32], r[32], leaf[32];
			size_t len = ref_path(p, 0, m, leaves, n);
			const unsigned char (*cp)[32] =
			    (const unsigned char (*)[32])p;

			/* each sibling flipped */
			for (size_t i = 0; i < len; i++) {
				p[i][i % 32] ^= 0x80;
				if (dexf_inclusion_root(r, leaves[m], m, n, cp,
				    len) == 0 && memcmp(r, root, 32) == 0)
					missed++;
				p[i][i % 32] ^= 0x80;
			}
			/* the leaf changed */
			memcpy(leaf, leaves[m], 32);
			leaf[7] ^= 1;
			if (dexf_inclusion_root(r, leaf, m, n, cp, len) == 0 &&
			    memcmp(r, root, 32) == 0)
				missed++;
			/* another leaf index.  (Not another tree size: a
			 * proof for leaf 0 of 5 leaves also fits 6, so the
			 * size must come from a trusted place, the sealed
			 * manifest, as RFC 9162 takes it from the STH.) */
			for (size_t o = 0; o < n + 2; o++)
				if (o != m && dexf_inclusion_root(r, leaves[m],
				    o, n, cp, len) == 0 &&
				    memcmp(r, root, 32) == 0)
					missed++;
			/* a hash too few or too many: no root at all */
			if (len > 0 && dexf_inclusion_root(r, leaves[m], m, n,
			    cp, len - 1) == 0)
				missed++;
			memcpy(p[len], root, 32);
			if (dexf_inclusion_root(r, leaves[m], m, n, cp,
			    len + 1) == 0)
				missed++;
		}
	}
	CHECK(missed == 0, "%u altered proofs were accepted", missed);
}

static void
leaf_outside_the_tree_has_no_path(void)
{
	dexf_span sp[DEXF_PATH_MAX];
	unsigned char r[32];

	UA_INT(dexf_inclusion_spans(sp, 3, 3), -1);
	UA_INT(dexf_inclusion_spans(sp, 0, 0), -1);
	UA_INT(dexf_inclusion_root(r, leaves[0], 5, 5, NULL, 0), -1);
	/* one leaf: empty path, the root is the leaf */
	UA_INT(dexf_inclusion_spans(sp, 0, 1), 0);
	UA_INT(dexf_inclusion_root(r, leaves[0], 0, 1, NULL, 0), 0);
	UA_MEM(r, leaves[0], 32);
	/* the largest trees still have at most 64 levels */
	UA_INT(dexf_inclusion_spans(sp, 0, UINT64_MAX), 64);
	UA_INT(dexf_inclusion_spans(sp, UINT64_MAX - 1, UINT64_MAX), 63);
	UA_INT(dexf_inclusion_spans(sp, 0, (uint64_t)1 << 63), 63);
}

/* FORMAT.md 6.2: chunks "a", "b", "c". */
static void
worked_example_abc(void)
{
	unsigned char l[3][32], p[2][32], r[32], n01[32];
	char hex[65];

	dexf_leaf_hash(l[0], "a", 1);
	dexf_leaf_hash(l[1], "b", 1);
	dexf_leaf_hash(l[2], "c", 1);
	dexf_node_hash(n01, l[0], l[1]);
	/* leaf 0: L1 then L2 */
	memcpy(p[0], l[1], 32);
	memcpy(p[1], l[2], 32);
	UA_INT(dexf_inclusion_root(r, l[0], 0, 3,
	    (const unsigned char (*)[32])p, 2), 0);
	dexf_hex(hex, r, 32);
	UA_STR(hex, "36642e73c2540ab121e3a6bf9545b0a2"
	    "4982cd830eb13d3cd19de3ce6c021ec1");
	/* leaf 2: N01 alone (the right edge skips a level) */
	UA_INT(dexf_inclusion_root(r, l[2], 2, 3,
	    (const unsigned char (*)[32])&n01, 1), 0);
	dexf_hex(hex, r, 32);
	UA_STR(hex, "36642e73c2540ab121e3a6bf9545b0a2"
	    "4982cd830eb13d3cd19de3ce6c021ec1");
	dexf_hex(hex, n01, 32);
	UA_STR(hex, "b137985ff484fb600db93107c77b0365"
	    "c80d78f5b429ded0fd97361d077999eb");
	/* and leaf 2 with leaf 0's path is refused: too long */
	UA_INT(dexf_inclusion_root(r, l[2], 2, 3,
	    (const unsigned char (*)[32])p, 2), -1);
}

/* ------------------------------------------------------------ path sets */

/* Paths gathered while the leaves stream past equal the RFC's, for every
 * range of target leaves of trees up to 20 leaves and for some ranges up
 * to 70. */
static int
pathset_agrees(size_t n, size_t first, size_t last)
{
	dexf_pathset ps;
	unsigned char root[32], want_root[32];
	int ok = 1;

	if (dexf_pathset_init(&ps, n, first, last) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		ok &= dexf_pathset_add(&ps, leaves[i]) == 0;
	ok &= dexf_pathset_add(&ps, leaves[0]) != 0;   /* n + 1: refused */
	ok &= dexf_pathset_finish(&ps, root) == 0;
	ref_mth(want_root, leaves, n);
	ok &= memcmp(root, want_root, 32) == 0;
	for (size_t m = first; ok && m <= last; m++) {
		unsigned char want[DEXF_PATH_MAX][32], got[DEXF_PATH_MAX][32];
		size_t wl = ref_path(want, 0, m, leaves, n);

		ok &= dexf_pathset_path(&ps, m, got) == (int)wl &&
		    memcmp(got, want, wl * 32) == 0;
	}
	/* only the targets have paths */
	if (first > 0)
		ok &= dexf_pathset_path(&ps, first - 1, NULL) == -1;
	if (last + 1 < n)
		ok &= dexf_pathset_path(&ps, last + 1, NULL) == -1;
	dexf_pathset_free(&ps);
	return ok;
}

static void
pathset_matches_rfc_paths(void)
{
	unsigned bad = 0, cases = 0;

	for (size_t n = 1; n <= 20; n++)
		for (size_t a = 0; a < n; a++)
			for (size_t b = a; b < n; b++, cases++)
				bad += !pathset_agrees(n, a, b);
	for (size_t n = 21; n <= MAXN; n++) {
		for (size_t m = 0; m < n; m++, cases++)
			bad += !pathset_agrees(n, m, m);
		bad += !pathset_agrees(n, 0, n - 1);
		bad += !pathset_agrees(n, n / 3, 2 * n / 3);
		bad += !pathset_agrees(n, n / 2, n - 1);
		cases += 3;
	}
	CHECK(bad == 0, "%u of %u path sets differ from RFC 9162", bad, cases);
}

static void
pathset_refuses_bad_ranges(void)
{
	dexf_pathset ps;
	unsigned char root[32];

	UA_INT(dexf_pathset_init(&ps, 5, 3, 2), DEXF_EINVAL);
	UA_INT(dexf_pathset_init(&ps, 5, 0, 5), DEXF_EINVAL);
	UA_INT(dexf_pathset_init(&ps, 0, 0, 0), DEXF_EINVAL);
	/* finishing early is refused: the siblings are not known yet */
	UA_INT(dexf_pathset_init(&ps, 4, 1, 1), 0);
	UA_INT(dexf_pathset_add(&ps, leaves[0]), 0);
	UA_INT(dexf_pathset_finish(&ps, root), -1);
	dexf_pathset_free(&ps);
}

/* ------------------------------------------------------------ merkle.c */

typedef struct seen {
	unsigned bad, count;
	uint64_t n;
} seen;

static void
node_seen(void *ctx, uint64_t first, uint64_t count,
    const unsigned char hash[32])
{
	seen *s = ctx;
	unsigned char want[32];

	s->count++;
	if (count == 0 || first + count > s->n) {
		s->bad++;
		return;
	}
	ref_mth(want, leaves + first, (size_t)count);
	if (memcmp(want, hash, 32) != 0)
		s->bad++;
}

/* Every node the callback reports is the MTH of the leaves it names, and
 * it reports each node of the tree once: 2n - 1 of them. */
static void
merkle_reports_every_node_once(void)
{
	for (uint64_t n = 1; n <= 40; n++) {
		seen s = { 0, 0, n };
		dexf_merkle m;
		unsigned char root[32];

		dexf_merkle_init(&m);
		m.node = node_seen;
		m.node_ctx = &s;
		for (uint64_t i = 0; i < n; i++)
			dexf_merkle_add(&m, leaves[i]);
		dexf_merkle_root(&m, root);
		CHECK(s.bad == 0 && s.count == 2 * n - 1, "tree of %llu leaves: "
		    "%u nodes reported, %u wrong", (unsigned long long)n,
		    s.count, s.bad);
	}
}

/* ------------------------------------------------------------ the API */

static char *dir;

static int
api_init(void)
{
	dexf_writer *w = NULL;
	unsigned char data[3 * 4096 + 100];
	char src[600], out[600];
	int rc;

	init();
	if ((dir = unit_mkdtemp("proof")) == NULL)
		return 1;
	unit_fill_random(data, sizeof(data), 99);
	unit_join(src, sizeof(src), dir, "data.bin");
	unit_join(out, sizeof(out), dir, "c.dexf");
	if (unit_write_file(src, data, sizeof(data)) != 0 ||
	    dexf_writer_new(&w) != 0)
		return 1;
	rc = dexf_writer_set_chunk_size(w, 4096);
	if (rc == 0)
		rc = dexf_writer_set_signer(w, unit_pki("ecdsa256.key"),
		    unit_pki("ecdsa256.pem"), NULL, NULL);
	if (rc == 0)
		rc = dexf_writer_open(w, out, 0);
	if (rc == 0)
		rc = dexf_writer_add_file(w, src, NULL);
	if (rc == 0)
		rc = dexf_writer_finish(w);
	dexf_writer_free(w);
	return rc != 0;
}

static int
api_clean(void)
{
	unit_rmrf(dir);
	free(dir);
	dir = NULL;
	return 0;
}

static void
prove_refuses_bad_requests(void)
{
	dexf_reader *r = NULL;
	char c[600], p[600];

	unit_join(c, sizeof(c), dir, "c.dexf");
	unit_join(p, sizeof(p), dir, "p.dexfp");
	UA_INT(dexf_reader_new(&r), 0);
	UA_INT(dexf_reader_open(r, c), 0);
	UA_INT(dexf_prove(r, "nope", 0, 1, p, 0), DEXF_ENOTFOUND);
	UA_HAS(dexf_reader_errmsg(r), "no item 'nope'");
	UA_INT(dexf_prove(r, "data.bin", 10, 0, p, 0), DEXF_EINVAL);
	UA_HAS(dexf_reader_errmsg(r), "the range 10:0 of item 'data.bin' is "
	    "empty");
	UA_INT(dexf_prove(r, "data.bin", 12388, 1, p, 0), DEXF_EINVAL);
	UA_HAS(dexf_reader_errmsg(r), "range 12388:1 is outside item "
	    "'data.bin' (12388 bytes)");
	UA_INT(dexf_prove(r, "data.bin", 12388, DEXF_TO_END, p, 0),
	    DEXF_EINVAL);
	UA_HAS(dexf_reader_errmsg(r), "starts at or after the end");
	UA_INT(unit_exists(p), 0);
	/* the last byte, to the end */
	UA_INT(dexf_prove(r, "i1", 12387, DEXF_TO_END, p, 0), 0);
	UA_INT(unit_exists(p), 1);
	UA_INT(dexf_prove(r, "data.bin", 0, 1, p, 0), DEXF_EEXISTS);
	UA_INT(dexf_prove(r, "data.bin", 0, 1, p, DEXF_PROVE_FORCE), 0);
	/* no temporary file is left behind */
	UA_INT(unit_count_dir(dir), 3);
	dexf_reader_free(r);
}

static void
proof_verifies_and_gives_the_bytes(void)
{
	dexf_reader *r = NULL;
	dexf_report *rep = NULL;
	dexf_verify_opts o;
	const char *trust[] = { unit_pki("ca.pem") };
	char c[600], p[600], x[600];
	unsigned char *want, *got;
	size_t wl, gl;
	int fd;

	unit_join(c, sizeof(c), dir, "c.dexf");
	unit_join(p, sizeof(p), dir, "q.dexfp");
	unit_join(x, sizeof(x), dir, "bytes");
	UA_INT(dexf_reader_new(&r), 0);
	UA_INT(dexf_reader_open(r, c), 0);
	UA_INT(dexf_prove(r, "data.bin", 4000, 4300, p, 0), 0);
	dexf_reader_free(r);
	memset(&o, 0, sizeof(o));
	o.trust = trust;
	o.ntrust = 1;
	fd = open(x, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	UA(fd >= 0);
	UA_INT(dexf_verify_proof(&rep, p, fd, &o), 0);
	close(fd);
	UA_INT(dexf_report_verdict(rep), DEXF_VERDICT_INTACT_TRUSTED);
	UA_INT(dexf_report_scope(rep)->kind, DEXF_SCOPE_PROOF);
	UA_INT(dexf_report_scope(rep)->chunk_first, 0);
	UA_INT(dexf_report_scope(rep)->chunk_last, 2);
	UA_INT(dexf_report_coverage(rep)->chunks_checked, 3);
	UA_INT(dexf_report_item(rep, 0)->status, DEXF_ITEM_PARTIAL);
	dexf_report_free(rep);
	unit_join(c, sizeof(c), dir, "data.bin");
	want = unit_read_file(c, &wl);
	got = unit_read_file(x, &gl);
	UA(want != NULL && got != NULL && gl == 4300);
	if (want != NULL && got != NULL && gl == 4300)
		UA_MEM(got, want + 4000, 4300);
	free(want);
	free(got);
	/* a container is not a proof, and flags are refused */
	unit_join(c, sizeof(c), dir, "c.dexf");
	UA_INT(dexf_verify_proof(&rep, c, -1, &o), 0);
	UA_INT(dexf_report_verdict(rep), DEXF_VERDICT_UNREADABLE);
	UA_HAS(dexf_report_summary(rep), "a dexf container, not a proof file");
	dexf_report_free(rep);
	o.flags = DEXF_VERIFY_QUICK;
	UA_INT(dexf_verify_proof(&rep, p, -1, &o), DEXF_EINVAL);
	UA(rep == NULL);
}

static void
verify_range_reports_usage_errors(void)
{
	dexf_report *rep = NULL;
	char c[600];

	unit_join(c, sizeof(c), dir, "c.dexf");
	UA_INT(dexf_verify_range(&rep, c, "nope", 0, 1, NULL), DEXF_ENOTFOUND);
	UA_HAS(dexf_report_summary(rep), "no item 'nope'");
	dexf_report_free(rep);
	UA_INT(dexf_verify_range(&rep, c, "data.bin", 5, 0, NULL), DEXF_EINVAL);
	UA_HAS(dexf_report_summary(rep), "is empty");
	dexf_report_free(rep);
	UA_INT(dexf_verify_range(&rep, c, "data.bin", 0, 12389, NULL),
	    DEXF_EINVAL);
	UA_HAS(dexf_report_summary(rep), "range 0:12389 is outside item "
	    "'data.bin' (12388 bytes)");
	dexf_report_free(rep);
	/* the whole item as a range: every chunk, partial status */
	UA_INT(dexf_verify_range(&rep, c, "data.bin", 0, DEXF_TO_END, NULL), 0);
	UA_INT(dexf_report_verdict(rep), DEXF_VERDICT_INTACT_UNTRUSTED);
	UA_INT(dexf_report_coverage(rep)->chunks_checked, 4);
	UA_INT(dexf_report_scope(rep)->length, 12388);
	UA_STR(dexf_scope_name(dexf_report_scope(rep)->kind), "range");
	dexf_report_free(rep);
}

static const unit_test tests[] = {
	{ "paths_match_rfc_for_every_leaf_of_1_to_70",
	    paths_match_rfc_for_every_leaf_of_1_to_70 },
	{ "altered_proofs_fail_for_every_leaf_of_1_to_70",
	    altered_proofs_fail_for_every_leaf_of_1_to_70 },
	{ "leaf_outside_the_tree_has_no_path",
	    leaf_outside_the_tree_has_no_path },
	{ "worked_example_abc", worked_example_abc },
	{ "pathset_matches_rfc_paths", pathset_matches_rfc_paths },
	{ "pathset_refuses_bad_ranges", pathset_refuses_bad_ranges },
	{ "merkle_reports_every_node_once", merkle_reports_every_node_once },
	{ "prove_refuses_bad_requests", prove_refuses_bad_requests },
	{ "proof_verifies_and_gives_the_bytes",
	    proof_verifies_and_gives_the_bytes },
	{ "verify_range_reports_usage_errors",
	    verify_range_reports_usage_errors },
	{ NULL, NULL }
};

int
unit_register_proof(void)
{
	return unit_add_suite("proof", api_init, api_clean, tests);
}
