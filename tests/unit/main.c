/*
 * main.c - runs every unit test suite of libdexf.
 *
 * Usage: test_unit [SUITE...]
 * Without arguments all suites run (CU_basic_run_tests, verbose).  With
 * arguments only the named suites run, one after another.  The exit status
 * is 0 only if every test passed and every suite could be set up.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "unit.h"

static int (*const registrations[])(void) = {
	unit_register_util,
	unit_register_path,
	unit_register_digest,
	unit_register_merkle,
	unit_register_chunk,
	unit_register_index,
	unit_register_zip,
	unit_register_xml,
	unit_register_manifest,
	unit_register_record,
	unit_register_cms,
	unit_register_api,
	unit_register_verify,
	unit_register_iodef,
	unit_register_tsa,
	unit_register_chain,
	unit_register_proof,
	unit_register_pool,
};

int
main(int argc, char **argv)
{
	unsigned failed = 0;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "test_unit: cannot initialize CUnit: %s\n",
		    CU_get_error_msg());
		return 2;
	}
	for (size_t i = 0; i < sizeof(registrations) /
	    sizeof(registrations[0]); i++)
		if (registrations[i]() != 0) {
			fprintf(stderr, "test_unit: cannot register suite: %s\n",
			    CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (argc < 2) {
		CU_basic_run_tests();
		failed = CU_get_number_of_tests_failed() +
		    CU_get_number_of_failures() +
		    CU_get_number_of_suites_failed();
	} else {
		for (int i = 1; i < argc; i++) {
			CU_pSuite s = CU_get_suite(argv[i]);

			if (s == NULL) {
				fprintf(stderr, "test_unit: no suite '%s'\n",
				    argv[i]);
				failed++;
				continue;
			}
			CU_basic_run_suite(s);
			failed += CU_get_number_of_tests_failed() +
			    CU_get_number_of_failures() +
			    CU_get_number_of_suites_failed();
		}
	}
	CU_cleanup_registry();
	return failed != 0 ? 1 : 0;
}
