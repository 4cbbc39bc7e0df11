/*
 * cmd_trace_add.c - dexf trace add: append a signed trace-back record
 * (one hop from options, or a whole record from --from FILE).
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_from.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf trace add CASE.dexf (--from FILE | hop options) --key K --cert C\n"
"\n"
"Append one signed trace-back record (IODEF v2 aligned) to a container.\n"
"\n"
"      --from FILE          the record from FILE ('-': stdin): XML (a\n"
"                           <traceback> element, FORMAT.md 9.7) or JSON\n"
"                           (the shape trace show --format json prints\n"
"                           for one record); excludes the options below\n"
"      --incident ID        incident id (required)\n"
"      --incident-org ORG   organization that issued it (required)\n"
"      --result R           source-identified, ingress-point, partial-path\n"
"                           (default) or inconclusive\n"
"      --protocol P         tcp, udp, icmp or a number (required)\n"
"      --source ADDR[:PORT], --destination ADDR[:PORT]   (required;\n"
"                           IPv6 with a port as [2001:db8::1]:443)\n"
"      --start TIME, --end TIME   time window (UTC, 2026-11-20T08:55:00Z)\n"
"      --point ADDR         observation point (required)\n"
"      --point-asn N, --router NAME, --interface IF\n"
"      --observed-time TIME, --observed-source ADDR   (required)\n"
"      --spoofed S          yes, no or unknown (default)\n"
"      --upstream ADDR, --upstream-asn N   next hop toward the source\n"
"      --method M           link-testing, logging, sampling, packet-marking,\n"
"                           icmp-traceback, inter-as-request, flow-records,\n"
"                           other (required)\n"
"      --confidence C       low, medium, high or unknown (default)\n"
"      --evidence ITEM      supporting item of the container (repeatable)\n"
"      --contact NAME       operator who observed it (required)\n"
"      --contact-org ORG, --contact-role ROLE (provider), --contact-email E,\n"
"      --contact-phone P\n"
"      --hop-note T, --note T\n"
"\n"
CLI_APPEND_HELP
"\n"
"Exit: 0 appended; 1 the container fails its checks; 2 usage; 4 unreadable;\n"
"5 locked by another appender or time-stamp authority unreachable (retry).\n");
}

enum {
	O_FROM = 1, O_INCIDENT, O_INCORG, O_RESULT, O_PROTO, O_SRC, O_DST,
	O_START, O_END, O_POINT, O_PASN, O_ROUTER, O_IFACE, O_OTIME, O_OSRC,
	O_SPOOF, O_UP, O_UPASN, O_METHOD, O_CONF, O_EVID, O_CONTACT, O_CORG,
	O_CROLE, O_CMAIL, O_CPHONE, O_HNOTE, O_NOTE
};

static const struct option opts[] = {
	{ "from", required_argument, NULL, O_FROM },
	{ "incident", required_argument, NULL, O_INCIDENT },
	{ "incident-org", required_argument, NULL, O_INCORG },
	{ "result", required_argument, NULL, O_RESULT },
	{ "protocol", required_argument, NULL, O_PROTO },
	{ "source", required_argument, NULL, O_SRC },
	{ "destination", required_argument, NULL, O_DST },
	{ "start", required_argument, NULL, O_START },
	{ "end", required_argument, NULL, O_END },
	{ "point", required_argument, NULL, O_POINT },
	{ "point-asn", required_argument, NULL, O_PASN },
	{ "router", required_argument, NULL, O_ROUTER },
	{ "interface", required_argument, NULL, O_IFACE },
	{ "observed-time", required_argument, NULL, O_OTIME },
	{ "observed-source", required_argument, NULL, O_OSRC },
	{ "spoofed", required_argument, NULL, O_SPOOF },
	{ "upstream", required_argument, NULL, O_UP },
	{ "upstream-asn", required_argument, NULL, O_UPASN },
	{ "method", required_argument, NULL, O_METHOD },
	{ "confidence", required_argument, NULL, O_CONF },
	{ "evidence", required_argument, NULL, O_EVID },
	{ "contact", required_argument, NULL, O_CONTACT },
	{ "contact-org", required_argument, NULL, O_CORG },
	{ "contact-role", required_argument, NULL, O_CROLE },
	{ "contact-email", required_argument, NULL, O_CMAIL },
	{ "contact-phone", required_argument, NULL, O_CPHONE },
	{ "hop-note", required_argument, NULL, O_HNOTE },
	{ "note", required_argument, NULL, O_NOTE },
	{ "help", no_argument, NULL, 'h' },
	CLI_APPEND_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int
cmd_trace_add(int argc, char **argv)
{
	cli_append s;
	dexf_traceback t;
	dexf_hop h;
	dexf_item_ref *ev = NULL;
	size_t nev = 0;
	char *src = NULL, *dst = NULL;
	const char *from = NULL, *path, *src_arg = NULL, *dst_arg = NULL;
	trace_from tf;
	dexf_appender *a = NULL;
	int ch, ec = EXIT_USAGE, r, rc, hop_opts = 0;

	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	memset(&h, 0, sizeof(h));
	memset(&tf, 0, sizeof(tf));
	if ((ev = calloc((size_t)argc, sizeof(*ev))) == NULL)
		goto out;
	t.result = "partial-path";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((r = cli_append_opt("trace add", &s, ch, optarg)) < 0)
			goto out;
		if (r > 0)
			continue;
		if (ch != O_FROM && ch != 'h')
			hop_opts = 1;
		switch (ch) {
		case 'h': help(stdout); ec = 0; goto out;
		case O_FROM: from = optarg; break;
		case O_INCIDENT: t.incident_id = optarg; break;
		case O_INCORG: t.incident_org = optarg; break;
		case O_RESULT: t.result = optarg; break;
		case O_PROTO: t.protocol = optarg; break;
		case O_SRC: src_arg = optarg; break;
		case O_DST: dst_arg = optarg; break;
		case O_START: t.window_start = optarg; break;
		case O_END: t.window_end = optarg; break;
		case O_POINT: h.point_address = optarg; break;
		case O_PASN: h.point_asn = optarg; break;
		case O_ROUTER: h.router = optarg; break;
		case O_IFACE: h.interface = optarg; break;
		case O_OTIME: h.time = optarg; break;
		case O_OSRC: h.observed_source = optarg; break;
		case O_SPOOF: h.spoofed = optarg; break;
		case O_UP: h.upstream_address = optarg; break;
		case O_UPASN: h.upstream_asn = optarg; break;
		case O_METHOD: h.method = optarg; break;
		case O_CONF: h.confidence = optarg; break;
		case O_EVID: ev[nev++].item = optarg; break;
		case O_CONTACT: h.contact.name = optarg; break;
		case O_CORG: h.contact.org = optarg; break;
		case O_CROLE: h.contact.role = optarg; break;
		case O_CMAIL: h.contact_email = optarg; break;
		case O_CPHONE: h.contact_phone = optarg; break;
		case O_HNOTE: h.note = optarg; break;
		case O_NOTE: t.note = optarg; break;
		default: help(stderr); goto out;
		}
	}
	if (argc - optind != 1) {
		cli_err("trace add", "give exactly one container");
		goto out;
	}
	path = argv[optind];
	if (from != NULL) {
		if (hop_opts) {
			cli_err("trace add", "--from excludes the record and hop "
			    "options");
			goto out;
		}
		if (trace_from_file(from, &tf) != 0)
			goto out;
		t = tf.t;
	} else {
		const char *missing = !t.incident_id ? "--incident" :
		    !t.incident_org ? "--incident-org" :
		    !t.protocol ? "--protocol" : !src_arg ? "--source" :
		    !dst_arg ? "--destination" : !h.point_address ? "--point" :
		    !h.time ? "--observed-time" :
		    !h.observed_source ? "--observed-source" :
		    !h.method ? "--method" : !h.contact.name ? "--contact" :
		    NULL;

		if (missing != NULL) {
			cli_err("trace add", "%s is required (or give --from "
			    "FILE)", missing);
			goto out;
		}
		if (trace_split_endpoint(src_arg, &src, &t.src_address,
		    &t.src_port) != 0 || trace_split_endpoint(dst_arg, &dst,
		    &t.dst_address, &t.dst_port) != 0)
			goto out;
		if (h.contact.role == NULL)
			h.contact.role = "provider";
		h.evidence = ev;
		h.nevidence = nev;
		t.hops = &h;
		t.nhops = 1;
	}
	if (trace_check(&t) != 0)
		goto out;
	if ((ec = cli_append_open("trace add", &s, path, &a)) != 0)
		goto out;
	if ((rc = dexf_appender_add_traceback(a, &t)) != 0) {
		cli_err("trace add", "%s", dexf_appender_errmsg(a));
		ec = cli_exit_for(rc);
		goto out;
	}
	ec = cli_append_done("trace add", &s, path, a, "traceback");
out:
	dexf_appender_close(a);
	trace_from_free(&tf);
	free(ev);
	free(src);
	free(dst);
	return ec;
}
