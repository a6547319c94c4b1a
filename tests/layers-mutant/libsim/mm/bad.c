#include "check/check.h"   /* the bug: the model calls up into the checks */
