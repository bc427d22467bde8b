/**
 * @file json.c
 * @brief The JSON report: built as an eraudit-findings tree and printed by
 * libyang, so it is valid against the module by construction.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#ifndef ER_VERSION
#define ER_VERSION "0"
#endif

static er_code
opt_leaf(struct lyd_node *p, const char *name, const char *value, struct er_err *err)
{
    return value ? model_leaf(p, name, value, err) : ER_OK;
}

static er_code
add_finding(struct lyd_node *rep, const struct finding *f, size_t seq, struct er_err *err)
{
    struct lyd_node *n, *ev;
    char key[24];
    er_code rc;

    snprintf(key, sizeof key, "%zu", seq);
    ER_TRY(rc, model_list(rep, "finding", key, &n, err), done);
    ER_TRY(rc, model_leaf(n, "rule", f->rule, err), done);
    ER_TRY(rc, model_leaf(n, "severity", sev_name(f->sev), err), done);
    ER_TRY(rc, model_leaf(n, "section", section_name(f->section), err), done);
    ER_TRY(rc, model_leaf(n, "status", status_name(f->status), err), done);
    ER_TRY(rc, opt_leaf(n, "device", f->device, err), done);
    ER_TRY(rc, opt_leaf(n, "circuit", f->circuit, err), done);
    if (f->waiver) {
        char msg[2048];

        snprintf(msg, sizeof msg, "%s [waived: %s]", f->message, f->waiver);
        ER_TRY(rc, model_leaf(n, "message", msg, err), done);
    } else {
        ER_TRY(rc, model_leaf(n, "message", f->message, err), done);
    }
    ER_TRY(rc, model_cont(n, "evidence", &ev, err), done);
    ER_TRY(rc, opt_leaf(ev, "path", f->path, err), done);
    ER_TRY(rc, opt_leaf(ev, "seen", f->seen, err), done);
    ER_TRY(rc, opt_leaf(ev, "expected", f->expected, err), done);
    ER_TRY(rc, model_leaf(ev, "source", source_name(f->source), err), done);
    ER_TRY(rc, opt_leaf(n, "remediation", f->remediation, err), done);
done:
    return rc;
}

/* 1 when the space-separated @p list holds @p id. */
static int
in_list(const char *list, const char *id)
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

/* The checklist questions, and which of them each rule answers. */
static er_code
add_questions(struct lyd_node *rep, const struct findings *f, struct er_err *err)
{
    struct lyd_node *q, *a, *r;
    size_t i;
    er_code rc = ER_OK;

    for (i = 0; i < f->n_questions; i++) {
        const struct question_result *x = &f->questions[i];
        const char *p = x->rules;

        MODEL_FOR(rep, "rule", r) {
            if (in_list(x->rules, model_str(r, "id")))
                ER_TRY(rc, model_leaflist(r, "question", x->id, err), done);
        }
        ER_TRY(rc, model_list(rep, "question", x->id, &q, err), done);
        ER_TRY(rc, model_leaf(q, "section", section_name(x->section), err), done);
        ER_TRY(rc, model_leaf(q, "text", x->text, err), done);
        ER_TRY(rc, model_leaf(q, "status", qstatus_name(x->status), err), done);
        while (p && *p) {
            char id[64];
            size_t l = strcspn(p, " ");

            snprintf(id, sizeof id, "%.*s", (int)l, p);
            ER_TRY(rc, model_leaflist(q, "rule", id, err), done);
            p += l + (p[l] == ' ');
        }
        if (x->answer) {
            ER_TRY(rc, model_cont(q, "attestation", &a, err), done);
            ER_TRY(rc, model_leaf(a, "answer", x->answer, err), done);
            ER_TRY(rc, opt_leaf(a, "by", x->by, err), done);
            ER_TRY(rc, opt_leaf(a, "date", x->date, err), done);
            ER_TRY(rc, opt_leaf(a, "evidence", x->evidence, err), done);
        }
    }
done:
    return rc;
}

er_code
report_json(FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    const struct lys_module *mod = ly_ctx_get_module_implemented(rc->m->ctx, "eraudit-findings");
    struct lyd_node *rep = NULL, *sum, *r;
    struct report_counts c;
    er_code ret = ER_OK;
    size_t i;

    if (!mod || lyd_new_inner(NULL, mod, "report", 0, &rep))
        return er_set(err, ER_EINTERNAL, "cannot create the report tree");
    report_count(rc, &c);
    ER_TRY(ret, model_leaf(rep, "tool-version", ER_VERSION, err), cleanup);
    ER_TRY(ret, opt_leaf(rep, "generated", rc->generated, err), cleanup);
    ER_TRY(ret, opt_leaf(rep, "snapshot", rc->snapshot, err), cleanup);
    ER_TRY(ret, opt_leaf(rep, "snapshot-created", rc->snapshot_created, err), cleanup);
    ER_TRY(ret, model_leaf(rep, "fail-on", sev_name(rc->fail_on), err), cleanup);
    ER_TRY(ret, model_leaf_u64(rep, "exit-code", (uint64_t)rc->exit_code, err), cleanup);
    ER_TRY(ret, model_cont(rep, "summary", &sum, err), cleanup);
    ER_TRY(ret, model_leaf_u64(sum, "devices", c.devices, err), cleanup);
    ER_TRY(ret, model_leaf_u64(sum, "devices-not-collected", c.not_collected, err), cleanup);
    ER_TRY(ret, model_leaf_u64(sum, "rules", rc->f->n_rules, err), cleanup);
    ER_TRY(ret, model_leaf_u64(sum, "passed", c.passed, err), cleanup);
    ER_TRY(ret, model_leaf_u64(sum, "failed", c.failed, err), cleanup);
    ER_TRY(ret, model_leaf_u64(sum, "not-evaluated", c.not_evaluated, err), cleanup);
    ER_TRY(ret, model_leaf_u64(sum, "findings", c.findings, err), cleanup);
    for (i = 0; i < rc->f->n_rules; i++) {
        const struct rule_result *res = &rc->f->rules[i];

        ER_TRY(ret, model_list(rep, "rule", res->id, &r, err), cleanup);
        ER_TRY(ret, model_leaf(r, "title", res->title, err), cleanup);
        ER_TRY(ret, model_leaf(r, "section", section_name(res->section), err), cleanup);
        ER_TRY(ret, model_leaf(r, "severity", sev_name(res->sev), err), cleanup);
        ER_TRY(ret, model_leaf(r, "outcome", outcome_name(res->outcome), err), cleanup);
        ER_TRY(ret, opt_leaf(r, "reason", res->reason, err), cleanup);
    }
    ER_TRY(ret, add_questions(rep, rc->f, err), cleanup);
    for (i = 0; i < rc->f->n; i++)
        ER_TRY(ret, add_finding(rep, &rc->f->v[i], i + 1, err), cleanup);
    if (lyd_print_file(out, rep, LYD_JSON, LYD_PRINT_WITHSIBLINGS) || fflush(out))
        ret = er_set(err, ER_EIO, "cannot write the JSON report");
cleanup:
    lyd_free_all(rep);
    model_cache_reset();
    return ret;
}
