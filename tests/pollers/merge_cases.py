#!/usr/bin/env python3
"""`eraudit snapshot merge`: what it refuses, what it reports, what it carries.

Parts are cut from the golden network all-pass (four devices) as the
pollers of `eraudit collect --shard I/N` would write them (merge_golden.split).

usage: merge_cases.py ERAUDIT GOLDEN_CASES_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from merge_golden import split  # noqa: E402

fail = 0


def check(what, ok, detail=""):
    global fail
    print(("ok: " if ok else "FAIL: ") + what + ("" if ok or not detail else "\n" + detail))
    fail |= not ok


def run(*args, cwd=None):
    p = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def manifest(snap):
    return json.load(open(os.path.join(snap, "manifest.json")))["eraudit-snapshot:manifest"]


def set_manifest(snap, **kv):
    m = manifest(snap)
    m.update(kv)
    json.dump({"eraudit-snapshot:manifest": m}, open(os.path.join(snap, "manifest.json"), "w"))


def main():
    bin_, cases = os.path.abspath(sys.argv[1]), sys.argv[2]
    golden = os.path.join(cases, "all-pass", "snapshot")
    os.environ.update(NO_COLOR="1", ERAUDIT_TODAY="2026-11-22")
    with tempfile.TemporaryDirectory() as tmp:
        p = split(bin_, golden, os.path.join(tmp, "a"), 2)
        names = [[d["name"] for d in manifest(x)["asked"]] for x in p]
        check("two shards share the four devices", sorted(names[0] + names[1]) == ["er1", "fw1", "inet1", "wan1"])

        # A device collected by both pollers: the newer one's is kept, and said.
        dup = names[0][0]
        shutil.copytree(os.path.join(golden, "devices", dup), os.path.join(p[1], "devices", dup))
        m = manifest(p[1])
        m["device"].append({"name": dup, "status": "partial", "reason": "marker of the newer poller",
                            "collectors": "netconf"})
        m["asked"].append({"name": dup})
        set_manifest(p[1], device=m["device"], asked=m["asked"], created="2026-11-20T07:00:00Z")
        out = os.path.join(tmp, "m1")
        code, err = run(bin_, "snapshot", "merge", p[0], p[1], "-o", out)
        got = {d["name"]: d for d in manifest(out)["device"]} if os.path.isdir(out) else {}
        check("collected twice: exit 0 (merged)", code == 0 or code == 3, err)
        check("collected twice: the newer poller's entry is kept",
              got.get(dup, {}).get("reason") == "marker of the newer poller", json.dumps(got))
        check("collected twice: stderr names the device and both snapshots",
              f"{dup}: collected by {p[0]} too" in err and f"kept {p[1]}" in err, err)
        check("the merged snapshot records the inventory digest and how many parts",
              manifest(out).get("inventory-digest", "").startswith("sha256:") and manifest(out).get("merged-from") == 2)
        check("the merged snapshot is not partial", "selection" not in manifest(out) and "asked" not in manifest(out))
        check("the merged snapshot carries the data files (proxy.pac)",
              open(os.path.join(out, "proxy.pac"), "rb").read() == open(os.path.join(golden, "proxy.pac"), "rb").read())
        check("nothing temporary is left beside it", sorted(os.listdir(tmp)) == ["a", "m1"], str(os.listdir(tmp)))

        # A shard that never came back: its devices were collected by nobody.
        out = os.path.join(tmp, "m2")
        code, err = run(bin_, "snapshot", "merge", p[0], "-o", out)
        got = {d["name"]: d for d in manifest(out)["device"]}
        missing = [n for n in names[1] if n not in names[0]]
        check("a missing shard: exit 3", code == 3, err)
        check("a missing shard: its devices are failed, not collected by any poller",
              all(got[n]["status"] == "failed" and got[n]["reason"] == "not collected by any poller" for n in missing),
              json.dumps(got))
        code, rep = run(bin_, "audit", "--snapshot", out)
        check("a missing shard: the audit exits 3 and names why",
              code == 3 and "not collected by any poller" in rep, rep[-2000:])

        # A data file only one poller had is carried; the same name with other bytes: newest kept, said.
        with open(os.path.join(p[0], "extra-data.csv"), "w") as f:
            f.write("old\n")
        with open(os.path.join(p[1], "extra-data.csv"), "w") as f:
            f.write("new\n")
        out = os.path.join(tmp, "m3")
        code, err = run(bin_, "snapshot", "merge", p[0], p[1], "-o", out)
        check("a data file differing between parts: the newest one's, said",
              open(os.path.join(out, "extra-data.csv")).read() == "new\n" and "extra-data.csv differs" in err, err)

        # Different inventories: refused, nothing written.
        other = split(bin_, os.path.join(cases, "asym-002-fail", "snapshot"), os.path.join(tmp, "b"), 2)
        out = os.path.join(tmp, "m4")
        code, err = run(bin_, "snapshot", "merge", p[0], other[1], "-o", out)
        check("different inventories: exit 2, said, nothing written",
              code == 2 and "different inventories" in err and not os.path.exists(out), err)

        # An inventory changed after collection no longer matches its manifest.
        with open(os.path.join(other[0], "inventory.yaml"), "a") as f:
            f.write("# edited\n")
        out = os.path.join(tmp, "m5")
        code, err = run(bin_, "snapshot", "merge", other[0], other[1], "-o", out)
        check("an inventory edited after collection: exit 2, said",
              code == 2 and "not the inventory its manifest was collected with" in err and not os.path.exists(out), err)

        # A link inside a part is refused, never followed.
        out = os.path.join(tmp, "m6")
        os.symlink("/etc/passwd", os.path.join(p[0], "leak.txt"))
        code, err = run(bin_, "snapshot", "merge", p[0], p[1], "-o", out)
        check("a symbolic link inside a part: exit 2, refused, nothing written",
              code == 2 and "symbolic link" in err and not os.path.exists(out), err)
        os.unlink(os.path.join(p[0], "leak.txt"))

        # -o: a directory that is not a snapshot is never replaced; an earlier snapshot only with --force.
        mine = os.path.join(tmp, "mine")
        os.makedirs(mine)
        open(os.path.join(mine, "keep.txt"), "w").write("mine\n")
        code, err = run(bin_, "snapshot", "merge", p[0], p[1], "-o", mine, "--force")
        check("-o a directory of the user's: exit 2, untouched",
              code == 2 and os.listdir(mine) == ["keep.txt"], err)
        code, err = run(bin_, "snapshot", "merge", p[0], p[1], "-o", os.path.join(tmp, "m1"))
        check("-o an earlier snapshot without --force: exit 2", code == 2, err)
        code, err = run(bin_, "snapshot", "merge", p[0], p[1], "-o", os.path.join(tmp, "m1"), "--force")
        check("-o an earlier snapshot with --force: replaced", code in (0, 3) and "extra-data.csv" in
              os.listdir(os.path.join(tmp, "m1")), err)

        code, err = run(bin_, "snapshot", "merge", "-o", out)
        check("no snapshot given: exit 2 with usage", code == 2 and "usage: eraudit snapshot merge" in err, err)
        code, err = run(bin_, "collect", "-i", os.path.join(golden, "inventory.yaml"), "--list", "--shard", "2/2")
        check("--shard 2/2: exit 2, says what is expected", code == 2 and "0 <= I < N" in err, err)
        code, err = run(bin_, "collect", "-i", os.path.join(golden, "inventory.yaml"), "--list", "--role", "router")
        check("--role with no device: exit 2", code == 2 and "no device has role 'router'" in err, err)
        code, out1 = run(bin_, "collect", "-i", os.path.join(golden, "inventory.yaml"), "--list", "--shard", "0/2")
        code, out2 = run(bin_, "collect", "-i", os.path.join(golden, "inventory.yaml"), "--list", "--shard", "0/2")
        check("--shard is the same from run to run", out1 == out2 and out1.split() == names[0])
    return fail


if __name__ == "__main__":
    sys.exit(main())
