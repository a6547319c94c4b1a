// SPDX-License-Identifier: GPL-2.0-only
/*
 * mount.c - mhpsim mount: the simulated /sys and /proc served over FUSE, so
 * that tools written for the kernel (lsmem, chmem, the kernel's own
 * memory-hotplug selftest) run unchanged against the model:
 *
 *   mhpsim mount [--state FILE] [--models DIR] [--cmdline TEXT] [--no-error-inject] SCENARIO.yaml|MODEL DIR
 *
 * DIR/sys/devices/system/{memory,node}, DIR/sys/kernel/debug/notifier-error-inject
 * (memory-notifier-error-inject is loaded at priority 0, as the selftest's
 * modprobe would), DIR/sys/module/memory_hotplug/parameters and DIR/proc,
 * with the modes 6.12 gives them. A write goes through the simulator and fails
 * with the kernel's errno. With --state the machine is saved (atomically:
 * written aside, then renamed) after every write that changed it and when the
 * mount ends (SIGTERM, SIGINT, fusermount3 -u), and a mount with the same
 * --state resumes from it. One thread: the simulator is deterministic.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_STATE = 256, OPT_MODELS, OPT_CMDLINE, OPT_NO_INJECT };

const struct option cli_mount_options[] = {
	{ "state", required_argument, NULL, OPT_STATE },
	{ "models", required_argument, NULL, OPT_MODELS },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "no-error-inject", no_argument, NULL, OPT_NO_INJECT },
	CLI_HELP_OPTION,
	{ 0 },
};

#ifndef MHPSIM_HAVE_FUSE
int cmd_mount(const struct cli_cmd *cmd, int argc, char **argv)
{
	const struct cli_binding b[] = { CLI_END_OF_BINDINGS };   /* --help still works */
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	fprintf(stderr, "mhpsim mount: built without libfuse3 (apt-get install libfuse3-dev, then rebuild)\n");
	return CLI_USAGE;
}
#else
#define FUSE_USE_VERSION 31
#include <fuse.h>

#define MOUNT_READ_MAX (1u << 20)   /* the largest file (/proc/zoneinfo of a big model) fits */
#define SYSFS_WRITE_MAX 4096        /* kernfs hands a store at most PAGE_SIZE bytes */

struct mount_ctx {
	struct mhp_machine *m;
	const char *state;
	char *buf;
};

static struct mount_ctx *ctx(void)
{
	return fuse_get_context()->private_data;
}

/* Writes the machine to path.tmp, then renames it over path: a reader sees the old state or the new, never half. */
static int save_state(struct mhp_machine *m, const char *path)
{
	void *buf = NULL;
	size_t len = 0;
	struct mhp_err err = { 0 };
	if (!path)
		return 0;
	if (mhp_machine_save_buffer(m, &buf, &len, &err)) {
		fprintf(stderr, "mhpsim mount: state: %s\n", err.msg);
		return -EIO;
	}
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n = fd >= 0 ? write(fd, buf, len) : -1;
	int ret = n == (ssize_t)len && fsync(fd) == 0 ? 0 : -EIO;
	if (fd >= 0 && close(fd))
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -EIO;
	if (ret)
		fprintf(stderr, "mhpsim mount: state %s: %s\n", path, strerror(errno));
	free(buf);
	return ret;
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	struct mhp_sysfs_stat s;
	int ret = mhp_sysfs_stat(ctx()->m, path, &s);
	if (ret)
		return ret;
	memset(st, 0, sizeof(*st));
	st->st_mode = (s.type == MHP_SYSFS_DIR ? S_IFDIR : s.type == MHP_SYSFS_LINK ? S_IFLNK : S_IFREG) | s.mode;
	st->st_nlink = s.type == MHP_SYSFS_DIR ? 2 : 1;
	st->st_size = (off_t)s.size;
	if (s.type == MHP_SYSFS_LINK) {
		char target[256];
		ssize_t n = mhp_sysfs_readlink(ctx()->m, path, target, sizeof(target));
		st->st_size = n > 0 ? n : 0;
	}
	return 0;
}

