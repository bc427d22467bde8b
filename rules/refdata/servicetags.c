/**
 * @file servicetags.c
 * @brief Azure service tags and Microsoft 365 endpoints: loading and the
 * derived prefix sets.
 *
 * Both files are parsed whole with the jr_* reader and kept: names and URLs
 * point into the parsed document, prefixes live in one array per file.
 */
#include "servicetags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata.h"

static er_code
svc_bad(const struct jr_doc *doc, long i, struct er_err *err, const char *expected, const char *got)
{
    return er_set(err, ER_EINVAL, "%s:%u: expected %s, got %.200s", doc->name, i >= 0 ? doc->v[i].line : 1, expected,
            got ? got : "nothing");
}

/* Number of string children of array @p arr (prefixes or URLs), or -1 when it is not an array of strings. */
static long
svc_count_strings(const struct jr_doc *doc, long arr)
{
    long c, n = 0;

    if (arr < 0)
        return 0;
    if (doc->v[arr].type != JR_ARR)
        return -1;
    JR_FOR(doc, (size_t)arr, c) {
        if (doc->v[c].type != JR_STR)
            return -1;
        n++;
    }
    return n;
}

/* Parse the prefixes of array @p arr into @p out; returns how many. */
static er_code
svc_prefixes(const struct jr_doc *doc, long arr, struct pfx *out, size_t *n, struct er_err *err)
{
    long c;

    *n = 0;
    if (arr < 0)
        return ER_OK;
    JR_FOR(doc, (size_t)arr, c) {
        if (pfx_parse(doc->v[c].s, &out[*n], 0))
            return svc_bad(doc, c, err, "an IPv4 or IPv6 prefix", doc->v[c].s);
        (*n)++;
    }
    return ER_OK;
}

static long
svc_num(const struct jr_doc *doc, long i)
{
    return i >= 0 && doc->v[i].type == JR_NUM ? strtol(doc->v[i].s, NULL, 10) : 0;
}

/* Either @p f, opened by the caller, or the file at @p path. */
static er_code
svc_parse(FILE *f, const char *path, struct jr_doc *doc, struct er_err *err)
{
    return f ? jr_parse_fp(f, path, doc, err) : jr_parse_file(path, doc, err);
}

er_code
svc_load_tags(struct svc_data *d, const char *path, struct er_err *err)
{
    return svc_load_tags_fp(d, NULL, path, err);
}

er_code
svc_load_tags_fp(struct svc_data *d, FILE *f, const char *path, struct er_err *err)
{
    struct jr_doc *doc = &d->tags_doc;
    long values, v, props, arr;
    size_t total = 0, k = 0, used = 0;
    struct pfx *pv = NULL;
    er_code rc;

    if (doc->v)
        return er_set(err, ER_EINVAL, "%s: a service-tags file is loaded already", path);
    if ((rc = svc_parse(f, path, doc, err)))
        return rc;
    if (doc->v[0].type != JR_OBJ)
        return svc_bad(doc, 0, err, "an object with 'values' (a ServiceTags_Public file)", "another JSON value");
    values = jr_get(doc, 0, "values");
    if (values < 0 || doc->v[values].type != JR_ARR)
        return svc_bad(doc, values < 0 ? 0 : values, err, "a 'values' array of service tags",
                values < 0 ? "no 'values'" : "another JSON value");
    d->cloud = jr_str(doc, 0, "cloud");
    d->change_number = svc_num(doc, jr_get(doc, 0, "changeNumber"));

    /* First pass: count tags and prefixes, check the shape. */
    JR_FOR(doc, (size_t)values, v) {
        long n;

        if (doc->v[v].type != JR_OBJ || !jr_str(doc, (size_t)v, "name"))
            return svc_bad(doc, v, err, "a service tag object with a 'name'", "something else");
        props = jr_get(doc, (size_t)v, "properties");
        if (props < 0 || doc->v[props].type != JR_OBJ)
            return svc_bad(doc, v, err, "'properties' for the tag", jr_str(doc, (size_t)v, "name"));
        if ((n = svc_count_strings(doc, jr_get(doc, (size_t)props, "addressPrefixes"))) < 0)
            return svc_bad(doc, props, err, "'addressPrefixes' as an array of strings", jr_str(doc, (size_t)v, "name"));
        total += (size_t)n;
        k++;
    }
    if (!(d->tags = calloc(k ? k : 1, sizeof *d->tags)) || !(d->tag_pfx = malloc((total ? total : 1) * sizeof *pv)))
        return er_set(err, ER_ENOMEM, "%s: out of memory", path);
    pv = d->tag_pfx;
    JR_FOR(doc, (size_t)values, v) {
        struct svc_tag *t = &d->tags[d->n_tags++];
        const char *s;

        props = jr_get(doc, (size_t)v, "properties");
        t->name = jr_str(doc, (size_t)v, "name");
        t->region = (s = jr_str(doc, (size_t)props, "region")) ? s : "";
        t->service = (s = jr_str(doc, (size_t)props, "systemService")) ? s : "";
        t->line = doc->v[v].line;
        t->p = pv + used;
        arr = jr_get(doc, (size_t)props, "addressPrefixes");
        if ((rc = svc_prefixes(doc, arr, t->p, &t->n, err)))
            return rc;
        used += t->n;
    }
    return ER_OK;
}

