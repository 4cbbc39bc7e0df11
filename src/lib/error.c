/*
 * error.c - error codes and per-handle messages.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "error.h"

const char *
dexf_strerror(int code)
{
	switch (code) {
	case DEXF_OK: return "success";
	case DEXF_ENOTFOUND: return "not found";
	case DEXF_EFORMAT: return "not a readable dexf container";
	case DEXF_EINTEGRITY: return "integrity failure";
	case DEXF_EUNTRUSTED: return "signer not trusted";
	case DEXF_EIO: return "i/o error";
	case DEXF_ENOMEM: return "out of memory";
	case DEXF_EINVAL: return "invalid argument";
	case DEXF_EUNSUPPORTED: return "unsupported version or algorithm";
	case DEXF_EEXISTS: return "already exists";
	case DEXF_ECANCELED: return "canceled";
	case DEXF_ECRYPTO: return "key, certificate or signing error";
	case DEXF_EBUSY: return "locked by another process";
	case DEXF_ENETWORK: return "remote service unavailable";
	default: return "unknown error";
	}
}

static void
vset(dexf_err *e, int code, const char *fmt, va_list ap)
{
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int
dexf_seterr(dexf_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int
dexf_seterr_sys(dexf_err *e, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (e == NULL)
		return code;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(errnum));
	return code;
}

int
dexf_seterr_ssl(dexf_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	unsigned long err;
	size_t n;
	char buf[256];

	if (e == NULL) {
		ERR_clear_error();
		return code;
	}
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	/* The last queued error is usually the most specific one. */
	err = ERR_peek_last_error();
	if (err != 0) {
		ERR_error_string_n(err, buf, sizeof(buf));
		n = strlen(e->msg);
		snprintf(e->msg + n, sizeof(e->msg) - n, " (%s)", buf);
	}
	ERR_clear_error();
	return code;
}

void
dexf_clearerr(dexf_err *e)
{
	if (e != NULL) {
		e->code = 0;
		e->msg[0] = '\0';
	}
}

const char *
dexf_errstr(const dexf_err *e)
{
	if (e == NULL)
		return "invalid handle";
	if (e->msg[0] == '\0')
		return e->code ? dexf_strerror(e->code) : "no error";
	return e->msg;
}
