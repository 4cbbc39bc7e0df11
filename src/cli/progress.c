/*
 * progress.c - a progress line on stderr: percentage, bytes, rate, ETA.
 * Only when stderr is a terminal, so scripts and logs stay clean.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cli_progress_init(cli_progress *p, const char *label, int quiet)
{
	p->label = label;
	p->enabled = !quiet && isatty(STDERR_FILENO);
	p->start = now();
	p->last = 0;
}

int
cli_progress_cb(uint64_t done, uint64_t total, void *payload)
{
	cli_progress *p = payload;
	double t, rate;
	char a[32], b[32], r[32];

	if (cli_interrupted)
		return 1;
	if (p == NULL || !p->enabled)
		return 0;
	t = now();
	if (t - p->last < 0.2 && !(total && done >= total))
		return 0;
	p->last = t;
	rate = t > p->start ? (double)done / (t - p->start) : 0;
	cli_human((uint64_t)rate, r, sizeof(r));
	if (total > 0) {
		double frac = (double)done / (double)total;
		int width = 24, fill = (int)(frac * width + 0.5);
		double eta = rate > 0 ? (double)(total - done) / rate : 0;

		fprintf(stderr, "\r%s [", p->label);
		for (int i = 0; i < width; i++)
			fputc(i < fill ? '#' : ' ', stderr);
		fprintf(stderr, "] %3.0f%% %s/%s %s/s ETA %d:%02d:%02d ",
		    frac * 100, cli_human(done, a, sizeof(a)),
		    cli_human(total, b, sizeof(b)), r, (int)eta / 3600,
		    ((int)eta / 60) % 60, (int)eta % 60);
	} else {
		fprintf(stderr, "\r%s %s %s/s ", p->label,
		    cli_human(done, a, sizeof(a)), r);
	}
	fflush(stderr);
	return 0;
}

void
cli_progress_end(cli_progress *p)
{
	if (p->enabled && p->last > 0) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}
