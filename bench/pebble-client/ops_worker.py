"""The ops.pebble side of the Pebble client bench: runs one task with ops 3.9.0's Pebble client
against a Pebble socket and prints one JSON object on stdout (same shape as bench/pebble-go).

Run with PYTHONPATH=tools/python/lib (installed by scripts/setup.sh).
"""

import argparse
import json
import re
import shutil
import sys
import threading
import time

import ops.pebble


def status_kib(field):
    with open('/proc/self/status') as f:
        m = re.search(r'^%s:\s+(\d+) kB' % field, f.read(), re.M)
    return int(m.group(1)) if m else -1


def seq(c, n, warmup, r):
    calls = [
        ('services', c.get_services),
        ('plan', c.get_plan),
        ('system-info', c.get_system_info),
    ]
    samples = {name: [] for name, _ in calls}
    for i in range(warmup + n):
        for name, call in calls:
            t0 = time.perf_counter_ns()
            call()
            if i >= warmup:
                samples[name].append((time.perf_counter_ns() - t0) / 1e6)
    r['samples'] = samples


def conc(socket, callers, per_caller, r):
    clients = [ops.pebble.Client(socket_path=socket) for _ in range(callers)]
    errors = []

    def run(per):
        def loop(c):
            try:
                for _ in range(per):
                    c.get_services()
            except Exception as e:  # reported below, the bench fails
                errors.append(e)

        threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]

    run(2)
    t0 = time.perf_counter()
    run(per_caller)
    r['seconds'] = time.perf_counter() - t0
    r['calls'] = callers * per_caller


def push_once(c, source, dest):
    with open(source, 'rb') as f:
        c.push(dest, f, encoding=None)
        return f.tell()


def push(c, source, dest, reps, warm, r):
    for _ in range(warm):
        push_once(c, source, dest)
    t0 = time.perf_counter()
    total = 0
    for _ in range(reps):
        total += push_once(c, source, dest)
    r['seconds'] = time.perf_counter() - t0
    r['bytes'] = total
    r['transfers'] = reps


class Counter:
    def __init__(self):
        self.n = 0

    def write(self, b):
        self.n += len(b)
        return len(b)


def pull_once(c, path):
    w = Counter()
    with c.pull(path, encoding=None) as f:
        shutil.copyfileobj(f, w, 64 * 1024)
    return w.n


def pull(c, path, reps, warm, r):
    for _ in range(warm):
        pull_once(c, path)
    t0 = time.perf_counter()
    total = 0
    for _ in range(reps):
        total += pull_once(c, path)
    r['seconds'] = time.perf_counter() - t0
    r['bytes'] = total
    r['transfers'] = reps


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--socket', required=True)
    p.add_argument('--task', required=True, choices=['seq', 'conc', 'push', 'pull'])
    p.add_argument('--n', type=int, default=500)
    p.add_argument('--warmup', type=int, default=50)
    p.add_argument('--callers', type=int, default=64)
    p.add_argument('--per-caller', type=int, default=100)
    p.add_argument('--file', default='')
    p.add_argument('--dest', default='')
    p.add_argument('--reps', type=int, default=1)
    p.add_argument('--warm-transfers', type=int, default=0)
    a = p.parse_args()
    c = ops.pebble.Client(socket_path=a.socket)
    r = {'task': a.task, 'baseRssKiB': status_kib('VmRSS'), 'seconds': 0}
    if a.task == 'seq':
        seq(c, a.n, a.warmup, r)
    elif a.task == 'conc':
        conc(a.socket, a.callers, a.per_caller, r)
    elif a.task == 'push':
        push(c, a.file, a.dest, a.reps, a.warm_transfers, r)
    else:
        pull(c, a.file, a.reps, a.warm_transfers, r)
    r['peakRssKiB'] = status_kib('VmHWM')
    json.dump(r, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
