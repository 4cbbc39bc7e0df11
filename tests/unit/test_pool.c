/*
 * test_pool.c - the chunk worker pool (pool.c): how many slots a pool
 * keeps in flight, and what a decoder slot hands back for a good, a
 * damaged and an unreadable chunk, with workers taking chunks out of
 * order and reading them into buffers of their own.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "chunk.h"
#include "digest.h"
#include "pool.h"
#include "unit.h"

#define CHUNK 65536u
#define NCH 64
#define BAD 5                   /* the damaged chunk */

typedef struct {
	char *dir;
	int fd;
	uint64_t pos[NCH];
	size_t len[NCH];
	unsigned char *plain;         /* NCH * CHUNK bytes, as written */
	unsigned char leaf[NCH][32];
} chunks;

/* Chunk i: random bytes, or text-like bytes that deflate well, so the
 * workers' inputs differ in size and content. */
static void
fill_chunk(unsigned char *p, int i)
{
	unit_fill_random(p, CHUNK, 1000u + (uint32_t)i);
	if (i % 2 == 0)
		for (size_t k = 0; k < CHUNK; k++)
			p[k] = (unsigned char)("evidence log line "[p[k] % 18]);
}

/*
 * NCH chunks into one file, deflated (compress) or stored.  The BAD
 * chunk is damaged after its leaf is taken: deflated, it is all 0xff (a
 * reserved block type, which no inflater accepts); stored, one byte is
 * flipped (its leaf no longer matches).
 */
