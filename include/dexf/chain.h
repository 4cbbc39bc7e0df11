/*
 * dexf/chain.h - records after the seal: custody events, annotations and
 * trace-back hops, appended to a container without rewriting it, and read
 * back (as verified) from a report.
 *
 * The same structures describe a record being written and a record read
 * back.  On write every string is borrowed from the caller for the call;
 * NULL means "absent".  On read every string is owned by the report.
 */
#ifndef DEXF_CHAIN_H
#define DEXF_CHAIN_H

#include "common.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A person or organization: role (e.g. "examiner", "cirt", "court"),
 * name and organization. */
typedef struct dexf_party {
	const char *role;
	const char *name;
	const char *org;
} dexf_party;

/* An item a record refers to, with the SHA-256 of its plaintext that the
 * author saw.  On write `sha256` may be NULL: the manifest's is used. */
typedef struct dexf_item_ref {
	const char *item;   /* item path as stored */
	const char *sha256; /* hex */
} dexf_item_ref;

/* A file attached to a custody event (e.g. an examination report).  On
 * write `src` is the file to attach and `name` its stored name (NULL: the
 * base name of src).  On read `entry` is the ZIP entry. */
typedef struct dexf_attachment {
	const char *src;
	const char *name;
	const char *entry;
	const char *media_type; /* optional */
	uint64_t size;          /* read: declared size */
	const char *sha256;     /* read: declared digest, hex */
} dexf_attachment;

/* Custody event.  action: "transferred", "received", "examined",
 * "copied", "verified", "exported", "sealed", "returned" or "note". */
typedef struct dexf_custody {
	const char *action;
	dexf_party receiver;        /* transfers: who receives (name NULL:
	                               none) */
	const char *location;
	const char *authorization;  /* warrant, order or request reference */
	const char *tool_name, *tool_version; /* tool used for the action */
	const char *outcome;
	const char *note;
	const dexf_item_ref *items; /* items concerned (none: all) */
	size_t nitems;
	const dexf_attachment *attachments;
	size_t nattachments;
} dexf_custody;

/* Annotation: a finding that points into the evidence.  type: "finding",
 * "bookmark", "comment" or "tag"; confidence: "low", "medium", "high" or
 * "unknown". */
typedef struct dexf_annotation {
	const char *type;
	const char *item;           /* item path */
	int has_range;
	uint64_t offset, length;    /* byte range in the item's plaintext */
	const char *path;           /* path inside the item (e.g. a file in a
	                               file system image), optional */
	const char *sha256;         /* of the annotated bytes (range, or whole
	                               item); write: NULL = computed */
	const char *confidence;
	const char *text;
	const char *const *tags;
	size_t ntags;
} dexf_annotation;

/* One trace-back hop: what was observed at one point on the path, from the
 * victim toward the source.  spoofed: "yes", "no" or "unknown".  method:
 * "link-testing", "logging", "sampling", "packet-marking",
 * "icmp-traceback", "inter-as-request", "flow-records" or "other". */
typedef struct dexf_hop {
	const char *point_address;  /* observation point (router address) */
	const char *point_asn;      /* AS number, decimal */
	const char *router, *interface;
	const char *time;           /* observation time, UTC ISO 8601 */
	const char *observed_source; /* source address seen there */
	const char *spoofed;
	const char *upstream_address; /* next hop toward the source */
	const char *upstream_asn;
	const char *method;
	const char *confidence;     /* low, medium, high, unknown */
	const dexf_item_ref *evidence; /* supporting items */
	size_t nevidence;
	dexf_party contact;         /* operator who made the observation */
	const char *contact_email, *contact_phone;
	const char *note;
} dexf_hop;

/* Trace-back record.  result: "source-identified", "ingress-point",
 * "partial-path" or "inconclusive". */
typedef struct dexf_traceback {
	const char *incident_id;
	const char *incident_org;   /* organization that issued the id */
	const char *protocol;       /* "tcp", "udp", "icmp", or a number */
	const char *src_address, *src_port;
	const char *dst_address, *dst_port;
	const char *window_start, *window_end; /* UTC ISO 8601 */
	const char *result;
	const dexf_hop *hops;
	size_t nhops;
	const char *note;
} dexf_traceback;

/* ---- appending --------------------------------------------------- */

typedef struct dexf_appender dexf_appender;

typedef struct dexf_append_opts {
	/* signing key and certificate (PEM; key may be encrypted) */
	const char *key, *cert, *chain, *passphrase;
	dexf_party author;          /* who writes the records */
	const char *tsa_url;        /* RFC 3161 time-stamp authority, or NULL */
	int tsa_timeout;            /* seconds; 0 = 30 */
	/* checks before appending: trust anchors for the existing records'
	 * signatures are not needed (only validity is checked) */
	int threads;
	dexf_warning_cb warning;
	void *payload;
} dexf_append_opts;

