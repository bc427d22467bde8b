/**
 * @file snmps_drive.c
 * @brief Test and benchmark driver: runs snmps_collect() over an inventory
 * into a snapshot, the way `eraudit collect` does, and prints the time.
 *
 * Usage: snmps_drive INVENTORY OUTDIR
 * Options come from the environment (all optional): SNMPS_TIMEOUT_MS,
 * SNMPS_RETRIES, SNMPS_REPS, SNMPS_SAMPLE_MS, SNMPS_PARALLEL, SNMPS_VERBOSE,
 * SNMPS_DEVICE_TIMEOUT_MS, SNMPS_KEEP (comma-separated prefixes of interest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session.h"
#include "inventory.h"
#include "model.h"
#include "prefix.h"
#include "snapshot.h"

static unsigned
env_u(const char *name, unsigned def)
{
    const char *v = getenv(name);

    return v && *v ? (unsigned)strtoul(v, NULL, 10) : def;
}

int
main(int argc, char **argv)
{
    struct inventory *inv = NULL;
    struct ly_ctx *ctx = NULL;
    struct snap_writer *w = NULL;
    struct snmps_opts o;
    struct er_err err = { 0 };
    struct pfx keep[64];
    struct timespec t0, t1;
    int ret = 2;

    if (argc != 3) {
        fprintf(stderr, "usage: %s INVENTORY OUTDIR\n", argv[0]);
        return 2;
    }
    snmps_opts_default(&o);
    o.timeout_ms = env_u("SNMPS_TIMEOUT_MS", o.timeout_ms);
    o.retries = env_u("SNMPS_RETRIES", o.retries);
    o.max_reps = env_u("SNMPS_REPS", o.max_reps);
    o.sample_interval_ms = env_u("SNMPS_SAMPLE_MS", 0);
    o.max_parallel = env_u("SNMPS_PARALLEL", o.max_parallel);
    o.verbose = (int)env_u("SNMPS_VERBOSE", 0);
    o.device_timeout_ms = env_u("SNMPS_DEVICE_TIMEOUT_MS", o.device_timeout_ms);
    if (getenv("SNMPS_KEEP")) {
        char *list = strdup(getenv("SNMPS_KEEP")), *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t && o.n_keep < 64; t = strtok_r(NULL, ",", &save))
            if (!pfx_parse(t, &keep[o.n_keep], 0))
                o.n_keep++;
        free(list);
        o.keep = keep;
    }
    if (inv_load(argv[1], &inv, &err) || model_ctx_new(NULL, &ctx, &err) || snap_writer_begin(ctx, argv[2], 0, &w, &err))
        goto cleanup;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (snmps_collect(inv, w, &o, &err))
        goto cleanup;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ret = snap_writer_commit(w, &err) ? 2 : 0;
    w = NULL;
    printf("elapsed_s=%.3f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
cleanup:
    if (err.code)
        fprintf(stderr, "snmps_drive: %s\n", err.msg);
    snap_writer_abort(w);
    inv_free(inv);
    ly_ctx_destroy(ctx);
    return ret;
}
