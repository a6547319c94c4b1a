/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * version.h - which mhpsim this is: the macros at compile time, mhp_version()
 * at run time (a program built against one release and run with another can
 * tell). CMake reads its project version from these macros.
 */
#ifndef MHPSIM_VERSION_H
#define MHPSIM_VERSION_H

#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MHPSIM_VERSION_MAJOR 0
#define MHPSIM_VERSION_MINOR 2
#define MHPSIM_VERSION_PATCH 0
#define MHPSIM_VERSION "0.2.0"
/* One number that orders releases: 0x00MMmmpp. */
#define MHPSIM_VERSION_NUMBER ((MHPSIM_VERSION_MAJOR << 16) | (MHPSIM_VERSION_MINOR << 8) | MHPSIM_VERSION_PATCH)

/* The library's version string ("0.2.0"); *major, *minor, *patch when not NULL. */
MHP_EXPORT const char *mhp_version(int *major, int *minor, int *patch);

#ifdef __cplusplus
}
#endif

#endif
