#!/usr/bin/env python3
"""The measures of scripts/bench (which builds the release products and calls this).

Each measure runs RUNS times (5 unless told) and reports min / median / max; a budget is judged on the
median. The API measures run against the genesys-emulator executable, started afresh for every run as
a separate process (a real org is one too); the peer (Benchmarks/peers/terraform_algorithm.py, the
official Python SDK) runs against the same emulator with the same seed, in the same run.

Environment: BENCH_BIN (the release bin folder), BENCH_WORK (a scratch folder), BENCH_PEER_PYTHON (a
python with PureCloudPlatformClientV2), BENCH_AUDIT_ROWS, BENCH_RUNS. Prints the Markdown of RESULTS.md.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN, WORK = os.environ["BENCH_BIN"], os.environ["BENCH_WORK"]
PEER_PYTHON = os.environ["BENCH_PEER_PYTHON"]
AUDIT_ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "1000000"))
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))
CAMPAIGNSH, EMULATOR, AUDIT_BENCH = (os.path.join(BIN, n) for n in ("campaignsh", "genesys-emulator", "audit-bench"))
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers", "terraform_algorithm.py")
CLIENT_ID, CLIENT_SECRET = "campaignsh-sandbox", "sandbox-secret"
STOPPING_DELAY = 2.0
BULK = 48
ARCHIVED = 500
# The bulk archive's rate limit: 300 requests per 10 s window, so that 500 campaigns take a few windows
# (the real window is a minute; only its length is shortened, to keep the bench short).
ARCHIVE_LIMIT, ARCHIVE_WINDOW = 300, 10

rows = []  # (measure, min, median, max, budget, within)
notes = []


def log(message):
    print("bench: " + message, file=sys.stderr, flush=True)


def spread(values, unit, digits=2):
    low, mid, high = min(values), statistics.median(values), max(values)
    return ["%.*f %s" % (digits, v, unit) if unit else "%.*f" % (digits, v) for v in (low, mid, high)]


def measure(what, values, unit, budget_text, within, digits=2):
    rows.append([what] + spread(values, unit, digits) + [budget_text, "yes" if within else "**no**"])


def timed(command, env=None):
    """Wall seconds, user+sys CPU seconds and peak RSS (KiB) of one run of `command`, and its output.

    The wall is taken around the child alone, to the microsecond (/usr/bin/time rounds to 10 ms); CPU
    and RSS are the child's own, from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            sys.exit("bench: %s failed (%d): %s" % (" ".join(command), child.returncode, err.read().decode()[-600:]))
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out.read().decode()


# --------------------------------------------------------------------------- local figures

def local_figures():
    log("startup, idle memory, a 10,000-line runbook")
    startups = [timed([CAMPAIGNSH, "-c", "version"])[0] * 1000 for _ in range(max(21, RUNS))]
    measure("`campaignsh -c version`", startups, "ms", "≤ 15 ms", statistics.median(startups) <= 15, 1)

    idle = []
    for _ in range(RUNS):
        shell = subprocess.Popen([CAMPAIGNSH], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        time.sleep(1.0)
        with open("/proc/%d/status" % shell.pid) as status:
            idle.append(int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1)) / 1024)
        shell.stdin.close()
        shell.wait()
    measure("idle RSS (a shell waiting for input)", idle, "MiB", "≤ 30 MB", statistics.median(idle) <= 30 / 1.048576, 1)

    runbook = os.path.join(WORK, "local.cmds")
    with open(runbook, "w") as f:
        for i in range(10_000):
            f.write(["set n %d" % i, "echo ${n} > /dev/null", "vars > /dev/null", "# a comment"][i % 4] + "\n")
    replays = [timed([CAMPAIGNSH, "-f", runbook])[0] for _ in range(RUNS)]
    measure("10,000-line runbook of local commands", replays, "s", "≤ 0.5 s", statistics.median(replays) <= 0.5)

    # One line of 1 MB: 500,000 words through the tokenizer, `${NAME}` expansion and `echo`.
    long_line = os.path.join(WORK, "long-line.cmds")
    with open(long_line, "w") as f:
        f.write("set w word\necho " + " ".join("${w}" if i % 2 else "w" for i in range(286_000)) + " > /dev/null\n")
    lines = [timed([CAMPAIGNSH, "-f", long_line])[0] for _ in range(RUNS)]
    measure("a 1 MB line of words (`echo`, half of them `${w}`)", lines, "s", "< 1 s", statistics.median(lines) < 1)


