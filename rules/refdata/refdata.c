/**
 * @file refdata.c
 * @brief Loading and querying the Microsoft reference data files.
 *
 * Every file is line-oriented: '#' starts a comment, blank lines are
 * skipped, and a record is fields separated by '|' (see data/README.md).
 * The tables are small (tens of rows), so lookups are linear scans over
 * folded names; the point of this module is strict loading, not speed.
 */
#include "refdata.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "beneath.h"
#include "bound.h"
#include "datadir.h"
#include "prefix.h"
#include "pac.h"
#include "pacask.h"
#include "inventory.h"
#include "servicetags.h"

#include "refdata_int.h"


const char *
ref_fold(const char *name, char *buf, size_t size)
{
    size_t n = 0;

    if (!size)
        return buf;
    for (; name && *name && n + 1 < size; name++) {
        if (*name == ' ' || *name == '-' || *name == '_' || *name == '\t')
            continue;
        buf[n++] = (char)tolower((unsigned char)*name);
    }
    buf[n] = '\0';
    return buf;
}

/* Room for one more element of @p size bytes; NULL when out of memory. */
static void *
ref_push(struct ref_vec *v, size_t size)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *nv = realloc(v->v, cap * size);

        if (!nv)
            return NULL;
        v->v = nv;
        v->cap = cap;
    }
    return memset((char *)v->v + v->n++ * size, 0, size);
}

static void
ref_group_free(struct ref_group *g)
{
    size_t i;

    for (i = 0; i < g->n; i++)
        free(g->regions[i]);
    free(g->regions);
    free(g->key);
    free(g->geo);
}

void
refdata_free(struct refdata *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->regions.n; i++) {
        struct ref_region *x = (struct ref_region *)r->regions.v + i;
        free(x->name);
        free(x->display);
        free(x->geo);
        free(x->community);
    }
    for (i = 0; i < r->pp.n; i++)
        ref_group_free((struct ref_group *)r->pp.v + i);
    for (i = 0; i < r->locations.n; i++)
        ref_group_free((struct ref_group *)r->locations.v + i);
    for (i = 0; i < r->services.n; i++) {
        free(((struct ref_pair *)r->services.v)[i].key);
        free(((struct ref_pair *)r->services.v)[i].text);
    }
    for (i = 0; i < r->limits.n; i++)
        free(((struct ref_pair *)r->limits.v)[i].key);
    for (i = 0; i < r->tag_names.n; i++) {
        free(((struct ref_pair *)r->tag_names.v)[i].key);
        free(((struct ref_pair *)r->tag_names.v)[i].text);
    }
    for (i = 0; i < r->endpoints.n; i++) {
        free(((struct ref_pair *)r->endpoints.v)[i].key);
        free(((struct ref_pair *)r->endpoints.v)[i].text);
    }
    for (i = 0; i < r->special.n; i++) {
        struct ref_special *x = (struct ref_special *)r->special.v + i;
        free(x->prefix);
        free(x->kind);
        free(x->text);
    }
    free(r->special.v);
    free(r->tag_names.v);
    free(r->tag_list);
    free(r->endpoints.v);
    svc_free(r->svc);
    free(r->svc);
    pac_free(r->pac);
    pacask_free(r->asks);
    free(r->regions.v);
    free(r->pp.v);
    free(r->locations.v);
    free(r->services.v);
    free(r->limits.v);
    free(r);
}

static er_code
ref_bad(struct ref_line *l, struct er_err *err, const char *expected, const char *got)
{
    return er_set(err, ER_EINVAL, "%s:%u: expected %s, got '%.200s'", l->path, l->lineno, expected, got);
}

static er_code
ref_nomem(struct ref_line *l, struct er_err *err)
{
    return er_set(err, ER_ENOMEM, "%s:%u: out of memory", l->path, l->lineno);
}

static er_code
ref_nfields(struct ref_line *l, size_t want, const char *what, struct er_err *err)
{
    if (l->nf == want)
        return ER_OK;
    return er_set(err, ER_EINVAL, "%s:%u: expected %zu fields '%s', got %zu", l->path, l->lineno,
            want, what, l->nf);
}

