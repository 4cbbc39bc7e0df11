/*
 * cmd_verify.c - dexf verify: one verdict per container, with the place of
 * every problem, the signer, and what was covered.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf verify [options] CASE.dexf...\n"
"       dexf verify [options] --item ITEM [--range OFF:LEN] CASE.dexf\n\n"
"Recompute every digest from the bytes, check the seal record and its\n"
"signature, and account for every entry.  Trust in the signer comes only\n"
"from the anchors given here, never from the container.\n\n"
"  -t, --trust CA.pem       trusted CA certificates (file or hashed\n"
"                           directory; repeatable)\n"
"  -s, --signer CERT.pem    trust exactly this signer certificate\n"
"                           (repeatable)\n"
"      --tsa-trust CA.pem   CA certificates trusted for time-stamp\n"
"                           authorities (repeatable); a trusted token's time\n"
"                           is when the record's signer is judged\n"
"      --head SHA256        a head kept earlier (a receipt): the record chain\n"
"                           must still reach it, or the chain is broken\n"
"  -i, --integrity-only     exit 0 for intact containers whatever the\n"
"                           signer (the report still says who signed)\n"
"      --quick              check structure, manifest, chunk indexes and\n"
"                           signature without reading evidence data\n"
"      --item ITEM          check evidence data of item ITEM (path or id)\n"
"                           only: every chunk of it, or with --range only\n"
"      --range OFF:LEN      the chunks covering bytes OFF..OFF+LEN-1 (OFF:\n"
"                           runs to the end; K, M, G suffixes), each checked\n"
"                           against the sealed Merkle root through its\n"
"                           inclusion path.  Damage outside is not found.\n"
"  -j, --threads N          worker threads (default 0: every online CPU)\n"
"      --json               machine-readable report on stdout\n"
"  -q, --quiet              only the verdict line\n"
"  -h, --help\n\n"
"Every record after the seal (custody events, annotations, trace-back)\n"
"is checked too: its link to the one before, its signature and signer\n"
"trust, its time-stamp and its attachments.  The head printed at the end\n"
"is the receipt to keep for --head.  With --item, everything but the\n"
"other items' evidence data is checked as with --quick, and the verdict\n"
"says it covers that item or range only.\n\n"
"Exit: 0 intact and trusted; 1 tampered, damaged, broken seal, record\n"
"chain or signature; 2 usage; 3 intact but a signer not established; 4\n"
"not a readable dexf container.  With several containers, the worst.\n"
"A missing item or a range outside it is a usage error (2).\n");
}

enum { O_QUICK = 256, O_JSON, O_TSA_TRUST, O_HEAD, O_ITEM, O_RANGE };

static const struct option opts[] = {
	{ "trust", required_argument, NULL, 't' },
	{ "signer", required_argument, NULL, 's' },
	{ "integrity-only", no_argument, NULL, 'i' },
	{ "quick", no_argument, NULL, O_QUICK },
	{ "json", no_argument, NULL, O_JSON },
	{ "tsa-trust", required_argument, NULL, O_TSA_TRUST },
	{ "head", required_argument, NULL, O_HEAD },
	{ "item", required_argument, NULL, O_ITEM },
	{ "range", required_argument, NULL, O_RANGE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "threads", required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

static const char *
item_status(dexf_item_status s)
{
	switch (s) {
	case DEXF_ITEM_OK: return "ok";
	case DEXF_ITEM_MISMATCH: return "mismatch";
	case DEXF_ITEM_MISSING: return "missing";
	case DEXF_ITEM_PARTIAL: return "partial";
	default: return "not-checked";
	}
}

static const char *
headline(dexf_verdict v)
{
	switch (v) {
	case DEXF_VERDICT_INTACT_TRUSTED: return "INTACT, SIGNER TRUSTED";
	case DEXF_VERDICT_INTACT_UNTRUSTED: return "INTACT, SIGNER NOT ESTABLISHED";
	case DEXF_VERDICT_INTACT_UNSIGNED: return "INTACT, UNSIGNED";
	case DEXF_VERDICT_TAMPERED: return "TAMPERED";
	case DEXF_VERDICT_CHAIN_BROKEN: return "SEAL BROKEN";
	case DEXF_VERDICT_UNREADABLE: return "UNREADABLE";
	case DEXF_VERDICT_UNSUPPORTED: return "UNSUPPORTED";
	}
	return "?";
}

static void json_records(json *j, const dexf_report *rep);

/* A narrower scope is said next to the verdict, so a partial check never
 * reads like a verification of the whole container. */