er_code
svc_load_m365(struct svc_data *d, const char *path, struct er_err *err)
{
    return svc_load_m365_fp(d, NULL, path, err);
}

er_code
svc_load_m365_fp(struct svc_data *d, FILE *f, const char *path, struct er_err *err)
{
    struct jr_doc *doc = &d->m365_doc;
    size_t k = 0, total = 0, nurls = 0, used = 0, uused = 0;
    struct pfx *pv;
    long r, c;
    er_code rc;

    if (doc->v)
        return er_set(err, ER_EINVAL, "%s: a Microsoft 365 endpoints file is loaded already", path);
    if ((rc = svc_parse(f, path, doc, err)))
        return rc;
    if (doc->v[0].type != JR_ARR)
        return svc_bad(doc, 0, err, "an array of endpoint sets (the endpoints web service format)",
                "another JSON value");
    JR_FOR(doc, 0, r) {
        long np, nu, id = jr_get(doc, (size_t)r, "id");

        if (doc->v[r].type != JR_OBJ || id < 0 || doc->v[id].type != JR_NUM || !jr_str(doc, (size_t)r, "serviceArea"))
            return svc_bad(doc, r, err, "an endpoint set with a numeric 'id' and a 'serviceArea'", "something else");
        if ((np = svc_count_strings(doc, jr_get(doc, (size_t)r, "ips"))) < 0)
            return svc_bad(doc, r, err, "'ips' as an array of strings", "something else");
        if ((nu = svc_count_strings(doc, jr_get(doc, (size_t)r, "urls"))) < 0)
            return svc_bad(doc, r, err, "'urls' as an array of strings", "something else");
        total += (size_t)np;
        nurls += (size_t)nu;
        k++;
    }
    if (!(d->m365 = calloc(k ? k : 1, sizeof *d->m365)) || !(d->m365_pfx = malloc((total ? total : 1) * sizeof *pv)) ||
            !(d->urls = malloc((nurls ? nurls : 1) * sizeof *d->urls)))
        return er_set(err, ER_ENOMEM, "%s: out of memory", path);
    pv = d->m365_pfx;
    JR_FOR(doc, 0, r) {
        struct svc_m365 *e = &d->m365[d->n_m365++];
        long er = jr_get(doc, (size_t)r, "expressRoute"), rq = jr_get(doc, (size_t)r, "required");
        long urls = jr_get(doc, (size_t)r, "urls");

        e->id = svc_num(doc, jr_get(doc, (size_t)r, "id"));
        e->area = jr_str(doc, (size_t)r, "serviceArea");
        e->category = jr_str(doc, (size_t)r, "category");
        e->express_route = er >= 0 && doc->v[er].type == JR_TRUE;
        e->required = rq >= 0 && doc->v[rq].type == JR_TRUE;
        e->line = doc->v[r].line;
        e->p = pv + used;
        if ((rc = svc_prefixes(doc, jr_get(doc, (size_t)r, "ips"), e->p, &e->n, err)))
            return rc;
        used += e->n;
        e->urls = d->urls + uused;
        if (urls >= 0) {
            JR_FOR(doc, (size_t)urls, c)
                d->urls[uused++] = doc->v[c].s;
        }
        e->n_urls = (size_t)(d->urls + uused - e->urls);
    }
    return ER_OK;
}

