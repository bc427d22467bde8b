/** @file rule.c @brief How rules report findings. */
#include "rule.h"

#include <stdarg.h>
#include <stdio.h>

void
rule_report(struct rule_ctx *rc, enum er_status st, int sev, const char *device, const char *circuit,
        const struct evidence *ev, const char *fmt, ...)
{
    struct finding f = {0};
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f.rule = rc->rule->id;
    f.sev = sev < 0 ? rc->rule->sev : (enum er_sev)sev;
    f.section = rc->rule->section;
    f.status = st;
    f.device = (char *)device;
    f.circuit = (char *)circuit;
    f.message = msg;
    if (ev) {
        f.path = (char *)ev->path;
        f.seen = (char *)ev->seen;
        f.expected = (char *)ev->expected;
        f.source = ev->source;
    } else {
        f.source = SRC_COLLECTION;
    }
    f.remediation = st == ST_FAIL ? rc->rule->remediation : NULL;
    if (findings_add(rc->out, &f) && !rc->rc)
        rc->rc = ER_ENOMEM;
}
