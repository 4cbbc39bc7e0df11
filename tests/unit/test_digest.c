/*
 * test_digest.c - digest.c: algorithm names, the digest set, leaf and node
 * hashes, against published and FORMAT.md values.
 */
#include "config.h"

#include <stdlib.h>

#include <openssl/evp.h>

#include "digest.h"
#include "util.h"
#include "unit.h"

static void
hash_names_are_the_manifest_tokens(void)
{
	UA_STR(dexf_hash_name(DEXF_HASH_SHA256), "sha256");
	UA_STR(dexf_hash_name(DEXF_HASH_MD5), "md5");
	UA_STR(dexf_hash_name(DEXF_HASH_SHA1), "sha1");
	UA_STR(dexf_hash_name(DEXF_HASH_SHA512), "sha512");
	UA_STR(dexf_hash_name(DEXF_HASH_SHA3_256), "sha3-256");
	UA(dexf_hash_name((dexf_hash)0) == NULL);
	UA(dexf_hash_name((dexf_hash)(DEXF_HASH_SHA256 | DEXF_HASH_MD5)) ==
	    NULL);
	UA(dexf_hash_name((dexf_hash)(1u << 9)) == NULL);
}

static void
hash_from_name_is_case_insensitive(void)
{
	UA_INT(dexf_hash_from_name("sha256"), DEXF_HASH_SHA256);
	UA_INT(dexf_hash_from_name("SHA256"), DEXF_HASH_SHA256);
	UA_INT(dexf_hash_from_name("Sha3-256"), DEXF_HASH_SHA3_256);
	UA_INT(dexf_hash_from_name("MD5"), DEXF_HASH_MD5);
	UA_INT(dexf_hash_from_name("sha-1"), DEXF_HASH_SHA1);
	UA_INT(dexf_hash_from_name("SHA-512"), DEXF_HASH_SHA512);
	UA_INT(dexf_hash_from_name("blake3"), 0);
	UA_INT(dexf_hash_from_name(""), 0);
	UA_INT(dexf_hash_from_name(NULL), 0);
	for (int i = 0; i < DEXF_NHASH; i++)
		UA_INT(dexf_hash_from_name(dexf_hash_name(dexf_hash_at(i))),
		    dexf_hash_at(i));
}

