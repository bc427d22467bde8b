/**
 * @file audit.c
 * @brief The audit pipeline: inventory, snapshot, tree, rules, report.
 */
#include "audit.h"
#include "atomicfile.h"
#include "beneath.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../rules/checklist.h"
#include "../rules/rule.h"
#include "../rules/userrules.h"
#include "collect.h"
#include "engine.h"
#include "history.h"
#include "inventory.h"
#include "model.h"
#include "normalize.h"
#include "report/report.h"
#include "sanitize.h"
#include "snapshot.h"

/* Reproducible times for tests and golden files: SOURCE_DATE_EPOCH wins. */
static time_t
now(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");

    return e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
}

static void
fmt_time(time_t t, const char *fmt, char *buf, size_t size)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, fmt, &tm);
}

/* Phase timings on stderr when ERAUDIT_TIMING is set (benchmarks use it). */
static void
phase(const char *name)
{
    static struct timespec last, last_cpu;
    struct timespec t, cpu;

    if (!getenv("ERAUDIT_TIMING"))
        return;
    clock_gettime(CLOCK_MONOTONIC, &t);
    /* CPU time of all threads: how well the phase used the cores. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    if (name)
        fprintf(stderr, "timing: %-10s %8.1f ms  (cpu %.1f ms)\n", name,
                (t.tv_sec - last.tv_sec) * 1e3 + (t.tv_nsec - last.tv_nsec) / 1e6,
                (cpu.tv_sec - last_cpu.tv_sec) * 1e3 + (cpu.tv_nsec - last_cpu.tv_nsec) / 1e6);
    last = t;
    last_cpu = cpu;
}

static int
use_color(const char *mode, FILE *out)
{
    if (mode && !strcmp(mode, "always"))
        return 1;
    if (mode && !strcmp(mode, "never"))
        return 0;
    return isatty(fileno(out)) && !getenv("NO_COLOR");
}

/* What every audit loads before it evaluates anything. */
struct session {
    struct ly_ctx *ctx;
    struct inventory *inv;
    struct refdata *ref;
    struct snapshot *snap;
    const struct rule *rules;
    size_t n_rules;
    struct urules *urules;       /* the inventory's user rules, when it names a file */
    const char *snapdir;
    int rootfd;                  /* the snapshot auditing reads its inventory from, else -1 */
    int temp_snapshot;           /* collected for this run only: tmpdir is removed at the end */
    enum er_sev fail_on;
    char invpath[PATH_MAX];
    char today[16];
    char tmpdir[PATH_MAX];       /* a private directory holding that snapshot */
    char tmpsnap[PATH_MAX];
};

static void
session_close(struct session *s)
{
    if (s->temp_snapshot)
        collect_remove(s->tmpdir);
    snap_free(s->snap);
    if (s->rootfd >= 0)
        close(s->rootfd);
    refdata_free(s->ref);
    urules_free(s->urules);
    inv_free(s->inv);
    ly_ctx_destroy(s->ctx);
}

/*
 * A data file a snapshot's own inventory names, as a stream (NULL when none
 * is named): only ever the snapshot's file (snap_data_open()); @p shown gets
 * the name for messages and reports, as the inventory resolves it.
 */
static er_code
snap_data_fopen(const struct session *s, const char *kind, const char *path, int line, FILE **f, char *shown,
        size_t size, struct er_err *err)
{
    char rel[PATH_MAX];
    struct stat st;
    int fd;
    er_code rc;

    *f = NULL;
    ER_TRY(rc, snap_data_open(s->rootfd, s->inv->path, line, kind, path, 0, &fd, rel, sizeof rel, err), done);
    if (fd < 0)
        return ER_OK;
    inv_resolve(s->inv, rel, shown, size);
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return er_set(err, ER_EINVAL, "%s:%d: %s '%s': %s is not a regular file", s->inv->path, line, kind, path,
                shown);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!(*f = fdopen(fd, "rb"))) {
        close(fd);
        rc = er_set(err, ER_ENOMEM, "out of memory");
    }
done:
    return rc;
}