/* 1 for "ASN:value" with both parts decimal. */
static int
ref_is_community(const char *s)
{
    const char *colon = strchr(s, ':');
    size_t n1, n2;

    if (!colon)
        return 0;
    n1 = strspn(s, "0123456789");
    n2 = strspn(colon + 1, "0123456789");
    return n1 && n1 <= 10 && s + n1 == colon && n2 && n2 <= 5 && !colon[1 + n2];
}

static er_code
ref_on_region(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    const char *spec = "name | display name | geopolitical region | community";
    char folded[REF_NAMELEN];
    struct ref_region *x;
    er_code rc;

    if ((rc = ref_nfields(l, 4, spec, err)))
        return rc;
    if (strspn(l->f[0], "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(l->f[0]))
        return ref_bad(l, err, "a region name of lower-case letters and digits", l->f[0]);
    if (ref_region_find(r, l->f[0]))
        return ref_bad(l, err, "a region not listed before", l->f[0]);
    if (strcmp(ref_fold(l->f[1], folded, sizeof folded), l->f[0]))
        return ref_bad(l, err, "a display name that folds to the region name", l->f[1]);
    if (strcmp(l->f[3], "-") && !ref_is_community(l->f[3]))
        return ref_bad(l, err, "a community like 12076:51002 or '-'", l->f[3]);
    if (!(x = ref_push(&r->regions, sizeof *x)))
        return ref_nomem(l, err);
    x->name = strdup(l->f[0]);
    x->display = strdup(l->f[1]);
    x->geo = strdup(l->f[2]);
    x->community = strcmp(l->f[3], "-") ? strdup(l->f[3]) : NULL;
    if (!x->name || !x->display || !x->geo || (strcmp(l->f[3], "-") && !x->community))
        return ref_nomem(l, err);
    return ER_OK;
}

/* Fill @p g with the space-separated known Azure regions of @p list. */
static er_code
ref_group_regions(struct refdata *r, struct ref_line *l, struct ref_group *g, char *list,
        int allow_none, struct er_err *err)
{
    char *save = NULL, *tok;

    if (allow_none && !strcmp(list, "-"))
        return ER_OK;
    for (tok = strtok_r(list, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        const struct ref_region *x = ref_region_find(r, tok);
        char **nr;

        if (!x)
            return ref_bad(l, err, "an Azure region listed in azure-regions", tok);
        if (!(nr = realloc(g->regions, (g->n + 1) * sizeof *nr)) || !(nr[g->n] = strdup(x->name))) {
            if (nr)
                g->regions = nr;
            return ref_nomem(l, err);
        }
        g->regions = nr;
        g->n++;
    }
    if (!g->n)
        return ref_bad(l, err, allow_none ? "Azure regions or '-'" : "Azure regions", list);
    return ER_OK;
}

static er_code
ref_on_pp(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    char key[REF_NAMELEN];
    struct ref_group *g;
    er_code rc;

    if ((rc = ref_nfields(l, 2, "Power Platform region | Azure regions", err)))
        return rc;
    if (ref_group_find(&r->pp, l->f[0]))
        return ref_bad(l, err, "a Power Platform region not listed before", l->f[0]);
    if (!(g = ref_push(&r->pp, sizeof *g)) || !(g->key = strdup(ref_fold(l->f[0], key, sizeof key))))
        return ref_nomem(l, err);
    return ref_group_regions(r, l, g, l->f[1], 0, err);
}

static er_code
ref_on_location(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    char key[REF_NAMELEN];
    struct ref_group *g;
    size_t i;
    er_code rc;

    if ((rc = ref_nfields(l, 3, "location | geopolitical region | Local SKU Azure regions", err)))
        return rc;
    if (ref_group_find(&r->locations, l->f[0]))
        return ref_bad(l, err, "a location not listed before", l->f[0]);
    /* A typo in a geopolitical region would silently defeat the SKU rules. */
    for (i = 0; i < r->regions.n && strcmp(((struct ref_region *)r->regions.v)[i].geo, l->f[1]); i++)
        ;
    if (i == r->regions.n)
        return ref_bad(l, err, "a geopolitical region used in azure-regions", l->f[1]);
    if (!(g = ref_push(&r->locations, sizeof *g)) || !(g->key = strdup(ref_fold(l->f[0], key, sizeof key)))
            || !(g->geo = strdup(l->f[1])))
        return ref_nomem(l, err);
    if ((rc = ref_group_regions(r, l, g, l->f[2], 1, err)))
        return rc;
    if (g->n > 2)
        return er_set(err, ER_EINVAL, "%s:%u: expected at most two Local SKU regions, got %zu", l->path,
                l->lineno, g->n);
    return ER_OK;
}

static er_code
ref_on_service(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    struct ref_pair *x;
    er_code rc;

    if ((rc = ref_nfields(l, 2, "community | service", err)))
        return rc;
    if (!ref_is_community(l->f[0]))
        return ref_bad(l, err, "a community like 12076:5010", l->f[0]);
    if (ref_pair_find(&r->services, l->f[0]))
        return ref_bad(l, err, "a community not listed before", l->f[0]);
    if (!(x = ref_push(&r->services, sizeof *x)) || !(x->key = strdup(l->f[0])) || !(x->text = strdup(l->f[1])))
        return ref_nomem(l, err);
    return ER_OK;
}

static er_code
ref_on_limit(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    struct ref_pair *x;
    unsigned long long v;
    char *end;
    er_code rc;

    if ((rc = ref_nfields(l, 2, "name | value", err)))
        return rc;
    if (ref_pair_find(&r->limits, l->f[0]))
        return ref_bad(l, err, "a limit not listed before", l->f[0]);
    errno = 0;
    v = strtoull(l->f[1], &end, 10);
    if (!isdigit((unsigned char)l->f[1][0]) || *end || errno)
        return ref_bad(l, err, "a non-negative integer", l->f[1]);
    if (!(x = ref_push(&r->limits, sizeof *x)) || !(x->key = strdup(l->f[0])))
        return ref_nomem(l, err);
    x->num = v;
    return ER_OK;
}

static er_code
ref_on_tag(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    struct ref_pair *x;
    er_code rc;

    if ((rc = ref_nfields(l, 2, "service tag | what it carries", err)))
        return rc;
    if (strspn(l->f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != strlen(l->f[0]))
        return ref_bad(l, err, "a service tag name of letters and digits (regional variants are found by it)",
                l->f[0]);
    if (ref_pair_find(&r->tag_names, l->f[0]))
        return ref_bad(l, err, "a tag not listed before", l->f[0]);
    if (!(x = ref_push(&r->tag_names, sizeof *x)) || !(x->key = strdup(l->f[0])) || !(x->text = strdup(l->f[1])))
        return ref_nomem(l, err);
    return ER_OK;
}

static er_code
ref_on_endpoint(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    struct ref_pair *x;
    er_code rc;

    if ((rc = ref_nfields(l, 3, "host pattern | expressroute or internet | what it is", err)))
        return rc;
    if (strcmp(l->f[1], "expressroute") && strcmp(l->f[1], "internet"))
        return ref_bad(l, err, "'expressroute' or 'internet'", l->f[1]);
    if (strspn(l->f[0], "abcdefghijklmnopqrstuvwxyz0123456789.-*") != strlen(l->f[0]))
        return ref_bad(l, err, "a lower-case host name, '*.' allowed", l->f[0]);
    if (ref_pair_find(&r->endpoints, l->f[0]))
        return ref_bad(l, err, "a host pattern not listed before", l->f[0]);
    if (!(x = ref_push(&r->endpoints, sizeof *x)) || !(x->key = strdup(l->f[0])) || !(x->text = strdup(l->f[1])))
        return ref_nomem(l, err);
    x->num = !strcmp(l->f[1], "expressroute");
    return ER_OK;
}

/* special-prefixes: prefix | kind | what it is */
static er_code
ref_on_special(struct refdata *r, struct ref_line *l, struct er_err *err)
{
    struct ref_special *x;
    struct pfx p;
    er_code rc;

    if ((rc = ref_nfields(l, 3, "prefix | private, reserved or documentation | what it is", err)))
        return rc;
    if (pfx_parse(l->f[0], &p, 1))
        return ref_bad(l, err, "a prefix with no host bits set (10.0.0.0/8, fc00::/7)", l->f[0]);
    if (strcmp(l->f[1], "private") && strcmp(l->f[1], "reserved") && strcmp(l->f[1], "documentation"))
        return ref_bad(l, err, "'private', 'reserved' or 'documentation'", l->f[1]);
    if (!(x = ref_push(&r->special, sizeof *x)))
        return ref_nomem(l, err);
    x->p = p;
    if (!(x->prefix = strdup(l->f[0])) || !(x->kind = strdup(l->f[1])) || !(x->text = strdup(l->f[2])))
        return ref_nomem(l, err);
    return ER_OK;
}

static char *
ref_trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Split @p s at '|' into trimmed fields; an empty field is an error. */
static er_code
ref_split(struct ref_line *l, char *s, struct er_err *err)
{
    char *bar;

    l->nf = 0;
    for (;;) {
        if (l->nf == REF_MAXFIELDS)
            return er_set(err, ER_EINVAL, "%s:%u: expected at most %d fields, got more", l->path, l->lineno,
                    REF_MAXFIELDS);
        bar = strchr(s, '|');
        if (bar)
            *bar = '\0';
        l->f[l->nf] = ref_trim(s);
        if (!*l->f[l->nf])
            return er_set(err, ER_EINVAL, "%s:%u: expected a value in field %zu ('-' for none), got an empty one",
                    l->path, l->lineno, l->nf + 1);
        l->nf++;
        if (!bar)
            return ER_OK;
        s = bar + 1;
    }
}

/*
 * Read @p dir/@p name line by line, giving each record to @p fn. With a
 * directory descriptor @p dfd (not -1) the file is opened below it, never
 * outside (a snapshot's copy); @p dir only names it in messages.
 */
static er_code
ref_read(struct refdata *r, int dfd, const char *dir, const char *name, ref_handler fn, struct er_err *err)
{
    char path[4096], *line = NULL, *s, *hash;
    struct ref_line l = { .path = path };
    size_t cap = 0;
    FILE *fp = NULL;
    struct stat st;
    er_code rc = ER_OK;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return er_set(err, ER_EINVAL, "reference data directory name too long: %.200s", dir);
    if (dfd >= 0 ? !(fp = beneath_fopen(dfd, name)) : !(fp = fopen(path, "r")))
        return er_set(err, ER_EIO, "%s: cannot open reference data: %s", path,
                dfd >= 0 ? beneath_strerror(errno) : strerror(errno));
    ER_CHECK_GOTO(fstat(fileno(fp), &st), rc, er_set(err, ER_EIO, "%s: %s", path, strerror(errno)), cleanup);
    ER_TRY(rc, bound_check(path, (uint64_t)st.st_size, bound_cap(), err), cleanup);
    while (getline(&line, &cap, fp) != -1) {
        l.lineno++;
        if ((hash = strchr(line, '#')))
            *hash = '\0';
        s = ref_trim(line);
        if (!*s)
            continue;
        ER_TRY(rc, ref_split(&l, s, err), cleanup);
        ER_TRY(rc, fn(r, &l, err), cleanup);
    }
    ER_CHECK_GOTO(ferror(fp), rc, er_set(err, ER_EIO, "%s: read error", path), cleanup);

cleanup:
    free(line);
    fclose(fp);
    return rc;
}

/* Where the data lives when the caller names no directory. */
static const char *
ref_default_dir(void)
{
    return er_data_dir(ER_DATA_REF);
}

er_code
refdata_load(const char *dir, struct refdata **r, struct er_err *err)
{
    return refdata_load_at(-1, dir, r, err);
}

er_code
refdata_load_at(int dfd, const char *dir, struct refdata **r, struct er_err *err)
{
    /* Order matters: later files refer to regions of azure-regions. */
    static const struct {
        const char *name;
        ref_handler fn;
    } files[] = {
        { "azure-regions", ref_on_region },
        { "power-platform-regions", ref_on_pp },
        { "peering-locations", ref_on_location },
        { "service-communities", ref_on_service },
        { "limits", ref_on_limit },
    }, later[] = {
        { "service-tags", ref_on_tag },
        { "client-endpoints", ref_on_endpoint },
        { "special-prefixes", ref_on_special },
    };
    struct refdata *d = NULL;
    er_code rc = ER_OK;
    size_t i;

    *r = NULL;
    if (!dir) {
        dir = ref_default_dir();
        dfd = -1;
    }
    ER_CHECK_GOTO(!(d = calloc(1, sizeof *d)), rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    for (i = 0; i < sizeof files / sizeof files[0]; i++)
        ER_TRY(rc, ref_read(d, dfd, dir, files[i].name, files[i].fn, err), cleanup);
    /* Files added later are optional in a user's directory: the shipped copy is used instead. */
    for (i = 0; i < sizeof later / sizeof later[0]; i++) {
        char path[4096];
        struct stat st;
        const char *from = dir;
        int ffd = dfd;

        snprintf(path, sizeof path, "%s/%s", dir, later[i].name);
        if (dfd >= 0 ? fstatat(dfd, later[i].name, &st, AT_SYMLINK_NOFOLLOW) : stat(path, &st)) {
            from = ref_default_dir();
            ffd = -1;
        }
        ER_TRY(rc, ref_read(d, ffd, from, later[i].name, later[i].fn, err), cleanup);
    }
    ER_CHECK_GOTO(!(d->tag_list = calloc(d->tag_names.n + 1, sizeof *d->tag_list)), rc,
            er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    for (i = 0; i < d->tag_names.n; i++)
        d->tag_list[i] = ((struct ref_pair *)d->tag_names.v)[i].key;
    *r = d;
    d = NULL;

cleanup:
    refdata_free(d);
    return rc;
}

er_code
refdata_load_services(struct refdata *r, const char *tags_path, const char *m365_path, struct er_err *err)
{
    if (!tags_path && !m365_path)
        return ER_OK;
    if (!r->svc && !(r->svc = calloc(1, sizeof *r->svc)))
        return er_set(err, ER_ENOMEM, "out of memory");
    if (tags_path && svc_load_tags(r->svc, tags_path, err))
        return err->code;
    if (m365_path && svc_load_m365(r->svc, m365_path, err))
        return err->code;
    return ER_OK;
}

const struct svc_data *
ref_services(const struct refdata *r)
{
    return r ? r->svc : NULL;
}

er_code
refdata_load_services_fp(struct refdata *r, FILE *tags, const char *tags_path, FILE *m365, const char *m365_path,
        struct er_err *err)
{
    if (!tags && !m365)
        return ER_OK;
    if (!r->svc && !(r->svc = calloc(1, sizeof *r->svc)))
        return er_set(err, ER_ENOMEM, "out of memory");
    if (tags && svc_load_tags_fp(r->svc, tags, tags_path, err))
        return err->code;
    if (m365 && svc_load_m365_fp(r->svc, m365, m365_path, err))
        return err->code;
    return ER_OK;
}

/* Give the PAC just read the inventory's DNS answers, then ask it about every endpoint. */
static er_code
pac_configure(struct refdata *r, const struct inventory *inv, struct er_err *err)
{
    size_t i;
    er_code rc;

    if (inv && inv->pac_client_address && (rc = pac_set_client_address(r->pac, inv->pac_client_address, err)))
        return rc;
    for (i = 0; inv && i < inv->n_pac_hosts; i++) {
        if ((rc = pac_add_host(r->pac, inv->pac_hosts[i].name, inv->pac_hosts[i].addr, err)))
            return rc;
    }
    /* Evaluated here, before the audit starts threads: the engine's child is forked from one thread. */
    return pacask_eval(r->pac, r, &r->asks, err);
}

er_code
refdata_load_pac(struct refdata *r, const char *path, const struct inventory *inv, struct er_err *err)
{
    er_code rc;

    if (!path)
        return ER_OK;
    pac_free(r->pac);
    r->pac = NULL;
    pacask_free(r->asks);
    r->asks = NULL;
    if ((rc = pac_load(path, &r->pac, err)))
        return rc;
    return pac_configure(r, inv, err);
}

const struct pac_asks *
ref_pac_asks(const struct refdata *r)
{
    return r ? r->asks : NULL;
}

er_code
refdata_load_pac_fp(struct refdata *r, FILE *f, const char *path, const struct inventory *inv, struct er_err *err)
{
    er_code rc;

    if (!f)
        return ER_OK;
    pac_free(r->pac);
    r->pac = NULL;
    pacask_free(r->asks);
    r->asks = NULL;
    if ((rc = pac_load_fp(f, path, &r->pac, err)))
        return rc;
    return pac_configure(r, inv, err);
}

const struct pac *
ref_pac(const struct refdata *r)
{
    return r ? r->pac : NULL;
}
