/* SPDX-License-Identifier: GPL-2.0-only */
/* cli.h - what the command files of the mhpsim front end share. */
#ifndef MHPSIM_CLI_H
#define MHPSIM_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <mhpsim/mhpsim.h>

/* One command: what help, usage, the man page and completion say of it, and what runs it. */
struct cli_cmd {
	const char *name;
	const char *synopsis;            /* its usage lines without "mhpsim NAME ", one per line */
	const char *summary;             /* what it does, a sentence or two */
	const char *options;             /* each option on a line of its own, or NULL */
	const char *shortopts;           /* getopt's: "ho:" */
	const struct option *longopts;   /* getopt_long's, ending in { 0 } */
	int (*run)(const struct cli_cmd *cmd, int argc, char **argv);   /* argv[0] is the command's name */
};

extern const struct cli_cmd cli_commands[];
extern const size_t cli_ncommands;

/* The exit statuses every command keeps: ok, a failure found, bad input or usage. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };
/* What cli_opts() returns besides an option's value: the end, --help, a bad option (already reported). */
enum { CLI_END = -1, CLI_HELP = -2, CLI_BAD = -3 };
#define CLI_HELP_OPTION { "help", no_argument, NULL, 'h' }

/* Starts reading cmd's options from argv (argv[0] becomes "mhpsim NAME" for getopt's messages). */
void cli_opts_start(const struct cli_cmd *cmd, char **argv);
/* The next option (its val), CLI_END, CLI_HELP, or CLI_BAD after naming the bad option and the usage. */
int cli_opts(const struct cli_cmd *cmd, int argc, char **argv);
/* An option that keeps its value (str) or that it was given (flag) where it points. */
struct cli_binding {
	int val;
	const char **str;
	bool *flag;
};
/*
 * Reads every option of cmd into its binding (the list ends with val 0);
 * optind is then the first operand. -1 to go on, or the status to exit with
 * (after --help, or a bad option said).
 */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, const struct cli_binding *b);
#define CLI_STR(v, p) { .val = (v), .str = (p) }
#define CLI_FLAG(v, p) { .val = (v), .flag = (p) }
#define CLI_END_OF_BINDINGS { .val = 0 }
/* The command's usage on stderr, after why when given; returns CLI_USAGE. */
int cli_usage_error(const struct cli_cmd *cmd, const char *why);
/* The command's help on stdout; returns CLI_OK. */
int cli_help(const struct cli_cmd *cmd);
/* A whole number in [min, max] (decimal or 0x hex), or -1 after saying which option had what. */
int cli_u64(const struct cli_cmd *cmd, const char *what, const char *v, uint64_t min, uint64_t max, uint64_t *out);
/* A size above 0 (bytes, or with K, M, G, T), or -1 after saying which option had what. */
int cli_size(const struct cli_cmd *cmd, const char *what, const char *v, uint64_t *out);
/* The man page mhpsim(1) in roff, general being the description of the whole tool. */
void cli_man_page(FILE *f, const char *general);
/* A bash completion script for every command and its options. */
void cli_bash_completion(FILE *f);

/* mhpsim draw: SVG pictures of a scenario (cli/draw.c). */
int cmd_draw(const struct cli_cmd *cmd, int argc, char **argv);
/* mhpsim report: one self-contained HTML page stepping through a scenario (cli/report.c). */
int cmd_report(const struct cli_cmd *cmd, int argc, char **argv);
/* mhpsim mount: the simulated /sys and /proc over FUSE (cli/mount.c). */
int cmd_mount(const struct cli_cmd *cmd, int argc, char **argv);
extern const struct option cli_draw_options[], cli_report_options[], cli_mount_options[];

/* A number in C syntax with an optional K/M/G/T suffix; -1 when it is not one. */
int cli_parse_size(const char *s, uint64_t *out);
/* Opens path for writing ("-" or NULL: stdout); NULL after saying why. */
FILE *cli_open_out(const char *path);
/* Closes what cli_open_out opened: 0, or -1 after saying why (a full disk, ...). */
int cli_close_out(FILE *f, const char *path);

#endif
