/**
 * @file inventory_import_oxidized.c
 * @brief Devices from an Oxidized router.db (its CSV source): one device a
 * line, fields split by a delimiter (':' by default), their meaning given by
 * a field map as in Oxidized's source.csv.map (default name=0, model=1).
 *
 * As Oxidized does, a line starting with '#' (after blanks) and an empty
 * line are skipped. The map may name name, model, group and ip; credential
 * columns (username, password, enable) are refused in the map, so they are
 * never read, and a bad row's message never quotes the row.
 */
#include "inventory_import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"

enum { F_NAME, F_MODEL, F_GROUP, F_IP, F_N };
static const char *const field_names[F_N] = {"name", "model", "group", "ip"};

/* Parse "name=0,model=1,group=2" into @p col (-1: unmapped). */
static er_code
parse_map(const char *map, int col[F_N], struct er_err *err)
{
    char buf[256], *save = NULL, *item;
    size_t k;

    col[F_NAME] = 0;
    col[F_MODEL] = 1;
    col[F_GROUP] = col[F_IP] = -1;
    if (!map)
        return ER_OK;
    col[F_NAME] = col[F_MODEL] = -1;
    snprintf(buf, sizeof buf, "%s", map);
    for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '='), *end;
        long n;

        if (!eq)
            return er_set(err, ER_EINVAL, "--map: expected FIELD=COLUMN, got '%.60s'", item);
        *eq = '\0';
        errno = 0;
        n = strtol(eq + 1, &end, 10);
        if (errno || end == eq + 1 || *end || n < 0 || n > 255)
            return er_set(err, ER_EINVAL, "--map: expected a column number 0-255 for '%.40s', got '%.40s'", item,
                    eq + 1);
        for (k = 0; k < F_N && strcmp(item, field_names[k]); k++)
            ;
        if (k == F_N)
            return er_set(err, ER_EINVAL, "--map: expected name, model, group or ip, got '%.40s'%s", item,
                    strcmp(item, "username") && strcmp(item, "password") && strcmp(item, "enable")
                    ? "" : " (credentials are never imported: leave them out of the map)");
        col[k] = (int)n;
    }
    if (col[F_NAME] < 0)
        return er_set(err, ER_EINVAL, "--map: expected a column for name, got none");
    return ER_OK;
}

/* Field @p want of the line [s, e) split by @p delim, copied into @p out; 0 when the line has fewer fields. */
static int
field(const char *s, const char *e, char delim, int want, char *out, size_t size)
{
    const char *f = s, *q;
    int i;

    for (i = 0; i < want; i++) {
        if (!(q = memchr(f, delim, (size_t)(e - f))))
            return 0;
        f = q + 1;
    }
    q = memchr(f, delim, (size_t)(e - f));
    if (!q)
        q = e;
    snprintf(out, size, "%.*s", (int)(q - f), f);
    return 1;
}

er_code
imp_read_oxidized(const char *path, const struct imp_opts *o, struct imp_list *l, struct er_err *err)
{
    char delim = o && o->delimiter ? o->delimiter : ':', *buf = NULL, tmp[256];
    const char *s, *e, *end;
    int col[F_N], ln = 0;
    size_t len;
    er_code rc;

    if ((rc = parse_map(o ? o->map : NULL, col, err)) || (rc = bound_read_path(path, path, 1, &buf, &len, err)))
        return rc;
    end = buf + len;
    for (s = buf; s < end && !rc; s = e + 1) {
        struct imp_device d = {0};
        const char *fe;         /* the line's end, without a CR of a CRLF file */

        ln++;
        if (!(e = memchr(s, '\n', (size_t)(end - s))))
            e = end;
        fe = e > s && e[-1] == '\r' ? e - 1 : e;
        if (s + strspn(s, " \t") >= fe || s[strspn(s, " \t")] == '#')
            continue;
        snprintf(d.where, sizeof d.where, "line %d", ln);
        d.role_kind = "Oxidized group";
        if (!field(s, fe, delim, col[F_NAME], d.name, sizeof d.name) || !d.name[0])
            rc = imp_skip(l, err, "%s: skipped: expected a device name in field %d, got none", d.where, col[F_NAME]);
        else if (col[F_MODEL] >= 0 && (!field(s, fe, delim, col[F_MODEL], d.platform, sizeof d.platform) ||
                !d.platform[0]))
            rc = imp_skip(l, err, "%s: skipped: expected a model in field %d for device '%.60s', got none", d.where,
                    col[F_MODEL], d.name);
        else {
            if (col[F_GROUP] >= 0 && field(s, fe, delim, col[F_GROUP], tmp, sizeof tmp) && tmp[0]) {
                imp_copy(d.role_src, sizeof d.role_src, tmp);
                snprintf(d.note, sizeof d.note, "oxidized group: %.100s", tmp);
            }
            /* Oxidized connects to the name unless an ip column is mapped */
            if (col[F_IP] < 0 || !field(s, fe, delim, col[F_IP], d.host, sizeof d.host) || !d.host[0])
                imp_copy(d.host, sizeof d.host, d.name);
            rc = imp_add(l, &d, err);
        }
    }
    free(buf);
    return rc;
}
