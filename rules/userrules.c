/**
 * @file userrules.c
 * @brief User rules: YAML in, compiled XPath assertions out, run as rules.
 *
 * A user rule is a struct rule like the built-in ones, so the engine,
 * waivers, overrides and reports treat both alike. Its compiled data sits
 * in a struct urule whose first member is a NULL pointer: the rule's
 * `paths` list points there, which makes it an empty path list for the
 * engine and lets the check function get back to its data.
 */
#include "userrules.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml.h>

#include "bound.h"
#include "yamlread.h"

#define UR_MAX 256
#define UR_MAX_DEPTH 32   /* as an inventory's */
#define UR_XPATH_MAX 2048

struct urule {
    const char *no_paths;    /* must stay first and NULL, see above */
    char *id, *title, *message, *select, *assert_xp, *remediation, *question;
    int line;
};

struct urules {
    struct urule *v;
    size_t n;
    struct rule *table;      /* built-in rules, then ours */
    size_t n_table;
};

static void urule_check(struct rule_ctx *rc);

void
urules_free(struct urules *u)
{
    size_t i;

    if (!u)
        return;
    for (i = 0; i < u->n; i++) {
        struct urule *r = &u->v[i];

        free(r->id);
        free(r->title);
        free(r->message);
        free(r->select);
        free(r->assert_xp);
        free(r->remediation);
        free(r->question);
    }
    free(u->v);
    free(u->table);
    free(u);
}

const struct rule *
urules_table(const struct urules *u, size_t *n)
{
    if (!u)
        return rules_builtin(n);
    *n = u->n_table;
    return u->table;
}

int
urules_is_user(const struct rule *r)
{
    return r && r->check == urule_check;
}

const char *
urules_question(const struct rule *r)
{
    return r && r->check == urule_check ? ((const struct urule *)(const void *)r->paths)->question : NULL;
}

/* ---- loading ---- */

struct ur_load {
    struct yread y;              /* the document, its name and where errors go */
    const struct ly_ctx *ctx;
};

static er_code
ur_fail(struct ur_load *l, const yaml_node_t *n, const char *fmt, const char *arg)
{
    char msg[600];

    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return yr_fail(&l->y, n, "%s", msg);
}

static const char *
ur_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length ? (const char *)n->data.scalar.value : NULL;
}

static const char *
ur_section_ok(const char *s, enum er_section *out)
{
    int i;

    for (i = 0; i < SECT_COLLECTION; i++) {
        if (!strcmp(section_name((enum er_section)i), s)) {
            *out = (enum er_section)i;
            return s;
        }
    }
    return NULL;
}

/* The libyang message for a refused XPath. */
static er_code
ur_xpath_err(struct ur_load *l, const yaml_node_t *n, const char *which)
{
    const struct ly_err_item *e = ly_err_last(l->ctx);
    char msg[600];

    snprintf(msg, sizeof msg, "%s is not a valid path in eraudit-network: %s", which,
            e && e->msg ? e->msg : "libyang refused it");
    return ur_fail(l, n, "%s", msg);
}

/*
 * The text checks made before libyang sees an XPath: a bounded length,
 * printable characters, closed quotes, balanced brackets and parentheses.
 * NULL when it passes, else what is wrong.
 */
static const char *
ur_xpath_text(const char *xp)
{
    char stack[64], q = 0;
    size_t depth = 0;
    const char *p;

    if (strlen(xp) > UR_XPATH_MAX)
        return "longer than 2048 characters";
    for (p = xp; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "a control character";
        if (q) {
            q = *p == q ? 0 : q;
        } else if (*p == '"' || *p == '\'') {
            q = *p;
        } else if (*p == '[' || *p == '(') {
            if (depth == sizeof stack)
                return "brackets nested more than 64 deep";
            stack[depth++] = *p == '[' ? ']' : ')';
        } else if (*p == ']' || *p == ')') {
            if (!depth || stack[--depth] != *p)
                return *p == ']' ? "a ']' that closes nothing" : "a ')' that closes nothing";
        }
    }
    if (q)
        return "a quote that is not closed";
    return depth ? (stack[depth - 1] == ']' ? "a '[' that is not closed" : "a '(' that is not closed") : NULL;
}

