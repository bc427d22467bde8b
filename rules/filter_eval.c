/**
 * @file filter_eval.c
 * @brief The filter evaluator: first-match semantics over device/filter and
 * witness packets for questions about a whole traffic space.
 */
#include "filter_eval.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"

static const struct {
    const char *name;
    int num;
} protos[] = {
    {"icmp", 1}, {"igmp", 2}, {"tcp", 6}, {"udp", 17}, {"gre", 47}, {"esp", 50}, {"ah", 51}, {"icmpv6", 58},
    {"ipv6-icmp", 58}, {"ospf", 89}, {"pim", 103}, {"vrrp", 112}, {"sctp", 132},
};

/* Protocol number of @p s; FE_PROTO_ANY for the wildcards, 255 for an unknown name. */
static int
proto_num(const char *s)
{
    size_t i;
    char *end;
    long v;

    if (!s || !*s || !strcasecmp(s, "ip") || !strcasecmp(s, "any") || !strcasecmp(s, "ipv4") ||
            !strcasecmp(s, "ipv6") || !strcasecmp(s, "ip-any"))
        return FE_PROTO_ANY;
    for (i = 0; i < sizeof protos / sizeof *protos; i++) {
        if (!strcasecmp(s, protos[i].name))
            return protos[i].num;
    }
    v = strtol(s, &end, 10);
    if (end != s && !*end && v >= 0 && v <= 255)
        return (int)v;
    return 255;
}

int
fe_proto_ports(int proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

static void
addr_parse(const char *s, struct fe_addr *a)
{
    memset(a, 0, sizeof *a);
    if (!s || !*s || !strcasecmp(s, "any") || !strcmp(s, "0.0.0.0/0") || !strcmp(s, "::/0"))
        a->kind = FE_A_ANY;
    else if (!pfx_parse(s, &a->p, 0))
        a->kind = FE_A_PFX;
    else {
        a->kind = FE_A_NAME;
        a->name = s;
    }
}

/* "any", "443", "8000-8100", "8000..8100", "!443" into @p r; -1 when unreadable. */
static int
ports_parse(const char *s, struct fe_rule *r)
{
    long lo, hi;
    char *end;
    int neg = 0;

    r->nports = 0;
    if (!s || !*s || !strcasecmp(s, "any"))
        return 0;
    if (*s == '!') {
        neg = 1;
        s++;
    }
    if (!isdigit((unsigned char)*s))
        return -1;
    lo = strtol(s, &end, 10);
    hi = lo;
    if (*end == '-' || (end[0] == '.' && end[1] == '.')) {
        const char *h = end + (*end == '-' ? 1 : 2);

        if (!isdigit((unsigned char)*h))
            return -1;
        hi = strtol(h, &end, 10);
    }
    if (*end || lo < 0 || hi > 65535 || lo > hi)
        return -1;
    if (!neg) {
        r->port[0][0] = lo;
        r->port[0][1] = hi;
        r->nports = 1;
        return 0;
    }
    if (lo > 0) {
        r->port[r->nports][0] = 0;
        r->port[r->nports++][1] = lo - 1;
    }
    if (hi < 65535) {
        r->port[r->nports][0] = hi + 1;
        r->port[r->nports++][1] = 65535;
    }
    return r->nports ? 0 : -1;
}

static int
by_seq(const void *a, const void *b)
{
    const struct fe_rule *x = a, *y = b;

    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
fe_load(const struct lyd_node *f, struct fe_filter *out, char *why, size_t size)
{
    struct lyd_node *r;
    size_t n = 0;

    memset(out, 0, sizeof *out);
    out->name = model_str(f, "name");
    out->node = f;
    MODEL_FOR(f, "rule", r)
        n++;
    if (n && !(out->rules = calloc(n, sizeof *out->rules)))
        return -2;
    MODEL_FOR(f, "rule", r) {
        struct fe_rule *x = &out->rules[out->n++];
        const char *act = model_str(r, "action");

        x->seq = (uint32_t)strtoul(model_str(r, "seq") ? model_str(r, "seq") : "0", NULL, 10);
        x->permit = act && !strcmp(act, "permit");
        addr_parse(model_str(r, "source"), &x->src);
        addr_parse(model_str(r, "destination"), &x->dst);
        x->proto = proto_num(model_str(r, "protocol"));
        x->node = r;
        if (ports_parse(model_str(r, "ports"), x)) {
            snprintf(why, size, "filter %s rule %u: ports \"%s\" not understood", out->name, x->seq,
                    model_str(r, "ports"));
            fe_free(out);
            return -1;
        }
    }
    if (out->n)
        qsort(out->rules, out->n, sizeof *out->rules, by_seq);
    return 0;
}

void
fe_free(struct fe_filter *f)
{
    if (!f)
        return;
    free(f->rules);
    f->rules = NULL;
    f->n = 0;
}

static int
addr_match(const struct fe_addr *rule, const struct fe_addr *pkt)
{
    switch (rule->kind) {
    case FE_A_ANY:
        return 1;
    case FE_A_PFX:
        return pkt->kind == FE_A_PFX && pfx_contains(&rule->p, &pkt->p);
    case FE_A_NAME:
        return pkt->kind == FE_A_NAME && !strcmp(rule->name, pkt->name);
    }
    return 0;
}

/* 1 when rule @p r matches the protocol and port of @p p, whatever the addresses. */
static int
class_match(const struct fe_rule *r, const struct fe_pkt *p)
{
    int i;

    if (r->proto != FE_PROTO_ANY && r->proto != p->proto)
        return 0;
    if (!r->nports)
        return 1;
    if (!fe_proto_ports(p->proto) || p->port < 0)
        return 0;
    for (i = 0; i < r->nports; i++) {
        if (p->port >= r->port[i][0] && p->port <= r->port[i][1])
            return 1;
    }
    return 0;
}

static int
rule_match(const struct fe_rule *r, const struct fe_pkt *p)
{
    return class_match(r, p) && addr_match(&r->src, &p->src) && addr_match(&r->dst, &p->dst);
}

const struct fe_rule *
fe_match(const struct fe_filter *f, const struct fe_pkt *p)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (rule_match(&f->rules[i], p))
            return &f->rules[i];
    }
    return NULL;
}

