/**
 * @file servicetags.c
 * @brief Azure service tags and Microsoft 365 endpoints: loading and the
 * derived prefix sets.
 *
 * Both files are parsed whole with json-c (src/jsonfile.c) and kept: names
 * and URLs point into the parsed documents, prefixes live in one array per
 * file. A value found wrong is named with its file and line, located again
 * in the text (jsonfile_line_of()), which is kept only while loading.
 */
#include "servicetags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonfile.h"
#include "refdata.h"

/* A file being loaded: its name and text, for messages. */
struct svc_src {
    const char *path;
    char *text;
    size_t len;
};

/* "FILE:LINE: expected ..., got ..." for the value at @p at (@p n steps). */
static er_code
svc_bad(const struct svc_src *s, const struct jsonfile_step *at, size_t n, struct er_err *err, const char *expected,
        const char *got)
{
    return er_set(err, ER_EINVAL, "%s:%u: expected %s, got %.200s", s->path, jsonfile_line_of(s->text, s->len, at, n),
            expected, got ? got : "nothing");
}

static int
svc_has(const struct json_object *o, const char *key)
{
    return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, NULL);
}

/* Number of strings in member @p key of @p o (prefixes or URLs): 0 when absent, -1 when not an array of strings. */
static long
svc_count_strings(const struct json_object *o, const char *key)
{
    struct json_object *arr;
    size_t i, n;

    if (!svc_has(o, key))
        return 0;
    if (!(arr = jsonfile_member(o, key, json_type_array)))
        return -1;
    n = json_object_array_length(arr);
    for (i = 0; i < n; i++) {
        if (!json_object_is_type(json_object_array_get_idx(arr, i), json_type_string))
            return -1;
    }
    return (long)n;
}

/* Parse the prefixes of member @p key of @p o into @p out; @p at is the path to @p o (room for two more steps). */
static er_code
svc_prefixes(const struct svc_src *s, const struct json_object *o, const char *key, struct jsonfile_step *at,
        size_t n_at, struct pfx *out, size_t *n, struct er_err *err)
{
    struct json_object *arr = jsonfile_member(o, key, json_type_array);
    size_t i, len = arr ? json_object_array_length(arr) : 0;

    *n = 0;
    for (i = 0; i < len; i++) {
        const char *p = json_object_get_string(json_object_array_get_idx(arr, i));

        if (pfx_parse(p, &out[*n], 0)) {
            at[n_at] = (struct jsonfile_step){key, 0};
            at[n_at + 1] = (struct jsonfile_step){NULL, i};
            return svc_bad(s, at, n_at + 2, err, "an IPv4 or IPv6 prefix", p);
        }
        (*n)++;
    }
    return ER_OK;
}

/* An integer member, 0 when absent or not a number. */
static long
svc_num(const struct json_object *o, const char *key)
{
    struct json_object *v;

    if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
            !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        return 0;
    return (long)json_object_get_int64(v);
}

/* Whether member @p key of @p o is a number. */
static int
svc_num_ok(const struct json_object *o, const char *key)
{
    return jsonfile_member(o, key, json_type_int) || jsonfile_member(o, key, json_type_double);
}

/* Read and parse @p f (opened by the caller) or @p path into @p doc, keeping the text in @p s. */
static er_code
svc_parse(FILE *f, const char *path, struct svc_src *s, struct json_object **doc, struct er_err *err)
{
    er_code rc;

    s->path = path;
    if ((rc = jsonfile_load(path, f, &s->text, &s->len, err)))
        return rc;
    return jsonfile_parse(path, s->text, s->len, doc, err);
}

er_code
svc_load_tags(struct svc_data *d, const char *path, struct er_err *err)
{
    return svc_load_tags_fp(d, NULL, path, err);
}

/* Check the tags' shape and count their prefixes. */
static er_code
svc_tags_shape(const struct svc_src *s, struct json_object *values, size_t *total, struct er_err *err)
{
    size_t i, n = json_object_array_length(values);
    struct jsonfile_step at[4] = {{"values", 0}, {NULL, 0}, {"properties", 0}};
    long k;

    for (i = 0; i < n; i++) {
        struct json_object *v = json_object_array_get_idx(values, i), *props;

        at[1].index = i;
        if (!jsonfile_str(v, "name"))
            return svc_bad(s, at, 2, err, "a service tag object with a 'name'", "something else");
        if (!(props = jsonfile_member(v, "properties", json_type_object)))
            return svc_bad(s, at, 2, err, "'properties' for the tag", jsonfile_str(v, "name"));
        if ((k = svc_count_strings(props, "addressPrefixes")) < 0) {
            at[3] = (struct jsonfile_step){"addressPrefixes", 0};
            return svc_bad(s, at, 3, err, "'addressPrefixes' as an array of strings", jsonfile_str(v, "name"));
        }
        *total += (size_t)k;
    }
    return ER_OK;
}

