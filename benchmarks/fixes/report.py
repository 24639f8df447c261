#!/usr/bin/env python3
"""Turns one run of benchmarks/fixes/run.sh into docs/benchmarks.md, results.csv and the chart's data file."""
import argparse
import csv
import json
import os
import re
import statistics

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

# What the package's fix for each rule does (README's rule table); whether it was applied is read from the run.
FIX = {
    "PERF001": "serve with the static-file middleware, remove the action",
    "PERF002": "vary the cache by the cookie (first fix) / do not store",
    "PERF003": "add [OutputCache] and register the output cache",
    "PERF004": "offload to the background queue when the result is unused (dotnet format runs that fixer first), else Use async",
    "PERF005": "use the equivalent built-in constraint",
    "PERF006": "do not store the response",
    "PERF007": "offload to the background queue",
    "PERF008": "move UseStaticFiles() before the expensive middleware",
    "PERF009": "none (manual: wrap in <cache vary-by>)",
    "PERF010": "add vary-by-user to the <cache> tag",
}


def latency_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNIT_MS[match.group(2)] if match else float("nan")


def parse_wrk(path):
    text = open(path, encoding="utf-8").read()
    result = {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "requests": 0, "errors": 0, "non2xx": 0}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        result["rps"] = float(m.group(1))
    if m := re.search(r"^\s+50%\s+(\S+)", text, re.M):
        result["p50"] = latency_ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", text, re.M):
        result["p99"] = latency_ms(m.group(1))
    if m := re.search(r"(\d+) requests in", text):
        result["requests"] = int(m.group(1))
    if result["requests"] == 0:
        result["p50"] = result["p99"] = float("nan")  # wrk prints 0 latencies when nothing completed
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        result["errors"] = sum(int(g) for g in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        result["non2xx"] = int(m.group(1))
    return result


def sarif_counts(path):
    counts = {}
    with open(path, encoding="utf-8") as stream:
        log = json.load(stream)
    for run in log.get("runs", []):
        for result in run.get("results", []):
            rule = result.get("ruleId", "")
            if rule.startswith("PERF"):
                counts[rule] = counts.get(rule, 0) + 1
    return counts


def fmt(value, digits=1):
    return "n/a" if value != value else f"{value:,.{digits}f}"


def ratio(after, before):
    return after / before if before else float("nan")


def headline(endpoint, before_requests):
    value = endpoint.get("ratio")
    return f"{value:.2f}×" if value is not None else f"n/a ({before_requests} request(s) completed before)"


def ratio_text(after, before, before_requests=None):
    # a ratio over a handful of completed requests says nothing but "almost none before"
    if before_requests is not None and before_requests < 10:
        return f"n/a ({before_requests} request(s) completed before)"
    return fmt(ratio(after, before), 2) + "×"


def main():
    parser = argparse.ArgumentParser()
    for name in ("raw", "machine", "format-log", "sarif-before", "sarif-after", "releases", "rules", "out-dir", "doc"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()

    machine = dict(line.rstrip("\n").split("=", 1) for line in open(args.machine, encoding="utf-8") if "=" in line)
    shipped = set(re.findall(r"^(PERF\d{3})\b", open(args.releases, encoding="utf-8").read(), re.M))
    format_log = open(args.format_log, encoding="utf-8").read()
    before_counts, after_counts = sarif_counts(args.sarif_before), sarif_counts(args.sarif_after)

    rows = []
    for line in open(args.raw, encoding="utf-8"):
        round_, seconds, name, method, path, rules, side, status, hwm_kb, threads, wrk_file = line.rstrip("\n").split("\t")
        row = {"round": int(round_), "seconds": int(seconds), "endpoint": name, "method": method, "path": path, "rules": rules, "side": side, "status": status,
               "peak_rss_mib": int(hwm_kb) / 1024, "threads": int(threads)}
        row.update(parse_wrk(wrk_file))
        rows.append(row)

    os.makedirs(args.out_dir, exist_ok=True)
    fields = ["round", "seconds", "endpoint", "method", "path", "rules", "side", "status", "rps", "p50", "p99", "peak_rss_mib", "threads",
              "requests", "errors", "non2xx"]
    with open(os.path.join(args.out_dir, "results.csv"), "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items() if k in fields})

    previous = {}
    previous_path = os.path.join(args.out_dir, "previous.csv")
    if os.path.exists(previous_path):
        for row in csv.DictReader(open(previous_path, encoding="utf-8")):
            previous.setdefault(row["endpoint"], {}).setdefault(row["side"], {})[row["round"]] = (float(row["rps"]), int(row["requests"]))

    # per endpoint and side: the median over rounds (errors summed), and the ratio of each round
    runs = {}
    for row in rows:
        runs.setdefault(row["endpoint"], {}).setdefault(row["side"], []).append(row)
    by_endpoint, round_ratios = {}, {}
    for name, sides in runs.items():
        by_endpoint[name] = {}
        for side, measured in sides.items():
            merged = dict(measured[0])
            for key in ("rps", "p50", "p99", "peak_rss_mib", "threads"):
                merged[key] = statistics.median(m[key] for m in measured)
            for key in ("errors", "non2xx", "requests"):
                merged[key] = sum(m[key] for m in measured)
            merged["status"] = "/".join(sorted({m["status"] for m in measured}))
            by_endpoint[name][side] = merged
        after_by_round = {m["round"]: m["rps"] for m in sides.get("after", [])}
        pairs = [(after_by_round.get(m["round"], 0.0), m["rps"], m["requests"]) for m in sides.get("before", [])]
        if pairs and all(n >= 10 and a > 0 for a, _, n in pairs):
            # rounds alternate which version runs first: the geometric mean of their ratios cancels an order effect
            by_endpoint[name]["ratio"] = statistics.geometric_mean(a / b for a, b, _ in pairs)
        else:
            by_endpoint[name]["ratio"] = None
        round_ratios[name] = [ratio_text(after_by_round.get(m["round"], float("nan")), m["rps"], m["requests"])
                              for m in sides.get("before", [])]
    endpoints = list(by_endpoint)
    rounds = max(row["round"] for row in rows)

    # per-rule outcome of dotnet format, from the findings of the two builds and dotnet format's own messages
    fix_rows = []
    applied = set()
    for rule in args.rules.split():
        before, after = before_counts.get(rule, 0), after_counts.get(rule, 0)
        unable = re.findall(rf"Unable to fix {rule}\. (.*)", format_log)
        if rule not in shipped:
            outcome = "not in this package yet (its analyzer is being written): no finding, nothing applied"
        elif before == 0:
            outcome = "no finding in the build"
        elif after < before:
            outcome = f"applied: findings {before} → {after}"
        elif unable:
            outcome = f"not applied: no automatic fix (dotnet format: \"{unable[0].strip()}\")"
        else:
            outcome = f"not applied: findings {before} → {after}, dotnet format reported nothing for it"
        note = f" (dotnet format also said: \"{unable[0].strip()}\")" if unable and after < before else ""
        fix_rows.append((rule, before, after, FIX.get(rule, ""), outcome + note))
        if outcome.startswith("applied"):
            applied.add(rule)
        print(f"   {rule}: {outcome}{note}")

    with open(os.path.join(args.out_dir, "chart.dat"), "w", encoding="utf-8") as stream:
        for name in endpoints:
            b, a = by_endpoint[name]["before"], by_endpoint[name]["after"]
            fixed = [rule for rule in b["rules"].split() if rule in applied]
            label = f"{name} ({'/'.join(fixed) if fixed else 'no fix applied'})"
            stream.write(f"\"{label}\" {b['rps']:.3f} {a['rps']:.3f} {b['p99']:.3f} {a['p99']:.3f} "
                         f"{b['peak_rss_mib']:.1f} {a['peak_rss_mib']:.1f}\n")

    out = []
    w = out.append
    w("# What the fixes are worth: Storefront before and after PerfRules' fixes")
    w("")
    w("Generated by `benchmarks/fixes/run.sh` from one run; do not edit by hand (rerun the script). The app is")
    w("[`samples/Storefront`](../samples/Storefront), a small ASP.NET Core MVC shop with one occurrence of each rule. The script")
    w("packs PerfRules, copies the app twice, applies the package's fixes to the second copy with")
    w("`dotnet format analyzers Storefront.csproj --diagnostics " + args.rules + " --severity info`, builds both in Release and")
    w("runs each on Kestrel at 127.0.0.1 and loads it with [wrk](https://github.com/wg/wrk). Each round starts a fresh server per")
    w("version, warms both up on every endpoint, then measures the endpoints one by one, before and after back to back, so")
    w("both see the same machine state; the rounds alternate which version goes first.")
    w("")
    w("## Command and machine")
    w("")
    w("```sh")
    w(f"{machine.get('settings', '')} benchmarks/fixes/run.sh")
    w("```")
    w("")
    w(f"- {machine.get('date')}, the whole run took {machine.get('elapsed')} s; {machine.get('nproc')} cores ({machine.get('cpu')}), {machine.get('uname')}")
    w(f"- .NET SDK {machine.get('dotnet_sdk')}, ASP.NET Core {machine.get('dotnet_runtime')}, {machine.get('wrk')}")
    w(f"- **The machine is shared** with other sessions' builds (none, or some, may run during a measurement: read the load); load average (1/5/15 min) "
      f"{machine.get('load_start')} at the start of the load phase, {machine.get('load_end')} at its end. wrk runs on the "
      "same cores as the server. Absolute numbers are low and noisy; compare the ratios, measured side by side.")
    w(f"- Per endpoint and version: one request checked (the Status column), then the measurement; {machine.get('settings', '')}"
      .replace("BENCH_WARMUP=", "warm-up s=").replace("BENCH_DURATION=", "measured s=")
      .replace("BENCH_CONNECTIONS=", "connections=").replace("BENCH_THREADS=", "wrk threads=")
      .replace("BENCH_RELAY_MS=", "SMTP relay ms per message=")
      + " (warm-up per endpoint and version before the measurements; the home page gets four times as much, the checkout"
      " rows none)")
    w("- wrk runs with `--timeout 10s` and `--latency`; a request still open when the measurement ends is not counted, so an")
    w("  endpoint where nothing completes shows 0 requests/s and no latency.")
    w("- Peak RSS is the server's `VmHWM` (/proc/PID/status) after the measurement, reset to the current RSS just before it")
    w("  (`echo 5 > /proc/PID/clear_refs`): the peak during that endpoint's load, on a heap the earlier endpoints have grown")
    w("  (same order in both versions). Threads is the server's thread count at the same moment.")
    w("")
    w("## Results")
    w("")
    w("| Endpoint | Rule(s) | Status before/after | Requests/s before | after | **ratio** (geometric mean) | p50 ms before → after | p99 ms before → after | Peak RSS MiB before → after | Threads before → after | Errors before/after | Ratio per round |")
    w("|---|---|---|---:|---:|---:|---|---|---|---|---|---|")
    for name in endpoints:
        b, a = by_endpoint[name]["before"], by_endpoint[name]["after"]
        errors = f"{b['errors'] + b['non2xx']}/{a['errors'] + a['non2xx']}"
        w(f"| {name}: `{b['method']} {b['path']}` ({b['seconds']} s) | {b['rules']} | {b['status']}/{a['status']} | {fmt(b['rps'])} | {fmt(a['rps'])} | "
          f"**{headline(by_endpoint[name], b['requests'])}** | {fmt(b['p50'], 2)} → {fmt(a['p50'], 2)} | {fmt(b['p99'], 2)} → {fmt(a['p99'], 2)} | "
          f"{fmt(b['peak_rss_mib'], 0)} → {fmt(a['peak_rss_mib'], 0)} | {fmt(b['threads'], 0)} → {fmt(a['threads'], 0)} | "
          f"{errors} | {', '.join(round_ratios[name])} |")
    w("")
    w(f"Each figure is the median over {rounds} round(s). Ratio = requests/s after ÷ before, per round (last column) and")
    w("their geometric mean (bold): the rounds alternate which version runs first, so an advantage of running second")
    w("cancels out. Errors = wrk socket errors (connect, read, write, timeout) plus")
    w("non-2xx/3xx responses, summed over rounds.")
    w("")
    w("![Requests per second and p99 latency per endpoint, before and after the fixes](benchmarks/benchmarks.png)")
    w("")
    if previous:
        w("## Rerun")
        w("")
        w("The script keeps the previous run's `results.csv` as `previous.csv`; ratios of both runs:")
        w("")
        w("| Endpoint | ratio, previous run | ratio, this run |")
        w("|---|---:|---:|")
        for name in endpoints:
            b, a = by_endpoint[name]["before"], by_endpoint[name]["after"]
            p = previous.get(name, {})
            prev = "n/a"
            if "after" in p and "before" in p:
                pairs = [(p["after"].get(r, (0.0, 0))[0], rps, n) for r, (rps, n) in p["before"].items()]
                if all(n >= 10 and after > 0 for after, _, n in pairs):
                    prev = f"{statistics.geometric_mean(after / rps for after, rps, _ in pairs):.2f}×"
                else:
                    prev = f"n/a ({sum(n for _, _, n in pairs)} request(s) completed before)"
            w(f"| {name}: `{b['method']} {b['path']}` | {prev} | {headline(by_endpoint[name], b['requests'])} |")
        w("")
    w("## Which fixes were applied")
    w("")
    w("Findings are counted in the SARIF logs of the two Release builds (info-severity findings included); the outcome")
    w("combines those counts with `dotnet format`'s own messages. The full change is in")
    w("[benchmarks/fixes.diff](benchmarks/fixes.diff).")
    w("")
    w("| Rule | Findings before | after | The package's fix | Outcome in this run |")
    w("|---|---:|---:|---|---|")
    for rule, before, after, fix, outcome in fix_rows:
        page = os.path.join(os.path.dirname(os.path.abspath(args.doc)), "rules", rule + ".md")
        link = f"[{rule}](rules/{rule}.md)" if os.path.exists(page) else rule
        w(f"| {link} | {before} | {after} | {fix} | {outcome} |")
    w("")
    with open(args.doc, "w", encoding="utf-8") as stream:
        stream.write("\n".join(out) + "\n")
        notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
        if os.path.exists(notes):
            stream.write(open(notes, encoding="utf-8").read())


if __name__ == "__main__":
    main()
