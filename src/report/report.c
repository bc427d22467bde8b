/** @file report.c @brief The table of report formats. */
#include "report.h"

#include <string.h>

static const struct reporter reporters[] = {
    {"text", report_text},
    {"json", report_json},
    {"html", report_html},
    {"junit", report_junit},
};

const struct reporter *
report_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof reporters / sizeof *reporters; i++) {
        if (!strcmp(reporters[i].name, name))
            return &reporters[i];
    }
    return NULL;
}

er_code
report_write(const struct reporter *rep, FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    er_code code;

    /* Only a stream nothing was written to yet may change its buffer. */
    if (out != stdout)
        setvbuf(out, NULL, _IOFBF, 1 << 20);
    flockfile(out);
    code = rep->write(out, rc, err);
    funlockfile(out);
    return code;
}

const char *
report_names(void)
{
    return "text|json|html|junit";
}

int
report_blocks(const struct report_ctx *rc, const struct finding *f)
{
    return f->status == ST_FAIL && f->sev >= rc->fail_on;
}

int
report_rule_below(const struct report_ctx *rc, const struct rule_result *res)
{
    size_t i;

    if (res->outcome != OUT_FAIL)
        return 0;
    for (i = 0; i < rc->f->n; i++) {
        if (report_blocks(rc, &rc->f->v[i]) && !strcmp(rc->f->v[i].rule, res->id))
            return 0;
    }
    return 1;
}

void
report_count(const struct report_ctx *rc, struct report_counts *c)
{
    struct lyd_node *dev;
    size_t i;

    memset(c, 0, sizeof *c);
    if (rc->m) {
        MODEL_FOR(rc->m->net, "device", dev)
            c->devices++;
    }
    for (i = 0; i < rc->f->n_rules; i++) {
        c->passed += rc->f->rules[i].outcome == OUT_PASS;
        if (rc->f->rules[i].outcome == OUT_FAIL) {
            int below = report_rule_below(rc, &rc->f->rules[i]);

            c->below_fail_on += below;
            c->failed += !below;
        }
        c->not_evaluated += rc->f->rules[i].outcome == OUT_NOT_EVALUATED;
    }
    for (i = 0; i < rc->f->n; i++) {
        if (rc->f->v[i].status == ST_FAIL) {
            if (rc->f->v[i].section == SECT_COLLECTION)
                c->not_collected++;
            else
                c->findings++;
        }
    }
}

void
report_xml_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;

    if (!s)
        return;
    for (; *p; p++) {
        const char *esc;

        switch (*p) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&#39;"; break;
        default:
            esc = *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r' ? "\xef\xbf\xbd" : NULL;
        }
        if (esc) {
            fwrite(run, 1, (size_t)(p - run), out);
            fputs(esc, out);
            run = p + 1;
        }
    }
    fwrite(run, 1, (size_t)(p - run), out);
}

int
report_is_new(const struct report_ctx *rc, size_t i)
{
    return rc->drift && rc->drift->is_new && i < rc->f->n && rc->drift->is_new[i];
}

int
report_in_list(const char *list, const char *id)
{
    size_t l = strlen(id);
    const char *p = list;

    while (p && (p = strstr(p, id))) {
        if ((p == list || p[-1] == ' ') && (!p[l] || p[l] == ' '))
            return 1;
        p += l;
    }
    return 0;
}
