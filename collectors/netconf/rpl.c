/**
 * @file rpl.c
 * @brief IOS-XR RPL text (route-policy, prefix-set, community-set) into the
 * policy model; see rpl.h for the subset and why the rest is refused.
 *
 * A policy is read into terms first and written to the model only when all
 * of it was understood. Each `if` branch becomes a term with the branch's
 * conditions; statements outside an `if` become an unconditional term.
 */
#include "rpl.h"

#include "map_xe_xr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RPL_TERMS 64
#define RPL_NAME 128
#define RPL_COMM 8
#define RPL_TOKS 16

enum { RA_NEXT, RA_ACCEPT, RA_REJECT };

struct rpl_term {
    long line;                    /* of the branch (or first statement) in the text */
    char pset[RPL_NAME];
    int pinv;
    char cset[RPL_NAME];
    int call, cinv;               /* matches-every; not */
    int has_lp;
    unsigned long lp;
    unsigned prepend;
    char comm[RPL_COMM][32];
    size_t ncomm;
    char commset[RPL_NAME];       /* set community SET */
    int action, passes, cond;
    int if_id;                    /* 0 outside an if */
};

struct rpl {
    struct rpl_term t[RPL_TERMS];
    size_t n;
    long line;                    /* line being read */
    char why[300];
};

/* ---- text ------------------------------------------------------------ */

/* Split @p line (modified) into tokens; commas and parentheses are tokens of their own. */
static size_t
rpl_tokens(char *line, char *tok[RPL_TOKS])
{
    static char punct[3][2] = {"(", ")", ","};
    size_t n = 0;
    char *p = line;

    while (*p && n < RPL_TOKS) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            break;
        if (*p == '(' || *p == ')' || *p == ',') {
            tok[n++] = punct[*p == '(' ? 0 : *p == ')' ? 1 : 2];
            *p++ = '\0';
            continue;
        }
        tok[n++] = p;
        while (*p && !isspace((unsigned char)*p) && *p != '(' && *p != ')' && *p != ',')
            p++;
        if (*p == '(' || *p == ')' || *p == ',') {
            /* keep the punctuation for the next round */
            char c = *p;

            *p = '\0';
            if (n < RPL_TOKS)
                tok[n++] = punct[c == '(' ? 0 : c == ')' ? 1 : 2];
            p++;
        } else if (*p)
            *p++ = '\0';
    }
    return n;
}

/* Callers index only below the token count: later slots hold an earlier line's words. */
static int
tok_is(const char *t, const char *s)
{
    return t && !strcmp(t, s);
}

static int
rpl_fail(struct rpl *r, const char *fmt, const char *what)
{
    if (!*r->why)
        snprintf(r->why, sizeof r->why, fmt, what);
    return -1;
}

/* ---- route-policy ---------------------------------------------------- */

static struct rpl_term *
rpl_new_term(struct rpl *r, int cond, int if_id)
{
    struct rpl_term *t;

    if (r->n == RPL_TERMS) {
        rpl_fail(r, "%s", "more than 64 branches");
        return NULL;
    }
    t = &r->t[r->n++];
    memset(t, 0, sizeof *t);
    t->line = r->line;
    t->cond = cond;
    t->if_id = if_id;
    return t;
}

/* `[not] destination in SET` / `[not] community matches-any|matches-every SET` [and ...] up to `then`. */
static int
rpl_condition(struct rpl *r, struct rpl_term *t, char **tok, size_t n)
{
    size_t i = 1;

    while (i < n && !tok_is(tok[i], "then")) {
        int inv = 0;

        if (tok_is(tok[i], "not"))
            inv = 1, i++;
        if (i + 2 < n && tok_is(tok[i], "destination") && tok_is(tok[i + 1], "in") && strcmp(tok[i + 2], "(")
                && !*t->pset) {
            snprintf(t->pset, sizeof t->pset, "%s", tok[i + 2]);
            t->pinv = inv;
        } else if (i + 2 < n && tok_is(tok[i], "community") && (tok_is(tok[i + 1], "matches-any")
                || tok_is(tok[i + 1], "matches-every")) && strcmp(tok[i + 2], "(") && !*t->cset
                && !(inv && tok_is(tok[i + 1], "matches-every"))) {
            snprintf(t->cset, sizeof t->cset, "%s", tok[i + 2]);
            t->call = tok_is(tok[i + 1], "matches-every");
            t->cinv = inv;
        } else {
            return rpl_fail(r, "condition at '%s' is not understood", i < n ? tok[i] : "the end of the line");
        }
        i += 3;
        if (i < n && tok_is(tok[i], "and"))
            i++;
        else if (i < n && !tok_is(tok[i], "then"))
            return rpl_fail(r, "condition at '%s' is not understood (only 'and' joins conditions)", tok[i]);
    }
    if (i == n || i + 1 != n || i == 1)
        return rpl_fail(r, "%s", "'if' without a condition and 'then' at the end of the line");
    return 0;
}

