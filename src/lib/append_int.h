/*
 * append_int.h - the appender's internals shared with the unit tests.
 */
#ifndef DEXF_APPEND_INT_H
#define DEXF_APPEND_INT_H

#include "dexf/chain.h"

/* Spoil the next generation right after it is written, its first byte
 * (a local header) or its last (the trailer), as a writer bug would, to
 * test that the appender takes it out again; not exported. */
void dexf_appender_damage_next(dexf_appender *a, int last);

#endif
