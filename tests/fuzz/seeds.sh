#!/usr/bin/env bash
# seeds.sh NAME DIR: gather the seed corpus of harness NAME from the repository's
# test data into DIR (symlinks, nothing copied into the repository). Inputs the
# harness reads with a leading selector byte get it prepended (written to DIR).
set -euo pipefail
name=$1 dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir"
n=0
add() {            # add FILE [PREFIX-BYTE]
  local f=$1 out
  [ -f "$f" ] || return 0
  [ "$(stat -c %s "$f")" -le 1048576 ] || return 0
  n=$((n + 1))
  out="$dir/seed-$n"
  if [ $# -ge 2 ]; then { printf "$2"; cat "$f"; } >"$out"; else ln -sf "$f" "$out"; fi
}
case $name in
  pac)       for f in $(grep -rl --include='*.pac' -e FindProxyForURL "$root/tests" "$root/inventory" "$root/rules/data" 2>/dev/null); do add "$f"; done ;;
  inventory) for f in $(find "$root/tests" "$root/inventory" -name '*.yaml' -size -64k | grep -v -e user-rules -e rules.yaml); do add "$f"; done ;;
  walk)      for f in $(find "$root/tests/unit/data/snmp" "$root/tests/snmp/data" "${GOLDEN_CASES:-$root/tests/golden/cases}" "$root/inventory/example" -name '*.walk' -size -256k | sort | head -400); do add "$f"; done ;;
  netconf)   # Junos replies first: the cases below are many and cut at 400.
             for f in $(find "${GOLDEN_CASES:-$root/tests/golden/cases}" -path '*/junos-*/netconf/*.xml' -size -256k | sort | head -40); do
               case $f in */running.xml) add "$f" '\000' ;; *) add "$f" '\001' ;; esac
             done
             for f in $(find "$root/tests/unit/data/netconf" "$root/tests/netconf/cisco" "${GOLDEN_CASES:-$root/tests/golden/cases}" "$root/inventory/example" -path '*netconf/*.xml' -size -256k | sort | head -400); do
               case $f in */state.xml) add "$f" '\001' ;; *) add "$f" '\000' ;; esac
             done ;;
  manifest)  for f in $(find "$root/tests" "$root/inventory" -name manifest.json -size -64k | sort | head -200); do add "$f"; done ;;
  services)  for f in $(grep -rl --include='*.json' -e '"values"' "$root/tests" "$root/inventory" "$root/rules/data" 2>/dev/null | head -50); do add "$f" '\000'; done
             for f in $(grep -rl --include='*.json' -e '"serviceArea"' "$root/tests" "$root/inventory" "$root/rules/data" 2>/dev/null | head -50); do add "$f" '\001'; done ;;
  userrules) for f in $(grep -rl -e '^rules:' "$root/tests" "$root/inventory" --include='*.yaml' 2>/dev/null); do add "$f"; done ;;
  import)    add "$root/tests/inventory/netbox.json" '\000'; add "$root/tests/inventory/ansible.yaml" '\001'
             add "$root/tests/inventory/router.db" '\002'; add "$root/tests/inventory/router.db" '\003'
             for f in $(find "$root/tests" "$root/inventory" -name '*.yaml' -size -64k | sort | head -50); do add "$f" '\001'; done ;;
  *) echo "seeds.sh: unknown harness $name" >&2; exit 2 ;;
esac
# Small committed seeds (tests/fuzz/seeds/NAME/) where the test data has few.
if [ -d "$root/tests/fuzz/seeds/$name" ]; then for f in "$root/tests/fuzz/seeds/$name"/*; do add "$f"; done; fi
# Every harness starts from something, even when the repository has no such file.
[ "$n" -gt 0 ] || printf 'x' >"$dir/seed-empty"
