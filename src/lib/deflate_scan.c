/*
 * deflate_scan.c - decode a deflate chunk with zlib's acceptance rules.
 *
 * dexf_chunk_inflate() with zlib accepts a chunk when one raw inflate of
 * all its bytes (FORMAT.md 4.5):
 *   - reports no error: zlib's inflate_table() rejects Huffman codes that
 *     are over-subscribed or incomplete (one code of length 1 excepted,
 *     never for the code length code), more than 286 length or 30
 *     distance symbols, a missing end-of-block code, bad repeats in the
 *     code lengths, symbols 286/287 and distance codes 30/31 of the fixed
 *     code, reserved block type 3, stored LEN != ~NLEN, distances before
 *     the first output byte;
 *   - finishes no block with BFINAL set: that ends the stream, and a final
 *     block left unfinished does not end at a block boundary either;
 *   - produces exactly the chunk length;
 *   - stops at a block boundary having used every bit: no padding may
 *     follow the last block (FORMAT.md 4.5; zlib alone stops with up to 2
 *     bits left, which the next chunk's inflate in the whole entry would
 *     read as a block header: the zlib engine checks the bits it has
 *     left);
 *   - and the chunk is at least 5 bytes ending in 00 00 ff ff.
 * dexf_deflate_decode() decides the same, and decodes every symbol to
 * find every block header, writing the output as it goes; it is the ISA-L
 * build's inflater (igzip's own accepts more, see test_chunk).  Every
 * failure is a refusal, so the order of the checks does not matter.  The unit tests
 * compare verdict and output with zlib's on crafted chunks, thousands of
 * damaged chunks and chunks of every kind and size.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "deflate_scan.h"

#define MAXBITS 15
#define LROOT 11                /* first-level lookup bits, lit/len */
#define DROOT 8                 /* distances */
#define CROOT 7                 /* code length codes are at most 7 bits */
/* Chunks of at least this much plaintext get a table of literal pairs
 * per block: filling it costs more than it saves on small chunks (a tree
 * of 6 KiB files decoded 8% faster without, 1 MiB chunks 5% slower). */
#define PAIR_MIN (64 * 1024)

enum { CODES, LENS, DISTS };    /* zlib's inflate_table() kinds */

/* Lookup entries: the bits the entry consumes in bits 0-5 (its code and
 * extra bits; two codes for a pair of literals; 0: a longer code, or no
 * code), so that the bit buffer shifts by the entry itself; extra bits in
 * 8-11, what the symbol is in 12-14 and a value in 16-31 (literal, length
 * or distance base, code length symbol).  A symbol zlib rejects when
 * decoded (fixed code: 286, 287, distances 30, 31) is K_BAD.  K_SYM2 is
 * two literals whose codes fit the lookup bits together.  In a table, a
 * length comes with its extra bits: an entry for each of their values,
 * which is the length itself (no extra bits left), unless code and extra
 * bits pass the lookup bits (then the entry has the base and the extra
 * bits to read, as slow_entry()'s entries have). */
#define K_BAD 0x0000
#define K_SYM 0x1000            /* literal, distance, code length symbol */
#define K_SYM2 0x2000
#define K_LEN 0x3000
#define K_EOB 0x4000
#define E_BITS(e) ((e) & 63u)
#define E_KIND(e) ((e) & 0x7000u)
#define E_EXTRA(e) (((e) >> 8) & 15u)
#define E_VAL(e) ((e) >> 16)
/* Set on the literal/length lookup entries of one or two literals whose
 * codes are in the table: the decoder's literal run tests only this. */
#define E_LIT 0x8000u

/* A canonical Huffman code: counts and symbols in code order (for the
 * bit-by-bit decode of long codes, as in zlib's contrib/puff), the lookup
 * table of the codes of at most rootbits bits and, for literal/length
 * codes, the same table with pairs of literals. */
