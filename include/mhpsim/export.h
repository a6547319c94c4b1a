/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * export.h - MHP_EXPORT marks the functions of the public API.
 *
 * The library is built with -fvisibility=hidden, so its internals stay out of
 * libmhpsim.so's dynamic symbol table; only what carries MHP_EXPORT is there.
 */
#ifndef MHPSIM_EXPORT_H
#define MHPSIM_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define MHP_EXPORT __attribute__((visibility("default")))
#else
#define MHP_EXPORT
#endif

#endif
