/*
 * inspect_fuzz.c - the read-only views harness/fuzz.c and harness/differential.c needs (inspect.h).
 */
#include "sim/machine.h"
#include "inspect.h"
