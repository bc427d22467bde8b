/**
 * @file pac.c
 * @brief Reading the common shape of proxy PAC files.
 */
#include "pac.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum pac_kind { PAC_GLOB, PAC_SUFFIX, PAC_EXACT, PAC_PLAIN };

struct pac_test {
    enum pac_kind kind;
    char *arg;
};

struct pac_rule {
    struct pac_test *t;
    size_t n;
    char *result;            /* NULL for the final unconditional return */
    int line;
};

struct pac {
    char *path;
    struct pac_rule *v;
    size_t n;
    char *dflt;
    int dflt_line;
    char unsupported[160];
};

struct pac_parser {
    const char *s, *p, *end;
    struct pac *pac;
};

static int
pac_line(const struct pac_parser *ps, const char *at)
{
    int line = 1;
    const char *x;

    for (x = ps->s; x < at; x++)
        line += *x == '\n';
    return line;
}

static void
pac_note(struct pac_parser *ps, const char *at, const char *what)
{
    if (!ps->pac->unsupported[0])
        snprintf(ps->pac->unsupported, sizeof ps->pac->unsupported, "line %d: %.100s", pac_line(ps, at), what);
}

static void
pac_ws(struct pac_parser *ps)
{
    while (ps->p < ps->end && isspace((unsigned char)*ps->p))
        ps->p++;
}

static int
pac_word(struct pac_parser *ps, const char *w)
{
    size_t l = strlen(w);

    pac_ws(ps);
    if ((size_t)(ps->end - ps->p) >= l && !strncmp(ps->p, w, l) && !isalnum((unsigned char)ps->p[l]) &&
            ps->p[l] != '_') {
        ps->p += l;
        return 1;
    }
    return 0;
}

/* A quoted string (either quote); returns a copy or NULL. */
static char *
pac_string(struct pac_parser *ps)
{
    char q, *out;
    const char *start;

    pac_ws(ps);
    if (ps->p >= ps->end || (*ps->p != '"' && *ps->p != '\''))
        return NULL;
    q = *ps->p++;
    start = ps->p;
    while (ps->p < ps->end && *ps->p != q)
        ps->p++;
    if (ps->p >= ps->end)
        return NULL;
    out = strndup(start, (size_t)(ps->p - start));
    ps->p++;
    return out;
}

/* Skip a balanced group starting at the opening character; returns the end (after the closer). */
static const char *
pac_skip_group(const char *p, const char *end, char open, char close)
{
    int depth = 0;
    char q = 0;

    for (; p < end; p++) {
        if (q) {
            if (*p == q)
                q = 0;
        } else if (*p == '"' || *p == '\'') {
            q = *p;
        } else if (*p == open) {
            depth++;
        } else if (*p == close && --depth == 0) {
            return p + 1;
        }
    }
    return end;
}

/* One alternative of a condition: "shExpMatch(host, \"*.x.com\")" and the like. */
static int
pac_alt(const char *a, struct pac_test *t)
{
    static const struct {
        const char *fn;
        enum pac_kind kind;
    } fns[] = {{"shExpMatch", PAC_GLOB}, {"dnsDomainIs", PAC_SUFFIX}, {"localHostOrDomainIs", PAC_EXACT}};
    char arg[256];
    size_t i;

    while (*a == '(' || isspace((unsigned char)*a))
        a++;
    if (!strncmp(a, "isPlainHostName", 15)) {
        t->kind = PAC_PLAIN;
        t->arg = NULL;
        return 0;
    }
    for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        size_t l = strlen(fns[i].fn);

        if (strncmp(a, fns[i].fn, l))
            continue;
        if (sscanf(a + l, " ( host , \"%255[^\"]\" )", arg) != 1 && sscanf(a + l, " ( host , '%255[^']' )", arg) != 1)
            return -1;
        t->kind = fns[i].kind;
        return (t->arg = strdup(arg)) ? 0 : -1;
    }
    if (sscanf(a, "host == \"%255[^\"]\"", arg) == 1 || sscanf(a, "host === \"%255[^\"]\"", arg) == 1) {
        t->kind = PAC_EXACT;
        return (t->arg = strdup(arg)) ? 0 : -1;
    }
    return -1;
}

