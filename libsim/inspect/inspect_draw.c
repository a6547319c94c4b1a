/*
 * inspect_draw.c - the read-only views harness/draw.c needs (inspect.h).
 */
#include "sim/machine.h"
#include "inspect.h"
