/*
 * deflate_scan.h - decode or check a deflate chunk by zlib's rules.
 *
 * zlib is the reference decoder of FORMAT.md 4.5: dexf_chunk_inflate()
 * accepts exactly what zlib's inflate() accepts under the chunk rules.
 * Other decoders (igzip) accept more, for example Huffman codes that are
 * incomplete, so the ISA-L build decodes chunks here instead: same
 * verdict and same bytes as zlib, whatever engine produced the chunk.
 */
#ifndef DEXF_DEFLATE_SCAN_H
#define DEXF_DEFLATE_SCAN_H

#include <stddef.h>

/* 0 if `in` (inlen bytes) is a valid dexf chunk that inflates to exactly
 * plainlen bytes by the rules of FORMAT.md 4.5 as the zlib engine applies
 * them (zlib's, and no bit left after the last block), with exactly
 * zlib's output in out (plainlen bytes); -1 where the zlib engine refuses
 * (out is then undefined).  Uses about 20 KiB of stack. */
int dexf_deflate_decode(const void *in, size_t inlen, void *out,
    size_t plainlen);

/* The variants of the decoder's hot loop: the same verdict and output,
 * compiled for different instruction sets.  Each process uses the best
 * its CPU runs. */
#define DEXF_DECODE_GENERIC 1
#define DEXF_DECODE_BMI2 2      /* x86-64 with BMI2 */

/* For the tests: use variant v from now on (0: the CPU's best again);
 * returns the variant in use before, or -1 (nothing changed) when this
 * build or CPU lacks v.  Call only while no chunk is being decoded. */
int dexf_deflate_decode_variant(int v);

#endif
