#!/usr/bin/env bash
# light_header_test.sh CXX INCLUDE_DIR SOURCE: compiles SOURCE (which includes
# only jpclear/jpclear.h) with -H and fails when any header of the clearing
# engine (clearing/, pricing/, report/, clear_inline.h) or <ostream> is among
# its includes: jpclear.h must stay cheap for the files that call clear().
set -euo pipefail
cxx=$1 include_dir=$2 source=$3
includes=$("$cxx" -std=c++20 -fsyntax-only -H -I "$include_dir" "$source" 2>&1 >/dev/null | sed -n 's/^\.\+ //p')
heavy=$(grep -E 'jpclear/(clearing|pricing|report)/|jpclear/clear_inline\.h|/ostream$' <<<"$includes" || true)
if [ -n "$heavy" ]; then
  echo "jpclear.h pulls in headers it must not:"
  echo "$heavy"
  exit 1
fi
echo "jpclear.h includes $(wc -l <<<"$includes") headers, none of the engine's"
