"""Where the machine's CPU went during a load test (``scripts/load-test``).

``cpu.py snapshot FILE`` writes every process's CPU time so far (user + system, from
``/proc/<pid>/stat``) with its command line, and the machine's busy and idle time (from
``/proc/stat``); ``cpu.py report BEFORE AFTER DATABASE`` prints, for the interval between two
snapshots, the CPU seconds of the web server (gunicorn), the database (the postgres backends
connected to the load test's database), the background worker, the load generator (locust) and
everything else (other databases' backends and other work on the machine among it), and how busy
the machine's cores were. Processes that ended within the interval are not counted against
their group but in the "not attributed" line, with the kernel's own work: a database connection
closed after ``CONN_MAX_AGE`` takes its backend's CPU time there."""

import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")
LABELS = (
    "web server (gunicorn)",
    "database (postgres)",
    "background worker",
    "load generator (locust)",
    "everything else",
)


def _processes() -> dict[str, list]:
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # fields[0] is the state (field 3); utime and stime are fields 14 and 15
        found[pid] = [command, (int(fields[11]) + int(fields[12])) / TICK]
    return found


def _machine() -> dict[str, float]:
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return {"busy": (sum(values) - idle) / TICK, "idle": idle / TICK}


def snapshot(path: str) -> None:
    with open(path, "w") as f:
        json.dump({"processes": _processes(), "machine": _machine()}, f)


def _group(command: str, database: str) -> str:
    if "gunicorn" in command:
        return LABELS[0]
    if command.startswith("postgres:") and f" {database} " in command:
        return LABELS[1]
    if "db_worker" in command or "rqworker" in command:
        return LABELS[2]
    if "locust" in command:
        return LABELS[3]
    return LABELS[4]


def report(before_path: str, after_path: str, database: str) -> None:
    with open(before_path) as f:
        before = json.load(f)
    with open(after_path) as f:
        after = json.load(f)
    seconds: dict[str, float] = {}
    for pid, (command, used) in after["processes"].items():
        start = before["processes"].get(pid, [command, 0.0])[1]
        group = _group(command, database)
        seconds[group] = seconds.get(group, 0.0) + used - start
    busy = after["machine"]["busy"] - before["machine"]["busy"]
    idle = after["machine"]["idle"] - before["machine"]["idle"]
    cores = os.cpu_count() or 1
    wall = (busy + idle) / cores
    print(f"CPU during the run ({wall:.0f} s on {cores} cores, {busy / (busy + idle):.0%} busy):")
    print("| process | CPU seconds | share of the machine |")
    print("|---|---:|---:|")
    for label in LABELS:
        used = seconds.get(label, 0.0)
        print(f"| {label} | {used:.1f} | {used / (busy + idle):.0%} |")
    # processes that ended within the interval (a database connection recycled after
    # CONN_MAX_AGE takes its backend's CPU with it) and the kernel's own work
    rest = busy - sum(seconds.values())
    share = rest / (busy + idle)
    print(f"| not attributed (ended processes, the kernel) | {rest:.1f} | {share:.0%} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["snapshot"]:
        snapshot(sys.argv[2])
    else:
        report(sys.argv[2], sys.argv[3], sys.argv[4])
