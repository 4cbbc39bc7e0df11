/*
 * pool.h - worker threads for chunk work (compress + leaf hash).
 *
 * The caller owns ordering: it fills slot i, submits it, and later waits
 * for slot i and consumes it in stream order.  Workers only ever touch a
 * submitted slot.  The linear digests, which must see the stream in
 * order, run one chunk at a time, in order, on a thread of their own or
 * on the worker that has just decoded the next chunk
 * (dexf_pool_set_linear()); writes and the Merkle root stay on the
 * caller's thread, so the output does not depend on the number of threads
 * (nor on which worker took which chunk: each chunk is compressed by a
 * fresh stream).
 */
#ifndef DEXF_POOL_H
#define DEXF_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"

typedef struct dexf_slot {
	unsigned char *in, *out;
	size_t inlen, outlen;
	unsigned char leaf[32];
	uint32_t crc;                 /* CRC-32 of the plaintext (rc ok) */
	int rc;
	/* decode mode: read inlen stored bytes at pos of fd, inflate (if
	 * compressed) to outlen bytes, leaf-hash and compare with want */
	int fd;
	uint64_t pos;
	unsigned char want[32];
	const unsigned char *plain;   /* result: in or out */
	/* Decoding compressed chunks: bytes read with the chunk, from just
	 * after it (the deflate trailer after an item's last chunk: 0 or
	 * DEXF_SLOT_TAIL), into tail; 0 after the read if that failed and
	 * the chunk alone could be read. */
	unsigned tail_len;
	unsigned char tail[2];
	/* Whole-item mode (dexf_pool_submit_item()): the slot is all of an
	 * item, so the worker also computes the item's linear digests, over
	 * the same bytes the linear thread would see, into hex (md_failed on
	 * error); the linear thread skips the slot. */
	unsigned item_hashes;
	int md_failed;
	char hex[DEXF_NHASH][DEXF_HEX_MAX];
} dexf_slot;

#define DEXF_SLOT_TAIL 2

/* slot rc in decode mode */
#define DEXF_SLOT_OK 0
#define DEXF_SLOT_CORRUPT 1     /* does not decompress */
#define DEXF_SLOT_MISMATCH 2    /* leaf differs from the index */
#define DEXF_SLOT_IO 3          /* read failed */

typedef struct dexf_pool dexf_pool;

/* threads <= 1: no worker threads, submit() works inline.  encode: in
 * holds a chunk, out its deflated form (compress) ; decode: the reverse. */
int dexf_pool_new(dexf_pool **out, int threads, uint32_t chunk_size,
	int compress, int level);
int dexf_pool_new_decoder(dexf_pool **out, int threads, uint32_t chunk_size,
	int compressed);
uint32_t dexf_pool_chunk_size(const dexf_pool *p);
void dexf_pool_free(dexf_pool *p);
size_t dexf_pool_slots(const dexf_pool *p);
dexf_slot *dexf_pool_slot(dexf_pool *p, size_t i);
void dexf_pool_submit(dexf_pool *p, size_t i);
/* Submit slot i holding a whole item (one chunk or none, inlen 0): its
 * linear digests (hashes, a dexf_hash mask, not 0) are computed by the
 * worker with the chunk work, so items can be in flight together.  The
 * linear order of other slots is not affected. */
void dexf_pool_submit_item(dexf_pool *p, size_t i, unsigned hashes);
/* Process slot i on the calling thread now, linear work included (for
 * one-chunk items a hand-off costs more than the work); only when no other
 * slot is in flight.  Then wait() as usual. */
void dexf_pool_process_now(dexf_pool *p, size_t i);
/* Wait until slot i is processed; returns its rc (0 ok).  Decoding, a
 * whole-item slot still queued meanwhile is processed by the caller. */
int dexf_pool_wait(dexf_pool *p, size_t i);
/* Wait until no slot is queued or being processed. */
void dexf_pool_drain(dexf_pool *p);
/*
 * Stream-order work: md (the item's linear digests) is fed every slot
 * submitted from now on, in submission order, on a thread of its own when
 * the pool has workers (inline otherwise; decoding, a worker that has just
 * finished the next slot in order does it itself when the turn is free).
 * Encode: the input, while the worker compresses it; decode: the output
 * once the worker is done (a chunk that failed is zeroed first, so the
 * digests can only mismatch).
 * wait() returns a slot only when md is done with it too.  NULL turns it
 * off; call only when no slot is in flight.
 */
void dexf_pool_set_linear(dexf_pool *p, dexf_mdset *md);
/* Nonzero when a digest update failed since linear work was last turned
 * on (turning it off keeps the answer). */
int dexf_pool_linear_failed(const dexf_pool *p);
/* How many slots' linear work a worker did rather than the linear thread,
 * over the pool's life (for the tests). */
size_t dexf_pool_worker_turns(dexf_pool *p);
/* How many slots the caller processed while it waited (for the tests). */
size_t dexf_pool_caller_turns(dexf_pool *p);
/* Online CPUs, at least 1. */
int dexf_online_cpus(void);

#endif
