/*
 * version.c - run-time version information.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l.h>
#endif

#define STR_(x) #x
#define STR(x) STR_(x)
/* no run-time version call in ISA-L: the headers' version, if they say */
#ifdef ISAL_MAJOR_VERSION
#define ISAL_NAME "ISA-L " STR(ISAL_MAJOR_VERSION) "." STR(ISAL_MINOR_VERSION)
#else
#define ISAL_NAME "ISA-L"
#endif

#include "dexf/version.h"
#include "chunk.h"

const char *
dexf_version(void)
{
	return DEXF_VERSION_STRING;
}

int
dexf_version_number(void)
{
	return DEXF_VERSION_NUMBER;
}

/* The deflate engine in use first, then the other one if built in. */
static void
deflate_backends(char *buf, size_t size)
{
#ifdef HAVE_ISAL
	if (strcmp(dexf_deflate_engine(), "isal") == 0)
		snprintf(buf, size, ISAL_NAME " (igzip) deflate, dexf "
		    "strict inflate, zlib %s (fallback)", zlibVersion());
	else
		snprintf(buf, size, "zlib %s (deflate, DEXF_DEFLATE=zlib), "
		    ISAL_NAME " (not used)", zlibVersion());
#else
	snprintf(buf, size, "zlib %s (deflate)", zlibVersion());
#endif
}

const char *
dexf_backends(void)
{
	static char buf[320];
	char deflate[128];

	if (buf[0] == '\0') {
		deflate_backends(deflate, sizeof(deflate));
		snprintf(buf, sizeof(buf), "%s, %s, libxml2 %s",
		    OpenSSL_version(OPENSSL_VERSION), deflate,
		    LIBXML_DOTTED_VERSION);
	}
	return buf;
}
