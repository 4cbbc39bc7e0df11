/*
 * cmd_trace.c - dexf trace: dispatch of `trace show` and `trace add`, and
 * `trace show`: the reconstructed attack path of each incident, hop by hop
 * from the victim toward the source, with who asserted every hop.
 *
 * The path of an incident is the hops of all its trace-back records, in
 * record order then hop order (brief "chain.md").  Records that did not
 * verify are still shown, marked invalid (text: "RECORD NOT VALID", json:
 * "valid": false, dot: red), and the container's problems go to stderr.
 *
 * --format json shape (version 1):
 *   { "dexf_trace": 1, "file": str, "verdict": str, "exit_code": n,
 *     "head": {"sequence": n, "sha256": hex} | null,
 *     "incidents": [ {
 *         "id": str, "organization": str,
 *         "flow": {"protocol": str, "start": str|null, "end": str|null,
 *                  "source": {"address", "port"},
 *                  "destination": {"address", "port"}},
 *         "hops": [ { "index": n (1 = nearest the victim),
 *             "point": {"address", "asn", "router", "interface"},
 *             "time", "observed_source", "spoofed",
 *             "upstream": {"address", "asn"} | null,
 *             "method", "confidence",
 *             "evidence": [ {"item", "sha256"} ],
 *             "contact": {"role", "name", "organization", "email",
 *                         "phone"},
 *             "note",
 *             "asserted_by": { record members as in `dexf log --json`:
 *                 sequence, kind, entry, sha256, time, author, valid,
 *                 problem, signature{...}, timestamp } } ],
 *         "result": {"value": str, "sequence": n} } ],
 *     "problems": [ {"kind", "entry", "message"} ] }
 *
 * --format dot: one Graphviz digraph; per incident a cluster with the
 * victim, one node per hop and the source end, edges pointing from the
 * source side toward the victim (victim <- hop 1 <- hop 2 ... <- source),
 * each hop's edge labelled with its method and confidence; hop nodes are
 * filled green (record valid, signer trusted), orange (signer untrusted,
 * expired or unknown) or red (record or signature invalid).
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
"usage: dexf trace show [options] CASE.dexf\n\n"
"Show the attack path reconstructed from the container's trace-back\n"
"records: per incident the flow (the victim, and the source the packets\n"
"claimed), then every hop from the victim toward the source with its\n"
"observation point, time, observed source (spoofed or not), upstream hop,\n"
"method, confidence and evidence, and who asserted it: the record, its\n"
"author, its signer and how far that signer is trusted.  The evidence data\n"
"itself is not read (like 'dexf verify --quick').\n\n"
"  -f, --format F           text (default), json, dot (Graphviz) or iodef\n"
"                           (one RFC 7970 IODEF v2 document)\n"
"      --json               same as --format json\n"
"  -t, --trust CA.pem       trusted CA certificates (repeatable)\n"
"  -s, --signer CERT.pem    trust exactly this signer (repeatable)\n"
"      --tsa-trust CA.pem   CA certificates trusted for time-stamp\n"
"                           authorities (repeatable)\n"
"  -h, --help\n\n"
"Without trace-back records: text prints \"no trace-back records\", json an\n"
"empty \"incidents\" list, dot an empty graph, iodef nothing (and the same\n"
"line on stderr); the exit code is then the container's.\n\n"
"Exit: 0 shown, and every record asserting a hop is valid and its signer\n"
"trusted; 1 the container is tampered or its record chain broken (what\n"
"verifies is still shown, invalid records are marked, the problems go to\n"
"stderr); 2 usage; 3 shown, but some asserting signer is not established\n"
"(untrusted, expired, or no --trust/--signer given); 4 not a readable\n"
"dexf container.\n");
}

enum fmt { F_TEXT, F_JSON, F_DOT, F_IODEF };

/* The trace-back records of an incident, in record order. */
typedef struct incident {
	const dexf_traceback *first;
	const dexf_record_info **recs;
	size_t n;
} incident;

static int
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static const char *
s_(const char *s)
{
	return s != NULL ? s : "-";
}

