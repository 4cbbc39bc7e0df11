/*
 * digest.c - digests through OpenSSL EVP.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "digest.h"
#include "util.h"

static const struct {
	dexf_hash h;
	const char *name;
} hashes[DEXF_NHASH] = {
	{ DEXF_HASH_SHA256, "sha256" },
	{ DEXF_HASH_MD5, "md5" },
	{ DEXF_HASH_SHA1, "sha1" },
	{ DEXF_HASH_SHA512, "sha512" },
	{ DEXF_HASH_SHA3_256, "sha3-256" },
};

dexf_hash
dexf_hash_at(int i)
{
	return hashes[i].h;
}

const char *
dexf_hash_name(dexf_hash h)
{
	for (int i = 0; i < DEXF_NHASH; i++)
		if (hashes[i].h == h)
			return hashes[i].name;
	return NULL;
}

dexf_hash
dexf_hash_from_name(const char *name)
{
	if (name == NULL)
		return 0;
	for (int i = 0; i < DEXF_NHASH; i++)
		if (strcasecmp(hashes[i].name, name) == 0)
			return hashes[i].h;
	/* common spellings */
	if (strcasecmp(name, "sha-256") == 0)
		return DEXF_HASH_SHA256;
	if (strcasecmp(name, "sha-1") == 0)
		return DEXF_HASH_SHA1;
	if (strcasecmp(name, "sha-512") == 0)
		return DEXF_HASH_SHA512;
	if (strcasecmp(name, "sha3_256") == 0)
		return DEXF_HASH_SHA3_256;
	return 0;
}

/* Each algorithm is fetched once, on first use: OpenSSL 3 looks an
 * implicit EVP_sha256() up in its provider tables at every DigestInit,
 * which costs more than hashing a small file's chunk. */
static const char *const fetch_names[DEXF_NHASH] = {
	"SHA2-256", "MD5", "SHA1", "SHA2-512", "SHA3-256"
};
static dexf_once md_once[DEXF_NHASH] = {
	DEXF_ONCE_INIT, DEXF_ONCE_INIT, DEXF_ONCE_INIT, DEXF_ONCE_INIT,
	DEXF_ONCE_INIT
};
static EVP_MD *md_fetched[DEXF_NHASH];

static void
md_fetch(int i)
{
	md_fetched[i] = EVP_MD_fetch(NULL, fetch_names[i], NULL);
}

static const EVP_MD *
md_for(dexf_hash h)
{
	for (int i = 0; i < DEXF_NHASH; i++) {
		if (hashes[i].h != h)
			continue;
		dexf_once_run(&md_once[i], md_fetch, i);
		if (md_fetched[i] != NULL)
			return md_fetched[i];
	}
	/* not fetchable (a restricted provider): OpenSSL's own answer */
	switch (h) {
	case DEXF_HASH_SHA256: return EVP_sha256();
	case DEXF_HASH_MD5: return EVP_md5();
	case DEXF_HASH_SHA1: return EVP_sha1();
	case DEXF_HASH_SHA512: return EVP_sha512();
	case DEXF_HASH_SHA3_256: return EVP_sha3_256();
	}
	return NULL;
}

int
dexf_mdset_init(dexf_mdset *s, unsigned mask)
{
	memset(s, 0, sizeof(*s));
	s->mask = mask | DEXF_HASH_SHA256;
	for (int i = 0; i < DEXF_NHASH; i++) {
		EVP_MD_CTX *c;

		if (!(s->mask & hashes[i].h))
			continue;
		c = EVP_MD_CTX_new();
		if (c == NULL || EVP_DigestInit_ex(c, md_for(hashes[i].h),
		    NULL) != 1) {
			EVP_MD_CTX_free(c);
			dexf_mdset_free(s);
			return -1;
		}
		s->ctx[i] = c;
	}
	return 0;
}

/*
 * Buffers of more than two pages are hashed 4 KiB at a time (counted from
 * the start, not aligned), the next 4 KiB prefetched first.  Most of what
 * dexf hashes was written by another thread a while before (the linear
 * digests; a stored chunk read by the caller), out of this core's caches,
 * and hardware prefetchers stop at page boundaries: SHA-NI stalled at the
 * start of every page.  Asking for the next page while hashing this one
 * took the linear thread of a full verify from 1.8 to 1.4 s of CPU per
 * 2 GiB (perf samples), and the verify's wall time down by a tenth
 * (bench/RESULTS.md, runs 16 and 17).
 */
#define HASH_PAGE 4096u

