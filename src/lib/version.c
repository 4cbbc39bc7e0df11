/*
 * version.c - run-time version information.
 */
#include "config.h"

#include <stdio.h>

#include <archive.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <zlib.h>

#include "dexf/version.h"

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

const char *
dexf_backends(void)
{
	static char buf[256];

	if (buf[0] == '\0')
		snprintf(buf, sizeof(buf), "%s, zlib %s (deflate), libxml2 %s, "
		    "%s", OpenSSL_version(OPENSSL_VERSION), zlibVersion(),
		    LIBXML_DOTTED_VERSION, archive_version_string());
	return buf;
}