/* Group recs (trace-back records only) by incident; malloc'd array. */
static incident *
group(const dexf_record_info *const *recs, size_t n, size_t *nout)
{
	incident *inc = calloc(n ? n : 1, sizeof(*inc));
	size_t ni = 0;

	if (inc == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const dexf_traceback *t = recs[i]->traceback;
		size_t k;

		for (k = 0; k < ni; k++)
			if (same(inc[k].first->incident_id, t->incident_id) &&
			    same(inc[k].first->incident_org, t->incident_org))
				break;
		if (k == ni) {
			inc[ni].first = t;
			inc[ni].recs = calloc(n, sizeof(*inc[ni].recs));
			if (inc[ni].recs == NULL)
				goto fail;
			ni++;
		}
		inc[k].recs[inc[k].n++] = recs[i];
	}
	*nout = ni;
	return inc;
fail:
	for (size_t k = 0; k < ni; k++)
		free(inc[k].recs);
	free(inc);
	return NULL;
}

static void
ungroup(incident *inc, size_t n)
{
	for (size_t k = 0; inc != NULL && k < n; k++)
		free(inc[k].recs);
	free(inc);
}

/* ------------------------------------------------------------ text */

static void
endpoint(const char *addr, const char *port)
{
	if (addr == NULL)
		printf("-");
	else if (port != NULL && strchr(addr, ':') != NULL)
		printf("[%s]:%s", addr, port);
	else
		printf("%s%s%s", addr, port ? ":" : "", port ? port : "");
}

static void
hop_text(const dexf_hop *h, size_t idx, const dexf_record_info *r)
{
	char pb[512];

	printf("\n  hop %zu     %s", idx, s_(h->point_address));
	if (h->point_asn)
		printf(" AS%s", h->point_asn);
	if (h->router)
		printf(" router %s", h->router);
	if (h->interface)
		printf(" interface %s", h->interface);
	printf("\n");
	printf("    time        %s\n", s_(h->time));
	printf("    source      %s (spoofed: %s)\n", s_(h->observed_source),
	    h->spoofed ? h->spoofed : "unknown");
	if (h->upstream_address)
		printf("    upstream    %s%s%s\n", h->upstream_address,
		    h->upstream_asn ? " AS" : "",
		    h->upstream_asn ? h->upstream_asn : "");
	else
		printf("    upstream    - (end of the traced path)\n");
	printf("    method      %s, confidence %s\n", s_(h->method),
	    s_(h->confidence));
	for (size_t i = 0; i < h->nevidence; i++)
		printf("    evidence    %s sha256:%s\n",
		    s_(h->evidence[i].item), s_(h->evidence[i].sha256));
	printf("    observer    %s%s%s%s\n",
	    cli_log_party(pb, sizeof(pb), &h->contact),
	    h->contact_email ? " <" : "", h->contact_email ?
	    h->contact_email : "", h->contact_email ? ">" : "");
	if (h->contact_phone)
		printf("    phone       %s\n", h->contact_phone);
	if (h->note)
		printf("    note        %s\n", h->note);
	printf("    asserted by record %06u (%s), %s\n", r->sequence,
	    s_(r->time), cli_log_party(pb, sizeof(pb), &r->author));
	cli_log_signer_text(stdout, "    ", r, 1);
}

static void
incident_text(const incident *in)
{
	const dexf_traceback *t = in->first;
	const dexf_record_info *newest = in->recs[in->n - 1];
	size_t idx = 0;

	printf("incident %s (%s)\n", s_(t->incident_id),
	    s_(t->incident_org));
	printf("  flow      %s ", s_(t->protocol));
	endpoint(t->src_address, t->src_port);
	printf(" -> ");
	endpoint(t->dst_address, t->dst_port);
	printf("  (source as claimed by the packets)\n");
	if (t->window_start || t->window_end)
		printf("  window    %s .. %s\n", s_(t->window_start),
		    s_(t->window_end));
	printf("  victim    ");
	endpoint(t->dst_address, t->dst_port);
	printf("\n");
	for (size_t i = 0; i < in->n; i++) {
		const dexf_traceback *rt = in->recs[i]->traceback;

		for (size_t k = 0; k < rt->nhops; k++)
			hop_text(&rt->hops[k], ++idx, in->recs[i]);
	}
	printf("\n  result    %s (record %06u, the newest of this "
	    "incident)\n", s_(newest->traceback->result), newest->sequence);
}

/* ------------------------------------------------------------ json */

