// SPDX-License-Identifier: BSD-2-Clause
/*
 * The `efimap` host command: read a UEFI memory map from a Linux boot log,
 * an efimap serial log or a raw dump, and check, show, plan or draw it
 * with the same library code the UEFI image runs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "memmap/layout.h"
#include "memmap/validate.h"
#include "tools/arch.h"
#include "tools/describe.h"
#include "tools/findings.h"
#include "tools/diff.h"
#include "tools/tool.h"
#include "tools/window.h"

static const char usage_text[] =
	"usage: efimap COMMAND [OPTIONS] FILE...\n"
	"Read a UEFI memory map from a Linux boot log (efi=debug, any format Linux has\n"
	"printed), an efimap serial log, a raw binary dump or a run folder the efimap\n"
	"stick wrote (EFI/efimap/runs/NNNN), and report on it.\n"
	"\n"
	"commands:\n"
	"  check FILE...  validate each map; one line per finding, FILE:LINE: severity: check: "
	"...\n"
	"                 exit 0 clean, 1 errors found, 2 a file could not be read\n"
	"  show FILE      the map sorted by start, one line per entry, and totals per type\n"
	"  plan FILE      what efimap would do with the map: the runtime regions' virtual\n"
	"                 layout, the SetVirtualAddressMap input, boot-services pages freed/kept\n"
	"  svg FILE       an SVG picture of the physical address space, on stdout\n"
	"  diff A B       entries removed, added and changed from map A to map B, totals\n"
	"                 per type; exit 0 equal, 1 different, 2 a file could not be read\n"
	"  runs DIR       the runs on an efimap stick (DIR: the mounted stick, its\n"
	"                 EFI/efimap/runs or a folder of run folders), one line each:\n"
	"                 date, machine, firmware, verdict, findings, maps present\n"
	"  help [CHECK]   this text and the checks; what CHECK finds, why it matters, the\n"
	"                 spec, the fix ('help checks': every check's name, one a line)\n"
	"\n"
	"options (anywhere on the line):\n"
	"  --json               check, show, plan, diff, runs: JSON on stdout (keys: efimap(1))\n"
	"  --arch x86|arm64     check: the architecture whose rules apply (default: what\n"
	"                       the input says; x86 when it says nothing)\n"
	"  --strict             check: warnings fail too (exit 1)\n"
	"  --map first|last|N|all  which map of a log: by default the firmware's map of\n"
	"                       the last boot; the first or last map of any kind, the Nth\n"
	"                       (1-based, input order), or each in turn (not svg)\n"
	"  --map capture|final  which map of a run folder: the firmware's map before\n"
	"                       ExitBootServices, or the map handed to the kernel (the\n"
	"                       default when the folder has it)\n"
	"  --mat FILE           check: a raw EFI_MEMORY_ATTRIBUTES_TABLE to check with the\n"
	"                       map (a run folder's mat.bin is checked without it)\n"
	"  --window BASE:SIZE   plan: virtual window (default 0xffffffc000000000:64G); numbers\n"
	"                       in hex or decimal with K/M/G/T suffixes, -256G counts down from\n"
	"                       2^64; BASE 2 MiB aligned, canonical for 4-level paging\n"
	"  -h, --help           this text\n"
	"  --version            the version\n"
	"  --                   what follows is a FILE even if it starts with '-'\n"
	"FILE '-' is standard input. The manual, with every check, key and exit status:\n"
	"man efimap (docs/efimap.1 in the source tree: man -l docs/efimap.1).\n";

enum command { CMD_NONE, CMD_CHECK, CMD_SHOW, CMD_PLAN, CMD_SVG, CMD_HELP, CMD_DIFF, CMD_RUNS };

static const struct {
	const char *name;
	enum command cmd;
} commands[] = {
	{ "check", CMD_CHECK }, { "show", CMD_SHOW }, { "plan", CMD_PLAN },
	{ "svg", CMD_SVG },	{ "help", CMD_HELP }, { "diff", CMD_DIFF },
	{ "runs", CMD_RUNS },
};

/*
 * A usage error: one line on stderr naming what was wrong, and where help is;
 * exit 2. Not the whole usage: the one line would scroll out of sight.
 */
static int usage_error(const char *fmt, const char *what)
{
	fputs("efimap: ", stderr);
	fprintf(stderr, fmt, what);
	fputs("; try 'efimap --help'\n", stderr);
	return TOOL_EXIT_UNREADABLE;
}

static const char no_command[] = "no command given (check, show, plan, svg, diff, runs or help)";

static enum command find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].cmd;
	return CMD_NONE;
}

