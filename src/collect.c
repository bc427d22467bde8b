/**
 * @file collect.c
 * @brief Live collection: every collector over the inventory, one snapshot.
 */
#include "collect.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot.h"

#include "../collectors/netconf/client.h"
#include "../collectors/snmp/session.h"

er_code
collect_run(struct ly_ctx *ctx, const struct inventory *inv, const char *invpath, const char *outdir, int jobs,
        int accept_new_host_keys, struct er_err *err)
{
    struct snap_writer *w = NULL;
    struct ncc_opts nc;
    struct snmps_opts sn;
    er_code rc;

    ER_TRY(rc, snap_writer_begin(ctx, outdir, &w, err), fail);
    ER_TRY(rc, snap_copy_in(w, invpath, "inventory.yaml", err), fail);
    /* NETCONF devices are collected by a thread pool; SNMP walks run in one
     * event loop. Each marks its devices in the manifest; the snapshot is
     * renamed into place only when both are done. */
    ncc_opts_default(&nc);
    if (jobs > 0)
        nc.jobs = jobs;
    nc.accept_new_host_keys = accept_new_host_keys;
    ER_TRY(rc, ncc_collect(inv, w, &nc, err), fail);
    snmps_opts_default(&sn);
    ER_TRY(rc, snmps_collect(inv, w, &sn, err), fail);
    return snap_writer_commit(w, err);
fail:
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
