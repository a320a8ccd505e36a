#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# artic's Quick start, for a fresh Debian 12 machine (root or sudo):
#   ./run.sh demo    install what is missing, build, stream the shipped clip
#   ./run.sh check   install what is missing, build, run the whole test suite
# Both are idempotent: with everything in place they only rebuild what changed.
set -eu
cd "$(dirname "$0")"
BUILD=${BUILD:-build}

usage() {
  cat <<USAGE
usage: ./run.sh COMMAND
  setup    install the missing Debian packages
  build    setup, then configure (once) and build in $BUILD/
  demo     build, then stream the shipped clip over loopback and summarise
  check    build, then run the whole test suite (meson test)
  format   reformat every C file with the project's clang-format settings
USAGE
}

do_build() {
  sh scripts/setup.sh
  if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD"
  fi
  meson compile -C "$BUILD"
}

case "${1:-}" in
  setup) sh scripts/setup.sh ;;
  build) do_build ;;
  demo) do_build; sh scripts/demo.sh "$BUILD" ;;
  check) do_build; sh scripts/check.sh "$BUILD" ;;
  format) git ls-files '*.c' '*.h' | xargs clang-format -i ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
