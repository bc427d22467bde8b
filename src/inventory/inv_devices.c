/**
 * @file inv_devices.c
 * @brief The inventory's auth profiles (SSH, NETCONF, SNMPv2c/v3) and devices:
 * names, roles, addresses, zones, collectors and the secret references
 * they use (never their values).
 */
#include "inventory_int.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- secrets */

#define SECRET_WHAT "a secret reference {env: NAME} or {file: PATH}"

/* A secret must be a reference; an inline value is refused without echoing it. */
er_code
get_secret(struct ictx *c, const yaml_node_t *n, struct inv_secret *s)
{
    static const char *const keys[] = {"env", "file", NULL};
    yaml_node_t *v[2];
    er_code rc;

    if (!n)
        return ER_OK;
    if (n->type == YAML_SCALAR_NODE && !yr_is_null(n))
        return yr_fail(&c->y, n, "expected %s, got an inline secret (value not shown; keep secrets out of the inventory)",
                SECRET_WHAT);
    if ((rc = yr_map_fields(&c->y, n, SECRET_WHAT, keys, v)))
        return rc;
    if (!v[0] == !v[1])
        return yr_fail(&c->y, n, "expected exactly one of 'env' or 'file' in %s, got %s", SECRET_WHAT,
                v[0] ? "both" : "neither");
    if (v[0]) {
        if (v[0]->type != YAML_SCALAR_NODE || !valid_env_name(yr_sval(v[0])))
            return yr_fail(&c->y, v[0], "expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got something "
                    "else (not shown)");
        s->kind = INV_SECRET_ENV;
        return yr_get_str(&c->y, v[0], "an environment variable name", &s->ref);
    }
    s->kind = INV_SECRET_FILE;
    return yr_get_str(&c->y, v[1], "a file path", &s->ref);
}

/* -------------------------------------------------------------- sections */


static er_code
parse_snmp(struct ictx *c, const yaml_node_t *n, struct inv_auth *a)
{
    static const char *const keys[] = {"version", "community", "user", "level", "auth-protocol", "auth-pass",
            "priv-protocol", "priv-pass", NULL};
    enum { K_VER, K_COMM, K_USER, K_LEVEL, K_AP, K_APASS, K_PP, K_PPASS };
    yaml_node_t *v[8];
    uint32_t ver = 0;
    int i, level = 0;
    er_code rc;
    char where[160];

    snprintf(where, sizeof where, "the snmp settings of auth profile '%s'", a->name);
    if ((rc = yr_map_fields(&c->y, n, "a mapping of SNMP settings", keys, v)) || (rc = yr_need(&c->y, n, v[K_VER], "version", where)))
        return rc;
    if (v[K_VER]->type != YAML_SCALAR_NODE || (strcmp(yr_sval(v[K_VER]), "2") && strcmp(yr_sval(v[K_VER]), "3")))
        return yr_expect(&c->y, v[K_VER], "an SNMP version (2 or 3)");
    ver = (uint32_t)atoi(yr_sval(v[K_VER]));
    a->snmp_version = (int)ver;
    if (ver == 2) {
        for (i = K_USER; i <= K_PPASS; i++) {
            if (v[i])
                return yr_fail(&c->y, v[i], "expected no SNMPv3 settings with version 2, got '%s'", keys[i]);
        }
        if ((rc = yr_need(&c->y, n, v[K_COMM], "community", where)))
            return rc;
        return get_secret(c, v[K_COMM], &a->community);
    }
    if (v[K_COMM])
        return yr_fail(&c->y, v[K_COMM], "expected no community with SNMP version 3, got one");
    if ((rc = yr_need(&c->y, n, v[K_USER], "user", where)) || (rc = yr_need(&c->y, n, v[K_LEVEL], "level", where)) ||
            (rc = yr_get_str(&c->y, v[K_USER], "an SNMPv3 user name", &a->v3_user)) ||
            (rc = yr_get_enum(&c->y, v[K_LEVEL], "a security level", level_names, &level)) ||
            (rc = yr_get_enum_str(&c->y, v[K_LEVEL], "a security level", level_names, &a->v3_level)))
        return rc;
    /* what the level needs must be there, and nothing it does not use */
    for (i = K_AP; i <= K_PPASS; i++) {
        int wanted = (i <= K_APASS) ? level >= 1 : level >= 2;

        if (wanted && (rc = yr_need(&c->y, n, v[i], keys[i], where)))
            return rc;
        if (!wanted && v[i])
            return yr_fail(&c->y, v[i], "expected no '%s' with level %s, got one", keys[i], level_names[level]);
    }
    if ((rc = yr_get_enum_str(&c->y, v[K_AP], "an authentication protocol", authp_names, &a->v3_auth_proto)) ||
            (rc = get_secret(c, v[K_APASS], &a->v3_auth_pass)) ||
            (rc = yr_get_enum_str(&c->y, v[K_PP], "a privacy protocol", privp_names, &a->v3_priv_proto)))
        return rc;
    return get_secret(c, v[K_PPASS], &a->v3_priv_pass);
}

