// SPDX-License-Identifier: GPL-2.0-only
/*
 * args.c - the command line as getopt_long reads it, for every command of
 * mhpsim: each command's help, its usage when something is wrong, checked
 * numbers and sizes, and the man page and bash completion made from the same
 * table (cli/main.c), so that none of them can drift from the parser.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char prog[64];

void cli_opts_start(const struct cli_cmd *cmd, char **argv)
{
	snprintf(prog, sizeof(prog), "mhpsim %s", cmd->name);
	argv[0] = prog;   /* getopt names the command in what it reports */
	optind = 0;       /* glibc: start afresh */
	opterr = 1;
}

int cli_opts(const struct cli_cmd *cmd, int argc, char **argv)
{
	int c = getopt_long(argc, argv, cmd->shortopts ? cmd->shortopts : "", cmd->longopts, NULL);
	if (c == 'h')
		return CLI_HELP;
	if (c == '?' || c == ':') {
		cli_usage_error(cmd, NULL);
		return CLI_BAD;
	}
	return c;
}

static void print_synopsis(const struct cli_cmd *cmd, FILE *f)
{
	const char *s = cmd->synopsis;
	int first = 1;
	do {   /* a command without operands still has its one line */
		size_t n = strcspn(s, "\n");
		fprintf(f, "%s mhpsim %s%s%.*s\n", first ? "usage:" : "      ", cmd->name, n ? " " : "", (int)n, s);
		s += n + (s[n] == '\n');
		first = 0;
	} while (*s);
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, const struct cli_binding *b)
{
	int c;
	cli_opts_start(cmd, argv);
	while ((c = cli_opts(cmd, argc, argv)) != CLI_END) {
		if (c == CLI_HELP || c == CLI_BAD)
			return c == CLI_HELP ? cli_help(cmd) : CLI_USAGE;
		const struct cli_binding *x = b;
		while (x->val && x->val != c)
			x++;
		if (x->str)
			*x->str = optarg;
		else if (x->flag)
			*x->flag = true;
	}
	return -1;
}

int cli_usage_error(const struct cli_cmd *cmd, const char *why)
{
	if (why)
		fprintf(stderr, "mhpsim %s: %s\n", cmd->name, why);
	print_synopsis(cmd, stderr);
	fprintf(stderr, "Try 'mhpsim help %s' for more.\n", cmd->name);
	return 2;
}

int cli_help(const struct cli_cmd *cmd)
{
	print_synopsis(cmd, stdout);
	printf("\n%s\n", cmd->summary);
	if (cmd->options)
		printf("\n%s", cmd->options);
	return 0;
}

int cli_u64(const struct cli_cmd *cmd, const char *what, const char *v, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long long n = v && *v >= '0' && *v <= '9' ? strtoull(v, &end, 0) : 0;
	if (!end || *end || errno || n < min || n > max) {
		fprintf(stderr, "mhpsim %s: %s: '%s' is not a whole number from %llu to %llu (decimal or 0x hex)\n",
			cmd->name, what, v ? v : "", (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = n;
	return 0;
}

int cli_size(const struct cli_cmd *cmd, const char *what, const char *v, uint64_t *out)
{
	if (!v || cli_parse_size(v, out) || !*out) {
		fprintf(stderr, "mhpsim %s: %s: '%s' is not a size (bytes, or a number with K, M, G or T)\n", cmd->name,
			what, v ? v : "");
		return -1;
	}
	return 0;
}

/* roff: a backslash and a leading dot or quote would be read as requests. */
static void roff_text(FILE *f, const char *s)
{
	for (int bol = 1; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

void cli_man_page(FILE *f, const char *general)
{
	fprintf(f, ".TH MHPSIM 1 \"\" \"mhpsim %s\" \"User Commands\"\n", mhp_version(NULL, NULL, NULL));
	fputs(".nh\n.SH NAME\nmhpsim \\- a deterministic simulator of Linux memory hot(un)plug\n", f);   /* no hyphens in options */
	fputs(".SH SYNOPSIS\n", f);
	for (size_t i = 0; i < cli_ncommands; i++) {
		fprintf(f, ".B mhpsim %s\n", cli_commands[i].name);
		const char *s = cli_commands[i].synopsis;
		size_t n = strcspn(s, "\n");
		fputs(".RI \"", f);
		for (size_t k = 0; k < n; k++)
			fputs(s[k] == '-' ? "\\-" : s[k] == '"' ? "\\(dq" : (char[]){ s[k], 0 }, f);
		fputs("\"\n.br\n", f);
	}
	fputs(".SH DESCRIPTION\n", f);
	roff_text(f, general);
	fputs(".SH COMMANDS\n", f);
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_cmd *c = &cli_commands[i];
		fprintf(f, ".SS %s\n.nf\n", c->name);
		const char *s = c->synopsis;
		while (*s) {
			size_t n = strcspn(s, "\n");
			fputs("mhpsim ", f);
			fputs(c->name, f);
			fputc(' ', f);
			char line[512];
			snprintf(line, sizeof(line), "%.*s\n", (int)n, s);
			roff_text(f, line);
			s += n + (s[n] == '\n');
		}
		fputs(".fi\n", f);
		roff_text(f, c->summary);
		fputs("\n", f);
		if (c->options) {
			fputs(".PP\n.nf\n", f);
			roff_text(f, c->options);
			fputs(".fi\n", f);
		}
	}
	fputs(".SH EXIT STATUS\n0: success. 1: a failed expectation, invariant or disagreement, or a file that could not be "
	      "read or written. 2: bad input or usage.\n", f);
	fputs(".SH ENVIRONMENT\n.TP\n.B MHPSIM_MODELS\nthe directory of machine models (NAME.yaml) when no \\-\\-models "
	      "is given; then ./models, then the installed data directory.\n", f);
	fputs(".SH SEE ALSO\n.BR lsmem (1),\n.BR chmem (8)\n", f);
}

void cli_bash_completion(FILE *f)
{
	fputs("# bash completion for mhpsim (mhpsim completion bash)\n_mhpsim()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n\t\tCOMPREPLY=($(compgen -W \"", f);
	for (size_t i = 0; i < cli_ncommands; i++)
		fprintf(f, "%s ", cli_commands[i].name);
	fputs("--help --version\" -- \"$cur\"))\n\t\treturn\n\tfi\n\tcase \"$cmd\" in\n", f);
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_cmd *c = &cli_commands[i];
		fprintf(f, "\t%s) local opts=\"", c->name);
		for (const struct option *o = c->longopts; o && o->name; o++)
			fprintf(f, "--%s ", o->name);
		fputs("\" ;;\n", f);
	}
	fputs("\t*) local opts=\"\" ;;\n\tesac\n"
	      "\tif [[ $cur == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\telif [ \"$cmd\" = help ]; then\n\t\tCOMPREPLY=($(compgen -W \"", f);
	for (size_t i = 0; i < cli_ncommands; i++)
		fprintf(f, "%s ", cli_commands[i].name);
	fputs("\" -- \"$cur\"))\n\telse\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\tfi\n}\n"
	      "complete -o filenames -F _mhpsim mhpsim\n", f);
}
