/*
 * test_path.c - stored path rules (FORMAT.md 3.3) and UTF-8 validation.
 */
#include "config.h"

#include <stdlib.h>

#include "path.h"
#include "unit.h"

static void
expect_ok(const char *p, const char *label, unsigned line)
{
	const char *why = dexf_path_check(p);
	char what[256];

	snprintf(what, sizeof(what), "path %s accepted (reason given: %s)",
	    label, why ? why : "none");
	CU_assertImplementation(why == NULL ? CU_TRUE : CU_FALSE, line, what,
	    __FILE__, "", CU_FALSE);
}

/* Rejected, with a reason containing `reason`. */
static void
expect_bad(const char *p, const char *reason, const char *label,
    unsigned line)
{
	const char *why = dexf_path_check(p);
	char what[256];

	snprintf(what, sizeof(what), "path %s rejected as '%s' (got: %s)",
	    label, reason, why ? why : "accepted");
	CU_assertImplementation(why != NULL && strstr(why, reason) != NULL ?
	    CU_TRUE : CU_FALSE, line, what, __FILE__, "", CU_FALSE);
}

#define OK(p) expect_ok((p), #p, __LINE__)
#define BAD(p, r) expect_bad((p), (r), #p, __LINE__)

static void
path_accepts_ordinary_relative_paths(void)
{
	OK("a");
	OK("disk.img");
	OK("notes/seizure.txt");
	OK("a/b/c/d/e");
	OK(".hidden");
	OK("a/.b/..c/c..");
	OK("...");
	OK(" leading and trailing spaces ");
	OK("colon:star*question?");
	OK("CON");                      /* Windows names are allowed */
	OK("caf\xc3\xa9");              /* U+00E9 */
	OK("cafe\xcc\x81");             /* e + U+0301, not normalized */
	OK("\xc2\x80\xc2\x9f");         /* C1 controls are allowed */
	OK("\xf0\x9f\x93\x81/\xe2\x82\xac");  /* U+1F4C1 / U+20AC */
	OK("\xf4\x8f\xbf\xbf");         /* U+10FFFF */
	OK("\xed\x9f\xbf");             /* U+D7FF, just below surrogates */
}

static void
path_rejects_empty(void)
{
	BAD("", "empty");
	BAD(NULL, "empty");
}

static void
path_rejects_absolute(void)
{
	BAD("/etc/passwd", "absolute");
	BAD("/", "absolute");
}

static void
path_rejects_dot_and_dotdot_components(void)
{
	BAD("..", "'..'");
	BAD("../x", "'..'");
	BAD("a/../b", "'..'");
	BAD("a/..", "'..'");
	BAD(".", "'.'");
	BAD("./a", "'.'");
	BAD("a/./b", "'.'");
	BAD("a/.", "'.'");
}

static void
path_rejects_empty_component_and_trailing_slash(void)
{
	BAD("a//b", "empty component");
	BAD("a/", "ends with '/'");
	BAD("a/b/", "ends with '/'");
}

static void
path_rejects_backslash(void)
{
	BAD("a\\b", "backslash");
	BAD("..\\x", "backslash");
	BAD("\\", "backslash");
}

static void
path_rejects_controls(void)
{
	char p[4] = { 'a', 0, 'b', 0 };

	for (int c = 1; c < 0x20; c++) {
		p[1] = (char)c;
		expect_bad(p, "control", "with a C0 control", __LINE__);
	}
	BAD("a\x7f" "b", "control");
	BAD("\t", "control");
	BAD("line\nbreak", "control");
}

static void
path_length_limit_is_4096_bytes(void)
{
	char *p = malloc(DEXF_PATH_MAX + 2);
	size_t i;

	if (p == NULL) {
		CU_FAIL("malloc");
		return;
	}
	/* 4096 bytes in components of 200 bytes */
	for (i = 0; i < DEXF_PATH_MAX; i++)
		p[i] = (i % 201 == 200) ? '/' : 'x';
	p[DEXF_PATH_MAX] = '\0';
	OK(p);
	p[DEXF_PATH_MAX] = 'y';
	p[DEXF_PATH_MAX + 1] = '\0';
	BAD(p, "longer than 4096");
	free(p);
}

static void
path_component_limit_is_255_bytes(void)
{
	char p[600];

	memset(p, 'c', 255);
	p[255] = '\0';
	OK(p);
	memset(p, 'c', 256);
	p[256] = '\0';
	BAD(p, "longer than 255");
	/* in the middle of a path */
	memcpy(p, "dir/", 4);
	memset(p + 4, 'c', 256);
	memcpy(p + 260, "/f", 3);
	BAD(p, "longer than 255");
	/* 128 two-byte characters are 256 bytes */
	for (int i = 0; i < 128; i++)
		memcpy(p + 2 * i, "\xc3\xa9", 2);
	p[256] = '\0';
	BAD(p, "longer than 255");
}