static int fs_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n = mhp_sysfs_readlink(ctx()->m, path, buf, size);
	return n < 0 ? (int)n : 0;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	struct mount_ctx *c = ctx();
	ssize_t n = mhp_sysfs_list(c->m, path, c->buf, MOUNT_READ_MAX);
	if (n < 0)
		return (int)n;
	if ((size_t)n >= MOUNT_READ_MAX)
		return -E2BIG;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	for (char *save = NULL, *name = strtok_r(c->buf, "\n", &save); name; name = strtok_r(NULL, "\n", &save))
		if (fill(buf, name, NULL, 0, 0))
			break;
	return 0;
}

/* kernfs refuses, at open, a write to a file without a store and a read of one without a show: EACCES, root or not. */
static int fs_open(const char *path, struct fuse_file_info *fi)
{
	struct mhp_sysfs_stat s;
	int ret = mhp_sysfs_stat(ctx()->m, path, &s);
	if (ret)
		return ret;
	if (s.type == MHP_SYSFS_DIR)
		return -EISDIR;
	int acc = fi->flags & O_ACCMODE;
	if ((acc != O_RDONLY && !(s.mode & 0222)) || (acc != O_WRONLY && !(s.mode & 0444)))
		return -EACCES;
	fi->direct_io = 1;   /* every read asks the simulator again: no page cache between */
	return 0;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	struct mount_ctx *c = ctx();
	ssize_t n = mhp_sysfs_read(c->m, path, c->buf, MOUNT_READ_MAX);
	if (n < 0)
		return (int)n;
	if ((size_t)n >= MOUNT_READ_MAX)
		return -E2BIG;
	if (off >= n)
		return 0;
	size_t len = (size_t)(n - off) < size ? (size_t)(n - off) : size;
	memcpy(buf, c->buf + off, len);
	return (int)len;
}

static int fs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)off;   /* a sysfs store takes each write whole, wherever the file offset is */
	(void)fi;
	struct mount_ctx *c = ctx();
	size_t len = size < SYSFS_WRITE_MAX ? size : SYSFS_WRITE_MAX;
	int ret = mhp_sysfs_write(c->m, path, buf, len);
	if (!ret)
		ret = save_state(c->m, c->state);
	return ret ? ret : (int)len;
}

/* The shell's "> file" truncates first: harmless on an attribute that takes writes. */
static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	struct mhp_sysfs_stat s;
	int ret = mhp_sysfs_stat(ctx()->m, path, &s);
	return ret ? ret : s.type != MHP_SYSFS_FILE ? -EISDIR : (s.mode & 0222) ? 0 : -EACCES;
}

/*
 * What sysfs answers to making or removing names (6.12): the VFS refuses a
 * create where the directory has no create operation with EACCES
 * (fs/namei.c: vfs_create, lookup_open), and mknod, unlink, symlink and link
 * with EPERM; kernfs's own mkdir, rmdir and rename give EPERM without
 * syscall operations, which sysfs has none of (fs/kernfs/dir.c).
 */
static int fs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)path, (void)mode, (void)fi;
	return -EACCES;
}

static int fs_mknod(const char *path, mode_t mode, dev_t dev)
{
	(void)path, (void)mode, (void)dev;
	return -EPERM;
}

static int fs_mkdir(const char *path, mode_t mode)
{
	(void)path, (void)mode;
	return -EPERM;
}

static int fs_remove(const char *path)
{
	(void)path;
	return -EPERM;
}

static int fs_link(const char *from, const char *to)
{
	(void)from, (void)to;
	return -EPERM;
}

static int fs_rename(const char *from, const char *to, unsigned int flags)
{
	(void)from, (void)to;
	return flags ? -EINVAL : -EPERM;
}

static const struct fuse_operations ops = {
	.getattr = fs_getattr, .readlink = fs_readlink, .readdir = fs_readdir, .open = fs_open,
	.read = fs_read, .write = fs_write, .truncate = fs_truncate,
	.create = fs_create, .mknod = fs_mknod, .mkdir = fs_mkdir, .unlink = fs_remove, .rmdir = fs_remove,
	.symlink = fs_link, .link = fs_link, .rename = fs_rename,
};

