// SPDX-License-Identifier: BSD-2-Clause
/*
 * tools/run_folder.c: run.txt and report.txt as docs/run-folder.md defines
 * them (its run.txt example, byte for byte, is the first case), the
 * malformed files it must refuse with the line, and a folder on disk whose
 * names a FAT volume shows in upper case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/tools/suites.h"
#include "tools/run_folder.h"

/* docs/run-folder.md, "run.txt". */
static const char doc_example[] =
	"efimap-run: 1\n"
	"run: 0007\n"
	"date: 2026-12-05T07:54:34\n"
	"firmware_vendor: EDK II\n"
	"firmware_revision: 0x10000\n"
	"uefi_revision: 2.70\n"
	"secure_boot: 0\n"
	"setup_mode: 1\n"
	"options: efimap.selftest=none\n"
	"system_manufacturer: QEMU\n"
	"system_product: Standard PC (Q35 + ICH9, 2009)\n"
	"system_version: pc-q35-7.2\n"
	"bios_vendor: EFI Development Kit II / OVMF\n"
	"bios_version: 0.0.0\n"
	"bios_date: 02/06/2015\n"
	"smbios: 3.0\n"
	"map: map-capture.efimapd entries=124 desc_size=48 desc_version=1 (taken before "
	"ExitBootServices, before efimap's final allocations)\n"
	"mat: mat.bin version=2 entries=22 desc_size=48\n"
	"config_tables: 11\n";

static struct run_info ri;

static int info(const char *text)
{
	return run_info_parse(text, strlen(text), &ri);
}

static void run_txt_of_the_docs(struct ktap_test *t)
{
	KT_EXPECT_EQ(t, info(doc_example), 0);
	KT_EXPECT_EQ(t, ri.version, 1);
	KT_EXPECT_EQ(t, ri.n, 18);
	KT_EXPECT_STREQ(t, run_info_get(&ri, "run"), "0007");
	KT_EXPECT_STREQ(t, run_info_get(&ri, "firmware_vendor"), "EDK II");
	KT_EXPECT_STREQ(t, run_info_get(&ri, "system_product"), "Standard PC (Q35 + ICH9, 2009)");
	KT_EXPECT_STREQ(t, run_info_get(&ri, "bios_vendor"), "EFI Development Kit II / OVMF");
	KT_EXPECT_STREQ(t, run_info_get(&ri, "options"), "efimap.selftest=none");
	KT_EXPECT_STREQ(t, run_info_get(&ri, "mat"), "mat.bin version=2 entries=22 desc_size=48");
	KT_EXPECT(t, strstr(run_info_get(&ri, "map"), "(taken before ExitBootServices, before") !=
			     NULL);
	KT_EXPECT(t, run_info_get(&ri, "efimap-run") == NULL);
	KT_EXPECT(t, run_info_get(&ri, "system_serial") == NULL);
}

static void run_txt_lines_as_written(struct ktap_test *t)
{
	/* CRLF, blank lines, an empty value, a repeated key (the first counts). */
	KT_EXPECT_EQ(t, info("efimap-run: 1\r\n\r\ndate: unknown\r\nmat:\r\ndate: 2027\r\n"), 0);
	KT_EXPECT_STREQ(t, run_info_get(&ri, "date"), "unknown");
	KT_EXPECT_STREQ(t, run_info_get(&ri, "mat"), "");
	KT_EXPECT_EQ(t, ri.n, 2);
	/* Bytes outside printable ASCII become '?' (docs: "anything else becomes ?"). */
	KT_EXPECT_EQ(t, info("efimap-run: 1\nsystem_product: Caf\xc3\xa9\tX\n"), 0);
	KT_EXPECT_STREQ(t, run_info_get(&ri, "system_product"), "Caf???X");
	/* No final newline. */
	KT_EXPECT_EQ(t, info("efimap-run: 1\nrun: 0002"), 0);
	KT_EXPECT_STREQ(t, run_info_get(&ri, "run"), "0002");
}

