/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench_profile.h - gperftools' CPU profiler around a benchmark (--profile
 * FILE); `google-pprof --svg BENCH FILE` renders the call graph.
 */
#ifndef MHPSIM_BENCH_PROFILE_H
#define MHPSIM_BENCH_PROFILE_H

#include <stdio.h>

#ifdef MHPSIM_HAVE_PROFILER
#include <gperftools/profiler.h>
#endif

/* Starts profiling into file (NULL: nothing). -1, after saying why, when it cannot. */
static inline int bench_profile_start(const char *file)
{
	if (!file)
		return 0;
#ifdef MHPSIM_HAVE_PROFILER
	if (ProfilerStart(file))
		return 0;
	fprintf(stderr, "--profile %s: the profiler did not start\n", file);
#else
	fprintf(stderr, "--profile: built without gperftools (apt-get install libgoogle-perftools-dev)\n");
#endif
	return -1;
}

static inline void bench_profile_stop(const char *file)
{
#ifdef MHPSIM_HAVE_PROFILER
	if (file)
		ProfilerStop();
#else
	(void)file;
#endif
}

#endif