/* A statement of a branch body. */
static int
rpl_action(struct rpl *r, struct rpl_term *t, char **tok, size_t n)
{
    char *end;
    size_t i;

    if (t->action != RA_NEXT)
        return 0;                                   /* after drop or done: never reached */
    if (n == 1 && tok_is(tok[0], "pass"))
        t->passes = 1;
    else if (n == 1 && tok_is(tok[0], "drop"))
        t->action = RA_REJECT;
    else if (n == 1 && tok_is(tok[0], "done"))
        t->action = RA_ACCEPT;
    else if (n == 3 && tok_is(tok[0], "set") && tok_is(tok[1], "local-preference")) {
        t->lp = strtoul(tok[2], &end, 10);
        if (*end || !isdigit((unsigned char)*tok[2]) || t->lp > 4294967295ul)
            return rpl_fail(r, "local-preference '%s' is not a number", tok[2]);
        t->has_lp = t->passes = 1;
    } else if ((n == 3 || n == 4) && tok_is(tok[0], "prepend") && tok_is(tok[1], "as-path")) {
        unsigned long k = n == 4 ? strtoul(tok[3], &end, 10) : 1;

        if ((n == 4 && (*end || k < 1 || k > 63)) || t->prepend + k > 255)
            return rpl_fail(r, "prepend count '%s' is not understood", n == 4 ? tok[3] : tok[2]);
        t->prepend += (unsigned)k;
        t->passes = 1;
    } else if (n >= 3 && tok_is(tok[0], "set") && tok_is(tok[1], "community")) {
        if (tok_is(tok[2], "(")) {
            for (i = 3; i < n && !tok_is(tok[i], ")"); i++) {
                if (tok_is(tok[i], ","))
                    continue;
                if (t->ncomm == RPL_COMM || !strchr(tok[i], ':') || strspn(tok[i], "0123456789:") != strlen(tok[i]))
                    return rpl_fail(r, "community '%s' is not understood", tok[i]);
                snprintf(t->comm[t->ncomm++], sizeof t->comm[0], "%s", tok[i]);
            }
            if (i == n)
                return rpl_fail(r, "%s", "set community without ')'");
            i++;
        } else {
            snprintf(t->commset, sizeof t->commset, "%s", tok[2]);
            i = 3;
        }
        if (i < n && !tok_is(tok[i], "additive"))
            return rpl_fail(r, "set community: '%s' is not understood", tok[i]);
        t->passes = 1;
    } else if (n >= 3 && tok_is(tok[0], "set") && (tok_is(tok[1], "med") || tok_is(tok[1], "origin")
            || tok_is(tok[1], "next-hop"))) {
        t->passes = 1;                              /* no place in the model; it passes the route */
    } else {
        return rpl_fail(r, "statement '%s' is not understood", tok[0]);
    }
    return 0;
}

struct rpl_if {
    int id;
    int open;
    size_t nonterm;               /* non-terminal branches so far */
    struct rpl_term *last;        /* the previous branch */
};