static void
hop_json(json *j, const dexf_hop *h, size_t idx, const dexf_record_info *r)
{
	json_obj(j);
	json_ku64(j, "index", idx);
	json_key(j, "point");
	json_obj(j);
	json_kstr(j, "address", h->point_address);
	json_kstr(j, "asn", h->point_asn);
	json_kstr(j, "router", h->router);
	json_kstr(j, "interface", h->interface);
	json_end_obj(j);
	json_kstr(j, "time", h->time);
	json_kstr(j, "observed_source", h->observed_source);
	json_kstr(j, "spoofed", h->spoofed);
	json_key(j, "upstream");
	if (h->upstream_address == NULL) {
		json_str(j, NULL);
	} else {
		json_obj(j);
		json_kstr(j, "address", h->upstream_address);
		json_kstr(j, "asn", h->upstream_asn);
		json_end_obj(j);
	}
	json_kstr(j, "method", h->method);
	json_kstr(j, "confidence", h->confidence);
	json_key(j, "evidence");
	json_arr(j);
	for (size_t i = 0; i < h->nevidence; i++) {
		json_obj(j);
		json_kstr(j, "item", h->evidence[i].item);
		json_kstr(j, "sha256", h->evidence[i].sha256);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "contact");
	json_obj(j);
	json_kstr(j, "role", h->contact.role);
	json_kstr(j, "name", h->contact.name);
	json_kstr(j, "organization", h->contact.org);
	json_kstr(j, "email", h->contact_email);
	json_kstr(j, "phone", h->contact_phone);
	json_end_obj(j);
	json_kstr(j, "note", h->note);
	json_key(j, "asserted_by");
	json_obj(j);
	cli_log_record_json(j, r, 0);
	json_end_obj(j);
	json_end_obj(j);
}

static void
endpoint_json(json *j, const char *key, const char *addr, const char *port)
{
	json_key(j, key);
	json_obj(j);
	json_kstr(j, "address", addr);
	json_kstr(j, "port", port);
	json_end_obj(j);
}

static void
incident_json(json *j, const incident *in)
{
	const dexf_traceback *t = in->first;
	const dexf_record_info *newest = in->recs[in->n - 1];
	size_t idx = 0;

	json_obj(j);
	json_kstr(j, "id", t->incident_id);
	json_kstr(j, "organization", t->incident_org);
	json_key(j, "flow");
	json_obj(j);
	json_kstr(j, "protocol", t->protocol);
	json_kstr(j, "start", t->window_start);
	json_kstr(j, "end", t->window_end);
	endpoint_json(j, "source", t->src_address, t->src_port);
	endpoint_json(j, "destination", t->dst_address, t->dst_port);
	json_end_obj(j);
	json_key(j, "hops");
	json_arr(j);
	for (size_t i = 0; i < in->n; i++) {
		const dexf_traceback *rt = in->recs[i]->traceback;

		for (size_t k = 0; k < rt->nhops; k++)
			hop_json(j, &rt->hops[k], ++idx, in->recs[i]);
	}
	json_end_arr(j);
	json_key(j, "result");
	json_obj(j);
	json_kstr(j, "value", newest->traceback->result);
	json_ku64(j, "sequence", newest->sequence);
	json_end_obj(j);
	json_end_obj(j);
}

/* ------------------------------------------------------------ dot */

/* A DOT double-quoted string's content: quotes and backslashes escaped,
 * line breaks as \n, other control characters dropped. */