# --------------------------------------------------------------------------- the emulator

def bulk_seed(count, status, name_prefix="Bulk_"):
    """`count` copies of the demo's Q4_Promo_East (a preview campaign on a staffed queue) in `status`."""
    demo = json.loads(subprocess.run([EMULATOR, "--print-demo-seed"], capture_output=True, text=True,
                                     check=True).stdout)
    template = next(c for c in demo["campaigns"] if c["campaign"]["name"] == "Q4_Promo_East")
    campaigns = []
    for n in range(1, count + 1):
        copy = json.loads(json.dumps(template))
        campaign = copy["campaign"]
        campaign["id"] = "b0000000-0000-4000-8000-%012d" % n
        campaign["name"] = "%s%03d" % (name_prefix, n)
        campaign["selfUri"] = "/api/v2/outbound/campaigns/" + campaign["id"]
        campaign["campaignStatus"] = status
        campaigns.append(copy)
    path = os.path.join(WORK, "seed-%d-%s.json" % (count, status))
    with open(path, "w") as f:
        json.dump({"campaigns": campaigns, "queues": demo["queues"]}, f)
    return path


class Emulator:
    def __init__(self, seed, *options):
        self.process = subprocess.Popen(
            [EMULATOR, "--port", "0", "--seed", seed, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
             "--stopping-delay", str(STOPPING_DELAY), *options],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.base = re.search(r"listening on (\S+)", self.process.stdout.readline()).group(1)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.process.terminate()
        self.process.wait()

    def api_requests(self):
        with urllib.request.urlopen(self.base + "/emulator/v1/requests") as answer:
            return [r for r in json.load(answer)["requests"] if r["path"].startswith("/api/v2/")]

    def campaignsh(self, line, audit_db, timed_run=True, notifications="on"):
        env = dict(os.environ, GENESYS_CLIENT_ID=CLIENT_ID, GENESYS_CLIENT_SECRET=CLIENT_SECRET,
                   CAMPAIGNSH_NOTIFICATIONS=notifications)
        command = [CAMPAIGNSH, "--api-base", self.base, "--login-base", self.base, "--audit-db", audit_db, "-c", line]
        if timed_run:
            return timed(command, env=env)
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout

    def statuses(self, prefix, audit_db):
        listed = self.campaignsh("campaigns --name %s --format json" % prefix, audit_db, timed_run=False)
        return [c.get("campaignStatus") for c in json.loads(listed)]

    def peer(self, status):
        started = time.monotonic()
        result = subprocess.run(
            [PEER_PYTHON, PEER, "--base", self.base, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
             "--name-prefix", "Bulk_", "--status", status], capture_output=True, text=True)
        wall = time.monotonic() - started
        if result.returncode != 0:
            sys.exit("bench: the peer failed (%d): %s %s" % (result.returncode, result.stdout, result.stderr[-600:]))
        return wall, json.loads(result.stdout)


def failed(requests):
    return [r for r in requests if r["status"] >= 400]


# --------------------------------------------------------------------------- bulk pause and activate

# What else drives the campaigns (schedules, rules, sequences and their schedules): read once per run by a
# pause, for its warning of what will turn the campaigns on again.
DRIVER_READS = ("/api/v2/outbound/schedules/", "/api/v2/outbound/campaignrules", "/api/v2/outbound/sequences")


def bulk_run(seed, verb, status, run, notifications="on"):
    """`VERB --all --name Bulk_ --yes` on a fresh emulator: wall, CPU, API requests (those reading what
    else drives the campaigns apart), failed requests, how many campaigns ended in `status`, and the
    listings of campaigns (the selection's, then each poll or healing read)."""
    with Emulator(seed) as emulator:
        audit = os.path.join(WORK, "%s-%s-%d.sqlite" % (verb, notifications, run))
        wall, cpu, _, _ = emulator.campaignsh("%s --all --name Bulk_ --yes" % verb, audit,
                                             notifications=notifications)
        requests = emulator.api_requests()
        drivers = [r for r in requests if r["method"] == "GET" and r["path"].startswith(DRIVER_READS)]
        listings = [r for r in requests if r["method"] == "GET" and r["path"] == "/api/v2/outbound/campaigns"]
        return (wall, cpu, len(requests) - len(drivers), len(drivers), len(failed(requests)),
                emulator.statuses("Bulk_", audit).count(status), len(listings))


def bulk_pause_and_activate():
    running, stopped = bulk_seed(BULK, "on"), bulk_seed(BULK, "off")

    log("bulk pause of %d: the peer, %d runs" % (BULK, RUNS))
    peer_walls, peer_work, peer_requests = [], [], []
    for _ in range(RUNS):
        with Emulator(running) as emulator:
            wall, summary = emulator.peer("off")
            peer_walls.append(wall)
            peer_work.append(summary["seconds"])
            peer_requests.append(summary["api_requests"] / BULK)
            if summary["settled"] != BULK:
                sys.exit("bench: the peer left %d campaigns unsettled" % (BULK - summary["settled"]))

    log("bulk pause of %d: campaignsh on the notification channel, %d runs" % (BULK, RUNS))
    walls, cpus, marginal, requests_per_run, listings, driver_reads, failures, off = [], [], [], [], [], [], [], []
    for run in range(RUNS):
        wall, cpu, requests, drivers, failing, settled, listed = bulk_run(running, "pause", "off", run)
        walls.append(wall)
        cpus.append(cpu / BULK * 1000)
        requests_per_run.append(requests)
        listings.append(listed)
        driver_reads.append(drivers)
        failures.append(failing)
        off.append(settled)
        # The same run for one campaign: what the 47 others added is the cost per campaign, apart from the
        # process's own (start-up, first use of the HTTP stack, login, listing).
        with Emulator(running) as emulator:
            audit = os.path.join(WORK, "pause-one-%d.sqlite" % run)
            _, single, _, _ = emulator.campaignsh("pause --all --name Bulk_001 --yes", audit)
            marginal.append((cpu - single) / (BULK - 1) * 1000)

    log("bulk pause of %d: campaignsh polling (CAMPAIGNSH_NOTIFICATIONS=off), %d runs" % (BULK, RUNS))
    poll_walls, poll_per_campaign, poll_off = [], [], []
    for run in range(RUNS):
        wall, _, requests, _, _, settled, _ = bulk_run(running, "pause", "off", run, notifications="off")
        poll_walls.append(wall)
        poll_per_campaign.append(requests / BULK)
        poll_off.append(settled)

    peer_median = statistics.median(peer_walls)
    measure("peer: bulk pause of %d, waiting until off (process wall, SDK import included)" % BULK,
            peer_walls, "s", "(measured)", True)
    measure("peer: … its requests alone (first to last)", peer_work, "s", "(measured)", True)
    measure("peer: … API requests per campaign", peer_requests, "", "(measured)", True)
    measure("campaignsh, polling: bulk pause of %d, waiting until off: wall" % BULK, poll_walls, "s",
            "≤ %.2f s (1.25× the %.0f s stopping delay)" % (1.25 * STOPPING_DELAY, STOPPING_DELAY),
            statistics.median(poll_walls) <= 1.25 * STOPPING_DELAY)
    measure("… API requests per campaign (stops, listing and polls)", poll_per_campaign, "", "≤ 1.1",
            statistics.median(poll_per_campaign) <= 1.1)
    measure("… campaigns off at the end", poll_off, "", "%d" % BULK, min(poll_off) == BULK, 0)
    measure("campaignsh, channel: bulk pause of %d, waiting until off: wall" % BULK, walls, "s",
            "≤ %.2f s (1.1× the %.0f s stopping delay) and ≤ %.2f s (0.12× the peer)"
            % (1.1 * STOPPING_DELAY, STOPPING_DELAY, 0.12 * peer_median),
            statistics.median(walls) <= min(1.1 * STOPPING_DELAY, 0.12 * peer_median))
    ratios = [w / peer_median for w in walls]
    measure("… wall ÷ the peer's median wall", ratios, "×", "≤ 0.12×", statistics.median(ratios) <= 0.12, 3)
    measure("… API requests (stops, listing, channel, subscriptions, reads)", requests_per_run, "",
            "≤ %d (N + 4)" % (BULK + 4), max(requests_per_run) <= BULK + 4, 0)
    measure("… listings of campaigns (the selection's; each poll would be one more)", listings, "", "1",
            max(listings) == 1, 0)
    # Schedules, rules and sequences (and sequence schedules when there are sequences): flat, whatever N.
    measure("… reads of what may turn them on again, per run", driver_reads, "", "≤ 4",
            statistics.median(driver_reads) <= 4, 0)
    measure("… client CPU per campaign (the whole process's user+sys ÷ %d)" % BULK, cpus, "ms", "≤ 1 ms",
            statistics.median(cpus) <= 1)
    measure("… client CPU each campaign adds (the run of %d less the run of 1, ÷ %d)" % (BULK, BULK - 1), marginal,
            "ms", "(measured)", True)
    measure("… failed API requests", failures, "", "0", max(failures) == 0, 0)
    measure("… campaigns off at the end", off, "", "%d" % BULK, min(off) == BULK, 0)

    log("bulk activate of %d with pre-flight: %d runs each" % (BULK, RUNS))
    peer_walls = []
    for _ in range(RUNS):
        with Emulator(stopped) as emulator:
            peer_walls.append(emulator.peer("on")[0])
    walls, per_campaign, failures, on = [], [], [], []
    for run in range(RUNS):
        wall, _, requests, drivers, failing, settled, _ = bulk_run(stopped, "activate", "on", run)
        walls.append(wall)
        per_campaign.append((requests + drivers) / BULK)
        failures.append(failing)
        on.append(settled)
    measure("peer: bulk activate of %d (GET and PUT each, no pre-flight)" % BULK, peer_walls, "s", "(measured)", True)
    measure("campaignsh: bulk activate of %d with pre-flight: wall" % BULK, walls, "s", "(measured)", True)
    # A GET and a PUT each, and 7 reads for the whole run: the selection's listing and the pre-flight's
    # shared ones (active count, idle agents, contact lists, DNC imports, sequences).
    activate_budget = (2 * BULK + 7) / BULK
    measure("… API requests per campaign", per_campaign, "", "≤ %.3f (2 each + 7 per run)" % activate_budget,
            statistics.median(per_campaign) <= activate_budget)
    measure("… failed API requests", failures, "", "0", max(failures) == 0, 0)
    measure("… campaigns on at the end", on, "", "%d" % BULK, min(on) == BULK, 0)


# --------------------------------------------------------------------------- bulk archive

def rate_limit_bound(requests, limit, window):
    """The least time `requests` take when a token may send `limit` per `window` seconds: every request
    beyond a window's allowance waits for the next window."""
    return ((requests - 1) // limit) * window


def bulk_archive():
    seed = bulk_seed(ARCHIVED, "off")
    log("bulk archive of %d (%d requests per %d s): %d runs" % (ARCHIVED, ARCHIVE_LIMIT, ARCHIVE_WINDOW, RUNS))
    ratios, walls, failures, kept = [], [], [], []
    for run in range(RUNS):
        with Emulator(seed, "--rate-limit", str(ARCHIVE_LIMIT), "--rate-limit-window", str(ARCHIVE_WINDOW)) as emulator:
            audit = os.path.join(WORK, "archive-%d.sqlite" % run)
            wall, _, _, _ = emulator.campaignsh("archive --all --name Bulk_ --yes", audit)
            requests = emulator.api_requests()
            bound = rate_limit_bound(len(requests), ARCHIVE_LIMIT, ARCHIVE_WINDOW)
            walls.append(wall)
            ratios.append(wall / bound)
            failures.append(len(failed(requests)))
            archived = emulator.campaignsh("archives --format json", audit, timed_run=False)
            kept.append(len(json.loads(archived)))
            left = emulator.statuses("Bulk_", audit)
            if left:
                sys.exit("bench: %d campaigns were not archived" % len(left))
    notes.append("The bulk archive sends %d API requests (a listing, then a GET for the snapshot and a DELETE "
                 "per campaign); at %d per %d s the rate limit alone needs %d s."
                 % (len(requests), ARCHIVE_LIMIT, ARCHIVE_WINDOW, bound))
    measure("campaignsh: bulk archive of %d: wall" % ARCHIVED, walls, "s", "(measured)", True, 1)
    measure("… wall ÷ the rate limit's bound", ratios, "×", "≤ 1.2×", statistics.median(ratios) <= 1.2, 3)
    measure("… failed API requests (429 included)", failures, "", "0", max(failures) == 0, 0)
    measure("… snapshots kept in the archive", kept, "", "%d" % ARCHIVED, min(kept) == ARCHIVED, 0)


# --------------------------------------------------------------------------- audit

def audit_rate(*arguments):
    out = subprocess.run([AUDIT_BENCH, *arguments], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"([\d.]+) rows/s", out).group(1))


def disk_sync_seconds():
    """The median time of one fdatasync after writing a page: what a durable commit waits for at least."""
    path = os.path.join(WORK, "sync.test")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    # Pages of a file already written, as a WAL is after its first checkpoint: no size change to sync.
    os.write(descriptor, bytes(256 * 4096))
    os.fsync(descriptor)
    samples = []
    for page in range(1000):
        os.pwrite(descriptor, b"x" * 4096, (page % 256) * 4096)
        started = time.perf_counter()
        os.fdatasync(descriptor)
        samples.append(time.perf_counter() - started)
    os.close(descriptor)
    os.remove(path)
    return statistics.median(samples)


def audit_figures():
    log("audit: appends, export and verify of %d rows" % AUDIT_ROWS)
    appends, ceilings = [], []
    for run in range(RUNS):
        appends.append(audit_rate("append-concurrent", os.path.join(WORK, "appends-%d.sqlite" % run), "20000", "4"))
        ceilings.append(4 / disk_sync_seconds())
    measure("audit: durable appends, 4 writers one row at a time (group commit)", appends, "rows/s", "≥ 10,000 rows/s",
            statistics.median(appends) >= 10_000, 0)
    measure("… the disk's ceiling for them: 4 rows per sync ÷ one fdatasync of a page", ceilings, "rows/s",
            "(measured)", True, 0)

    database = os.path.join(WORK, "audit.sqlite")
    audit_rate("append", database, str(AUDIT_ROWS), "10000")
    sqlite_walls, export_walls = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine
        sqlite_walls.append(timed(["sh", "-c", "sqlite3 -json %s 'SELECT * FROM audit' > /dev/null" % database])[0])
        export_walls.append(timed(["sh", "-c", "%s --audit-db %s -c 'audit export --format jsonl' > /dev/null"
                                   % (CAMPAIGNSH, database)])[0])
    measure("`sqlite3 -json` of the same %d rows" % AUDIT_ROWS, sqlite_walls, "s", "(measured)", True)
    measure("audit export of %d rows (jsonl)" % AUDIT_ROWS, export_walls, "s", "(measured)", True)
    speedups = [statistics.median(sqlite_walls) / w for w in export_walls]
    measure("… speed ÷ `sqlite3 -json`'s", speedups, "×", "≥ 1.5×", statistics.median(speedups) >= 1.5)
    verify = [AUDIT_ROWS / timed([CAMPAIGNSH, "--audit-db", database, "-c", "audit verify"])[0] for _ in range(RUNS)]
    measure("audit verify of %d rows" % AUDIT_ROWS, verify, "rows/s", "≥ 1,000,000 rows/s",
            statistics.median(verify) >= 1_000_000, 0)


def main():
    groups = {"local": local_figures, "bulk": bulk_pause_and_activate, "archive": bulk_archive, "audit": audit_figures}
    unknown = [name for name in sys.argv[1:] if name not in groups]
    if unknown:
        sys.exit("bench: no group %s; the groups are %s" % (", ".join(unknown), ", ".join(groups)))
    for name, step in groups.items():
        if not sys.argv[1:] or name in sys.argv[1:]:
            step()
    print("| measure | min | median | max | budget (on the median) | within |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if notes:
        print()
        for note in notes:
            print(note)


if __name__ == "__main__":
    main()
