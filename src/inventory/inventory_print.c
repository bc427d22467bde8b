/**
 * @file inventory_print.c
 * @brief Print an inventory as normalized YAML, the inverse of inv_load().
 *
 * Every setting is written, defaults included, in a fixed key order, so two
 * inventories that mean the same print the same. Secrets are references
 * ({env: NAME} / {file: PATH}); no secret value is ever held here.
 */
#include "inventory.h"
#include "duration.h"

#include <ctype.h>
#include <string.h>

/* A plain scalar is safe when it cannot be read back as anything else. */
static int
plain_ok(const char *s, int flow)
{
    const char *p;

    if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
        return 0;
    if (!isalnum((unsigned char)*s) && !strchr("/._~", *s))
        return 0;
    for (p = s; *p; p++) {
        if (isalnum((unsigned char)*p) || strchr("-._/~+@=", *p))
            continue;
        /* a colon is an indicator before a space, at the end, or anywhere in flow style */
        if (*p == ':' && !flow && p[1] && p[1] != ' ')
            continue;
        return 0;
    }
    return 1;
}

static void
put_str(FILE *out, const char *s, int flow)
{
    const unsigned char *p;

    if (plain_ok(s, flow)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void
inv_print_scalar(FILE *out, const char *s)
{
    put_str(out, s, 0);
}

/* "KEY: value\n" at @indent, skipped when the value is unset. */
static void
put_kv(FILE *out, int indent, const char *key, const char *val)
{
    if (!val)
        return;
    fprintf(out, "%*s%s: ", indent, "", key);
    put_str(out, val, 0);
    fputc('\n', out);
}

static void
put_list(FILE *out, int indent, const char *key, char *const *v, size_t n)
{
    size_t i;

    if (!v)
        return;
    /* short flow style when every item reads back plain in it */
    for (i = 0; i < n && plain_ok(v[i], 1); i++)
        ;
    if (i == n) {
        fprintf(out, "%*s%s: [", indent, "", key);
        for (i = 0; i < n; i++)
            fprintf(out, "%s%s", i ? ", " : "", v[i]);
        fputs("]\n", out);
        return;
    }
    fprintf(out, "%*s%s:\n", indent, "", key);
    for (i = 0; i < n; i++) {
        fprintf(out, "%*s  - ", indent, "");
        put_str(out, v[i], 0);
        fputc('\n', out);
    }
}

static void
put_secret(FILE *out, int indent, const char *key, const struct inv_secret *s)
{
    if (s->kind != INV_SECRET_ENV && s->kind != INV_SECRET_FILE)
        return;
    fprintf(out, "%*s%s: {%s: ", indent, "", key, s->kind == INV_SECRET_ENV ? "env" : "file");
    put_str(out, s->ref ? s->ref : "", 1);
    fputs("}\n", out);
}

static void
put_duration(FILE *out, int indent, const char *key, unsigned ms)
{
    char b[32];

    if (ms)
        fprintf(out, "%*s%s: %s\n", indent, "", key, dur_format_ms(ms, b, sizeof b));
}

static void
put_ssh_config(FILE *out, int indent, const struct inv_sshcfg *s)
{
    if (s->mode == INV_SSHCFG_FILE)
        put_kv(out, indent, "ssh-config", s->path);
    else if (s->mode)
        fprintf(out, "%*sssh-config: %s\n", indent, "", s->mode == INV_SSHCFG_USER ? "true" : "false");
}

static void
print_auth(FILE *out, const struct inv_auth *a)
{
    fputs("  - name: ", out);
    put_str(out, a->name, 0);
    fputc('\n', out);
    put_kv(out, 4, "username", a->username);
    put_kv(out, 4, "key-file", a->key_file);
    if (a->use_agent)
        fputs("    agent: true\n", out);
    put_secret(out, 4, "password", &a->password);
    put_ssh_config(out, 4, &a->ssh_config);
    if (!a->snmp_version)
        return;
    fprintf(out, "    snmp:\n      version: %d\n", a->snmp_version);
    put_secret(out, 6, "community", &a->community);
    put_kv(out, 6, "user", a->v3_user);
    put_kv(out, 6, "level", a->v3_level);
    put_kv(out, 6, "auth-protocol", a->v3_auth_proto);
    put_secret(out, 6, "auth-pass", &a->v3_auth_pass);
    put_kv(out, 6, "priv-protocol", a->v3_priv_proto);
    put_secret(out, 6, "priv-pass", &a->v3_priv_pass);
}

static void
print_device(FILE *out, const struct inv_device *d)
{
    size_t i;

    fputs("  - name: ", out);
    put_str(out, d->name, 0);
    fputc('\n', out);
    put_kv(out, 4, "host", d->host);
    fprintf(out, "    port: %u\n    snmp-port: %u\n    role: %s\n", d->port, d->snmp_port, inv_role_name(d->role));
    put_kv(out, 4, "site", d->site);
    fprintf(out, "    collectors: [%s%s%s]\n", (d->collectors & INV_COLLECT_NETCONF) ? "netconf" : "",
            (d->collectors & INV_COLLECT_NETCONF) && (d->collectors & INV_COLLECT_SNMP) ? ", " : "",
            (d->collectors & INV_COLLECT_SNMP) ? "snmp" : "");
    put_kv(out, 4, "auth", d->auth);
    put_duration(out, 4, "connect-timeout", d->connect_timeout_ms);
    put_duration(out, 4, "timeout", d->timeout_ms);
    put_ssh_config(out, 4, &d->ssh_config);
    if (!d->zones)
        return;
    fprintf(out, "    zones:%s\n", d->n_zones ? "" : " []");
    for (i = 0; i < d->n_zones; i++) {
        fputs("      - name: ", out);
        put_str(out, d->zones[i].name, 0);
        fputc('\n', out);
        put_kv(out, 8, "faces", d->zones[i].faces);
        put_list(out, 8, "interfaces", d->zones[i].interfaces, d->zones[i].n_interfaces);
    }
}

static void
print_end(FILE *out, const char *key, const struct inv_circuit_end *e)
{
    if (!e->device)
        return;
    fprintf(out, "    %s:\n", key);
    put_kv(out, 6, "device", e->device);
    put_kv(out, 6, "neighbor", e->neighbor);
}

static void
print_circuit(FILE *out, const struct inv_circuit *c)
{
    fputs("  - name: ", out);
    put_str(out, c->name, 0);
    fputc('\n', out);
    put_kv(out, 4, "sku", c->sku);
    put_kv(out, 4, "peering-location", c->peering_location);
    if (c->bandwidth_mbps)
        fprintf(out, "    bandwidth-mbps: %u\n", c->bandwidth_mbps);
    print_end(out, "primary", &c->primary);
    print_end(out, "secondary", &c->secondary);
    put_list(out, 4, "prefixes", c->prefixes, c->n_prefixes);
}

static void
print_policy(FILE *out, const struct inventory *inv)
{
    size_t i;

    fputs("policy:\n", out);
    put_kv(out, 2, "fail-on", inv->fail_on);
    if (inv->overrides) {
        fprintf(out, "  severity-overrides:%s\n", inv->n_overrides ? "" : " {}");
        for (i = 0; i < inv->n_overrides; i++) {
            fputs("    ", out);
            put_str(out, inv->overrides[i].rule, 0);
            fprintf(out, ": %s\n", inv->overrides[i].severity);
        }
    }
    if (!inv->waivers)
        return;
    fprintf(out, "  waivers:%s\n", inv->n_waivers ? "" : " []");
    for (i = 0; i < inv->n_waivers; i++) {
        const struct inv_waiver *w = &inv->waivers[i];

        fputs("    - rule: ", out);
        put_str(out, w->rule, 0);
        fputc('\n', out);
        put_kv(out, 6, "device", w->device);
        put_kv(out, 6, "circuit", w->circuit);
        put_kv(out, 6, "owner", w->owner);
        put_kv(out, 6, "reason", w->reason);
        put_kv(out, 6, "expires", w->expires);
    }
}

void
inv_print(FILE *out, const struct inventory *inv)
{
    size_t i;

    if (!inv)
        return;
    put_kv(out, 0, "known-hosts", inv->known_hosts);
    if (inv->defaults.connect_timeout_ms || inv->defaults.timeout_ms || inv->defaults.ssh_config.mode) {
        fputs("defaults:\n", out);
        put_duration(out, 2, "connect-timeout", inv->defaults.connect_timeout_ms);
        put_duration(out, 2, "timeout", inv->defaults.timeout_ms);
        put_ssh_config(out, 2, &inv->defaults.ssh_config);
    }
    if (inv->auths) {
        fprintf(out, "auth:%s\n", inv->n_auths ? "" : " []");
        for (i = 0; i < inv->n_auths; i++)
            print_auth(out, &inv->auths[i]);
    }
    fputs("devices:\n", out);
    for (i = 0; i < inv->n_devices; i++)
        print_device(out, &inv->devices[i]);
    if (inv->circuits) {
        fprintf(out, "circuits:%s\n", inv->n_circuits ? "" : " []");
        for (i = 0; i < inv->n_circuits; i++)
            print_circuit(out, &inv->circuits[i]);
    }
    fputs("tenant:\n", out);
    put_kv(out, 2, "cloud", inv->cloud);
    put_kv(out, 2, "power-platform-region", inv->pp_region);
    put_list(out, 2, "azure-regions", inv->azure_regions, inv->n_azure_regions);
    if (inv->sites) {
        fprintf(out, "  user-sites:%s\n", inv->n_sites ? "" : " []");
        for (i = 0; i < inv->n_sites; i++) {
            fputs("    - name: ", out);
            put_str(out, inv->sites[i].name, 0);
            fputc('\n', out);
            put_kv(out, 6, "geo-region", inv->sites[i].geo_region);
            fprintf(out, "      users: %u\n", inv->sites[i].users);
        }
    }
    if (inv->service_tags || inv->m365_endpoints || inv->reference_data || inv->pac_file || inv->pac_client_address ||
            inv->pac_hosts) {
        fputs("services:\n", out);
        put_kv(out, 2, "service-tags", inv->service_tags);
        put_kv(out, 2, "m365-endpoints", inv->m365_endpoints);
        put_kv(out, 2, "reference-data", inv->reference_data);
        put_kv(out, 2, "pac-file", inv->pac_file);
        put_kv(out, 2, "pac-client-address", inv->pac_client_address);
        if (inv->pac_hosts)
            fprintf(out, "  pac-hosts:%s\n", inv->n_pac_hosts ? "" : " {}");
        for (i = 0; i < inv->n_pac_hosts; i++) {
            fputs("    ", out);
            put_str(out, inv->pac_hosts[i].name, 0);
            fputs(": ", out);
            put_str(out, inv->pac_hosts[i].addr, 0);
            fputc('\n', out);
        }
    }
    print_policy(out, inv);
    put_kv(out, 0, "user-rules", inv->user_rules);
    if (inv->attestations) {
        fprintf(out, "attestations:%s\n", inv->n_attestations ? "" : " []");
        for (i = 0; i < inv->n_attestations; i++) {
            fputs("  - question: ", out);
            put_str(out, inv->attestations[i].question, 0);
            fputc('\n', out);
            put_kv(out, 4, "answer", inv->attestations[i].answer);
            put_kv(out, 4, "by", inv->attestations[i].by);
            put_kv(out, 4, "date", inv->attestations[i].date);
            put_kv(out, 4, "evidence", inv->attestations[i].evidence);
        }
    }
}
