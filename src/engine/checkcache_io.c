/**
 * @file checkcache_io.c
 * @brief The check cache's findings and reads files: written and read
 * back record by record, every length and number bounded.
 */
#include "checkcache_int.h"

#include <stdlib.h>
#include <string.h>

#define CC_MAX_STR (16u << 20)

/* eraudit-network's schema nodes in depth-first order: the numbers the reads file uses. */
int
ccache_nodes(struct ccache *cc, const struct run *s)
{
    const struct lys_module *mod = ly_ctx_get_module_implemented(s->ctx, "eraudit-network");
    const struct lysc_node *top, *x;
    size_t cap = 0;

    if (cc->nodes)
        return 0;
    if (!mod || !mod->compiled)
        return -1;
    LY_LIST_FOR(mod->compiled->data, top) {
        LYSC_TREE_DFS_BEGIN(top, x) {
            if (cc->n_nodes == cap) {
                const struct lysc_node **v = realloc(cc->nodes, (cap = cap ? cap * 2 : 512) * sizeof *v);

                if (!v)
                    return -1;
                cc->nodes = v;
            }
            cc->nodes[cc->n_nodes++] = x;
            LYSC_TREE_DFS_END(top, x);
        }
    }
    return 0;
}

/* A string the loaded findings point to, kept until ccache_free(). */
static const char *
keep(struct ccache *cc, char *str)
{
    if (!str)
        return NULL;
    if (cc->n_strs == cc->cap_strs) {
        size_t cap = cc->cap_strs ? cc->cap_strs * 2 : 64;
        char **v = realloc(cc->strs, cap * sizeof *v);

        if (!v) {
            free(str);
            return NULL;
        }
        cc->strs = v;
        cc->cap_strs = cap;
    }
    return cc->strs[cc->n_strs++] = str;
}

/* One string written by put_str(): "-" for NULL, else its length, a newline, the bytes. 0 ok, -1 bad. */
static int
get_str(FILE *f, char **out)
{
    char line[32];
    unsigned long len;
    char *end;

    *out = NULL;
    if (!fgets(line, sizeof line, f))
        return -1;
    if (!strcmp(line, "-\n"))
        return 0;
    len = strtoul(line, &end, 10);
    if (end == line || *end != '\n' || len > CC_MAX_STR || !(*out = malloc(len + 1)))
        return -1;
    if (fread(*out, 1, len, f) != len || fgetc(f) != '\n') {
        free(*out);
        *out = NULL;
        return -1;
    }
    (*out)[len] = 0;
    return 0;
}

static void
put_str(FILE *f, const char *s)
{
    if (!s)
        fputs("-\n", f);
    else
        fprintf(f, "%zu\n%s\n", strlen(s), s);
}

/* Append @p x to @p fs, which takes its strings (findings_add() copies them). */
static int
append(struct findings *fs, const struct finding *x)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 256;
        struct finding *v = realloc(fs->v, cap * sizeof *v);

        if (!v)
            return -1;
        fs->v = v;
        fs->cap = cap;
    }
    fs->v[fs->n++] = *x;
    return 0;
}

int
ccache_load_findings(struct ccache *cc, const char *path, struct findings *fs)
{
    FILE *f = fopen(path, "rb");
    char line[128];
    int rc = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        struct finding x = {0};
        char *rule = NULL, *rem = NULL;
        int sev, sect, st, src, bad;

        if (!strcmp(line, "end\n")) {
            rc = fgetc(f) == EOF ? 0 : -1;
            break;
        }
        if (sscanf(line, "F %d %d %d %d", &sev, &sect, &st, &src) != 4 || sev < SEV_INFO || sev > SEV_CRITICAL ||
                sect < 0 || sect >= SECT_COUNT || st < ST_FAIL || st > ST_ATTESTED || src < SRC_CONFIG ||
                src > SRC_COLLECTION)
            break;
        x.sev = (enum er_sev)sev;
        x.section = (enum er_section)sect;
        x.status = (enum er_status)st;
        x.source = (enum er_source)src;
        bad = get_str(f, &rule) || !rule || get_str(f, &rem) || get_str(f, &x.device) || get_str(f, &x.circuit) ||
                get_str(f, &x.message) || get_str(f, &x.path) || get_str(f, &x.seen) || get_str(f, &x.expected) ||
                get_str(f, &x.waiver);
        x.rule = keep(cc, rule);
        x.remediation = keep(cc, rem);
        if (bad || !x.rule || (rem && !x.remediation) || !x.message || append(fs, &x)) {
            free(x.device);
            free(x.circuit);
            free(x.message);
            free(x.path);
            free(x.seen);
            free(x.expected);
            free(x.waiver);
            break;
        }
    }
    fclose(f);
    return rc;
}