static void run_txt_refused(struct ktap_test *t)
{
	KT_EXPECT_EQ(t, info(""), -1);
	KT_EXPECT(t, strstr(ri.error, "empty") != NULL);
	KT_EXPECT_EQ(t, info("\n\n"), -1);
	KT_EXPECT_EQ(t, info("run: 0001\nefimap-run: 1\n"), -1);
	KT_EXPECT_EQ(t, ri.error_line, 1);
	KT_EXPECT(t, strstr(ri.error, "not 'efimap-run: 1'") != NULL);
	KT_EXPECT_EQ(t, info("efimap-run: 2\n"), -1);
	KT_EXPECT(t, strstr(ri.error, "newer") != NULL);
	KT_EXPECT_EQ(t, info("efimap-run: one\n"), -1);
	KT_EXPECT_EQ(t, info("efimap-run: 0\n"), -1);
	KT_EXPECT_EQ(t, info("efimap-run: 1\nrun: 0001\nthis is no key\n"), -1);
	KT_EXPECT_EQ(t, ri.error_line, 3);
	KT_EXPECT(t, strstr(ri.error, "'this is no key' is not a 'key: value' line") != NULL);
	KT_EXPECT_EQ(t, info("efimap-run: 1\nrun:0001\n"), -1);
	KT_EXPECT_EQ(t, ri.error_line, 2);
	KT_EXPECT_EQ(t, info("efimap-run: 1\n: value\n"), -1);
}

static struct run_report rr;

static int report(const char *text)
{
	return run_report_parse(text, strlen(text), &rr);
}

static void report_verdict_and_findings(struct ktap_test *t)
{
	/* The kernel's verdict line (kernel/main.c) with its dmesg timestamp left on. */
	KT_EXPECT_EQ(
		t,
		report("efimap: map: entries=124\n"
		       "efimap: finding: error: svam-fault: faulted (UEFI 2.10 section 8.4; x)\n"
		       "efimap: finding: warning: mat-no-ro-xp: 2 entries (4.6.4; y)\n"
		       "efimap: finding: warning: acpi-rsdp-revision: 0 (ACPI; z)\n"
		       "efimap: finding: info: no-mat: none\n"
		       "[    0.091038] efimap: verdict: passed=70 failed=1 skipped=2 efimap=fail "
		       "fw_errors=1 fw_warnings=2 fw_info=1 firmware=errors\n"
		       "efimap: report: contents: run=0007 report.txt whole\n"),
		0);
	KT_EXPECT(t, rr.verdict && !rr.efimap_pass && !rr.no_verdict);
	KT_EXPECT_EQ(t, rr.verdict_line, 6);
	KT_EXPECT_EQ(t, rr.passed, 70);
	KT_EXPECT_EQ(t, rr.failed, 1);
	KT_EXPECT_EQ(t, rr.skipped, 2);
	KT_EXPECT_EQ(t, rr.fw[MM_SEV_ERROR], 1);
	KT_EXPECT_EQ(t, rr.fw[MM_SEV_WARNING], 2);
	KT_EXPECT_EQ(t, rr.fw[MM_SEV_INFO], 1);
	KT_EXPECT_EQ(t, rr.findings[MM_SEV_ERROR], 1);
	KT_EXPECT_EQ(t, rr.findings[MM_SEV_WARNING], 2);
	KT_EXPECT_EQ(t, rr.findings[MM_SEV_INFO], 1);
	KT_EXPECT_EQ(t, rr.lines, 7);
	KT_EXPECT_STREQ(t, rr.closing, "contents: run=0007 report.txt whole");
	/* A pass; the last verdict line counts. */
	KT_EXPECT_EQ(t,
		     report("efimap: verdict: passed=1 failed=1 skipped=0 efimap=fail fw_errors=0 "
			    "fw_warnings=0 fw_info=0 firmware=ok\n"
			    "efimap: verdict: passed=9 failed=0 skipped=0 efimap=pass fw_errors=0 "
			    "fw_warnings=0 fw_info=3 firmware=ok\n"),
		     0);
	KT_EXPECT(t, rr.verdict && rr.efimap_pass && rr.passed == 9 && rr.fw[MM_SEV_INFO] == 3);
	KT_EXPECT_EQ(t, rr.verdict_line, 2);
}