static void
dot_str(const char *s)
{
	for (; s != NULL && *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if (*s == '\n')
			printf("\\n");
		else if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
}

static const char *
dot_colour(const dexf_record_info *r)
{
	if (!r->valid || !r->signature_valid ||
	    r->trust == DEXF_TRUST_INVALID)
		return "tomato";
	return r->trust == DEXF_TRUST_TRUSTED ? "palegreen" : "orange";
}

static void
incident_dot(const incident *in, size_t k)
{
	const dexf_traceback *t = in->first;
	const dexf_hop *last = NULL;
	size_t idx = 0;

	printf("  subgraph cluster_%zu {\n    label=\"incident ", k);
	dot_str(s_(t->incident_id));
	printf(" (");
	dot_str(s_(t->incident_org));
	printf(")\";\n");
	printf("    i%zu_victim [label=\"victim\\n", k);
	dot_str(s_(t->dst_address));
	printf("\", fillcolor=lightblue];\n");
	for (size_t i = 0; i < in->n; i++) {
		const dexf_record_info *r = in->recs[i];
		const dexf_traceback *rt = r->traceback;

		for (size_t h = 0; h < rt->nhops; h++) {
			const dexf_hop *hp = &rt->hops[h];

			idx++;
			printf("    i%zu_h%zu [label=\"hop %zu: ", k, idx, idx);
			dot_str(s_(hp->point_address));
			if (hp->point_asn) {
				printf(" AS");
				dot_str(hp->point_asn);
			}
			if (hp->router) {
				printf("\\n");
				dot_str(hp->router);
			}
			printf("\\nrecord %u: ", r->sequence);
			dot_str(r->subject ? r->subject : "no signer");
			printf("\\n%s%s\", fillcolor=%s];\n",
			    r->valid && r->signature_valid ? "" : "INVALID, ",
			    dexf_trust_name(r->trust), dot_colour(r));
			if (idx == 1)
				printf("    i%zu_h1 -> i%zu_victim", k, k);
			else
				printf("    i%zu_h%zu -> i%zu_h%zu", k, idx, k,
				    idx - 1);
			printf(" [label=\"");
			dot_str(s_(hp->method));
			printf("\\n");
			dot_str(s_(hp->confidence));
			printf("\"];\n");
			last = hp;
		}
	}
	printf("    i%zu_source [label=\"source\\n", k);
	dot_str(last && last->observed_source ? last->observed_source :
	    s_(t->src_address));
	printf("\\nspoofed: ");
	dot_str(last && last->spoofed ? last->spoofed : "unknown");
	printf("\", fillcolor=lightgrey];\n");
	if (idx > 0)
		printf("    i%zu_source -> i%zu_h%zu [label=\"%s\", "
		    "style=dashed];\n", k, k, idx,
		    last->upstream_address ? "via upstream" : "");
	else
		printf("    i%zu_source -> i%zu_victim [style=dashed];\n", k,
		    k);
	printf("  }\n");
}

/* ------------------------------------------------------------ show */

static int
render(enum fmt f, const char *path, const dexf_report *rep,
    const dexf_record_info *const *recs, size_t n, int ec)
{
	size_t ninc = 0;
	incident *inc = group(recs, n, &ninc);
	json j;

	if (inc == NULL) {
		cli_err("trace", "out of memory");
		return EXIT_UNREADABLE;
	}
	switch (f) {
	case F_TEXT:
		if (ninc == 0)
			printf("no trace-back records\n");
		for (size_t k = 0; k < ninc; k++) {
			if (k > 0)
				printf("\n");
			incident_text(&inc[k]);
		}
		break;
	case F_JSON:
		json_init(&j, stdout);
		json_obj(&j);
		json_ku64(&j, "dexf_trace", 1);
		json_kstr(&j, "file", path);
		json_kstr(&j, "verdict",
		    dexf_verdict_name(dexf_report_verdict(rep)));
		json_ku64(&j, "exit_code", (uint64_t)ec);
		cli_log_head_json(&j, rep);
		json_key(&j, "incidents");
		json_arr(&j);
		for (size_t k = 0; k < ninc; k++)
			incident_json(&j, &inc[k]);
		json_end_arr(&j);
		cli_log_problems_json(&j, rep);
		json_end_obj(&j);
		json_done(&j);
		break;
	case F_DOT:
		printf("digraph dexf_trace {\n  rankdir=RL;\n"
		    "  node [shape=box, style=filled, fontname=\"Helvetica\"];\n"
		    "  edge [fontname=\"Helvetica\", fontsize=10];\n");
		if (ninc == 0)
			printf("  // no trace-back records\n");
		for (size_t k = 0; k < ninc; k++)
			incident_dot(&inc[k], k + 1);
		printf("}\n");
		break;
	case F_IODEF:
		break;
	}
	ungroup(inc, ninc);
	return ec;
}

static int
show_iodef(const dexf_report *rep, size_t n)
{
	char *doc = NULL;
	size_t len = 0;
	int rc;

	if (n == 0) {
		cli_err("trace", "no trace-back records");
		return 0;
	}
	rc = dexf_report_iodef(rep, &doc, &len);
	if (rc == DEXF_ENOTFOUND) {
		cli_err("trace", "no trace-back records");
		return 0;
	}
	if (rc != 0) {
		cli_err("trace", "iodef: %s", dexf_strerror(rc));
		return -1;
	}
	fwrite(doc, 1, len, stdout);
	free(doc);
	return 0;
}

enum { O_JSON = 256, O_TSA };

static const struct option opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "json", no_argument, NULL, O_JSON },
	{ "trust", required_argument, NULL, 't' },
	{ "signer", required_argument, NULL, 's' },
	{ "tsa-trust", required_argument, NULL, O_TSA },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