/* Mounts and serves until unmounted or signalled (SIGTERM, SIGINT, SIGHUP: an orderly end, 0). */
static int serve(struct mount_ctx *c, const char *what, const char *dir)
{
	char *fargv[] = { (char *)"mhpsim", (char *)"-o",
			  (char *)"fsname=mhpsim,subtype=mhpsim,attr_timeout=0,entry_timeout=0,negative_timeout=0", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, fargv);
	struct fuse *f = fuse_new(&args, &ops, sizeof(ops), c);
	int ret = 1;
	if (f && fuse_mount(f, dir) == 0) {
		struct fuse_session *se = fuse_get_session(f);
		if (fuse_set_signal_handlers(se) == 0) {
			fprintf(stderr, "mhpsim mount: serving %s at %s\n", what, dir);
			int r = fuse_loop(f);   /* one thread: the simulator is not shared */
			ret = r == 0 || r == SIGTERM || r == SIGINT || r == SIGHUP ? 0 : 1;
			fuse_remove_signal_handlers(se);
		}
		fuse_unmount(f);
	} else {
		fprintf(stderr, "mhpsim mount: cannot mount at %s\n", dir);
	}
	if (f)
		fuse_destroy(f);
	fuse_opt_free_args(&args);
	return ret;
}

struct keep {
	void *buf;
	size_t len;
	int ret;
	struct mhp_err err;
};

static void keep_machine(struct mhp_machine *m, void *p)
{
	struct keep *k = p;
	k->ret = mhp_machine_save_buffer(m, &k->buf, &k->len, &k->err);
}

/* The machine to serve: the saved state, a scenario's machine after its last step, or a model booted. */
static int machine_for(const char *what, const char *state, const char *models, const char *cmdline,
		       struct mhp_machine **m, struct mhp_err *err)
{
	if (state && access(state, F_OK) == 0)
		return mhp_machine_load(state, NULL, NULL, m, err);
	size_t n = strlen(what);
	if (n > 5 && strcmp(what + n - 5, ".yaml") == 0) {
		struct mhp_scenario *sc = NULL;
		struct keep k = { 0 };
		struct mhp_run_options opt = { .output = MHP_OUT_QUIET, .after = keep_machine, .after_ctx = &k };
		struct mhp_run_result res;
		int ret = mhp_scenario_load(what, models, &sc, err);
		if (!ret)
			ret = mhp_scenario_run(sc, &opt, &res, err);
		if (!ret && k.ret)
			*err = k.err, ret = k.ret;
		if (!ret)
			ret = mhp_machine_load_buffer(k.buf, k.len, what, NULL, NULL, m, err);
		free(k.buf);
		mhp_scenario_free(sc);
		return ret;
	}
	struct mhp_model *model = NULL;
	int ret = mhp_model_load_named(what, models, &model, err);
	struct mhp_boot_args args = { .cmdline = cmdline };
	if (!ret)
		ret = mhp_machine_boot(model, cmdline ? &args : NULL, m, err);
	mhp_model_free(model);
	return ret;
}

int cmd_mount(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *state = NULL, *models = NULL, *cmdline = NULL, *what = NULL, *dir = NULL;
	bool no_inject = false;
	const struct cli_binding b[] = {
		CLI_STR(OPT_STATE, &state), CLI_STR(OPT_MODELS, &models), CLI_STR(OPT_CMDLINE, &cmdline),
					 CLI_FLAG(OPT_NO_INJECT, &no_inject), CLI_END_OF_BINDINGS };
	int status = cli_parse(cmd, argc, argv, b);
	if (status >= 0)
		return status;
	if (argc - optind != 2)
		return cli_usage_error(cmd, "a scenario or a model, and the directory to mount on");
	what = argv[optind];
	dir = argv[optind + 1];
	struct mhp_err err = { 0 };
	struct mount_ctx c = { .state = state, .buf = malloc(MOUNT_READ_MAX) };
	if (!c.buf || machine_for(what, state, models, cmdline, &c.m, &err)) {
		fprintf(stderr, "mhpsim mount: %s\n", c.buf ? err.msg : "out of memory");
		free(c.buf);
		return 1;
	}
	/* The selftest's modprobe: the injector registered once, as a module would be (a resumed state may have it). */
	char probe[16];
	if (!no_inject && mhp_sysfs_read(c.m, "/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error",
				     probe, sizeof(probe)) < 0 &&
	    mhp_modprobe(c.m, "memory-notifier-error-inject", 0, false, &err))
		fprintf(stderr, "mhpsim mount: %s\n", err.msg);
	int ret = save_state(c.m, state) ? 1 : serve(&c, what, dir);
	if (save_state(c.m, state))   /* whatever ended the mount: the state as it is now */
		ret = 1;
	mhp_machine_free(c.m);
	free(c.buf);
	return ret ? 1 : 0;
}
#endif
