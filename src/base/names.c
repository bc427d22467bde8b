/** @file names.c @brief A hash index over the names of an array of records, and the check of a name used in a path. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

int
names_init(struct name_index *x, size_t n)
{
    for (x->cap = 16; x->cap < 2 * n; x->cap *= 2)
        ;
    x->slot = calloc(x->cap, sizeof *x->slot);
    return x->slot ? 0 : -1;
}

void
names_free(struct name_index *x)
{
    free(x->slot);
    x->slot = NULL;
    x->cap = 0;
}

uint32_t *
names_slot(const struct name_index *x, const char *name, const void *base, size_t stride, size_t off)
{
    uint64_t h = 1469598103934665603ULL;
    const char *p;
    size_t i;

    for (p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (i = h & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
        const char *have;

        if (!x->slot[i])
            return &x->slot[i];
        memcpy(&have, (const char *)base + (x->slot[i] - 1) * stride + off, sizeof have);
        if (!strcmp(have, name))
            return &x->slot[i];
    }
}

const char *
names_bad(const char *name)
{
    const char *p;

    if (!name || !*name)
        return "is empty";
    if (name[0] == '.' || name[0] == '-')
        return name[0] == '.' ? "starts with '.'" : "starts with '-'";
    for (p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (p - name >= NAMES_MAX_LEN)
            return "is longer than 64 characters";
        if (c == '/')
            return "contains '/'";
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                c == '-'))
            return "contains a character other than letters, digits, '.', '_' and '-'";
    }
    return NULL;
}
