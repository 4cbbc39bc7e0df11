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

/* Called by dexf_appender_open() with the path once the file is open and
 * locked (stage 0) and once its chain is checked (stage 1), to test what
 * it does when the file at the path changes meanwhile; tests only. */
extern void (*dexf_appender_open_hook)(int stage, const char *path);

#endif
