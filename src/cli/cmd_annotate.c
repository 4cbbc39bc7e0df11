/*
 * cmd_annotate.c - dexf annotate: append a signed custody event or an
 * annotation (a finding pointing into the evidence).
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void
help(FILE *f)
{
	fprintf(f,
"usage: dexf annotate CASE.dexf --action ACTION [options] --key K --cert C\n"
"       dexf annotate CASE.dexf --finding TEXT --item ITEM [options] --key K --cert C\n"
"\n"
"Append one signed record to a sealed container, without rewriting it.\n"
"The container is checked first (structure, seal, record chain) and locked\n"
"while the record is added; a crash leaves it as it was.\n"
"\n"
"Custody event (--action):\n"
"      --action A           transferred, received, examined, copied, verified,\n"
"                           exported, sealed, returned or note\n"
"      --to NAME            receiver (transfers)\n"
"      --to-org ORG         receiver's organization\n"
"      --to-role ROLE       receiver's role (default: custodian)\n"
"      --location TEXT      where it happened\n"
"      --authorization REF  warrant, order or request reference\n"
"      --tool NAME[/VER]    tool used for the action\n"
"      --item ITEM          item concerned (path or id; repeatable; the\n"
"                           record carries its SHA-256 from the manifest)\n"
"      --outcome TEXT       result of the action\n"
"      --note TEXT          free text\n"
"      --attach FILE        attach a file, e.g. a report (repeatable)\n"
"\n"
"Annotation (--finding):\n"
"      --finding TEXT       what was found\n"
"      --item ITEM          the item it points into\n"
"      --range OFF:LEN      byte range in the item (default: whole item)\n"
"      --path P             path inside the item (e.g. a file in an image)\n"
"      --type T             finding, bookmark, comment or tag (finding)\n"
"      --confidence C       low, medium, high or unknown (unknown)\n"
"      --tag T              tag (repeatable)\n"
"\n"
CLI_APPEND_HELP
"\n"
"Exit: 0 appended; 1 the container fails its checks; 2 usage; 4 unreadable;\n"
"5 locked by another appender or time-stamp authority unreachable (retry).\n");
}

enum {
	O_ACTION = 1, O_TO, O_TO_ORG, O_TO_ROLE, O_LOCATION, O_AUTHZ, O_TOOL,
	O_ITEM, O_OUTCOME, O_NOTE, O_ATTACH, O_FINDING, O_RANGE, O_PATH,
	O_TYPE, O_CONF, O_TAG
};

static const struct option opts[] = {
	{ "action", required_argument, NULL, O_ACTION },
	{ "to", required_argument, NULL, O_TO },
	{ "to-org", required_argument, NULL, O_TO_ORG },
	{ "to-role", required_argument, NULL, O_TO_ROLE },
	{ "location", required_argument, NULL, O_LOCATION },
	{ "authorization", required_argument, NULL, O_AUTHZ },
	{ "tool", required_argument, NULL, O_TOOL },
	{ "item", required_argument, NULL, O_ITEM },
	{ "outcome", required_argument, NULL, O_OUTCOME },
	{ "note", required_argument, NULL, O_NOTE },
	{ "attach", required_argument, NULL, O_ATTACH },
	{ "finding", required_argument, NULL, O_FINDING },
	{ "range", required_argument, NULL, O_RANGE },
	{ "path", required_argument, NULL, O_PATH },
	{ "type", required_argument, NULL, O_TYPE },
	{ "confidence", required_argument, NULL, O_CONF },
	{ "tag", required_argument, NULL, O_TAG },
	{ "help", no_argument, NULL, 'h' },
	CLI_APPEND_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int
one_of(const char *v, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

static const char *const actions[] = { "transferred", "received",
	"examined", "copied", "verified", "exported", "sealed", "returned",
	"note", NULL };
static const char *const types[] = { "finding", "bookmark", "comment",
	"tag", NULL };
static const char *const confidences[] = { "low", "medium", "high",
	"unknown", NULL };

/* "OFF:LEN" */
static int
parse_range(const char *s, uint64_t *off, uint64_t *len)
{
	const char *colon = strchr(s, ':');
	char buf[64];

	if (colon == NULL || (size_t)(colon - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(colon - s));
	buf[colon - s] = '\0';
	return cli_parse_u64(buf, off) != 0 ||
	    cli_parse_u64(colon + 1, len) != 0 || *len == 0 ? -1 : 0;
}

int
cmd_annotate(int argc, char **argv)
{
	cli_append s;
	dexf_custody c;
	dexf_annotation an;
	dexf_item_ref *items = NULL;
	dexf_attachment *atts = NULL;
	const char **tags = NULL;
	char *toolbuf = NULL;
	size_t nitems = 0, natts = 0, ntags = 0;
	dexf_appender *a = NULL;
	const char *finding = NULL, *path;
	int ch, ec = EXIT_USAGE, r, rc;

	memset(&s, 0, sizeof(s));
	memset(&c, 0, sizeof(c));
	memset(&an, 0, sizeof(an));
	items = calloc((size_t)argc, sizeof(*items));
	atts = calloc((size_t)argc, sizeof(*atts));
	tags = calloc((size_t)argc, sizeof(*tags));
	if (items == NULL || atts == NULL || tags == NULL)
		goto out;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((r = cli_append_opt("annotate", &s, ch, optarg)) < 0)
			goto out;
		if (r > 0)
			continue;
		switch (ch) {
		case 'h': help(stdout); ec = 0; goto out;
		case O_ACTION:
			if (!one_of(optarg, actions)) {
				cli_err("annotate", "--action '%s': use one of "
				    "transferred, received, examined, copied, "
				    "verified, exported, sealed, returned, note",
				    optarg);
				goto out;
			}
			c.action = optarg;
			break;
		case O_TO: c.receiver.name = optarg; break;
		case O_TO_ORG: c.receiver.org = optarg; break;
		case O_TO_ROLE: c.receiver.role = optarg; break;
		case O_LOCATION: c.location = optarg; break;
		case O_AUTHZ: c.authorization = optarg; break;
		case O_TOOL:
			free(toolbuf);
			if ((toolbuf = strdup(optarg)) == NULL)
				goto out;
			c.tool_name = toolbuf;
			if ((c.tool_version = strchr(toolbuf, '/')) != NULL)
				*(char *)c.tool_version++ = '\0';
			break;
		case O_ITEM: items[nitems++].item = optarg; break;
		case O_OUTCOME: c.outcome = optarg; break;
		case O_NOTE: c.note = optarg; break;
		case O_ATTACH: atts[natts++].src = optarg; break;
		case O_FINDING: finding = optarg; break;
		case O_RANGE:
			if (parse_range(optarg, &an.offset, &an.length) != 0) {
				cli_err("annotate", "--range '%s': give OFFSET:"
				    "LENGTH in bytes, LENGTH at least 1", optarg);
				goto out;
			}
			an.has_range = 1;
			break;
		case O_PATH: an.path = optarg; break;
		case O_TYPE:
			if (!one_of(optarg, types)) {
				cli_err("annotate", "--type '%s': use finding, "
				    "bookmark, comment or tag", optarg);
				goto out;
			}
			an.type = optarg;
			break;
		case O_CONF:
			if (!one_of(optarg, confidences)) {
				cli_err("annotate", "--confidence '%s': use low, "
				    "medium, high or unknown", optarg);
				goto out;
			}
			an.confidence = optarg;
			break;
		case O_TAG: tags[ntags++] = optarg; break;
		default: help(stderr); goto out;
		}
	}
	if (argc - optind != 1) {
		cli_err("annotate", "give exactly one container");
		goto out;
	}
	path = argv[optind];
	if ((c.action == NULL) == (finding == NULL)) {
		cli_err("annotate", "give either --action (a custody event) or "
		    "--finding (an annotation)");
		goto out;
	}
	if (c.action != NULL && (an.has_range || an.path || an.type ||
	    an.confidence || ntags)) {
		cli_err("annotate", "--range, --path, --type, --confidence and "
		    "--tag belong to --finding");
		goto out;
	}
	if (finding != NULL && (c.receiver.name || c.receiver.org ||
	    c.receiver.role || c.location || c.authorization || c.tool_name ||
	    c.outcome || c.note || natts)) {
		cli_err("annotate", "--to, --location, --authorization, --tool, "
		    "--outcome, --note and --attach belong to --action");
		goto out;
	}
	if ((c.receiver.org || c.receiver.role) && !c.receiver.name) {
		cli_err("annotate", "--to-org and --to-role need --to");
		goto out;
	}
	if (finding != NULL && nitems != 1) {
		cli_err("annotate", "--finding needs exactly one --item");
		goto out;
	}
	if ((ec = cli_append_open("annotate", &s, path, &a)) != 0)
		goto out;
	if (c.action != NULL) {
		c.items = items;
		c.nitems = nitems;
		c.attachments = atts;
		c.nattachments = natts;
		rc = dexf_appender_add_custody(a, &c);
	} else {
		an.item = items[0].item;
		an.text = finding;
		an.tags = tags;
		an.ntags = ntags;
		rc = dexf_appender_add_annotation(a, &an);
	}
	if (rc != 0) {
		cli_err("annotate", "%s", dexf_appender_errmsg(a));
		ec = cli_exit_for(rc);
		goto out;
	}
	ec = cli_append_done("annotate", &s, path, a, c.action ? "custody" :
	    "annotation");
out:
	dexf_appender_close(a);
	free(items);
	free(atts);
	free(tags);
	free(toolbuf);
	return ec;
}
