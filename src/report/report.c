/** @file report.c @brief The table of report formats. */
#include "report.h"

#include <string.h>

static const struct reporter reporters[] = {
    {"text", report_text},
    {"json", report_json},
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

const char *
report_names(void)
{
    return "text|json";
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
        c->failed += rc->f->rules[i].outcome == OUT_FAIL;
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
