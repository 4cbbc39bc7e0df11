/*
 * trace_from.h - trace-back records for `dexf trace add`: read from a file
 * (XML or JSON), and checked before anything is signed.
 */
#ifndef DEXF_CLI_TRACE_FROM_H
#define DEXF_CLI_TRACE_FROM_H

#include <dexf.h>

typedef struct trace_from {
	dexf_traceback t;     /* points into the storage below */
	void *storage;        /* owned; freed by trace_from_free() */
} trace_from;

/*
 * Read one trace-back record from `path` ("-": stdin): either XML, a
 * <traceback> element in namespace urn:dexf:record:1 as in FORMAT.md
 * (parsed without DTDs, entities or network), or JSON, an object of the
 * shape `dexf trace show --format json` prints for one record.  Prints the
 * problem ("dexf trace add: FILE: ...") and returns -1 on error.
 */
int trace_from_file(const char *path, trace_from *out);
void trace_from_free(trace_from *tf);

/* "ADDR", "ADDR:PORT", "[V6]:PORT" or "V6": *buf is malloc'd storage
 * behind *addr and *port (NULL when absent).  Prints and returns -1 on a
 * bad value. */
int trace_split_endpoint(const char *arg, char **buf, const char **addr,
	const char **port);

/* Check values the schema would refuse, with a message naming the field
 * and the allowed values: result, protocol, addresses (inet_pton), ports,
 * ASNs, times, spoofed, method, confidence, start <= end, 1..256 hops.
 * Prints and returns -1. */
int trace_check(const dexf_traceback *t);

#endif
