/*
 * pool.c - a fixed set of worker threads processing chunk slots.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "chunk.h"
#include "digest.h"
#include "pool.h"
#include "util.h"

enum { S_FREE, S_QUEUED, S_BUSY, S_DONE };
#define W_NONE ((size_t)-1)
#define W_ALL ((size_t)-2)

/* What a thread needs of its own to process a slot: its codec and, when
 * decoding compressed chunks, the buffer the stored bytes are read into
 * (only the plaintext has to stay with the slot until it is consumed). */
typedef struct tctx {
	dexf_codec *codec;
	unsigned char *in;
} tctx;

typedef struct worker {
	pthread_t tid;
	tctx t;
	struct dexf_pool *pool;
} worker;

struct dexf_pool {
	pthread_mutex_t mu;
	/* work: for workers; lin_work: for the linear thread; done: for
	 * the caller.  Each wakes only whom it concerns. */
	pthread_cond_t work, lin_work, done;
	dexf_slot *slots;
	int *state;
	size_t nslots;
	size_t *queue, qhead, qlen;
	worker *workers;
	int nworkers, started, stop;
	/* linear (stream-order) work: its own FIFO of slots and thread */
	dexf_mdset *lin_md;
	size_t *lq, lqhead, lqlen;
	unsigned char *lin_done;
	/* someone (the linear thread or a worker) is hashing the slot
	 * taken last from the linear FIFO: the next must wait for it */
	int lin_busy;
	size_t worker_turns;          /* of those, taken by a worker */
	size_t caller_turns;          /* slots the caller processed waiting */
	int lin_failed, lin_started;
	/* what the caller sleeps on: a slot, every slot (drain) or nothing;
	 * a finished slot wakes it only if it is that one */
	size_t waiting;
	pthread_t lin_tid;
	tctx inl;                     /* the caller's thread */
	uint32_t chunk_size;
	int compress;
	int decode;
};

int
dexf_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* A worker or the linear thread is done with slot i (p->mu held): wake
 * the caller if it waits for that slot (or drains) and the slot is now
 * finished on both sides.  A wake-up for every slot made the caller run
 * once per chunk or small item to go back to sleep.  Draining, the last
 * event before idle is always such a finish. */
static void
wake_caller(dexf_pool *p, size_t i)
{
	if ((p->waiting == i || p->waiting == W_ALL) &&
	    p->state[i] == S_DONE && p->lin_done[i])
		pthread_cond_signal(&p->done);
}

/* Decoding compressed chunks, each thread reads the stored bytes into a
 * buffer of its own, and a slot holds only the plaintext. */
static int
reads_per_thread(const dexf_pool *p)
{
	return p->decode && p->compress;
}

/* The linear work for slot s into md (caller holds no lock). */
static int
linear_into(dexf_pool *p, dexf_slot *s, dexf_mdset *md)
{
	if (!p->decode)
		return dexf_mdset_update(md, s->in, s->inlen);
	if (s->rc == DEXF_SLOT_IO)
		return 0; /* the scan stops at this slot */
	if (s->rc != DEXF_SLOT_OK)
		memset((unsigned char *)(uintptr_t)s->plain, 0, s->outlen);
	return dexf_mdset_update(md, s->plain, s->outlen);
}

static int
linear(dexf_pool *p, dexf_slot *s)
{
	return linear_into(p, s, p->lin_md);
}

/* Whole-item mode: the item's own digests, on the worker. */
static void
item_digests(dexf_pool *p, dexf_slot *s)
{
	dexf_mdset md;

	s->md_failed = 1;
	memset(s->hex, 0, sizeof(s->hex));
	if (dexf_mdset_init(&md, s->item_hashes) != 0)
		return;
	if ((p->decode && s->rc == DEXF_SLOT_IO) ||
	    (s->inlen > 0 && linear_into(p, s, &md) != 0) ||
	    dexf_mdset_final(&md, s->hex) != 0) {
		dexf_mdset_free(&md);
		return;
	}
	dexf_mdset_free(&md);
	s->md_failed = 0;
}

