/**
 * @file checklist.c
 * @brief The readiness questions (from the checklist and the planning
 * guidance, written in our own words) and the rules that answer them.
 */
#include "checklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "userrules.h"

static const struct checklist_q questions[] = {
    {"CLIENT-1", SECT_CLIENT, "Is client connectivity set up so that the right traffic takes the ExpressRoute circuit?"},
    {"CLIENT-2", SECT_CLIENT, "Can clients still reach non-private resources such as Azure CDN over the Internet?"},
    {"CLIENT-3", SECT_CLIENT, "Do clients use a proxy set-up that sends ExpressRoute traffic toward the ExpressRoute "
        "edge rather than the Internet?"},
    {"CLIENT-4", SECT_CLIENT, "Do clients reach Microsoft from public addresses, or from behind NAT?"},
    {"WAN-1", SECT_WAN, "Is the WAN's capacity and speed enough for the traffic it will carry to ExpressRoute?"},
    {"PEERING-1", SECT_PEERING, "Is Microsoft peering configured as the environment needs?"},
    {"ROUTING-1", SECT_PEERING, "Do the Power Platform prefixes prefer the ExpressRoute circuit, and the fallback "
        "circuit before the public Internet?"},
    {"ASYM-1", SECT_ASYM, "Are the network and ExpressRoute set up so that routing is not asymmetric?"},
    {"ASYM-2", SECT_ASYM, "Does each circuit publish its own, distinct public addresses?"},
    {"GEO-1", SECT_GEO, "Has a geographically distributed user base been taken into account in the circuits' "
        "connectivity (SKU, locations, clouds)?"},
    {"GEO-2", SECT_GEO, "Should several circuits be spread over the areas or regions where users are?"},
    {"ONPREM-1", SECT_ONPREM, "Are connections from the Microsoft cloud into the on-premises network over "
        "ExpressRoute validated as if they came from the Internet?"},
};

#define N_Q (sizeof questions / sizeof questions[0])

const struct checklist_q *
checklist_questions(size_t *n)
{
    *n = N_Q;
    return questions;
}

const struct checklist_q *
checklist_find(const char *id)
{
    size_t i;

    for (i = 0; id && i < N_Q; i++) {
        if (!strcmp(questions[i].id, id))
            return &questions[i];
    }
    return NULL;
}

/* 1 when the space-separated @p list holds @p word. */
static int
has_word(const char *list, const char *word)
{
    size_t l = strlen(word);
    const char *p = list;

    while (list && (p = strstr(p, word))) {
        if ((p == list || p[-1] == ' ' || p[-1] == ',') && (!p[l] || p[l] == ' ' || p[l] == ','))
            return 1;
        p += l;
    }
    return 0;
}

/* 1 when built-in rule @p rule_id answers question @p qid (its row in rules.def says so). */
static int
answers(const char *rule_id, const char *qid)
{
    const struct rule *r = rules_builtin_find(rule_id);

    return r && has_word(r->questions, qid);
}

const char *
checklist_of_rule(const char *rule_id, const char *extra, char *buf, size_t size)
{
    size_t i, o = 0;

    buf[0] = '\0';
    for (i = 0; i < N_Q && o < size; i++) {
        if (answers(rule_id, questions[i].id) || (extra && !strcmp(extra, questions[i].id)))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "," : "", questions[i].id);
    }
    return buf;
}

const char *
checklist_rules_of(const char *qid, char *buf, size_t size)
{
    const struct rule *r;
    size_t n, i, o = 0;

    buf[0] = '\0';
    r = rules_builtin(&n);
    for (i = 0; i < n && o < size; i++) {
        if (has_word(r[i].questions, qid))
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? " " : "", r[i].id);
    }
    return buf;
}

er_code
checklist_check_inventory(const struct inventory *inv, struct er_err *err)
{
    size_t i;

    for (i = 0; i < inv->n_attestations; i++) {
        const struct inv_attestation *a = &inv->attestations[i];

        if (!checklist_find(a->question))
            return er_set(err, ER_EINVAL, "%s:%d: expected a checklist question id (eraudit rules lists them), "
                    "got '%s'", inv->path, a->line, a->question);
    }
    return ER_OK;
}

static const struct inv_attestation *
attestation_of(const struct inventory *inv, const char *qid)
{
    size_t i;

    for (i = 0; inv && i < inv->n_attestations; i++) {
        if (!strcmp(inv->attestations[i].question, qid))
            return &inv->attestations[i];
    }
    return NULL;
}

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

er_code
checklist_answer(const struct inventory *inv, const struct rule *rules, size_t n_rules, struct findings *f,
        struct er_err *err)
{
    size_t i, j;

    if (!(f->questions = calloc(N_Q, sizeof *f->questions)))
        return er_set(err, ER_ENOMEM, "out of memory");
    f->n_questions = N_Q;
    for (i = 0; i < N_Q; i++) {
        struct question_result *q = &f->questions[i];
        const struct inv_attestation *a = attestation_of(inv, questions[i].id);
        char list[512], ne[512];
        size_t o = 0, no = 0, pass = 0, fail = 0;

        q->id = questions[i].id;
        q->text = questions[i].text;
        q->section = questions[i].section;
        list[0] = ne[0] = '\0';
        for (j = 0; j < f->n_rules; j++) {
            const struct rule_result *r = &f->rules[j];
            const char *extra = NULL;
            size_t k;

            for (k = 0; k < n_rules; k++) {
                if (!strcmp(rules[k].id, r->id))
                    extra = urules_question(&rules[k]);
            }
            if (!answers(r->id, q->id) && !(extra && !strcmp(extra, q->id)))
                continue;
            o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0, "%s%s", o ? " " : "", r->id);
            pass += r->outcome == OUT_PASS;
            fail += r->outcome == OUT_FAIL;
            if (r->outcome == OUT_NOT_EVALUATED)
                no += (size_t)snprintf(ne + no, no < sizeof ne ? sizeof ne - no : 0, "%s%s", no ? " " : "", r->id);
        }
        q->rules = strdup(list);
        if (no && !(q->not_evaluated = strdup(ne)))
            return er_set(err, ER_ENOMEM, "out of memory");
        /* Measured beats attested; an attestation never turns into a pass, and a question
         * passes only when every rule it lists was evaluated and passed. */
        q->status = fail ? Q_FAIL : pass && no ? Q_PARTIAL : pass ? Q_PASS : a ? Q_ATTESTED
                : o ? Q_NOT_EVALUATED : Q_NOT_ANSWERED;
        if (a) {
            struct finding fd = {.rule = q->id, .sev = SEV_INFO, .section = q->section, .status = ST_ATTESTED,
                .source = SRC_INVENTORY};
            char msg[1024], seen[1024];

            q->answer = dup_or_null(a->answer);
            q->by = dup_or_null(a->by);
            q->date = dup_or_null(a->date);
            q->evidence = dup_or_null(a->evidence);
            snprintf(msg, sizeof msg, "%s attested by %s on %s: %s", q->id, a->by, a->date, a->answer);
            snprintf(seen, sizeof seen, "%s%s%s", a->answer, a->evidence ? "; evidence: " : "",
                    a->evidence ? a->evidence : "");
            fd.message = msg;
            fd.seen = seen;
            fd.expected = (char *)q->text;
            if (findings_add(f, &fd))
                return er_set(err, ER_ENOMEM, "out of memory");
        }
        if (!q->rules)
            return er_set(err, ER_ENOMEM, "out of memory");
    }
    return ER_OK;
}
