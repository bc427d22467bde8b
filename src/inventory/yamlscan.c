/**
 * @file yamlscan.c
 * @brief A linear pre-scan of YAML nesting and size.
 *
 * One pass, one state machine: quoted scalars (which may span lines), flow
 * collections (indentation means nothing inside them), block scalars
 * ("|", ">": their more-indented lines are text), comments, and in block
 * context a stack of the indentation columns seen, where each "- " or "? "
 * opens a level at the column of what follows it. A more-indented line after
 * a line that ended in a scalar continues that scalar. The depth estimated
 * for a position is (levels on the stack - 2) + flow depth, never more than
 * the depth libyaml's tree will have there.
 */
#include "yamlscan.h"

#include <stdlib.h>
#include <string.h>

struct ys {
    const char *name, *p, *end;
    size_t line;
    const char *line_start;
    unsigned max_depth;
    unsigned *cols;       /* indentation stack, strictly increasing */
    size_t n_cols;
    size_t flow;
    char quote;           /* '\'' or '"' while in a quoted scalar */
    int at_start;         /* a scalar or collection may start here */
    int scalar;           /* the line so far ends in a scalar */
    long block;           /* a block scalar's parent column, -1 when none */
    struct er_err *err;
};

static er_code
ys_deep(struct ys *s)
{
    return er_set(s->err, ER_EINVAL, "%s:%zu:%zu: expected at most %u levels of nesting, got more", s->name,
            s->line, (size_t)(s->p - s->line_start) + 1, s->max_depth);
}

static er_code
ys_check(struct ys *s)
{
    if (s->n_cols + s->flow > (size_t)s->max_depth + 2)
        return ys_deep(s);
    return ER_OK;
}

static er_code
ys_push(struct ys *s, unsigned col)
{
    if (s->n_cols && s->cols[s->n_cols - 1] >= col)
        return ER_OK;
    if (s->n_cols == (size_t)s->max_depth + 3)
        return ys_deep(s);
    s->cols[s->n_cols++] = col;
    return ys_check(s);
}

static int
ys_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Inside quotes until the closing one or the end of the line. */
static void
ys_quoted(struct ys *s, const char *eol)
{
    for (; s->p < eol; s->p++) {
        if (s->quote == '"' && *s->p == '\\' && s->p + 1 < eol) {
            s->p++;
        } else if (*s->p == s->quote) {
            if (s->quote == '\'' && s->p + 1 < eol && s->p[1] == '\'') {
                s->p++;
                continue;
            }
            s->quote = 0;
            s->p++;
            s->at_start = 0;
            s->scalar = 1;
            return;
        }
    }
}

