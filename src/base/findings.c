/** @file findings.c @brief Findings, rule outcomes and their names. */
#define _GNU_SOURCE /* qsort_r */
#include "findings.h"

#include <stdlib.h>
#include <string.h>

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void
finding_free(struct finding *f)
{
    free(f->device);
    free(f->circuit);
    free(f->message);
    free(f->path);
    free(f->seen);
    free(f->expected);
    free(f->waiver);
}

void
findings_clear(struct findings *f)
{
    size_t i;

    if (!f)
        return;
    for (i = 0; i < f->n; i++)
        finding_free(&f->v[i]);
    for (i = 0; i < f->n_rules; i++)
        free(f->rules[i].reason);
    for (i = 0; i < f->n_questions; i++) {
        free(f->questions[i].rules);
        free(f->questions[i].not_evaluated);
        free(f->questions[i].answer);
        free(f->questions[i].by);
        free(f->questions[i].date);
        free(f->questions[i].evidence);
    }
    free(f->v);
    free(f->rules);
    free(f->questions);
    memset(f, 0, sizeof *f);
}

er_code
findings_add(struct findings *f, const struct finding *fd)
{
    struct finding *n;

    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        struct finding *v = realloc(f->v, cap * sizeof *v);

        if (!v)
            return ER_ENOMEM;
        f->v = v;
        f->cap = cap;
    }
    n = &f->v[f->n];
    *n = *fd;
    n->device = dup_or_null(fd->device);
    n->circuit = dup_or_null(fd->circuit);
    n->message = dup_or_null(fd->message);
    n->path = dup_or_null(fd->path);
    n->seen = dup_or_null(fd->seen);
    n->expected = dup_or_null(fd->expected);
    n->waiver = dup_or_null(fd->waiver);
    if (!n->message) {
        finding_free(n);
        return ER_ENOMEM;
    }
    f->n++;
    return ER_OK;
}

static int
str_cmp(const char *a, const char *b)
{
    return a == b ? 0 : !a ? -1 : !b ? 1 : strcmp(a, b);
}

/* Order of indices into one vector: by the finding's identity, then by index. */
static int
identity_cmp(const void *pa, const void *pb, void *arg)
{
    const struct finding *v = arg, *a = &v[*(const size_t *)pa], *b = &v[*(const size_t *)pb];
    int c;

    if (a->status != b->status)
        return a->status < b->status ? -1 : 1;
    if (a->sev != b->sev)
        return a->sev < b->sev ? -1 : 1;
    if ((c = str_cmp(a->device, b->device)) || (c = str_cmp(a->circuit, b->circuit)) ||
            (c = str_cmp(a->path, b->path)) || (c = str_cmp(a->message, b->message)) ||
            (c = str_cmp(a->rule, b->rule)))
        return c;
    return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

er_code
findings_dedup(struct findings *f, size_t from)
{
    size_t n = f->n - from, i, k;
    size_t *ix;
    unsigned char *drop;

    if (n < 2)
        return ER_OK;
    if (!(ix = malloc(n * sizeof *ix)) || !(drop = calloc(n, 1))) {
        free(ix);
        return ER_ENOMEM;
    }
    for (i = 0; i < n; i++)
        ix[i] = from + i;
    qsort_r(ix, n, sizeof *ix, identity_cmp, f->v);
    /* Equal identities are adjacent, the earliest first: every later one goes. */
    for (i = 1; i < n; i++) {
        const struct finding *a = &f->v[ix[i - 1]], *b = &f->v[ix[i]];

        if (a->status == b->status && a->sev == b->sev && !str_cmp(a->device, b->device) &&
                !str_cmp(a->circuit, b->circuit) && !str_cmp(a->path, b->path) &&
                !str_cmp(a->message, b->message) && !str_cmp(a->rule, b->rule))
            drop[ix[i] - from] = 1;
    }
    for (i = k = 0; i < n; i++) {
        if (drop[i])
            finding_free(&f->v[from + i]);
        else
            f->v[from + k++] = f->v[from + i];
    }
    f->n = from + k;
    free(ix);
    free(drop);
    return ER_OK;
}

er_code
findings_take(struct findings *f, struct findings *from)
{
    if (f->cap - f->n < from->n) {
        size_t cap = f->cap ? f->cap : 64;
        struct finding *v;

        while (cap - f->n < from->n)
            cap *= 2;
        if (!(v = realloc(f->v, cap * sizeof *v)))
            return ER_ENOMEM;
        f->v = v;
        f->cap = cap;
    }
    if (from->n)
        memcpy(f->v + f->n, from->v, from->n * sizeof *from->v);
    f->n += from->n;
    from->n = 0;
    return ER_OK;
}

static const char *sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *
sev_name(enum er_sev s)
{
    return (unsigned)s < 5 ? sev_names[s] : "?";
}

int
sev_parse(const char *name)
{
    int i;

    for (i = 0; name && i < 5; i++) {
        if (!strcmp(name, sev_names[i]))
            return i;
    }
    return -1;
}

const char *
section_title(enum er_section s)
{
    static const char *t[] = {"Client routing", "WAN performance", "Peering", "Asymmetric routing",
            "Geographical distribution", "On-premises integration", "Collection"};

    return (unsigned)s < SECT_COUNT ? t[s] : "?";
}

const char *
section_name(enum er_section s)
{
    static const char *t[] = {"client-routing", "wan-performance", "peering", "asymmetric-routing",
            "geographical-distribution", "on-premises-integration", "collection"};

    return (unsigned)s < SECT_COUNT ? t[s] : "?";
}

const char *
status_name(enum er_status s)
{
    static const char *t[] = {"fail", "pass", "not-evaluated", "waived", "attested"};

    return (unsigned)s < 5 ? t[s] : "?";
}

const char *
qstatus_name(enum er_qstatus s)
{
    static const char *t[] = {"pass", "fail", "not-evaluated", "attested", "not-answered", "partial"};

    return (unsigned)s < 6 ? t[s] : "?";
}

const char *
outcome_name(enum er_outcome o)
{
    static const char *t[] = {"pass", "fail", "not-evaluated"};

    return (unsigned)o < 3 ? t[o] : "?";
}

const char *
source_name(enum er_source s)
{
    static const char *t[] = {"config", "state", "inventory", "collection"};

    return (unsigned)s < 4 ? t[s] : "?";
}
