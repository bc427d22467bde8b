/**
 * @file test_yamlscan.c
 * @brief The YAML pre-scan refuses deep text fast and never what the tree accepts.
 *
 * Every YAML file of the repository and a set of awkward but valid documents
 * (block scalars, multi-line plain and quoted scalars, brackets in plain
 * text, comments) pass; deep flow, block and compact nesting is refused with
 * its line and column, in time linear in the text. Where the scan refuses,
 * libyaml's own tree is deeper than the limit.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "yamlscan.h"

#define DEPTH 32

/* The depth of libyaml's tree (root 0), or -1 when libyaml refuses the text. */
static int
node_depth(yaml_document_t *d, int idx, int depth)
{
    yaml_node_t *n = yaml_document_get_node(d, idx);
    int max = depth, k;

    if (!n || depth > 10000)
        return depth;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
            if ((k = node_depth(d, *it, depth + 1)) > max)
                max = k;
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
            if ((k = node_depth(d, p->key, depth + 1)) > max)
                max = k;
            if ((k = node_depth(d, p->value, depth + 1)) > max)
                max = k;
        }
    }
    return max;
}

static int
tree_depth(const char *text, size_t len)
{
    yaml_parser_t p;
    yaml_document_t d;
    int depth = -1;

    assert_true(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (yaml_parser_load(&p, &d)) {
        depth = yaml_document_get_root_node(&d) ? node_depth(&d, 1, 0) : 0;
        yaml_document_delete(&d);
    }
    yaml_parser_delete(&p);
    return depth;
}

/* The scan's verdict on @p text; when it refuses, the tree must be too deep (or not YAML). */
static int
scan(const char *text, char *msg, size_t size)
{
    struct er_err err = {0};
    size_t len = strlen(text);
    er_code rc = yamlscan_check("t.yaml", text, len, DEPTH, 1 << 22, &err);

    snprintf(msg, size, "%s", err.msg);
    if (rc && len < 4096) {   /* libyaml itself is quadratic on the deep ones */
        int d = tree_depth(text, len);

        if (d >= 0 && d <= DEPTH)
            fail_msg("the scan refused a document of depth %d: %s\n%s", d, err.msg, text);
    }
    return rc != ER_OK;
}

static int files_seen;

static int
visit(const char *path, const struct stat *st, int type, struct FTW *f)
{
    size_t l = strlen(path);
    char msg[1024];
    FILE *fp;
    char *buf;
    int depth;

    (void)f;
    if (type != FTW_F || l < 5 || (strcmp(path + l - 5, ".yaml") && strcmp(path + l - 4, ".yml")))
        return 0;
    if (strstr(path, "/build"))
        return 0;
    assert_non_null(fp = fopen(path, "rb"));
    assert_non_null(buf = calloc(1, (size_t)st->st_size + 1));
    assert_int_equal(fread(buf, 1, (size_t)st->st_size, fp), (size_t)st->st_size);
    fclose(fp);
    depth = tree_depth(buf, (size_t)st->st_size);
    if (depth >= 0 && depth <= DEPTH && scan(buf, msg, sizeof msg))
        fail_msg("%s refused: %s", path, msg);
    free(buf);
    files_seen++;
    return 0;
}

static void
test_repository_files(void **state)
{
    (void)state;
    assert_int_equal(nftw(TESTS_DIR "/..", visit, 16, FTW_PHYS), 0);
    assert_true(files_seen > 20);
}

static void
test_valid(void **state)
{
    static const char *const docs[] = {
        "a: 1\nb: [1, 2, {c: d}]\n",
        "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\na: b\n",
        "a: text [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ and {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n",
        "a: 'it''s [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\nb: \"\\\" {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\"\n",
        "a: |\n  x\n    y\n      z\n        w\n          v\n            u\n              t\n                s\n"
        "                  r\n                    q\n                      p\n                        o\n"
        "                          n\n                            m\n                              l\n"
        "                                k\n                                  j\n"
        "                                    i\n                                      h\n"
        "                                        g\n                                          f\n"
        "                                            e\n                                              d\n"
        "                                                c\n                                                  b\n"
        "                                                    a\n                                                      -\n"
        "                                                        -\n                                                          -\n"
        "                                                            -\n                                                              -\n"
        "                                                                -\n                                                                  -\n"
        "b: 2\n",
        "a: plain text that\n  goes on\n    and on\n      and on\n        and on\n          and on\n            and on\n"
        "              and on\n                and on\n                  and on\n                    and on\n"
        "                      and on\n                        and on\n                          and on\n"
        "                            and on\n                              and on\n                                and on\n"
        "                                  and on\n                                    and on\n"
        "                                      and on\n                                        and on\n"
        "                                          and on\n                                            and on\n"
        "                                              and on\n                                                and on\n"
        "                                                  and on\n                                                    and on\n"
        "                                                      and on\n                                                        and on\n"
        "                                                          and on\n                                                            and on\n"
        "                                                              and on\n                                                                and on\n"
        "                                                                  end\nb: 1\n",
        "a: 'quoted\n    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n  across lines'\n",
        "a: [1,\n      2,\n  3]\nb:\n  - x\n  - {y: [z,\n   w]}\n",
        "--- \na: 1\n...\n",
        "%YAML 1.1\n---\n- - - - a\n  - b\n",
        "- name: x\n  text: >\n    folded\n      more\n  other: y\n",
        "a:\n- 1\n- 2\nb:\n  c:\n    d:\n      e: f\n",
        "key: &anchor !!str value\nother: *anchor\n",
        "? complex\n: value\n",
        "url: http://example.com:8080/a#b\ntime: 12:30:00\n",
        "",
    };
    char msg[1024];

    (void)state;
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        if (tree_depth(docs[i], strlen(docs[i])) < 0)
            fail_msg("document %zu is not YAML", i);
        if (scan(docs[i], msg, sizeof msg))
            fail_msg("document %zu refused: %s", i, msg);
    }
}

