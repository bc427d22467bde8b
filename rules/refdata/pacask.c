/**
 * @file pacask.c
 * @brief The endpoints the clients' PAC file is asked about, evaluated in one run.
 */
#include "pacask.h"

#include <stdlib.h>
#include <string.h>

#include "pac.h"
#include "refdata.h"
#include "servicetags.h"

/* A host name standing for @p pattern ("*.x.com" -> "eraudit-probe.x.com"). */
static void
probe_host(const char *pattern, char *buf, size_t size)
{
    size_t o = 0;

    for (; *pattern && o + 14 < size; pattern++) {
        if (*pattern == '*') {
            memcpy(buf + o, "eraudit-probe", 13);
            o += 13;
        } else {
            buf[o++] = *pattern;
        }
    }
    buf[o] = '\0';
}

static int
ask_add(struct pac_asks *a, size_t *cap, const char *pattern, int er, const char *what)
{
    struct pac_ask *x;

    if (a->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        struct pac_ask *v = realloc(a->v, ncap * sizeof *v);

        if (!v)
            return -1;
        a->v = v;
        *cap = ncap;
    }
    x = &a->v[a->n++];
    memset(x, 0, sizeof *x);
    x->pattern = pattern;
    x->what = what;
    x->expressroute = er;
    probe_host(pattern, x->host, sizeof x->host);
    return 0;
}

static int
asks_build(struct pac_asks *a, const struct refdata *r)
{
    const struct svc_data *svc = ref_services(r);
    const char *pattern;
    size_t i, j, n, cap = 0;
    int er;

    n = ref_client_endpoints(r, 0, &pattern, &er);
    for (i = 0; i < n; i++) {
        ref_client_endpoints(r, i, &pattern, &er);
        if (ask_add(a, &cap, pattern, er, er ? "ExpressRoute" : "Internet only"))
            return -1;
    }
    for (i = 0; svc && i < svc->n_m365; i++) {
        for (j = 0; j < svc->m365[i].n_urls; j++) {
            if (ask_add(a, &cap, svc->m365[i].urls[j], svc->m365[i].express_route,
                    svc->m365[i].express_route ? "Microsoft 365, ExpressRoute" : "Microsoft 365, Internet only"))
                return -1;
        }
    }
    return 0;
}

er_code
pacask_eval(const struct pac *pac, const struct refdata *r, struct pac_asks **out, struct er_err *err)
{
    struct pac_asks *a = calloc(1, sizeof *a);
    struct er_err perr = {0};
    const char **hosts = NULL;
    size_t i;

    *out = NULL;
    if (!a || asks_build(a, r) || !(hosts = calloc(a->n + 1, sizeof *hosts))) {
        pacask_free(a);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    for (i = 0; i < a->n; i++)
        hosts[i] = a->v[i].host;
    /* A child that cannot be started costs the verdict, like one that fails. */
    if (pac_eval(pac, hosts, a->n, &a->run, &perr)) {
        a->error = strdup(perr.msg);
    } else if (pac_run_error(a->run)) {
        a->error = strdup(pac_run_error(a->run));
    }
    free(hosts);
    for (i = 0; a->run && i < a->n; i++)
        a->v[i].result = pac_find(a->run, i, &a->v[i].why);
    if ((perr.code || (a->run && pac_run_error(a->run))) && !a->error) {
        pacask_free(a);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    *out = a;
    return ER_OK;
}

void
pacask_free(struct pac_asks *a)
{
    if (!a)
        return;
    pac_run_free(a->run);
    free(a->v);
    free(a->error);
    free(a);
}