parse_format(const char *s, enum fmt *f)
{
	static const char *const names[] = { "text", "json", "dot", "iodef" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum fmt)i;
			return 0;
		}
	return -1;
}

int
cmd_trace_show(int argc, char **argv)
{
	const char **trust, **signers, **tsa;
	const dexf_record_info **recs = NULL;
	size_t ntrust = 0, nsigners = 0, ntsa = 0, n = 0, total;
	dexf_report *rep = NULL;
	enum fmt f = F_TEXT;
	int c, ec = EXIT_USAGE, fmt_set = 0;

	trust = calloc((size_t)argc, sizeof(*trust));
	signers = calloc((size_t)argc, sizeof(*signers));
	tsa = calloc((size_t)argc, sizeof(*tsa));
	if (trust == NULL || signers == NULL || tsa == NULL)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:t:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case O_JSON: {
			enum fmt g = F_JSON;

			if (c == 'f' && parse_format(optarg, &g) != 0) {
				cli_err("trace", "--format must be text, json, "
				    "dot or iodef");
				goto out;
			}
			if (fmt_set && g != f) {
				cli_err("trace", "conflicting output formats");
				goto out;
			}
			f = g;
			fmt_set = 1;
			break;
		}
		case 't': trust[ntrust++] = optarg; break;
		case 's': signers[nsigners++] = optarg; break;
		case O_TSA: tsa[ntsa++] = optarg; break;
		case 'h': help(stdout); ec = 0; goto out;
		default: help(stderr); goto out;
		}
	}
	if (optind != argc - 1) {
		cli_err("trace", optind >= argc ? "no container given" :
		    "one container at a time");
		goto out;
	}
	ec = cli_log_verify("trace", argv[optind], trust, ntrust, signers,
	    nsigners, tsa, ntsa, &rep);
	if (rep == NULL)
		goto out;
	total = dexf_report_record_count(rep);
	recs = calloc(total ? total : 1, sizeof(*recs));
	if (recs == NULL) {
		ec = EXIT_UNREADABLE;
		goto out;
	}
	for (size_t i = 0; i < total; i++) {
		const dexf_record_info *r = dexf_report_record(rep, i);

		if (r->kind == DEXF_RECORD_TRACEBACK && r->traceback != NULL)
			recs[n++] = r;
	}
	/* the asserting records decide between 0 and 3; a broken container
	 * is 1 whatever they say */
	ec = cli_log_records_exit(recs, n);
	switch (dexf_report_verdict(rep)) {
	case DEXF_VERDICT_TAMPERED:
	case DEXF_VERDICT_CHAIN_BROKEN:
		ec = EXIT_INTEGRITY;
		break;
	default:
		break;
	}
	if (ec == EXIT_INTEGRITY)
		cli_log_problems("trace", rep);
	if (f == F_IODEF) {
		if (show_iodef(rep, n) != 0)
			ec = EXIT_UNREADABLE;
	} else {
		ec = render(f, argv[optind], rep, recs, n, ec);
	}
out:
	free(recs);
	dexf_report_free(rep);
	free(trust);
	free(signers);
	free(tsa);
	return ec;
}

static void
trace_usage(FILE *f)
{
	fprintf(f, "usage: dexf trace show [options] CASE.dexf\n"
	    "       dexf trace add CASE.dexf (--from FILE | hop options) "
	    "signing options\n\n"
	    "'dexf trace show --help' and 'dexf trace add --help' describe "
	    "them.\n");
}

int
cmd_trace(int argc, char **argv)
{
	if (argc < 2) {
		trace_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "show") == 0)
		return cmd_trace_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "add") == 0)
		return cmd_trace_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		trace_usage(stdout);
		return 0;
	}
	cli_err("trace", "unknown subcommand '%s'", argv[1]);
	trace_usage(stderr);
	return EXIT_USAGE;
}
