/**
 * @file model_reads.c
 * @brief Sets of schema nodes: what rules read, where two trees differ.
 */
#include "model_reads.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

__thread struct model_reads *model_reads_cur;

/* Open addressing on the node's address; the eraudit-network schema has a few hundred nodes. */
struct model_reads {
    const struct lysc_node **slot;
    size_t cap, n;
    int all;                            /* could not grow: holds everything */
};

struct model_reads *
model_reads_new(void)
{
    struct model_reads *r = calloc(1, sizeof *r);

    if (r && !(r->slot = calloc(r->cap = 256, sizeof *r->slot))) {
        free(r);
        r = NULL;
    }
    return r;
}

void
model_reads_free(struct model_reads *r)
{
    if (r)
        free(r->slot);
    free(r);
}

static size_t
slot_of(const struct model_reads *r, const struct lysc_node *s)
{
    size_t i = ((uintptr_t)s >> 4) * 0x9E3779B97F4A7C15ull >> 20;

    for (i &= r->cap - 1; r->slot[i] && r->slot[i] != s; i = (i + 1) & (r->cap - 1))
        ;
    return i;
}

static int
grow(struct model_reads *r)
{
    struct model_reads big = {.cap = r->cap * 2};
    size_t i;

    if (!(big.slot = calloc(big.cap, sizeof *big.slot)))
        return -1;
    for (i = 0; i < r->cap; i++) {
        if (r->slot[i])
            big.slot[slot_of(&big, r->slot[i])] = r->slot[i];
    }
    free(r->slot);
    r->slot = big.slot;
    r->cap = big.cap;
    return 0;
}

void
model_reads_add(struct model_reads *r, const struct lysc_node *s)
{
    size_t i;

    if (!r || !s || r->all)
        return;
    i = slot_of(r, s);
    if (r->slot[i])
        return;
    /* At most half full, so a probe ends soon. */
    if ((r->n + 1) * 2 > r->cap) {
        if (grow(r)) {
            r->all = 1;
            return;
        }
        i = slot_of(r, s);
    }
    r->slot[i] = s;
    r->n++;
}

void
model_reads_note_child(const struct lyd_node *parent, const char *name)
{
    const struct lysc_node *s = NULL;

    if (!model_reads_cur || !parent || !parent->schema)
        return;
    /* Choice and case nodes hold no data: look through them as lys_find_child does. */
    s = lys_find_child(parent->schema, parent->schema->module, name, 0, 0, 0);
    /* A child of another module (an augment): noted by every node of that name below parent. */
    if (!s) {
        while ((s = lys_getnext(s, parent->schema, NULL, 0))) {
            if (!strcmp(s->name, name))
                model_reads_add(model_reads_cur, s);
        }
        return;
    }
    model_reads_add(model_reads_cur, s);
}

void
model_reads_start(struct model_reads *r)
{
    model_reads_cur = r;
}

void
model_reads_everything(struct model_reads *r)
{
    if (r)
        r->all = 1;
}

void
model_reads_merge(struct model_reads *to, const struct model_reads *from)
{
    size_t i;

    if (!to || !from)
        return;
    to->all |= from->all;
    for (i = 0; i < from->cap; i++)
        model_reads_add(to, from->slot[i]);
}

int
model_reads_meet(const struct model_reads *a, const struct model_reads *b)
{
    size_t i;

    if (!a || !b || !a->n || !b->n)
        return (a && b) && ((a->all && (b->n || b->all)) || (b->all && (a->n || a->all)));
    if (a->all || b->all)
        return 1;
    if (a->cap > b->cap) {
        const struct model_reads *t = a;

        a = b;
        b = t;
    }
    for (i = 0; i < a->cap; i++) {
        if (a->slot[i] && b->slot[slot_of(b, a->slot[i])])
            return 1;
    }
    return 0;
}

int
model_reads_is_everything(const struct model_reads *r)
{
    return r && r->all;
}

void
model_reads_each(const struct model_reads *r, void (*cb)(const struct lysc_node *s, void *arg), void *arg)
{
    size_t i;

    for (i = 0; r && i < r->cap; i++) {
        if (r->slot[i])
            cb(r->slot[i], arg);
    }
}

int
model_reads_has(const struct model_reads *r, const struct lysc_node *s)
{
    return r && s && (r->all || r->slot[slot_of(r, s)] == s);
}

int
model_reads_within(const struct model_reads *a, const struct model_reads *b)
{
    size_t i;

    if (!a || !a->n)
        return !a || !a->all || (b && b->all);
    if (!b || (a->all && !b->all))
        return 0;
    for (i = 0; i < a->cap; i++) {
        if (a->slot[i] && !model_reads_has(b, a->slot[i]))
            return 0;
    }
    return 1;
}