int
ccache_load_reads(struct ccache *cc, const struct run *s, const char *path, struct model_reads **reads)
{
    FILE *f = fopen(path, "rb");
    char id[128];
    size_t i, k, n, idx;
    int rc = -1;

    if (!f || ccache_nodes(cc, s))
        goto done;
    for (i = 0; i < s->n_rules; i++) {
        if (fscanf(f, "%127s", id) != 1 || strcmp(id, s->rules[i].id) || fscanf(f, "%127s", id) != 1)
            goto done;
        if (!strcmp(id, "all")) {
            model_reads_everything(reads[i]);
            continue;
        }
        if (sscanf(id, "%zu", &n) != 1 || n > cc->n_nodes)
            goto done;
        for (k = 0; k < n; k++) {
            if (fscanf(f, "%zu", &idx) != 1 || idx >= cc->n_nodes)
                goto done;
            model_reads_add(reads[i], cc->nodes[idx]);
        }
    }
    rc = fscanf(f, "%127s", id) == 1 && !strcmp(id, "end") ? 0 : -1;
done:
    if (f)
        fclose(f);
    return rc;
}

er_code
ccache_write_findings(FILE *f, const void *arg)
{
    const struct findings *fs = arg;
    size_t i;

    for (i = 0; i < fs->n; i++) {
        const struct finding *x = &fs->v[i];

        fprintf(f, "F %d %d %d %d\n", (int)x->sev, (int)x->section, (int)x->status, (int)x->source);
        put_str(f, x->rule);
        put_str(f, x->remediation);
        put_str(f, x->device);
        put_str(f, x->circuit);
        put_str(f, x->message);
        put_str(f, x->path);
        put_str(f, x->seen);
        put_str(f, x->expected);
        put_str(f, x->waiver);
    }
    fputs("end\n", f);
    return ferror(f) ? ER_EIO : ER_OK;
}

struct node_out {
    struct ccache *cc;
    size_t *idx, n;
    int missing;
};

static void
node_index(const struct lysc_node *sn, void *arg)
{
    struct node_out *o = arg;
    size_t k;

    for (k = 0; k < o->cc->n_nodes && o->cc->nodes[k] != sn; k++)
        ;
    if (k == o->cc->n_nodes)
        o->missing = 1;
    else
        o->idx[o->n++] = k;
}

er_code
ccache_write_reads(FILE *f, const void *arg)
{
    const struct ccache_reads_arg *a = arg;
    size_t i, k;

    for (i = 0; i < a->s->n_rules; i++) {
        struct node_out o = {.cc = a->cc};

        if (!model_reads_is_everything(a->reads[i]) &&
                !(o.idx = malloc((model_reads_count(a->reads[i]) + 1) * sizeof *o.idx)))
            return ER_ENOMEM;
        if (o.idx)
            model_reads_each(a->reads[i], node_index, &o);
        /* A node outside eraudit-network cannot be named: the rule then counts as reading everything. */
        if (!o.idx || o.missing) {
            fprintf(f, "%s all\n", a->s->rules[i].id);
        } else {
            fprintf(f, "%s %zu", a->s->rules[i].id, o.n);
            for (k = 0; k < o.n; k++)
                fprintf(f, " %zu", o.idx[k]);
            fputc('\n', f);
        }
        free(o.idx);
    }
    fputs("end\n", f);
    return ferror(f) ? ER_EIO : ER_OK;
}

