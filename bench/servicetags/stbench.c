/*
 * Service-tags benchmark driver: load a service-tags file, derive the
 * Power Platform prefix sets for a tenant in Europe, and fill them into a
 * network tree; best of RUNS runs of each phase, in milliseconds.
 *
 *     stbench FILE [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "refdata.h"
#include "servicetags.h"

static double
now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct tally {
    size_t sets, prefixes;
};

static er_code
count(void *arg, const char *name, const struct pfx *p, size_t n, struct er_err *err)
{
    struct tally *t = arg;

    (void)name;
    (void)p;
    (void)err;
    t->sets++;
    t->prefixes += n;
    return ER_OK;
}

int
main(int argc, char **argv)
{
    static const char *const regions[] = {"westeurope", "northeurope"};
    int runs = argc > 2 ? atoi(argv[2]) : 5, i;
    double best_load = 1e9, best_derive = 1e9, best_fill = 1e9, t0;
    struct er_err err = {0};
    struct ly_ctx *ctx = NULL;
    struct refdata *ref = NULL;
    const char *const *want;
    size_t nw, ntags = 0, npfx = 0;
    struct tally tl = {0};

    if (argc < 2) {
        fprintf(stderr, "usage: stbench FILE [RUNS]\n");
        return 2;
    }
    if (model_ctx_new(NULL, &ctx, &err) || refdata_load(NULL, &ref, &err)) {
        fprintf(stderr, "stbench: %s\n", err.msg);
        return 2;
    }
    nw = ref_service_tag_names(ref, &want);
    for (i = 0; i < runs; i++) {
        struct svc_data d = {0};
        struct refdata *r = NULL;
        struct er_model *m = NULL;
        struct lyd_node *t;
        size_t k;

        t0 = now_ms();
        if (svc_load_tags(&d, argv[1], &err)) {
            fprintf(stderr, "stbench: %s\n", err.msg);
            return 2;
        }
        if (now_ms() - t0 < best_load)
            best_load = now_ms() - t0;
        ntags = d.n_tags;
        for (npfx = 0, k = 0; k < d.n_tags; k++)
            npfx += d.tags[k].n;
        memset(&tl, 0, sizeof tl);
        t0 = now_ms();
        svc_derive(&d, want, nw, regions, 2, count, &tl, &err);
        if (now_ms() - t0 < best_derive)
            best_derive = now_ms() - t0;
        svc_free(&d);

        /* The whole path the audit takes: refdata holds the file, the normalizer fills the tree. */
        if (refdata_load(NULL, &r, &err) || model_new(ctx, &m, &err) || model_cont(m->net, "tenant", &t, &err) ||
                model_leaflist(t, "azure-region", regions[0], &err) || model_leaflist(t, "azure-region", regions[1], &err)) {
            fprintf(stderr, "stbench: %s\n", err.msg);
            return 2;
        }
        t0 = now_ms();
        if (refdata_load_services(r, argv[1], NULL, &err) || svc_fill_model(r, m, &err)) {
            fprintf(stderr, "stbench: %s\n", err.msg);
            return 2;
        }
        if (now_ms() - t0 < best_fill)
            best_fill = now_ms() - t0;
        model_free(m);
        refdata_free(r);
    }
    printf("file            %s\n", argv[1]);
    printf("tags            %zu, %zu prefixes\n", ntags, npfx);
    printf("derived         %zu sets, %zu prefixes (tenant in West + North Europe)\n", tl.sets, tl.prefixes);
    printf("load            %8.1f ms (parse + validate every prefix, best of %d)\n", best_load, runs);
    printf("derive          %8.2f ms\n", best_derive);
    printf("load+fill tree  %8.1f ms (what an audit spends: load, derive, into /network/services)\n", best_fill);
    printf("tags=%zu prefixes=%zu load_ms=%.1f derive_ms=%.2f load_fill_ms=%.1f target_ms=200 ok=%d\n", ntags, npfx,
            best_load, best_derive, best_fill, best_fill < 200);
    refdata_free(ref);
    ly_ctx_destroy(ctx);
    return 0;
}