/* Compile the select and assert XPaths against the schema (in the process itself). */
static er_code
ur_compile_here(struct ur_load *l, const struct urule *r, const yaml_node_t *sel, const yaml_node_t *as)
{
    struct ly_set *set = NULL, *aset = NULL;
    er_code rc = ER_OK;

    ly_err_clean((struct ly_ctx *)l->ctx, NULL);
    if (lys_find_xpath(l->ctx, NULL, r->select, LYS_FIND_NO_MATCH_ERROR, &set))
        return ur_xpath_err(l, sel, "select");
    if (!set->count) {
        rc = ur_fail(l, sel, "select is not a valid path in eraudit-network: no schema node matches %s", r->select);
        goto cleanup;
    }
    if (r->assert_xp && lys_find_xpath_atoms(l->ctx, set->snodes[0], r->assert_xp, LYS_FIND_NO_MATCH_ERROR, &aset))
        rc = ur_xpath_err(l, as, "assert");
cleanup:
    ly_set_free(set, NULL);
    ly_set_free(aset, NULL);
    return rc;
}

/*
 * Compile the select and assert XPaths against the schema. libyang 2.1's
 * schema XPath crashes on some expressions (a*b[c or d]: a step that
 * matches no schema node, with an and/or predicate, as an operand), so the
 * compilation runs in a child process: a crash there is a named error for
 * the rule, not the end of the audit. The child reports its code and
 * message through a pipe and leaves with _exit().
 */
