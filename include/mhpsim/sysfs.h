/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysfs.h - the simulated /sys and /proc files, read and written by path.
 *
 * Paths are absolute ("/sys/devices/system/memory/memory8/state",
 * "/proc/zoneinfo") or relative to /sys ("devices/system/memory/block_size_bytes").
 * Text is byte-exact to Linux 6.12 for every file the model implements.
 */
#ifndef MHPSIM_SYSFS_H
#define MHPSIM_SYSFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_machine;

/*
 * Reads a file into buf (NUL-terminated if cap > 0). Returns the full length
 * of the text (which may exceed cap - 1, like snprintf) or a negative errno:
 * -ENOENT for a path that does not exist, -EACCES for a write-only file.
 */
MHP_EXPORT ssize_t mhp_sysfs_read(struct mhp_machine *m, const char *path, char *buf, size_t cap);

/*
 * Writes value to a file as `echo -n value > path` would (one write call).
 * Returns 0 or the negative errno the kernel's write returns.
 */
MHP_EXPORT int mhp_sysfs_write(struct mhp_machine *m, const char *path, const char *value, size_t len);

/*
 * Lists a directory, one name per line, sorted as `ls` sorts them in the C
 * locale. Links (memoryN/node0) are listed by name; mhp_sysfs_readlink reads them.
 */
MHP_EXPORT ssize_t mhp_sysfs_list(struct mhp_machine *m, const char *path, char *buf, size_t cap);

/*
 * The kernel page tables between VAs start and end, in the format of arm64's
 * /sys/kernel/debug/kernel_page_tables (the linear map and the vmemmap only;
 * 0, 0 for both whole). Returns the length (as mhp_sysfs_read) or -EINVAL.
 */
MHP_EXPORT ssize_t mhp_ptdump(const struct mhp_machine *m, uint64_t start, uint64_t end, char *buf, size_t cap);

/*
 * What ls -l shows of a path: a directory, a file or a link, with the mode
 * 6.12 gives it (state 0644, valid_zones 0444, a notifier-error-inject error
 * file 0600, ...) and the size stat reports (4096 for sysfs attributes, 0 for
 * procfs and debugfs). The directories above the files ("/", "/sys",
 * "/sys/devices", ...) are there too, for a mount of the whole tree.
 */
enum mhp_sysfs_type { MHP_SYSFS_FILE, MHP_SYSFS_DIR, MHP_SYSFS_LINK };
struct mhp_sysfs_stat {
	enum mhp_sysfs_type type;
	unsigned mode;   /* permission bits */
	uint64_t size;
};
MHP_EXPORT int mhp_sysfs_stat(struct mhp_machine *m, const char *path, struct mhp_sysfs_stat *st);

/* Reads a symbolic link's target ("../../node/node0"); -EINVAL if not a link. */
MHP_EXPORT ssize_t mhp_sysfs_readlink(struct mhp_machine *m, const char *path, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
