/**
 * @file inv_lookup.c
 * @brief Freeing an inventory, and the lookups the other layers use:
 * devices and auth profiles by name, paths relative to the inventory.
 */
#include "inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ free and lookup */

static void
strv_free(char **v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void
auth_free(struct inv_auth *a)
{
    free(a->name);
    free(a->username);
    free(a->key_file);
    free(a->password.ref);
    free(a->community.ref);
    free(a->v3_user);
    free(a->v3_level);
    free(a->v3_auth_proto);
    free(a->v3_auth_pass.ref);
    free(a->v3_priv_proto);
    free(a->v3_priv_pass.ref);
    free(a->ssh_config.path);
}

static void
device_free(struct inv_device *d)
{
    size_t i;

    free(d->name);
    free(d->host);
    free(d->site);
    free(d->auth);
    free(d->ssh_config.path);
    for (i = 0; i < d->n_zones; i++) {
        free(d->zones[i].name);
        free(d->zones[i].faces);
        strv_free(d->zones[i].interfaces, d->zones[i].n_interfaces);
    }
    free(d->zones);
}

static void
circuit_free(struct inv_circuit *c)
{
    free(c->name);
    free(c->sku);
    free(c->peering_location);
    free(c->primary.device);
    free(c->primary.neighbor);
    free(c->secondary.device);
    free(c->secondary.neighbor);
    strv_free(c->prefixes, c->n_prefixes);
}

void
inv_free(struct inventory *inv)
{
    size_t i;

    if (!inv)
        return;
    for (i = 0; i < inv->n_auths; i++)
        auth_free(&inv->auths[i]);
    for (i = 0; i < inv->n_devices; i++)
        device_free(&inv->devices[i]);
    names_free(&inv->device_names);
    for (i = 0; i < inv->n_circuits; i++)
        circuit_free(&inv->circuits[i]);
    for (i = 0; i < inv->n_sites; i++) {
        free(inv->sites[i].name);
        free(inv->sites[i].geo_region);
    }
    for (i = 0; i < inv->n_overrides; i++) {
        free(inv->overrides[i].rule);
        free(inv->overrides[i].severity);
    }
    for (i = 0; i < inv->n_waivers; i++) {
        struct inv_waiver *w = &inv->waivers[i];

        free(w->rule);
        free(w->device);
        free(w->circuit);
        free(w->owner);
        free(w->reason);
        free(w->expires);
    }
    free(inv->auths);
    free(inv->devices);
    free(inv->circuits);
    free(inv->sites);
    free(inv->overrides);
    free(inv->waivers);
    strv_free(inv->azure_regions, inv->n_azure_regions);
    free(inv->path);
    free(inv->known_hosts);
    free(inv->defaults.ssh_config.path);
    free(inv->cloud);
    free(inv->pp_region);
    free(inv->service_tags);
    free(inv->m365_endpoints);
    free(inv->reference_data);
    free(inv->pac_file);
    free(inv->pac_client_address);
    for (i = 0; i < inv->n_pac_hosts; i++) {
        free(inv->pac_hosts[i].name);
        free(inv->pac_hosts[i].addr);
    }
    free(inv->pac_hosts);
    free(inv->user_rules);
    for (i = 0; i < inv->n_attestations; i++) {
        free(inv->attestations[i].question);
        free(inv->attestations[i].answer);
        free(inv->attestations[i].by);
        free(inv->attestations[i].date);
        free(inv->attestations[i].evidence);
    }
    free(inv->attestations);
    free(inv->fail_on);
    free(inv);
}

const char *
inv_resolve(const struct inventory *inv, const char *path, char *buf, size_t size)
{
    const char *slash;

    if (!path || path[0] == '/' || !inv || !inv->path || !(slash = strrchr(inv->path, '/')))
        return path;
    snprintf(buf, size, "%.*s/%s", (int)(slash - inv->path), inv->path, path);
    return buf;
}

const struct inv_device *
inv_device_find(const struct inventory *inv, const char *name)
{
    uint32_t *slot;
    size_t i;

    if (inv && name && inv->device_names.slot) {
        slot = name_slot(inv, name);
        return *slot ? &inv->devices[*slot - 1] : NULL;
    }
    for (i = 0; inv && name && i < inv->n_devices; i++) {
        if (inv->devices[i].name && !strcmp(inv->devices[i].name, name))
            return &inv->devices[i];
    }
    return NULL;
}

const struct inv_auth *
inv_auth_find(const struct inventory *inv, const char *name)
{
    size_t i;

    for (i = 0; inv && name && i < inv->n_auths; i++) {
        if (inv->auths[i].name && !strcmp(inv->auths[i].name, name))
            return &inv->auths[i];
    }
    return NULL;
}

const char *
inv_role_name(enum inv_role role)
{
    return (unsigned)role < sizeof role_names / sizeof *role_names - 1 ? role_names[role] : "?";
}

/* --------------------------------------------------------------- secrets */
