/**
 * @file yamlread.c
 * @brief The typed YAML reader the inventory and the user rules share
 * (yr_* module): one bounded document, and typed getters whose errors say
 * file:line:column, what was expected and what was there.
 */
#include "yamlread.h"
#include "yamlscan.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- errors */

er_code __attribute__((format(printf, 3, 4)))
yr_fail(struct yread *y, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[800];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return er_set(y->err, ER_EINVAL, "%s:%zu:%zu: %s", y->name, n ? n->start_mark.line + 1 : 1,
            n ? n->start_mark.column + 1 : 1, msg);
}

int
yr_is_null(const yaml_node_t *n)
{
    const char *v;

    if (!n || n->type != YAML_SCALAR_NODE)
        return !n;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    v = (const char *)n->data.scalar.value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* Copy a scalar for a message: quoted, printable, cut short. */
static const char *
quote_scalar(const yaml_node_t *n, char *buf, size_t size)
{
    const unsigned char *v = n->data.scalar.value;
    size_t i, o = 0, len = n->data.scalar.length;

    buf[o++] = '\'';
    for (i = 0; i < len && o + 5 < size; i++)
        buf[o++] = (v[i] >= 0x20 && v[i] < 0x7f) ? (char)v[i] : '?';
    if (i < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

/* What a node is, for the "got ..." half of a message. */
const char *
yr_describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (!n || yr_is_null(n))
        return "nothing";
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    return quote_scalar(n, buf, size);
}

er_code
yr_expect(struct yread *y, const yaml_node_t *n, const char *what)
{
    char b[96];

    return yr_fail(y, n, "expected %s, got %s", what, yr_describe(n, b, sizeof b));
}

void
yr_join(const char *const *names, char *buf, size_t size)
{
    size_t i, o = 0;

    buf[0] = '\0';
    for (i = 0; names[i] && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
}

/* --------------------------------------------------------- node helpers */

yaml_node_t *
yr_node(struct yread *y, int idx)
{
    return yaml_document_get_node(y->doc, idx);
}

const char *
yr_sval(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/*
 * Match the keys of mapping @map against @keys; vals[i] gets the value of
 * keys[i] or NULL. Unknown and repeated keys are errors.
 */
er_code
yr_map_fields(struct yread *y, const yaml_node_t *map, const char *what, const char *const *keys, yaml_node_t **vals)
{
    yaml_node_t *knodes[YR_MAX_KEYS];
    yaml_node_pair_t *p;
    size_t i, nk;
    char list[256], b[96];

    for (nk = 0; keys[nk] && nk < YR_MAX_KEYS; nk++)
        vals[nk] = knodes[nk] = NULL;
    if (!map || map->type != YAML_MAPPING_NODE)
        return yr_expect(y, map, what);
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yr_node(y, p->key);

        if (k->type != YAML_SCALAR_NODE || yr_is_null(k))
            return yr_expect(y, k, "a key name");
        for (i = 0; i < nk && (strcmp(keys[i], yr_sval(k)) || strlen(keys[i]) != k->data.scalar.length); i++)
            ;
        if (i == nk) {
            yr_join(keys, list, sizeof list);
            return yr_fail(y, k, "unknown key %s (expected one of: %s)", quote_scalar(k, b, sizeof b), list);
        }
        if (knodes[i])
            return yr_fail(y, k, "duplicate key '%s' (first at line %zu)", keys[i], knodes[i]->start_mark.line + 1);
        knodes[i] = k;
        vals[i] = yr_node(y, p->value);
    }
    return ER_OK;
}

er_code
yr_need(struct yread *y, const yaml_node_t *map, const yaml_node_t *v, const char *key, const char *where)
{
    return v ? ER_OK : yr_fail(y, map, "expected key '%s' in %s, got none", key, where);
}

/* A non-empty string; absent (n == NULL) leaves *out alone. */
er_code
yr_get_str(struct yread *y, const yaml_node_t *n, const char *what, char **out)
{
    if (!n)
        return ER_OK;
    if (n->type != YAML_SCALAR_NODE || yr_is_null(n) || !n->data.scalar.length)
        return yr_expect(y, n, what);
    if (strlen(yr_sval(n)) != n->data.scalar.length)
        return yr_fail(y, n, "expected %s, got text with a NUL byte", what);
    free(*out);
    if (!(*out = strdup(yr_sval(n))))
        return er_set(y->err, ER_ENOMEM, "out of memory");
    return ER_OK;
}

er_code
yr_get_uint(struct yread *y, const yaml_node_t *n, const char *what, unsigned long lo, unsigned long hi,
        uint32_t *out)
{
    const char *v;
    unsigned long x = 0;
    size_t i;

    if (!n)
        return ER_OK;
    if (n->type != YAML_SCALAR_NODE || !n->data.scalar.length || n->data.scalar.length > 10)
        return yr_expect(y, n, what);
    v = yr_sval(n);
    for (i = 0; v[i]; i++) {
        if (!isdigit((unsigned char)v[i]))
            return yr_expect(y, n, what);
        x = x * 10 + (unsigned long)(v[i] - '0');
    }
    if (x < lo || x > hi)
        return yr_expect(y, n, what);
    *out = (uint32_t)x;
    return ER_OK;
}

er_code
yr_get_port(struct yread *y, const yaml_node_t *n, const char *what, uint16_t *out)
{
    uint32_t v = *out;
    er_code rc = yr_get_uint(y, n, what, 1, 65535, &v);

    *out = (uint16_t)v;
    return rc;
}

er_code
yr_get_enum(struct yread *y, const yaml_node_t *n, const char *what, const char *const *names, int *out)
{
    char list[200], msg[300];
    int i;

    if (!n)
        return ER_OK;
    for (i = 0; n->type == YAML_SCALAR_NODE && names[i]; i++) {
        if (!strcmp(names[i], yr_sval(n))) {
            *out = i;
            return ER_OK;
        }
    }
    yr_join(names, list, sizeof list);
    snprintf(msg, sizeof msg, "%s (one of: %s)", what, list);
    return yr_expect(y, n, msg);
}

/* An enum kept as a string in the struct. */
er_code
yr_get_enum_str(struct yread *y, const yaml_node_t *n, const char *what, const char *const *names, char **out)
{
    int i = 0;
    er_code rc;

    if (!n)
        return ER_OK;
    if ((rc = yr_get_enum(y, n, what, names, &i)))
        return rc;
    free(*out);
    return (*out = strdup(names[i])) ? ER_OK : er_set(y->err, ER_ENOMEM, "out of memory");
}

er_code
yr_get_bool(struct yread *y, const yaml_node_t *n, const char *what, int *out)
{
    static const char *const b[] = {"false", "true", NULL};

    return yr_get_enum(y, n, what, b, out);
}

er_code
yr_get_strlist(struct yread *y, const yaml_node_t *n, const char *what, const char *item, char ***v, size_t *cnt)
{
    yaml_node_item_t *it;
    er_code rc;

    if (!n)
        return ER_OK;
    if (n->type != YAML_SEQUENCE_NODE)
        return yr_expect(y, n, what);
    *v = calloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1, sizeof **v);
    if (!*v)
        return er_set(y->err, ER_ENOMEM, "out of memory");
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        if ((rc = yr_get_str(y, yr_node(y, *it), item, &(*v)[*cnt])))
            return rc;
        (*cnt)++;
    }
    return ER_OK;
}

/* Each section walks a list of mappings; this allocates its array. */
er_code
yr_seq_alloc(struct yread *y, const yaml_node_t *n, const char *what, size_t elem, void **arr)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return yr_expect(y, n, what);
    *arr = calloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1, elem);
    return *arr ? ER_OK : er_set(y->err, ER_ENOMEM, "out of memory");
}

