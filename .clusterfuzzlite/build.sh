#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-only
# ClusterFuzzLite / OSS-Fuzz build of the harnesses in fuzz/. The builder
# image sets CC, CFLAGS (sanitizers and coverage) and LIB_FUZZING_ENGINE;
# fuzz/CMakeLists.txt uses them as they are, and links libyaml statically
# because the image that runs the harnesses has none.
cmake -S "$SRC/mhpsim" -B "$WORK/build-fuzz" -DMHPSIM_FUZZ=ON -DMHPSIM_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=None
cmake --build "$WORK/build-fuzz" --target fuzzers -j"$(nproc)"

# The harnesses look for the models beside themselves (fuzz/fuzz_common.c).
rm -rf "$OUT/mhpsim-models"
cp -r "$SRC/mhpsim/models" "$OUT/mhpsim-models"
for h in ops scenario sysfs; do
  cp "$WORK/build-fuzz/fuzz/fuzz_$h" "$OUT/"
  rm -f "$OUT/fuzz_${h}_seed_corpus.zip"
  zip -j -q "$OUT/fuzz_${h}_seed_corpus.zip" "$SRC/mhpsim/fuzz/corpus/$h"/*
  if [ -f "$SRC/mhpsim/fuzz/fuzz_$h.dict" ]; then
    cp "$SRC/mhpsim/fuzz/fuzz_$h.dict" "$OUT/"
  fi
done
