/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mhpsim.h - everything public, in one include. It declares nothing itself:
 * each header it includes carries its own extern "C" guards.
 */
#ifndef MHPSIM_H
#define MHPSIM_H
#include <mhpsim/version.h>
#include <mhpsim/error.h>
#include <mhpsim/model.h>
#include <mhpsim/machine.h>
#include <mhpsim/sysfs.h>
#include <mhpsim/hotplug.h>
#include <mhpsim/check.h>
#include <mhpsim/trace.h>
#include <mhpsim/scenario.h>
#include <mhpsim/workload.h>
#include <mhpsim/fuzz.h>
#include <mhpsim/snapshot.h>
#include <mhpsim/observe.h>
#include <mhpsim/draw.h>
#endif
