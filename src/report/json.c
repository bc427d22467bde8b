/**
 * @file json.c
 * @brief The JSON report, an instance of yang/eraudit-findings in libyang's
 * JSON encoding (RFC 7951).
 *
 * Written straight to the stream in schema order rather than built as a
 * libyang tree first: a large network has tens of thousands of findings, and
 * a tree of them cost more than the audit's rules. The test suite validates
 * every golden report against the module with yanglint. Tokens gather in a
 * buffer of the writer's own; the caller holds the stream's lock
 * (report_write()), so the buffer goes out with fwrite_unlocked().
 */
#define _GNU_SOURCE /* fwrite_unlocked */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#ifndef ER_VERSION
#define ER_VERSION "0"
#endif

/* One JSON object or array being written: its depth and whether it has members. */
struct jw {
    FILE *out;
    int depth;
    int first[16];
    size_t n;                   /* bytes in buf, not yet written */
    char buf[1 << 16];          /* tokens gather here: a report is millions of them */
};

static void
jw_flush(struct jw *w)
{
    fwrite_unlocked(w->buf, 1, w->n, w->out);
    w->n = 0;
}

static void
jw_put(struct jw *w, const char *s, size_t len)
{
    if (w->n + len > sizeof w->buf) {
        jw_flush(w);
        if (len > sizeof w->buf) {
            fwrite_unlocked(s, 1, len, w->out);
            return;
        }
    }
    memcpy(w->buf + w->n, s, len);
    w->n += len;
}

static void
jw_putc(struct jw *w, char c)
{
    if (w->n == sizeof w->buf)
        jw_flush(w);
    w->buf[w->n++] = c;
}

static void
jw_puts(struct jw *w, const char *s)
{
    jw_put(w, s, strlen(s));
}

static void
jw_indent(struct jw *w)
{
    int i;

    for (i = 0; i < w->depth; i++)
        jw_put(w, "  ", 2);
}

/* A comma between members, then a new line at the current depth. */
static void
jw_member(struct jw *w)
{
    if (!w->first[w->depth])
        jw_putc(w, ',');
    w->first[w->depth] = 0;
    jw_putc(w, '\n');
    jw_indent(w);
}

static void
jw_string(struct jw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p;

    jw_putc(w, '"');
    for (; *p; p++) {
        const char *esc = NULL;
        char u[8];

        /* Most characters are written as they are: skip a run of them first. */
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        if (!*p)
            break;
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (*p < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", *p);
                esc = u;
            }
        }
        if (esc) {
            jw_put(w, (const char *)run, (size_t)(p - run));
            jw_puts(w, esc);
            run = p + 1;
        }
    }
    jw_put(w, (const char *)run, (size_t)(p - run));
    jw_putc(w, '"');
}

static void
jw_open(struct jw *w, const char *name, char bracket)
{
    jw_member(w);
    if (name) {
        jw_string(w, name);
        jw_put(w, ": ", 2);
    }
    jw_putc(w, bracket);
    w->depth++;
    w->first[w->depth] = 1;
}

static void
jw_close(struct jw *w, char bracket)
{
    int empty = w->first[w->depth];

    w->depth--;
    if (!empty) {
        jw_putc(w, '\n');
        jw_indent(w);
    }
    jw_putc(w, bracket);
}

/* A string member; nothing when @p value is NULL. */
static void
jw_str(struct jw *w, const char *name, const char *value)
{
    if (!value)
        return;
    jw_member(w);
    jw_string(w, name);
    jw_put(w, ": ", 2);
    jw_string(w, value);
}

static void
jw_num(struct jw *w, const char *name, size_t value)
{
    char b[32];

    jw_member(w);
    jw_string(w, name);
    jw_put(w, b, (size_t)snprintf(b, sizeof b, ": %zu", value));
}

/* A leaf-list from a space-separated list of ids. */
static void
jw_idlist(struct jw *w, const char *name, const char *ids)
{
    const char *p = ids;
    char id[64];

    if (!ids || !*ids)
        return;
    jw_open(w, name, '[');
    while (*p) {
        size_t l = strcspn(p, " ");

        snprintf(id, sizeof id, "%.*s", (int)l, p);
        if (l) {
            jw_member(w);
            jw_string(w, id);
        }
        p += l + (p[l] == ' ');
    }
    jw_close(w, ']');
}

static void
jw_bool(struct jw *w, const char *name, int value)
{
    jw_member(w);
    jw_string(w, name);
    jw_puts(w, value ? ": true" : ": false");
}

static void
write_rule(struct jw *w, const struct findings *f, const struct rule_result *res, int below)
{
    size_t i, n = 0;

    jw_open(w, NULL, '{');
    jw_str(w, "id", res->id);
    jw_str(w, "title", res->title);
    jw_str(w, "section", section_name(res->section));
    jw_str(w, "severity", sev_name(res->sev));
    jw_str(w, "outcome", outcome_name(res->outcome));
    jw_str(w, "reason", res->reason);
    if (below)
        jw_bool(w, "below-fail-on", 1);
    /* The questions this rule answers, in question order. */
    for (i = 0; i < f->n_questions; i++) {
        if (!report_in_list(f->questions[i].rules, res->id))
            continue;
        if (!n++)
            jw_open(w, "question", '[');
        jw_member(w);
        jw_string(w, f->questions[i].id);
    }
    if (n)
        jw_close(w, ']');
    jw_close(w, '}');
}

