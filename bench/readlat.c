/*
 * bench/readlat.c - random read latency through libdexf, in one process.
 *
 *   readlat CASE.dexf ITEM READS LENGTH SEED
 *
 * Opens the container once (the open is timed and printed), then reads
 * LENGTH bytes at READS pseudo-random offsets of ITEM with
 * dexf_reader_read() and prints one line per read: offset and
 * milliseconds.  A `dexf cat` process pays the same read plus process
 * start and the open; this separates the two.  Exit 1 on any read error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <dexf/reader.h>

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	dexf_reader *r = NULL;
	const dexf_item *it = NULL;
	unsigned char *buf;
	uint64_t size, x;
	size_t len, n;
	long reads;
	double t0;

	if (argc != 6) {
		fprintf(stderr, "usage: readlat CASE ITEM READS LENGTH SEED\n");
		return 2;
	}
	reads = strtol(argv[3], NULL, 10);
	len = (size_t)strtoul(argv[4], NULL, 10);
	x = strtoull(argv[5], NULL, 0);
	if (reads < 1 || len < 1 || (buf = malloc(len)) == NULL)
		return 2;
	t0 = now_ms();
	if (dexf_reader_new(&r) != 0 || dexf_reader_open(r, argv[1]) != 0 ||
	    dexf_reader_find(&it, r, argv[2]) != 0) {
		fprintf(stderr, "readlat: %s\n", r ? dexf_reader_errmsg(r) :
		    "out of memory");
		return 1;
	}
	printf("open %.3f\n", now_ms() - t0);
	size = dexf_item_size(it);
	if (size <= len) {
		fprintf(stderr, "readlat: item is not larger than LENGTH\n");
		return 1;
	}
	for (long i = 0; i < reads; i++) {
		uint64_t off;
		double a;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		off = (x >> 11) % (size - len);
		a = now_ms();
		if (dexf_reader_read(r, it, off, buf, len, &n) != 0 ||
		    n != len) {
			fprintf(stderr, "readlat: read at %llu: %s\n",
			    (unsigned long long)off, dexf_reader_errmsg(r));
			return 1;
		}
		printf("read %llu %.3f\n", (unsigned long long)off,
		    now_ms() - a);
	}
	dexf_reader_free(r);
	free(buf);
	return 0;
}
