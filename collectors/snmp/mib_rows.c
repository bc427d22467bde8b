/**
 * @file mib_rows.c
 * @brief The decoders' row store (struct mib_rows): rows keyed by their
 * index sub-identifiers, found by a scan while few and by open addressing
 * after, iterated in insertion order.
 */
#include "mib_int.h"

#include <stdlib.h>
#include <string.h>

/* Up to this many rows, mib_rows_get() compares keys instead of hashing. */
#define MIB_ROWS_SCAN 8

static uint32_t
mib_hash(const uint32_t *key, size_t klen)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < klen; i++) {
        h ^= key[i];
        h *= 16777619u;
        h ^= h >> 15;
    }
    return h;
}

static int
mib_rows_grow(struct mib_rows *t)
{
    size_t ns = t->n_slots ? t->n_slots * 2 : 64, i;
    uint32_t *slots = calloc(ns, sizeof *slots);

    if (!slots)
        return -1;
    for (i = 0; i < t->n; i++) {
        size_t s = mib_hash(t->keys[i], t->klens[i]) & (ns - 1);

        while (slots[s])
            s = (s + 1) & (ns - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    free(t->slots);
    t->slots = slots;
    t->n_slots = ns;
    return 0;
}

void *
mib_rows_get(struct mib_rows *t, const uint32_t *key, size_t klen, size_t size, int create)
{
    size_t s, i, j;
    void *row;
    uint32_t *k;

    if (t->n <= MIB_ROWS_SCAN) {
        /* A few rows (a filtered route table): comparing keys costs less than hashing a long one. */
        for (i = 0; i < t->n; i++) {
            if (t->klens[i] != klen)
                continue;
            for (j = 0; j < klen && t->keys[i][j] == key[j]; j++)
                ;
            if (j == klen)
                return t->rows[i];
        }
    } else if (t->n_slots) {
        for (s = mib_hash(key, klen) & (t->n_slots - 1); t->slots[s]; s = (s + 1) & (t->n_slots - 1)) {
            i = t->slots[s] - 1;
            if (t->klens[i] == klen && !memcmp(t->keys[i], key, klen * sizeof *key))
                return t->rows[i];
        }
    }
    if (!create)
        return NULL;
    if ((t->n + 1) * 2 > t->n_slots && mib_rows_grow(t))
        return NULL;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 32;
        void **rows = realloc(t->rows, nc * sizeof *rows);
        uint32_t **keys;
        size_t *klens;

        if (!rows)
            return NULL;
        t->rows = rows;
        if (!(keys = realloc(t->keys, nc * sizeof *keys)))
            return NULL;
        t->keys = keys;
        if (!(klens = realloc(t->klens, nc * sizeof *klens)))
            return NULL;
        t->klens = klens;
        t->cap = nc;
    }
    row = calloc(1, size);
    k = malloc(klen ? klen * sizeof *key : 1);
    if (!row || !k) {
        free(row);
        free(k);
        return NULL;
    }
    memcpy(k, key, klen * sizeof *key);
    t->rows[t->n] = row;
    t->keys[t->n] = k;
    t->klens[t->n] = klen;
    t->n++;
    for (s = mib_hash(key, klen) & (t->n_slots - 1); t->slots[s]; s = (s + 1) & (t->n_slots - 1))
        ;
    t->slots[s] = (uint32_t)t->n;
    return row;
}

void
mib_rows_clear(struct mib_rows *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->n; i++) {
        free(t->rows[i]);
        free(t->keys[i]);
    }
    free(t->rows);
    free(t->keys);
    free(t->klens);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

