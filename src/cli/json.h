/*
 * json.h - a minimal streaming JSON writer for --json output.
 */
#ifndef DEXF_CLI_JSON_H
#define DEXF_CLI_JSON_H

#include <stdint.h>
#include <stdio.h>

typedef struct json {
	FILE *f;
	int depth;
	int first[32];
	int after_key;
} json;

void json_init(json *j, FILE *f);
void json_obj(json *j);
void json_arr(json *j);
void json_end_obj(json *j);
void json_end_arr(json *j);
void json_key(json *j, const char *k);
void json_str(json *j, const char *s);  /* NULL -> null */
void json_u64(json *j, uint64_t v);
void json_i64(json *j, int64_t v);
void json_bool(json *j, int v);
void json_kstr(json *j, const char *k, const char *s);
void json_ku64(json *j, const char *k, uint64_t v);
void json_kbool(json *j, const char *k, int v);
void json_done(json *j);

#endif
