#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every C file follows the one formatter configuration (.clang-format).
set -eu
cd "$1"
files=$(find . -name '*.[ch]' -not -path './build*' -not -path './.git/*' | sort)
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
echo "format: $(echo "$files" | wc -w) files clean"
