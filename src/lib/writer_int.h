/*
 * writer_int.h - the writer's internals shared with the unit tests.
 */
#ifndef DEXF_WRITER_INT_H
#define DEXF_WRITER_INT_H

#include <stdint.h>

#include "dexf/writer.h"
#include "format.h"

/* ZIP entries a pack may plan for its items: the entry limit of FORMAT.md
 * 2.4 less room for the fixed entries and for records appended later
 * (each a record, its signature and perhaps a token and attachments). */
#define DEXF_WRITER_MAX_ENTRIES (DEXF_MAX_ENTRIES - 65536u)

/* Lower the limits a writer checks (DEXF_WRITER_MAX_ENTRIES ZIP entries
 * for items, DEXF_MAX_MANIFEST manifest bytes), so that tests can reach
 * them; not exported. */
void dexf_writer_set_limits(dexf_writer *w, uint64_t max_entries,
	uint64_t max_manifest);

#endif