int
fe_admits(const struct fe_filter *f, const struct fe_pkt *p, const struct fe_rule **by)
{
    const struct fe_rule *r = fe_match(f, p);

    if (by)
        *by = r;
    return r ? r->permit : f->default_permit;
}

/* ---------------------------------------------------------------- witnesses */

static int
grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    void *x;
    size_t c;

    if (n < *cap)
        return 0;
    c = *cap ? *cap * 2 : 16;
    if (!(x = realloc(*arr, c * elem)))
        return -1;
    *arr = x;
    *cap = c;
    return 0;
}

static int
addr_eq(const struct fe_addr *a, const struct fe_addr *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == FE_A_NAME)
        return !strcmp(a->name, b->name);
    return a->kind == FE_A_ANY || pfx_equal(&a->p, &b->p);
}

static int
addr_put(struct fe_addr **arr, size_t *n, size_t *cap, const struct fe_addr *a)
{
    size_t i;

    for (i = 0; i < *n; i++) {
        if (addr_eq(&(*arr)[i], a))
            return 0;
    }
    if (grow((void **)arr, cap, *n, sizeof **arr))
        return -1;
    (*arr)[(*n)++] = *a;
    return 0;
}

/* A host address of @p p's family: @p last picks the last address, @p step -1/0/+1 moves by one. */
static int
host(const struct pfx *p, int last, int step, struct fe_addr *out)
{
    int bytes = p->family == 4 ? 4 : 16, bits = p->family == 4 ? 32 : 128, i;

    memset(out, 0, sizeof *out);
    out->kind = FE_A_PFX;
    out->p = *p;
    out->p.len = (uint8_t)bits;
    if (last) {
        for (i = p->len; i < bits; i++)
            out->p.addr[i / 8] |= (uint8_t)(0x80 >> (i % 8));
    }
    for (i = bytes - 1; step && i >= 0; i--) {
        if (step > 0 && out->p.addr[i]++ != 0xff)
            return 0;
        if (step < 0 && out->p.addr[i]-- != 0x00)
            return 0;
    }
    return step ? -1 : 0;   /* wrapped around: no such address */
}

static int
addr_bounds(struct fe_addr **arr, size_t *n, size_t *cap, const struct fe_addr *a)
{
    struct fe_addr h, zero = {.kind = FE_A_PFX};
    int last, step;

    if (a->kind == FE_A_NAME)
        return addr_put(arr, n, cap, a);
    if (a->kind == FE_A_ANY)
        return 0;
    zero.p.family = a->p.family;
    zero.p.len = a->p.family == 4 ? 32 : 128;
    if (addr_put(arr, n, cap, &zero))
        return -1;
    for (last = 0; last <= 1; last++) {
        for (step = -1; step <= 1; step++) {
            if (!host(&a->p, last, step, &h) && addr_put(arr, n, cap, &h))
                return -1;
        }
    }
    return 0;
}

static int
class_put(struct fe_space *s, int proto, long port)
{
    size_t i;

    for (i = 0; i < s->nc; i++) {
        if (s->cls[i].proto == proto && s->cls[i].port == port)
            return 0;
    }
    if (grow((void **)&s->cls, &s->cap_c, s->nc, sizeof *s->cls))
        return -1;
    memset(&s->cls[s->nc], 0, sizeof *s->cls);
    s->cls[s->nc].proto = proto;
    s->cls[s->nc++].port = port;
    return 0;
}

static int
class_seed(struct fe_space *s)
{
    static const int base[] = {6, 17, 1, 255};
    size_t i;

    if (s->nc)
        return 0;
    for (i = 0; i < sizeof base / sizeof *base; i++) {
        if (class_put(s, base[i], fe_proto_ports(base[i]) ? 0 : -1))
            return -1;
    }
    return 0;
}