/* @p n repetitions of @p unit between @p head and @p tail. */
static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * n + tl + 1), *p = s;

    assert_non_null(s);
    memcpy(p, head, hl);
    p += hl;
    for (size_t i = 0; i < n; i++, p += ul)
        memcpy(p, unit, ul);
    memcpy(p, tail, tl + 1);
    return s;
}

static void
test_deep(void **state)
{
    char msg[1024], *s;

    (void)state;
    s = repeat("devices: ", "[", 80000, "\n");
    assert_true(scan(s, msg, sizeof msg));
    assert_string_equal(msg, "t.yaml:1:43: expected at most 32 levels of nesting, got more");
    free(s);
    s = repeat("a:\n  - ", "{a: ", 100, "\n");
    assert_true(scan(s, msg, sizeof msg));
    assert_non_null(strstr(msg, "t.yaml:2:"));
    free(s);
    s = repeat("devices:\n  ", "- ", 100, "x\n");
    assert_true(scan(s, msg, sizeof msg));
    assert_non_null(strstr(msg, "t.yaml:2:"));
    free(s);
    /* block mappings, one level a line */
    s = malloc(64 * 1024);
    assert_non_null(s);
    s[0] = '\0';
    for (int i = 0; i < 60; i++)
        sprintf(s + strlen(s), "%*sk%d:\n", 2 * i, "", i);
    assert_true(scan(s, msg, sizeof msg));
    assert_non_null(strstr(msg, "levels of nesting"));
    free(s);
    /* block sequences, a dash a line */
    s = malloc(64 * 1024);
    assert_non_null(s);
    s[0] = '\0';
    for (int i = 0; i < 60; i++)
        sprintf(s + strlen(s), "%*s-\n", 2 * i, "");
    assert_true(scan(s, msg, sizeof msg));
    free(s);
    /* within the limit in flow: the tree's check decides */
    s = repeat("a: ", "[", 30, "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n");
    assert_false(scan(s, msg, sizeof msg));
    free(s);
}

static void
test_size(void **state)
{
    struct er_err err = {0};

    (void)state;
    assert_int_equal(yamlscan_check("t.yaml", "a: 1\n", 5, DEPTH, 4, &err), ER_EINVAL);
    assert_string_equal(err.msg, "t.yaml:1:1: expected at most 4 bytes, got 5");
    assert_int_equal(yamlscan_check("t.yaml", "a: 1\n", 5, DEPTH, 5, &err), ER_OK);
}

/* A million levels, and 4 MB of valid text, each in milliseconds. */
static void
test_linear(void **state)
{
    struct er_err err;
    struct timespec t0, t1;
    char *deep = repeat("a: ", "[", 1000000, "\n"), *wide = repeat("a:\n", "  - {b: [1, 2, 'x'], c: \"y\"}\n", 140000, "");
    double ms;

    (void)state;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(yamlscan_check("t.yaml", deep, strlen(deep), DEPTH, 1 << 24, &err), ER_EINVAL);
    assert_int_equal(yamlscan_check("t.yaml", wide, strlen(wide), DEPTH, 1 << 24, &err), ER_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("a million levels refused and %zu bytes scanned in %.1f ms\n", strlen(wide), ms);
    assert_true(ms < 10000);   /* linear; a quadratic scan of a million levels takes minutes */
    free(deep);
    free(wide);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repository_files),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_deep),
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_linear),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