/* The rest of a line from s->p. */
static er_code
ys_line(struct ys *s, const char *eol)
{
    er_code rc;

    while (s->p < eol) {
        char c = *s->p, n = s->p + 1 < eol ? s->p[1] : '\n';

        if (s->quote) {
            ys_quoted(s, eol);
            continue;
        }
        if (c == '#' && (s->p == s->line_start || ys_blank(s->p[-1])))
            break;   /* a comment */
        if (c == ' ' || c == '\t' || c == '\r') {
            s->p++;
            continue;
        }
        if (s->flow) {
            if (c == '[' || c == '{') {
                s->flow++;
                if ((rc = ys_check(s)))
                    return rc;
                s->at_start = 1;
            } else if (c == ']' || c == '}') {
                s->flow--;
                s->at_start = 0;
                s->scalar = 0;
            } else if (c == ',' || (c == ':' && (ys_blank(n) || n == ',' || n == ']' || n == '}'))) {
                s->at_start = 1;
            } else if (s->at_start && (c == '\'' || c == '"')) {
                s->quote = c;
                s->at_start = 0;
            } else {
                s->at_start = 0;
            }
            s->p++;
            continue;
        }
        if (s->at_start && (c == '-' || c == '?') && ys_blank(n)) {
            /* a block entry: what follows it is a level deeper */
            s->p++;
            while (s->p < eol && (*s->p == ' ' || *s->p == '\t'))
                s->p++;
            if (s->p < eol && *s->p != '#' && *s->p != '\r' && (rc = ys_push(s, (unsigned)(s->p - s->line_start))))
                return rc;
            s->scalar = 0;
            continue;
        }
        if (s->at_start && (c == '[' || c == '{')) {
            s->flow = 1;
            s->p++;
            if ((rc = ys_check(s)))
                return rc;
            continue;
        }
        if (s->at_start && (c == '\'' || c == '"')) {
            s->quote = c;
            s->at_start = 0;
            s->p++;
            continue;
        }
        if (s->at_start && (c == '|' || c == '>')) {
            /* a block scalar: the lines indented more than its parent are text */
            s->block = s->n_cols ? (long)s->cols[s->n_cols - 1] : 0;
            s->scalar = 0;
            break;
        }
        if (c == ':' && ys_blank(n)) {
            s->at_start = 1;   /* a mapping value may follow */
            s->scalar = 0;
            s->p++;
            continue;
        }
        /* plain scalar text (or an anchor, tag or alias before one) */
        s->at_start = c == '&' || c == '!';
        if (!s->at_start)
            s->scalar = 1;
        for (s->p++; s->p < eol && !ys_blank(*s->p); s->p++) {
            if (*s->p == ':' && (s->p + 1 == eol || ys_blank(s->p[1])))
                break;   /* "key:" */
        }
    }
    return ER_OK;
}

er_code
yamlscan_check(const char *name, const char *buf, size_t len, unsigned max_depth, size_t max_size,
        struct er_err *err)
{
    struct ys s = {.name = name, .p = buf, .end = buf + len, .line = 0, .max_depth = max_depth, .block = -1,
        .err = err};
    er_code rc = ER_OK;

    if (len > max_size)
        return er_set(err, ER_EINVAL, "%s:1:1: expected at most %zu bytes, got %zu", name, max_size, len);
    if (!(s.cols = malloc(((size_t)max_depth + 3) * sizeof *s.cols)))
        return er_set(err, ER_ENOMEM, "%s: out of memory", name);
    while (s.p < s.end) {
        const char *eol = s.p, *q;
        unsigned col;

        while (eol < s.end && *eol != '\n')
            eol++;
        s.line++;
        s.line_start = s.p;
        for (q = s.p; q < eol && *q == ' '; q++)
            ;
        col = (unsigned)(q - s.p);
        if (s.block >= 0) {
            if (q == eol || *q == '\r' || (long)col > s.block)
                goto next;   /* text of a block scalar */
            s.block = -1;
        }
        if (!s.quote && !s.flow) {
            if (q == eol || *q == '#' || *q == '\r')
                goto next;   /* blank or a comment */
            if (col == 0 && eol - q >= 3 && (!memcmp(q, "---", 3) || !memcmp(q, "...", 3))
                    && (eol - q == 3 || ys_blank(q[3]))) {
                s.n_cols = 0;   /* a document marker */
                s.scalar = 0;
                s.p = q + 3;
                s.at_start = 1;
                if ((rc = ys_line(&s, eol)))
                    break;
                goto next;
            }
            if (col == 0 && *q == '%')
                goto next;   /* a directive */
            if (s.scalar && s.n_cols && col > s.cols[s.n_cols - 1]) {
                s.p = q;   /* a plain scalar goes on */
                s.at_start = 0;
                if ((rc = ys_line(&s, eol)))
                    break;
                goto next;
            }
            while (s.n_cols && s.cols[s.n_cols - 1] > col)
                s.n_cols--;
            s.p = q;
            if ((rc = ys_push(&s, col)))
                break;
            s.at_start = 1;
            s.scalar = 0;
        }
        if ((rc = ys_line(&s, eol)))
            break;
next:
        s.p = eol < s.end ? eol + 1 : eol;
    }
    free(s.cols);
    return rc;
}