/* else / elseif: exact only when earlier branches end the route, or (else) one simple branch is inverted. */
static int
rpl_branch(struct rpl *r, struct rpl_if *f, char **tok, size_t n, struct rpl_term **cur)
{
    struct rpl_term *t, *prev = f->last;

    if (prev && prev->action == RA_NEXT)
        f->nonterm++;
    if (!(t = rpl_new_term(r, 0, f->id)))
        return -1;
    if (tok_is(tok[0], "elseif")) {
        if (f->nonterm)
            return rpl_fail(r, "%s", "'elseif' after a branch that does not end the route is not modelled");
        t->cond = 1;
        if (rpl_condition(r, t, tok, n))
            return -1;
    } else if (n != 1) {
        return rpl_fail(r, "%s", "'else' with more on its line");
    } else if (f->nonterm) {
        /* else of `if C then ... (no drop/done)`: NOT C, when C is one set. */
        if (f->nonterm > 1 || prev->action != RA_NEXT || (*prev->pset && *prev->cset) || prev->call)
            return rpl_fail(r, "%s", "'else' after branches that do not end the route is not modelled");
        t->cond = 1;
        snprintf(t->pset, sizeof t->pset, "%s", prev->pset);
        t->pinv = *prev->pset && !prev->pinv;
        snprintf(t->cset, sizeof t->cset, "%s", prev->cset);
        t->cinv = *prev->cset && !prev->cinv;
    }
    f->last = *cur = t;
    return 0;
}

static int
rpl_line(struct rpl *r, struct rpl_if *f, char **tok, size_t n, struct rpl_term **cur)
{
    if (tok_is(tok[0], "if")) {
        if (f->open)
            return rpl_fail(r, "%s", "a nested 'if' is not modelled");
        f->open = 1;
        f->id++;
        f->nonterm = 0;
        if (!(f->last = *cur = rpl_new_term(r, 1, f->id)))
            return -1;
        return rpl_condition(r, *cur, tok, n);
    }
    if (tok_is(tok[0], "elseif") || tok_is(tok[0], "else")) {
        if (!f->open)
            return rpl_fail(r, "'%s' outside an 'if'", tok[0]);
        return rpl_branch(r, f, tok, n, cur);
    }
    if (tok_is(tok[0], "endif")) {
        if (!f->open || n != 1)
            return rpl_fail(r, "%s", "'endif' without an 'if'");
        f->open = 0;
        *cur = NULL;
        return 0;
    }
    if (tok_is(tok[0], "apply"))
        return rpl_fail(r, "%s", "'apply' of another policy is not modelled");
    /* A statement outside an if goes to the unconditional term it belongs to. */
    if (!f->open && (!*cur || (*cur)->if_id)) {
        if (!(*cur = rpl_new_term(r, 0, 0)))
            return -1;
    }
    return rpl_action(r, *cur, tok, n);
}

