/**
 * @file collect.c
 * @brief Live collection: every collector over the inventory, one snapshot.
 */
#include "collect.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "normalize.h"
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
    er_code rc;

    /* A full Internet table is not worth keeping: only routes toward the
     * Microsoft service prefixes and the circuits' prefixes are. */
    ER_TRY(rc, norm_interest(ctx, inv, opts->ref, &keep, &n_keep, err), fail);
    ER_TRY(rc, snap_writer_begin(ctx, outdir, opts->force, &w, err), fail);
    ER_TRY(rc, snap_copy_in(w, invpath, "inventory.yaml", err), fail);
    ER_TRY(rc, copy_data_files(w, inv, err), fail);

    /* Each collector (NETCONF: a thread pool; SNMP: one event loop of walks)
     * marks its devices in the manifest; the snapshot is renamed into place
     * only when all are done. */
    co = (struct collector_opts){.jobs = opts->jobs > 0 ? (unsigned)opts->jobs : 0,
            .accept_new_host_keys = opts->accept_new_host_keys, .keep_device_secrets = opts->keep_device_secrets,
            .sample_interval_ms = opts->sample_interval_ms, .keep = keep, .n_keep = n_keep};
    if (opts->keep_device_secrets)
        snap_writer_keeps_secrets(w);
    c = collectors(&n_c);
    for (i = 0; i < n_c; i++)
        ER_TRY(rc, c[i].collect(inv, w, &co, err), fail);
    free(keep);
    return snap_writer_commit(w, err);
fail:
    free(keep);
    snap_writer_abort(w);
    return rc;
}

void
collect_remove(const char *dir)
{
    cleanup_rm_tree(dir);
    cleanup_drop(dir);
}
