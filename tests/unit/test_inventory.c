/**
 * @file test_inventory.c
 * @brief Inventory: the reference example, malformed files, round trip, secrets.
 *
 * Over 600 lines: one case per schema key and error message, against the
 * one reference inventory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory.h"

#define DATA TESTS_DIR "/unit/data/inventory"
#define BAD TESTS_DIR "/bad/inventory"

static struct inventory *
load_ok(const char *path)
{
    struct inventory *inv = NULL;
    struct er_err err = {0};
    er_code rc = inv_load(path, &inv, &err);

    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, ER_OK);
    assert_non_null(inv);
    return inv;
}

static void
test_full(void **state)
{
    struct inventory *inv = load_ok(DATA "/full.yaml");
    const struct inv_device *d;
    const struct inv_auth *a;
    const struct inv_circuit *c;

    assert_string_equal(inv->known_hosts, "/etc/eraudit/known_hosts");
    assert_int_equal(inv->n_auths, 2);
    a = inv_auth_find(inv, "ssh-ops");
    assert_non_null(a);
    assert_int_equal(a->line, 18);
    assert_string_equal(a->username, "audit");
    assert_string_equal(a->key_file, "~/.ssh/id_ed25519");
    assert_int_equal(a->use_agent, 1);
    assert_int_equal(a->password.kind, INV_SECRET_ENV);
    assert_string_equal(a->password.ref, "ER_SSH_PASSWORD");
    assert_int_equal(a->snmp_version, 3);
    assert_string_equal(a->v3_user, "auditor");
    assert_string_equal(a->v3_level, "authPriv");
    assert_string_equal(a->v3_auth_proto, "SHA-256");
    assert_int_equal(a->v3_auth_pass.kind, INV_SECRET_ENV);
    assert_string_equal(a->v3_auth_pass.ref, "ER_SNMP_AUTH");
    assert_string_equal(a->v3_priv_proto, "AES");
    assert_int_equal(a->v3_priv_pass.kind, INV_SECRET_FILE);
    assert_string_equal(a->v3_priv_pass.ref, "/etc/eraudit/snmp-priv");
    a = inv_auth_find(inv, "snmp-ro");
    assert_non_null(a);
    assert_null(a->username);
    assert_int_equal(a->snmp_version, 2);
    assert_int_equal(a->community.kind, INV_SECRET_FILE);
    assert_string_equal(a->community.ref, "/etc/eraudit/community");
    assert_null(inv_auth_find(inv, "nope"));

    assert_int_equal(inv->n_devices, 3);
    d = inv_device_find(inv, "er-ams-1");
    assert_non_null(d);
    assert_int_equal(d->line, 38);   /* after the auth profile's ssh-config */
    assert_string_equal(d->host, "192.0.2.10");
    assert_int_equal(d->port, 830);
    assert_int_equal(d->snmp_port, 1161);
    assert_int_equal(d->role, INV_ROLE_ER_EDGE);
    assert_string_equal(inv_role_name(d->role), "er-edge");
    assert_string_equal(d->site, "amsterdam-dc");
    assert_int_equal(d->collectors, INV_COLLECT_NETCONF | INV_COLLECT_SNMP);
    assert_string_equal(d->auth, "ssh-ops");
    assert_int_equal(d->n_zones, 2);
    assert_string_equal(d->zones[0].name, "er");
    assert_string_equal(d->zones[0].faces, "expressroute");
    assert_int_equal(d->zones[0].n_interfaces, 2);
    assert_string_equal(d->zones[0].interfaces[1], "ge-0/0/2");
    assert_string_equal(d->zones[1].faces, "internet");
    d = inv_device_find(inv, "er-ams-2");
    assert_non_null(d);
    assert_int_equal(d->port, 830);
    assert_int_equal(d->snmp_port, 161);
    assert_int_equal(d->collectors, INV_COLLECT_SNMP);
    d = inv_device_find(inv, "fw-ams-1");
    assert_non_null(d);
    assert_string_equal(d->host, "2001:db8::10");
    assert_int_equal(d->role, INV_ROLE_FIREWALL);
    assert_int_equal(d->collectors, 0);
    assert_null(d->auth);
    assert_null(inv_device_find(inv, "er-ams-3"));

    assert_int_equal(inv->n_circuits, 1);
    c = &inv->circuits[0];
    assert_string_equal(c->name, "er-ams");
    assert_string_equal(c->sku, "premium");
    assert_string_equal(c->peering_location, "Amsterdam");
    assert_int_equal(c->bandwidth_mbps, 1000);
    assert_string_equal(c->primary.device, "er-ams-1");
    assert_string_equal(c->primary.neighbor, "192.0.2.2");
    assert_string_equal(c->secondary.device, "er-ams-2");
    assert_string_equal(c->secondary.neighbor, "2001:db8:c::2");
    assert_int_equal(c->n_prefixes, 2);
    assert_string_equal(c->prefixes[1], "2001:db8:100::/48");

    assert_string_equal(inv->cloud, "public");
    assert_string_equal(inv->pp_region, "europe");
    assert_int_equal(inv->n_azure_regions, 2);
    assert_string_equal(inv->azure_regions[1], "westeurope");
    assert_int_equal(inv->n_sites, 2);
    assert_string_equal(inv->sites[0].name, "amsterdam-hq");
    assert_string_equal(inv->sites[0].geo_region, "Europe");
    assert_int_equal(inv->sites[0].users, 1200);
    assert_int_equal(inv->sites[1].users, 300);
    assert_string_equal(inv->service_tags, "data/ServiceTags_Public.json");
    assert_string_equal(inv->m365_endpoints, "data/endpoints.json");
    assert_string_equal(inv->reference_data, "../data");

    assert_string_equal(inv->fail_on, "medium");
    assert_int_equal(inv->n_overrides, 2);
    assert_string_equal(inv->overrides[0].rule, "PEER-012");
    assert_string_equal(inv->overrides[0].severity, "low");
    assert_string_equal(inv->overrides[1].severity, "critical");
    assert_int_equal(inv->n_waivers, 1);
    assert_string_equal(inv->waivers[0].rule, "NAT-005");
    assert_string_equal(inv->waivers[0].device, "er-ams-2");
    assert_string_equal(inv->waivers[0].circuit, "er-ams");
    assert_string_equal(inv->waivers[0].owner, "alice");
    assert_string_equal(inv->waivers[0].reason, "Second NAT pool lands with the Q3 change");
    assert_string_equal(inv->waivers[0].expires, "2027-01-31");
    inv_free(inv);
}

