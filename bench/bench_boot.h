/* bench_boot.h - the machine every benchmark starts from. */
#ifndef MHPSIM_BENCH_BOOT_H
#define MHPSIM_BENCH_BOOT_H

struct mhp_machine;

/* Boots models/bench-arm64-4k.yaml from the models directory; NULL (after saying why) on error. */
struct mhp_machine *bench_boot(const char *models);

#endif
