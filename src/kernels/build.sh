#!/bin/sh
# Rebuilds vaelang's wasm kernels (src/kernels/wasm/*.wasm) from their C source (src/kernels/c).
#
#   sh src/kernels/build.sh            # or: npm run build:kernels
#   OUT=dir ONLY=vk-simd sh src/kernels/build.sh   # one build, elsewhere (the tests compare it)
#
# Needs clang and wasm-ld with the WebAssembly target (Debian: apt-get install clang-19 lld-19;
# set CC / WASM_LD for other versions). Four builds:
#   vk-simd.wasm        SIMD128                      memory imported, not shared (stock tfjs wasm)
#   vk-relaxed.wasm     SIMD128 + relaxed SIMD (FMA) memory imported, not shared
#   vk-simd-mt.wasm     SIMD128                      shared memory (threaded tfjs wasm, GEMM worker)
#   vk-relaxed-mt.wasm  SIMD128 + relaxed SIMD       shared memory
# The kernels run on tfjs's heap, so the output must not place anything in memory: the script
# fails if a build has a data segment or an instruction that touches a global (the C stack
# pointer); src/kernels/load.ts checks the same at run time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-clang-19}
WASM_LD=${WASM_LD:-$(command -v wasm-ld-19 || command -v wasm-ld)}
OBJDUMP=${OBJDUMP:-$(command -v llvm-objdump-19 || command -v /usr/lib/llvm-19/bin/llvm-objdump || command -v llvm-objdump || true)}
src="$here/c/gemm.c $here/c/dense.c $here/c/densities.c $here/c/adam.c"
out="${OUT:-$here/wasm}"
mkdir -p "$out"
common="--target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -ffreestanding -Wall -Wextra -Werror -Wno-unused-parameter -fuse-ld=$WASM_LD -Wl,--no-entry -Wl,--import-memory -Wl,--strip-all"
build() { # name, extra flags
  name=$1
  shift
  if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ]; then return 0; fi
  # shellcheck disable=SC2086
  "$CC" $common "$@" -o "$out/$name.wasm" $src
  if [ -n "$OBJDUMP" ] && "$OBJDUMP" -d "$out/$name.wasm" | grep -q 'global\.'; then
    echo "build.sh: $name.wasm uses a global (the C stack?): kernels must not touch memory they do not own" >&2
    exit 1
  fi
  if [ -n "$OBJDUMP" ] && "$OBJDUMP" -h "$out/$name.wasm" | grep -qi ' data '; then
    echo "build.sh: $name.wasm has a data segment" >&2
    exit 1
  fi
  echo "built $out/$name.wasm ($(wc -c < "$out/$name.wasm") bytes)"
}
shared="-matomics -Wl,--shared-memory -Wl,--max-memory=4294967296"
build vk-simd
build vk-relaxed -mrelaxed-simd -DVK_RELAXED
# shellcheck disable=SC2086
build vk-simd-mt $shared
# shellcheck disable=SC2086
build vk-relaxed-mt -mrelaxed-simd -DVK_RELAXED $shared
