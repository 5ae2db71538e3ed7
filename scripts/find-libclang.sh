#!/usr/bin/env bash
# Finds the libclang C library that bindgen (libuv-sys2's build script) will load, searching
# the way clang-sys does at build time with runtime loading: $LIBCLANG_PATH alone if set;
# otherwise `llvm-config --prefix`, $LD_LIBRARY_PATH, $LIBRARY_PATH and the system library
# directories, for libclang.so, libclang-*.so, libclang.so.* and libclang-*.so.*, never
# libclang-cpp (the C++ library some machines ship alone, which bindgen can't use).
#
# Prints the first library found and exits 0, or prints "missing" and exits 1.
#
# usage: find-libclang.sh [ROOT]
#   ROOT prefixes the system directories and disables the environment and llvm-config
#   lookups, so that a test can run the search against a directory tree of its own.
set -u
shopt -s nullglob nocaseglob

root=${1:-}
dirs=()
if [ -n "$root" ]; then
    :
elif [ -n "${LIBCLANG_PATH:-}" ]; then
    if [ -f "$LIBCLANG_PATH" ]; then
        echo "$LIBCLANG_PATH"
        exit 0
    fi
    dirs+=("$LIBCLANG_PATH")
else
    if prefix=$(llvm-config --prefix 2>/dev/null); then
        dirs+=("$prefix/bin" "$prefix/lib" "$prefix/lib64")
    fi
    IFS=: read -r -a ld <<<"${LD_LIBRARY_PATH:-}"
    IFS=: read -r -a lib <<<"${LIBRARY_PATH:-}"
    dirs+=("${ld[@]}" "${lib[@]}")
fi
if [ -n "$root" ] || [ -z "${LIBCLANG_PATH:-}" ]; then
    for pattern in /usr/local/llvm*/lib* /usr/local/lib*/*/* /usr/local/lib*/* /usr/local/lib* \
        /usr/lib*/*/* /usr/lib*/* /usr/lib*; do
        for d in "$root"$pattern; do
            [ -d "$d" ] && dirs+=("$d")
        done
    done
fi

for d in "${dirs[@]}"; do
    [ -n "$d" ] || continue
    for f in "$d"/libclang.so "$d"/libclang-*.so "$d"/libclang.so.* "$d"/libclang-*.so.*; do
        case "${f##*/}" in
        *-cpp.*) continue ;;
        esac
        if [ -f "$f" ]; then
            echo "$f"
            exit 0
        fi
    done
done
echo missing
exit 1