static void
write_question(struct jw *w, const struct question_result *x)
{
    jw_open(w, NULL, '{');
    jw_str(w, "id", x->id);
    jw_str(w, "section", section_name(x->section));
    jw_str(w, "text", x->text);
    jw_str(w, "status", qstatus_name(x->status));
    jw_idlist(w, "rule", x->rules);
    if (x->not_evaluated)
        jw_idlist(w, "not-evaluated-rule", x->not_evaluated);
    if (x->answer) {
        jw_open(w, "attestation", '{');
        jw_str(w, "answer", x->answer);
        jw_str(w, "by", x->by);
        jw_str(w, "date", x->date);
        jw_str(w, "evidence", x->evidence);
        jw_close(w, '}');
    }
    jw_close(w, '}');
}

/* Changes since the history's latest run (--history). */
static void
write_drift(struct jw *w, const struct hist_drift *d)
{
    size_t i;

    jw_open(w, "drift", '{');
    jw_bool(w, "first-run", !d->have_prev);
    if (d->have_prev) {
        jw_str(w, "previous-run", d->prev_at);
        jw_str(w, "previous-snapshot", d->prev_snapshot);
        jw_num(w, "new", d->n_new);
        jw_num(w, "fixed", d->n_fixed);
    }
    if (d->n_fixed) {
        jw_open(w, "fixed-finding", '[');
        for (i = 0; i < d->n_fixed; i++) {
            const struct hist_item *it = &d->fixed[i];

            jw_open(w, NULL, '{');
            jw_num(w, "seq", i + 1);
            jw_str(w, "rule", it->rule);
            jw_str(w, "severity", it->severity);
            jw_str(w, "device", it->device);
            jw_str(w, "circuit", it->circuit);
            jw_str(w, "message", it->message);
            jw_str(w, "path", it->path);
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }
    jw_close(w, '}');
}

static void
write_finding(struct jw *w, const struct finding *f, size_t seq, int is_new, int below)
{
    jw_open(w, NULL, '{');
    jw_num(w, "seq", seq);
    jw_str(w, "rule", f->rule);
    jw_str(w, "severity", sev_name(f->sev));
    jw_str(w, "section", section_name(f->section));
    jw_str(w, "status", status_name(f->status));
    jw_str(w, "device", f->device);
    jw_str(w, "circuit", f->circuit);
    if (f->waiver) {
        char msg[2048];

        snprintf(msg, sizeof msg, "%s [waived: %s]", f->message, f->waiver);
        jw_str(w, "message", msg);
    } else {
        jw_str(w, "message", f->message);
    }
    jw_open(w, "evidence", '{');
    jw_str(w, "path", f->path);
    jw_str(w, "seen", f->seen);
    jw_str(w, "expected", f->expected);
    jw_str(w, "source", source_name(f->source));
    jw_close(w, '}');
    jw_str(w, "remediation", f->remediation);
    if (below)
        jw_bool(w, "below-fail-on", 1);
    if (is_new)
        jw_bool(w, "new", 1);
    jw_close(w, '}');
}

er_code
report_json(FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    struct jw *w = calloc(1, sizeof *w);
    struct report_counts c;
    size_t i;
    int bad;

    if (!w)
        return er_set(err, ER_ENOMEM, "out of memory");
    report_count(rc, &c);
    w->out = out;
    w->depth = 1;
    w->first[0] = w->first[1] = 1;
    jw_putc(w, '{');
    jw_open(w, "eraudit-findings:report", '{');
    jw_str(w, "tool-version", ER_VERSION);
    jw_str(w, "generated", rc->generated);
    jw_str(w, "snapshot", rc->snapshot);
    jw_str(w, "snapshot-created", rc->snapshot_created);
    jw_str(w, "fail-on", sev_name(rc->fail_on));
    jw_num(w, "exit-code", (size_t)rc->exit_code);
    jw_open(w, "summary", '{');
    jw_num(w, "devices", c.devices);
    jw_num(w, "devices-not-collected", c.not_collected);
    jw_num(w, "rules", rc->f->n_rules);
    jw_num(w, "passed", c.passed);
    jw_num(w, "failed", c.failed);
    jw_num(w, "below-fail-on", c.below_fail_on);
    jw_num(w, "not-evaluated", c.not_evaluated);
    jw_num(w, "findings", c.findings);
    jw_close(w, '}');
    if (rc->drift)
        write_drift(w, rc->drift);
    if (rc->f->n_rules) {
        jw_open(w, "rule", '[');
        for (i = 0; i < rc->f->n_rules; i++)
            write_rule(w, rc->f, &rc->f->rules[i], report_rule_below(rc, &rc->f->rules[i]));
        jw_close(w, ']');
    }
    if (rc->f->n_questions) {
        jw_open(w, "question", '[');
        for (i = 0; i < rc->f->n_questions; i++)
            write_question(w, &rc->f->questions[i]);
        jw_close(w, ']');
    }
    if (rc->f->n) {
        jw_open(w, "finding", '[');
        for (i = 0; i < rc->f->n; i++)
            write_finding(w, &rc->f->v[i], i + 1, report_is_new(rc, i),
                    rc->f->v[i].status == ST_FAIL && !report_blocks(rc, &rc->f->v[i]));
        jw_close(w, ']');
    }
    jw_close(w, '}');
    jw_puts(w, "\n}\n");
    jw_flush(w);
    free(w);
    bad = ferror(out) || fflush(out);
    return bad ? er_set(err, ER_EIO, "cannot write the JSON report") : ER_OK;
}
