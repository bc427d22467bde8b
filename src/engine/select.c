/**
 * @file select.c
 * @brief The part of an inventory one poller collects: sites, roles, name
 * patterns and a stable shard.
 */
#include "select.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

int
select_partial(const struct select *sel)
{
    return sel && (sel->n_sites || sel->n_roles || sel->n_patterns || sel->shard_n);
}

const char *
select_describe(const struct select *sel, char *buf, size_t size)
{
    static const char *const kinds[] = {"site", "role", "device"};
    const char *const *v[] = {sel->sites, sel->roles, sel->patterns};
    const size_t n[] = {sel->n_sites, sel->n_roles, sel->n_patterns};
    size_t k, i, o = 0;

    buf[0] = '\0';
    for (k = 0; k < 3; k++) {
        for (i = 0; i < n[k] && o < size; i++)
            o += (size_t)snprintf(buf + o, size - o, "%s--%s %s", o ? " " : "", kinds[k], v[k][i]);
    }
    if (sel->shard_n && o < size)
        snprintf(buf + o, size - o, "%s--shard %u/%u", o ? " " : "", sel->shard_i, sel->shard_n);
    return buf;
}

er_code
select_parse_shard(struct select *sel, const char *arg, struct er_err *err)
{
    char *end;
    unsigned long i, n;

    i = strtoul(arg, &end, 10);
    if (end == arg || *end != '/' || arg[0] == '-')
        goto bad;
    n = strtoul(end + 1, &end, 10);
    if (*end || n < 1 || n > 65536 || i >= n || end[-1] == '/')
        goto bad;
    sel->shard_i = (unsigned)i;
    sel->shard_n = (unsigned)n;
    return ER_OK;
bad:
    return er_set(err, ER_EINVAL, "--shard takes I/N with 0 <= I < N <= 65536 (such as a Kubernetes completion "
            "index and the job's completions), got '%s'", arg);
}

er_code
select_add(struct select *sel, const char *kind, const char *value, struct er_err *err)
{
    const char **v;
    size_t *n;

    if (!strcmp(kind, "site")) {
        v = sel->sites;
        n = &sel->n_sites;
    } else if (!strcmp(kind, "role")) {
        v = sel->roles;
        n = &sel->n_roles;
    } else {
        v = sel->patterns;
        n = &sel->n_patterns;
    }
    if (*n == SELECT_MAX)
        return er_set(err, ER_EINVAL, "at most %d --%s options", SELECT_MAX, kind);
    if (!*value)
        return er_set(err, ER_EINVAL, "--%s takes a value, got an empty one", kind);
    v[(*n)++] = value;
    return ER_OK;
}

unsigned
select_shard_of(const char *name, unsigned n)
{
    uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a: fixed forever, or devices change shards */

    for (; *name; name++) {
        h ^= (unsigned char)*name;
        h *= 0x100000001b3ULL;
    }
    return n ? (unsigned)(h % n) : 0;
}

static int
any_equal(const char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s && !strcmp(v[i], s))
            return 1;
    }
    return 0;
}

static int
selected(const struct select *sel, const struct inv_device *d)
{
    size_t i;

    if (sel->n_sites && !any_equal(sel->sites, sel->n_sites, d->site))
        return 0;
    if (sel->n_roles && !any_equal(sel->roles, sel->n_roles, inv_role_name(d->role)))
        return 0;
    if (sel->n_patterns) {
        for (i = 0; i < sel->n_patterns && fnmatch(sel->patterns[i], d->name, 0); i++)
            ;
        if (i == sel->n_patterns)
            return 0;
    }
    return !sel->shard_n || select_shard_of(d->name, sel->shard_n) == sel->shard_i;
}

/* A --site or --role value that no device has: a typo, refused before anything is polled. */
static er_code
check_values(const struct inventory *inv, const struct select *sel, struct er_err *err)
{
    size_t i, j;

    for (i = 0; i < sel->n_sites; i++) {
        for (j = 0; j < inv->n_devices && !(inv->devices[j].site && !strcmp(inv->devices[j].site, sel->sites[i])); j++)
            ;
        if (j == inv->n_devices)
            return er_set(err, ER_EINVAL, "%s: no device has site '%s' (--site)", inv->path, sel->sites[i]);
    }
    for (i = 0; i < sel->n_roles; i++) {
        for (j = 0; j < inv->n_devices && strcmp(inv_role_name(inv->devices[j].role), sel->roles[i]); j++)
            ;
        if (j == inv->n_devices)
            return er_set(err, ER_EINVAL, "%s: no device has role '%s' (--role: er-edge, internet-edge, firewall, "
                    "wan, proxy)", inv->path, sel->roles[i]);
    }
    return ER_OK;
}

er_code
select_view(const struct inventory *inv, const struct select *sel, struct inventory *sub, struct er_err *err)
{
    struct inv_device *v;
    size_t i, n = 0;
    er_code rc;

    *sub = *inv;
    sub->devices = NULL;
    sub->n_devices = 0;
    /* The index maps names to places in @p inv's array, not the view's: lookups scan instead. */
    memset(&sub->device_names, 0, sizeof sub->device_names);
    if ((rc = check_values(inv, sel, err)))
        return rc;
    if (!(v = calloc(inv->n_devices ? inv->n_devices : 1, sizeof *v)))
        return er_set(err, ER_ENOMEM, "out of memory");
    for (i = 0; i < inv->n_devices; i++) {
        if (selected(sel, &inv->devices[i]))
            v[n++] = inv->devices[i];   /* shallow: the strings stay @p inv's */
    }
    sub->devices = v;
    sub->n_devices = n;
    return ER_OK;
}

void
select_view_free(struct inventory *sub)
{
    if (!sub)
        return;
    free(sub->devices);
    sub->devices = NULL;
    sub->n_devices = 0;
}

int
select_list(const char *path, const struct select *sel, FILE *out, FILE *errout)
{
    struct inventory *inv = NULL, sub;
    struct er_err err = {0};
    size_t i;

    if (inv_load(path, &inv, &err) || select_view(inv, sel, &sub, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        inv_free(inv);
        return EXIT_BADINPUT;
    }
    for (i = 0; i < sub.n_devices; i++)
        fprintf(out, "%s\n", sub.devices[i].name);
    select_view_free(&sub);
    inv_free(inv);
    return EXIT_OK;
}