/* Split @p cond at top-level "||" into tests; -1 when a part is not understood. */
static int
pac_cond(const char *cond, struct pac_rule *r)
{
    const char *p = cond, *start = cond;
    char part[512], q = 0;
    int depth = 0;

    if (strstr(cond, "&&") || strchr(cond, '!'))
        return -1;
    for (;; p++) {
        if (q) {
            /* A quote left open (the condition ended, or held a NUL): not understood. */
            if (!*p)
                return -1;
            if (*p == q)
                q = 0;
            continue;
        }
        if (*p == '"' || *p == '\'')
            q = *p;
        else if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        if (*p && !(depth == 0 && p[0] == '|' && p[1] == '|'))
            continue;
        snprintf(part, sizeof part, "%.*s", (int)(p - start), start);
        {
            struct pac_test *nt = realloc(r->t, (r->n + 1) * sizeof *nt);

            if (!nt)
                return -1;
            r->t = nt;
            if (pac_alt(part, &r->t[r->n]))
                return -1;
            r->n++;
        }
        if (!*p)
            return 0;
        start = p + 2;
        p++;
    }
}

/* Free the tests of @p r and forget them: the rule is kept but never matches. */
static void
pac_rule_drop_tests(struct pac_rule *r)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        free(r->t[i].arg);
    free(r->t);
    r->t = NULL;
    r->n = 0;
}

/* One statement of the function body. */
static int
pac_statement(struct pac_parser *ps)
{
    const char *at;
    char *res;

    pac_ws(ps);
    at = ps->p;
    if (pac_word(ps, "else"))
        pac_ws(ps);
    if (pac_word(ps, "if")) {
        const char *open, *close;
        char *cond;
        struct pac_rule r = {0};
        int brace, ok;

        pac_ws(ps);
        if (ps->p >= ps->end || *ps->p != '(')
            return -1;
        open = ps->p;
        close = pac_skip_group(open, ps->end, '(', ')');
        cond = strndup(open + 1, (size_t)(close - open - 2 > 0 ? close - open - 2 : 0));
        ps->p = close;
        pac_ws(ps);
        brace = ps->p < ps->end && *ps->p == '{';
        if (brace)
            ps->p++;
        ok = pac_word(ps, "return") && (res = pac_string(ps));
        if (!ok) {
            /* Not the simple shape: skip the statement or block. */
            free(cond);
            pac_note(ps, at, "an if statement that does not simply return a string");
            ps->p = brace ? pac_skip_group(ps->p - 1, ps->end, '{', '}') : memchr(ps->p, ';', (size_t)(ps->end - ps->p));
            if (!ps->p)
                ps->p = ps->end;
            else if (!brace)
                ps->p++;
            return 0;
        }
        r.result = res;
        r.line = pac_line(ps, at);
        if (!cond || pac_cond(cond, &r)) {
            pac_note(ps, at, cond ? cond : "condition");
            pac_rule_drop_tests(&r); /* kept, but never matches: its condition was not understood */
        }
        free(cond);
        pac_ws(ps);
        if (ps->p < ps->end && *ps->p == ';')
            ps->p++;
        pac_ws(ps);
        if (brace && ps->p < ps->end && *ps->p == '}')
            ps->p++;
        {
            struct pac_rule *nv = realloc(ps->pac->v, (ps->pac->n + 1) * sizeof *nv);

            if (!nv) {
                pac_rule_drop_tests(&r);
                free(r.result);
                return -1;
            }
            ps->pac->v = nv;
            nv[ps->pac->n++] = r;
        }
        return 0;
    }
    if (pac_word(ps, "return")) {
        if ((res = pac_string(ps)) && !ps->pac->dflt) {
            ps->pac->dflt = res;
            ps->pac->dflt_line = pac_line(ps, at);
        } else {
            free(res);
        }
        ps->p = memchr(ps->p, ';', (size_t)(ps->end - ps->p));
        ps->p = ps->p ? ps->p + 1 : ps->end;
        return 0;
    }
    /* Anything else (variables, other calls): noted, skipped to the end of the statement. */
    pac_note(ps, at, "a statement other than if/return");
    ps->p = memchr(ps->p, ';', (size_t)(ps->end - ps->p));
    ps->p = ps->p ? ps->p + 1 : ps->end;
    return 0;
}

/* Blank out comments, keeping newlines so lines still count. */
static void
pac_uncomment(char *s)
{
    char q = 0;

    for (; *s; s++) {
        if (q) {
            if (*s == q)
                q = 0;
        } else if (*s == '"' || *s == '\'') {
            q = *s;
        } else if (s[0] == '/' && s[1] == '/') {
            while (*s && *s != '\n')
                *s++ = ' ';
            if (!*s)
                return;
        } else if (s[0] == '/' && s[1] == '*') {
            while (*s && !(s[0] == '*' && s[1] == '/')) {
                if (*s != '\n')
                    *s = ' ';
                s++;
            }
            if (!*s)
                return;
            s[0] = s[1] = ' ';
            s++;
        }
    }
}

