#!/usr/bin/env python3
"""Sums Linux `perf` samples under the PerfRules analyzers' frames (docs/performance.md, tenth round).

Record and convert (Linux, perf installed; the runtime writes /tmp/perf-PID.map for the JIT-compiled code):

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
      perf record -F 1999 -g -o perf.data -- \
      dotnet benchmarks/AnalyzerCost/bin/Release/net10.0/AnalyzerCost.dll --sets PerfRules --scales 4 --repeat 3
    perf script -i perf.data -F tid,ip,sym > perf.txt

Then:

    python3 benchmarks/profile/perf-callbacks.py perf.txt                      # samples per callback (outermost PerfRules frame)
    python3 benchmarks/profile/perf-callbacks.py perf.txt AnalyzeInvocation    # what the frames matching the text call
    python3 benchmarks/profile/perf-callbacks.py perf.txt --leaves             # where the callbacks' samples end

--leaves leaves out the compilation-start actions (every lambda written in an analyzer's Initialize) and counts, for each sample under a callback, the first frame that is
not ours below the innermost PerfRules frame ("(our own code)" when the sample is in PerfRules code itself).

A sample counts for a frame when the frame is anywhere on its stack (inclusive). Samples are taken on the CPU, so time a
thread spends descheduled or stopped for a collection is not in them (the telemetry counts it).
"""
import collections
import re
import sys


def stacks(path):
    """Each sample's frames, innermost first (perf script's layout: a header line, one line per frame, a blank line)."""
    with open(path, encoding="utf-8", errors="replace") as lines:
        block = []
        for line in lines:
            line = line.rstrip("\n")
            if line:
                block.append(line)
            elif block:
                yield [frame_name(l) for l in block[1:]]
                block = []
        if block:
            yield [frame_name(l) for l in block[1:]]


def frame_name(line):
    parts = line.strip().split(" ", 1)
    return parts[1] if len(parts) > 1 else "?"


def ours(name):
    return "[PerfRules.Analyzers]" in name


def short(name):
    name = re.sub(r"\[(OptimizedTier1|Optimized|Tier0|Tier1|QuickJitted|OSR|InstrumentedTier1|InstrumentedTier)\]", "", name)
    name = re.sub(r"\[[A-Z][A-Za-z0-9.]*\]\s*", "", name)
    name = re.sub(r"^(instance )?\S+ ", "", name)  # return type
    return re.sub(r"\(.*", "()", name)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    pattern = sys.argv[2] if len(sys.argv) > 2 else None
    total = in_ours = matched = 0
    counts = collections.Counter()
    for frames in stacks(sys.argv[1]):
        total += 1
        indices = [i for i, f in enumerate(frames) if ours(f)]
        if not indices:
            continue
        in_ours += 1
        if pattern is None:
            counts[short(frames[indices[-1]])] += 1  # the outermost PerfRules frame: the callback the driver called
            continue
        if pattern == "--leaves":
            if any("Initialize>b__" in f for f in frames):
                continue  # a compilation-start action (or what it calls)
            matched += 1
            i = indices[0]  # the innermost PerfRules frame
            counts[short(frames[i - 1]) if i > 0 else "(our own code)"] += 1
            continue
        hits = [i for i, f in enumerate(frames) if pattern in f]
        if hits:
            matched += 1
            i = hits[-1]
            counts[short(frames[i - 1]) if i > 0 else "(itself)"] += 1
    print(f"samples: {total}, under PerfRules frames: {in_ours}" + (f", in callbacks: {matched}" if pattern == "--leaves" else f", under '{pattern}': {matched}" if pattern else ""))
    for name, n in counts.most_common(40):
        print(f"{n:7d}  {name}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # piped into head
        sys.exit(0)
