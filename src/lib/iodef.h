/*
 * iodef.h - trace-back records as an IODEF v2 document (RFC 7970).
 */
#ifndef DEXF_IODEF_H
#define DEXF_IODEF_H

#include <stddef.h>

#include "dexf/chain.h"
#include "dexf/errors.h"

/*
 * Write ONE IODEF-Document (version "2.00", xml:lang "en") describing the
 * trace-back records among recs[0..n-1] (records of other kinds are
 * skipped; so are NULL entries).  Records are grouped by incident (id and
 * issuing organization): one Incident per incident, in the order of their
 * first record.  `container_id` (the container's urn:uuid, may be NULL) is
 * named in every record's AdditionalData so a reader can find the signed
 * original.
 *
 * The output is deterministic: GenerationTime is the newest claimed time
 * of the incident's records, never the clock (the clock only when no
 * record carries a usable time).
 *
 * On success *out is a malloc()ed, NUL-terminated UTF-8 document and
 * *outlen its length (without the NUL).  DEXF_ENOTFOUND when there is no
 * trace-back record, DEXF_EINVAL for NULL out/outlen, DEXF_ENOMEM.
 */
int dexf_iodef_write(const dexf_record_info *const *recs, size_t n,
	const char *container_id, char **out, size_t *outlen);

#endif