/*
 * Open `path` for appending: take an exclusive lock (DEXF_EBUSY if another
 * process holds it), check the container structure and the existing record
 * chain (links and signature validity, not trust), and load the signer.
 * Bytes left by an interrupted append are removed before the first record
 * is added.  Nothing is written until a dexf_appender_add_*() call.  If
 * the file at `path` changes while it is checked (moved, or another
 * renamed over it), DEXF_EIO.
 */
DEXF_EXTERN int dexf_appender_open(dexf_appender **out, const char *path,
	const dexf_append_opts *opts);
/* Message for the last failure (also after a failed open, when *out is
 * set); valid until the next call. */
DEXF_EXTERN const char *dexf_appender_errmsg(const dexf_appender *a);
DEXF_EXTERN void dexf_appender_close(dexf_appender *a);

/*
 * Append one signed record (and its time-stamp token and attachments).
 * The record is durable when the call returns 0; a crash before leaves
 * the container as it was.  Records go only to the file opened and
 * locked: once `path` names another file (moved, or another renamed over
 * it), the call fails with DEXF_EIO, the file opened is left as it was,
 * and every later dexf_appender_add_*() call fails too.
 */
DEXF_EXTERN int dexf_appender_add_custody(dexf_appender *a,
	const dexf_custody *c);
DEXF_EXTERN int dexf_appender_add_annotation(dexf_appender *a,
	const dexf_annotation *an);
DEXF_EXTERN int dexf_appender_add_traceback(dexf_appender *a,
	const dexf_traceback *t);
/* Sequence number and SHA-256 (hex) of the newest record. */
DEXF_EXTERN unsigned dexf_appender_head_sequence(const dexf_appender *a);
DEXF_EXTERN const char *dexf_appender_head(const dexf_appender *a);

/* ---- reading the chain from a verification report ----------------- */

typedef enum {
	DEXF_RECORD_SEAL = 0,
	DEXF_RECORD_CUSTODY,
	DEXF_RECORD_ANNOTATION,
	DEXF_RECORD_TRACEBACK
} dexf_record_kind;

typedef struct dexf_record_info {
	unsigned sequence;
	dexf_record_kind kind;
	const char *kind_name;      /* "seal", "custody", ... */
	const char *entry;          /* META-INF/dexf/records/NNNNNN.xml */
	const char *sha256;         /* of the record bytes, recomputed */
	const char *time;           /* claimed by the author */
	dexf_party author;
	int valid;                  /* parsed, follows the rules, linked to
	                               its predecessor */
	const char *problem;        /* first problem with it, or NULL */
	const char *problem_kind;   /* its kind ("link-broken", ...) */
	/* signature */
	int signature_valid;
	dexf_trust trust;           /* judged at the trusted time if any */
	const char *trust_detail;
	const char *subject, *issuer, *fingerprint, *serial;
	const char *not_before, *not_after, *algorithm;
	/* RFC 3161 time-stamp token over the signature */
	int timestamped;            /* a token is present */
	int timestamp_valid;        /* imprint and TSA signature verify */
	dexf_trust tsa_trust;
	const char *timestamp;      /* time asserted by the TSA */
	const char *tsa_subject;
	/* body: exactly one is non-NULL for N >= 1 */
	const dexf_custody *custody;
	const dexf_annotation *annotation;
	const dexf_traceback *traceback;
} dexf_record_info;

/* Records in sequence order, the seal first.  Borrowed. */
DEXF_EXTERN size_t dexf_report_record_count(const dexf_report *rep);
DEXF_EXTERN const dexf_record_info *dexf_report_record(
	const dexf_report *rep, size_t i);
/* SHA-256 (hex) of the newest record that links to the seal: the value
 * to keep as a receipt for --head.  NULL when there is no seal. */
DEXF_EXTERN const char *dexf_report_head(const dexf_report *rep);
/* Sequence number of that record. */
DEXF_EXTERN unsigned dexf_report_head_sequence(const dexf_report *rep);

/* 1 when the file holds bytes of an interrupted append after the end of
 * the container (ignored, FORMAT.md 2.4): their offset and count. */
DEXF_EXTERN int dexf_report_trailing(const dexf_report *rep,
	uint64_t *offset, uint64_t *bytes);

/*
 * The trace-back records of a report as one IODEF v2 document (RFC 7970),
 * in a malloc()ed buffer.  DEXF_ENOTFOUND when there is none.
 */
DEXF_EXTERN int dexf_report_iodef(const dexf_report *rep, char **out,
	size_t *outlen);

#ifdef __cplusplus
}
#endif
#endif