static int
make_chunks(chunks *c, int compress)
{
	dexf_codec *codec = NULL;
	unsigned char *out = malloc(dexf_chunk_stored_max(CHUNK));
	uint64_t at = 0;
	char path[512];
	int rc = -1;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->plain = malloc((size_t)NCH * CHUNK);
	if (out == NULL || c->plain == NULL ||
	    (c->dir = unit_mkdtemp("pool")) == NULL ||
	    dexf_codec_new(&codec, 1) != 0)
		goto out;
	unit_join(path, sizeof(path), c->dir, "chunks");
	if ((c->fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		goto out;
	for (int i = 0; i < NCH; i++) {
		unsigned char *p = c->plain + (size_t)i * CHUNK;
		size_t n = CHUNK;

		fill_chunk(p, i);
		if (dexf_leaf_hash(c->leaf[i], p, CHUNK) != 0)
			goto out;
		if (compress) {
			if (dexf_chunk_deflate(codec, p, CHUNK, out,
			    dexf_chunk_stored_max(CHUNK), &n) != 0)
				goto out;
		} else {
			memcpy(out, p, CHUNK);
		}
		if (i == BAD) {
			if (compress)
				memset(out, 0xff, n);
			else
				out[CHUNK / 2] ^= 0x5a;
		}
		if (pwrite(c->fd, out, n, (off_t)at) != (ssize_t)n)
			goto out;
		c->pos[i] = at;
		c->len[i] = n;
		at += n;
	}
	rc = 0;
out:
	dexf_codec_free(codec);
	free(out);
	return rc;
}

static void
free_chunks(chunks *c)
{
	if (c->fd >= 0)
		close(c->fd);
	unit_rmrf(c->dir);
	free(c->dir);
	free(c->plain);
}

static void
slots_in_flight(void)
{
	dexf_pool *p = NULL;

	/* decoding: sixteen per worker and two, up to 32 MiB of plaintext */
	UA_INT(dexf_pool_new_decoder(&p, 2, 64u << 10, 1), 0);
	if (p != NULL)
		UA_INT(dexf_pool_slots(p), 34);
	dexf_pool_free(p);
	UA_INT(dexf_pool_new_decoder(&p, 3, 1u << 20, 1), 0);
	if (p != NULL)
		UA_INT(dexf_pool_slots(p), 32);
	dexf_pool_free(p);
	UA_INT(dexf_pool_new_decoder(&p, 2, 4u << 20, 0), 0);
	if (p != NULL)
		UA_INT(dexf_pool_slots(p), 8);
	dexf_pool_free(p);
	/* big chunks: never fewer than two per worker and two */
	UA_INT(dexf_pool_new_decoder(&p, 2, 16u << 20, 1), 0);
	if (p != NULL)
		UA_INT(dexf_pool_slots(p), 6);
	dexf_pool_free(p);
	/* encoding: two per worker and two */
	UA_INT(dexf_pool_new(&p, 2, 1u << 20, 1, 1), 0);
	if (p != NULL)
		UA_INT(dexf_pool_slots(p), 6);
	dexf_pool_free(p);
	/* one thread: no workers, one slot */
	UA_INT(dexf_pool_new_decoder(&p, 1, 1u << 20, 1), 0);
	if (p != NULL)
		UA_INT(dexf_pool_slots(p), 1);
	dexf_pool_free(p);
}

/*
 * Every chunk through a decoder pool, in a window as the reader uses it,
 * with the linear digest on.  The last slot points past the end of the
 * file (unreadable).  Each slot must come back with its own verdict and
 * its plaintext in memory of its own (a worker's read buffer is its next
 * chunk's), the damaged one zeroed, and the linear digest must be that of
 * the stream with the damaged chunk zeroed, up to the unreadable one.
 */
static void
decode_window(int compress, int threads)
{
	const int n = NCH + 1;
	chunks c;
	dexf_pool *p = NULL;
	dexf_mdset md;
	char hex[DEXF_NHASH][DEXF_HEX_MAX], want[65];
	unsigned char *expect = NULL;
	uint64_t rd = 0, wr = 0;
	size_t ns;

	if (make_chunks(&c, compress) != 0) {
		EXPECT(0, "cannot write the chunks");
		free_chunks(&c);
		return;
	}
	UA_INT(dexf_pool_new_decoder(&p, threads, CHUNK, compress), 0);
	UA_INT(dexf_mdset_init(&md, DEXF_HASH_SHA256), 0);
	if (p == NULL)
		goto out;
	ns = dexf_pool_slots(p);
	dexf_pool_set_linear(p, &md);
	while (wr < (uint64_t)n) {
		dexf_slot *sl;
		int i, rc;

		for (; rd < (uint64_t)n && rd - wr < ns; rd++) {
			i = (int)rd;
			sl = dexf_pool_slot(p, rd % ns);
			sl->fd = c.fd;
			if (i < NCH) {
				sl->pos = c.pos[i];
				sl->inlen = c.len[i];
				memcpy(sl->want, c.leaf[i], 32);
				/* the bytes after it come along (after
				 * the last chunk: none, the file ends) */
				sl->tail_len = DEXF_SLOT_TAIL;
			} else {
				sl->pos = c.pos[NCH - 1] + c.len[NCH - 1] +
				    4096;
				sl->inlen = 100;
				memset(sl->want, 0, 32);
			}
			sl->outlen = CHUNK;
			dexf_pool_submit(p, rd % ns);
		}
		i = (int)wr;
		sl = dexf_pool_slot(p, wr % ns);
		rc = dexf_pool_wait(p, wr % ns);
		UA_INT(rc, i == NCH ? DEXF_SLOT_IO : i != BAD ? DEXF_SLOT_OK :
		    compress ? DEXF_SLOT_CORRUPT : DEXF_SLOT_MISMATCH);
		if (i < NCH) {
			unsigned char next[DEXF_SLOT_TAIL];
			int more = compress && i + 1 < NCH;

			/* a tail only when decoding deflate, and only
			 * where the file has the bytes */
			UA_INT(sl->tail_len, more ? DEXF_SLOT_TAIL : 0);
			if (more && pread(c.fd, next, sizeof(next),
			    (off_t)c.pos[i + 1]) == (ssize_t)sizeof(next))
				EXPECT(memcmp(sl->tail, next, sizeof(next)) ==
				    0, "chunk %d: the tail is the next "
				    "chunk's first bytes", i);
		}
		EXPECT(sl->plain == (compress ? sl->out : sl->in),
		    "chunk %d (%s, %d threads): the plaintext is in the "
		    "slot's own buffer", i, compress ? "deflate" : "store",
		    threads);
		if (i < NCH && sl->plain == (compress ? sl->out : sl->in)) {
			unsigned char *z = calloc(1, CHUNK);

			EXPECT(z != NULL && memcmp(sl->plain, i == BAD ? z :
			    c.plain + (size_t)i * CHUNK, CHUNK) == 0,
			    "chunk %d (%s, %d threads): %s", i, compress ?
			    "deflate" : "store", threads, i == BAD ?
			    "zeroed" : "the bytes written");
			free(z);
		}
		wr++;
	}
	dexf_pool_set_linear(p, NULL);
	/* a stream's chunks are never the waiting caller's */
	UA_INT(dexf_pool_caller_turns(p), 0);
	/* the first chunk is always a worker's turn: the linear thread
	 * waits for it, and nobody holds the turn yet */
	if (threads > 1)
		EXPECT(dexf_pool_worker_turns(p) > 0, "%s, %d threads: a "
		    "worker hashed the chunk it decoded into the linear "
		    "digests", compress ? "deflate" : "store", threads);
	UA_INT(dexf_mdset_final(&md, hex), 0);
	if ((expect = malloc((size_t)NCH * CHUNK)) != NULL) {
		memcpy(expect, c.plain, (size_t)NCH * CHUNK);
		memset(expect + (size_t)BAD * CHUNK, 0, CHUNK);
		unit_sha256_hex(want, expect, (size_t)NCH * CHUNK);
		UA_STR(hex[0], want);
	}
out:
	dexf_mdset_free(&md);
	dexf_pool_free(p);
	free(expect);
	free_chunks(&c);
}

static void
deflated_chunks_with_workers(void)
{
	decode_window(1, 3);
}

static void
stored_chunks_with_workers(void)
{
	decode_window(0, 3);
}

static void
deflated_chunks_on_one_thread(void)
{
	decode_window(1, 1);
}

/*
 * The linear digests take the chunks in stream order whoever hashes them:
 * the linear thread, or the worker that has just decoded the next chunk.
 * Chunks of 64 KiB (stored ones fastest) come back often, so the turns
 * meet often; many rounds with 2 to 4 threads give a broken hand-over
 * (two hashing at once, one overtaking the other) many chances to show
 * in the digest.
 */
static void
linear_order_holds_under_contention(void)
{
	for (int round = 0; round < 8; round++)
		for (int threads = 2; threads <= 4; threads++)
			decode_window(round % 2, threads);
}

/*
 * Whole-item slots (one chunk each, its own digests on the thread that
 * decodes it), a window of them submitted before the first wait: the
 * caller, waiting for the oldest, decodes queued ones itself.  Each slot
 * still comes back with its own verdict, plaintext and digest.
 */
static void
whole_items_taken_by_the_waiting_caller(void)
{
	chunks c;
	dexf_pool *p = NULL;
	uint64_t rd = 0, wr = 0;
	size_t ns;

	if (make_chunks(&c, 1) != 0) {
		EXPECT(0, "cannot write the chunks");
		free_chunks(&c);
		return;
	}
	UA_INT(dexf_pool_new_decoder(&p, 2, CHUNK, 1), 0);
	if (p == NULL)
		goto out;
	ns = dexf_pool_slots(p);
	while (wr < NCH) {
		dexf_slot *sl;
		unsigned char *z;
		char want[65];
		int i;

		for (; rd < NCH && rd - wr < ns; rd++) {
			sl = dexf_pool_slot(p, rd % ns);
			sl->fd = c.fd;
			sl->pos = c.pos[rd];
			sl->inlen = c.len[rd];
			sl->outlen = CHUNK;
			memcpy(sl->want, c.leaf[rd], 32);
			dexf_pool_submit_item(p, rd % ns, DEXF_HASH_SHA256);
		}
		i = (int)wr;
		sl = dexf_pool_slot(p, wr % ns);
		UA_INT(dexf_pool_wait(p, wr % ns), i != BAD ? DEXF_SLOT_OK :
		    DEXF_SLOT_CORRUPT);
		UA_INT(sl->md_failed, 0);
		z = calloc(1, CHUNK);
		if (z != NULL) {
			const unsigned char *b = i == BAD ? z :
			    c.plain + (size_t)i * CHUNK;

			EXPECT(memcmp(sl->plain, b, CHUNK) == 0, "item %d: %s",
			    i, i == BAD ? "zeroed" : "the bytes written");
			unit_sha256_hex(want, b, CHUNK);
			UA_STR(sl->hex[0], want);
			free(z);
		}
		wr++;
	}
	EXPECT(dexf_pool_caller_turns(p) > 0, "the caller decoded some "
	    "items itself (%zu)", dexf_pool_caller_turns(p));
out:
	dexf_pool_free(p);
	free_chunks(&c);
}

static const unit_test tests[] = {
	{ "slots_in_flight", slots_in_flight },
	{ "deflated_chunks_with_workers", deflated_chunks_with_workers },
	{ "stored_chunks_with_workers", stored_chunks_with_workers },
	{ "deflated_chunks_on_one_thread", deflated_chunks_on_one_thread },
	{ "linear_order_holds_under_contention",
	    linear_order_holds_under_contention },
	{ "whole_items_taken_by_the_waiting_caller",
	    whole_items_taken_by_the_waiting_caller },
	{ NULL, NULL }
};

int
unit_register_pool(void)
{
	return unit_add_suite("pool", NULL, NULL, tests);
}
