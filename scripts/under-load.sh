#!/usr/bin/env bash
# Runs a command while every CPU core is kept busy by another process, the way a shared CI machine
# or a laptop in a video call is. A test that passes only on an idle machine fails here.
#   usage: scripts/under-load.sh [-n HOGS] COMMAND...   (default HOGS: one per core)
set -u
hogs=$(nproc)
if [ "${1:-}" = "-n" ]; then hogs=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-n HOGS] COMMAND..." >&2; exit 2; }
pids=()
for _ in $(seq "$hogs"); do
  node -e 'for(;;){}' & pids+=($!)
done
cleanup() { kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; }
trap cleanup EXIT INT TERM
echo "under-load: $hogs busy processes on $(nproc) core(s) while running: $*" >&2
"$@"
