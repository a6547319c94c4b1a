/* the machine: the harness must reach it through inspect.h */
