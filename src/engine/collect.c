/**
 * @file collect.c
 * @brief Live collection: every collector over the inventory, one snapshot.
 */
#include "collect.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "devmap.h"
#include "normalize.h"
#include "progress.h"
#include "ptrie.h"
#include "snapshot.h"

#include "collector.h"

/* Copy the reference data directory's files into the snapshot. */
static er_code
copy_data_dir(struct snap_writer *w, const char *src, const char *name, struct er_err *err)
{
    DIR *d = opendir(src);
    struct dirent *e;
    char from[PATH_MAX], to[PATH_MAX];
    struct stat st;
    er_code rc = ER_OK;

    if (!d)
        return er_set(err, ER_EIO, "%s: cannot read the reference data directory", src);
    while (!rc && (e = readdir(d))) {
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        if (e->d_name[0] == '.' || stat(from, &st) || !S_ISREG(st.st_mode))
            continue;
        snprintf(to, sizeof to, "%s/%s", name, e->d_name);
        rc = snap_copy_in(w, from, to, err);
    }
    closedir(d);
    return rc;
}

/*
 * The data files the inventory names go into the snapshot too, so that
 * `eraudit audit --snapshot DIR` rebuilds the same report with nothing else.
 */
static er_code
copy_data_files(struct snap_writer *w, const struct inventory *inv, struct er_err *err)
{
    const struct {
        const char *kind, *path;
    } files[] = {{"service-tags", inv->service_tags}, {"m365-endpoints", inv->m365_endpoints},
        {"pac-file", inv->pac_file}, {"user-rules", inv->user_rules}};
    char src[PATH_MAX], name[PATH_MAX];
    const char *n;
    size_t i;
    er_code rc = ER_OK;

    for (i = 0; !rc && i < sizeof files / sizeof *files; i++) {
        if ((n = snap_data_name(files[i].kind, files[i].path, name, sizeof name)))
            rc = snap_copy_in(w, inv_resolve(inv, files[i].path, src, sizeof src), n, err);
    }
    if (!rc && (n = snap_data_name("reference-data", inv->reference_data, name, sizeof name)))
        rc = copy_data_dir(w, inv_resolve(inv, inv->reference_data, src, sizeof src), n, err);
    return rc;
}

/*
 * The audit's recognition on what was stored: a device whose replies no
 * mapper can read is failed (or partial) in the manifest now, with the
 * reason the audit will give, rather than "collected" until it is audited.
 */