static void
process_decode(dexf_pool *p, tctx *t, dexf_slot *s)
{
	unsigned char *in = reads_per_thread(p) ? t->in : s->in;

	/* The plaintext is the slot's, whatever happens: the thread's input
	 * buffer is its next chunk's once this one is done, and a chunk
	 * that failed is zeroed and hashed from here later. */
	s->plain = p->compress ? s->out : s->in;
	if (!p->compress)
		s->tail_len = 0;
	/* the tail in the same read; if that fails, the chunk alone (the
	 * caller then reads the tail itself, and sees why it cannot) */
	if (dexf_pread_full(s->fd, in, s->inlen + s->tail_len, s->pos) != 0) {
		s->tail_len = 0;
		if (dexf_pread_full(s->fd, in, s->inlen, s->pos) != 0) {
			s->rc = DEXF_SLOT_IO;
			return;
		}
	}
	memcpy(s->tail, in + s->inlen, s->tail_len);
	if (p->compress && dexf_chunk_inflate(t->codec, in, s->inlen, s->out,
	    s->outlen) != 0) {
		s->rc = DEXF_SLOT_CORRUPT;
		return;
	}
	if (dexf_leaf_hash(s->leaf, s->plain, s->outlen) != 0) {
		s->rc = DEXF_SLOT_IO;
		return;
	}
	s->rc = memcmp(s->leaf, s->want, 32) == 0 ? DEXF_SLOT_OK :
	    DEXF_SLOT_MISMATCH;
	if (s->rc == DEXF_SLOT_OK)
		s->crc = dexf_crc32(0, s->plain, s->outlen);
}

static void
process_encode(dexf_pool *p, dexf_codec *c, dexf_slot *s)
{
	s->rc = 0;
	if (dexf_leaf_hash(s->leaf, s->in, s->inlen) != 0) {
		s->rc = -1;
		return;
	}
	s->crc = dexf_crc32(0, s->in, s->inlen);
	if (p->compress) {
		if (dexf_chunk_deflate(c, s->in, s->inlen, s->out,
		    dexf_chunk_stored_max(p->chunk_size), &s->outlen) != 0)
			s->rc = -1;
	} else {
		s->outlen = s->inlen;
	}
}

static void
process(dexf_pool *p, tctx *t, dexf_slot *s)
{
	if (p->decode) {
		process_decode(p, t, s);
	} else if (s->inlen > 0 || s->item_hashes == 0) {
		process_encode(p, t->codec, s);
	} else {
		/* an empty item has no chunk */
		s->rc = 0;
		s->outlen = 0;
		s->crc = 0;
	}
	if (s->item_hashes != 0)
		item_digests(p, s);
}

/* Hash the head of the linear FIFO into the linear digests (p->mu held,
 * the head ready, nobody else hashing; the lock is dropped meanwhile).
 * One turn at a time keeps the stream order. */
static void
linear_turn(dexf_pool *p)
{
	size_t i = p->lq[p->lqhead];

	p->lqhead = (p->lqhead + 1) % p->nslots;
	p->lqlen--;
	p->lin_busy = 1;
	pthread_mutex_unlock(&p->mu);
	if (p->lin_md != NULL && linear(p, &p->slots[i]) != 0)
		p->lin_failed = 1;
	pthread_mutex_lock(&p->mu);
	p->lin_done[i] = 1;
	p->lin_busy = 0;
	wake_caller(p, i);
}

/* Slot i is processed (p->mu held, by a worker or the caller). */
static void
finished(dexf_pool *p, size_t i)
{
	p->state[i] = S_DONE;
	wake_caller(p, i);
	if (!p->decode || p->lqlen == 0 || p->lq[p->lqhead] != i)
		return;
	/*
	 * This output is the next the linear digests need.  If nobody is
	 * hashing, the thread that decoded it does it now, while the
	 * plaintext it has just written and hashed is still in its core's
	 * cache: the linear thread reads it from another core's, at 1.3
	 * times the CPU per byte (perf).  Otherwise the linear thread takes
	 * it in turn.
	 */
	if (p->lin_busy)
		return;
	linear_turn(p);
	p->worker_turns++;
	/* the next outputs may be waiting already */
	if (p->lqlen > 0 && p->state[p->lq[p->lqhead]] == S_DONE)
		pthread_cond_signal(&p->lin_work);
}

