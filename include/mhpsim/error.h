/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * error.h - error reports returned by every fallible mhpsim call.
 *
 * Calls return 0 or a negative errno (the kernel's convention); when they take
 * a struct mhp_err, they also leave a message the caller can print.
 */
#ifndef MHPSIM_ERROR_H
#define MHPSIM_ERROR_H

#include <stddef.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MHP_ERR_MSG_MAX 512

struct mhp_err {
	int code;                    /* negative errno, 0 if no error */
	char msg[MHP_ERR_MSG_MAX];   /* "file:line:column: error: ..." or plain text */
};

/* Name of a (positive or negative) errno as the kernel spells it: "EBUSY". */
MHP_EXPORT const char *mhp_errno_name(int err);
/* Inverse of mhp_errno_name; returns 0 if the name is unknown. */
MHP_EXPORT int mhp_errno_from_name(const char *name);
/* The C library's description of an errno, as strerror would print it. */
MHP_EXPORT const char *mhp_errno_text(int err);

#ifdef __cplusplus
}
#endif

#endif