er_code
parse_auths(struct ictx *c, const yaml_node_t *seq)
{
    static const char *const keys[] = {"name", "username", "key-file", "agent", "password", "snmp", "ssh-config",
            NULL};
    enum { K_NAME, K_USER, K_KEY, K_AGENT, K_PASS, K_SNMP, K_SSHCFG };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[7];
    size_t j;
    er_code rc;

    if ((rc = yr_seq_alloc(&c->y, seq, "a list of auth profiles", sizeof *inv->auths, (void **)&inv->auths)))
        return rc;
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = yr_node(&c->y, *it);
        struct inv_auth *a = &inv->auths[inv->n_auths++];

        a->line = (int)m->start_mark.line + 1;
        if ((rc = yr_map_fields(&c->y, m, "an auth profile (a mapping)", keys, v)) ||
                (rc = yr_need(&c->y, m, v[K_NAME], "name", "auth profile")) ||
                (rc = yr_get_str(&c->y, v[K_NAME], "an auth profile name", &a->name)))
            return rc;
        for (j = 0; j + 1 < inv->n_auths; j++) {
            if (!strcmp(inv->auths[j].name, a->name))
                return yr_fail(&c->y, v[K_NAME], "duplicate auth profile '%s' (first at line %d)", a->name,
                        inv->auths[j].line);
        }
        if ((rc = yr_get_str(&c->y, v[K_USER], "a user name", &a->username)) ||
                (rc = yr_get_str(&c->y, v[K_KEY], "a private key file path", &a->key_file)) ||
                (rc = yr_get_bool(&c->y, v[K_AGENT], "true or false", &a->use_agent)) ||
                (rc = get_secret(c, v[K_PASS], &a->password)) ||
                (rc = get_ssh_config(c, v[K_SSHCFG], &a->ssh_config)))
            return rc;
        if ((a->key_file || a->use_agent || a->password.kind) && !a->username)
            return yr_fail(&c->y, m, "expected key 'username' in auth profile '%s' (it has SSH settings), got none", a->name);
        if (v[K_SNMP] && (rc = parse_snmp(c, v[K_SNMP], a)))
            return rc;
        if (!a->username && !a->snmp_version)
            return yr_fail(&c->y, m, "expected SSH settings (username) or 'snmp' in auth profile '%s', got neither", a->name);
    }
    return ER_OK;
}

static er_code
parse_zones(struct ictx *c, const yaml_node_t *seq, struct inv_device *d)
{
    static const char *const keys[] = {"name", "faces", "interfaces", NULL};
    yaml_node_item_t *it;
    yaml_node_t *v[3];
    size_t j;
    er_code rc;
    char where[160];

    if ((rc = yr_seq_alloc(&c->y, seq, "a list of zones", sizeof *d->zones, (void **)&d->zones)))
        return rc;
    snprintf(where, sizeof where, "a zone of device '%s'", d->name);
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = yr_node(&c->y, *it);
        struct inv_zone *z = &d->zones[d->n_zones++];

        if ((rc = yr_map_fields(&c->y, m, "a zone (a mapping)", keys, v)) || (rc = yr_need(&c->y, m, v[0], "name", where)) ||
                (rc = yr_need(&c->y, m, v[1], "faces", where)) || (rc = yr_get_str(&c->y, v[0], "a zone name", &z->name)) ||
                (rc = yr_get_enum_str(&c->y, v[1], "what the zone faces", faces_names, &z->faces)) ||
                (rc = yr_get_strlist(&c->y, v[2], "a list of interface names", "an interface name", &z->interfaces,
                        &z->n_interfaces)))
            return rc;
        for (j = 0; j + 1 < d->n_zones; j++) {
            if (!strcmp(d->zones[j].name, z->name))
                return yr_fail(&c->y, v[0], "duplicate zone '%s' in device '%s'", z->name, d->name);
        }
    }
    return ER_OK;
}

/* The device's auth profile must exist and carry what its collectors use. */
static er_code
check_device_auth(struct ictx *c, const yaml_node_t *n, const struct inv_device *d)
{
    const struct inv_auth *a = inv_auth_find(c->inv, d->auth);
    char b[96];

    if (!a)
        return yr_fail(&c->y, n, "expected the name of an auth profile, got %s", yr_describe(n, b, sizeof b));
    if ((d->collectors & INV_COLLECT_NETCONF) && !a->username)
        return yr_fail(&c->y, n, "expected an auth profile with SSH settings for the netconf collector, got '%s' "
                "(no username)", a->name);
    if ((d->collectors & INV_COLLECT_SNMP) && !a->snmp_version)
        return yr_fail(&c->y, n, "expected an auth profile with snmp settings for the snmp collector, got '%s' "
                "(no snmp)", a->name);
    return ER_OK;
}