void
svc_free(struct svc_data *d)
{
    if (!d)
        return;
    free(d->m365);
    free(d->tags);
    free(d->tag_pfx);
    free(d->m365_pfx);
    free(d->urls);
    jr_free(&d->tags_doc);
    jr_free(&d->m365_doc);
    memset(d, 0, sizeof *d);
}

const struct svc_tag *
svc_tag_find(const struct svc_data *d, const char *name)
{
    size_t i;

    for (i = 0; d && name && i < d->n_tags; i++) {
        if (!strcmp(d->tags[i].name, name))
            return &d->tags[i];
    }
    return NULL;
}

/* 1 when @p t is a regional variant of @p want ("Want.Region") for one of @p regions. */
static int
svc_regional(const struct svc_tag *t, const char *want, const char *const *regions, size_t n_regions)
{
    size_t wl = strlen(want), i;
    char a[128], b[128];

    if (strncmp(t->name, want, wl) || t->name[wl] != '.')
        return 0;
    ref_fold(*t->region ? t->region : t->name + wl + 1, a, sizeof a);
    for (i = 0; i < n_regions; i++) {
        if (!strcmp(a, ref_fold(regions[i], b, sizeof b)))
            return 1;
    }
    return 0;
}

er_code
svc_derive(const struct svc_data *d, const char *const *want, size_t n_want, const char *const *regions,
        size_t n_regions, svc_emit_fn emit, void *arg, struct er_err *err)
{
    const struct svc_tag *g;
    char name[160];
    size_t w, i;
    er_code rc;

    for (w = 0; w < n_want; w++) {
        int found = 0;

        for (i = 0; i < d->n_tags; i++) {
            if (!svc_regional(&d->tags[i], want[w], regions, n_regions))
                continue;
            found = 1;
            if ((rc = emit(arg, d->tags[i].name, d->tags[i].p, d->tags[i].n, err)))
                return rc;
        }
        if (!found && (g = svc_tag_find(d, want[w])) && (rc = emit(arg, g->name, g->p, g->n, err)))
            return rc;
    }
    for (i = 0; i < d->n_m365; i++) {
        const struct svc_m365 *e = &d->m365[i];

        if (!e->express_route || !e->n)
            continue;
        snprintf(name, sizeof name, "M365.%s.%ld", e->area, e->id);
        if ((rc = emit(arg, name, e->p, e->n, err)))
            return rc;
    }
    return ER_OK;
}

struct svc_fill {
    struct lyd_node *services;
};

static er_code
svc_emit_model(void *arg, const char *name, const struct pfx *p, size_t n, struct er_err *err)
{
    struct svc_fill *f = arg;
    struct lyd_node *set;
    char buf[PFX_STRLEN];
    size_t i;
    er_code rc;

    if (!n)
        return ER_OK;
    ER_TRY(rc, model_list(f->services, "prefix-set", name, &set, err), done);
    for (i = 0; i < n; i++)
        ER_TRY(rc, model_leaflist(set, "prefix", pfx_format(&p[i], buf), err), done);
done:
    return rc;
}

er_code
svc_fill_model(const struct refdata *ref, struct er_model *m, struct er_err *err)
{
    const struct svc_data *d = ref_services(ref);
    const char *regions[64];
    const char *const *want;
    struct lyd_node *t, *x;
    struct svc_fill f = {0};
    size_t nr = 0, nw;
    er_code rc;

    if (!d || (!d->n_tags && !d->n_m365))
        return ER_OK;
    t = model_child(m->net, "tenant");
    MODEL_FOR(t, "azure-region", x) {
        if (nr < sizeof regions / sizeof *regions)
            regions[nr++] = model_value(x);
    }
    nw = ref_service_tag_names(ref, &want);
    ER_TRY(rc, model_cont(m->net, "services", &f.services, err), done);
    rc = svc_derive(d, want, nw, regions, nr, svc_emit_model, &f, err);
done:
    return rc ? er_wrap(err, "services: ") : ER_OK;
}
