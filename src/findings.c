/** @file findings.c @brief Findings, rule outcomes and their names. */
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