static void report_without_verdict(struct ktap_test *t)
{
	KT_EXPECT_EQ(t, report("efimap: map: entries=1\n"), 0);
	KT_EXPECT(t, !rr.verdict && !rr.no_verdict);
	KT_EXPECT_EQ(t, report("efimap: no verdict: page fault at 0x0\n"), 0);
	KT_EXPECT(t, !rr.verdict && rr.no_verdict);
	KT_EXPECT_EQ(t, report(""), 0);
	KT_EXPECT_EQ(t, rr.lines, 0);
}

static void report_refused(struct ktap_test *t)
{
	static const char *const missing[] = { "passed",  "failed",	 "skipped",
					       "fw_info", "fw_warnings", "fw_errors" };
	static const char full[] = "passed=1 failed=0 skipped=0 efimap=pass fw_errors=0 "
				   "fw_warnings=0 fw_info=0";

	/* Each count the verdict line must carry, taken out in turn. */
	for (size_t k = 0; k < ARRAY_SIZE(missing); k++) {
		char line[200], key[24];
		char *at;

		snprintf(line, sizeof(line), "x\nefimap: verdict: %s firmware=ok\n", full);
		snprintf(key, sizeof(key), "%s=", missing[k]);
		at = strstr(line, key);
		KT_EXPECT(t, at != NULL);
		if (at)
			at[0] = 'X';
		KT_EXPECT_EQ(t, report(line), -1);
		KT_EXPECT_EQ(t, rr.error_line, 2);
		KT_EXPECT(t, strstr(rr.error, missing[k]) != NULL);
	}
	KT_EXPECT_EQ(t,
		     report("efimap: verdict: passed=1 failed=0 skipped=0 efimap=maybe "
			    "fw_errors=0 fw_warnings=0 fw_info=0\n"),
		     -1);
	KT_EXPECT(t, strstr(rr.error, "efimap=pass or efimap=fail") != NULL);
	KT_EXPECT_EQ(t,
		     report("efimap: verdict: passed=-1 failed=0 skipped=0 efimap=pass "
			    "fw_errors=0 fw_warnings=0 fw_info=0\n"),
		     -1);
	KT_EXPECT_EQ(t, report("a\nb\nefimap: finding: fatal: x: y\n"), -1);
	KT_EXPECT_EQ(t, rr.error_line, 3);
	KT_EXPECT(t, strstr(rr.error, "'fatal: x: y'") != NULL);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void remove_file(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void folder_on_disk(struct ktap_test *t)
{
	char dir[] = "/tmp/efimap-run-test.XXXXXX";
	static struct run_folder rf;
	const char *reason;
	enum run_file which;
	char why[600], machine[128];

	if (!mkdtemp(dir)) {
		ktap_skip(t, "no temporary directory");
		return;
	}
	/* No run.txt: not a run folder, said so. */
	KT_EXPECT(t, !run_folder_is(dir));
	KT_EXPECT_EQ(t, run_folder_open(dir, &rf, why, sizeof(why)), -1);
	KT_EXPECT(t, strstr(why, "no run.txt") != NULL);
	run_folder_free(&rf);

	/* Names as a FAT volume may show them. */
	write_file(dir, "RUN.TXT", doc_example);
	write_file(dir, "MAP-CAPTURE.EFIMAPD", "x");
	write_file(dir, "Mat.Bin", "0123456789abcdef");
	write_file(dir, "config-tables.txt", "0 a 0x1 ACPI_20\n\n1 b 0x2 SMBIOS\n");
	KT_EXPECT(t, run_folder_is(dir));
	KT_EXPECT_EQ(t, run_folder_open(dir, &rf, why, sizeof(why)), 0);
	KT_EXPECT_EQ(t, rf.number, 7);
	KT_EXPECT_EQ(t, rf.mat_size, 16);
	KT_EXPECT_EQ(t, rf.config_tables, 2);
	KT_EXPECT(t, !rf.has_report && rf.path[RUN_FILE_FINAL] == NULL);
	KT_EXPECT_STREQ(t, run_folder_verdict(&rf), "pending");
	run_folder_machine(&rf, machine, sizeof(machine));
	KT_EXPECT_STREQ(t, machine, "QEMU Standard PC (Q35 + ICH9, 2009)");
	/* Only a capture: the default reads it; final is refused, naming the folder. */
	KT_EXPECT(t, run_folder_map(&rf, RUN_PICK_DEFAULT, &which, &reason, why, sizeof(why)) ==
			     rf.path[RUN_FILE_CAPTURE]);
	KT_EXPECT(t, which == RUN_FILE_CAPTURE && strstr(reason, "before ExitBootServices"));
	KT_EXPECT(t, !run_folder_map(&rf, RUN_PICK_FINAL, &which, &reason, why, sizeof(why)));
	KT_EXPECT(t, strstr(why, "no map-final.efimapd") != NULL && strstr(why, dir) != NULL);
	run_folder_free(&rf);

	/* With the final map and a report: the final map by default, the verdict read. */
	write_file(dir, "map-final.efimapd", "y");
	write_file(dir, "report.txt",
		   "efimap: verdict: passed=3 failed=0 skipped=0 efimap=pass fw_errors=2 "
		   "fw_warnings=0 fw_info=0 firmware=errors\n");
	KT_EXPECT_EQ(t, run_folder_open(dir, &rf, why, sizeof(why)), 0);
	KT_EXPECT(t, run_folder_map(&rf, RUN_PICK_DEFAULT, &which, &reason, why, sizeof(why)) ==
			     rf.path[RUN_FILE_FINAL]);
	KT_EXPECT(t, which == RUN_FILE_FINAL && strstr(reason, "handed to the kernel"));
	KT_EXPECT(t, run_folder_map(&rf, RUN_PICK_CAPTURE, &which, &reason, why, sizeof(why)) ==
			     rf.path[RUN_FILE_CAPTURE]);
	KT_EXPECT_STREQ(t, run_folder_verdict(&rf), "PASS");
	KT_EXPECT_EQ(t, rf.report.fw[MM_SEV_ERROR], 2);
	run_folder_free(&rf);

	/* A malformed report.txt: the file and line named. */
	write_file(dir, "report.txt", "ok\nefimap: finding: bad\n");
	KT_EXPECT_EQ(t, run_folder_open(dir, &rf, why, sizeof(why)), -1);
	KT_EXPECT(t, strstr(why, "/report.txt:2: ") != NULL);
	run_folder_free(&rf);

	remove_file(dir, "RUN.TXT");
	remove_file(dir, "MAP-CAPTURE.EFIMAPD");
	remove_file(dir, "Mat.Bin");
	remove_file(dir, "config-tables.txt");
	remove_file(dir, "map-final.efimapd");
	remove_file(dir, "report.txt");
	rmdir(dir);
}

static const struct ktap_case run_folder_cases[] = {
	KTAP_CASE(run_txt_of_the_docs),	   KTAP_CASE(run_txt_lines_as_written),
	KTAP_CASE(run_txt_refused),	   KTAP_CASE(report_verdict_and_findings),
	KTAP_CASE(report_without_verdict), KTAP_CASE(report_refused),
	KTAP_CASE(folder_on_disk),
};

KTAP_SUITE(run_folder_suite, "run_folder", run_folder_cases);
