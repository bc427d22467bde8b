#!/usr/bin/env python3
"""The HTML report as a browser sees it: headless Chromium renders the reports
of the example network and of golden cases (a device not collected,
attestations and waivers, fail-on medium, user rules, hostile text in the inventory,
new findings since a history's last run),
and this checks the DOM it built against the JSON report of the same audit.

One Chromium run loads every report in a frame of a harness page (file
access between local files allowed for that run only) and hands back each
frame's DOM and what layout says: where the summary is, the badge colours,
every link's target, and, with the print rules applied to the screen,
whether a finding may be split across pages and whether passing evidence
shows. A second run takes a screenshot of the example (--screenshot PATH
keeps it, e.g. for the README).

Usage: browser.py ERAUDIT [--screenshot PATH]. Exit 77 (a skip for ctest)
when no chromium is installed; scripts/deps installs Debian's.
"""
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.environ.get("GOLDEN_CASES") or f"{ROOT}/tests/golden/cases"   # generated cases (tests/golden/mkcases)
SEV = ["info", "low", "medium", "high", "critical"]
CRITICAL_RGB = (0xa3, 0x13, 0x2b)   # --crit in src/report/html_css.c
VIEW = (1280, 900)

ok = True


def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and bool(cond)
    return cond


def chromium_path():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def chromium(exe, tmp, args, url):
    """Run headless Chromium with a profile of its own; return its stdout."""
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
           "--disable-extensions", "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + tmp + "/profile"]
    env = dict(os.environ, HOME=tmp)
    p = subprocess.run(cmd + args + [url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=180)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace")[-2000:])
    return p.stdout.decode()


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids, self.text = tag, dict(attrs), parent, [], []

    def cls(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()

    def all_text(self):
        return "".join(k if isinstance(k, str) else k.all_text() for k in self.kids)

    def elements(self):
        return [k for k in self.kids if isinstance(k, Node)]


class Tree(HTMLParser):
    """The DOM Chromium serialized, as a tree (it is well formed: the browser wrote it)."""
    VOID = {"meta", "br", "link", "img", "input", "hr", "col", "area", "base", "embed", "source", "wbr"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in self.VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


def norm(s):
    return re.sub(r"\s+", " ", s or "").strip()


def audit(binary, case_dir, out_dir, args, per_format=None):
    os.makedirs(out_dir, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1", SOURCE_DATE_EPOCH="1798761600", ERAUDIT_TODAY="2026-11-22")
    codes = []
    for fmt in ("json", "html"):
        p = subprocess.run([binary, "audit", "--snapshot", "snapshot", "--format", fmt, "-o", f"{out_dir}/r.{fmt}"]
                           + args + (per_format or {}).get(fmt, []), cwd=case_dir, env=env, stderr=subprocess.PIPE)
        err = p.stderr.decode(errors="replace")
        if not check(p.returncode in (0, 1, 3) and "Sanitizer" not in err,
                     f"{os.path.basename(out_dir)}: the {fmt} audit ran (exit {p.returncode})"):
            sys.stderr.write(err[-3000:])
        codes.append(p.returncode)
    check(codes[0] == codes[1], f"{os.path.basename(out_dir)}: the same exit code for JSON and HTML ({codes})")
    return json.load(open(f"{out_dir}/r.json"))["eraudit-findings:report"]


def hostile_case(tmp):
    """The attestations case with markup in an attestation and a waiver reason."""
    dst = f"{tmp}/hostile-src"
    shutil.copytree(f"{GOLDEN}/attestations", dst)
    p = f"{dst}/snapshot/inventory.yaml"
    s = open(p).read()
    s2 = s.replace("answer: Branch links sized at 2x the measured Power Platform peak.,",
                   "answer: '<script>alert(1)</script> & \"q\" <img src=x onerror=alert(2)></style><!--',")
    s2 = s2.replace("reason: second ExpressRoute router on order,",
                    "reason: '<b onmouseover=alert(3)>x</b> &amp; ]]>',")
    check(s2.count("alert(") == 3, "hostile: markup planted in the inventory")
    open(p, "w").write(s2)
    return dst


HOSTILE = ['<script>alert(1)</script> & "q" <img src=x onerror=alert(2)></style><!--',
           "<b onmouseover=alert(3)>x</b> &amp; ]]>"]

HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
%s
<pre id="result"></pre>
<script>
window.addEventListener('load', () => {
  const out = {};
  for (const fr of document.querySelectorAll('iframe')) {
    const d = fr.contentDocument, w = fr.contentWindow, r = {};
    if (!d || !d.getElementById('summary')) { out[fr.id] = {error: 'frame not readable'}; continue; }
    r.dom = d.documentElement.outerHTML;
    const top = e => e ? e.getBoundingClientRect().top : null;
    r.viewport = w.innerHeight;
    r.summaryTop = top(d.getElementById('summary'));
    r.firstTopLink = top(d.querySelector('#summary ul.refs a[href^="#f-"]'));
    const cs = sel => { const e = d.querySelector(sel); return e ? w.getComputedStyle(e) : null; };
    r.colours = {};
    for (const s of ['critical', 'high', 'medium', 'low', 'info']) {
      const c = cs('.sev.s-' + s + ':not(.below)');
      r.colours[s] = c ? c.backgroundColor : null;
    }
    const b = cs('.sev.below');
    r.below = b ? {border: b.borderTopStyle, bg: b.backgroundColor, colour: b.color} : null;
    r.unresolved = [...d.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
        .filter(h => !h.startsWith('#') || !d.getElementById(h.slice(1)));
    const passes = () => [...d.querySelectorAll('ul.passes li')];
    r.passes = passes().length;
    r.passesShownScreen = passes().filter(e => e.checkVisibility() && e.getClientRects().length > 0).length;
    let n = 0;
    for (const sh of d.styleSheets)
      for (const ru of sh.cssRules)
        if (ru.media && ru.media.mediaText.includes('print')) { ru.media.mediaText = 'all'; n++; }
    r.printRules = n;
    const fs = [...d.querySelectorAll('.finding')];
    r.findings = fs.length;
    r.splittable = fs.filter(e => w.getComputedStyle(e).breakInside !== 'avoid').length;
    r.passesShownPrint = passes().filter(e => e.checkVisibility() && e.getClientRects().length > 0).length;
    const dev = d.getElementById('devices');
    r.devicesBreak = dev ? w.getComputedStyle(dev).breakBefore : null;
    out[fr.id] = r;
  }
  document.getElementById('result').textContent = JSON.stringify(out);
});
</script></body></html>
"""


def check_dom(name, rep, dom, page_src):
    """Structure of one report's DOM against its JSON report."""
    t = Tree(dom)
    els = list(t.root.walk())
    ids = [e.attrs["id"] for e in els if "id" in e.attrs]
    by_id = {e.attrs["id"]: e for e in els if "id" in e.attrs}
    body = next(e for e in els if e.tag == "body")
    main = next((e for e in body.elements() if e.tag == "main"), None)
    kids = main.elements() if main else []
    check([e.tag for e in body.elements()][:2] == ["header", "main"], f"{name}: the body is a header, then main")
    check(len(kids) > 1 and kids[0].attrs.get("id") == "summary" and kids[1].attrs.get("id") == "toc",
          f"{name}: the summary comes first, the contents second")
    check(len(ids) == len(set(ids)), f"{name}: ids are unique")
    hrefs = [e.attrs["href"] for e in els if e.tag == "a" and "href" in e.attrs]
    check(all(h.startswith("#") and h[1:] in by_id for h in hrefs), f"{name}: all {len(hrefs)} links resolve to ids")

    # Self-contained and inert, whatever the input said.
    active = [e.tag for e in els if e.tag in ("script", "img", "iframe", "object", "embed", "link", "form", "input",
                                               "svg", "video", "audio", "base")]
    check(not active, f"{name}: no script, image, frame, form or external link element ({active[:3]})")
    check(not [a for e in els for a in e.attrs if a.startswith("on") or a in ("src", "srcset", "action")],
          f"{name}: no event-handler or source attribute")
    style = "".join(e.all_text() for e in els if e.tag == "style")
    check(style and "url(" not in style and "@import" not in style, f"{name}: the style sheet loads nothing")
    csp = [e for e in els if e.tag == "meta" and e.attrs.get("http-equiv", "").lower() == "content-security-policy"]
    check(csp and "default-src 'none'" in csp[0].attrs.get("content", ""), f"{name}: a CSP forbids script and loads")
    raw = [a for e in Tree(page_src).root.walk() for k, a in e.attrs.items() if k in ("src", "href", "action")]
    check(all((a or "").startswith("#") for a in raw), f"{name}: the file as written refers to nothing outside")

    findings = rep.get("finding", [])
    # Every finding of the JSON report, once, with its message.
    fids = [i for i in ids if re.fullmatch(r"f-\d+", i)]
    want = [f"f-{f['seq']}" for f in findings]
    check(sorted(fids) == sorted(want), f"{name}: each of the {len(want)} findings appears exactly once (f-SEQ)")
    wrong = [f["seq"] for f in findings if f"f-{f['seq']}" in by_id
             and norm(f["message"].split(" [waived: ")[0]) not in norm(by_id[f"f-{f['seq']}"].all_text())]
    check(not wrong, f"{name}: each finding's element carries its message ({wrong[:5]})")

    # Severity as a class on every failing finding; below fail-on marked exactly where JSON says.
    bad = [f["seq"] for f in findings if f["status"] == "fail" and (
        f"s-{f['severity']}" not in by_id[f"f-{f['seq']}"].cls() or
        ("below" in by_id[f"f-{f['seq']}"].cls()) != bool(f.get("below-fail-on")))]
    check(not bad, f"{name}: failing findings carry their severity and the below-fail-on mark ({bad[:5]})")

    # The summary: every critical and high failing finding linked, nothing else.
    summ = by_id["summary"]
    top = {a.attrs["href"][1:] for a in summ.walk() if a.tag == "a" and a.attrs.get("href", "").startswith("#f-")}
    floor = min(SEV.index("high"), SEV.index(rep["fail-on"]))
    want_top = {f"f-{f['seq']}" for f in findings if f["status"] == "fail" and SEV.index(f["severity"]) >= floor}
    check(top == want_top, f"{name}: the summary links the {len(want_top)} failing findings of severity "
          f"{SEV[floor]} or above")
    ne = [r for r in rep.get("rule", []) if r["outcome"] == "not-evaluated"]
    stext = norm(summ.all_text())
    check(all(r["id"] in stext and norm(r.get("reason", "")) in stext for r in ne),
          f"{name}: the summary names the {len(ne)} rules not evaluated with their reasons")

    # Since the last run: exactly the findings JSON marks new, linked.
    if "drift" in rep:
        dr = by_id.get("drift")
        links = {a.attrs["href"][1:] for a in dr.walk() if a.attrs.get("href", "").startswith("#f-")} if dr else None
        new = {f"f-{f['seq']}" for f in findings if f.get("new")}
        check(links == new and kids[2].attrs.get("id") == "drift",
              f"{name}: after the contents, the {len(new)} findings new since the last run, linked")

    # The fix once per rule, in the rule's block, never in a finding.
    rep_fix = {}
    for f in findings:
        if f["status"] in ("fail", "waived") and f.get("remediation") and f["rule"] in by_id:
            rep_fix.setdefault(f["rule"], set()).add(f["remediation"])
    bad = [r for r, fixes in rep_fix.items() for x in fixes if norm(by_id[r].all_text()).count(norm(x)) != 1]
    check(not bad, f"{name}: each fix text appears once in its rule's block ({bad[:5]})")
    in_finding = [i for i in fids if any(norm(x) in norm(by_id[i].all_text()) for fx in rep_fix.values() for x in fx)]
    check(not in_finding, f"{name}: no finding repeats its rule's fix ({in_finding[:5]})")

    # The per-device view: each device's findings that are not passes, linked.
    devs = by_id.get("devices")
    check(devs is not None, f"{name}: a per-device view")
    bad = []
    for d in sorted({f["device"] for f in findings if "device" in f}):
        blk = by_id.get("dev-" + d)
        links = {a.attrs["href"][1:] for a in blk.walk() if a.attrs.get("href", "").startswith("#f-")} if blk else None
        want_d = {f"f-{f['seq']}" for f in findings if f.get("device") == d and f["status"] != "pass"}
        if blk is None or links != want_d:
            bad.append(d)
    check(not bad, f"{name}: each device lists exactly its findings that are not passes ({bad})")

    # The checklist: rule ids linked; partial and not-evaluated answers say which rule and why.
    rules = {r["id"]: r for r in rep.get("rule", [])}
    bad = []
    for q in rep.get("question", []):
        row = by_id.get("q-" + q["id"])
        if row is None:
            bad.append(q["id"])
            continue
        links = {a.attrs["href"][1:] for a in row.walk() if a.tag == "a"}
        if not set(q.get("rule", [])) <= links:
            bad.append(q["id"])
        for rid in q.get("not-evaluated-rule", []):
            if norm(rules[rid].get("reason", "")) not in norm(row.all_text()):
                bad.append(q["id"] + ":" + rid)
    check(not bad, f"{name}: checklist rows link their rules and give the reasons of those not evaluated ({bad})")
    labels = {"partial": "PARTIAL", "not-evaluated": "N/E"}
    check(all(labels[q["status"]] in by_id["q-" + q["id"]].all_text() for q in rep.get("question", [])
              if q["status"] in labels), f"{name}: PARTIAL and N/E questions are labelled so")
    return t


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG type"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, [[tuple(r[x * bpp:x * bpp + 3]) for x in range(w)] for r in rows]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: browser.py ERAUDIT [--screenshot PATH]")
    binary = os.path.abspath(sys.argv[1])
    keep = sys.argv[sys.argv.index("--screenshot") + 1] if "--screenshot" in sys.argv else None
    exe = chromium_path()
    if not exe:
        print("SKIP: no chromium found (scripts/deps installs Debian's chromium); the HTML report was not rendered")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="er-browser-")
    try:
        cases = [("example", f"{ROOT}/inventory/example"),
                 ("device-failed", f"{GOLDEN}/device-failed"),
                 ("attestations", f"{GOLDEN}/attestations"),
                 ("fail-on-medium", f"{GOLDEN}/fail-on-medium"),
                 ("hostile", hostile_case(tmp)),
                 ("user-rules", f"{GOLDEN}/user-rules"),
                 ("drift", f"{GOLDEN}/asym-001-fail")]
        # A history whose last run passed everything: the drift case has new findings.
        audit(binary, f"{GOLDEN}/all-pass", f"{tmp}/baseline", ["--history", f"{tmp}/h.db"])
        for fmt in ("json", "html"):
            shutil.copyfile(f"{tmp}/h.db", f"{tmp}/h-{fmt}.db")
        hist = {fmt: ["--history", f"{tmp}/h-{fmt}.db"] for fmt in ("json", "html")}
        reps, frames = {}, []
        for name, d in cases:
            args = open(f"{d}/args").read().split() if os.path.exists(f"{d}/args") else []
            reps[name] = audit(binary, d, f"{tmp}/{name}", args, hist if name == "drift" else None)
            frames.append(f'<iframe id="{name}" src="{name}/r.html" width="{VIEW[0]}" height="{VIEW[1]}"></iframe>')
        open(f"{tmp}/harness.html", "w").write(HARNESS % "\n".join(frames))
        dump = chromium(exe, tmp, ["--allow-file-access-from-files", "--dump-dom", "--virtual-time-budget=20000",
                                   f"--window-size={VIEW[0]},{VIEW[1]}"], f"file://{tmp}/harness.html")
        m = re.search(r'<pre id="result">(.*?)</pre>', dump, re.S)
        if not check(m and m.group(1), "Chromium rendered the harness and its frames"):
            sys.exit(1)
        res = json.loads(html.unescape(m.group(1)))
        for name, _ in cases:
            r = res.get(name, {})
            if not check("dom" in r, f"{name}: Chromium read the report ({r.get('error', 'ok')})"):
                continue
            t = check_dom(name, reps[name], r["dom"], open(f"{tmp}/{name}/r.html").read())
            check(r["unresolved"] == [], f"{name}: every link resolves in the browser ({r['unresolved'][:3]})")
            check(r["summaryTop"] is not None and r["summaryTop"] < r["viewport"],
                  f"{name}: the summary starts on the first screen (at {r['summaryTop']:.0f} px)")
            if r["firstTopLink"] is not None:
                check(r["firstTopLink"] < r["viewport"],
                      f"{name}: the first critical or high finding is linked on the first screen "
                      f"(at {r['firstTopLink']:.0f} px of {r['viewport']})")
            cols = {k: v for k, v in r["colours"].items() if v}
            check(len(set(cols.values())) == len(cols), f"{name}: each severity has its own colour ({cols})")
            if r["below"]:
                check(r["below"]["border"] == "dashed" and r["below"]["bg"] not in cols.values(),
                      f"{name}: a badge below fail-on is dashed, not filled ({r['below']})")
            check(r["printRules"] >= 1, f"{name}: the style sheet has print rules")
            check(r["findings"] > 0 and r["splittable"] == 0,
                  f"{name}: in print no finding may be split across pages ({r['findings']} findings)")
            check(r["passesShownScreen"] == 0 and r["passesShownPrint"] == r["passes"],
                  f"{name}: the {r['passes']} passing checks are folded on screen and printed "
                  f"({r['passesShownScreen']} shown on screen, {r['passesShownPrint']} in print)")
            check(r["devicesBreak"] == "page", f"{name}: in print the device view starts a page")
            if name == "hostile":
                text = t.root.all_text()
                check(all(h in text for h in HOSTILE), "hostile: the planted markup shows as text")
        # The example as a person sees it: the critical badge's colour on the first screen.
        shot = f"{tmp}/example.png"
        chromium(exe, tmp, [f"--window-size={VIEW[0]},{VIEW[1]}", "--screenshot=" + shot],
                 f"file://{tmp}/example/r.html")
        if check(os.path.exists(shot), "a screenshot of the example's report"):
            w, h, px = png_pixels(shot)
            check((w, h) == VIEW, f"the screenshot is {VIEW[0]}x{VIEW[1]} ({w}x{h})")
            near = sum(1 for row in px for p in row if all(abs(a - b) <= 8 for a, b in zip(p, CRITICAL_RGB)))
            check(near > 200, f"critical badges are visible on the first screen ({near} pixels of their colour)")
            if keep:
                shutil.copyfile(shot, keep)
                print(f"screenshot kept in {keep}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