static const char *
scope_tag(const dexf_scope *sc)
{
	switch (sc->kind) {
	case DEXF_SCOPE_ITEM: return " (ONE ITEM ONLY)";
	case DEXF_SCOPE_RANGE: return " (ONE RANGE ONLY)";
	case DEXF_SCOPE_PROOF: return " (PROOF OF ONE RANGE)";
	default: return "";
	}
}

static void
json_scope(json *j, const dexf_scope *sc)
{
	int located = sc->item != NULL;
	int ranged = located && sc->kind != DEXF_SCOPE_CONTAINER &&
	    sc->kind != DEXF_SCOPE_QUICK;

	json_key(j, "scope");
	json_obj(j);
	json_kstr(j, "kind", dexf_scope_name(sc->kind));
	json_kstr(j, "item", sc->item);
	json_key(j, "offset");
	ranged ? json_u64(j, sc->offset) : json_str(j, NULL);
	json_key(j, "length");
	ranged ? json_u64(j, sc->length) : json_str(j, NULL);
	json_key(j, "chunk_first");
	sc->chunk_first >= 0 ? json_i64(j, sc->chunk_first) : json_str(j, NULL);
	json_key(j, "chunk_last");
	sc->chunk_last >= 0 ? json_i64(j, sc->chunk_last) : json_str(j, NULL);
	json_kstr(j, "description", sc->description);
	json_end_obj(j);
}

void
cli_json_report(json *j, const char *path, const dexf_report *rep,
    int exit_code, const char *const *trust, size_t ntrust,
    const char *const *signers, size_t nsigners)
{
	const dexf_seal_info *s = dexf_report_seal(rep);
	const dexf_coverage *c = dexf_report_coverage(rep);
	static const char *const keys[] = { "container-id", "format-version",
	    "created", "case.number", "case.name", "case.description",
	    "case.authorization" };

	json_obj(j);
	json_kstr(j, "file", path);
	json_kstr(j, "verdict", dexf_verdict_name(dexf_report_verdict(rep)));
	json_ku64(j, "exit_code", (uint64_t)exit_code);
	json_kstr(j, "summary", dexf_report_summary(rep));
	json_key(j, "container");
	json_obj(j);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_kstr(j, keys[i], dexf_report_get(rep, keys[i]));
	json_end_obj(j);
	json_key(j, "seal");
	json_obj(j);
	json_kbool(j, "present", s->present);
	json_kbool(j, "signed", s->signed_);
	json_kbool(j, "signature_valid", s->signature_valid);
	json_kstr(j, "trust", dexf_trust_name(s->trust));
	json_kstr(j, "trust_detail", s->trust_detail);
	json_key(j, "trust_anchors");
	json_arr(j);
	for (size_t i = 0; i < ntrust; i++)
		json_str(j, trust[i]);
	json_end_arr(j);
	json_key(j, "pinned_signers");
	json_arr(j);
	for (size_t i = 0; i < nsigners; i++)
		json_str(j, signers[i]);
	json_end_arr(j);
	json_kstr(j, "sealed_at", s->sealed_at);
	json_kstr(j, "sealed_by", s->sealed_by);
	json_kstr(j, "signer_subject", s->subject);
	json_kstr(j, "signer_issuer", s->issuer);
	json_kstr(j, "signer_fingerprint_sha256", s->fingerprint);
	json_kstr(j, "signer_serial", s->serial);
	json_kstr(j, "signer_not_before", s->not_before);
	json_kstr(j, "signer_not_after", s->not_after);
	json_kstr(j, "signing_time_claimed", s->signing_time);
	json_kstr(j, "algorithm", s->algorithm);
	json_kstr(j, "manifest_sha256", s->manifest_sha256);
	json_end_obj(j);
	json_key(j, "items");
	json_arr(j);
	for (size_t i = 0; i < dexf_report_item_count(rep); i++) {
		const dexf_item_result *it = dexf_report_item(rep, i);

		if (it->path == NULL)
			continue;
		json_obj(j);
		json_kstr(j, "id", it->id);
		json_kstr(j, "path", it->path);
		json_kstr(j, "status", item_status(it->status));
		json_ku64(j, "size", it->size);
		json_ku64(j, "chunks", it->chunks);
		json_ku64(j, "bad_chunks", it->bad_chunks);
		json_kstr(j, "sha256", it->sha256);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "problems");
	json_arr(j);
	for (size_t i = 0; i < dexf_report_problem_count(rep); i++) {
		const dexf_problem *p = dexf_report_problem(rep, i);

		json_obj(j);
		json_kstr(j, "kind", p->kind);
		json_kstr(j, "entry", p->entry);
		json_kstr(j, "item", p->item);
		if (p->chunk >= 0) {
			json_key(j, "chunk_first");
			json_i64(j, p->chunk);
			json_key(j, "chunk_last");
			json_i64(j, p->chunk_last);
			json_ku64(j, "byte_offset", p->offset);
			json_ku64(j, "byte_length", p->length);
		}
		json_kstr(j, "message", p->message);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "coverage");
	json_obj(j);
	json_kbool(j, "quick", c->quick);
	json_ku64(j, "entries", c->entries);
	json_ku64(j, "entries_accounted", c->entries_accounted);
	json_ku64(j, "items", c->items);
	json_ku64(j, "items_checked", c->items_checked);
	json_ku64(j, "chunks_checked", c->chunks_checked);
	json_ku64(j, "bytes_hashed", c->bytes_hashed);
	json_ku64(j, "unreadable_bytes", c->unreadable_bytes);
	json_ku64(j, "digests_not_checked", c->digests_not_checked);
	json_kbool(j, "manifest_bound", c->manifest_bound);
	json_end_obj(j);
	json_scope(j, dexf_report_scope(rep));
	json_records(j, rep);
	json_end_obj(j);
}

