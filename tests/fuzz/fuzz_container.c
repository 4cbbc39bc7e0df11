/*
 * fuzz_container.c - fuzz target: any bytes as a container, and as a
 * proof file.
 *
 * Built with libFuzzer (clang -fsanitize=fuzzer) it is a coverage-guided
 * target; `make check` links it with replay.c instead, which runs it over
 * the committed corpus and a deterministic set of mutations.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <dexf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	dexf_report *rep = NULL;
	dexf_reader *r = NULL;
	dexf_verify_opts opts = { 0 };
	int fd = memfd_create("dexf-fuzz", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (dexf_verify(&rep, path, &opts) == 0)
		(void)dexf_report_verdict(rep);
	dexf_report_free(rep);
	/* a proof file, its bytes given out; one item, one range of it */
	{
		int null = open("/dev/null", O_WRONLY);

		if (dexf_verify_proof(&rep, path, null, &opts) == 0)
			(void)dexf_report_verdict(rep);
		dexf_report_free(rep);
		if (null >= 0)
			close(null);
	}
	if (dexf_verify_range(&rep, path, "i1", 5000, 3000, &opts) == 0)
		(void)dexf_report_scope(rep);
	dexf_report_free(rep);
	if (dexf_verify_range(&rep, path, "i1", 0, DEXF_TO_END, &opts) == 0)
		(void)dexf_report_scope(rep);
	dexf_report_free(rep);
	opts.flags = DEXF_VERIFY_QUICK;
	if (dexf_verify(&rep, path, &opts) == 0)
		(void)dexf_report_summary(rep);
	dexf_report_free(rep);
	/* reader paths: ranges and extraction */
	if (dexf_reader_new(&r) == 0 && dexf_reader_open(r, path) == 0) {
		int null = open("/dev/null", 1);

		for (size_t i = 0; i < dexf_reader_item_count(r) && i < 8; i++) {
			const dexf_item *it = dexf_reader_item(r, i);
			unsigned char buf[8192];
			size_t n;

			(void)dexf_reader_read(r, it, 0, buf, sizeof(buf), &n);
			(void)dexf_reader_read(r, it, dexf_item_size(it) / 2,
			    buf, 100, &n);
			if (null >= 0)
				(void)dexf_reader_extract(r, it, null, NULL,
				    NULL);
		}
		if (null >= 0)
			close(null);
	}
	dexf_reader_free(r);
	close(fd);
	return 0;
}
