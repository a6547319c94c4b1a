/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * model.h - platform models: the machine a scenario boots (models/NAME.yaml).
 */
#ifndef MHPSIM_MODEL_H
#define MHPSIM_MODEL_H

#include <stddef.h>

#include <mhpsim/error.h>
#include <mhpsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mhp_model;

/* Parses a model file. Errors carry file:line:column. */
MHP_EXPORT int mhp_model_load(const char *path, struct mhp_model **out, struct mhp_err *err);
/*
 * Loads the model NAME (models/NAME.yaml) from models_dir, or, with models_dir
 * NULL, from $MHPSIM_MODELS, then ./models, then the installed data directory
 * (share/mhpsim/models); -ENOENT names every place it looked.
 */
MHP_EXPORT int mhp_model_load_named(const char *name, const char *models_dir, struct mhp_model **out,
				    struct mhp_err *err);
/* The same from len bytes in memory; name (NULL: "<model>") stands for the file in messages. */
MHP_EXPORT int mhp_model_load_buffer(const void *buf, size_t len, const char *name, struct mhp_model **out,
				     struct mhp_err *err);
MHP_EXPORT void mhp_model_free(struct mhp_model *model);
MHP_EXPORT const char *mhp_model_name(const struct mhp_model *model);
/* The teardown strategy a machine of this model runs unless told otherwise (its arch's first). */
MHP_EXPORT const char *mhp_model_teardown(const struct mhp_model *model);
/* The file the model was loaded from (as given), or the name a buffer was loaded under. */
MHP_EXPORT const char *mhp_model_path(const struct mhp_model *model);

#ifdef __cplusplus
}
#endif

#endif