/* Defaults of a minimal inventory. */
static void
test_defaults(void **state)
{
    static const char y[] = "devices:\n  - {name: r, host: h, role: wan}\n";
    struct inventory *inv = NULL;
    struct er_err err = {0};

    assert_int_equal(inv_load_mem("min.yaml", y, strlen(y), &inv, &err), ER_OK);
    assert_string_equal(inv->path, "min.yaml");
    assert_int_equal(inv->devices[0].port, 830);
    assert_int_equal(inv->devices[0].snmp_port, 161);
    assert_int_equal(inv->devices[0].collectors, INV_COLLECT_NETCONF);
    assert_int_equal(inv->devices[0].role, INV_ROLE_WAN);
    assert_string_equal(inv->cloud, "public");
    assert_string_equal(inv->fail_on, "high");
    assert_null(inv->known_hosts);
    assert_int_equal(inv->n_auths + inv->n_circuits + inv->n_waivers, 0);
    inv_free(inv);
    inv_free(NULL);
}

/* Registered prefixes are checked and kept in canonical form. */
static void
test_prefixes(void **state)
{
    static const char *const bad[] = {"203.0.113.0/33", "203.0.113.0", "2001:db8::/129", "banana/24", "10.0.0.1/8",
            "203.0.113.0/", "203.0.113.0/-1"};
    char y[256];
    struct inventory *inv = NULL;
    struct er_err err = {0};
    size_t i;

    snprintf(y, sizeof y, "devices: [{name: r, host: h, role: er-edge}]\n"
            "circuits: [{name: c, sku: local, primary: {device: r}, prefixes: [\"2001:DB8:0100::/48\", 198.51.100.0/24]}]\n");
    if (inv_load_mem("p.yaml", y, strlen(y), &inv, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(inv->circuits[0].prefixes[0], "2001:db8:100::/48");
    assert_string_equal(inv->circuits[0].prefixes[1], "198.51.100.0/24");
    inv_free(inv);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(y, sizeof y, "devices: [{name: r, host: h, role: er-edge}]\n"
                "circuits: [{name: c, sku: local, primary: {device: r}, prefixes: [\"%s\"]}]\n", bad[i]);
        assert_int_equal(inv_load_mem("p.yaml", y, strlen(y), &inv, &err), ER_EINVAL);
        if (!strstr(err.msg, "p.yaml:2:67: expected a prefix"))
            fail_msg("%s: %s", bad[i], err.msg);
    }
}

/* Malformed inventories: where the error is and what it says. */
static const struct bad_case {
    const char *file;
    int line, col;
    const char *phrase;
} bad_cases[] = {
    {"empty.yaml", 1, 1, "got an empty file"},
    {"syntax-error.yaml", 6, 1, "expected valid YAML, got a syntax error: did not find expected ',' or ']'"},
    {"tab-indent.yaml", 3, 1, "expected spaces for indentation, got a tab"},
    {"top-list.yaml", 1, 1, "expected a mapping of inventory keys, got a list"},
    {"unknown-top-key.yaml", 3, 1, "unknown key 'device-groups' (expected one of: known-hosts, auth, devices,"},
    {"unknown-device-key.yaml", 3, 5, "unknown key 'hostname' (expected one of: name, host, port,"},
    {"missing-host.yaml", 2, 5, "expected key 'host' in device 'er1', got none"},
    {"bad-role.yaml", 4, 11, "expected a device role (one of: er-edge, internet-edge, firewall, wan, proxy), got 'router'"},
    {"bad-port.yaml", 4, 11, "expected a port number 1-65535, got '70000'"},
    {"bad-prefix.yaml", 9, 9, "expected a prefix ADDRESS/LENGTH with the host bits clear, got '203.0.113.129/25'"},
    {"duplicate-device.yaml", 8, 11, "duplicate device 'er1' (first at line 2)"},
    {"unknown-auth-ref.yaml", 9, 11, "expected the name of an auth profile, got 'ssh-opps'"},
    {"unknown-circuit-device.yaml", 7, 25, "expected the name of a device, got 'er9'"},
    {"inline-password.yaml", 4, 15, "got an inline secret (value not shown"},
    {"bad-waiver-date.yaml", 9, 16, "expected a valid date YYYY-MM-DD, got '2027-02-30'"},
    {"missing-sku.yaml", 4, 5, "expected key 'sku' in circuit 'c1', got none"},
    {"duplicate-key.yaml", 5, 5, "duplicate key 'host' (first at line 3)"},
    {"alias.yaml", 2, 5, "anchors and aliases are not supported"},
    {"two-documents.yaml", 4, 1, "expected one YAML document, got a second one"},
    {"snmp-missing-priv.yaml", 4, 7, "expected key 'priv-protocol' in the snmp settings of auth profile 'snmp3'"},
    {"auth-without-snmp.yaml", 10, 11, "expected an auth profile with snmp settings for the snmp collector"},
    {"bad-env-name.yaml", 5, 24, "expected an environment variable name"},
    {"bad-neighbor.yaml", 8, 17, "expected an IPv4 or IPv6 address, got '192.0.2.300'"},
    {"bad-fail-on.yaml", 4, 12, "expected a severity (one of: info, low, medium, high, critical), got 'severe'"},
    {"duplicate-auth.yaml", 5, 11, "duplicate auth profile 'ops' (first at line 2)"},
    {"waiver-missing-owner.yaml", 5, 7, "expected key 'owner' in waiver, got none"},
    {"null-value.yaml", 1, 14, "expected a known_hosts file path, got nothing"},
    {"bad-collector.yaml", 5, 27, "expected a collector (one of: netconf, snmp), got 'ssh'"},
    {"secret-both.yaml", 4, 15, "expected exactly one of 'env' or 'file'"},
};

static void
test_bad(void **state)
{
    size_t i;

    for (i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad_case *b = &bad_cases[i];
        struct inventory *inv = (struct inventory *)1;
        struct er_err err = {0};
        char path[512], where[600];
        er_code rc;

        snprintf(path, sizeof path, "%s/%s", BAD, b->file);
        snprintf(where, sizeof where, "%s:%d:%d: ", path, b->line, b->col);
        rc = inv_load(path, &inv, &err);
        if (rc != ER_EINVAL || strncmp(err.msg, where, strlen(where)) || !strstr(err.msg, b->phrase))
            fail_msg("%s: rc %d, message \"%s\"; expected prefix \"%s\" and \"%s\"", b->file, rc, err.msg, where,
                    b->phrase);
        assert_null(inv);
    }
}

/* Every file in tests/bad/inventory is in the table, so none goes untested. */
static void
test_bad_table_complete(void **state)
{
    FILE *p = popen("ls " BAD, "r");
    char name[256];
    size_t i, n = 0;

    assert_non_null(p);
    while (fgets(name, sizeof name, p)) {
        name[strcspn(name, "\n")] = '\0';
        for (i = 0; i < sizeof bad_cases / sizeof *bad_cases && strcmp(bad_cases[i].file, name); i++)
            ;
        if (i == sizeof bad_cases / sizeof *bad_cases)
            fail_msg("%s has no row in bad_cases", name);
        n++;
    }
    pclose(p);
    assert_int_equal(n, sizeof bad_cases / sizeof *bad_cases);
}

/* Secret values never appear in messages, whatever goes wrong around them. */
static void
test_no_echo(void **state)
{
    static const char *const docs[] = {
        "auth:\n  - {name: a, username: u, password: hunter2}\ndevices: [{name: r, host: h, role: wan}]\n",
        "auth:\n  - {name: a, username: u, password: \"hunter2\"}\ndevices: [{name: r, host: h, role: wan}]\n",
        "auth:\n  - {name: a, snmp: {version: 2, community: hunter2}}\ndevices: [{name: r, host: h, role: wan}]\n",
        "auth:\n  - {name: a, snmp: {version: 2, community: {env: hunter2-x}}}\ndevices: [{name: r, host: h, role: wan}]\n",
        "auth:\n  - {name: a, username: u, password: [hunter2]}\ndevices: [{name: r, host: h, role: wan}]\n",
    };
    size_t i;

    for (i = 0; i < sizeof docs / sizeof *docs; i++) {
        struct inventory *inv = NULL;
        struct er_err err = {0};

        assert_int_equal(inv_load_mem("s.yaml", docs[i], strlen(docs[i]), &inv, &err), ER_EINVAL);
        assert_non_null(strstr(err.msg, "s.yaml:2:"));
        if (strstr(err.msg, "hunter2"))
            fail_msg("doc %zu echoes the secret: %s", i, err.msg);
    }
}

/* The PAC file's DNS answers (services: pac-client-address, pac-hosts) must be addresses, named once. */
static void
test_pac_dns_keys_checked(void **state)
{
    static const struct {
        const char *doc, *where, *phrase;
    } docs[] = {
        {"devices: [{name: r, host: h, role: wan}]\nservices:\n  pac-client-address: client.example\n", "d.yaml:3:23:", "expected an IPv4 or IPv6 address"},
        {"devices: [{name: r, host: h, role: wan}]\nservices:\n  pac-hosts: {a.example: 10.0.0.300}\n", "d.yaml:3:26:", "expected an IPv4 or IPv6 address"},
        {"devices: [{name: r, host: h, role: wan}]\nservices:\n  pac-hosts: [a.example]\n", "d.yaml:3:14:", "expected a mapping HOST-NAME: ADDRESS"},
        {"devices: [{name: r, host: h, role: wan}]\nservices:\n  pac-hosts: {a.example: 10.0.0.1, A.Example: 10.0.0.2}\n", "d.yaml:3:36:", "duplicate key"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof docs / sizeof *docs; i++) {
        struct inventory *inv = NULL;
        struct er_err err = {0};

        assert_int_equal(inv_load_mem("d.yaml", docs[i].doc, strlen(docs[i].doc), &inv, &err), ER_EINVAL);
        if (!strstr(err.msg, docs[i].where) || !strstr(err.msg, docs[i].phrase))
            fail_msg("doc %zu: %s", i, err.msg);
    }
}

static char *
print_str(const struct inventory *inv, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);

    assert_non_null(f);
    inv_print(f, inv);
    fclose(f);
    return buf;
}

#define STR_EQ(a, b) assert_true(((a) == NULL && (b) == NULL) || ((a) && (b) && !strcmp((a), (b))))

static void
strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
    size_t i;

    assert_int_equal(na, nb);
    for (i = 0; i < na; i++)
        STR_EQ(a[i], b[i]);
}

