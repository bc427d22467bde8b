/**
 * @file run.c
 * @brief One audit run's inputs (run module): schema, rules, inventory,
 * reference data and a snapshot (collected live when none is given), the
 * gate of a pre-change check, and evaluating one configuration set.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "beneath.h"
#include "checklist.h"
#include "cleanup.h"
#include "collect.h"
#include "engine.h"
#include "userrules.h"

time_t
run_now(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");

    return e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
}

void
run_fmt_time(time_t t, const char *fmt, char *buf, size_t size)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, fmt, &tm);
}

void
run_phase(const char *name)
{
    static struct timespec last, last_cpu;
    struct timespec t, cpu;
    struct rusage ru;

    if (!getenv("ERAUDIT_TIMING"))
        return;
    clock_gettime(CLOCK_MONOTONIC, &t);
    /* CPU time of all threads: how well the phase used the cores. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    /* Peak RSS so far: which phase makes the peak. */
    getrusage(RUSAGE_SELF, &ru);
    if (name)
        fprintf(stderr, "timing: %-10s %8.1f ms  (cpu %.1f ms, peak RSS %ld MB)\n", name,
                (t.tv_sec - last.tv_sec) * 1e3 + (t.tv_nsec - last.tv_nsec) / 1e6,
                (cpu.tv_sec - last_cpu.tv_sec) * 1e3 + (cpu.tv_nsec - last_cpu.tv_nsec) / 1e6,
                ru.ru_maxrss / 1024);
    last = t;
    last_cpu = cpu;
}


void
run_close(struct run *s)
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
snap_data_fopen(const struct run *s, const char *kind, const char *path, int line, FILE **f, char *shown,
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
snap_data_load(struct run *s, struct er_err *err)
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
inv_data_load(struct run *s, struct er_err *err)
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
snap_inv_load(struct run *s, struct er_err *err)
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


/* Schema, rules, inventory, reference data, and a snapshot (collected live when none is given). */
er_code
run_open(const struct run_opts *o, struct run *s, struct er_err *err)
{
    int sev;
    er_code rc;

    memset(s, 0, sizeof *s);
    s->rootfd = -1;
    run_phase(NULL);
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
    run_fmt_time(run_now(), "%Y-%m-%d", s->today, sizeof s->today);
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
                    .keep_device_secrets = o->keep_device_secrets, .force = o->force, .select = o->select,
                    .progress = o->progress, .connect_timeout_ms = o->connect_timeout_ms,
                    .timeout_ms = o->timeout_ms};

            ER_TRY(rc, collect_run(s->ctx, s->inv, s->invpath, s->snapdir, &co, err), done);
        }
    }
    rc = snap_open(s->ctx, s->snapdir, &s->snap, err);
    run_phase("load");
done:
    return rc;
}

/* Whether the snapshot (directory @root) holds a candidate configuration for device @name. */
int
run_has_candidate(int root, const char *name)
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
er_code
run_candidate_gate(const struct run *s, const char *device, struct er_err *err)
{
    size_t i;
    int root = open(s->snapdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), found = 0;
    er_code rc = ER_OK;

    if (root < 0)
        return er_set(err, ER_EIO, "%s: %s", s->snapdir, strerror(errno));
    if (device)
        found = run_has_candidate(root, device);
    for (i = 0; !device && !found && i < s->inv->n_devices; i++)
        found = run_has_candidate(root, s->inv->devices[i].name);
    if (!found && device)
        rc = er_set(err, ER_EINVAL, "device '%s' has no candidate configuration in %s (netconf/candidate.xml; "
                "live, the device must serve :candidate)", device, s->snapdir);
    else if (!found)
        rc = er_set(err, ER_EINVAL, "no device has a candidate configuration in %s: nothing to check", s->snapdir);
    close(root);
    return rc;
}

/* Build the network tree (running or candidate configs) and run the rules. */
er_code
run_evaluate(struct run *s, const struct norm_opts *nopts, struct er_model **m, struct findings *f,
        struct er_err *err)
{
    er_code rc;

    ER_TRY(rc, model_new(s->ctx, m, err), done);
    ER_TRY(rc, norm_build(s->inv, s->snap, s->ref, nopts, *m, err), done);
    run_phase("normalize");
    ER_TRY(rc, engine_run(*m, s->ref, s->rules, s->n_rules, s->inv, s->today, f, err), done);
    run_phase("rules");
done:
    return rc;
}