/* Port boundaries of @p r for protocol @p proto. */
static int
class_ports(struct fe_space *s, const struct fe_rule *r, int proto)
{
    int i;

    for (i = 0; i < r->nports; i++) {
        if (class_put(s, proto, r->port[i][0]) || (r->port[i][1] < 65535 && class_put(s, proto, r->port[i][1] + 1)))
            return -1;
    }
    return 0;
}

int
fe_space_add(struct fe_space *s, const struct fe_filter *f)
{
    static const int ported[] = {6, 17, 132};
    size_t i, k;

    if (class_seed(s))
        return -1;
    for (i = 0; i < f->n; i++) {
        const struct fe_rule *r = &f->rules[i];

        if (addr_bounds(&s->srcs, &s->ns, &s->cap_s, &r->src) || addr_bounds(&s->dsts, &s->nd, &s->cap_d, &r->dst))
            return -1;
        if (r->proto != FE_PROTO_ANY && class_put(s, r->proto, fe_proto_ports(r->proto) ? 0 : -1))
            return -1;
        if (r->proto != FE_PROTO_ANY) {
            if (fe_proto_ports(r->proto) && class_ports(s, r, r->proto))
                return -1;
            continue;
        }
        for (k = 0; k < sizeof ported / sizeof *ported; k++) {
            if (r->nports && class_ports(s, r, ported[k]))
                return -1;
        }
    }
    /* A witness outside every prefix and name: the zero IPv4 address (prefixes add their family's). */
    {
        struct fe_addr zero = {.kind = FE_A_PFX, .p = {.family = 4, .len = 32}};

        if (addr_put(&s->srcs, &s->ns, &s->cap_s, &zero) || addr_put(&s->dsts, &s->nd, &s->cap_d, &zero))
            return -1;
    }
    return 0;
}

size_t
fe_space_size(const struct fe_space *s)
{
    return s->ns * s->nd * s->nc;
}

void
fe_space_free(struct fe_space *s)
{
    free(s->srcs);
    free(s->dsts);
    free(s->cls);
    memset(s, 0, sizeof *s);
}

int
fe_space_class(const struct fe_filter *const *fs, size_t nf, const struct fe_pkt *cls, struct fe_space *out)
{
    struct fe_addr zero = {.kind = FE_A_PFX, .p = {.family = 4, .len = 32}};
    size_t i, k;

    memset(out, 0, sizeof *out);
    for (k = 0; k < nf; k++) {
        for (i = 0; i < fs[k]->n; i++) {
            const struct fe_rule *r = &fs[k]->rules[i];

            if (!class_match(r, cls))
                continue;
            if (addr_bounds(&out->srcs, &out->ns, &out->cap_s, &r->src) ||
                    addr_bounds(&out->dsts, &out->nd, &out->cap_d, &r->dst))
                goto nomem;
        }
    }
    if (addr_put(&out->srcs, &out->ns, &out->cap_s, &zero) || addr_put(&out->dsts, &out->nd, &out->cap_d, &zero) ||
            grow((void **)&out->cls, &out->cap_c, 0, sizeof *out->cls))
        goto nomem;
    out->cls[0] = *cls;
    out->nc = 1;
    return 0;
nomem:
    fe_space_free(out);
    return -1;
}

int
fe_live(const struct fe_filter *f, const struct fe_rule *r, const struct fe_space *s)
{
    size_t a, b, c;
    struct fe_space one;
    struct fe_pkt p;
    int live = 0;

    for (c = 0; c < s->nc && !live; c++) {
        p = s->cls[c];
        if (!class_match(r, &p))
            continue;
        if (fe_space_class(&f, 1, &p, &one))
            return -1;
        for (a = 0; a < one.ns && !live; a++) {
            p.src = one.srcs[a];
            for (b = 0; b < one.nd && !live; b++) {
                p.dst = one.dsts[b];
                live = fe_match(f, &p) == r;
            }
        }
        fe_space_free(&one);
    }
    return live;
}

char *
fe_class_str(int proto, long lo, long hi, char *buf, size_t size)
{
    const char *name = NULL;
    size_t i;

    for (i = 0; i < sizeof protos / sizeof *protos; i++) {
        if (protos[i].num == proto) {
            name = protos[i].name;
            break;
        }
    }
    if (proto == 255)
        name = "other IP protocols";
    if (!fe_proto_ports(proto) || lo < 0) {
        if (name)
            snprintf(buf, size, "%s", name);
        else
            snprintf(buf, size, "protocol %d", proto);
    } else if (lo == 0 && hi == 65535)
        snprintf(buf, size, "%s, every port", name);
    else if (lo == hi)
        snprintf(buf, size, "%s/%ld", name, lo);
    else
        snprintf(buf, size, "%s/%ld-%ld", name, lo, hi);
    return buf;
}