er_code
svc_load_tags_fp(struct svc_data *d, FILE *f, const char *path, struct er_err *err)
{
    struct svc_src s = {0};
    struct json_object *doc, *values;
    struct jsonfile_step at[5] = {{"values", 0}, {NULL, 0}, {"properties", 0}};
    size_t total = 0, used = 0, i, n;
    er_code rc;

    if (d->tags_doc)
        return er_set(err, ER_EINVAL, "%s: a service-tags file is loaded already", path);
    ER_TRY(rc, svc_parse(f, path, &s, &d->tags_doc, err), cleanup);
    doc = d->tags_doc;
    ER_CHECK_GOTO(!json_object_is_type(doc, json_type_object), rc,
            svc_bad(&s, NULL, 0, err, "an object with 'values' (a ServiceTags_Public file)", "another JSON value"),
            cleanup);
    ER_CHECK_GOTO(!(values = jsonfile_member(doc, "values", json_type_array)), rc,
            svc_bad(&s, at, svc_has(doc, "values"), err, "a 'values' array of service tags",
                    svc_has(doc, "values") ? "another JSON value" : "no 'values'"), cleanup);
    d->cloud = jsonfile_str(doc, "cloud");
    d->change_number = svc_num(doc, "changeNumber");
    ER_TRY(rc, svc_tags_shape(&s, values, &total, err), cleanup);
    n = json_object_array_length(values);
    ER_CHECK_GOTO(!(d->tags = calloc(n ? n : 1, sizeof *d->tags)) ||
            !(d->tag_pfx = malloc((total ? total : 1) * sizeof *d->tag_pfx)), rc,
            er_set(err, ER_ENOMEM, "%s: out of memory", path), cleanup);
    for (i = 0; i < n; i++) {
        struct json_object *v = json_object_array_get_idx(values, i), *props = jsonfile_member(v, "properties",
                json_type_object);
        struct svc_tag *t = &d->tags[d->n_tags++];
        const char *str;

        t->name = jsonfile_str(v, "name");
        t->region = (str = jsonfile_str(props, "region")) ? str : "";
        t->service = (str = jsonfile_str(props, "systemService")) ? str : "";
        t->p = d->tag_pfx + used;
        at[1].index = i;
        ER_TRY(rc, svc_prefixes(&s, props, "addressPrefixes", at, 3, t->p, &t->n, err), cleanup);
        used += t->n;
    }
cleanup:
    free(s.text);
    return rc;
}

er_code
svc_load_m365(struct svc_data *d, const char *path, struct er_err *err)
{
    return svc_load_m365_fp(d, NULL, path, err);
}

/* Check the endpoint sets' shape and count their prefixes and URLs. */
static er_code
svc_m365_shape(const struct svc_src *s, struct json_object *doc, size_t *total, size_t *nurls, struct er_err *err)
{
    size_t i, n = json_object_array_length(doc);
    struct jsonfile_step at[1] = {{NULL, 0}};
    long np, nu;

    for (i = 0; i < n; i++) {
        struct json_object *r = json_object_array_get_idx(doc, i);

        at[0].index = i;
        if (!json_object_is_type(r, json_type_object) || !svc_num_ok(r, "id") || !jsonfile_str(r, "serviceArea"))
            return svc_bad(s, at, 1, err, "an endpoint set with a numeric 'id' and a 'serviceArea'", "something else");
        if ((np = svc_count_strings(r, "ips")) < 0)
            return svc_bad(s, at, 1, err, "'ips' as an array of strings", "something else");
        if ((nu = svc_count_strings(r, "urls")) < 0)
            return svc_bad(s, at, 1, err, "'urls' as an array of strings", "something else");
        *total += (size_t)np;
        *nurls += (size_t)nu;
    }
    return ER_OK;
}

er_code
svc_load_m365_fp(struct svc_data *d, FILE *f, const char *path, struct er_err *err)
{
    struct svc_src s = {0};
    struct json_object *doc;
    struct jsonfile_step at[3] = {{NULL, 0}};
    size_t total = 0, nurls = 0, used = 0, uused = 0, i, j, n;
    er_code rc;

    if (d->m365_doc)
        return er_set(err, ER_EINVAL, "%s: a Microsoft 365 endpoints file is loaded already", path);
    ER_TRY(rc, svc_parse(f, path, &s, &d->m365_doc, err), cleanup);
    doc = d->m365_doc;
    ER_CHECK_GOTO(!json_object_is_type(doc, json_type_array), rc,
            svc_bad(&s, NULL, 0, err, "an array of endpoint sets (the endpoints web service format)",
                    "another JSON value"), cleanup);
    ER_TRY(rc, svc_m365_shape(&s, doc, &total, &nurls, err), cleanup);
    n = json_object_array_length(doc);
    ER_CHECK_GOTO(!(d->m365 = calloc(n ? n : 1, sizeof *d->m365)) ||
            !(d->m365_pfx = malloc((total ? total : 1) * sizeof *d->m365_pfx)) ||
            !(d->urls = malloc((nurls ? nurls : 1) * sizeof *d->urls)), rc,
            er_set(err, ER_ENOMEM, "%s: out of memory", path), cleanup);
    for (i = 0; i < n; i++) {
        struct json_object *r = json_object_array_get_idx(doc, i), *urls = jsonfile_member(r, "urls", json_type_array);
        struct svc_m365 *e = &d->m365[d->n_m365++];
        struct json_object *er = jsonfile_member(r, "expressRoute", json_type_boolean);
        struct json_object *rq = jsonfile_member(r, "required", json_type_boolean);

        e->id = svc_num(r, "id");
        e->area = jsonfile_str(r, "serviceArea");
        e->category = jsonfile_str(r, "category");
        e->express_route = er && json_object_get_boolean(er);
        e->required = rq && json_object_get_boolean(rq);
        e->p = d->m365_pfx + used;
        at[0].index = i;
        ER_TRY(rc, svc_prefixes(&s, r, "ips", at, 1, e->p, &e->n, err), cleanup);
        used += e->n;
        e->urls = d->urls + uused;
        for (j = 0; urls && j < json_object_array_length(urls); j++)
            d->urls[uused++] = json_object_get_string(json_object_array_get_idx(urls, j));
        e->n_urls = (size_t)(d->urls + uused - e->urls);
    }
cleanup:
    free(s.text);
    return rc;
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
    json_object_put(d->tags_doc);
    json_object_put(d->m365_doc);
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
