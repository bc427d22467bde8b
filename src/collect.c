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

#if __has_include("../collectors/netconf/client.h")
#include "../collectors/netconf/client.h"
#define HAVE_NETCONF_COLLECTOR 1
#endif
#if __has_include("../collectors/snmp/session.h")
#include "../collectors/snmp/session.h"
#define HAVE_SNMP_COLLECTOR 1
#endif

er_code
collect_run(struct ly_ctx *ctx, const struct inventory *inv, const char *invpath, const char *outdir, int jobs,
        int accept_new_host_keys, struct er_err *err)
{
    struct snap_writer *w = NULL;
    er_code rc;

    ER_TRY(rc, snap_writer_begin(ctx, outdir, &w, err), fail);
    ER_TRY(rc, snap_copy_in(w, invpath, "inventory.yaml", err), fail);
#ifdef HAVE_NETCONF_COLLECTOR
    {
        struct ncc_opts o = {0};

        ncc_opts_default(&o);
        if (jobs > 0)
            o.jobs = jobs;
        o.accept_new_host_keys = accept_new_host_keys;
        ER_TRY(rc, ncc_collect(inv, w, &o, err), fail);
    }
#endif
#ifdef HAVE_SNMP_COLLECTOR
    {
        struct snmps_opts o = {0};

        snmps_opts_default(&o);
        ER_TRY(rc, snmps_collect(inv, w, &o, err), fail);
    }
#endif
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