static int
update_paged(void *const *ctx, int nctx, const void *p, size_t n)
{
	const unsigned char *q = p;

	for (;;) {
		size_t k = n > 2 * HASH_PAGE ? HASH_PAGE : n;

#if defined(__GNUC__)
		if (k < n)
			for (size_t l = 0; l < HASH_PAGE; l += 64)
				__builtin_prefetch(q + HASH_PAGE + l, 0, 3);
#endif
		for (int i = 0; i < nctx; i++)
			if (ctx[i] != NULL && k > 0 &&
			    EVP_DigestUpdate(ctx[i], q, k) != 1)
				return -1;
		if (k == n)
			return 0;
		q += k;
		n -= k;
	}
}

int
dexf_mdset_update(dexf_mdset *s, const void *p, size_t n)
{
	return update_paged(s->ctx, DEXF_NHASH, p, n);
}

int
dexf_mdset_final(dexf_mdset *s, char hex[DEXF_NHASH][DEXF_HEX_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len;

	for (int i = 0; i < DEXF_NHASH; i++) {
		hex[i][0] = '\0';
		if (s->ctx[i] == NULL)
			continue;
		if (EVP_DigestFinal_ex(s->ctx[i], md, &len) != 1)
			return -1;
		dexf_hex(hex[i], md, len);
	}
	return 0;
}

void
dexf_mdset_free(dexf_mdset *s)
{
	for (int i = 0; i < DEXF_NHASH; i++) {
		EVP_MD_CTX_free(s->ctx[i]);
		s->ctx[i] = NULL;
	}
}

static int
sha256_parts(unsigned char out[32], const void *a, size_t an,
    const void *b, size_t bn, const void *c, size_t cn)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	void *const one[1] = { ctx };
	int ok;

	ok = ctx != NULL &&
	    EVP_DigestInit_ex(ctx, md_for(DEXF_HASH_SHA256), NULL) == 1 &&
	    update_paged(one, 1, a, an) == 0 &&
	    update_paged(one, 1, b, bn) == 0 &&
	    update_paged(one, 1, c, cn) == 0 &&
	    EVP_DigestFinal_ex(ctx, out, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
dexf_sha256(unsigned char out[32], const void *p, size_t n)
{
	return sha256_parts(out, p, n, NULL, 0, NULL, 0);
}

/*
 * Disk images are often mostly unallocated space, whose chunks are all
 * zero.  The leaf of an all-zero chunk depends on its length only, so it
 * is hashed once per length (from real zero bytes) and then reused for
 * chunks checked to be all zero, at memory speed.
 */
#define ZERO_LEAF_MIN 4096
#define ZERO_LEAVES 8

static pthread_mutex_t zero_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	size_t n;
	unsigned char leaf[32];
} zero_leaf[ZERO_LEAVES];

static int
all_zero(const unsigned char *p, size_t n)
{
	static const unsigned char z[16];

	/* the first 16 bytes are zero, and every byte equals the one 16
	 * before it */
	return memcmp(p, z, 16) == 0 && memcmp(p, p + 16, n - 16) == 0;
}

static int
leaf_parts(unsigned char out[32], const void *p, size_t n)
{
	static const unsigned char zero = 0x00;

	return sha256_parts(out, &zero, 1, p, n, NULL, 0);
}

static int
zero_leaf_of(unsigned char out[32], const unsigned char *p, size_t n)
{
	int i;

	pthread_mutex_lock(&zero_mu);
	for (i = 0; i < ZERO_LEAVES && zero_leaf[i].n != 0; i++)
		if (zero_leaf[i].n == n) {
			memcpy(out, zero_leaf[i].leaf, 32);
			pthread_mutex_unlock(&zero_mu);
			return 0;
		}
	pthread_mutex_unlock(&zero_mu);
	/* p is n zero bytes: hash them as any other chunk (outside the lock:
	 * with every entry taken, new lengths are all hashed in full) */
	if (leaf_parts(out, p, n) != 0)
		return -1;
	pthread_mutex_lock(&zero_mu);
	for (i = 0; i < ZERO_LEAVES; i++)
		if (zero_leaf[i].n == 0 || zero_leaf[i].n == n) {
			zero_leaf[i].n = n;
			memcpy(zero_leaf[i].leaf, out, 32);
			break;
		}
	pthread_mutex_unlock(&zero_mu);
	return 0;
}

int
dexf_leaf_hash(unsigned char out[32], const void *p, size_t n)
{
	if (n >= ZERO_LEAF_MIN && all_zero(p, n))
		return zero_leaf_of(out, p, n);
	return leaf_parts(out, p, n);
}

int
dexf_node_hash(unsigned char out[32], const unsigned char l[32],
    const unsigned char r[32])
{
	static const unsigned char one = 0x01;

	return sha256_parts(out, &one, 1, l, 32, r, 32);
}
