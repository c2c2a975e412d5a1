"""Summarise locust's ``*_stats.csv``: one Markdown row per endpoint with requests, failures,
p50/p95/p99 (ms) and requests per second, the aggregated row last. Exits 1 if any request
failed, or if none was made (the users never started: signing in failed)."""

import argparse
import csv
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("stats_csv")
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    with open(args.stats_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    rows = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: r["Name"])
    if total is not None:
        rows.append(total)
    print(f"### {args.title}\n" if args.title else "", end="")
    print("| endpoint | requests | failures | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        name = f"{r['Type']} {r['Name']}" if r["Type"] else f"**{r['Name']}**"
        print(
            f"| {name} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | "
            f"{r['95%']} | {r['99%']} | {float(r['Requests/s']):.1f} |"
        )
    failures = int(total["Failure Count"]) if total else 0
    made = int(total["Request Count"]) if total else 0
    print(f"\nrequests: {made}, failures: {failures}")
    return 1 if failures or not made else 0


if __name__ == "__main__":
    sys.exit(main())
