// SPDX-License-Identifier: GPL-2.0-only
/*
 * util.c - small shared pieces: error reports, errno names, bounded text, hashing.
 */
#define _GNU_SOURCE   /* dladdr(): where the library itself lies, for its installed models */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bug.h"
#include "util.h"
#include "strbuf.h"
#include <mhpsim/version.h>
#include <unistd.h>

int mhp_err_set(struct mhp_err *err, int code, const char *fmt, ...)
{
	MHP_ASSERT(code <= 0);
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

static const struct { int err; const char *name; } errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" }, { EIO, "EIO" },
	{ E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
	{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
	{ EFBIG, "EFBIG" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { EHWPOISON, "EHWPOISON" },
	{ EAGAIN, "EAGAIN" }, { EUCLEAN, "EUCLEAN" }, { ENXIO, "ENXIO" },
};

const char *mhp_errno_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return "E?";
}

int mhp_errno_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].err;
	return 0;
}

const char *mhp_errno_text(int err)
{
	return strerror(err < 0 ? -err : err);
}

void sb_init(struct strbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	if (cap)
		buf[0] = '\0';
}

/* Appends; on overflow keeps counting (like snprintf) so callers learn the size. */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	size_t room = sb->len < sb->cap ? sb->cap - sb->len : 0;
	va_start(ap, fmt);
	int n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->len += (size_t)n;
}

/* Appends len bytes without format parsing (the hot path of JSON and logs). */
void sb_put(struct strbuf *sb, const char *s, size_t len)
{
	if (sb->len < sb->cap) {
		size_t room = sb->cap - sb->len - 1;
		size_t n = len < room ? len : room;
		memcpy(sb->buf + sb->len, s, n);
		sb->buf[sb->len + n] = '\0';
	}
	sb->len += len;
}

void sb_put_json_string(struct strbuf *sb, const char *s)
{
	sb_put(sb, "\"", 1);
	while (*s) {   /* plain runs are copied whole */
		size_t run = strcspn(s, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
				 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
		sb_put(sb, s, run);
		s += run;
		if (!*s)
			break;
		unsigned char c = (unsigned char)*s++;
		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else
			sb_printf(sb, "\\u%04x", c);
	}
	sb_put(sb, "\"", 1);
}

void sb_put_choices(struct strbuf *sb, const char *const *words, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		sb_printf(sb, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", words[i]);
}

/* Models "%*pbl" (lib/vsprintf.c bitmap_list_string): runs of set bits as "a-b", comma separated. */
void sb_put_bitmap_list(struct strbuf *sb, const bool *bits, unsigned nbits)
{
	bool first = true;
	for (unsigned i = 0; i < nbits; i++) {
		if (!bits[i])
			continue;
		unsigned j = i;
		while (j + 1 < nbits && bits[j + 1])
			j++;
		sb_printf(sb, first ? "%u" : ",%u", i);
		if (j > i)
			sb_printf(sb, "-%u", j);
		first = false;
		i = j;
	}
}

/*
 * Models "%*pb" (lib/vsprintf.c bitmap_string): hex in 32-bit chunks from the
 * top, comma separated, the first chunk only as wide as its bits need.
 */
void sb_put_bitmap_mask(struct strbuf *sb, const bool *bits, unsigned nbits)
{
	unsigned chunk = nbits % 32 ? nbits % 32 : 32;
	for (int lo = (int)((nbits + 31) / 32 * 32) - 32; lo >= 0; lo -= 32) {
		uint32_t val = 0;
		for (unsigned b = 0; b < chunk; b++)
			val |= (uint32_t)(bits[(unsigned)lo + b] ? 1 : 0) << b;
		sb_printf(sb, "%s%0*x", (unsigned)lo + chunk == nbits ? "" : ",", (int)((chunk + 3) / 4), val);
		chunk = 32;
	}
}

#define FNV1A64_PRIME 0x100000001b3ull

uint64_t fnv1a64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
#pragma GCC unroll 8
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV1A64_PRIME;
	}
	return h;
}

/* A zero byte only multiplies by the prime: n of them multiply by its nth power (squared up, mod 2^64). */
uint64_t fnv1a64_zeros(uint64_t h, uint64_t n)
{
	for (uint64_t p = FNV1A64_PRIME; n; n >>= 1, p *= p)
		if (n & 1)
			h *= p;
	return h;
}

void fnv1a64_x4(uint64_t h[4], const void *const data[4], size_t len)
{
	const unsigned char *p0 = data[0], *p1 = data[1], *p2 = data[2], *p3 = data[3];
	uint64_t a = h[0], b = h[1], c = h[2], d = h[3];
#pragma GCC unroll 8
	for (size_t i = 0; i < len; i++) {   /* four chains of multiplies, which the CPU runs side by side */
		a = (a ^ p0[i]) * FNV1A64_PRIME;
		b = (b ^ p1[i]) * FNV1A64_PRIME;
		c = (c ^ p2[i]) * FNV1A64_PRIME;
		d = (d ^ p3[i]) * FNV1A64_PRIME;
	}
	h[0] = a, h[1] = b, h[2] = c, h[3] = d;
}

