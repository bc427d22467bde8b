/**
 * @file inventory_import_netbox.c
 * @brief Devices from a NetBox export: the reply of GET /api/dcim/devices/
 * (an object whose `results` lists devices) or a list of such devices.
 *
 * Per device: `name`; `role` (since NetBox 3.6; `device_role` before), `site` and
 * `platform` as nested objects with `name` and `slug`; `status` {value};
 * the management address from `primary_ip`, else `primary_ip4`, else
 * `primary_ip6` ({address: "192.0.2.1/24"}, prefix length dropped). Only
 * active devices are drafted. Rows are named by their index in results[].
 */
#include "inventory_import.h"

#include <arpa/inet.h>
#include <string.h>

#include "jsonfile.h"

/* Of a nested object ({id, url, name, slug}): member @p first, else @p second, else NULL. */
static const char *
either(const struct json_object *o, const char *first, const char *second)
{
    const char *s = jsonfile_str(o, first);

    return s ? s : jsonfile_str(o, second);
}

/* The management address of @p dev into @p out: 1, 0 when it has none, -1 when the one it has is not an address. */
static int
primary_address(const struct json_object *dev, char *out, size_t size, const char **bad)
{
    static const char *const keys[] = {"primary_ip", "primary_ip4", "primary_ip6"};
    unsigned char bin[16];
    const char *a = NULL;
    size_t i, n;

    for (i = 0; !a && i < sizeof keys / sizeof *keys; i++)
        a = jsonfile_str(jsonfile_member(dev, keys[i], json_type_object), "address");
    if (!a)
        return 0;
    *bad = a;
    n = strcspn(a, "/");
    if (n >= size)
        return -1;
    memcpy(out, a, n);
    out[n] = '\0';
    return inet_pton(AF_INET, out, bin) == 1 || inet_pton(AF_INET6, out, bin) == 1 ? 1 : -1;
}

/* One device of results[] into the list, or a named skip. */
static er_code
one_device(struct imp_list *l, const struct json_object *dev, size_t idx, struct er_err *err)
{
    struct imp_device d = {0};
    struct json_object *role, *site, *pf, *st;
    const char *name, *status, *bad = "";
    int a;

    snprintf(d.where, sizeof d.where, "results[%zu]", idx);
    d.role_kind = "NetBox role";
    if (!json_object_is_type(dev, json_type_object))
        return imp_skip(l, err, "%s: skipped: expected a device object, got a JSON %s", d.where,
                json_type_to_name(json_object_get_type(dev)));
    if (!(name = jsonfile_str(dev, "name")) || !*name)
        return imp_skip(l, err, "%s: skipped: the device has no name (NetBox allows unnamed devices; eraudit "
                "needs one)", d.where);
    snprintf(d.where, sizeof d.where, "results[%zu] '%.20s'", idx, name);
    imp_copy(d.name, sizeof d.name, name);
    st = jsonfile_member(dev, "status", json_type_object);
    if ((status = jsonfile_str(st, "value")) && strcmp(status, "active"))
        return imp_skip(l, err, "%s: skipped: status '%.40s', not active", d.where, status);
    if ((a = primary_address(dev, d.host, sizeof d.host, &bad)) == 0)
        return imp_skip(l, err, "%s: skipped: no primary_ip, primary_ip4 or primary_ip6 address", d.where);
    if (a < 0)
        return imp_skip(l, err, "%s: skipped: expected an address with a prefix length as the primary IP, got '%.60s'",
                d.where, bad);
    /* role since NetBox 3.6 (device_role, its old name, was dropped from the API in 4.0) */
    if ((role = jsonfile_member(dev, "role", json_type_object)) ||
            (role = jsonfile_member(dev, "device_role", json_type_object)))
        imp_copy(d.role_src, sizeof d.role_src, either(role, "name", "slug"));
    if ((site = jsonfile_member(dev, "site", json_type_object)))
        imp_copy(d.site, sizeof d.site, either(site, "name", "slug"));
    if ((pf = jsonfile_member(dev, "platform", json_type_object)))
        imp_copy(d.platform, sizeof d.platform, either(pf, "slug", "name"));
    return imp_add(l, &d, err);
}

er_code
imp_read_netbox(const char *path, struct imp_list *l, struct er_err *err)
{
    struct json_object *doc = NULL, *results = NULL, *next;
    size_t i, n;
    er_code rc;

    if ((rc = jsonfile_read(path, NULL, &doc, err)))
        return rc;
    if (json_object_is_type(doc, json_type_array))
        results = doc;
    else if (json_object_is_type(doc, json_type_object) && json_object_object_get_ex(doc, "results", &results) &&
            json_object_is_type(results, json_type_array)) {
        /* a page of a longer list would draft an inventory that silently misses devices */
        if (json_object_object_get_ex(doc, "next", &next) && json_object_is_type(next, json_type_string)) {
            rc = er_set(err, ER_EINVAL, "%s: expected the whole device list, got one page of %s devices ('next' is "
                    "set): ask /api/dcim/devices/?limit=0 (up to MAX_PAGE_SIZE) or join the pages' results into one "
                    "list", path,
                    json_object_object_get_ex(doc, "count", &next) ? json_object_to_json_string(next) : "?");
            goto cleanup;
        }
    } else {
        rc = er_set(err, ER_EINVAL, "%s:1: expected a NetBox devices export (the /api/dcim/devices/ reply, an object "
                "with 'results', or a list of devices), got a JSON %s", path,
                json_type_to_name(json_object_get_type(doc)));
        goto cleanup;
    }
    n = json_object_array_length(results);
    for (i = 0; i < n; i++) {
        if ((rc = one_device(l, json_object_array_get_idx(results, i), i, err)))
            goto cleanup;
    }
cleanup:
    json_object_put(doc);
    return rc;
}