void
cli_json_begin(json *j)
{
	json_init(j, stdout);
	json_obj(j);
	json_ku64(j, "dexf_verify_report", 1);
	json_key(j, "containers");
	json_arr(j);
}

void
cli_json_end(json *j, int exit_code)
{
	json_end_arr(j);
	json_ku64(j, "exit_code", (uint64_t)exit_code);
	json_end_obj(j);
	json_done(j);
}

static const char *
record_trust(const dexf_record_info *r)
{
	return dexf_trust_name(r->trust);
}

static void
json_records(json *j, const dexf_report *rep)
{
	uint64_t toff, tlen;

	cli_log_head_json(j, rep);
	json_key(j, "trailing");
	if (dexf_report_trailing(rep, &toff, &tlen)) {
		json_obj(j);
		json_ku64(j, "offset", toff);
		json_ku64(j, "bytes", tlen);
		json_end_obj(j);
	} else
		json_str(j, NULL);
	json_key(j, "records");
	json_arr(j);
	for (size_t i = 0; i < dexf_report_record_count(rep); i++) {
		const dexf_record_info *r = dexf_report_record(rep, i);

		json_obj(j);
		cli_log_record_json(j, r, 1);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void
human_records(FILE *f, const dexf_report *rep)
{
	uint64_t toff, tlen;

	for (size_t i = 1; i < dexf_report_record_count(rep); i++) {
		const dexf_record_info *r = dexf_report_record(rep, i);

		fprintf(f, "  record %06u %-10s %s %s%s%s, signer %s: %s%s%s%s\n",
		    r->sequence, r->kind_name ? r->kind_name : "?",
		    r->time ? r->time : "?",
		    r->author.name ? r->author.name : "?",
		    r->author.org ? ", " : "", r->author.org ? r->author.org :
		    "", r->subject ? r->subject : "?",
		    r->signature_valid ? record_trust(r) : "signature invalid",
		    r->timestamped ? "; time-stamped " : "",
		    r->timestamped ? (r->timestamp ? r->timestamp : "?") : "",
		    r->valid ? "" : " [NOT VALID]");
	}
	if (dexf_report_head(rep) != NULL)
		fprintf(f, "  head        %06u %s\n", dexf_report_head_sequence(rep),
		    dexf_report_head(rep));
	if (dexf_report_trailing(rep, &toff, &tlen))
		fprintf(f, "  note        %llu bytes of an interrupted append after "
		    "offset %llu are not part of the container (the next "
		    "append removes them)\n", (unsigned long long)tlen,
		    (unsigned long long)toff);
}

void
cli_verify_human(FILE *f, const char *path, const dexf_report *rep,
    int quiet)
{
	const dexf_seal_info *s = dexf_report_seal(rep);
	const dexf_coverage *c = dexf_report_coverage(rep);
	const dexf_scope *sc = dexf_report_scope(rep);
	char hb[32];

	fprintf(f, "%s%s: %s\n", headline(dexf_report_verdict(rep)),
	    scope_tag(sc), dexf_report_summary(rep));
	if (quiet)
		return;
	if (sc->kind != DEXF_SCOPE_CONTAINER && sc->kind != DEXF_SCOPE_QUICK)
		fprintf(f, "  scope       %s: %s\n", dexf_scope_name(sc->kind),
		    sc->description);
	if (s->present) {
		fprintf(f, "  sealed      %s%s%s\n", s->sealed_at ? s->sealed_at : "?",
		    s->sealed_by ? " by " : "", s->sealed_by ? s->sealed_by : "");
		if (s->signed_) {
			fprintf(f, "  signature   %s (%s)\n", s->signature_valid ?
			    "valid" : "INVALID", s->algorithm ? s->algorithm :
			    "?");
			if (s->subject) {
				fprintf(f, "  signer      %s\n", s->subject);
				fprintf(f, "  issuer      %s\n", s->issuer);
				fprintf(f, "  fingerprint sha256:%s\n",
				    s->fingerprint);
				fprintf(f, "  validity    %s to %s\n", s->not_before,
				    s->not_after);
			}
			if (s->signing_time)
				fprintf(f, "  signed at   %s (claimed by the "
				    "signer)\n", s->signing_time);
		}
		fprintf(f, "  trust       %s: %s\n", dexf_trust_name(s->trust),
		    s->trust_detail ? s->trust_detail : "");
	}
	if (dexf_report_item_count(rep) > 0 && !c->manifest_bound)
		fprintf(f, "  note        items were checked against a manifest "
		    "that no valid seal binds\n");
	for (size_t i = 0; i < dexf_report_item_count(rep); i++) {
		const dexf_item_result *it = dexf_report_item(rep, i);

		if (it->path == NULL)
			continue;
		fprintf(f, "  item %-11s %s (%s)\n", item_status(it->status),
		    it->path, cli_human(it->size, hb, sizeof(hb)));
	}
	for (size_t i = 0; i < dexf_report_problem_count(rep); i++) {
		const dexf_problem *p = dexf_report_problem(rep, i);

		fprintf(f, "  problem [%s] %s\n", p->kind, p->message);
	}
	human_records(f, rep);
	fprintf(f, "  coverage    %llu/%llu entries accounted, %llu/%llu items, "
	    "%llu chunks, %s recomputed%s",
	    (unsigned long long)c->entries_accounted,
	    (unsigned long long)c->entries, (unsigned long long)c->items_checked,
	    (unsigned long long)c->items, (unsigned long long)c->chunks_checked,
	    cli_human(c->bytes_hashed, hb, sizeof(hb)),
	    c->quick ? " (quick: evidence data not read)" :
	    sc->kind == DEXF_SCOPE_ITEM || sc->kind == DEXF_SCOPE_RANGE ?
	    " (other evidence data not read)" : "");
	if (c->unreadable_bytes)
		fprintf(f, ", %s declared unreadable at acquisition",
		    cli_human(c->unreadable_bytes, hb, sizeof(hb)));
	if (c->digests_not_checked)
		fprintf(f, ", %llu digest(s) of unknown algorithms not checked",
		    (unsigned long long)c->digests_not_checked);
	fprintf(f, "\n");
}

static int
worse(int a, int b)
{
	/* 4 > 1 > 3 > 0 in severity; 2 never comes from a verdict */
	static const int rank[] = { 0, 2, 4, 1, 3 };

	return rank[b] > rank[a] ? b : a;
}

int
cmd_verify(int argc, char **argv)
{
	const char *head = NULL, *item = NULL;
	cli_anchors an;
	uint64_t off = 0, len = 0;
	int c, integrity_only = 0, quick = 0, as_json = 0, quiet = 0;
	int ec = EXIT_USAGE, worst = 0, threads = 0, ranged = 0, started = 0;
	json j;

	if (cli_anchors_init(&an, argc) != 0)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:s:iqhj:", opts, NULL)) != -1) {
		switch (c) {
		case 'j': {
			uint64_t v;

			if (cli_parse_u64(optarg, &v) != 0 || v > 64) {
				cli_err("verify", "--threads must be 0 (all CPUs) "
				    "to 64");
				goto out;
			}
			threads = (int)v;
			break;
		}
		case 't': an.trust[an.ntrust++] = optarg; break;
		case 's': an.signers[an.nsigners++] = optarg; break;
		case 'i': integrity_only = 1; break;
		case 'q': quiet = 1; break;
		case O_QUICK: quick = 1; break;
		case O_JSON: as_json = 1; break;
		case O_TSA_TRUST: an.tsa[an.ntsa++] = optarg; break;
		case O_ITEM: item = optarg; break;
		case O_RANGE:
			if (cli_parse_range(optarg, &off, &len) != 0) {
				cli_err("verify", "--range '%s' is not OFF:LEN or "
				    "OFF: (sizes with optional K, M, G)", optarg);
				goto out;
			}
			ranged = 1;
			break;
		case O_HEAD: {
			unsigned k;

			for (k = 0; optarg[k] && k < 65; k++)
				if (!strchr("0123456789abcdefABCDEF", optarg[k]))
					break;
			if (k != 64 || optarg[64] != '\0') {
				cli_err("verify", "--head '%s' is not a SHA-256 "
				    "digest (64 hex digits)", optarg);
				goto out;
			}
			head = optarg;
			break;
		}
		case 'h': help(stdout); ec = 0; goto out;
		default: help(stderr); goto out;
		}
	}
	if (optind >= argc) {
		cli_err("verify", "no container given");
		goto out;
	}
	if (cli_anchors_check("verify", &an) != 0)
		goto out;
	if (as_json && quiet) {
		cli_err("verify", "--json conflicts with --quiet");
		goto out;
	}
	if (ranged && item == NULL) {
		cli_err("verify", "--range needs --item");
		goto out;
	}
	if (item != NULL && quick) {
		cli_err("verify", "--item conflicts with --quick (it checks the "
		    "rest as --quick does)");
		goto out;
	}
	if (item != NULL && optind + 1 != argc) {
		cli_err("verify", "--item takes exactly one container");
		goto out;
	}
	cli_catch_signals();
	for (int i = optind; i < argc; i++) {
		dexf_report *rep = NULL;
		dexf_verify_opts vo;
		cli_progress prog;
		int rc, e;

		cli_anchors_opts(&an, &vo, &prog);
		vo.flags = quick ? DEXF_VERIFY_QUICK : 0;
		vo.threads = threads;
		vo.head = head;
		cli_progress_init(&prog, "verifying", quiet || as_json);
		if (item == NULL)
			rc = dexf_verify(&rep, argv[i], &vo);
		else if (ranged)
			rc = dexf_verify_range(&rep, argv[i], item, off, len, &vo);
		else
			rc = dexf_verify_item(&rep, argv[i], item, &vo);
		cli_progress_end(&prog);
		if (rep != NULL && rc != 0) {
			/* no such item, or a range outside it: no verdict */
			cli_err("verify", "%s", dexf_report_summary(rep));
			dexf_report_free(rep);
			goto out;
		}
		if (rc != 0) {
			cli_err("verify", "%s: %s", argv[i], rc ==
			    DEXF_ECANCELED ? "interrupted" : dexf_strerror(rc));
			ec = rc == DEXF_ECANCELED ? 130 : EXIT_UNREADABLE;
			goto out;
		}
		e = cli_exit_for_verdict(dexf_report_verdict(rep),
		    integrity_only);
		worst = worse(worst, e);
		if (as_json && !started) {
			/* opened only now: a usage error above prints none */
			started = 1;
			cli_json_begin(&j);
		}
		if (as_json)
			cli_json_report(&j, argv[i], rep, e, an.trust,
			    an.ntrust, an.signers, an.nsigners);
		else
			cli_verify_human(stdout, argv[i], rep, quiet);
		dexf_report_free(rep);
	}
	if (as_json)
		cli_json_end(&j, worst);
	ec = worst;
out:
	cli_anchors_free(&an);
	return ec;
}