/* The data files of a snapshot's own inventory, read from the snapshot alone. */
static er_code
snap_data_load(struct session *s, struct er_err *err)
{
    const struct inventory *inv = s->inv;
    char rel[PATH_MAX], shown[PATH_MAX], mshown[PATH_MAX];
    FILE *f = NULL, *m = NULL;
    int fd = -1;
    er_code rc;

    ER_TRY(rc, snap_data_open(s->rootfd, inv->path, inv->reference_data_line, "reference-data", inv->reference_data,
            1, &fd, rel, sizeof rel, err), done);
    ER_TRY(rc, fd < 0 ? refdata_load(NULL, &s->ref, err) :
            refdata_load_at(fd, inv_resolve(inv, rel, shown, sizeof shown), &s->ref, err), done);
    ER_TRY(rc, snap_data_fopen(s, "service-tags", inv->service_tags, inv->service_tags_line, &f, shown,
            sizeof shown, err), done);
    ER_TRY(rc, snap_data_fopen(s, "m365-endpoints", inv->m365_endpoints, inv->m365_endpoints_line, &m, mshown,
            sizeof mshown, err), done);
    ER_TRY(rc, refdata_load_services_fp(s->ref, f, shown, m, mshown, err), done);
    if (f)
        fclose(f);
    f = NULL;
    ER_TRY(rc, snap_data_fopen(s, "pac-file", inv->pac_file, inv->pac_file_line, &f, shown, sizeof shown, err),
            done);
    ER_TRY(rc, refdata_load_pac_fp(s->ref, f, shown, s->inv, err), done);
    if (f)
        fclose(f);
    f = NULL;
    /* User rules are compiled against the schema here, before any device is contacted. */
    ER_TRY(rc, snap_data_fopen(s, "user-rules", inv->user_rules, inv->user_rules_line, &f, shown, sizeof shown,
            err), done);
    if (f)
        ER_TRY(rc, urules_load_fp(s->ctx, f, shown, &s->urules, err), done);
done:
    if (fd >= 0)
        close(fd);
    if (f)
        fclose(f);
    if (m)
        fclose(m);
    return rc;
}

/* The data files of an inventory given with -i, where it names them. */
static er_code
inv_data_load(struct session *s, struct er_err *err)
{
    char dbuf[PATH_MAX], tbuf[PATH_MAX], mbuf[PATH_MAX];
    er_code rc;

    /* Data paths in the inventory are relative to the inventory's directory. */
    ER_TRY(rc, refdata_load(inv_resolve(s->inv, s->inv->reference_data, dbuf, sizeof dbuf), &s->ref, err), done);
    ER_TRY(rc, refdata_load_services(s->ref, inv_resolve(s->inv, s->inv->service_tags, tbuf, sizeof tbuf),
            inv_resolve(s->inv, s->inv->m365_endpoints, mbuf, sizeof mbuf), err), done);
    ER_TRY(rc, refdata_load_pac(s->ref, inv_resolve(s->inv, s->inv->pac_file, tbuf, sizeof tbuf), s->inv, err), done);
    /* User rules are compiled against the schema here, before any device is contacted. */
    if (s->inv->user_rules)
        ER_TRY(rc, urules_load(s->ctx, inv_resolve(s->inv, s->inv->user_rules, tbuf, sizeof tbuf), &s->urules, err),
                done);
done:
    return rc;
}

/* A snapshot's own inventory, read from inside it. */
static er_code
snap_inv_load(struct session *s, struct er_err *err)
{
    FILE *f;
    er_code rc;

    ER_TRY(rc, snap_root_open(s->snapdir, &s->rootfd, err), done);
    if (!(f = beneath_fopen(s->rootfd, "inventory.yaml")))
        return er_set(err, errno == ENOENT ? ER_EIO : ER_EINVAL, "%s: cannot read: %s", s->invpath,
                beneath_strerror(errno));
    rc = inv_load_fp(f, s->invpath, &s->inv, err);
    fclose(f);
done:
    return rc;
}

/* Once per run: a snapshot collected with --keep-device-secrets holds them. */
static void
secrets_warn(const struct session *s, FILE *errout)
{
    if (s->snap && s->snap->device_secrets)
        fprintf(errout, "eraudit: warning: snapshot %s keeps the devices' secrets (collected with "
                "--keep-device-secrets): handle it as a secret\n", s->snapdir);
}

