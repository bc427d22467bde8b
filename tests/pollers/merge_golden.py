#!/usr/bin/env python3
"""Partial snapshots merged equal one full collection, on every golden network.

Each golden snapshot is cut into the partial snapshots three pollers would
write with `eraudit collect --shard I/3` (the devices of each shard are the
ones `eraudit collect --list --shard I/3` names; each part holds the
inventory, the data files and its devices' files, and a manifest with the
inventory's digest and the devices asked for). `eraudit snapshot merge`
joins them, and the audit of the merged snapshot must be byte-identical to
the audit of the golden snapshot, with the same exit code.

usage: merge_golden.py ERAUDIT GOLDEN_CASES_DIR [STEP]
(STEP: every STEP-th case only; sanitizer builds, where each process is slow)
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

SHARDS = 3


def run(args, cwd=None):
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def split(bin_, snap, out, shards):
    """The partial snapshots of SNAP, one per shard, under OUT/part-I."""
    man = json.load(open(os.path.join(snap, "manifest.json")))["eraudit-snapshot:manifest"]
    digest = "sha256:" + hashlib.sha256(open(os.path.join(snap, "inventory.yaml"), "rb").read()).hexdigest()
    parts = []
    for i in range(shards):
        code, names, err = run([bin_, "collect", "-i", os.path.join(snap, "inventory.yaml"), "--list",
                                "--shard", f"{i}/{shards}"])
        if code:
            raise RuntimeError(f"collect --list --shard {i}/{shards}: exit {code}: {err}")
        names = names.split()
        part = os.path.join(out, f"part-{i}")
        os.makedirs(os.path.join(part, "devices"))
        for e in os.listdir(snap):
            if e in ("manifest.json", "devices"):
                continue
            src = os.path.join(snap, e)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(part, e))
        for n in names:
            src = os.path.join(snap, "devices", n)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(part, "devices", n))
        m = {k: v for k, v in man.items() if k != "device"}
        m["inventory-digest"] = digest
        m["selection"] = f"--shard {i}/{shards}"
        m["asked"] = [{"name": n} for n in names]
        m["device"] = [d for d in man.get("device", []) if d["name"] in names]
        json.dump({"eraudit-snapshot:manifest": m}, open(os.path.join(part, "manifest.json"), "w"), indent=2)
        parts.append(part)
    return parts


def main():
    bin_, cases = os.path.abspath(sys.argv[1]), sys.argv[2]
    step = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    env = dict(os.environ, SOURCE_DATE_EPOCH="1798761600", ERAUDIT_TODAY="2026-11-22", NO_COLOR="1")
    os.environ.update(env)
    failed = 0
    n = 0
    for k, case in enumerate(sorted(os.listdir(cases))):
        if k % step:
            continue
        cdir = os.path.join(cases, case)
        if not os.path.isdir(os.path.join(cdir, "snapshot")):
            continue
        n += 1
        args = open(os.path.join(cdir, "args")).read().split() if os.path.exists(os.path.join(cdir, "args")) else []
        with tempfile.TemporaryDirectory() as tmp:
            parts = split(bin_, os.path.join(cdir, "snapshot"), tmp, SHARDS)
            merged = os.path.join(tmp, "merged")
            os.makedirs(merged)
            code, _, err = run([bin_, "snapshot", "merge", *parts, "-o", os.path.join(merged, "snapshot")])
            if code not in (0, 3):
                print(f"FAIL: {case}: merge exit {code}: {err}")
                failed = 1
                continue
            want = run([bin_, "audit", "--snapshot", "snapshot", "--format", "json", "-o",
                        os.path.join(tmp, "full.json"), *args], cwd=cdir)
            got = run([bin_, "audit", "--snapshot", "snapshot", "--format", "json", "-o",
                       os.path.join(tmp, "merged.json"), *args], cwd=merged)
            if want[0] != got[0]:
                print(f"FAIL: {case}: exit {got[0]} after the merge, {want[0]} for the full snapshot\n{got[2]}")
                failed = 1
            elif open(os.path.join(tmp, "full.json")).read() != open(os.path.join(tmp, "merged.json")).read():
                print(f"FAIL: {case}: the merged snapshot's report differs from the full one's")
                subprocess.run(["diff", "-u", os.path.join(tmp, "full.json"), os.path.join(tmp, "merged.json")])
                failed = 1
            else:
                print(f"ok: {case}: merged from {SHARDS} shards, same report (exit {got[0]})")
    if n < 10 // step:
        print(f"FAIL: only {n} golden cases found in {cases}")
        failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main())
