#!/usr/bin/env bash
# What the fixes are worth: builds samples/Storefront as is ("before") and after `dotnet format analyzers` has applied
# the package's own fixes ("after"), runs each on Kestrel at 127.0.0.1 and loads each endpoint with wrk.
# Writes docs/benchmarks.md, docs/benchmarks/results.csv (the previous run's file is kept as previous.csv and
# compared), docs/benchmarks/fixes.diff (what the fixes changed) and docs/benchmarks/benchmarks.png.
#
# Settings (environment): BENCH_DURATION seconds measured per endpoint and version (default 3), BENCH_WARMUP seconds of
# load per endpoint before the measurements (default 2; the home page gets four times as much), BENCH_ROUNDS rounds (default 2; even rounds run "after" first), BENCH_CONNECTIONS (default 32), BENCH_THREADS wrk threads (default 2),
# BENCH_RELAY_MS how long the demo's SMTP relay takes per message (default 200), BENCH_KEEP=1 keeps the work folder. Needs the .NET 10 SDK; installs wrk and gnuplot-nox with apt-get when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DURATION=${BENCH_DURATION:-3}
WARMUP=${BENCH_WARMUP:-2}
ROUNDS=${BENCH_ROUNDS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
RELAY_MS=${BENCH_RELAY_MS:-200}
RULES=(PERF001 PERF002 PERF003 PERF004 PERF005 PERF006 PERF007 PERF008 PERF009 PERF010)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORK=$(mktemp -d /tmp/perfrules-bench.XXXXXX)
OUT="$ROOT/docs/benchmarks"
started=$(date +%s)
declare -A PIDS=()   # side -> server process id

cleanup() {
  stop_servers 2>/dev/null || true
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "work folder kept: $WORK"; fi
}
trap cleanup EXIT

step() { echo "== $* ($(( $(date +%s) - started )) s)"; }

step "tools"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if (( ${#missing[@]} )); then
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get install -y "${missing[@]}" || { $SUDO apt-get update && $SUDO apt-get install -y "${missing[@]}"; }
fi

step "pack PerfRules to a local folder feed"
dotnet pack src/PerfRules.Package -c Release -o "$WORK/feed" -v q -nologo

step "copy samples/Storefront to before/ and after/"
for side in before after; do
  mkdir -p "$WORK/$side/Storefront"
  tar -C samples/Storefront --exclude=./bin --exclude=./obj -cf - . | tar -C "$WORK/$side/Storefront" -xf -
  # the same consumer setup as samples/ (nuget.config + Directory.Build.props), pointing at this run's feed
  cat > "$WORK/$side/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$WORK/packages" /></config>
  <packageSources><clear /><add key="perfrules-local" value="$WORK/feed" /></packageSources>
</configuration>
XML
  sed "s#\.\./eng/Version.props#$ROOT/eng/Version.props#" samples/Directory.Build.props > "$WORK/$side/Directory.Build.props"
  dotnet restore "$WORK/$side/Storefront" -v q
done

step "apply the fixes to after/: dotnet format analyzers --diagnostics ${RULES[*]} --severity info"
dotnet format analyzers "$WORK/after/Storefront/Storefront.csproj" --diagnostics "${RULES[@]}" --severity info -v diag \
  > "$WORK/format.log" 2>&1 || { cat "$WORK/format.log"; exit 1; }
grep -E "Unable to fix|Formatted code file|Formatted [0-9]+ of" "$WORK/format.log" | sed "s#$WORK/##" || true
mkdir -p "$OUT"
(cd "$WORK" && diff -ru -x bin -x obj before/Storefront after/Storefront || true) \
  | sed -E 's#^(---|\+\+\+) ([^\t]*)\t.*#\1 \2#' > "$OUT/fixes.diff"

step "build both in Release (SARIF logs list every finding, info ones included)"
for side in before after; do
  dotnet build "$WORK/$side/Storefront" -c Release --no-restore -v q -nologo \
    "-p:ErrorLog=$WORK/$side.sarif%2Cversion=2.1" > "$WORK/build-$side.log" 2>&1 || { cat "$WORK/build-$side.log"; exit 1; }
done

# check: the demo shows every rule the package ships (AnalyzerReleases.Unshipped.md), info-severity ones included
python3 - "$WORK/before.sarif" src/PerfRules.Analyzers/AnalyzerReleases.Unshipped.md <<'PY'
import json, re, sys
found = {r.get("ruleId") for run in json.load(open(sys.argv[1]))["runs"] for r in run.get("results", [])}
shipped = set(re.findall(r"^(PERF\d{3})\b", open(sys.argv[2]).read(), re.M))
missing = sorted(shipped - found)
if missing:
    sys.exit("samples/Storefront shows no finding for " + ", ".join(missing))
print("   the demo shows every shipped rule: " + ", ".join(sorted(shipped)))
PY

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "email=customer%40storefront.test"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA


# name|method|path|rules the endpoint shows|seconds measured (default BENCH_DURATION)|warm-up seconds (default BENCH_WARMUP)
# The home page's Razor views need the longest warm-up: measured on this machine, its throughput kept rising for more
# than ten seconds of load while the JIT's tiered compilation optimised the hot methods. The checkout gets none: its rows
# measure a burst of checkouts arriving at a warmed-up server whose thread pool has not yet been grown by blocking calls
# (3 s), then the 10 s that follow.
ENDPOINTS=(
  "home|GET|/|PERF003 PERF009 PERF010||$((WARMUP * 4))"
  "logo|GET|/img/logo.png|PERF001"
  "stylesheet|GET|/css/site.css|PERF008"
  "deals|GET|/deals|PERF002"
  "welcome|GET|/welcome|PERF006"
  "product|GET|/api/products/7|PERF005"
  "checkout|POST|/checkout|PERF004|3|0"
  "checkout-10s|POST|/checkout|PERF004|10|0"
)

mail_port=2600
start_server() { # side port
  local side=$1 port=$2 pid
  mail_port=$((mail_port + 1))
  (cd "$WORK/$side/Storefront/bin/Release/net10.0" && \
    exec dotnet Storefront.dll --urls "http://127.0.0.1:$port" --Mail:Port=$mail_port --Mail:RelayDelayMilliseconds=$RELAY_MS --contentRoot "$WORK/$side/Storefront") \
    > "$WORK/server-$side.log" 2>&1 &
  pid=$!
  PIDS[$side]=$pid
  for _ in $(seq 1 300); do
    if curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/api/products/1"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/server-$side.log"; echo "the $side server exited" >&2; exit 1; }
    sleep 0.2
  done
  echo "the $side server did not answer within 60 s" >&2; exit 1
}
stop_servers() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
port_of() { if [[ $1 == before ]]; then echo 5201; else echo 5202; fi; }
load() { # side entry seconds [wrk options…]
  local side=$1 entry=$2 seconds=$3 name method path
  shift 3
  IFS='|' read -r name method path _ <<<"$entry"
  local script=()
  [[ $method == POST ]] && script=(-s "$WORK/post.lua")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s "$@" "${script[@]}" "http://127.0.0.1:$(port_of "$side")$path"
}

step "load: $ROUNDS rounds; per round a fresh server per version, warmed up on every endpoint, then each endpoint measured ${DURATION} s per version; $CONNECTIONS connections, $THREADS wrk threads"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
raw="$WORK/raw.tsv"
: > "$raw"
for round in $(seq 1 "$ROUNDS"); do
  order=(before after); (( round % 2 == 0 )) && order=(after before)
  for side in "${order[@]}"; do start_server "$side" "$(port_of "$side")"; done
  for entry in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name method path rules seconds warmup <<<"$entry"
    warmup=${warmup:-$WARMUP}
    if (( warmup > 0 )); then
      for side in "${order[@]}"; do load "$side" "$entry" "$warmup" > /dev/null; done
    fi
  done
  for entry in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name method path rules seconds warmup <<<"$entry"
    seconds=${seconds:-$DURATION}
    for side in "${order[@]}"; do
      pid=${PIDS[$side]}
      url="http://127.0.0.1:$(port_of "$side")$path"
      if [[ $method == POST ]]; then
        status=$(curl -s -o /dev/null -m 30 -w '%{http_code}' -d email=customer%40storefront.test "$url")
      else
        status=$(curl -s -o /dev/null -m 30 -w '%{http_code}' "$url")
      fi
      echo 5 2>/dev/null > "/proc/$pid/clear_refs" || true   # resets VmHWM to the current RSS: the peak below is this measurement's
      result="$WORK/wrk-$round-$name-$side.txt"
      load "$side" "$entry" "$seconds" --latency > "$result"
      hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
      threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$seconds" "$name" "$method" "$path" "$rules" "$side" "$status" "$hwm" "$threads" "$result" >> "$raw"
      echo "   round $round, $name $side: HTTP $status, $(grep -E 'Requests/sec' "$result" | tr -s ' ')"
    done
  done
  stop_servers
  # the same burst of checkouts on a server that has just started: fresh thread pool, nothing warmed up but the one
  # request that checks the status
  entry="checkout-fresh|POST|/checkout|PERF004"
  for side in "${order[@]}"; do
    start_server "$side" "$(port_of "$side")"
    pid=${PIDS[$side]}
    status=$(curl -s -o /dev/null -m 30 -w '%{http_code}' -d email=customer%40storefront.test "http://127.0.0.1:$(port_of "$side")/checkout")
    result="$WORK/wrk-$round-checkout-fresh-$side.txt"
    load "$side" "$entry" "$DURATION" --latency > "$result"
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
    threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$DURATION" checkout-fresh POST /checkout PERF004 "$side" "$status" "$hwm" "$threads" "$result" >> "$raw"
    echo "   round $round, checkout-fresh $side: HTTP $status, $(grep -E 'Requests/sec' "$result" | tr -s ' ')"
    stop_servers
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

step "results, doc and chart"
if [[ -f "$OUT/results.csv" ]]; then mv "$OUT/results.csv" "$OUT/previous.csv"; fi
machine="$WORK/machine.txt"
{
  echo "nproc=$(nproc)"
  echo "uname=$(uname -srmo)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "dotnet_sdk=$(dotnet --version)"
  echo "dotnet_runtime=$(dotnet --info | awk '/Microsoft.AspNetCore.App/ { print $2; exit }')"
  echo "wrk=$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "load_start=$load_start"
  echo "load_end=$load_end"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "elapsed=$(( $(date +%s) - started ))"
  echo "settings=BENCH_DURATION=$DURATION BENCH_WARMUP=$WARMUP BENCH_CONNECTIONS=$CONNECTIONS BENCH_THREADS=$THREADS BENCH_ROUNDS=$ROUNDS BENCH_RELAY_MS=$RELAY_MS"
} > "$machine"
python3 benchmarks/fixes/report.py --raw "$raw" --machine "$machine" --format-log "$WORK/format.log" \
  --sarif-before "$WORK/before.sarif" --sarif-after "$WORK/after.sarif" \
  --releases src/PerfRules.Analyzers/AnalyzerReleases.Unshipped.md --rules "${RULES[*]}" \
  --out-dir "$OUT" --doc docs/benchmarks.md
gnuplot -e "datafile='$OUT/chart.dat'; outfile='$OUT/benchmarks.png'" benchmarks/fixes/chart.gp
rm -f "$OUT/chart.dat"
step "done: docs/benchmarks.md, docs/benchmarks/benchmarks.png"