/* Take the oldest queued slot and process it with thread context t (p->mu
 * held, dropped meanwhile): a worker's loop, and a waiting caller's. */
static void
take_head(dexf_pool *p, tctx *t)
{
	size_t i = p->queue[p->qhead];

	p->qhead = (p->qhead + 1) % p->nslots;
	p->qlen--;
	p->state[i] = S_BUSY;
	pthread_mutex_unlock(&p->mu);
	process(p, t, &p->slots[i]);
	pthread_mutex_lock(&p->mu);
	finished(p, i);
}

static void *
run_linear(void *arg)
{
	dexf_pool *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		/* encode: the input is ready at submit; decode: wait for
		 * the worker's output */
		while (!p->stop && (p->lqlen == 0 || p->lin_busy ||
		    (p->decode && p->state[p->lq[p->lqhead]] != S_DONE)))
			pthread_cond_wait(&p->lin_work, &p->mu);
		if (p->stop)
			break;
		linear_turn(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void *
run(void *arg)
{
	worker *wk = arg;
	dexf_pool *p = wk->pool;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->qlen == 0 && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop)
			break;
		take_head(p, &wk->t);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int pool_new(dexf_pool **out, int threads, uint32_t chunk_size,
	int compress, int level, int decode);

static int
tctx_init(tctx *t, const dexf_pool *p, int level)
{
	if (dexf_codec_new(&t->codec, level) != 0)
		return -1;
	if (reads_per_thread(p) && (t->in = malloc(
	    dexf_chunk_stored_max(p->chunk_size) + DEXF_SLOT_TAIL)) == NULL)
		return -1;
	return 0;
}

static void
tctx_free(tctx *t)
{
	dexf_codec_free(t->codec);
	free(t->in);
	t->codec = NULL;
	t->in = NULL;
}

/*
 * Slots in flight.  Enough to keep every worker busy while the caller
 * reads ahead and writes behind.  Decoding, the chunks are taken back in
 * stream order, so one slow chunk (text inflates several times slower than
 * random data) holds up the linear digests and every chunk after it, and
 * a run of fast ones (zeros) lets the workers outrun the linear digests: a
 * deeper window keeps the workers busy meanwhile, as far as its plaintext
 * buffers fit in DEEP_BYTES.  The 2 GiB bench image, 2 workers: 14 slots
 * left a core idle 7% of the time; 32 took its verify from 2.59 to 2.52 s
 * (10 interleaved runs), for 19 MiB more at the peak.
 */
#define DEEP_BYTES (32u << 20)

static size_t
window(int nworkers, uint32_t chunk_size, int decode)
{
	size_t n = (size_t)nworkers * 2 + 2, deep;

	if (nworkers == 0)
		return 1;
	if (!decode)
		return n;
	deep = (size_t)nworkers * 16 + 2;
	if (deep > DEEP_BYTES / chunk_size)
		deep = DEEP_BYTES / chunk_size;
	return deep > n ? deep : n;
}

int
dexf_pool_new(dexf_pool **out, int threads, uint32_t chunk_size,
    int compress, int level)
{
	return pool_new(out, threads, chunk_size, compress, level, 0);
}

int
dexf_pool_new_decoder(dexf_pool **out, int threads, uint32_t chunk_size,
    int compressed)
{
	return pool_new(out, threads, chunk_size, compressed, 1, 1);
}

uint32_t
dexf_pool_chunk_size(const dexf_pool *p)
{
	return p->chunk_size;
}

static int
pool_new(dexf_pool **out, int threads, uint32_t chunk_size, int compress,
    int level, int decode)
{
	dexf_pool *p;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->lin_work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->waiting = W_NONE;
	p->chunk_size = chunk_size;
	p->compress = compress;
	p->decode = decode;
	p->nworkers = threads > 1 ? threads : 0;
	p->nslots = window(p->nworkers, chunk_size, decode);
	p->slots = calloc(p->nslots, sizeof(*p->slots));
	p->state = calloc(p->nslots, sizeof(*p->state));
	p->queue = calloc(p->nslots, sizeof(*p->queue));
	p->lq = calloc(p->nslots, sizeof(*p->lq));
	p->lin_done = calloc(p->nslots, 1);
	if (p->slots == NULL || p->state == NULL || p->queue == NULL ||
	    p->lq == NULL || p->lin_done == NULL)
		goto fail;
	for (size_t i = 0; i < p->nslots; i++) {
		size_t inlen = decode ? dexf_chunk_stored_max(chunk_size) :
		    chunk_size;
		size_t outlen = decode ? chunk_size :
		    dexf_chunk_stored_max(chunk_size);

		p->slots[i].in = reads_per_thread(p) ? NULL : malloc(inlen);
		p->slots[i].out = compress ? malloc(outlen) : NULL;
		if ((!reads_per_thread(p) && p->slots[i].in == NULL) ||
		    (compress && !p->slots[i].out))
			goto fail;
	}
	if (tctx_init(&p->inl, p, level) != 0)
		goto fail;
	if (p->nworkers == 0) {
		*out = p;
		return 0;
	}
	p->workers = calloc((size_t)p->nworkers, sizeof(*p->workers));
	if (p->workers == NULL)
		goto fail;
	for (int i = 0; i < p->nworkers; i++) {
		p->workers[i].pool = p;
		if (tctx_init(&p->workers[i].t, p, level) != 0 ||
		    pthread_create(&p->workers[i].tid, NULL, run,
		    &p->workers[i]) != 0)
			goto fail;
		p->started++;
	}
	if (pthread_create(&p->lin_tid, NULL, run_linear, p) != 0)
		goto fail;
	p->lin_started = 1;
	*out = p;
	return 0;
fail:
	dexf_pool_free(p);
	return -1;
}

void
dexf_pool_free(dexf_pool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->lin_work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->started; i++)
		pthread_join(p->workers[i].tid, NULL);
	if (p->lin_started)
		pthread_join(p->lin_tid, NULL);
	for (int i = 0; p->workers && i < p->nworkers; i++)
		tctx_free(&p->workers[i].t);
	tctx_free(&p->inl);
	for (size_t i = 0; p->slots && i < p->nslots; i++) {
		free(p->slots[i].in);
		free(p->slots[i].out);
	}
	free(p->slots);
	free(p->state);
	free(p->queue);
	free(p->lq);
	free(p->lin_done);
	free(p->workers);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->lin_work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

size_t
dexf_pool_slots(const dexf_pool *p)
{
	return p->nslots;
}

dexf_slot *
dexf_pool_slot(dexf_pool *p, size_t i)
{
	return &p->slots[i];
}

static void
submit(dexf_pool *p, size_t i)
{
	int lin = p->slots[i].item_hashes == 0;

	if (p->nworkers == 0) {
		process(p, &p->inl, &p->slots[i]);
		if (lin && p->lin_md != NULL && linear(p, &p->slots[i]) != 0)
			p->lin_failed = 1;
		p->state[i] = S_DONE;
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->state[i] = S_QUEUED;
	p->queue[(p->qhead + p->qlen) % p->nslots] = i;
	p->qlen++;
	p->lin_done[i] = !lin;
	if (lin) {
		p->lq[(p->lqhead + p->lqlen) % p->nslots] = i;
		p->lqlen++;
	}
	pthread_cond_signal(&p->work);
	/* encode: the input is ready for the linear thread now; decode:
	 * it waits for the worker, which signals it */
	if (lin && !p->decode)
		pthread_cond_signal(&p->lin_work);
	pthread_mutex_unlock(&p->mu);
}

void
dexf_pool_submit(dexf_pool *p, size_t i)
{
	p->slots[i].item_hashes = 0;
	submit(p, i);
}

void
dexf_pool_submit_item(dexf_pool *p, size_t i, unsigned hashes)
{
	p->slots[i].item_hashes = hashes;
	submit(p, i);
}

void
dexf_pool_process_now(dexf_pool *p, size_t i)
{
	/* the slot is not queued, so no worker can touch it, and nothing
	 * else is in flight, so the linear order holds */
	p->slots[i].item_hashes = 0;
	process(p, &p->inl, &p->slots[i]);
	if (p->lin_md != NULL && linear(p, &p->slots[i]) != 0)
		p->lin_failed = 1;
	if (p->nworkers == 0) {
		p->state[i] = S_DONE;
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->state[i] = S_DONE;
	p->lin_done[i] = 1;
	pthread_mutex_unlock(&p->mu);
}

int
dexf_pool_wait(dexf_pool *p, size_t i)
{
	int rc;

	if (p->nworkers == 0) {
		p->state[i] = S_FREE;
		return p->slots[i].rc;
	}
	pthread_mutex_lock(&p->mu);
	while (p->state[i] != S_DONE || !p->lin_done[i]) {
		size_t j = p->qlen > 0 ? p->queue[p->qhead] : W_NONE;

		/*
		 * Decoding whole items (one chunk each, with their own
		 * digests), a caller that would sleep takes the oldest one
		 * queued and decodes it itself, as a worker: otherwise, with
		 * a worker per core, it slept and was woken once per item
		 * (20,000 small files: 12,500 context switches, a sixth of
		 * the CPU).  A stream's chunks stay with the workers: they
		 * come in a deep window that keeps both busy, and the caller
		 * is needed to refill it and take them back in order.
		 */
		if (p->decode && j != W_NONE && p->slots[j].item_hashes != 0) {
			take_head(p, &p->inl);
			p->caller_turns++;
			continue;
		}
		p->waiting = i;
		pthread_cond_wait(&p->done, &p->mu);
		p->waiting = W_NONE;
	}
	p->state[i] = S_FREE;
	rc = p->slots[i].rc;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void
dexf_pool_drain(dexf_pool *p)
{
	if (p->nworkers == 0)
		return;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		int busy = p->qlen > 0 || p->lqlen > 0;

		for (size_t i = 0; i < p->nslots && !busy; i++)
			busy = p->state[i] == S_BUSY ||
			    (p->state[i] == S_DONE && !p->lin_done[i]);
		if (!busy)
			break;
		p->waiting = W_ALL;
		pthread_cond_wait(&p->done, &p->mu);
	}
	p->waiting = W_NONE;
	/* queued-and-done slots are free again for the next stream */
	for (size_t i = 0; i < p->nslots; i++) {
		p->state[i] = S_FREE;
		p->lin_done[i] = 1;
	}
	pthread_mutex_unlock(&p->mu);
}

void
dexf_pool_set_linear(dexf_pool *p, dexf_mdset *md)
{
	pthread_mutex_lock(&p->mu);
	p->lin_md = md;
	if (md != NULL)
		p->lin_failed = 0;
	pthread_mutex_unlock(&p->mu);
}

/* A counter the threads update under the lock. */
static size_t
counter(dexf_pool *p, const size_t *c)
{
	size_t n;

	pthread_mutex_lock(&p->mu);
	n = *c;
	pthread_mutex_unlock(&p->mu);
	return n;
}

size_t
dexf_pool_worker_turns(dexf_pool *p)
{
	return counter(p, &p->worker_turns);
}

size_t
dexf_pool_caller_turns(dexf_pool *p)
{
	return counter(p, &p->caller_turns);
}

int
dexf_pool_linear_failed(const dexf_pool *p)
{
	return p->lin_failed;
}
