/*
 * JSON reader benchmark driver (issue 16): the old hand-written reader
 * (jsonr_old.c, formerly rules/jsonr.c) against json-c as the product calls
 * it (jsonfile_parse(): strict, UTF-8 checked) on one service-tags file.
 * Each run reads the file into memory (not timed), parses it, and walks values[].properties.addressPrefixes[] touching every prefix string,
 * which is the work svc_load_tags() asks of a parser. Best of RUNS runs, in
 * milliseconds; peak heap is not measured here (see `run`, which measures
 * the whole process's maximum resident size per parser).
 *
 *     jbench FILE PARSER [RUNS]      PARSER: jsonr | json-c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bound.h"
#include "jsonfile.h"
#include "jsonr_old.h"

static double
now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Each walker returns the number of prefixes and the sum of their lengths (so nothing is optimized away). */
static long
walk_jsonr(char *text, size_t len, size_t *bytes)
{
    struct jr_doc d;
    struct er_err err;
    long v, p, n = 0, values, props, arr;

    if (jr_parse("file", text, len, &d, &err)) {
        fprintf(stderr, "jsonr: %s\n", err.msg);
        return -1;
    }
    values = jr_get(&d, 0, "values");
    JR_FOR(&d, (size_t)values, v) {
        props = jr_get(&d, (size_t)v, "properties");
        arr = jr_get(&d, (size_t)props, "addressPrefixes");
        JR_FOR(&d, (size_t)arr, p) {
            *bytes += strlen(d.v[p].s);
            n++;
        }
    }
    jr_free(&d);
    return n;
}

static long
walk_jsonc(const char *text, size_t len, size_t *bytes)
{
    struct json_object *root, *values, *props, *arr;
    struct er_err err;
    size_t i, j, nv, np;
    long n = 0;

    if (jsonfile_parse("file", text, len, &root, &err)) {
        fprintf(stderr, "json-c: %s\n", err.msg);
        return -1;
    }
    json_object_object_get_ex(root, "values", &values);
    nv = json_object_array_length(values);
    for (i = 0; i < nv; i++) {
        json_object_object_get_ex(json_object_array_get_idx(values, i), "properties", &props);
        json_object_object_get_ex(props, "addressPrefixes", &arr);
        np = json_object_array_length(arr);
        for (j = 0; j < np; j++) {
            *bytes += (size_t)json_object_get_string_len(json_object_array_get_idx(arr, j));
            n++;
        }
    }
    json_object_put(root);
    return n;
}

int
main(int argc, char **argv)
{
    int runs = argc > 3 ? atoi(argv[3]) : 5, i;
    double best = 1e9, t0, t;
    struct er_err err;
    char *text, *copy;
    size_t len, bytes = 0;
    long n = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: jbench FILE jsonr|json-c [RUNS]\n");
        return 2;
    }
    if (bound_read_path(argv[1], argv[1], 1, &text, &len, &err)) {
        fprintf(stderr, "jbench: %s\n", err.msg);
        return 2;
    }
    for (i = 0; i < runs; i++) {
        /* jsonr decodes in place and takes the buffer: give it a fresh copy, outside the timing */
        if (!(copy = malloc(len + 1)))
            return 2;
        memcpy(copy, text, len + 1);
        bytes = 0;
        t0 = now_ms();
        if (!strcmp(argv[2], "jsonr"))
            n = walk_jsonr(copy, len, &bytes), copy = NULL;
        else if (!strcmp(argv[2], "json-c"))
            n = walk_jsonc(copy, len, &bytes);
        else
            return 2;
        t = now_ms() - t0;
        free(copy);
        if (n < 0)
            return 2;
        if (t < best)
            best = t;
    }
    printf("%s prefixes=%ld bytes=%zu best_ms=%.2f\n", argv[2], n, bytes, best);
    free(text);
    return 0;
}