static void
secret_eq(const struct inv_secret *a, const struct inv_secret *b)
{
    assert_int_equal(a->kind, b->kind);
    STR_EQ(a->ref, b->ref);
}

/* Structural equality, ignoring where things were in the file. */
static void
inv_eq(const struct inventory *a, const struct inventory *b)
{
    size_t i, j;

    STR_EQ(a->known_hosts, b->known_hosts);
    assert_int_equal(a->n_auths, b->n_auths);
    for (i = 0; i < a->n_auths; i++) {
        const struct inv_auth *x = &a->auths[i], *y = &b->auths[i];

        STR_EQ(x->name, y->name);
        STR_EQ(x->username, y->username);
        STR_EQ(x->key_file, y->key_file);
        assert_int_equal(x->use_agent, y->use_agent);
        secret_eq(&x->password, &y->password);
        assert_int_equal(x->snmp_version, y->snmp_version);
        secret_eq(&x->community, &y->community);
        STR_EQ(x->v3_user, y->v3_user);
        STR_EQ(x->v3_level, y->v3_level);
        STR_EQ(x->v3_auth_proto, y->v3_auth_proto);
        secret_eq(&x->v3_auth_pass, &y->v3_auth_pass);
        STR_EQ(x->v3_priv_proto, y->v3_priv_proto);
        secret_eq(&x->v3_priv_pass, &y->v3_priv_pass);
    }
    assert_int_equal(a->n_devices, b->n_devices);
    for (i = 0; i < a->n_devices; i++) {
        const struct inv_device *x = &a->devices[i], *y = &b->devices[i];

        STR_EQ(x->name, y->name);
        STR_EQ(x->host, y->host);
        assert_int_equal(x->port, y->port);
        assert_int_equal(x->snmp_port, y->snmp_port);
        assert_int_equal(x->role, y->role);
        STR_EQ(x->site, y->site);
        assert_int_equal(x->collectors, y->collectors);
        STR_EQ(x->auth, y->auth);
        assert_int_equal(x->n_zones, y->n_zones);
        for (j = 0; j < x->n_zones; j++) {
            STR_EQ(x->zones[j].name, y->zones[j].name);
            STR_EQ(x->zones[j].faces, y->zones[j].faces);
            strv_eq(x->zones[j].interfaces, x->zones[j].n_interfaces, y->zones[j].interfaces,
                    y->zones[j].n_interfaces);
        }
    }
    assert_int_equal(a->n_circuits, b->n_circuits);
    for (i = 0; i < a->n_circuits; i++) {
        const struct inv_circuit *x = &a->circuits[i], *y = &b->circuits[i];

        STR_EQ(x->name, y->name);
        STR_EQ(x->sku, y->sku);
        STR_EQ(x->peering_location, y->peering_location);
        assert_int_equal(x->bandwidth_mbps, y->bandwidth_mbps);
        STR_EQ(x->primary.device, y->primary.device);
        STR_EQ(x->primary.neighbor, y->primary.neighbor);
        STR_EQ(x->secondary.device, y->secondary.device);
        STR_EQ(x->secondary.neighbor, y->secondary.neighbor);
        strv_eq(x->prefixes, x->n_prefixes, y->prefixes, y->n_prefixes);
    }
    STR_EQ(a->cloud, b->cloud);
    STR_EQ(a->pp_region, b->pp_region);
    strv_eq(a->azure_regions, a->n_azure_regions, b->azure_regions, b->n_azure_regions);
    assert_int_equal(a->n_sites, b->n_sites);
    for (i = 0; i < a->n_sites; i++) {
        STR_EQ(a->sites[i].name, b->sites[i].name);
        STR_EQ(a->sites[i].geo_region, b->sites[i].geo_region);
        assert_int_equal(a->sites[i].users, b->sites[i].users);
    }
    STR_EQ(a->service_tags, b->service_tags);
    STR_EQ(a->m365_endpoints, b->m365_endpoints);
    STR_EQ(a->reference_data, b->reference_data);
    STR_EQ(a->pac_file, b->pac_file);
    STR_EQ(a->pac_client_address, b->pac_client_address);
    assert_int_equal(a->pac_hosts == NULL, b->pac_hosts == NULL);
    assert_int_equal(a->n_pac_hosts, b->n_pac_hosts);
    for (i = 0; i < a->n_pac_hosts; i++) {
        STR_EQ(a->pac_hosts[i].name, b->pac_hosts[i].name);
        STR_EQ(a->pac_hosts[i].addr, b->pac_hosts[i].addr);
    }
    STR_EQ(a->fail_on, b->fail_on);
    assert_int_equal(a->n_overrides, b->n_overrides);
    for (i = 0; i < a->n_overrides; i++) {
        STR_EQ(a->overrides[i].rule, b->overrides[i].rule);
        STR_EQ(a->overrides[i].severity, b->overrides[i].severity);
    }
    assert_int_equal(a->n_waivers, b->n_waivers);
    for (i = 0; i < a->n_waivers; i++) {
        const struct inv_waiver *x = &a->waivers[i], *y = &b->waivers[i];

        STR_EQ(x->rule, y->rule);
        STR_EQ(x->device, y->device);
        STR_EQ(x->circuit, y->circuit);
        STR_EQ(x->owner, y->owner);
        STR_EQ(x->reason, y->reason);
        STR_EQ(x->expires, y->expires);
    }
}

