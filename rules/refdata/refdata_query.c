/**
 * @file refdata_query.c
 * @brief The questions rules ask of the reference data: regions, peering
 * locations, Power Platform regions, communities, limits, service tags,
 * client endpoints and special-purpose prefixes (refdata.c loads them).
 */
#include "refdata_int.h"

#include <string.h>

const char *
ref_region_geo(const struct refdata *r, const char *azure_region)
{
    const struct ref_region *x = ref_region_find(r, azure_region);

    return x ? x->geo : NULL;
}

const char *
ref_region_display(const struct refdata *r, const char *azure_region)
{
    const struct ref_region *x = ref_region_find(r, azure_region);

    return x ? x->display : azure_region;
}

const char *
ref_region_community(const struct refdata *r, const char *azure_region)
{
    const struct ref_region *x = ref_region_find(r, azure_region);

    return x ? x->community : NULL;
}

const char *
ref_location_geo(const struct refdata *r, const char *location)
{
    const struct ref_group *g = r ? ref_group_find(&r->locations, location) : NULL;

    return g ? g->geo : NULL;
}

size_t
ref_location_local_regions(const struct refdata *r, const char *location, const char *const **out)
{
    const struct ref_group *g = r ? ref_group_find(&r->locations, location) : NULL;

    *out = g ? (const char *const *)g->regions : NULL;
    return g ? g->n : 0;
}

size_t
ref_pp_regions(const struct refdata *r, const char *pp_region, const char *const **out)
{
    const struct ref_group *g = r ? ref_group_find(&r->pp, pp_region) : NULL;

    *out = g ? (const char *const *)g->regions : NULL;
    return g ? g->n : 0;
}

const char *
ref_service_community(const struct refdata *r, const char *community)
{
    const struct ref_pair *x = r ? ref_pair_find(&r->services, community) : NULL;

    return x ? x->text : NULL;
}

uint64_t
ref_limit(const struct refdata *r, const char *name, uint64_t dflt)
{
    const struct ref_pair *x = r ? ref_pair_find(&r->limits, name) : NULL;

    return x ? x->num : dflt;
}

size_t
ref_service_tag_names(const struct refdata *r, const char *const **out)
{
    *out = r ? r->tag_list : NULL;
    return r ? r->tag_names.n : 0;
}

const char *
ref_service_tag_text(const struct refdata *r, const char *tag)
{
    const struct ref_pair *x = r ? ref_pair_find(&r->tag_names, tag) : NULL;

    return x ? x->text : NULL;
}

size_t
ref_client_endpoints(const struct refdata *r, size_t i, const char **pattern, int *expressroute)
{
    const struct ref_pair *x;

    if (!r || i >= r->endpoints.n)
        return r ? r->endpoints.n : 0;
    x = (struct ref_pair *)r->endpoints.v + i;
    *pattern = x->key;
    *expressroute = (int)x->num;
    return r->endpoints.n;
}

const char *
ref_special_overlap(const struct refdata *r, const struct pfx *p, int *inside, const char **kind,
        const char **range)
{
    const struct ref_special *v = r ? r->special.v : NULL, *best = NULL;
    int best_rank = 0;
    size_t i;

    /* Inside a range before containing one, private before the other kinds, else the file's order. */
    for (i = 0; r && i < r->special.n; i++) {
        int in, rank;

        if (v[i].p.family != p->family || !pfx_overlaps(&v[i].p, p))
            continue;
        in = pfx_contains(&v[i].p, p);
        rank = 1 + 2 * in + !strcmp(v[i].kind, "private");
        if (rank > best_rank) {
            best = &v[i];
            best_rank = rank;
        }
    }
    if (!best)
        return NULL;
    *inside = pfx_contains(&best->p, p);
    *kind = best->kind;
    *range = best->prefix;
    return best->text;
}

/* ---- lookups by folded name (refdata_int.h) ---- */

const struct ref_region *
ref_region_find(const struct refdata *r, const char *name)
{
    char key[REF_NAMELEN];
    size_t i;

    if (!r || !name)
        return NULL;
    ref_fold(name, key, sizeof key);
    for (i = 0; i < r->regions.n; i++)
        if (!strcmp(((struct ref_region *)r->regions.v)[i].name, key))
            return (struct ref_region *)r->regions.v + i;
    return NULL;
}

const struct ref_group *
ref_group_find(const struct ref_vec *v, const char *name)
{
    char key[REF_NAMELEN];
    size_t i;

    if (!name)
        return NULL;
    ref_fold(name, key, sizeof key);
    for (i = 0; i < v->n; i++)
        if (!strcmp(((struct ref_group *)v->v)[i].key, key))
            return (struct ref_group *)v->v + i;
    return NULL;
}

const struct ref_pair *
ref_pair_find(const struct ref_vec *v, const char *key)
{
    size_t i;

    for (i = 0; key && i < v->n; i++)
        if (!strcmp(((struct ref_pair *)v->v)[i].key, key))
            return (struct ref_pair *)v->v + i;
    return NULL;
}