static er_code
ur_compile(struct ur_load *l, const struct urule *r, const yaml_node_t *sel, const yaml_node_t *as)
{
    const char *why;
    char buf[1 + sizeof l->y.err->msg];
    size_t got = 0;
    int fds[2], status = 0;
    ssize_t n;
    pid_t pid;

    if ((why = ur_xpath_text(r->select)))
        return ur_fail(l, sel, "select is not a valid path in eraudit-network: %s", why);
    if (r->assert_xp && (why = ur_xpath_text(r->assert_xp)))
        return ur_fail(l, as, "assert is not a valid path in eraudit-network: %s", why);
    if (pipe(fds))
        return er_set(l->y.err, ER_EINTERNAL, "%s: cannot compile the user rules: %s", l->y.name, strerror(errno));
    fflush(NULL);
    if ((pid = fork()) < 0) {
        close(fds[0]);
        close(fds[1]);
        return er_set(l->y.err, ER_EINTERNAL, "%s: cannot compile the user rules: %s", l->y.name, strerror(errno));
    }
    if (pid == 0) {
        /* The child: no messages of its own (a sanitizer report of a crash in libyang included). */
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
        int null = open("/dev/null", O_WRONLY);
        size_t i;
        er_code rc;

        /* A crash ends the child, whatever handler the parent had (test harnesses longjmp out of them). */
        for (i = 0; i < sizeof sigs / sizeof *sigs; i++)
            signal(sigs[i], SIG_DFL);
        close(fds[0]);
        if (null >= 0)
            dup2(null, STDERR_FILENO);
        rc = ur_compile_here(l, r, sel, as);
        buf[0] = (char)rc;
        n = (ssize_t)snprintf(buf + 1, sizeof buf - 1, "%s", rc ? l->y.err->msg : "");
        if (write(fds[1], buf, 1 + (size_t)n) < 0)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    while (got < sizeof buf - 1 && ((n = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
        got += n > 0 ? (size_t)n : 0;
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!got || !WIFEXITED(status) || WEXITSTATUS(status))
        return ur_fail(l, sel, "select or assert cannot be used: libyang crashed compiling it (%s)",
                WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no answer");
    buf[got] = '\0';
    if (!buf[0])
        return ER_OK;
    return er_set(l->y.err, (er_code)buf[0], "%s", buf + 1);
}

static er_code
ur_rule(struct ur_load *l, const yaml_node_t *m, struct urule *r, struct rule *out)
{
    static const char *const keys[] = {"id", "title", "section", "severity", "question", "select", "assert",
        "message", "remediation", NULL};
    enum { K_ID, K_TITLE, K_SECT, K_SEV, K_Q, K_SEL, K_AS, K_MSG, K_REM, K_N };
    const yaml_node_t *v[K_N] = {0};
    char **dst[K_N] = {&r->id, &r->title, NULL, NULL, &r->question, &r->select, &r->assert_xp, &r->message,
        &r->remediation};
    yaml_node_pair_t *p;
    enum er_section sect;
    int sev;
    size_t i;
    er_code rc;

    if (m->type != YAML_MAPPING_NODE)
        return ur_fail(l, m, "expected a rule (a mapping with id, title, section, severity, select, message)%s", NULL);
    r->line = (int)m->start_mark.line + 1;
    for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(l->y.doc, p->key);
        const char *ks = ur_scalar(k);

        for (i = 0; ks && keys[i] && strcmp(keys[i], ks); i++)
            ;
        if (!ks || !keys[i])
            return ur_fail(l, k, "unknown key '%s' (expected id, title, section, severity, question, select, assert, "
                    "message, remediation)", ks ? ks : "?");
        if (v[i])
            return ur_fail(l, k, "duplicate key '%s'", ks);
        v[i] = yaml_document_get_node(l->y.doc, p->value);
        if (!ur_scalar(v[i]))
            return ur_fail(l, v[i], "expected a non-empty text for '%s'", ks);
    }
    for (i = 0; i < K_N; i++) {
        if (!v[i] && i != K_Q && i != K_AS && i != K_REM)
            return ur_fail(l, m, "expected key '%s' in the rule", keys[i]);
        if (v[i] && dst[i] && !(*dst[i] = strdup(ur_scalar(v[i]))))
            return er_set(l->y.err, ER_ENOMEM, "out of memory");
    }
    if (strspn(r->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(r->id))
        return ur_fail(l, v[K_ID], "expected a rule id of capitals, digits and dashes, got '%s'", r->id);
    if (!ur_section_ok(ur_scalar(v[K_SECT]), &sect))
        return ur_fail(l, v[K_SECT], "expected a checklist section (client-routing, wan-performance, peering, "
                "asymmetric-routing, geographical-distribution, on-premises-integration), got '%s'", ur_scalar(v[K_SECT]));
    if ((sev = sev_parse(ur_scalar(v[K_SEV]))) < 0)
        return ur_fail(l, v[K_SEV], "expected a severity (info, low, medium, high, critical), got '%s'",
                ur_scalar(v[K_SEV]));
    if ((rc = ur_compile(l, r, v[K_SEL], v[K_AS])))
        return rc;
    memset(out, 0, sizeof *out);
    out->id = r->id;
    out->title = r->title;
    out->section = sect;
    out->sev = (enum er_sev)sev;
    out->needs = NEEDS_CONFIG | NEEDS_STATE | NEEDS_INVENTORY;
    out->remediation = r->remediation;
    out->paths = &r->no_paths;
    out->check = urule_check;
    return ER_OK;
}

static er_code
ur_rules(struct ur_load *l, struct urules *u)
{
    const yaml_node_t *root = yaml_document_get_root_node(l->y.doc), *seq = NULL;
    const struct rule *bi;
    yaml_node_pair_t *p;
    yaml_node_item_t *it;
    size_t nb, j, n;

    if (!root || root->type != YAML_MAPPING_NODE)
        return ur_fail(l, root, "expected a mapping with key 'rules'%s", NULL);
    for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(l->y.doc, p->key);

        if (!ur_scalar(k) || strcmp(ur_scalar(k), "rules"))
            return ur_fail(l, k, "unknown key '%s' (expected rules)", ur_scalar(k) ? ur_scalar(k) : "?");
        seq = yaml_document_get_node(l->y.doc, p->value);
    }
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return ur_fail(l, seq ? seq : root, "expected 'rules' as a list of rules%s", NULL);
    n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n > UR_MAX)
        return ur_fail(l, seq, "expected at most 256 rules%s", NULL);
    bi = rules_builtin(&nb);
    if (!(u->v = calloc(n + 1, sizeof *u->v)) || !(u->table = calloc(nb + n + 1, sizeof *u->table)))
        return er_set(l->y.err, ER_ENOMEM, "out of memory");
    memcpy(u->table, bi, nb * sizeof *bi);
    u->n_table = nb;
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        const yaml_node_t *m = yaml_document_get_node(l->y.doc, *it);
        struct urule *r = &u->v[u->n++];
        er_code rc;

        if ((rc = ur_rule(l, m, r, &u->table[u->n_table])))
            return rc;
        for (j = 0; j < u->n_table; j++) {
            if (!strcmp(u->table[j].id, r->id))
                return ur_fail(l, m, "rule id '%s' is used already", r->id);
        }
        u->n_table++;
    }
    return ER_OK;
}

er_code
urules_load(const struct ly_ctx *ctx, const char *path, struct urules **out, struct er_err *err)
{
    FILE *f;
    er_code rc;

    *out = NULL;
    if (!(f = fopen(path, "rb")))
        return er_set(err, ER_EIO, "%s: cannot read the user rules: %s", path, strerror(errno));
    rc = urules_load_fp(ctx, f, path, out, err);
    fclose(f);
    return rc;
}

er_code
urules_load_fp(const struct ly_ctx *ctx, FILE *f, const char *path, struct urules **out, struct er_err *err)
{
    char what[4200], *text;
    size_t len;
    er_code rc;

    *out = NULL;
    /* Bounded: size before reading (bound.h), nesting before libyaml (in urules_load_mem). */
    snprintf(what, sizeof what, "%s: cannot read the user rules", path);
    if ((rc = bound_read_fd(fileno(f), what, 0, &text, &len, err)))
        return rc;
    rc = urules_load_mem(ctx, path, text, len, out, err);
    free(text);
    return rc;
}

er_code
urules_load_mem(const struct ly_ctx *ctx, const char *name, const char *buf, size_t len, struct urules **out,
        struct er_err *err)
{
    struct ur_load l = {.ctx = ctx};
    struct urules *u = NULL;
    er_code rc;

    *out = NULL;
    /* Bounded and plain like the inventory: one document, no aliases, no tabs, nesting limited. */
    if ((rc = yr_load(&l.y, name, buf, len, UR_MAX_DEPTH, bound_cap(), err)))
        return rc;
    ER_CHECK_GOTO(!(u = calloc(1, sizeof *u)), rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    ER_TRY(rc, ur_rules(&l, u), cleanup);
    *out = u;
    u = NULL;
cleanup:
    urules_free(u);
    yr_free(&l.y);
    return rc;
}

/* ---- running ---- */

/* The device entry @p n belongs to, NULL if none. */
static const char *
ur_device(const struct lyd_node *n)
{
    for (; n; n = lyd_parent(n)) {
        if (n->schema && !strcmp(n->schema->name, "device") && lyd_parent(n) && !lyd_parent(lyd_parent(n)))
            return model_str(n, "name");
    }
    return NULL;
}

/* A leaf's value, or a list entry's first key. */
static const char *
ur_value(const struct lyd_node *n)
{
    if (n->schema && (n->schema->nodetype & (LYS_LEAF | LYS_LEAFLIST)))
        return model_value(n);
    if (n->schema && n->schema->nodetype == LYS_LIST && lyd_child(n))
        return model_value(lyd_child(n));
    return "";
}

static void
ur_message(const struct urule *r, const struct lyd_node *n, char *buf, size_t size)
{
    const char *s = r->message, *dev = ur_device(n);
    size_t o = 0;

    while (*s && o + 1 < size) {
        const char *val = NULL;
        size_t skip = 0;

        if (!strncmp(s, "{device}", 8)) {
            val = dev ? dev : "-";
            skip = 8;
        } else if (!strncmp(s, "{value}", 7)) {
            val = ur_value(n);
            skip = 7;
        } else if (!strncmp(s, "{path}", 6)) {
            val = model_path(n);
            skip = 6;
        }
        if (val) {
            o += (size_t)snprintf(buf + o, size - o, "%s", val);
            s += skip;
            if (o >= size)
                o = size - 1;
        } else {
            buf[o++] = *s++;
        }
    }
    buf[o] = '\0';
}

static void
urule_check(struct rule_ctx *rc)
{
    const struct urule *r = (const struct urule *)(const void *)rc->rule->paths;
    struct ly_set *set = NULL;
    char msg[1024], path[1024], seen[512];
    size_t i;

    if (lyd_find_xpath(rc->m->net, r->select, &set)) {
        rule_skip(rc, NULL, NULL, "%s: the select could not be evaluated on this network", r->id);
        return;
    }
    for (i = 0; i < set->count; i++) {
        const struct lyd_node *n = set->dnodes[i];
        struct evidence ev = {.path = path, .seen = seen, .expected = r->assert_xp ? r->assert_xp : "no node matching "
            "the select", .source = SRC_CONFIG};
        ly_bool ok = 0;

        snprintf(path, sizeof path, "%s", model_path(n));
        ur_message(r, n, msg, sizeof msg);
        if (r->assert_xp && lyd_eval_xpath(n, r->assert_xp, &ok)) {
            rule_skip(rc, ur_device(n), NULL, "%s: the assert could not be evaluated on %s", r->id, path);
            continue;
        }
        snprintf(seen, sizeof seen, "%s%s%s", ur_value(n)[0] ? "value " : "selected", ur_value(n)[0] ? ur_value(n) :
                "", r->assert_xp ? (ok ? "; assert holds" : "; assert does not hold") : "");
        if (ok)
            rule_pass(rc, ur_device(n), NULL, &ev, "%s holds on %s", r->id, path);
        else
            rule_fail(rc, ur_device(n), NULL, &ev, "%s", msg);
    }
    if (!set->count && r->assert_xp) {
        rule_skip(rc, NULL, NULL, "%s: nothing in this network matches %s", r->id, r->select);
    } else if (!set->count) {
        /* The select looks for what is wrong: finding nothing is the pass. */
        struct evidence ev = {.seen = "no node matches", .expected = "no node matching the select",
            .source = SRC_CONFIG};

        rule_pass(rc, NULL, NULL, &ev, "%s: nothing in this network matches %s", r->id, r->select);
    }
    ly_set_free(set, NULL);
}