/* Flush stdout and report a failed write (a full disk must not look like success). */
static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "efimap: writing the report failed: %s\n", strerror(errno));
		return TOOL_EXIT_UNREADABLE;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct tool_opts o = {
		.window_base = MM_VA_WINDOW_BASE, .window_size = MM_VA_WINDOW_SIZE, .arch = -1
	};
	const char *arch_arg = NULL;
	enum command cmd = CMD_NONE;
	const char *cmd_name = NULL, *window_arg = NULL, *map_arg = NULL, *mat_arg = NULL;
	char **files = argv; /* files are compacted into argv in place */
	int nr_files = 0;
	bool only_files = false, help = false, version = false;
	char why[256];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			if (!cmd_name) {
				cmd_name = a;
				cmd = find_command(a);
				if (cmd == CMD_NONE)
					return usage_error("unknown command '%s'", a);
			} else {
				files[nr_files++] = argv[i];
			}
		} else if (strcmp(a, "--") == 0) {
			only_files = true;
		} else if (strcmp(a, "--json") == 0) {
			o.json = true;
		} else if (strcmp(a, "--strict") == 0) {
			o.strict = true;
		} else if (strcmp(a, "--window") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value, BASE:SIZE", a);
			window_arg = argv[++i];
		} else if (strncmp(a, "--window=", 9) == 0) {
			window_arg = a + 9;
		} else if (strcmp(a, "--map") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value: first, last, all or N", a);
			map_arg = argv[++i];
		} else if (strncmp(a, "--map=", 6) == 0) {
			map_arg = a + 6;
		} else if (strcmp(a, "--mat") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value: a memory attributes table file", a);
			mat_arg = argv[++i];
		} else if (strncmp(a, "--mat=", 6) == 0) {
			mat_arg = a + 6;
		} else if (strcmp(a, "--arch") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value: x86 or arm64", a);
			arch_arg = argv[++i];
		} else if (strncmp(a, "--arch=", 7) == 0) {
			arch_arg = a + 7;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			help = true;
		} else if (strcmp(a, "--version") == 0) {
			version = true;
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}

	if (cmd == CMD_HELP && nr_files == 1 && strcmp(files[0], "checks") == 0) {
		/* The stable names findings carry (check lines, JSON "check"). */
		for (u32 c = 0; c < TOOL_NR_CHECKS; c++)
			printf("%s\n", tool_check_name(c));
		return finish(TOOL_EXIT_OK);
	}
	if (cmd == CMD_HELP && nr_files == 1 && check_help_print(stdout, files[0]) == 0)
		return finish(TOOL_EXIT_OK);
	if (cmd == CMD_HELP && nr_files > 0)
		return usage_error("help knows 'checks' and the check names (efimap help lists "
				   "them), not '%s'",
				   files[0]);
	if (help || cmd == CMD_HELP) {
		fputs(usage_text, stdout);
		if (cmd == CMD_HELP)
			check_help_list(stdout);
		return finish(TOOL_EXIT_OK);
	}
	if (version) {
		printf("efimap %s\n", EFIMAP_TOOL_VERSION);
		return finish(TOOL_EXIT_OK);
	}
	if (cmd == CMD_NONE)
		return usage_error("%s", no_command);
	if (o.json && cmd == CMD_SVG)
		return usage_error("%s", "--json applies to check, show, plan, diff and runs, not svg");
	if (mat_arg) {
		if (cmd != CMD_CHECK)
			return usage_error("--mat applies only to check, not %s", cmd_name);
		o.mat_path = mat_arg;
	}
	if (map_arg && cmd == CMD_RUNS)
		return usage_error("%s", "--map does not apply to runs: it lists every run");
	if (arch_arg) {
		enum mm_arch arch;

		if (cmd != CMD_CHECK)
			return usage_error("--arch applies only to check, not %s", cmd_name);
		if (!arch_parse(arch_arg, &arch))
			return usage_error("--arch: '%s' is neither x86 nor arm64", arch_arg);
		o.arch = (int)arch;
	}
	if (o.strict && cmd != CMD_CHECK)
		return usage_error("--strict applies only to check, not %s", cmd_name);
	if (window_arg) {
		if (cmd != CMD_PLAN)
			return usage_error("--window applies only to plan, not %s", cmd_name);
		if (!window_parse(window_arg, &o.window_base, &o.window_size, why, sizeof(why)))
			return usage_error("--window: %s", why);
	}
	if (map_arg && !tool_select_map(map_arg, why, sizeof(why)))
		return usage_error("--map: %s", why);
	if (tool_all_maps() && cmd == CMD_SVG)
		return usage_error("%s", "--map all would draw several pictures: give svg a map number");
	if (nr_files == 0)
		return usage_error("%s needs a FILE ('-' for standard input)", cmd_name);
	if (cmd == CMD_RUNS) {
		if (nr_files != 1) {
			fprintf(stderr, "efimap: runs takes one DIR (%d given)\n", nr_files);
			return TOOL_EXIT_UNREADABLE;
		}
		return finish(cmd_runs(files[0], &o, stdout, stderr));
	}
	if (cmd == CMD_DIFF) {
		if (nr_files != 2) {
			fprintf(stderr, "efimap: diff takes two FILEs, A and B (%d given)\n",
				nr_files);
			return TOOL_EXIT_UNREADABLE;
		}
		return finish(cmd_diff(files[0], files[1], &o, stdout, stderr));
	}
	if (cmd != CMD_CHECK && nr_files != 1) {
		fprintf(stderr,
			"efimap: %s takes exactly one FILE (%d given); only check takes several\n",
			cmd_name, nr_files);
		return TOOL_EXIT_UNREADABLE;
	}

	if (tool_all_maps() && cmd == CMD_CHECK)
		return finish(tool_run_all_maps(tool_check_one, files, nr_files, &o, stdout, stderr));
	if (tool_all_maps() && cmd == CMD_SHOW)
		return finish(tool_run_all_maps(cmd_show, files, 1, &o, stdout, stderr));
	if (tool_all_maps() && cmd == CMD_PLAN)
		return finish(tool_run_all_maps(cmd_plan, files, 1, &o, stdout, stderr));
	switch (cmd) {
	case CMD_CHECK:
		return finish(cmd_check(files, nr_files, &o, stdout, stderr));
	case CMD_SHOW:
		return finish(cmd_show(files[0], &o, stdout, stderr));
	case CMD_PLAN:
		return finish(cmd_plan(files[0], &o, stdout, stderr));
	case CMD_SVG:
		return finish(cmd_svg(files[0], &o, stdout, stderr));
	default:
		return usage_error("%s", no_command);
	}
}
