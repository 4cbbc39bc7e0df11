/*
 * replay.c - runs the fuzz target over corpus files, then over
 * deterministic mutations of them (byte flips, truncations, splices of
 * length fields), so `make check` exercises hostile-input paths under the
 * sanitizers without a fuzzing engine.
 *
 *	fuzz_replay [-m MUTATIONS] FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t
next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	long mutations = 200;
	int i = 1, files = 0;
	long runs = 0;

	if (argc > 2 && strcmp(argv[1], "-m") == 0) {
		mutations = strtol(argv[2], NULL, 10);
		i = 3;
	}
	for (; i < argc; i++) {
		size_t len = 0;
		unsigned char *orig = slurp(argv[i], &len), *buf;

		if (orig == NULL) {
			fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[i]);
			return 1;
		}
		files++;
		LLVMFuzzerTestOneInput(orig, len);
		runs++;
		buf = malloc(len ? len : 1);
		for (long m = 0; m < mutations && len > 0; m++) {
			size_t n = len;

			memcpy(buf, orig, len);
			switch (next() % 4) {
			case 0: /* flip a few bytes */
				for (int k = 0; k < 1 + (int)(next() % 4); k++)
					buf[next() % len] ^= (unsigned char)(1 +
					    next() % 255);
				break;
			case 1: /* truncate */
				n = (size_t)(next() % len);
				break;
			case 2: /* a length field to an extreme */
				if (len >= 4) {
					size_t at = (size_t)(next() % (len - 3));

					memset(buf + at, next() & 1 ? 0xff : 0x00, 4);
				}
				break;
			default: /* flip in the last 200 bytes: ZIP tail */
				buf[len - 1 - (size_t)(next() % (len < 200 ?
				    len : 200))] ^= 0x5a;
			}
			LLVMFuzzerTestOneInput(buf, n);
			runs++;
		}
		free(buf);
		free(orig);
	}
	printf("fuzz_replay: %d file(s), %ld run(s), no crash\n", files, runs);
	return files > 0 ? 0 : 1;
}
