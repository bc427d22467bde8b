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

#include "normalize.h"
#include "snapshot.h"

#include "../collectors/netconf/client.h"
#include "../collectors/snmp/session.h"

er_code
collect_run(struct ly_ctx *ctx, const struct inventory *inv, const char *invpath, const char *outdir,
        const struct collect_opts *opts, struct er_err *err)
{
    struct snap_writer *w = NULL;
    struct ncc_opts nc;
    struct snmps_opts sn;
    struct pfx *keep = NULL;
    size_t n_keep = 0;
    er_code rc;

    /* A full Internet table is not worth keeping: only routes toward the
     * Microsoft service prefixes and the circuits' prefixes are. */
    ER_TRY(rc, norm_interest(ctx, inv, opts->ref, &keep, &n_keep, err), fail);
    ER_TRY(rc, snap_writer_begin(ctx, outdir, &w, err), fail);
    ER_TRY(rc, snap_copy_in(w, invpath, "inventory.yaml", err), fail);

    /* NETCONF devices are collected by a thread pool; SNMP walks run in one
     * event loop. Each marks its devices in the manifest; the snapshot is
     * renamed into place only when both are done. */
    ncc_opts_default(&nc);
    if (opts->jobs > 0)
        nc.jobs = (unsigned)opts->jobs;
    nc.accept_new_host_keys = opts->accept_new_host_keys;
    ER_TRY(rc, ncc_collect(inv, w, &nc, err), fail);
    snmps_opts_default(&sn);
    sn.sample_interval_ms = opts->sample_interval_ms;
    sn.keep = keep;
    sn.n_keep = n_keep;
    ER_TRY(rc, snmps_collect(inv, w, &sn, err), fail);
    free(keep);
    return snap_writer_commit(w, err);
fail:
    free(keep);
    snap_writer_abort(w);
    return rc;
}

static void
rm_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[PATH_MAX];

    if (!d) {
        unlink(path);
        return;
    }
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_tree(sub);
        }
    }
    closedir(d);
    rmdir(path);
}

void
collect_remove(const char *dir)
{
    rm_tree(dir);
}