er_code
pac_parse(const char *name, const char *data, size_t len, struct pac **out, struct er_err *err)
{
    struct pac_parser ps = {0};
    char *buf;
    const char *fn, *body, *end;
    er_code rc = ER_OK;

    *out = NULL;
    if (!(buf = malloc(len + 1)))
        return er_set(err, ER_ENOMEM, "out of memory");
    memcpy(buf, data, len);
    buf[len] = '\0';
    pac_uncomment(buf);
    ER_CHECK_GOTO(!(ps.pac = calloc(1, sizeof *ps.pac)) || !(ps.pac->path = strdup(name)), rc,
            er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    ps.s = buf;
    ps.end = buf + len;
    fn = strstr(buf, "FindProxyForURL");
    ER_CHECK_GOTO(!fn, rc, er_set(err, ER_EINVAL, "%s: expected a function FindProxyForURL, got none", name), cleanup);
    body = strchr(fn, '{');
    ER_CHECK_GOTO(!body, rc, er_set(err, ER_EINVAL, "%s:%d: expected the body of FindProxyForURL", name,
            pac_line(&ps, fn)), cleanup);
    end = pac_skip_group(body, ps.end, '{', '}');
    ps.p = body + 1;
    ps.end = end - 1;
    while (ps.p < ps.end) {
        pac_ws(&ps);
        if (ps.p >= ps.end)
            break;
        ER_CHECK_GOTO(pac_statement(&ps), rc, er_set(err, ER_EINVAL, "%s:%d: expected '(' after if", name,
                pac_line(&ps, ps.p)), cleanup);
    }
    *out = ps.pac;
    ps.pac = NULL;
cleanup:
    pac_free(ps.pac);
    free(buf);
    return rc;
}

er_code
pac_load(const char *path, struct pac **out, struct er_err *err)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t cap = 0, len = 0;
    er_code rc;

    *out = NULL;
    if (!f)
        return er_set(err, ER_EIO, "%s: cannot open the PAC file: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) || (cap = (size_t)ftell(f)) > (1u << 24) || fseek(f, 0, SEEK_SET) ||
            !(buf = malloc(cap + 1))) {
        fclose(f);
        return er_set(err, ER_EIO, "%s: cannot read the PAC file (at most 16 MB)", path);
    }
    len = fread(buf, 1, cap, f);
    fclose(f);
    rc = pac_parse(path, buf, len, out, err);
    free(buf);
    return rc;
}

void
pac_free(struct pac *p)
{
    size_t i, j;

    if (!p)
        return;
    for (i = 0; i < p->n; i++) {
        for (j = 0; j < p->v[i].n; j++)
            free(p->v[i].t[j].arg);
        free(p->v[i].t);
        free(p->v[i].result);
    }
    free(p->v);
    free(p->dflt);
    free(p->path);
    free(p);
}

/*
 * Shell-style glob, case-insensitive. Iterative, going back only to the
 * latest '*': a match costs at most length(glob) x length(host) steps
 * (trying every split at every star took exponential time).
 */
static int
pac_glob(const char *g, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (*g == '*') {
            star = g++;
            resume = s;
        } else if (*g && (*g == '?' || tolower((unsigned char)*g) == tolower((unsigned char)*s))) {
            g++;
            s++;
        } else if (star) {
            /* Let the latest star take one more character and try again. */
            g = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*g == '*')
        g++;
    return !*g;
}

static int
pac_test(const struct pac_test *t, const char *host)
{
    size_t hl = strlen(host), al;

    switch (t->kind) {
    case PAC_GLOB:
        return pac_glob(t->arg, host);
    case PAC_SUFFIX:
        al = strlen(t->arg);
        return hl >= al && !strcasecmp(host + hl - al, t->arg);
    case PAC_EXACT:
        return !strcasecmp(host, t->arg);
    case PAC_PLAIN:
        return !strchr(host, '.');
    }
    return 0;
}

const char *
pac_find(const struct pac *p, const char *host, int *line)
{
    size_t i, j;

    for (i = 0; p && i < p->n; i++) {
        for (j = 0; j < p->v[i].n; j++) {
            if (pac_test(&p->v[i].t[j], host)) {
                *line = p->v[i].line;
                return p->v[i].result;
            }
        }
    }
    *line = p ? p->dflt_line : 0;
    return p ? p->dflt : NULL;
}

int
pac_is_direct(const char *result)
{
    while (result && isspace((unsigned char)*result))
        result++;
    return result && !strncasecmp(result, "DIRECT", 6);
}

const char *
pac_unsupported(const struct pac *p)
{
    return p && p->unsupported[0] ? p->unsupported : NULL;
}

const char *
pac_path(const struct pac *p)
{
    return p ? p->path : NULL;
}