/* Schema, rules, inventory, reference data, and a snapshot (collected live when none is given). */
static er_code
session_open(const struct audit_opts *o, struct session *s, struct er_err *err)
{
    int sev;
    er_code rc;

    memset(s, 0, sizeof *s);
    s->rootfd = -1;
    phase(NULL);
    ER_TRY(rc, model_ctx_new(NULL, &s->ctx, err), done);
    s->rules = rules_builtin(&s->n_rules);
    ER_TRY(rc, engine_check_paths(s->ctx, s->rules, s->n_rules, err), done);
    s->snapdir = o->snapshot;
    if (!o->inventory && !s->snapdir) {
        rc = er_set(err, ER_EINVAL, "nothing to audit: give an inventory (-i) or a snapshot (--snapshot)");
        goto done;
    }
    /* A snapshot is a closed world: its own inventory and the data files that
     * names are read from inside it only. An inventory given with -i names
     * its files where they are. */
    if (o->inventory) {
        snprintf(s->invpath, sizeof s->invpath, "%s", o->inventory);
        ER_TRY(rc, inv_load(s->invpath, &s->inv, err), done);
        ER_TRY(rc, inv_data_load(s, err), done);
    } else {
        snprintf(s->invpath, sizeof s->invpath, "%s/inventory.yaml", s->snapdir);
        ER_TRY(rc, snap_inv_load(s, err), done);
        ER_TRY(rc, snap_data_load(s, err), done);
    }
    /* A typo in a pipeline's device name must not let the change through. */
    if (o->candidate_device && !inv_device_find(s->inv, o->candidate_device)) {
        rc = er_set(err, ER_EINVAL, "%s: no device '%s' in the inventory", s->invpath, o->candidate_device);
        goto done;
    }
    s->rules = urules_table(s->urules, &s->n_rules);
    ER_TRY(rc, checklist_check_inventory(s->inv, err), done);
    sev = sev_parse(o->fail_on ? o->fail_on : s->inv->fail_on ? s->inv->fail_on : "high");
    if (sev < 0) {
        rc = er_set(err, ER_EINVAL, "unknown severity '%s' for --fail-on (expected info|low|medium|high|critical)",
                o->fail_on);
        goto done;
    }
    s->fail_on = (enum er_sev)sev;
    fmt_time(now(), "%Y-%m-%d", s->today, sizeof s->today);
    if (getenv("ERAUDIT_TODAY"))
        snprintf(s->today, sizeof s->today, "%s", getenv("ERAUDIT_TODAY"));

    if (!s->snapdir) {
        /* Live audit: collect into a snapshot first, kept only if asked. */
        const char *tmp = getenv("TMPDIR");

        snprintf(s->tmpdir, sizeof s->tmpdir, "%s/eraudit-collect-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        s->snapdir = o->collect_to;
        if (!s->snapdir) {
            /* A private directory (0700, a name nobody else can take) holds it. */
            cleanup_hold();
            if (!mkdtemp(s->tmpdir)) {
                cleanup_release();
                rc = er_set(err, ER_EIO, "%s: cannot create a temporary directory: %s", s->tmpdir, strerror(errno));
                goto done;
            }
            s->temp_snapshot = 1;
            cleanup_add(s->tmpdir);
            cleanup_release();
            snprintf(s->tmpsnap, sizeof s->tmpsnap, "%s/snapshot", s->tmpdir);
            s->snapdir = s->tmpsnap;
        }
        {
            struct collect_opts co = {.jobs = o->jobs, .accept_new_host_keys = o->accept_new_host_keys,
                    .sample_interval_ms = o->sample_interval_ms, .ref = s->ref,
                    .keep_device_secrets = o->keep_device_secrets, .force = o->force, .select = o->select};

            ER_TRY(rc, collect_run(s->ctx, s->inv, s->invpath, s->snapdir, &co, err), done);
        }
    }
    rc = snap_open(s->ctx, s->snapdir, &s->snap, err);
    phase("load");
done:
    return rc;
}

/* Whether the snapshot (directory @root) holds a candidate configuration for device @name. */
static int
has_candidate(int root, const char *name)
{
    char rel[PATH_MAX];
    struct stat st;
    int fd, ok;

    snprintf(rel, sizeof rel, "devices/%s/netconf/candidate.xml", name);
    if ((fd = beneath_open(root, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
        return 0;
    ok = !fstat(fd, &st) && S_ISREG(st.st_mode);
    close(fd);
    return ok;
}

/*
 * A pre-change gate that checked nothing must not pass: the named device (or,
 * without one, at least one device) must have a candidate configuration.
 */
static er_code
candidate_gate(const struct session *s, const char *device, struct er_err *err)
{
    size_t i;
    int root = open(s->snapdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), found = 0;
    er_code rc = ER_OK;

    if (root < 0)
        return er_set(err, ER_EIO, "%s: %s", s->snapdir, strerror(errno));
    if (device)
        found = has_candidate(root, device);
    for (i = 0; !device && !found && i < s->inv->n_devices; i++)
        found = has_candidate(root, s->inv->devices[i].name);
    if (!found && device)
        rc = er_set(err, ER_EINVAL, "device '%s' has no candidate configuration in %s (netconf/candidate.xml; "
                "live, the device must serve :candidate)", device, s->snapdir);
    else if (!found)
        rc = er_set(err, ER_EINVAL, "no device has a candidate configuration in %s: nothing to check", s->snapdir);
    close(root);
    return rc;
}

/* Build the network tree (running or candidate configs) and run the rules. */
static er_code
evaluate(struct session *s, const struct norm_opts *nopts, struct er_model **m, struct findings *f,
        struct er_err *err)
{
    er_code rc;

    ER_TRY(rc, model_new(s->ctx, m, err), done);
    ER_TRY(rc, norm_build(s->inv, s->snap, s->ref, nopts, *m, err), done);
    phase("normalize");
    ER_TRY(rc, engine_run(*m, s->ref, s->rules, s->n_rules, s->inv, s->today, f, err), done);
    phase("rules");
done:
    return rc;
}

/*
 * A writer failed on @p af: the file's own error (its path and the cause,
 * a full disk) when it has one, else the writer's, with the path. Frees @p af.
 */
static void
output_failed(struct atomicfile *af, const char *path, struct er_err *err)
{
    struct er_err ferr = {0};
    int e = errno;

    if (atomicfile_close(af, &ferr))
        *err = ferr;
    else if (err->code == ER_EIO)
        er_wrap(err, "%s: %s: ", path, strerror(e));
    else
        er_wrap(err, "%s: ", path);
    atomicfile_abort(af);
}

/* One report of a run: a format and where it goes (NULL: stdout). */
struct report_out {
    const struct reporter *rep;
    const char *path;
    struct atomicfile *af;
};

/* The format a file's extension names, NULL when it names none. */
static const char *
ext_format(const char *path)
{
    static const struct { const char *ext, *fmt; } map[] = {
        {".json", "json"}, {".html", "html"}, {".htm", "html"}, {".xml", "junit"}, {".txt", "text"}};
    const char *base = strrchr(path, '/'), *dot;
    size_t i;

    dot = strrchr(base ? base + 1 : path, '.');
    for (i = 0; dot && i < sizeof map / sizeof *map; i++) {
        if (!strcasecmp(dot, map[i].ext))
            return map[i].fmt;
    }
    return NULL;
}

/*
 * The reports a run writes: -f/-o (the format from -o's extension when -f
 * is not given), then each --report FMT:FILE. An extension that names
 * another format than the one asked for is refused: `-o report.html`
 * must not silently hold text.
 */
static er_code
report_outs(const struct audit_opts *o, struct report_out *v, size_t *n, struct er_err *err)
{
    const char *fmt = o->format, *ext;
    size_t i;

    *n = 0;
    if (!fmt)
        fmt = o->output && ext_format(o->output) ? ext_format(o->output) : "text";
    if (!(v[0].rep = report_find(fmt)))
        return er_set(err, ER_EINVAL, "unknown format '%s' (expected %s)", fmt, report_names());
    if (o->output && (ext = ext_format(o->output)) && strcmp(ext, fmt))
        return er_set(err, ER_EINVAL, "-o %s: the extension says %s, the format is %s (give -f %s or another name)",
                o->output, ext, fmt, ext);
    v[0].path = o->output;
    *n = 1;
    for (i = 0; i < o->n_reports; i++) {
        const char *spec = o->reports[i], *colon = strchr(spec, ':');
        char name[16];
        size_t j;

        if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof name)
            return er_set(err, ER_EINVAL, "--report %s: expected FORMAT:FILE (%s)", spec, report_names());
        memcpy(name, spec, (size_t)(colon - spec));
        name[colon - spec] = '\0';
        if (!(v[*n].rep = report_find(name)))
            return er_set(err, ER_EINVAL, "--report %s: unknown format '%s' (expected %s)", spec, name,
                    report_names());
        if ((ext = ext_format(colon + 1)) && strcmp(ext, name))
            return er_set(err, ER_EINVAL, "--report %s: the extension says %s, the format is %s", spec, ext, name);
        v[*n].path = colon + 1;
        for (j = 0; j < *n; j++) {
            if (v[j].path && !strcmp(v[j].path, v[*n].path))
                return er_set(err, ER_EINVAL, "--report %s: %s is written twice", spec, v[*n].path);
        }
        (*n)++;
    }
    return ER_OK;
}

/* --dump-model FILE: the tree the rules saw, written whole or not at all. */
static er_code
dump_model(const struct er_model *m, const char *path, struct er_err *err)
{
    struct atomicfile *af;
    er_code rc;

    ER_TRY(rc, atomicfile_open(path, &af, err), done);
    if ((rc = model_print_json(m, atomicfile_stream(af), err))) {
        output_failed(af, path, err);
        goto done;
    }
    rc = atomicfile_commit(af, err);
done:
    return rc;
}

/* Record the run in the history, with the counts of the report it goes with. */
static er_code
record_run(struct history *hist, const struct report_ctx *rc, const struct findings *f, const struct hist_drift *d,
        struct er_err *err)
{
    struct hist_run run = {.at = rc->generated, .snapshot = rc->snapshot, .snapshot_created = rc->snapshot_created,
            .tool_version = ER_VERSION, .fail_on = sev_name(rc->fail_on), .exit_code = rc->exit_code,
            .rules = f->n_rules};
    struct report_counts c;

    report_count(rc, &c);
    run.devices = c.devices;
    run.not_collected = c.not_collected;
    run.passed = c.passed;
    run.failed = c.failed;
    run.not_evaluated = c.not_evaluated;
    return history_record(hist, &run, f, d, err);
}

int
audit_run(const struct audit_opts *o, FILE *errout)
{
    struct session s;
    struct er_model *m = NULL;
    struct findings f = {0};
    struct er_err err = {0};
    struct report_out outs[1 + AUDIT_MAX_REPORTS] = {{0}};
    size_t n_outs = 0, i;
    char generated[32];
    struct norm_opts nopts = {.candidate = o->candidate, .candidate_device = o->candidate_device};
    struct history *hist = NULL;
    struct hist_drift drift = {0};
    int have_drift = 0;
    int code = EXIT_BADINPUT;

    /* Every output is checked before any device is contacted. */
    if (report_outs(o, outs, &n_outs, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    /* A history that cannot be used fails the run before any device is contacted. */
    if (o->history && history_open(o->history, &hist, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    if (session_open(o, &s, &err))
        goto fail;
    secrets_warn(&s, errout);
    if ((o->candidate && candidate_gate(&s, o->candidate_device, &err)) || evaluate(&s, &nopts, &m, &f, &err))
        goto fail;
    if (hist) {
        if (history_drift(hist, &f, &drift, &err))
            goto fail;
        have_drift = 1;
    }
    if (o->dump_model)
        ER_CHECK_GOTO(dump_model(m, o->dump_model, &err), code, EXIT_BADINPUT, fail);
    code = engine_exit_code(&f, s.fail_on);
    fmt_time(now(), "%Y-%m-%dT%H:%M:%SZ", generated, sizeof generated);
    {
        struct report_ctx rc = {.f = &f, .m = m, .snapshot = o->snapshot ? o->snapshot : o->collect_to,
                .snapshot_created = s.snap->created, .generated = generated, .fail_on = s.fail_on,
                .exit_code = code, .verbose = o->verbose, .history = o->history,
                .drift = have_drift ? &drift : NULL};

        /*
         * The reports state the exit code, so the run is recorded (once, for
         * every report) before any of them can be seen: the files are written
         * whole first (a report that cannot be written is no run), then the
         * run is recorded, then stdout gets its report, then the files are
         * renamed into place. When recording fails, no report appears and the
         * exit code is 2.
         */
        for (i = 0; i < n_outs; i++) {
            if (!outs[i].path)
                continue;
            ER_CHECK_GOTO(atomicfile_open(outs[i].path, &outs[i].af, &err), code, EXIT_BADINPUT, fail);
            rc.color = use_color(o->color, atomicfile_stream(outs[i].af));
            if (report_write(outs[i].rep, atomicfile_stream(outs[i].af), &rc, &err)) {
                output_failed(outs[i].af, outs[i].path, &err);
                outs[i].af = NULL;
                goto fail;
            }
            if (atomicfile_close(outs[i].af, &err))
                goto fail;
        }
        if (hist && record_run(hist, &rc, &f, &drift, &err))
            goto fail;
        for (i = 0; i < n_outs; i++) {
            if (outs[i].path)
                continue;
            rc.color = use_color(o->color, stdout);
            if (report_write(outs[i].rep, stdout, &rc, &err))
                goto fail;
        }
        phase("report");
        for (i = 0; i < n_outs; i++) {
            er_code r = outs[i].af ? atomicfile_commit(outs[i].af, &err) : ER_OK;

            outs[i].af = NULL;
            if (r)
                goto fail;
        }
    }
    goto cleanup;

fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    for (i = 0; i < n_outs; i++)
        atomicfile_abort(outs[i].af);
    hist_drift_free(&drift);
    history_close(hist);
    /* A network of 1,000 devices is millions of nodes: freeing them one by
     * one takes longer than the rules. A process about to exit leaves them to
     * the kernel; sanitizer builds free everything so leaks stay visible. */
#if !ER_ASAN
    if (o->exiting) {
        if (s.temp_snapshot)
            collect_remove(s.tmpdir);
        fflush(NULL);
        return code;
    }
#endif
    findings_clear(&f);
    model_free(m);
    session_close(&s);
    phase("free");
    return code;
}

/* Findings are the same across two audits when rule, device, circuit and path agree. */
static int
same_finding(const struct finding *a, const struct finding *b)
{
#define SAME(x) ((!a->x && !b->x) || (a->x && b->x && !strcmp(a->x, b->x)))
    return !strcmp(a->rule, b->rule) && SAME(device) && SAME(circuit) && SAME(path) &&
            (a->path || SAME(message));
#undef SAME
}

/* Failing findings of @a that @b does not have, printed with @mark; returns how many at or above @fail_on. */
static size_t
print_only_in(FILE *out, const struct findings *a, const struct findings *b, const char *mark,
        enum er_sev fail_on, size_t *n)
{
    size_t i, j, blocking = 0;

    *n = 0;
    for (i = 0; i < a->n; i++) {
        if (a->v[i].status != ST_FAIL)
            continue;
        for (j = 0; j < b->n && !(b->v[j].status == ST_FAIL && same_finding(&a->v[i], &b->v[j])); j++)
            ;
        if (j < b->n)
            continue;
        (*n)++;
        blocking += a->v[i].sev >= fail_on && a->v[i].section != SECT_COLLECTION;
        fprintf(out, "  %s %-9s %-8s %s\n", mark, a->v[i].rule, sev_name(a->v[i].sev), a->v[i].message);
        if (a->v[i].path)
            fprintf(out, "              path      %s\n", a->v[i].path);
        if (a->v[i].seen)
            fprintf(out, "              seen      %s\n", a->v[i].seen);
    }
    return blocking;
}

int
audit_check(const struct audit_opts *o, FILE *errout)
{
    struct session s;
    struct er_model *m_run = NULL, *m_cand = NULL;
    struct findings f_run = {0}, f_cand = {0};
    struct er_err err = {0};
    struct norm_opts run = {0}, cand = {.candidate = 1, .candidate_device = o->candidate_device};
    struct atomicfile *af = NULL;
    FILE *out = stdout;
    size_t added, fixed, blocking;
    int code = EXIT_BADINPUT;

    if (session_open(o, &s, &err))
        goto fail;
    secrets_warn(&s, errout);
    if (candidate_gate(&s, o->candidate_device, &err) || evaluate(&s, &run, &m_run, &f_run, &err) ||
            evaluate(&s, &cand, &m_cand, &f_cand, &err))
        goto fail;
    if (o->output) {
        if (atomicfile_open(o->output, &af, &err))
            goto fail;
        out = atomicfile_stream(af);
    }
    fprintf(out, "eraudit check: candidate configuration%s%s against running (snapshot %s), fail-on %s\n\n",
            o->candidate_device ? " of " : "s", o->candidate_device ? o->candidate_device : "", s.snapdir,
            sev_name(s.fail_on));
    fprintf(out, "Findings the change adds:\n");
    blocking = print_only_in(out, &f_cand, &f_run, "+", s.fail_on, &added);
    if (!added)
        fprintf(out, "  none\n");
    fprintf(out, "\nFindings the change removes:\n");
    print_only_in(out, &f_run, &f_cand, "-", s.fail_on, &fixed);
    if (!fixed)
        fprintf(out, "  none\n");
    code = blocking ? EXIT_FINDINGS : engine_incomplete(&f_cand) ? EXIT_INCOMPLETE : EXIT_OK;
    fprintf(out, "\n%zu added (%zu at or above %s), %zu removed: %s\n", added, blocking, sev_name(s.fail_on), fixed,
            blocking ? "the change is blocked (exit 1)" : "the change adds nothing at or above fail-on");
    if (af) {
        er_code r = atomicfile_commit(af, &err);

        af = NULL;
        if (r)
            goto fail;
    } else if (fflush(out) || ferror(out)) {
        er_set(&err, ER_EIO, "standard output: cannot write: %s", strerror(errno));
        goto fail;
    }
    goto cleanup;
fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    atomicfile_abort(af);
    findings_clear(&f_run);
    findings_clear(&f_cand);
    model_free(m_run);
    model_free(m_cand);
    session_close(&s);
    return code;
}

int
audit_collect(const struct audit_opts *o, FILE *errout)
{
    struct session s;
    struct er_err err = {0};
    size_t i, bad = 0;

    if (session_open(o, &s, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        session_close(&s);
        return EXIT_BADINPUT;
    }
    secrets_warn(&s, errout);
    for (i = 0; i < s.snap->n_devices; i++) {
        const struct snap_device *d = &s.snap->devices[i];

        if (strcmp(d->status, "collected")) {
            bad++;
            fprintf(errout, "eraudit: %s: %s: %s\n", d->name, d->status, d->reason ? d->reason : "no reason given");
        }
    }
    fprintf(errout, "eraudit: snapshot %s: %zu devices, %zu not fully collected\n", s.snapdir, s.snap->n_devices, bad);
    session_close(&s);
    return bad ? EXIT_INCOMPLETE : EXIT_OK;
}

int
audit_list_rules(const char *format, FILE *out, FILE *errout)
{
    const struct rule *rules;
    const struct checklist_q *qs;
    size_t n, i, nq;
    int json = format && !strcmp(format, "json");

    if (format && !json && strcmp(format, "text")) {
        fprintf(errout, "eraudit: unknown format '%s' (expected text|json)\n", format);
        return EXIT_BADINPUT;
    }
    rules = rules_builtin(&n);
    if (json)
        fputs("[\n", out);
    for (i = 0; i < n; i++) {
        char q[128];

        checklist_of_rule(rules[i].id, NULL, q, sizeof q);
        if (json)
            fprintf(out, "  {\"id\": \"%s\", \"severity\": \"%s\", \"section\": \"%s\", \"title\": \"%s\", "
                    "\"questions\": \"%s\"}%s\n", rules[i].id, sev_name(rules[i].sev), section_name(rules[i].section),
                    rules[i].title, q, i + 1 < n ? "," : "");
        else
            fprintf(out, "%-9s %-8s  %-25s  %-20s %s\n", rules[i].id, sev_name(rules[i].sev),
                    section_title(rules[i].section), q, rules[i].title);
    }
    if (json) {
        fputs("]\n", out);
        return EXIT_OK;
    }
    /* Which question of the readiness checklist each rule answers; the rest need an attestation. */
    qs = checklist_questions(&nq);
    fputs("\nChecklist questions (attest those no rule can answer in the inventory: attestations):\n", out);
    for (i = 0; i < nq; i++)
        fprintf(out, "%-9s %-25s  %s\n          rules: %s\n", qs[i].id, section_title(qs[i].section), qs[i].text,
                qs[i].rules);
    return EXIT_OK;
}

int
audit_inventory_check(const char *inventory, FILE *out, FILE *errout)
{
    struct inventory *inv = NULL;
    struct refdata *ref = NULL;
    struct er_err err = {0};

    if (inv_load(inventory, &inv, &err) || refdata_load(inv->reference_data, &ref, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        inv_free(inv);
        return EXIT_BADINPUT;
    }
    inv_print(out, inv);
    refdata_free(ref);
    inv_free(inv);
    return EXIT_OK;
}

int
audit_history(const char *path, size_t last, long run_id, FILE *out, FILE *errout)
{
    return history_print(path, last, run_id, out, errout);
}
