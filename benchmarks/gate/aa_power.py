#!/usr/bin/env python3
"""Measures `dbvet compare` as a gate: how often it fails a change that is not there (A/A) and how
often it catches one that is (power). `make bench-gate` runs it; it is not part of `make test`.

A/A from real runs: `dbvet bench` on the Virtual Pet SQLite sample (the game's mix of 17 queries,
two variants that are both the baseline, interleaved, --repetitions R), a few runs. Each A/A
comparison draws two disjoint sets of n repetitions of one query from one variant of one run (no
change exists between them) and asks `dbvet compare` about them; one compare call holds every query
of a run, and each query is one family (docs/commands/compare.md). A second A/A takes n
repetitions of variant a against the same repetitions of variant b (two sandboxes, identical):
what an interleaved run of two identical variants would say.

Power: the same resampled real repetitions with the head slowed by the change (latencies times
1 + change, throughput divided by it), and synthetic repetitions with a set relative noise (log-normal,
independent per metric, the brief's "10 + 10 repetitions and 2% noise, a 5% slowdown").

Everything is seeded: the same runs give the same figures. The exit code is 1 when a bound of the
gate is broken (false failures above 1%, power below 90%), so the script is a check, not a report
only.

    benchmarks/gate/aa_power.py --dbvet build/dbvet --work build/bench-gate [--runs 3] [--repetitions 20]
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LATENCIES = ("p50_ms", "p95_ms", "p99_ms")


def sample_workloads():
    weights = os.path.join(ROOT, "samples/virtualpet/workloads/sqlite/weights.txt")
    args = []
    with open(weights) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                args += ["-w", os.path.join(ROOT, "samples/virtualpet/workloads/sqlite", line)]
    return args


def collect_runs(dbvet, work, runs, repetitions, transactions, fresh):
    """The real bench runs, made once per work directory (delete it, or --fresh, to measure again)."""
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "virtualpet.db")
    paths = [os.path.join(work, f"run{i}.json") for i in range(1, runs + 1)]
    if not fresh and all(os.path.exists(p) for p in paths):
        return paths
    subprocess.run([dbvet, "gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace",
                    "sqlite:" + db], check=True, stdout=subprocess.DEVNULL)
    for i, path in enumerate(paths, 1):
        print(f"bench-gate: bench run {i}/{runs} ({repetitions} repetitions x 2 identical variants)", file=sys.stderr)
        subprocess.run([dbvet, "bench", "sqlite:" + db, "--scale", "0.02", *sample_workloads(), "--sandbox",
                        "--variant", "a=baseline", "--variant", "b=baseline", "-t", str(transactions),
                        "--repetitions", str(repetitions), "--seed", str(i), "--no-progress", "--format", "json",
                        "-o", path], check=True)
    return paths


def pools_of(path):
    """query -> variant -> [repetition entries] of one run."""
    with open(path) as f:
        doc = json.load(f)
    pools = {}
    for entry in doc["benchmarks"]:
        if entry.get("run_type", "iteration") != "iteration":
            continue
        pools.setdefault(entry["dbvet_query"], {}).setdefault(entry["dbvet_variant"], []).append(entry)
    return pools


def entry_as(entry, name, slowdown=1.0):
    """A repetition renamed for a compare document, its figures slowed by `slowdown`."""
    out = {"name": name, "run_name": name, "run_type": "iteration", "dbvet_variant": name.split("/")[-1],
           "iterations": entry["iterations"], "errors": entry.get("errors", 0), "time_unit": "ms",
           "real_time": entry["real_time"] * slowdown, "cpu_time": entry["cpu_time"] * slowdown,
           "items_per_second": entry["items_per_second"] / slowdown}
    for field in LATENCIES:
        out[field] = entry[field] * slowdown
    return out


def compare(dbvet, base_entries, head_entries, scratch):
    """Runs `dbvet compare BASE HEAD --format json`: family (query) -> set of verdicts, and the exit code."""
    paths = []
    for side, entries in (("base", base_entries), ("head", head_entries)):
        path = os.path.join(scratch, side + ".json")
        with open(path, "w") as f:
            json.dump({"kind": "bench", "benchmarks": entries}, f)
        paths.append(path)
    result = subprocess.run([dbvet, "compare", *paths, "--format", "json"], capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"bench-gate: dbvet compare failed ({result.returncode}): {result.stderr.strip()}")
    families, detectable = {}, []
    for row in json.loads(result.stdout)["comparisons"]:
        families.setdefault(row["name"].split(" (")[0], set()).add(row["verdict"])
        if row["metric"] == "p95":
            detectable.append(row.get("detectable_change"))
    return families, result.returncode, detectable


class Tally:
    def __init__(self):
        self.families = self.failed = self.improved = self.inconclusive = 0
        self.calls = self.calls_failed = 0
        self.detectable = []  # p95's detectable change per family (None: too few repetitions)

    def add(self, families, code, detectable):
        self.calls += 1
        self.calls_failed += code == 1
        self.detectable += detectable
        for verdicts in families.values():
            self.families += 1
            self.failed += "regressed" in verdicts
            self.improved += "improved" in verdicts
            self.inconclusive += "inconclusive" in verdicts

    def rate(self, count):
        return count / self.families if self.families else float("nan")

    def median_detectable(self):
        values = sorted(float("inf") if v is None else v for v in self.detectable)
        return values[len(values) // 2] if values else float("nan")


def real_trials(dbvet, runs, n, trials, rng, scratch, mode, slowdown=1.0):
    """`trials` compare calls, each over every query of one run; mode 'resampled' or 'interleaved'."""
    tally = Tally()
    for t in range(trials):
        pools = runs[t % len(runs)]
        base, head = [], []
        for query, variants in sorted(pools.items()):
            if mode == "resampled":
                pool = variants[sorted(variants)[(t // len(runs)) % len(variants)]]
                if len(pool) < 2 * n:
                    sys.exit(f"bench-gate: {len(pool)} repetitions per variant cannot give two disjoint sets of {n}")
                drawn = rng.sample(pool, 2 * n)
                base += [entry_as(e, query + "/x") for e in drawn[:n]]
                head += [entry_as(e, query + "/x", slowdown) for e in drawn[n:]]
            else:
                a, b = variants["a"], variants["b"]
                picks = rng.sample(range(min(len(a), len(b))), n)
                base += [entry_as(a[i], query + "/x") for i in picks]
                head += [entry_as(b[i], query + "/x", slowdown) for i in picks]
        tally.add(*compare(dbvet, base, head, scratch))
    return tally


def synthetic_trials(dbvet, n, noise, change, calls, per_call, rng, scratch):
    """Log-normal repetitions with relative noise `noise`, every metric independent, head slowed by `change`."""
    tally = Tally()
    sigma = math.sqrt(math.log(1 + noise * noise))
    for _ in range(calls):
        base, head = [], []
        for q in range(per_call):
            center = rng.uniform(0.1, 10.0)
            for side, factor in ((base, 1.0), (head, 1.0 + change)):
                for _ in range(n):
                    e = {"name": f"q{q}/x", "run_name": f"q{q}/x", "run_type": "iteration", "dbvet_variant": "x",
                         "iterations": 100, "errors": 0, "time_unit": "ms"}
                    for field, scale in (("p50_ms", 1.0), ("p95_ms", 2.0), ("p99_ms", 3.0)):
                        e[field] = center * scale * factor * rng.lognormvariate(0, sigma)
                    e["real_time"] = e["cpu_time"] = e["p50_ms"]
                    e["items_per_second"] = 1000.0 / (center * factor) * rng.lognormvariate(0, sigma)
                    side.append(e)
        tally.add(*compare(dbvet, base, head, scratch))
    return tally


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dbvet", default=os.path.join(ROOT, "build/dbvet"))
    parser.add_argument("--work", default=os.path.join(ROOT, "build/bench-gate"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--fresh", action="store_true", help="bench again even if the runs are in --work")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--calls", type=int, default=60, help="compare calls per real-run figure (17 families each)")
    args = parser.parse_args()

    paths = collect_runs(args.dbvet, args.work, args.runs, args.repetitions, args.transactions, args.fresh)
    runs = [pools_of(p) for p in paths]
    rng = random.Random(args.seed)
    figures = {"runs": paths, "seed": args.seed}
    broken = []
    with tempfile.TemporaryDirectory(prefix="bench-gate-") as scratch:
        def report(label, tally, key, bound=None, at_least=None):
            rate = tally.rate(getattr(tally, key))
            figures[label] = {"families": tally.families, key: getattr(tally, key), "rate": rate,
                              "improved": tally.improved, "inconclusive": tally.inconclusive,
                              "compare_calls": tally.calls, "compare_calls_exit_1": tally.calls_failed,
                              "p95_detectable_change_median": tally.median_detectable()}
            verdict = ""
            if bound is not None and rate > bound:
                verdict, _ = "  <-- above the bound", broken.append(label)
            if at_least is not None and rate < at_least:
                verdict, _ = "  <-- below the bound", broken.append(label)
            print(f"{label:<32} {getattr(tally, key):>4} / {tally.families:<5} = {rate * 100:5.1f}%  "
                  f"(improved {tally.improved}, inconclusive {tally.inconclusive}, compare calls exit 1: "
                  f"{tally.calls_failed}/{tally.calls}, p95 detectable {tally.median_detectable() * 100:.0f}%)"
                  f"{verdict}")

        print("A/A: false failures (a family with a 'regressed' row) over families (one query each)")
        for n in (6, 10):
            report(f"aa_resampled_n{n}", real_trials(args.dbvet, runs, n, args.calls, rng, scratch, "resampled"),
                   "failed", bound=0.01)
        report("aa_interleaved_n10", real_trials(args.dbvet, runs, 10, args.calls, rng, scratch, "interleaved"),
               "failed", bound=0.01)
        report("aa_synthetic_2pct_n10", synthetic_trials(args.dbvet, 10, 0.02, 0.0, 20, 50, rng, scratch), "failed",
               bound=0.01)
        report("aa_synthetic_20pct_n10", synthetic_trials(args.dbvet, 10, 0.20, 0.0, 20, 50, rng, scratch), "failed",
               bound=0.01)
        print("Power: a slowdown caught (a family with a 'regressed' row)")
        report("power_synthetic_2pct_n10_5pct", synthetic_trials(args.dbvet, 10, 0.02, 0.05, 20, 50, rng, scratch),
               "failed", at_least=0.90)
        report("power_synthetic_2pct_n6_5pct", synthetic_trials(args.dbvet, 6, 0.02, 0.05, 20, 50, rng, scratch),
               "failed")
        report("power_real_noise_n10_5pct",
               real_trials(args.dbvet, runs, 10, args.calls, rng, scratch, "resampled", slowdown=1.05), "failed")
        report("power_real_noise_n10_20pct",
               real_trials(args.dbvet, runs, 10, args.calls, rng, scratch, "resampled", slowdown=1.20), "failed")
    out = os.path.join(args.work, "figures.json")
    with open(out, "w") as f:
        json.dump(figures, f, indent=1)
    print(f"figures in {out}")
    if broken:
        print("bench-gate: bound broken: " + ", ".join(broken), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