/* ---------------------------------------------------------- whole file */

/* Aliases make one node appear twice; depth is bounded so the walk is too. */
static er_code
check_tree(struct yread *y, int idx, unsigned char *seen, int depth)
{
    yaml_node_t *n = yr_node(y, idx);
    yaml_node_item_t *it;
    yaml_node_pair_t *p;
    er_code rc;

    if (depth > y->max_depth)
        return yr_fail(y, n, "expected at most %d levels of nesting, got more", y->max_depth);
    if (seen[idx])
        return yr_fail(y, n, "expected plain YAML, got a node reused through an alias (anchors and aliases are not "
                "supported)");
    seen[idx] = 1;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
            if ((rc = check_tree(y, *it, seen, depth + 1)))
                return rc;
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
            if ((rc = check_tree(y, p->key, seen, depth + 1)) || (rc = check_tree(y, p->value, seen, depth + 1)))
                return rc;
        }
    }
    return ER_OK;
}

/* Tabs may not indent YAML; say so plainly rather than via a scanner error. */
static er_code
check_tabs(const char *name, const char *buf, size_t len, struct er_err *err)
{
    size_t i = 0, line = 1, col;

    while (i < len) {
        for (col = 1; i < len && (buf[i] == ' ' || buf[i] == '\t'); i++, col++) {
            if (buf[i] == '\t' && i + 1 < len && buf[i + 1] != '#' && buf[i + 1] != '\n' && buf[i + 1] != '\r')
                return er_set(err, ER_EINVAL, "%s:%zu:%zu: expected spaces for indentation, got a tab", name, line,
                        col);
        }
        while (i < len && buf[i] != '\n')
            i++;
        i++;
        line++;
    }
    return ER_OK;
}