struct huff {
	uint16_t count[MAXBITS + 1];
	uint16_t sym[288];
	uint32_t *root;
	uint32_t *pair;
	unsigned rootbits;
	int kind;
};

/* LSB-first bit reader.  Past the end it feeds zero bytes, counted in
 * `over`; the caller rejects the chunk if a block ends beyond the input. */
struct bitin {
	const uint8_t *start, *p, *end;
	uint64_t hold;
	unsigned bits;
	size_t over;
};

static const uint16_t lbase[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
	59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t lext[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
	4, 5, 5, 5, 5, 0
};
static const uint16_t dbase[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
	513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
};
static const uint8_t dext[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
	10, 11, 11, 12, 12, 13, 13
};

/* Eight bytes, little-endian (one load on x86). */
static inline uint64_t
load_le64(const uint8_t *q)
{
	return (uint64_t)q[0] | (uint64_t)q[1] << 8 |
	    (uint64_t)q[2] << 16 | (uint64_t)q[3] << 24 |
	    (uint64_t)q[4] << 32 | (uint64_t)q[5] << 40 |
	    (uint64_t)q[6] << 48 | (uint64_t)q[7] << 56;
}

/* Top up a bit buffer to at least 56 bits from 8 or more bytes at *p:
 * bits above the count are the next bytes' own bits, so loading them
 * again later ORs in the same values. */
static inline void
fill8(const uint8_t **p, uint64_t *hold, unsigned *bits)
{
	*hold |= load_le64(*p) << *bits;
	*p += (63 - *bits) >> 3;
	*bits |= 56;
}

/* Top up the bit buffer to at least 56 bits; -1 once it is certain that
 * bits beyond the input were used (more than 8 zero bytes fed). */
static int
refill(struct bitin *b)
{
	if (b->end - b->p >= 8) {
		fill8(&b->p, &b->hold, &b->bits);
		return 0;
	}
	while (b->bits <= 56) {
		if (b->p < b->end)
			b->hold |= (uint64_t)*b->p++ << b->bits;
		else if (++b->over > 8)
			return -1;
		b->bits += 8;
	}
	return 0;
}

static unsigned
take(struct bitin *b, unsigned n)
{
	unsigned v = (unsigned)(b->hold & ((1u << n) - 1));

	b->hold >>= n;
	b->bits -= n;
	return v;
}

/* Bits consumed so far, counting fed zero bytes. */
static uint64_t
used_bits(const struct bitin *b)
{
	return ((uint64_t)(b->p - b->start) + b->over) * 8 - b->bits;
}

/* The lookup entry of `sym` without its code: bits 0-5 count only the
 * extra bits; the caller adds the code length. */
static uint32_t
entry(int kind, unsigned sym)
{
	if (kind == LENS) {
		if (sym < 256)
			return K_SYM | sym << 16;
		if (sym == 256)
			return K_EOB;
		if (sym - 257 >= 29)
			return K_BAD;
		return K_LEN | (uint32_t)lext[sym - 257] * 0x101u |
		    (uint32_t)lbase[sym - 257] << 16;
	}
	if (kind == DISTS)
		return sym >= 30 ? K_BAD : K_SYM |
		    (uint32_t)dext[sym] * 0x101u | (uint32_t)dbase[sym] << 16;
	return K_SYM | sym << 16;
}

/* The low n bits of code, in reverse order (deflate sends Huffman codes
 * from their first bit on; the lookup is indexed by the bits as read). */
static inline unsigned
reverse(unsigned code, unsigned n)
{
	code = (code & 0x5555u) << 1 | (code >> 1 & 0x5555u);
	code = (code & 0x3333u) << 2 | (code >> 2 & 0x3333u);
	code = (code & 0x0f0fu) << 4 | (code >> 4 & 0x0f0fu);
	code = (code & 0x00ffu) << 8 | (code >> 8 & 0x00ffu);
	return code >> (16 - n);
}

/* Build a code from lengths with inflate_table()'s checks; -1 when zlib
 * would reject it. */
static int
huff_build(struct huff *h, const uint8_t *len, unsigned n, int kind)
{
	uint16_t offs[MAXBITS + 1], next[MAXBITS + 1];
	int left = 1, max = 0;
	/* in locals: a store to the table could otherwise be taken to
	 * change h->rootbits, which the loops would then reload */
	uint32_t *const root = h->root, *const pair = h->pair;
	const unsigned rbits = h->rootbits, size = 1u << rbits;

	h->kind = kind;
	memset(h->count, 0, sizeof(h->count));
	for (unsigned s = 0; s < n; s++)
		h->count[len[s]]++;
	for (int l = 1; l <= MAXBITS; l++) {
		left = (left << 1) - h->count[l];
		if (left < 0)
			return -1;              /* over-subscribed */
		if (h->count[l] != 0)
			max = l;
	}
	if (max == 0) {
		/* zlib builds a table that fails when used; for the code
		 * length code every length then reads as 0, and a block
		 * without an end-of-block code is an error in any case */
		if (kind == CODES)
			return -1;
	} else if (left > 0 && (kind == CODES || max != 1)) {
		return -1;                      /* incomplete */
	}
	offs[1] = 0;
	next[1] = 0;
	for (int l = 1; l < MAXBITS; l++) {
		offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
		next[l + 1] = (uint16_t)((next[l] + h->count[l]) << 1);
	}
	memset(root, 0, sizeof(*root) << rbits);
	for (unsigned s = 0; s < n; s++) {
		unsigned l = len[s], rev;
		uint32_t e;

		if (l == 0)
			continue;
		h->sym[offs[l]++] = (uint16_t)s;
		if (l > rbits)
			continue;
		rev = reverse(next[l]++, l);
		e = entry(kind, s) + l;
		if (kind == LENS && s < 256)
			e |= E_LIT;
		if (E_KIND(e) == K_LEN && E_EXTRA(e) != 0 &&
		    l + E_EXTRA(e) <= rbits) {
			/* the extra bits folded in, one entry per value:
			 * the fast loop takes the length as it is (4% on
			 * text); where they do not fit, the entry keeps
			 * them to read */
			unsigned x = E_EXTRA(e), lx = l + x;

			for (unsigned v = 0; v < 1u << x; v++) {
				uint32_t f = (e & ~0x0f00u) + (v << 16);

				for (unsigned i = rev | v << l; i < size;
				    i += 1u << lx)
					root[i] = f;
			}
			continue;
		}
		for (unsigned i = rev; i < size; i += 1u << l)
			root[i] = e;
	}
	/* literal pairs: the second code is read from the bits after the
	 * first; it must fit in what is left of the lookup bits.  Without a
	 * pair table the decoder reads literals one at a time. */
	for (unsigned i = 0; pair != NULL && i < size; i++) {
		uint32_t e = root[i], e2;

		pair[i] = e;
		if (E_KIND(e) != K_SYM || E_BITS(e) == 0)
			continue;
		e2 = root[i >> E_BITS(e)];
		if (E_KIND(e2) == K_SYM && E_BITS(e2) != 0 &&
		    E_BITS(e) + E_BITS(e2) <= rbits)
			pair[i] = K_SYM2 | E_LIT | (E_BITS(e) + E_BITS(e2)) |
			    (E_VAL(e) | E_VAL(e2) << 8) << 16;
	}
	return 0;
}

/* The entry for a code longer than the lookup table, or for a bit pattern
 * that is no code (0): decode bit by bit (zlib's contrib/puff). */
static uint32_t
slow_entry(const struct huff *h, uint64_t hold)
{
	int code = 0, first = 0, index = 0;

	for (unsigned l = 1; l <= MAXBITS; l++) {
		int count = h->count[l];

		code |= (int)((hold >> (l - 1)) & 1);
		if (code - count < first)
			return entry(h->kind, h->sym[index + (code - first)]) +
			    l;
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return 0;
}

/* Next entry, its code consumed (the buffer holds at least 15 bits); 0
 * for a bit pattern that is no code. */
static uint32_t
decode(struct bitin *b, const struct huff *h)
{
	uint32_t e = h->root[b->hold & ((1u << h->rootbits) - 1)];

	if (E_BITS(e) == 0 && (e = slow_entry(h, b->hold)) == 0)
		return 0;
	b->hold >>= E_BITS(e);
	b->bits -= E_BITS(e);
	return e;
}

/* Output room the fast loop keeps: the longest match and its last
 * 16-byte copy. */
#define FAST_ROOM (258 + 16)

/* A match of len bytes from d bytes back; the caller checked that both
 * lie in the output.  With room for the copies to run up to 15 bytes past
 * the match (always, in the fast loop), distances of 16 and more copy 16
 * bytes at a time and those of 8 and more 8 bytes: each load reads only
 * bytes written before it. */
static inline __attribute__((always_inline)) void
copy_match(uint8_t *o, size_t out, size_t d, size_t len, size_t room,
    const int fast)
{
	uint8_t *dst = o + out;
	const uint8_t *src = dst - d;

	if (d >= 16 && (fast || room >= len + 16)) {
		for (size_t i = 0; i < len; i += 16)
			memcpy(dst + i, src + i, 16);
	} else if (d >= 8 && (fast || room >= len + 8)) {
		for (size_t i = 0; i < len; i += 8)
			memcpy(dst + i, src + i, 8);
	} else if (d == 1) {
		memset(dst, src[0], len);
	} else {
		for (size_t i = 0; i < len; i++)
			dst[i] = src[i];
	}
}

/*
 * The symbols of one Huffman block up to its end-of-block code, written
 * to o.  This is the hot loop: it runs on local copies of the bit buffer,
 * and looks the next symbol up before copying a match, so the lookup does
 * not wait for the copy.
 *
 * It is compiled twice.  With `fast`, it runs only while at least 8 bytes
 * of input and FAST_ROOM bytes of output are left: every refill is then
 * one 8-byte load, and no literal or match can pass the end of the
 * output, so neither is checked and fewer values stay in registers
 * (4-6% faster on 256 MiB slices of the bench image).  It returns 1 when
 * that margin runs out, at a symbol boundary.  Without, every write is checked first, so
 * *outp never passes plainlen: output beyond it is a refusal.  The checks
 * that decide what zlib accepts are made in both.  0: end of block; -1:
 * refused.
 */
static inline __attribute__((always_inline)) int
codes_loop(struct bitin *b, const struct huff *lit, const struct huff *dist,
    size_t *outp, size_t plainlen, uint8_t *o, const int fast)
{
	const uint32_t *lpair = lit->pair != NULL ? lit->pair : lit->root;
	const uint32_t *droot = dist->root;
	/* every literal/length table has LROOT bits, every distance table
	 * DROOT: constants keep registers free */
	const uint64_t lmask = (1u << LROOT) - 1;
	const uint64_t dmask = (1u << DROOT) - 1;
	const uint8_t *p = b->p, *const end = b->end;
	uint64_t hold = b->hold;
	unsigned bits = b->bits;
	size_t out = *outp;
	uint32_t e = lpair[hold & lmask];
	int rc = 1;

	/* the pointers are formed only once the margin is known to exist */
	if (fast && (end - p < 8 || plainlen - out < FAST_ROOM))
		return 1;
	for (const uint8_t *const pmax = fast ? end - 8 : NULL;
	    !fast || (p <= pmax && out <= plainlen - FAST_ROOM);) {
		unsigned n, x;
		size_t len, d;

		/* 15 + 5 + 15 + 13 bits for the longest length/distance.
		 * e was looked up ahead, from the bits then held: with fewer
		 * than LROOT of them it may have read bits not loaded yet,
		 * and is looked up again (test_chunk's random blocks).  The
		 * fast loop tops up every time: one load and no branch to
		 * mispredict (10% faster on text than when short of 48). */
		if (fast) {
			int stale = bits < LROOT;

			fill8(&p, &hold, &bits);
			if (stale)
				e = lpair[hold & lmask];
		} else if (bits < 48) {
			int stale = bits < LROOT;

			if (end - p >= 8) {
				fill8(&p, &hold, &bits);
			} else {
				b->p = p;
				b->hold = hold;
				b->bits = bits;
				if (refill(b) != 0)
					return -1;
				p = b->p;
				hold = b->hold;
				bits = b->bits;
			}
			if (stale)
				e = lpair[hold & lmask];
		}
		if (E_KIND(e) == K_LEN) {
			/* a length first: in text, 3 of 4 symbols looked up
			 * here (5% faster than the literals first); in the
			 * table with its extra bits */
length:
			n = E_BITS(e);
			len = E_VAL(e);
			if ((x = E_EXTRA(e)) != 0)      /* rare: see above */
				len += (hold >> (n - x)) & ((1u << x) - 1);
			hold >>= n;
			bits -= n;
			goto distance;
		}
		if (e & E_LIT) {
			/* a run of literals: up to 3 x 11 bits */
			for (int k = 0; k < 3; k++) {
				if (fast || plainlen - out >= 2) {
					/* a single literal's second byte is
					 * written over next */
					o[out] = (uint8_t)E_VAL(e);
					o[out + 1] = (uint8_t)(E_VAL(e) >> 8);
				} else if (E_KIND(e) == K_SYM &&
				    out < plainlen) {
					o[out] = (uint8_t)E_VAL(e);
				} else {
					return -1;
				}
				hold >>= E_BITS(e);
				bits -= E_BITS(e);
				out += E_KIND(e) >> 12;  /* 1 or 2 */
				e = lpair[hold & lmask];
				if (!(e & E_LIT))
					break;
			}
			continue;
		}
		if (E_BITS(e) == 0 && (e = slow_entry(lit, hold)) == 0)
			return -1;
		if (E_KIND(e) == K_LEN)
			goto length;    /* a code longer than the table's */
		n = E_BITS(e);
		if (E_KIND(e) == K_SYM) {
			if (!fast && out >= plainlen)
				return -1;
			o[out] = (uint8_t)E_VAL(e);
			hold >>= n;
			bits -= n;
			out++;
			e = lpair[hold & lmask];
			continue;
		} else if (E_KIND(e) == K_EOB) {
			hold >>= n;
			bits -= n;
			rc = 0;
			break;
		} else {
			return -1;              /* 286, 287 (fixed code) */
		}
distance:
		e = droot[hold & dmask];
		if (E_BITS(e) == 0 && (e = slow_entry(dist, hold)) == 0)
			return -1;
		if (E_KIND(e) == K_BAD)
			return -1;              /* 30, 31 (fixed code) */
		n = E_BITS(e);
		x = E_EXTRA(e);
		d = E_VAL(e) + ((hold >> (n - x)) & ((1u << x) - 1));
		hold >>= n;
		bits -= n;
		if (d > out)
			return -1;              /* before the chunk's output */
		if (!fast && len > plainlen - out)
			return -1;
		e = lpair[hold & lmask];
		copy_match(o, out, d, len, plainlen - out, fast);
		out += len;
	}
	b->p = p;
	b->hold = hold;
	b->bits = bits;
	*outp = out;
	return rc;
}

static inline __attribute__((always_inline)) int
codes_body(struct bitin *b, const struct huff *lit, const struct huff *dist,
    size_t *outp, size_t plainlen, uint8_t *o)
{
	int rc = codes_loop(b, lit, dist, outp, plainlen, o, 1);

	return rc != 1 ? rc : codes_loop(b, lit, dist, outp, plainlen, o, 0);
}

static int
codes_generic(struct bitin *b, const struct huff *lit,
    const struct huff *dist, size_t *outp, size_t plainlen, uint8_t *o)
{
	return codes_body(b, lit, dist, outp, plainlen, o);
}

/*
 * On x86-64 the hot loop is compiled a second time for BMI2, whose shifts
 * by a register (shrx) and masks (bzhi) are one instruction each, without
 * flags: 7-8% faster on text.  The variant is chosen once per process.
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_CODES_BMI2 1

__attribute__((target("bmi2"))) static int
codes_bmi2(struct bitin *b, const struct huff *lit, const struct huff *dist,
    size_t *outp, size_t plainlen, uint8_t *o)
{
	return codes_body(b, lit, dist, outp, plainlen, o);
}
#endif

static int variant_cpu;         /* the CPU's best, set once */
static int variant_forced;      /* dexf_deflate_decode_variant() */

static int
codes(struct bitin *b, const struct huff *lit, const struct huff *dist,
    size_t *outp, size_t plainlen, uint8_t *o)
{
#ifdef HAVE_CODES_BMI2
	if ((variant_forced != 0 ? variant_forced : variant_cpu) ==
	    DEXF_DECODE_BMI2)
		return codes_bmi2(b, lit, dist, outp, plainlen, o);
#endif
	return codes_generic(b, lit, dist, outp, plainlen, o);
}

/* The fixed code (RFC 1951 3.2.6), built once per process. */
static uint32_t fixed_lroot[1u << LROOT], fixed_lpair[1u << LROOT];
static uint32_t fixed_droot[1u << DROOT];
static struct huff fixed_lit = {
	.root = fixed_lroot, .pair = fixed_lpair, .rootbits = LROOT
};
static struct huff fixed_dist = { .root = fixed_droot, .rootbits = DROOT };
static pthread_once_t decoder_once = PTHREAD_ONCE_INIT;

/* The fixed code's tables and the variant of the hot loop. */
static void
decoder_init(void)
{
	uint8_t len[288];

	variant_cpu = DEXF_DECODE_GENERIC;
#ifdef HAVE_CODES_BMI2
	__builtin_cpu_init();
	if (__builtin_cpu_supports("bmi2"))
		variant_cpu = DEXF_DECODE_BMI2;
#endif
	memset(len, 8, 144);
	memset(len + 144, 9, 112);
	memset(len + 256, 7, 24);
	memset(len + 280, 8, 8);
	(void)huff_build(&fixed_lit, len, 288, LENS);
	/* 32 codes of 5 bits; 30 and 31 are rejected when decoded */
	memset(len, 5, 32);
	(void)huff_build(&fixed_dist, len, 32, DISTS);
}

static int
dynamic(struct bitin *b, struct huff *lit, struct huff *dist)
{
	static const uint8_t order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
	};
	uint8_t lens[286 + 30], clen[19] = { 0 };
	uint32_t croot[1u << CROOT];
	struct huff cl = { .root = croot, .rootbits = CROOT };
	unsigned nlen, ndist, ncode, have = 0;

	if (refill(b) != 0)
		return -1;
	nlen = take(b, 5) + 257;
	ndist = take(b, 5) + 1;
	ncode = take(b, 4) + 4;
	if (nlen > 286 || ndist > 30)
		return -1;
	for (unsigned i = 0; i < ncode; i++) {
		if (b->bits < 3 && refill(b) != 0)
			return -1;
		clen[order[i]] = (uint8_t)take(b, 3);
	}
	if (huff_build(&cl, clen, 19, CODES) != 0)
		return -1;
	while (have < nlen + ndist) {
		unsigned len, copy, sym;
		uint32_t e;

		if (b->bits < CROOT + 7 && refill(b) != 0)
			return -1;
		if ((e = decode(b, &cl)) == 0)
			return -1;
		if ((sym = E_VAL(e)) < 16) {
			lens[have++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (have == 0)
				return -1;
			len = lens[have - 1];
			copy = 3 + take(b, 2);
		} else {
			len = 0;
			copy = sym == 17 ? 3 + take(b, 3) : 11 + take(b, 7);
		}
		if (have + copy > nlen + ndist)
			return -1;
		while (copy-- > 0)
			lens[have++] = (uint8_t)len;
	}
	if (lens[256] == 0)
		return -1;                      /* no end-of-block code */
	if (huff_build(lit, lens, nlen, LENS) != 0 ||
	    huff_build(dist, lens + nlen, ndist, DISTS) != 0)
		return -1;
	return 0;
}

/* A stored block after its 3 header bits: LEN, NLEN and LEN bytes. */
static int
stored(struct bitin *b, size_t inlen, size_t *out, size_t plainlen,
    uint8_t *o)
{
	size_t pos, len;
	const uint8_t *q;

	(void)take(b, b->bits & 7);             /* to the byte boundary */
	pos = (size_t)(b->p - b->start) + b->over - b->bits / 8;
	if (pos > inlen || inlen - pos < 4)
		return -1;
	q = b->start + pos;
	len = (size_t)q[0] | (size_t)q[1] << 8;
	if (((size_t)q[2] | (size_t)q[3] << 8) != (~len & 0xffff))
		return -1;
	pos += 4;
	if (len > inlen - pos || len > plainlen - *out)
		return -1;
	memcpy(o + *out, q + 4, len);
	*out += len;
	/* restart the reader at the next byte */
	b->p = b->start + pos + len;
	b->hold = 0;
	b->bits = 0;
	b->over = 0;
	return 0;
}

int
dexf_deflate_decode(const void *in, size_t inlen, void *out_, size_t plainlen)
{
	uint8_t *o = out_;
	uint32_t lroot[1u << LROOT], lpair[1u << LROOT], droot[1u << DROOT];
	struct huff lit = {
		.root = lroot, .pair = plainlen >= PAIR_MIN ? lpair : NULL,
		.rootbits = LROOT
	};
	struct huff dist = { .root = droot, .rootbits = DROOT };
	struct bitin b;
	uint64_t total = (uint64_t)inlen * 8;
	size_t out = 0;

	/* before any pointer arithmetic: `in` may be NULL when inlen is 0 */
	if (inlen < 5 || memcmp((const uint8_t *)in + inlen - 4,
	    "\x00\x00\xff\xff", 4) != 0)
		return -1;
	pthread_once(&decoder_once, decoder_init);
	b = (struct bitin){ in, in, (const uint8_t *)in + inlen, 0, 0, 0 };
	for (;;) {
		uint64_t used = used_bits(&b);
		unsigned head;

		if (used > total)
			return -1;      /* the last block ran past the end */
		if (total - used < 3) {
			/* at a block boundary, input used up: to the last
			 * bit, as after the flush's stored block */
			if (used != total)
				return -1;
			break;
		}
		if (b.bits < 3 && refill(&b) != 0)
			return -1;
		head = take(&b, 3);
		if (head & 1)
			return -1;      /* BFINAL */
		switch (head >> 1) {
		case 0:
			if (stored(&b, inlen, &out, plainlen, o) != 0)
				return -1;
			continue;
		case 1:
			if (codes(&b, &fixed_lit, &fixed_dist, &out,
			    plainlen, o) != 0)
				return -1;
			continue;
		case 2:
			if (dynamic(&b, &lit, &dist) != 0 ||
			    codes(&b, &lit, &dist, &out, plainlen, o) != 0)
				return -1;
			continue;
		default:
			return -1;      /* reserved block type */
		}
	}
	return out == plainlen ? 0 : -1;
}

int
dexf_deflate_decode_variant(int v)
{
	int was;

	pthread_once(&decoder_once, decoder_init);
	was = variant_forced != 0 ? variant_forced : variant_cpu;
	if (v == DEXF_DECODE_GENERIC || (v == DEXF_DECODE_BMI2 &&
	    variant_cpu == DEXF_DECODE_BMI2) || v == 0)
		variant_forced = v;
	else
		return -1;
	return was;
}
