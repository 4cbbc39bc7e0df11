/*
 * verify_container.c - verify a dexf container through the public API.
 *
 *	cc verify_container.c $(pkg-config --cflags --libs libdexf) -o verify
 *	./verify CASE.dexf [TRUSTED-CA.pem]
 *
 * Prints the verdict, the signer and every problem with its location, and
 * exits with the same codes as `dexf verify`.
 */
#include <stdio.h>

#include <dexf.h>

int
main(int argc, char **argv)
{
	const char *trust[1];
	dexf_verify_opts opts = { 0 };
	dexf_report *rep = NULL;
	const dexf_seal_info *seal;
	dexf_verdict v;
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s CASE.dexf [CA.pem]\n", argv[0]);
		return 2;
	}
	if (argc == 3) {
		trust[0] = argv[2];
		opts.trust = trust;
		opts.ntrust = 1;
	}
	rc = dexf_verify(&rep, argv[1], &opts);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", argv[1], dexf_strerror(rc));
		return 4;
	}
	v = dexf_report_verdict(rep);
	printf("verdict: %s\n", dexf_verdict_name(v));
	printf("summary: %s\n", dexf_report_summary(rep));
	seal = dexf_report_seal(rep);
	if (seal->subject != NULL)
		printf("signer: %s (%s)\n", seal->subject,
		    dexf_trust_name(seal->trust));
	for (size_t i = 0; i < dexf_report_problem_count(rep); i++) {
		const dexf_problem *p = dexf_report_problem(rep, i);

		if (p->chunk >= 0)
			printf("problem: %s in '%s' chunks %lld-%lld, bytes "
			    "%llu+%llu: %s\n", p->kind, p->item,
			    (long long)p->chunk, (long long)p->chunk_last,
			    (unsigned long long)p->offset,
			    (unsigned long long)p->length, p->message);
		else
			printf("problem: %s: %s\n", p->kind, p->message);
	}
	dexf_report_free(rep);
	switch (v) {
	case DEXF_VERDICT_INTACT_TRUSTED: return 0;
	case DEXF_VERDICT_INTACT_UNTRUSTED:
	case DEXF_VERDICT_INTACT_UNSIGNED: return 3;
	case DEXF_VERDICT_TAMPERED:
	case DEXF_VERDICT_CHAIN_BROKEN: return 1;
	default: return 4;
	}
}