static void
mdset_computes_all_algorithms_for_abc(void)
{
	dexf_mdset s;
	char hex[DEXF_NHASH][DEXF_HEX_MAX];

	UA_INT(dexf_mdset_init(&s, DEXF_HASH_ALL), 0);
	UA_INT(dexf_mdset_update(&s, "a", 1), 0);
	UA_INT(dexf_mdset_update(&s, "bc", 2), 0);
	UA_INT(dexf_mdset_final(&s, hex), 0);
	dexf_mdset_free(&s);
	UA_STR(hex[0], "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	UA_STR(hex[1], "900150983cd24fb0d6963f7d28e17f72");
	UA_STR(hex[2], "a9993e364706816aba3e25717850c26c9cd0d89d");
	UA_STR(hex[3], "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eee"
	    "e64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9a"
	    "c94fa54ca49f");
	UA_STR(hex[4], "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe2"
	    "4511431532");
}

static void
mdset_with_empty_mask_still_computes_sha256(void)
{
	dexf_mdset s;
	char hex[DEXF_NHASH][DEXF_HEX_MAX];

	UA_INT(dexf_mdset_init(&s, 0), 0);
	UA(s.mask & DEXF_HASH_SHA256);
	UA_INT(dexf_mdset_final(&s, hex), 0);
	dexf_mdset_free(&s);
	UA_STR(hex[0], "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	for (int i = 1; i < DEXF_NHASH; i++)
		UA_INT(hex[i][0], '\0');
}

/* FORMAT.md 8.5: item i1, 1.5 MiB of zeros. */
static void
mdset_matches_format_example_zero_image(void)
{
	size_t n = 1572864;
	unsigned char *z = calloc(1, n);
	dexf_mdset s;
	char hex[DEXF_NHASH][DEXF_HEX_MAX];

	if (z == NULL) {
		CU_FAIL("calloc");
		return;
	}
	UA_INT(dexf_mdset_init(&s, DEXF_HASH_MD5 | DEXF_HASH_SHA1), 0);
	/* fed in uneven pieces */
	UA_INT(dexf_mdset_update(&s, z, 1000), 0);
	UA_INT(dexf_mdset_update(&s, z + 1000, n - 1000), 0);
	UA_INT(dexf_mdset_final(&s, hex), 0);
	dexf_mdset_free(&s);
	free(z);
	UA_STR(hex[0], "106f0647ae10a6516b1ab2968038161e"
	    "287ef40d1b22ca047531ed768e594ef1");
	UA_STR(hex[1], "6811c482ead27c0b1165ecfbe996c2b4");
	UA_STR(hex[2], "95823c334fce55968e8d2827ccd1cf77cee19abd");
}

static void
sha256_leaf_and_node_hashes_match_rfc9162(void)
{
	unsigned char md[32], l0[32], l1[32], n01[32];
	char hex[65];

	UA_INT(dexf_sha256(md, "abc", 3), 0);
	dexf_hex(hex, md, 32);
	UA_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	/* FORMAT.md 6.2 */
	UA_INT(dexf_leaf_hash(l0, "a", 1), 0);
	dexf_hex(hex, l0, 32);
	UA_STR(hex, "022a6979e6dab7aa5ae4c3e5e45f7e97"
	    "7112a7e63593820dbec1ec738a24f93c");
	UA_INT(dexf_leaf_hash(l1, "b", 1), 0);
	dexf_hex(hex, l1, 32);
	UA_STR(hex, "57eb35615d47f34ec714cacdf5fd7460"
	    "8a5e8e102724e80b24b287c0c27b6a31");
	UA_INT(dexf_node_hash(n01, l0, l1), 0);
	dexf_hex(hex, n01, 32);
	UA_STR(hex, "b137985ff484fb600db93107c77b0365"
	    "c80d78f5b429ded0fd97361d077999eb");
	/* leaf of nothing = SHA-256(00) */
	UA_INT(dexf_leaf_hash(md, "", 0), 0);
	dexf_hex(hex, md, 32);
	UA_STR(hex, "6e340b9cffb37a989ca544e6bb780a2c"
	    "78901d3fb33738768511a30617afa01d");
}

/* FORMAT.md 5.4: the 33-byte note. */
static void
leaf_hash_matches_format_note_example(void)
{
	static const char note[] = "Seized from desk drawer, room 4.\n";
	unsigned char md[32];
	char hex[65];

	UA_INT(strlen(note), 33);
	UA_INT(dexf_leaf_hash(md, note, 33), 0);
	dexf_hex(hex, md, 32);
	UA_STR(hex, "74da21003c5de089a793e84ff538ce0c"
	    "a622de96c24efc30e0b656581b0ca61b");
	UA_INT(dexf_sha256(md, note, 33), 0);
	dexf_hex(hex, md, 32);
	UA_STR(hex, "76498599bc8d7cd230f67e8964f2dbb1"
	    "ebda38b6ff3018c73129025d6426537f");
}

/* The leaf of an all-zero chunk is reused per length: still SHA-256 of
 * 00 followed by the chunk, for every length, first time and later; and
 * a chunk that is zero but for one byte anywhere gets its own leaf. */
static void
zero_chunk_leaves_are_the_leaves_of_their_bytes(void)
{
	static const size_t lens[] = { 4095, 4096, 4097, 65536, 1 << 20,
	    (1 << 20) - 1, 4096 };
	unsigned char *buf = calloc(1, (1 << 20) + 1);
	unsigned char want[32], got[32], again[32];

	if (buf == NULL) {
		UA(buf != NULL);
		return;
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = lens[i];

		/* buf[0] = 00, then n zero bytes: the leaf by definition */
		UA_INT(dexf_sha256(want, buf, n + 1), 0);
		UA_INT(dexf_leaf_hash(got, buf + 1, n), 0);
		UA_INT(dexf_leaf_hash(again, buf + 1, n), 0);
		UA(memcmp(got, want, 32) == 0);
		UA(memcmp(again, want, 32) == 0);
		for (size_t at = 0; at < n; at += n / 3 + 1) {
			buf[1 + at] = 0x01;
			UA_INT(dexf_leaf_hash(got, buf + 1, n), 0);
			UA(memcmp(got, want, 32) != 0);
			buf[1 + at] = 0x00;
		}
		buf[n] = 0x80;  /* the last byte */
		UA_INT(dexf_leaf_hash(got, buf + 1, n), 0);
		UA(memcmp(got, want, 32) != 0);
		buf[n] = 0x00;
	}
	/* more lengths than the cache holds: still right, first and later */
	for (size_t k = 0; k < 12; k++) {
		size_t n = 4096 + k * 512;

		UA_INT(dexf_sha256(want, buf, n + 1), 0);
		UA_INT(dexf_leaf_hash(got, buf + 1, n), 0);
		UA_INT(dexf_leaf_hash(again, buf + 1, n), 0);
		UA(memcmp(got, want, 32) == 0);
		UA(memcmp(again, want, 32) == 0);
	}
	free(buf);
}

/* Large buffers are hashed a page at a time (digest.c): every algorithm,
 * the one-shot SHA-256 and the leaf hash must still give the digest of
 * the bytes, at lengths around page multiples and at odd addresses,
 * checked against OpenSSL's one-shot EVP_Digest(). */
static void
paged_hashing_gives_the_digest_of_the_bytes(void)
{
	static const size_t lens[] = { 0, 1, 4095, 4096, 4097, 8191, 8192,
	    8193, 12288, 12289, 16383, 16384, 16385, (1 << 20) - 1, 1 << 20,
	    (1 << 20) + 4103 };
	const size_t max = (1 << 20) + 4103 + 3;
	unsigned char *buf = malloc(max + 1);

	if (buf == NULL) {
		UA(buf != NULL);
		return;
	}
	for (size_t i = 0; i < max + 1; i++)
		buf[i] = (unsigned char)((i * 2654435761u) >> 13);
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		for (size_t at = 0; at <= 3; at += 3) {
			const unsigned char *p = buf + 1 + at;
			size_t n = lens[li];
			dexf_mdset s;
			char hex[DEXF_NHASH][DEXF_HEX_MAX], want[DEXF_HEX_MAX];
			unsigned char md[EVP_MAX_MD_SIZE], one[32];
			unsigned int mdlen;

			UA_INT(dexf_mdset_init(&s, DEXF_HASH_ALL), 0);
			UA_INT(dexf_mdset_update(&s, p, n), 0);
			UA_INT(dexf_mdset_final(&s, hex), 0);
			dexf_mdset_free(&s);
			for (int i = 0; i < DEXF_NHASH; i++) {
				const EVP_MD *m = EVP_get_digestbyname(
				    dexf_hash_name(dexf_hash_at(i)));

				UA(m != NULL);
				if (m == NULL)
					continue;
				UA_INT(EVP_Digest(p, n, md, &mdlen, m, NULL),
				    1);
				dexf_hex(want, md, mdlen);
				UA_STR(hex[i], want);
			}
			/* the leaf is SHA-256 of 00 and the bytes: p - 1 is
			 * set to 00 for it */
			UA_INT(dexf_sha256(one, p, n), 0);
			UA_INT(EVP_Digest(p, n, md, &mdlen, EVP_sha256(),
			    NULL), 1);
			UA(memcmp(one, md, 32) == 0);
			buf[at] = 0x00;
			UA_INT(dexf_leaf_hash(one, p, n), 0);
			UA_INT(EVP_Digest(p - 1, n + 1, md, &mdlen,
			    EVP_sha256(), NULL), 1);
			UA(memcmp(one, md, 32) == 0);
		}
	}
	free(buf);
}

static const unit_test tests[] = {
	{ "hash_names_are_the_manifest_tokens",
	    hash_names_are_the_manifest_tokens },
	{ "hash_from_name_is_case_insensitive",
	    hash_from_name_is_case_insensitive },
	{ "mdset_computes_all_algorithms_for_abc",
	    mdset_computes_all_algorithms_for_abc },
	{ "mdset_with_empty_mask_still_computes_sha256",
	    mdset_with_empty_mask_still_computes_sha256 },
	{ "mdset_matches_format_example_zero_image",
	    mdset_matches_format_example_zero_image },
	{ "sha256_leaf_and_node_hashes_match_rfc9162",
	    sha256_leaf_and_node_hashes_match_rfc9162 },
	{ "leaf_hash_matches_format_note_example",
	    leaf_hash_matches_format_note_example },
	{ "zero_chunk_leaves_are_the_leaves_of_their_bytes",
	    zero_chunk_leaves_are_the_leaves_of_their_bytes },
	{ "paged_hashing_gives_the_digest_of_the_bytes",
	    paged_hashing_gives_the_digest_of_the_bytes },
	{ NULL, NULL }
};

int
unit_register_digest(void)
{
	return unit_add_suite("digest", NULL, NULL, tests);
}
