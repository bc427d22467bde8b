#!/usr/bin/env python3
"""deploy/kubernetes and deploy/systemd hold together: the fields the flow depends on.

- The collect CronJob's Job is Indexed with completions = parallelism = SHARDS; each pod
  runs `eraudit collect --shard INDEX/SHARDS` into part-INDEX; run with --list against the
  ConfigMap's inventory, the N commands select every device exactly once.
- The audit CronJob merges exactly those parts from the same volume and audits with a
  PostgreSQL history whose URL holds no password; PGPASSFILE is a file of a Secret volume.
- Secrets are mounted as 0400 files; every option used is one `eraudit VERB --help` lists.
- The systemd poller template collects --site %i and takes exit 3 as success.

usage: deploy_check.py ERAUDIT DEPLOY_DIR
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

import yaml

eraudit, deploy = sys.argv[1], sys.argv[2]
fail = 0


def check(what, ok, detail=""):
    global fail
    print(("ok: " if ok else "FAIL: ") + what + ("" if ok or not detail else "\n  " + str(detail)))
    fail |= not ok


def pod(cronjob):
    return cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def commands(script, env):
    """The eraudit command lines of a container's sh -c script, variables expanded."""
    for k, v in env.items():
        script = script.replace("$" + k, v).replace("${%s}" % k, v)
    out = []
    for part in script.split(";"):
        words = shlex.split(part)
        if words and words[0] == "eraudit":
            out.append(words)
    return out


def help_options(verb):
    h = subprocess.run([eraudit, *verb.split(), "--help"], capture_output=True, text=True).stdout
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", h))


def options_known(cmd):
    verb = " ".join(cmd[1:3]) if cmd[1] == "snapshot" else cmd[1]
    known = help_options(verb)
    used = {w for w in cmd if w.startswith("--")}
    return used <= known, sorted(used - known)


def mounted(spec, container, path):
    """The volume mounted at the directory holding path."""
    for m in container["volumeMounts"]:
        if path.startswith(m["mountPath"].rstrip("/") + "/"):
            return next(v for v in spec["volumes"] if v["name"] == m["name"]), m["mountPath"]
    return None, None


k8s = os.path.join(deploy, "kubernetes")
collect = yaml.safe_load(open(os.path.join(k8s, "collect-cronjob.yaml")))
audit = yaml.safe_load(open(os.path.join(k8s, "audit-cronjob.yaml")))
cm = yaml.safe_load(open(os.path.join(k8s, "inventory-configmap.yaml")))

job = collect["spec"]["jobTemplate"]["spec"]
spec = pod(collect)
c = spec["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
check("collect: a CronJob of an Indexed Job", collect["kind"] == "CronJob" and job.get("completionMode") == "Indexed")
n = int(env.get("SHARDS", "0"))
check("collect: completions = parallelism = SHARDS (%d)" % n, n > 0 and job["completions"] == n and
      job["parallelism"] == n)
cmds = [commands(" ".join(c["command"][2:] + c.get("args", [])), dict(env, JOB_COMPLETION_INDEX=str(i)))
        for i in range(n)]
check("collect: each pod runs one eraudit collect", all(len(x) == 1 and x[0][1] == "collect" for x in cmds), cmds)
ok, unknown = options_known(cmds[0][0])
check("collect: every option is one 'eraudit collect --help' lists", ok, unknown)
outs = [x[0][x[0].index("-o") + 1] for x in cmds]
check("collect: pod I writes part-I", outs == ["/snapshots/part-%d" % i for i in range(n)], outs)
inv = cmds[0][0][cmds[0][0].index("-i") + 1]
vol, mp = mounted(spec, c, inv)
check("collect: the inventory is the ConfigMap's", vol and vol.get("configMap", {}).get("name") ==
      cm["metadata"]["name"] and os.path.relpath(inv, mp) in cm["data"], vol)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "inventory.yaml")
    open(path, "w").write(cm["data"]["inventory.yaml"])
    listed = []
    for x in cmds:
        args = [w for w in x[0][1:] if w not in ("--force",)]
        i = args.index("-o")
        del args[i:i + 2]
        args[args.index("-i") + 1] = path
        p = subprocess.run([eraudit, *args, "--list"], capture_output=True, text=True)
        listed += p.stdout.split() if p.returncode == 0 else ["<exit %d: %s>" % (p.returncode, p.stderr.strip())]
    names = [d["name"] for d in yaml.safe_load(cm["data"]["inventory.yaml"])["devices"]]
    check("collect: the %d pods' selections cover every device once" % n, sorted(listed) == sorted(names), listed)

aspec = pod(audit)
a = aspec["containers"][0]
aenv = {e["name"]: e["value"] for e in a.get("env", [])}
acmds = commands(" ".join(a["command"][2:] + a.get("args", [])), aenv)
merge = next((x for x in acmds if x[1:3] == ["snapshot", "merge"]), None)
run = next((x for x in acmds if x[1] == "audit"), None)
check("audit: merges then audits", merge is not None and run is not None, acmds)
if merge and run:
    parts = merge[3:merge.index("-o")]
    check("audit: merges exactly the collectors' parts", parts == outs, parts)
    check("audit: audits the merged snapshot", run[run.index("--snapshot") + 1] == merge[merge.index("-o") + 1])
    for x in (merge, run):
        ok, unknown = options_known(x)
        check("audit: every option of 'eraudit %s' is known" % x[1], ok, unknown)
    url = run[run.index("--history") + 1]
    check("audit: a PostgreSQL history without a password in the URL",
          url.startswith("postgresql://") and not re.match(r"postgres(ql)?://[^/@]*:[^/@]*@", url) and
          "password=" not in url, url)
    pf = aenv.get("PGPASSFILE", "")
    vol, _ = mounted(aspec, a, pf)
    check("audit: PGPASSFILE is a file of a Secret volume", vol is not None and "secret" in vol, pf)
claims = {v["persistentVolumeClaim"]["claimName"] for s in (spec, aspec) for v in s["volumes"]
          if "persistentVolumeClaim" in v}
check("pollers and audit share one snapshot volume", len(claims) == 1, claims)
secrets = [v for s in (spec, aspec) for v in s["volumes"] if "secret" in v]
check("Secrets are mounted as 0400 files (%d)" % len(secrets),
      secrets and all(v["secret"].get("defaultMode") == 0o400 for v in secrets), secrets)

sd = os.path.join(deploy, "systemd")
poller = open(os.path.join(sd, "eraudit-poller@.service")).read()
ex = re.search(r"^ExecStart=(.*)$", poller, re.M).group(1)
check("systemd: the poller template collects its instance's site",
      " collect " in ex and "--site %i" in ex and "-o /var/lib/eraudit/parts/%i" in ex, ex)
check("systemd: exit 3 (devices not collected) is a completed poll", re.search(r"^SuccessExitStatus=3$", poller, re.M))
ma = open(os.path.join(sd, "eraudit-merge-audit.service")).read()
check("systemd: merge-audit reads the pollers' parts and a PGPASSFILE",
      "snapshot merge /var/lib/eraudit/parts/*" in ma and "PGPASSFILE=" in ma and
      not re.search(r"postgres(ql)?://[^/@ ]*:[^/@ ]*@", ma))
for f in ("eraudit-poller@.timer", "eraudit-merge-audit.timer"):
    check("systemd: %s exists with an [Install] section" % f,
          os.path.exists(os.path.join(sd, f)) and "[Install]" in open(os.path.join(sd, f)).read())
sys.exit(fail)