static er_code
recognize(struct ly_ctx *ctx, const struct inventory *inv, struct snap_writer *w, const struct pfx *keep,
        size_t n_keep, struct er_err *err)
{
    const struct snap_device *devs;
    struct ptrie *interest = NULL;
    char status[16], reason[2048];
    size_t n, i;
    int root = open(snap_writer_dir(w), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    er_code rc = ER_OK;

    if (root < 0)
        return er_set(err, ER_EIO, "%s: cannot open the snapshot being written", snap_writer_dir(w));
    ER_TRY(rc, norm_interest_trie(keep, n_keep, &interest, err), done);
    devs = snap_writer_devices(w, &n);
    for (i = 0; i < n; i++) {
        const struct snap_device *d = &devs[i];
        const struct inv_device *id = inv_device_find(inv, d->name);

        if (!id || !strcmp(d->status, "failed"))
            continue;
        ER_TRY(rc, devmap_recognize(ctx, d, inv_role_name(id->role), root, snap_writer_dir(w), interest, status,
                sizeof status, reason, sizeof reason, err), done);
        if (strcmp(status, d->status) || strcmp(reason, d->reason ? d->reason : ""))
            ER_TRY(rc, snap_writer_restatus(w, d->name, status, *reason ? reason : NULL, err), done);
    }
done:
    ptrie_free(interest);
    close(root);
    return rc;
}

/*
 * Record the digest of the inventory copied into the snapshot and, for a
 * poller given a selection, which devices it was asked for: the view
 * @p sub of the inventory is what the collectors then poll.
 */
static er_code
record_selection(struct snap_writer *w, const struct inventory *inv, const struct select *sel, struct inventory *sub,
        struct er_err *err)
{
    char digest[80], what[1024];
    const char **names = NULL;
    size_t i;
    int fd;
    er_code rc;

    if ((fd = open(snap_writer_dir(w), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return er_set(err, ER_EIO, "%s: %s", snap_writer_dir(w), strerror(errno));
    rc = snap_digest(fd, "inventory.yaml", digest, sizeof digest, err);
    close(fd);
    if (rc)
        return rc;
    if (!select_partial(sel))
        return snap_writer_inventory(w, digest, NULL, NULL, 0, err);
    ER_TRY(rc, select_view(inv, sel, sub, err), done);
    if (!(names = calloc(sub->n_devices ? sub->n_devices : 1, sizeof *names)))
        return er_set(err, ER_ENOMEM, "out of memory");
    for (i = 0; i < sub->n_devices; i++)
        names[i] = sub->devices[i].name;
    rc = snap_writer_inventory(w, digest, select_describe(sel, what, sizeof what), names, sub->n_devices, err);
done:
    free(names);
    return rc;
}

/* Every (device, protocol) the collectors will report, for the progress line. */
static void
progress_start(const struct inventory *inv, const struct collector *c, size_t n_c, int mode)
{
    struct progress_unit *u = calloc(inv->n_devices * n_c + 1, sizeof *u);
    size_t n = 0;

    if (!u)
        return;     /* no progress shown: not worth failing the collection */
    for (size_t k = 0; k < n_c; k++)
        for (size_t i = 0; i < inv->n_devices; i++)
            if (inv->devices[i].collectors & c[k].inv_flag)
                u[n++] = (struct progress_unit){inv->devices[i].name, c[k].name};
    progress_begin(u, n, (enum progress_mode)mode, 0);
    free(u);
}

er_code
collect_run(struct ly_ctx *ctx, const struct inventory *inv, const char *invpath, const char *outdir,
        const struct collect_opts *opts, struct er_err *err)
{
    struct snap_writer *w = NULL;
    const struct collector *c;
    struct collector_opts co;
    size_t n_c, i;
    struct pfx *keep = NULL;
    size_t n_keep = 0;
    struct inventory sub = {0};
    struct sigaction old_pipe;
    er_code rc;

    /* A full Internet table is not worth keeping: only routes toward the
     * Microsoft service prefixes and the circuits' prefixes are. */
    ER_TRY(rc, norm_interest(ctx, inv, opts->ref, &keep, &n_keep, err), fail);
    ER_TRY(rc, snap_writer_begin(ctx, outdir, opts->force, &w, err), fail);
    ER_TRY(rc, snap_copy_in(w, invpath, "inventory.yaml", err), fail);
    ER_TRY(rc, copy_data_files(w, inv, err), fail);
    ER_TRY(rc, record_selection(w, inv, opts->select, &sub, err), fail);
    if (select_partial(opts->select))
        inv = &sub;

    /* Each collector (NETCONF: a thread pool; SNMP: one event loop of walks)
     * marks its devices in the manifest; the snapshot is renamed into place
     * only when all are done. */
    co = (struct collector_opts){.jobs = opts->jobs > 0 ? (unsigned)opts->jobs : 0,
            .accept_new_host_keys = opts->accept_new_host_keys, .keep_device_secrets = opts->keep_device_secrets,
            .sample_interval_ms = opts->sample_interval_ms, .keep = keep, .n_keep = n_keep,
            .connect_timeout_ms = opts->connect_timeout_ms, .timeout_ms = opts->timeout_ms};
    if (opts->keep_device_secrets)
        snap_writer_keeps_secrets(w);
    c = collectors(&n_c);
    /* A device's ProxyCommand/ProxyJump ssh that exits (a refused jump host) closes the pipe libssh
     * writes to: that must fail the device, not kill the process with SIGPIPE. Restored after, so a
     * report streamed into a closed stdout still ends the run as before. */
    sigaction(SIGPIPE, &(struct sigaction){.sa_handler = SIG_IGN}, &old_pipe);
    progress_start(inv, c, n_c, opts->progress);
    for (i = 0; !rc && i < n_c; i++)
        rc = c[i].collect(inv, w, &co, err);
    progress_end();
    sigaction(SIGPIPE, &old_pipe, NULL);
    if (rc)
        goto fail;
    ER_TRY(rc, recognize(ctx, inv, w, keep, n_keep, err), fail);
    free(keep);
    select_view_free(&sub);
    return snap_writer_commit(w, err);
fail:
    free(keep);
    select_view_free(&sub);
    snap_writer_abort(w);
    return rc;
}

void
collect_remove(const char *dir)
{
    cleanup_rm_tree(dir);
    cleanup_drop(dir);
}
