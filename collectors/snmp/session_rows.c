/**
 * @file session_rows.c
 * @brief The kept rows of a route table walk (struct rowset): a hash of each
 * row's index and the columns it showed, so that rows some columns lack (the
 * table changed during the walk) are counted.
 */
#include "session_int.h"

#include <stdlib.h>
#include <string.h>

uint64_t
snmps_rowset_hash(const oid *ix, size_t n)
{
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < n; i++) {
        h ^= (uint64_t)ix[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

/* Record column @p col of the row with index hash @p h. @return 0, -1 out of memory. */
int
snmps_rowset_add(struct rowset *rs, uint64_t h, oid col)
{
    uint64_t bit = 1ull << (col < 63 ? col : 63);
    size_t i;

    if ((rs->n + 1) * 2 > rs->cap) {
        struct rowset nr = { NULL, NULL, 0, rs->cap ? rs->cap * 2 : 256 };

        nr.keys = calloc(nr.cap, sizeof *nr.keys);
        nr.cols = calloc(nr.cap, sizeof *nr.cols);
        if (!nr.keys || !nr.cols) {
            free(nr.keys);
            free(nr.cols);
            return -1;
        }
        for (i = 0; i < rs->cap; i++) {
            if (!rs->keys[i])
                continue;
            size_t j = rs->keys[i] & (nr.cap - 1);
            while (nr.keys[j])
                j = (j + 1) & (nr.cap - 1);
            nr.keys[j] = rs->keys[i];
            nr.cols[j] = rs->cols[i];
        }
        nr.n = rs->n;
        free(rs->keys);
        free(rs->cols);
        *rs = nr;
    }
    for (i = h & (rs->cap - 1); rs->keys[i] && rs->keys[i] != h; i = (i + 1) & (rs->cap - 1))
        ;
    if (!rs->keys[i]) {
        rs->keys[i] = h;
        rs->n++;
    }
    rs->cols[i] |= bit;
    return 0;
}

/* Rows that lack a column other rows of the table have. */
uint64_t
snmps_rowset_incomplete(const struct rowset *rs)
{
    uint64_t all = 0, n = 0;
    size_t i;

    for (i = 0; i < rs->cap; i++)
        all |= rs->cols[i];
    for (i = 0; i < rs->cap; i++)
        n += rs->keys[i] && rs->cols[i] != all;
    return n;
}

void
snmps_rowset_free(struct rowset *rs)
{
    free(rs->keys);
    free(rs->cols);
    memset(rs, 0, sizeof *rs);
}

