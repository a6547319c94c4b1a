/* cli.h - what the command files of the mhpsim front end share. */
#ifndef MHPSIM_CLI_H
#define MHPSIM_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <mhpsim/mhpsim.h>

/* mhpsim draw: SVG pictures of a scenario (cli/draw.c). */
int cmd_draw(int argc, char **argv);
/* mhpsim report: one self-contained HTML page stepping through a scenario (cli/report.c). */
int cmd_report(int argc, char **argv);

/* mhpsim mount: the simulated /sys and /proc over FUSE (cli/mount.c). */
int cmd_mount(int argc, char **argv);

/* A number in C syntax with an optional K/M/G/T suffix; -1 when it is not one. */
int cli_parse_size(const char *s, uint64_t *out);
/* Opens path for writing ("-" or NULL: stdout); NULL after saying why. */
FILE *cli_open_out(const char *path);
/* Closes what cli_open_out opened: 0, or -1 after saying why (a full disk, ...). */
int cli_close_out(FILE *f, const char *path);

#endif