void mhp_assert_fail(const char *cond, const char *file, int line, const char *func)
{
	fprintf(stderr, "mhpsim: assertion failed: %s (%s:%d, %s)\n", cond, file, line, func);
	fflush(stderr);
	abort();
}

int write_file(const char *path, const uint8_t *buf, size_t len, struct mhp_err *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return mhp_err_set(err, -errno, "%s: cannot create: %s", path, strerror(errno));
	bool ok = fwrite(buf, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	return ok ? 0 : mhp_err_set(err, -EIO, "%s: write failed", path);
}

/* Reads a whole regular file of at most SNAPSHOT_MAX_BYTES (never a pipe or a device). */
int read_file_bounded(const char *path, uint64_t max, const char *what, uint8_t **buf, size_t *len,
		      struct mhp_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mhp_err_set(err, -errno, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	int ret = 0;
	uint8_t *b = NULL;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
		ret = mhp_err_set(err, -EINVAL, "%s: not a regular file", path);
	else if ((uint64_t)st.st_size > max)
		ret = mhp_err_set(err, -EFBIG, "%s: %lld bytes, more than %s may hold", path,
				  (long long)st.st_size, what);
	else if (!(b = malloc(st.st_size ? (size_t)st.st_size : 1)))
		ret = mhp_err_set(err, -ENOMEM, "%s: out of memory", path);
	else if (fread(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		ret = mhp_err_set(err, -EIO, "%s: read failed", path);
	fclose(f);
	if (ret) {
		free(b);
		return ret;
	}
	*buf = b;
	*len = (size_t)st.st_size;
	return 0;
}

const char *mhp_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = MHPSIM_VERSION_MAJOR;
	if (minor)
		*minor = MHPSIM_VERSION_MINOR;
	if (patch)
		*patch = MHPSIM_VERSION_PATCH;
	return MHPSIM_VERSION;
}

#ifndef MHPSIM_DATADIR
#define MHPSIM_DATADIR "/usr/local/share/mhpsim"
#endif

#ifndef MHPSIM_LIB_TO_PREFIX
#define MHPSIM_LIB_TO_PREFIX ".."
#endif

/* Adds FILE's directory/UP/share/mhpsim/models when it is there and not the last one added. */
static unsigned models_add_beside(char (*dirs)[MODELS_DIR_LEN], unsigned n, char *file, const char *up)
{
	char *slash = strrchr(file, '/'), path[MODELS_DIR_LEN];
	if (!slash || n >= MODELS_PATH_MAX)
		return n;
	*slash = '\0';
	int len = snprintf(path, sizeof(path), "%s/%s/share/mhpsim/models", file, up);
	if (len <= 0 || (size_t)len >= sizeof(path) || access(path, R_OK) != 0)
		return n;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(dirs[i], path) == 0)
			return n;
	memcpy(dirs[n], path, (size_t)len + 1);
	return n + 1;
}

unsigned models_search_path(const char *models_dir, const char *near, char (*dirs)[MODELS_DIR_LEN])
{
	unsigned n = 0;
	const char *env = getenv("MHPSIM_MODELS");
	if (models_dir)
		snprintf(dirs[n++], MODELS_DIR_LEN, "%s", models_dir);
	if (near)
		snprintf(dirs[n++], MODELS_DIR_LEN, "%s/../models", near);
	if (env && *env && !models_dir)
		snprintf(dirs[n++], MODELS_DIR_LEN, "%s", env);
	if (!models_dir || strcmp(models_dir, "models") != 0)
		snprintf(dirs[n++], MODELS_DIR_LEN, "models");
	if (!models_dir)
		snprintf(dirs[n++], MODELS_DIR_LEN, "%s/models", MHPSIM_DATADIR);
	if (models_dir)
		return n;
	/* An installed tree moved elsewhere: the data directory beside the program's bin/, or the library's lib/. */
	char at[MODELS_DIR_LEN];
	Dl_info info;
	ssize_t len = readlink("/proc/self/exe", at, sizeof(at) - 1);
	if (len > 0) {
		at[len] = '\0';
		n = models_add_beside(dirs, n, at, "..");
	}
	if (dladdr((void *)models_search_path, &info) && info.dli_fname && strlen(info.dli_fname) < sizeof(at)) {
		strcpy(at, info.dli_fname);
		n = models_add_beside(dirs, n, at, MHPSIM_LIB_TO_PREFIX);
	}
	return n;
}

int models_find(const char *name, const char *models_dir, const char *near, char *path, size_t cap,
		struct mhp_err *err)
{
	char dirs[MODELS_PATH_MAX][MODELS_DIR_LEN], looked[MODELS_PATH_MAX * (MODELS_DIR_LEN + 80)];
	unsigned n = models_search_path(models_dir, near, dirs);
	size_t used = 0;
	looked[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		int len = snprintf(path, cap, "%s/%s.yaml", dirs[i], name);
		if (len > 0 && (size_t)len < cap && access(path, R_OK) == 0)
			return 0;
		used += (size_t)snprintf(looked + used, sizeof(looked) - used, "%s%s/%s.yaml", i ? ", " : "", dirs[i],
					 name);
		used = used < sizeof(looked) ? used : sizeof(looked) - 1;
	}
	return mhp_err_set(err, -ENOENT, "model '%s' not found (looked for %s)", name, looked);
}
