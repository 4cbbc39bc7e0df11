/*
 * test_merkle.c - the incremental RFC 9162 Merkle tree hash against a
 * plain recursive reference and the FORMAT.md worked examples.
 */
#include "config.h"

#include <stdlib.h>

#include <openssl/evp.h>

#include "digest.h"
#include "merkle.h"
#include "util.h"
#include "unit.h"

/* ------------------------------------------------------------ reference
 * Written from RFC 9162 section 2.1.1 with OpenSSL directly, sharing no
 * code with the library. */

static void
ref_sha256(unsigned char out[32], const unsigned char *a, size_t an,
    const unsigned char *b, size_t bn, const unsigned char *c, size_t cn)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();

	EVP_DigestInit_ex(x, EVP_sha256(), NULL);
	if (an)
		EVP_DigestUpdate(x, a, an);
	if (bn)
		EVP_DigestUpdate(x, b, bn);
	if (cn)
		EVP_DigestUpdate(x, c, cn);
	EVP_DigestFinal_ex(x, out, NULL);
	EVP_MD_CTX_free(x);
}

/* MTH over data items d[0..n), each given as bytes and length. */
static void
ref_mth(unsigned char out[32], unsigned char *const *d, const size_t *len,
    size_t n)
{
	static const unsigned char zero = 0, one = 1;
	unsigned char l[32], r[32];
	size_t k = 1;

	if (n == 0) {
		ref_sha256(out, NULL, 0, NULL, 0, NULL, 0);
		return;
	}
	if (n == 1) {
		ref_sha256(out, &zero, 1, d[0], len[0], NULL, 0);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	ref_mth(l, d, len, k);
	ref_mth(r, d + k, len + k, n - k);
	ref_sha256(out, &one, 1, l, 32, r, 32);
}

/* Root from the library over data items, going through leaf hashes. */
static int
lib_root(unsigned char out[32], unsigned char *const *d, const size_t *len,
    size_t n)
{
	dexf_merkle m;

	dexf_merkle_init(&m);
	for (size_t i = 0; i < n; i++) {
		unsigned char leaf[32];

		if (dexf_leaf_hash(leaf, d[i], len[i]) != 0 ||
		    dexf_merkle_add(&m, leaf) != 0)
			return -1;
	}
	if (m.leaves != n)
		return -2;
	return dexf_merkle_root(&m, out);
}

static void
root_of_no_leaves_is_sha256_of_empty_string(void)
{
	dexf_merkle m;
	unsigned char root[32];
	char hex[65];

	dexf_merkle_init(&m);
	UA_INT(dexf_merkle_root(&m, root), 0);
	dexf_hex(hex, root, 32);
	UA_STR(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	UA(m.leaves == 0);
}

static void
root_of_one_leaf_is_the_leaf(void)
{
	dexf_merkle m;
	unsigned char leaf[32], root[32];

	dexf_leaf_hash(leaf, "x", 1);
	dexf_merkle_init(&m);
	UA_INT(dexf_merkle_add(&m, leaf), 0);
	UA_INT(dexf_merkle_root(&m, root), 0);
	UA_MEM(root, leaf, 32);
}

/* FORMAT.md 6.2 worked example: chunks "a", "b", "c". */
static void
root_matches_format_worked_example_abc(void)
{
	unsigned char a = 'a', b = 'b', c = 'c';
	unsigned char *d[3] = { &a, &b, &c };
	size_t len[3] = { 1, 1, 1 };
	unsigned char root[32], ref[32];
	char hex[65];

	UA_INT(lib_root(root, d, len, 3), 0);
	dexf_hex(hex, root, 32);
	UA_STR(hex, "36642e73c2540ab121e3a6bf9545b0a2"
	    "4982cd830eb13d3cd19de3ce6c021ec1");
	ref_mth(ref, d, len, 3);
	UA_MEM(root, ref, 32);
	/* and over two leaves: N01 */
	UA_INT(lib_root(root, d, len, 2), 0);
	dexf_hex(hex, root, 32);
	UA_STR(hex, "b137985ff484fb600db93107c77b0365"
	    "c80d78f5b429ded0fd97361d077999eb");
}

static void
root_matches_reference_for_1_to_17_leaves(void)
{
	unsigned char *d[17];
	size_t len[17];
	unsigned char buf[17][40];

	for (int i = 0; i < 17; i++) {
		unit_fill_random(buf[i], sizeof(buf[i]), (uint32_t)(i + 1));
		d[i] = buf[i];
		len[i] = (size_t)(i % 5) * 8 + 1;
	}
	for (size_t n = 1; n <= 17; n++) {
		unsigned char root[32], ref[32];
		char what[64];

		UA_INT(lib_root(root, d, len, n), 0);
		ref_mth(ref, d, len, n);
		snprintf(what, sizeof(what), "MTH over %zu leaves matches the "
		    "reference", n);
		CU_assertImplementation(memcmp(root, ref, 32) == 0 ? CU_TRUE :
		    CU_FALSE, __LINE__, what, __FILE__, "", CU_FALSE);
	}
}

static void
three_leaves_are_not_padded_to_four(void)
{
	unsigned char a = 'a', b = 'b', c = 'c';
	unsigned char *d3[3] = { &a, &b, &c }, *d4[4] = { &a, &b, &c, &c };
	size_t len[4] = { 1, 1, 1, 1 };
	unsigned char r3[32], r4[32];

	UA_INT(lib_root(r3, d3, len, 3), 0);
	UA_INT(lib_root(r4, d4, len, 4), 0);
	UA(memcmp(r3, r4, 32) != 0);
}

static void
root_matches_reference_for_many_leaves(void)
{
	static const size_t counts[] = { 31, 32, 33, 63, 64, 65, 100, 255,
	    256, 257, 1000, 1025 };
	unsigned char *d[1025];
	size_t len[1025];
	unsigned char *pool = malloc(1025 * 4);

	if (pool == NULL) {
		CU_FAIL("malloc");
		return;
	}
	unit_fill_random(pool, 1025 * 4, 77);
	for (int i = 0; i < 1025; i++) {
		d[i] = pool + 4 * i;
		len[i] = 4;
	}
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		unsigned char root[32], ref[32];
		char what[64];

		UA_INT(lib_root(root, d, len, counts[c]), 0);
		ref_mth(ref, d, len, counts[c]);
		snprintf(what, sizeof(what), "MTH over %zu leaves matches the "
		    "reference", counts[c]);
		CU_assertImplementation(memcmp(root, ref, 32) == 0 ? CU_TRUE :
		    CU_FALSE, __LINE__, what, __FILE__, "", CU_FALSE);
	}
	free(pool);
}

static void
root_can_be_taken_repeatedly_while_adding(void)
{
	unsigned char *d[9];
	size_t len[9];
	unsigned char buf[9][8];
	dexf_merkle m;

	dexf_merkle_init(&m);
	for (size_t i = 0; i < 9; i++) {
		unsigned char leaf[32], root[32], ref[32];

		unit_fill_random(buf[i], 8, (uint32_t)(100 + i));
		d[i] = buf[i];
		len[i] = 8;
		dexf_leaf_hash(leaf, d[i], 8);
		UA_INT(dexf_merkle_add(&m, leaf), 0);
		UA_INT(dexf_merkle_root(&m, root), 0);
		ref_mth(ref, d, len, i + 1);
		UA_MEM(root, ref, 32);
	}
}

/* FORMAT.md 8.5: 1.5 MiB of zeros in 1 MiB chunks, and 5.4's note. */
static void
root_matches_format_manifest_examples(void)
{
	unsigned char *z = calloc(1, 1u << 20);
	unsigned char *d[2];
	size_t len[2] = { 1u << 20, 1u << 19 };
	unsigned char root[32];
	static const char note[] = "Seized from desk drawer, room 4.\n";
	unsigned char *dn[1] = { (unsigned char *)(uintptr_t)note };
	size_t ln[1] = { 33 };
	char hex[65];

	if (z == NULL) {
		CU_FAIL("calloc");
		return;
	}
	d[0] = d[1] = z;
	UA_INT(lib_root(root, d, len, 2), 0);
	dexf_hex(hex, root, 32);
	UA_STR(hex, "6799c74905190984a83214f146b9b5de"
	    "7994656b8ec493b48a92b99f45aea0c3");
	UA_INT(lib_root(root, dn, ln, 1), 0);
	dexf_hex(hex, root, 32);
	UA_STR(hex, "74da21003c5de089a793e84ff538ce0c"
	    "a622de96c24efc30e0b656581b0ca61b");
	free(z);
}

static const unit_test tests[] = {
	{ "root_of_no_leaves_is_sha256_of_empty_string",
	    root_of_no_leaves_is_sha256_of_empty_string },
	{ "root_of_one_leaf_is_the_leaf", root_of_one_leaf_is_the_leaf },
	{ "root_matches_format_worked_example_abc",
	    root_matches_format_worked_example_abc },
	{ "root_matches_reference_for_1_to_17_leaves",
	    root_matches_reference_for_1_to_17_leaves },
	{ "three_leaves_are_not_padded_to_four",
	    three_leaves_are_not_padded_to_four },
	{ "root_matches_reference_for_many_leaves",
	    root_matches_reference_for_many_leaves },
	{ "root_can_be_taken_repeatedly_while_adding",
	    root_can_be_taken_repeatedly_while_adding },
	{ "root_matches_format_manifest_examples",
	    root_matches_format_manifest_examples },
	{ NULL, NULL }
};

int
unit_register_merkle(void)
{
	return unit_add_suite("merkle", NULL, NULL, tests);
}
