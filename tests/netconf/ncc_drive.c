/**
 * @file ncc_drive.c
 * @brief Test driver: ncc_collect() over an inventory into a snapshot,
 * then one line per device: "NAME STATUS REASON".
 *
 * Usage: ncc_drive INVENTORY OUTDIR [--jobs N] [--accept-new-host-keys]
 *        [--connect-timeout MS] [--rpc-timeout MS] [--max-reply BYTES]
 *        [--schema-cache DIR] [--no-schemas]
 * Exit: 0 all collected, 3 some device not collected, 2 usage/inventory, 1 other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "model.h"

int
main(int argc, char **argv)
{
    struct ncc_opts o;
    struct inventory *inv = NULL;
    struct snap_writer *w = NULL;
    struct snapshot *s = NULL;
    struct ly_ctx *ctx = NULL;
    struct er_err err = {0};
    int rc = 1, incomplete = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: ncc_drive INVENTORY OUTDIR [options]\n");
        return 2;
    }
    ncc_opts_default(&o);
    o.schema_cache = "";
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";

        if (!strcmp(a, "--accept-new-host-keys"))
            o.accept_new_host_keys = 1;
        else if (!strcmp(a, "--no-schemas"))
            o.fetch_schemas = 0;
        else if (!strcmp(a, "--jobs") && ++i)
            o.jobs = atoi(v);
        else if (!strcmp(a, "--connect-timeout") && ++i)
            o.connect_timeout_ms = atoi(v), o.connect_timeout_set = 1;
        else if (!strcmp(a, "--rpc-timeout") && ++i)
            o.rpc_timeout_ms = atoi(v), o.rpc_timeout_set = 1;
        else if (!strcmp(a, "--max-reply") && ++i)
            o.max_reply_bytes = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--schema-cache") && ++i)
            o.schema_cache = v;
        else {
            fprintf(stderr, "ncc_drive: unknown option %s\n", a);
            return 2;
        }
    }
    if (inv_load(argv[1], &inv, &err)) {
        fprintf(stderr, "ncc_drive: %s\n", err.msg);
        return 2;
    }
    if (model_ctx_new(NULL, &ctx, &err) || snap_writer_begin(ctx, argv[2], 0, &w, &err))
        goto cleanup;
    if (ncc_collect(inv, w, &o, &err)) {
        snap_writer_abort(w);
        goto cleanup;
    }
    if (snap_writer_commit(w, &err) || snap_open(ctx, argv[2], &s, &err))
        goto cleanup;
    for (size_t i = 0; i < s->n_devices; i++) {
        printf("%s %s %s\n", s->devices[i].name, s->devices[i].status,
                s->devices[i].reason ? s->devices[i].reason : "-");
        if (strcmp(s->devices[i].status, "collected"))
            incomplete = 1;
    }
    rc = incomplete ? 3 : 0;
cleanup:
    if (rc == 1)
        fprintf(stderr, "ncc_drive: %s\n", err.msg);
    snap_free(s);
    inv_free(inv);
    ly_ctx_destroy(ctx);
    return rc;
}
