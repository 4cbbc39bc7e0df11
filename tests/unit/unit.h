/*
 * unit.h - shared helpers for the CUnit unit tests of libdexf.
 *
 * Every suite works in its own temporary directory (see unit_mkdtemp()),
 * removed by the suite cleanup.  The assertion macros below print the
 * values they compared, so a failure says what was expected and what was
 * got.
 */
#ifndef DEXF_UNIT_H
#define DEXF_UNIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/* ------------------------------------------------------------ asserts */

void unit_assert_int(long long got, long long want, const char *expr,
	const char *file, unsigned line);
void unit_assert_str(const char *got, const char *want, const char *expr,
	const char *file, unsigned line);
void unit_assert_contains(const char *hay, const char *needle,
	const char *expr, const char *file, unsigned line);
void unit_assert_mem(const void *got, const void *want, size_t n,
	const char *expr, const char *file, unsigned line);

/* got == want, for integers (codes, sizes, counts). */
#define UA_INT(got, want) \
	unit_assert_int((long long)(got), (long long)(want), \
	    #got " == " #want, __FILE__, __LINE__)
/* String equality; NULL never equals anything. */
#define UA_STR(got, want) \
	unit_assert_str((got), (want), #got " == " #want, __FILE__, __LINE__)
/* `hay` is not NULL and contains `needle`. */
#define UA_HAS(hay, needle) \
	unit_assert_contains((hay), (needle), #hay " contains " #needle, \
	    __FILE__, __LINE__)
#define UA_MEM(got, want, n) \
	unit_assert_mem((got), (want), (n), #got " == " #want, __FILE__, \
	    __LINE__)
#define UA(cond) CU_ASSERT(cond)
/* A named check with the values in its message (printf format). */
void unit_expect(int cond, const char *file, unsigned line, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
#define EXPECT(cond, ...) \
	unit_expect((cond) != 0, __FILE__, __LINE__, __VA_ARGS__)

/* ------------------------------------------------------------ files */

/* Make a fresh directory /tmp/dexf-unit-<tag>-XXXXXX; NULL on failure.
 * The result is malloc'd. */
char *unit_mkdtemp(const char *tag);
/* Remove a directory tree (no-op for NULL). */
void unit_rmrf(const char *dir);
/* snprintf(buf, size, "%s/%s", dir, name); returns buf. */
char *unit_join(char *buf, size_t size, const char *dir, const char *name);
/* Path of a file under tests/pki (rotating static buffers, 8 deep). */
const char *unit_pki(const char *name);
/* Whole file into a malloc'd buffer (+1 NUL byte); NULL on failure. */
unsigned char *unit_read_file(const char *path, size_t *len);
int unit_write_file(const char *path, const void *p, size_t n);
int unit_exists(const char *path);
/* Number of entries in a directory other than "." and "..", -1 on error. */
int unit_count_dir(const char *dir);
/* Flip (xor 0xff) the byte at `off` of a file. */
int unit_flip_byte(const char *path, uint64_t off);
/* Copy a file. */
int unit_copy_file(const char *from, const char *to);
/* Deterministic pseudo-random bytes. */
void unit_fill_random(unsigned char *p, size_t n, uint32_t seed);
/* Lowercase hex of a SHA-256 computed with OpenSSL directly. */
void unit_sha256_hex(char out[65], const void *p, size_t n);
/* 1 if a program can be run through the shell (command -v). */
int unit_have_program(const char *name);

/* ------------------------------------------------------------ rebuild
 * Copy a container entry by entry into a new ZIP (written by the library's
 * own ZIP writer), letting a callback change, drop or add entries.  Raw
 * (stored) bytes are copied, so deflated evidence keeps its chunk layout.
 */
typedef struct unit_entry {
	char *name;              /* malloc'd */
	int method;              /* 0 or 8 */
	unsigned char *raw;      /* entry data as stored (malloc'd) */
	size_t rawlen;
	uint32_t crc;            /* as written into the ZIP headers */
	uint64_t usize;
	int drop;                /* set by the callback to leave it out */
} unit_entry;

/* Replace an entry's content by `plain` (stored, or raw deflate). */
/* zlib's raw deflate (no header) of p[0..n) at `level` and `strategy`,
 * ended with `flush` (Z_FINISH or Z_FULL_FLUSH), into a malloc'd buffer;
 * NULL on failure. */
unsigned char *unit_raw_deflate(const void *p, size_t n, int level,
    int strategy, int flush, size_t *out);
int unit_entry_set(unit_entry *e, const void *plain, size_t len, int method);
/* The entry's content, decompressed (malloc'd, NUL-terminated). */
unsigned char *unit_entry_plain(const unit_entry *e, size_t *len);

/* Called for each entry in central directory order, then once with
 * e == NULL (return entries to append through *extra / *nextra, which the
 * helper frees). */
typedef void (*unit_edit_fn)(unit_entry *e, unit_entry **extra,
	size_t *nextra, void *ctx);
int unit_rebuild(const char *src, const char *dst, unit_edit_fn fn,
	void *ctx);

/* ------------------------------------------------------------ suites */

int unit_register_util(void);
int unit_register_path(void);
int unit_register_digest(void);
int unit_register_merkle(void);
int unit_register_chunk(void);
int unit_register_index(void);
int unit_register_zip(void);
int unit_register_xml(void);
int unit_register_manifest(void);
int unit_register_record(void);
int unit_register_cms(void);
int unit_register_api(void);
int unit_register_verify(void);
int unit_register_iodef(void);
int unit_register_tsa(void);
int unit_register_chain(void);
int unit_register_proof(void);
int unit_register_pool(void);

/* Add a suite and its tests; returns 0 or the CUnit error. */
typedef struct unit_test {
	const char *name;
	void (*fn)(void);
} unit_test;

int unit_add_suite(const char *name, int (*init)(void), int (*clean)(void),
	const unit_test *tests);

#endif
