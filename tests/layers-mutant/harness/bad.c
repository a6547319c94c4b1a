#include "sim/machine.h"   /* the bug: the harness reads the model directly */