/* print(load(x)) loads back to the same inventory and prints the same text. */
static void
round_trip(struct inventory *inv)
{
    struct inventory *back = NULL;
    struct er_err err = {0};
    char *t1, *t2;
    size_t l1, l2;

    t1 = print_str(inv, &l1);
    if (inv_load_mem("printed.yaml", t1, l1, &back, &err))
        fail_msg("printed inventory does not load: %s\n%s", err.msg, t1);
    inv_eq(inv, back);
    t2 = print_str(back, &l2);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    inv_free(back);
}

static void
test_round_trip_full(void **state)
{
    struct inventory *inv = load_ok(DATA "/full.yaml");

    assert_string_equal(inv->pac_client_address, "10.20.0.15");
    assert_int_equal(inv->n_pac_hosts, 2);
    assert_string_equal(inv->pac_hosts[1].name, "v6.example.net");
    assert_string_equal(inv->pac_hosts[1].addr, "2001:db8::10");
    round_trip(inv);
    inv_free(inv);
}

/* Strings that YAML would read as something else must come back as written. */
static void
test_round_trip_quoting(void **state)
{
    static const char y[] =
        "known-hosts: \"null\"\n"
        "auth:\n"
        "  - name: \"a: b\"\n"
        "    username: \"#root\"\n"
        "    key-file: \"~\"\n"
        "    password: {file: \"/etc/pw:x, y\"}\n"
        "devices:\n"
        "  - name: \"1.0\"\n"
        "    host: \"[::1]\"\n"
        "    role: proxy\n"
        "    site: \"it's \\\"quoted\\\" \\\\ back\\ttab\"\n"
        "    auth: \"a: b\"\n"
        "    zones:\n"
        "      - {name: \"\\u00e9t\\u00e9\", faces: dmz, interfaces: []}\n"
        "circuits: []\n"
        "tenant:\n  cloud: gcc-high\n  power-platform-region: \"1\"\n  user-sites:\n    - {name: \"true\"}\n"
        "policy:\n  severity-overrides: {\"x: y\": info}\n  waivers: []\n";
    struct inventory *inv = NULL;
    struct er_err err = {0};

    if (inv_load_mem("q.yaml", y, strlen(y), &inv, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(inv->known_hosts, "null");
    assert_string_equal(inv->auths[0].name, "a: b");
    /* device names are plain (names_bad()), but "1.0" still reads as a number unquoted */
    assert_string_equal(inv->devices[0].name, "1.0");
    assert_string_equal(inv->devices[0].site, "it's \"quoted\" \\ back\ttab");
    assert_string_equal(inv->devices[0].zones[0].name, "\xc3\xa9t\xc3\xa9");
    assert_int_equal(inv->sites[0].users, 0);
    round_trip(inv);
    inv_free(inv);
}

static const char *
tmp_secret(const char *content, mode_t mode, char *path)
{
    int fd;

    strcpy(path, "/tmp/er-inv-secret-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

static void
test_secret_env(void **state)
{
    struct inv_secret s = {INV_SECRET_ENV, "ER_TEST_INV_SECRET"};
    struct er_err err = {0};
    char buf[64];

    setenv("ER_TEST_INV_SECRET", "s3cr3t-env\n", 1);
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_OK);
    assert_string_equal(buf, "s3cr3t-env");
    /* too long for the buffer: refused, and nothing is left in it */
    assert_int_equal(inv_secret_read(&s, buf, 5, &err), ER_EINVAL);
    assert_string_equal(buf, "");
    assert_null(strstr(err.msg, "s3cr"));
    unsetenv("ER_TEST_INV_SECRET");
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_ENOTFOUND);
    assert_non_null(strstr(err.msg, "ER_TEST_INV_SECRET"));
    s.kind = INV_SECRET_AGENT;
    s.ref = NULL;
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_EINVAL);
}

static void
test_secret_file(void **state)
{
    struct inv_secret s = {INV_SECRET_FILE, NULL};
    struct er_err err = {0};
    char path[64], buf[64];

    s.ref = (char *)tmp_secret("file-pass\n", 0600, path);
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_OK);
    assert_string_equal(buf, "file-pass");
    /* 0400 is fine too; exactly filling the buffer after the newline cut */
    assert_int_equal(chmod(path, 0400), 0);
    assert_int_equal(inv_secret_read(&s, buf, 10, &err), ER_OK);
    assert_string_equal(buf, "file-pass");
    assert_int_equal(inv_secret_read(&s, buf, 9, &err), ER_EINVAL);
    assert_null(strstr(err.msg, "file-pass"));
    unlink(path);
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_ENOTFOUND);
    assert_non_null(strstr(err.msg, path));
}

