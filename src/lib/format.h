/*
 * format.h - constants of the container format (FORMAT.md).
 */
#ifndef DEXF_FORMAT_H
#define DEXF_FORMAT_H

#define DEXF_MEDIA_TYPE "application/vnd.dexf+zip"
#define DEXF_NS_MANIFEST "urn:dexf:manifest:1"
#define DEXF_NS_RECORD "urn:dexf:record:1"

#define DEXF_ENTRY_MIMETYPE "mimetype"
#define DEXF_EVIDENCE_PREFIX "evidence/"
#define DEXF_META_PREFIX "META-INF/"
#define DEXF_ENTRY_MANIFEST "META-INF/dexf/manifest.xml"
#define DEXF_INDEX_PREFIX "META-INF/dexf/index/"
#define DEXF_RECORDS_PREFIX "META-INF/dexf/records/"
#define DEXF_ENTRY_SEAL "META-INF/dexf/records/000000.xml"
#define DEXF_ENTRY_SEAL_SIG "META-INF/dexf/records/000000.p7s"
#define DEXF_ATTACH_PREFIX "META-INF/dexf/attachments/"
#define DEXF_ENTRY_SEAL_TST "META-INF/dexf/records/000000.tst"

/* Proof files (FORMAT.md "Proof files"); the media type is public. */
#define DEXF_NS_PROOF "urn:dexf:proof:1"
#define DEXF_ENTRY_PROOF "META-INF/dexf/proof.xml"
#define DEXF_PROOF_CHUNK_PREFIX "chunks/"
#define DEXF_MAX_PROOF_XML (32u << 20)

/* Bounds applied on read before anything is allocated. */
#define DEXF_MAX_ENTRIES (4u << 20)
#define DEXF_MAX_CD_SIZE (1ull << 30)
#define DEXF_MAX_NAME 4200
#define DEXF_MAX_MANIFEST (512ull << 20)
#define DEXF_MAX_RECORD (1u << 20)
#define DEXF_MAX_SIGNATURE (1u << 20)
#define DEXF_MAX_ITEMS (4u << 20)
#define DEXF_MAX_TEXT (64u << 10)

#endif