void
model_reads_close(struct model_reads *r)
{
    const struct lysc_node **v, *p, *k;
    size_t i, n = 0;

    if (!r || r->all)
        return;
    if (!(v = malloc((r->n ? r->n : 1) * sizeof *v))) {
        r->all = 1;
        return;
    }
    for (i = 0; i < r->cap; i++) {
        if (r->slot[i])
            v[n++] = r->slot[i];
    }
    for (i = 0; i < n; i++) {
        for (p = v[i]; p; p = p->parent)
            model_reads_add(r, p);
    }
    free(v);
    /* Keys of every list now in the set (ancestors included). */
    if (!(v = malloc((r->n ? r->n : 1) * sizeof *v))) {
        r->all = 1;
        return;
    }
    for (i = n = 0; i < r->cap; i++) {
        if (r->slot[i])
            v[n++] = r->slot[i];
    }
    for (i = 0; i < n; i++) {
        if (v[i]->nodetype != LYS_LIST)
            continue;
        for (k = lysc_node_child(v[i]); k && (k->flags & LYS_KEY); k = k->next)
            model_reads_add(r, k);
    }
    free(v);
}

void
model_reads_prune(struct lyd_node *tree, const struct model_reads *keep)
{
    struct lyd_node *c, *next;

    if (!tree || !keep || keep->all)
        return;
    for (c = lyd_child(tree); c; c = next) {
        next = c->next;
        if (c->schema && !model_reads_has(keep, c->schema))
            lyd_free_tree(c);
        else
            model_reads_prune(c, keep);
    }
}

size_t
model_reads_count(const struct model_reads *r)
{
    return r ? r->n : 0;
}

/* Every schema node of the subtree @p n, itself included. */
static void
add_subtree(const struct lyd_node *n, struct model_reads *changed)
{
    const struct lyd_node *x;

    LYD_TREE_DFS_BEGIN(n, x) {
        model_reads_add(changed, x->schema);
        LYD_TREE_DFS_END(n, x);
    }
}

static const struct lyd_node *
first_of(const struct lyd_node *parent, const struct lysc_node *s)
{
    const struct lyd_node *c;

    LY_LIST_FOR(lyd_child(parent), c) {
        if (c->schema == s)
            return c;
    }
    return NULL;
}

static size_t
count_run(const struct lyd_node *c)
{
    const struct lysc_node *s = c ? c->schema : NULL;
    size_t n = 0;

    for (; c && c->schema == s; c = c->next)
        n++;
    return n;
}

/* 1 when list entries @p a and @p b have the same keys. */
static int
same_keys(const struct lyd_node *a, const struct lyd_node *b)
{
    const struct lyd_node *ka = lyd_child(a), *kb = lyd_child(b);

    for (; ka && ka->schema && lysc_is_key(ka->schema); ka = ka->next, kb = kb ? kb->next : NULL) {
        if (!kb || kb->schema != ka->schema || strcmp(lyd_get_value(ka), lyd_get_value(kb)))
            return 0;
    }
    return !kb || !kb->schema || !lysc_is_key(kb->schema);
}

static void diff_children(const struct lyd_node *a, const struct lyd_node *b, struct model_reads *changed);

/* Compare the instances of one schema node (@p na of @p a, @p nb of @p b, in order). */
static void
diff_run(const struct lyd_node *a, size_t na, const struct lyd_node *b, size_t nb, struct model_reads *changed)
{
    const struct lysc_node *s = a ? a->schema : b->schema;
    const struct lyd_node *x, *y;
    size_t i;
    int same = na == nb;

    for (x = a, y = b, i = 0; same && i < na; i++, x = x->next, y = y->next) {
        if (s->nodetype & LYD_NODE_TERM)
            same = !strcmp(lyd_get_value(x), lyd_get_value(y));
        else if (s->nodetype == LYS_LIST)
            same = same_keys(x, y);
    }
    if (!same) {
        model_reads_add(changed, s);
        for (x = a, i = 0; i < na; i++, x = x->next)
            add_subtree(x, changed);
        for (y = b, i = 0; i < nb; i++, y = y->next)
            add_subtree(y, changed);
        return;
    }
    if (s->nodetype & LYD_NODE_TERM)
        return;
    for (x = a, y = b, i = 0; i < na; i++, x = x->next, y = y->next)
        diff_children(x, y, changed);
}

static void
diff_children(const struct lyd_node *a, const struct lyd_node *b, struct model_reads *changed)
{
    const struct lyd_node *c;

    /* Every schema node present under a, then those present under b only. */
    for (c = lyd_child(a); c; c = c->next) {
        const struct lyd_node *d;
        size_t n = count_run(c);

        if (!c->schema) {
            model_reads_add(changed, a->schema);
            return;
        }
        d = first_of(b, c->schema);
        diff_run(c, n, d, d ? count_run(d) : 0, changed);
        while (--n)
            c = c->next;
    }
    for (c = lyd_child(b); c; c = c->next) {
        if (!c->schema) {
            model_reads_add(changed, b->schema);
            return;
        }
        if (!first_of(a, c->schema))
            add_subtree(c, changed);
    }
}

void
model_reads_diff(const struct lyd_node *a, const struct lyd_node *b, struct model_reads *changed)
{
    if (!a || !b) {
        if (a || b)
            add_subtree(a ? a : b, changed);
        return;
    }
    diff_children(a, b, changed);
}
