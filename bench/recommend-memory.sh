#!/usr/bin/env bash
# Memory and throughput of `lazymesh recommend` as the access log grows: for each size, generates a synthetic Istio
# TEXT access log (bench/LazyMesh.Bench generate-log: 200 Services, 300 Deployments, 1,000 pods; ~360 bytes a line)
# and its inventory, runs recommend under /usr/bin/time -v and prints max RSS, elapsed time and lines/s.
# Usage: bench/recommend-memory.sh [SIZE_MB ...]   (default: 100 1024). Files go to a temp dir, removed at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1024)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x /usr/bin/time ]; then
  echo "needs GNU time: apt-get install -y time" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/lazymesh-memory.XXXXXX")"
trap 'rm -rf "$work"' EXIT

dotnet build "$here/bench/LazyMesh.Bench/LazyMesh.Bench.csproj" -c Release -o "$work/bench" --nologo -v quiet -clp:ErrorsOnly >&2
"$here/lazymesh" --help >/dev/null   # builds the CLI once, outside the measurement

printf '%-8s %-10s %-12s %-10s %-12s %s\n' "log MB" "lines" "max RSS MB" "elapsed s" "lines/s" "recommend summary"
for mb in "${sizes[@]}"; do
  lines=$(( mb * 1024 * 1024 / 360 ))
  log="$work/access-$mb.log"
  dotnet "$work/bench/LazyMesh.Bench.dll" generate-log --lines "$lines" --out "$log" --inventory "$work/inventory.yaml" 2>/dev/null
  cat "$log" > /dev/null   # page-cache warm, as in the in-process benchmark
  bytes=$(stat -c %s "$log")
  /usr/bin/time -v -o "$work/time.txt" "$here/lazymesh" recommend --inventory "$work/inventory.yaml" --access-log "$log" \
    --output-dir "$work/out" 2> "$work/summary.txt"
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  summary=$(grep -E '^(access logs|learned)' "$work/summary.txt" | tr '\n' ';')
  printf '%-8s %-10s %-12s %-10s %-12s %s\n' "$(( bytes / 1024 / 1024 ))" "$lines" "$(( rss_kb / 1024 ))" "$elapsed" \
    "$(awk -v l="$lines" -v s="$elapsed" 'BEGIN { printf "%d", l / s }')" "$summary"
  rm -f "$log"
done