static void
path_rejects_invalid_utf8(void)
{
	BAD("\xc0\xaf", "UTF-8");              /* overlong '/' */
	BAD("a\xc1\xbf", "UTF-8");             /* overlong */
	BAD("\xe0\x80\xaf", "UTF-8");          /* 3-byte overlong */
	BAD("\xe0\x9f\xbf", "UTF-8");          /* overlong U+07FF */
	BAD("\xf0\x8f\xbf\xbf", "UTF-8");      /* overlong U+FFFF */
	BAD("\xed\xa0\x80", "UTF-8");          /* U+D800 surrogate */
	BAD("\xed\xbf\xbf", "UTF-8");          /* U+DFFF surrogate */
	BAD("\xf4\x90\x80\x80", "UTF-8");      /* U+110000 */
	BAD("\xf5\x80\x80\x80", "UTF-8");      /* lead byte > F4 */
	BAD("\xff", "UTF-8");
	BAD("\x80", "UTF-8");                  /* lone continuation */
	BAD("ab\xc3", "UTF-8");                /* truncated 2-byte */
	BAD("ab\xe2\x82", "UTF-8");            /* truncated 3-byte */
	BAD("\xf0\x9f\x93", "UTF-8");          /* truncated 4-byte */
	BAD("\xe2\x82/x", "UTF-8");            /* truncated before '/' */
	BAD("\xc3\x28", "UTF-8");              /* bad continuation */
}

/* FORMAT.md 3.3 rule 1: no U+FFFE or U+FFFF (XML cannot carry them). */
static void
path_rejects_noncharacters_fffe_ffff(void)
{
	BAD("a\xef\xbf\xbe", "");
	BAD("\xef\xbf\xbf", "");
}

static void
utf8_valid_checks_exact_length_and_nul(void)
{
	UA_INT(dexf_utf8_valid("", 0), 1);
	UA_INT(dexf_utf8_valid("abc", 3), 1);
	UA_INT(dexf_utf8_valid("a\0b", 3), 0);          /* NUL inside */
	UA_INT(dexf_utf8_valid("\xc3\xa9", 2), 1);
	UA_INT(dexf_utf8_valid("\xc3\xa9", 1), 0);      /* cut by len */
	UA_INT(dexf_utf8_valid("\xf0\x9f\x93\x81", 4), 1);
	UA_INT(dexf_utf8_valid("\xf0\x9f\x93\x81", 3), 0);
	UA_INT(dexf_utf8_valid("\xc2\x80", 2), 1);      /* smallest 2-byte */
	UA_INT(dexf_utf8_valid("\xe0\xa0\x80", 3), 1);  /* smallest 3-byte */
	UA_INT(dexf_utf8_valid("\xf0\x90\x80\x80", 4), 1); /* smallest 4 */
	UA_INT(dexf_utf8_valid("\xee\x80\x80", 3), 1);  /* U+E000 */
	UA_INT(dexf_utf8_valid("\xed\xa0\x80", 3), 0);
	UA_INT(dexf_utf8_valid("\xc0\x80", 2), 0);      /* overlong NUL */
}

static const unit_test tests[] = {
	{ "path_accepts_ordinary_relative_paths",
	    path_accepts_ordinary_relative_paths },
	{ "path_rejects_empty", path_rejects_empty },
	{ "path_rejects_absolute", path_rejects_absolute },
	{ "path_rejects_dot_and_dotdot_components",
	    path_rejects_dot_and_dotdot_components },
	{ "path_rejects_empty_component_and_trailing_slash",
	    path_rejects_empty_component_and_trailing_slash },
	{ "path_rejects_backslash", path_rejects_backslash },
	{ "path_rejects_controls", path_rejects_controls },
	{ "path_length_limit_is_4096_bytes", path_length_limit_is_4096_bytes },
	{ "path_component_limit_is_255_bytes",
	    path_component_limit_is_255_bytes },
	{ "path_rejects_invalid_utf8", path_rejects_invalid_utf8 },
	{ "path_rejects_noncharacters_fffe_ffff",
	    path_rejects_noncharacters_fffe_ffff },
	{ "utf8_valid_checks_exact_length_and_nul",
	    utf8_valid_checks_exact_length_and_nul },
	{ NULL, NULL }
};

int
unit_register_path(void)
{
	return unit_add_suite("path", NULL, NULL, tests);
}