static void
test_secret_file_too_open(void **state)
{
    struct inv_secret s = {INV_SECRET_FILE, NULL};
    struct er_err err = {0};
    char path[64], buf[64];

    s.ref = (char *)tmp_secret("open-pass\n", 0644, path);
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "mode 0644"));
    assert_null(strstr(err.msg, "open-pass"));
    assert_string_equal(buf, "");
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mode 0640"));
    unlink(path);
    /* a directory is not a regular file */
    s.ref = "/tmp";
    assert_int_equal(inv_secret_read(&s, buf, sizeof buf, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "not a regular file"));
}

static void
test_unreadable(void **state)
{
    struct inventory *inv = NULL;
    struct er_err err = {0};

    assert_int_equal(inv_load(DATA "/does-not-exist.yaml", &inv, &err), ER_EIO);
    assert_non_null(strstr(err.msg, "does-not-exist.yaml"));
    assert_null(inv);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_bad_table_complete),
        cmocka_unit_test(test_no_echo),
        cmocka_unit_test(test_round_trip_full),
        cmocka_unit_test(test_pac_dns_keys_checked),
        cmocka_unit_test(test_round_trip_quoting),
        cmocka_unit_test(test_secret_env),
        cmocka_unit_test(test_secret_file),
        cmocka_unit_test(test_secret_file_too_open),
        cmocka_unit_test(test_unreadable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