/* Read the whole text into @p r; 0 when every line was understood. */
static int
rpl_read(struct rpl *r, const char *text, const char *name)
{
    struct rpl_if f = {0};
    struct rpl_term *cur = NULL;
    char *copy = strdup(text), *line, *save = NULL, *tok[RPL_TOKS];
    int in = 0, rc = 0, ended = 0;
    size_t n;

    if (!copy)
        return rpl_fail(r, "%s", "out of memory");
    for (line = strtok_r(copy, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
        r->line++;
        if (!(n = rpl_tokens(line, tok)))
            continue;
        if (n == RPL_TOKS)
            rc = rpl_fail(r, "%s", "a line with too many words");
        else if (!in) {
            if (n == 2 && tok_is(tok[0], "route-policy") && tok_is(tok[1], name))
                in = 1;
            else
                rc = rpl_fail(r, "'%s' where 'route-policy NAME' was expected", tok[0]);
        } else if (tok_is(tok[0], "end-policy")) {
            ended = 1;
            break;
        } else {
            rc = rpl_line(r, &f, tok, n, &cur);
        }
    }
    if (!rc && !ended)
        rc = rpl_fail(r, "%s", "no 'end-policy'");
    if (!rc && f.open)
        rc = rpl_fail(r, "%s", "'if' without 'endif'");
    free(copy);
    return rc;
}

/* Decide the actions of conditional passes and the end of the policy; 0 when exact. */
static int
rpl_settle(struct rpl *r, int *default_accept)
{
    size_t i, j;
    int uncond = 0;

    for (i = 0; i < r->n; i++)
        uncond |= !r->t[i].cond && r->t[i].passes && r->t[i].action == RA_NEXT;
    *default_accept = uncond;
    if (uncond)
        return 0;
    for (i = 0; i < r->n; i++) {
        struct rpl_term *t = &r->t[i];

        if (!t->passes || t->action != RA_NEXT)
            continue;
        /* Passed here, and only exclusive branches follow: accepted at the end. */
        for (j = i + 1; j < r->n && r->t[j].if_id == t->if_id && t->if_id; j++)
            ;
        if (j < r->n) {
            r->line = t->line;
            return rpl_fail(r, "%s", "a pass under a condition followed by more statements is not modelled");
        }
        t->action = RA_ACCEPT;
    }
    return 0;
}

static er_code
rpl_write_term(struct ncm *c, const struct xr_node *at, struct lyd_node *pol, const struct rpl_term *t)
{
    static const char *const act[] = {"next", "accept", "reject"};
    struct lyd_node *term, *set, *m;
    char name[32], nb[8];
    size_t i;
    er_code rc;

    snprintf(name, sizeof name, "line-%ld", t->line);
    ER_TRY(rc, ncm_list(c, pol, "term", name, at, &term), done);
    if (*t->pset) {
        ER_TRY(rc, ncm_leaflist(c, term, "match-prefix-set", t->pset, at), done);
        if (t->pinv)
            ER_TRY(rc, ncm_leaf(c, term, "match-prefix-set-options", "invert", at), done);
    }
    if (*t->cset) {
        ER_TRY(rc, ncm_leaflist(c, term, "match-community-set", t->cset, at), done);
        ER_TRY(rc, ncm_leaf(c, term, "match-community-set-options", t->cinv ? "invert" : t->call ? "all" : "any",
                at), done);
    }
    if (t->has_lp) {
        snprintf(nb, sizeof nb, "%lu", t->lp);
        ER_TRY(rc, ncm_leaf(c, term, "set-local-preference", nb, at), done);
    }
    if (t->prepend) {
        snprintf(nb, sizeof nb, "%u", t->prepend);
        ER_TRY(rc, ncm_leaf(c, term, "set-prepend-count", nb, at), done);
    }
    for (i = 0; i < t->ncomm; i++)
        ER_TRY(rc, ncm_leaflist(c, term, "set-community", t->comm[i], at), done);
    if (*t->commset) {
        if (!(set = model_find(c->mc->dev, "community-set", t->commset)))
            return ncm_bad(c, at, "line %ld: community-set '%s' is not defined", t->line, t->commset);
        MODEL_FOR(set, "member", m)
            ER_TRY(rc, ncm_leaflist(c, term, "set-community", model_value(m), at), done);
    }
    rc = ncm_leaf(c, term, "action", act[t->action], at);
done:
    return rc;
}

er_code
rpl_policy(struct ncm *c, const struct xr_node *at, const char *name, const char *text)
{
    struct rpl *r = calloc(1, sizeof *r);
    struct lyd_node *pol = NULL;
    int accept = 0;
    size_t i;
    er_code rc = ER_OK;

    if (!r)
        return er_set(c->err, ER_ENOMEM, "out of memory");
    if (rpl_read(r, text, name) || rpl_settle(r, &accept)) {
        rc = ncm_bad(c, at, "route-policy %s line %ld: %s; the policy is left undefined (rules that need it say "
                "N/E)", name, r->line, r->why);
        goto done;
    }
    ER_TRY(rc, ncm_list(c, c->mc->dev, "policy", name, at, &pol), done);
    for (i = 0; i < r->n; i++)
        ER_TRY(rc, rpl_write_term(c, at, pol, &r->t[i]), done);
    rc = ncm_leaf(c, pol, "default-action", accept ? "accept" : "reject", at);
done:
    free(r);
    return rc;
}

/* ---- sets ------------------------------------------------------------ */

/*
 * The entries of a set: the lines between `KIND NAME` and `end-set`, split
 * at commas; @p each is called with the words of one entry.
 */
static er_code
rpl_set(struct ncm *c, const struct xr_node *at, const char *kind, const char *name, const char *text,
        er_code (*each)(struct ncm *c, const struct xr_node *at, void *arg, char **w, size_t n, long line),
        void *arg)
{
    char *copy = strdup(text), *line, *save = NULL, *tok[RPL_TOKS], *w[RPL_TOKS];
    size_t n, i, k = 0;
    long ln = 0;
    int in = 0, ended = 0;
    er_code rc = ER_OK;

    if (!copy)
        return er_set(c->err, ER_ENOMEM, "out of memory");
    for (line = strtok_r(copy, "\n", &save); line && !rc && !ended; line = strtok_r(NULL, "\n", &save)) {
        ln++;
        if (!(n = rpl_tokens(line, tok)))
            continue;
        if (!in) {
            if (n != 2 || !tok_is(tok[0], kind) || !tok_is(tok[1], name))
                rc = ncm_bad(c, at, "%s %s line %ld: '%s' where '%s %s' was expected", kind, name, ln, tok[0],
                        kind, name);
            in = 1;
            continue;
        }
        if (n == 1 && tok_is(tok[0], "end-set")) {
            ended = 1;
            break;
        }
        for (i = 0; i <= n && !rc; i++) {
            if (i == n || tok_is(tok[i], ",")) {
                if (k)
                    rc = each(c, at, arg, w, k, ln);
                k = 0;
            } else if (k < RPL_TOKS) {
                w[k++] = tok[i];
            }
        }
    }
    if (!rc && !ended)
        rc = ncm_bad(c, at, "%s %s: no 'end-set'", kind, name);
    free(copy);
    return rc;
}

static er_code
rpl_prefix_entry(struct ncm *c, const struct xr_node *at, void *arg, char **w, size_t n, long line)
{
    struct lyd_node *set = arg, *ent;
    const char *slash = strchr(w[0], '/');
    int max = strchr(w[0], ':') ? 128 : 32, len = slash ? atoi(slash + 1) : -1, lo, hi, ge = -1, le = -1, eq = -1;
    char range[32];
    size_t i;

    if (!slash || len < 0 || len > max)
        return ncm_bad(c, at, "prefix-set line %ld: '%s' is not a prefix", line, w[0]);
    for (i = 1; i < n; i += 2) {
        int v;

        if (i + 1 >= n)
            return ncm_bad(c, at, "prefix-set line %ld: '%s' without a length", line, w[i]);
        v = atoi(w[i + 1]);
        if (v < len || v > max || strspn(w[i + 1], "0123456789") != strlen(w[i + 1]))
            return ncm_bad(c, at, "prefix-set line %ld: length %s out of range for %s", line, w[i + 1], w[0]);
        if (tok_is(w[i], "ge"))
            ge = v;
        else if (tok_is(w[i], "le"))
            le = v;
        else if (tok_is(w[i], "eq"))
            eq = v;
        else
            return ncm_bad(c, at, "prefix-set line %ld: '%s' is not understood", line, w[i]);
    }
    lo = eq >= 0 ? eq : ge >= 0 ? ge : len;
    hi = eq >= 0 ? eq : le >= 0 ? le : ge >= 0 ? max : len;
    if (lo == len && hi == len)
        snprintf(range, sizeof range, "exact");
    else
        snprintf(range, sizeof range, "%d..%d", lo, hi);
    return ncm_list2(c, set, "entry", w[0], range, at, &ent);
}

er_code
rpl_prefix_set(struct ncm *c, const struct xr_node *at, const char *name, const char *text)
{
    struct lyd_node *set = NULL;
    er_code rc;

    ER_TRY(rc, ncm_list(c, c->mc->dev, "prefix-set", name, at, &set), done);
    rc = rpl_set(c, at, "prefix-set", name, text, rpl_prefix_entry, set);
done:
    return rc;
}

static er_code
rpl_comm_entry(struct ncm *c, const struct xr_node *at, void *arg, char **w, size_t n, long line)
{
    if (n != 1 || !strchr(w[0], ':') || strspn(w[0], "0123456789:") != strlen(w[0]))
        return ncm_bad(c, at, "community-set line %ld: '%s' is not modelled (only AA:NN members); the set is left "
                "undefined", line, w[0]);
    return ncm_leaflist(c, arg, "member", w[0], at);
}

er_code
rpl_community_set(struct ncm *c, const struct xr_node *at, const char *name, const char *text)
{
    struct lyd_node *set = NULL;
    er_code rc;

    ER_TRY(rc, ncm_list(c, c->mc->dev, "community-set", name, at, &set), done);
    rc = rpl_set(c, at, "community-set", name, text, rpl_comm_entry, set);
done:
    return rc;
}