static er_code
syntax_error(const char *name, const yaml_parser_t *p, const char *buf, size_t len, struct er_err *err)
{
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1, i;

    if (p->error == YAML_MEMORY_ERROR)
        return er_set(err, ER_ENOMEM, "%s: out of memory", name);
    if (p->error == YAML_READER_ERROR) {
        /* the reader reports a byte offset, not a mark */
        for (i = 0, line = 1, col = 1; i < p->problem_offset && i < len; i++) {
            line += buf[i] == '\n';
            col = buf[i] == '\n' ? 1 : col + 1;
        }
    }
    if (p->context)
        return er_set(err, ER_EINVAL, "%s:%zu:%zu: expected valid YAML, got a syntax error: %s (%s at line %zu)", name,
                line, col, p->problem ? p->problem : "?", p->context, p->context_mark.line + 1);
    return er_set(err, ER_EINVAL, "%s:%zu:%zu: expected valid YAML, got a syntax error: %s", name, line, col,
            p->problem ? p->problem : "?");
}

er_code
yr_load(struct yread *y, const char *name, const char *buf, size_t len, int max_depth, size_t max_size,
        struct er_err *err)
{
    yaml_parser_t parser;
    yaml_document_t doc2;
    yaml_node_t *root2;
    unsigned char *seen = NULL;
    er_code rc = ER_OK;

    memset(y, 0, sizeof *y);
    y->name = name;
    y->err = err;
    y->max_depth = max_depth;
    y->doc = &y->docbuf;
    if ((rc = check_tabs(name, buf, len, err)))
        return rc;
    /* libyaml is quadratic in nesting: refuse deep text before it reads any. */
    if ((rc = yamlscan_check(name, buf, len, max_depth, max_size, err)))
        return rc;
    if (!yaml_parser_initialize(&parser))
        return er_set(err, ER_ENOMEM, "%s: out of memory", name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    ER_CHECK_GOTO(!yaml_parser_load(&parser, y->doc), rc, syntax_error(name, &parser, buf, len, err), cleanup);
    y->have_doc = 1;
    if (!yaml_document_get_root_node(y->doc))
        goto cleanup;
    ER_CHECK_GOTO(!yaml_parser_load(&parser, &doc2), rc, syntax_error(name, &parser, buf, len, err), cleanup);
    if ((root2 = yaml_document_get_root_node(&doc2))) {
        size_t l = root2->start_mark.line + 1, col = root2->start_mark.column + 1;

        yaml_document_delete(&doc2);
        rc = er_set(err, ER_EINVAL, "%s:%zu:%zu: expected one YAML document, got a second one", name, l, col);
        goto cleanup;
    }
    yaml_document_delete(&doc2);
    seen = calloc((size_t)(y->doc->nodes.top - y->doc->nodes.start) + 1, 1);
    ER_CHECK_GOTO(!seen, rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    rc = check_tree(y, 1, seen, 0);
cleanup:
    free(seen);
    yaml_parser_delete(&parser);
    if (rc)
        yr_free(y);
    return rc;
}

yaml_node_t *
yr_root(struct yread *y)
{
    return y->have_doc ? yaml_document_get_root_node(y->doc) : NULL;
}

void
yr_free(struct yread *y)
{
    if (y->have_doc)
        yaml_document_delete(y->doc);
    y->have_doc = 0;
}