/* The slot of device @p name in the name index: its own, or the empty one it would take. */
uint32_t *
name_slot(const struct inventory *inv, const char *name)
{
    return names_slot(&inv->device_names, name, inv->devices, sizeof *inv->devices,
            offsetof(struct inv_device, name));
}

er_code
parse_devices(struct ictx *c, const yaml_node_t *seq)
{
    static const char *const keys[] = {"name", "host", "port", "snmp-port", "role", "site", "collectors", "auth",
            "zones", "connect-timeout", "timeout", "ssh-config", NULL};
    enum { K_NAME, K_HOST, K_PORT, K_SPORT, K_ROLE, K_SITE, K_COLL, K_AUTH, K_ZONES, K_CTO, K_TO, K_SSHCFG };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[12];
    uint32_t *slot;
    size_t j;
    er_code rc;
    char where[160], qb[96];
    const char *why;

    if ((rc = yr_seq_alloc(&c->y, seq, "a list of devices", sizeof *inv->devices, (void **)&inv->devices)))
        return rc;
    if (seq->data.sequence.items.top == seq->data.sequence.items.start)
        return yr_expect(&c->y, seq, "at least one device");
    if (names_init(&inv->device_names, (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start)))
        return er_set(c->y.err, ER_ENOMEM, "out of memory");
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = yr_node(&c->y, *it);
        struct inv_device *d = &inv->devices[inv->n_devices++];
        int role = 0;

        d->line = (int)m->start_mark.line + 1;
        d->port = 830;
        d->snmp_port = 161;
        d->collectors = INV_COLLECT_NETCONF;
        if ((rc = yr_map_fields(&c->y, m, "a device (a mapping)", keys, v)) ||
                (rc = yr_need(&c->y, m, v[K_NAME], "name", "device")) ||
                (rc = yr_get_str(&c->y, v[K_NAME], "a device name", &d->name)))
            return rc;
        /* The name becomes a directory of the snapshot: it must stay one path component. */
        if ((why = names_bad(d->name)))
            return yr_fail(&c->y, v[K_NAME], "expected a device name of letters, digits, '.', '_' and '-' (not starting "
                    "with '.' or '-', at most %d), got %s: it %s", NAMES_MAX_LEN,
                    yr_describe(v[K_NAME], qb, sizeof qb), why);
        slot = name_slot(inv, d->name);
        if (*slot) {
            j = *slot - 1;
            return yr_fail(&c->y, v[K_NAME], "duplicate device '%s' (first at line %d)", d->name, inv->devices[j].line);
        }
        *slot = (uint32_t)inv->n_devices;
        snprintf(where, sizeof where, "device '%s'", d->name);
        if ((rc = yr_need(&c->y, m, v[K_HOST], "host", where)) || (rc = yr_need(&c->y, m, v[K_ROLE], "role", where)) ||
                (rc = yr_get_str(&c->y, v[K_HOST], "a host name or address", &d->host)) ||
                (rc = yr_get_port(&c->y, v[K_PORT], "a port number 1-65535", &d->port)) ||
                (rc = yr_get_port(&c->y, v[K_SPORT], "a port number 1-65535", &d->snmp_port)) ||
                (rc = yr_get_enum(&c->y, v[K_ROLE], "a device role", role_names, &role)) ||
                (rc = yr_get_str(&c->y, v[K_SITE], "a site name", &d->site)) ||
                (rc = yr_get_str(&c->y, v[K_AUTH], "an auth profile name", &d->auth)) ||
                (rc = get_duration(c, v[K_CTO], &d->connect_timeout_ms)) ||
                (rc = get_duration(c, v[K_TO], &d->timeout_ms)) ||
                (rc = get_ssh_config(c, v[K_SSHCFG], &d->ssh_config)))
            return rc;
        d->role = (enum inv_role)role;
        if (strpbrk(d->host, " \t\r\n"))
            return yr_expect(&c->y, v[K_HOST], "a host name or address without spaces");
        if (v[K_COLL]) {
            yaml_node_item_t *ci;

            if (v[K_COLL]->type != YAML_SEQUENCE_NODE)
                return yr_expect(&c->y, v[K_COLL], "a list of collectors ([netconf, snmp])");
            d->collectors = 0;
            for (ci = v[K_COLL]->data.sequence.items.start; ci < v[K_COLL]->data.sequence.items.top; ci++) {
                int k = 0;

                if ((rc = yr_get_enum(&c->y, yr_node(&c->y, *ci), "a collector", coll_names, &k)))
                    return rc;
                d->collectors |= 1u << k;
            }
        }
        if (d->auth && (rc = check_device_auth(c, v[K_AUTH], d)))
            return rc;
        if (v[K_ZONES] && (rc = parse_zones(c, v[K_ZONES], d)))
            return rc;
    }
    return ER_OK;
}
