/*
 * error.h - the error slot every handle carries.
 */
#ifndef DEXF_ERROR_INT_H
#define DEXF_ERROR_INT_H

#include "dexf/errors.h"

#define DEXF_ERRMSG_MAX 1024

typedef struct dexf_err {
	int code;
	char msg[DEXF_ERRMSG_MAX];
} dexf_err;

/* Record code and message on `e` (which may be NULL) and return `code`.
 * Messages are lowercase, no trailing period, and name object and place. */
int dexf_seterr(dexf_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like dexf_seterr, with ": <strerror(errnum)>" appended. */
int dexf_seterr_sys(dexf_err *e, int code, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Append the OpenSSL error queue (and clear it) to e's message. */
int dexf_seterr_ssl(dexf_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dexf_clearerr(dexf_err *e);
const char *dexf_errstr(const dexf_err *e);

#endif
