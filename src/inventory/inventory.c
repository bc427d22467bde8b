/**
 * @file inventory.c
 * @brief Inventory loader (libyaml document API), lookups and secret reading.
 *
 * The whole file is loaded as one libyaml document, then walked against a
 * fixed schema: every mapping is checked against its list of keys, so a typo
 * is an error with file:line:column instead of a silently ignored setting.
 * Sections are parsed in dependency order (auth, devices, circuits, policy)
 * so references can be checked as they are read.
 */
#include "inventory_int.h"
#include "bound.h"
#include "prefix.h"
#include "yamlread.h"
#include "yamlscan.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>



int
valid_addr(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/*
 * "addr/len" with the host bits clear, rewritten in canonical form so rules
 * can compare prefixes as text. Returns 0 when @s is not such a prefix.
 */
int
canon_prefix(char **s)
{
    struct pfx p;
    char buf[PFX_STRLEN], *dup;

    if (!strchr(*s, '/') || pfx_parse(*s, &p, 1))
        return 0;
    pfx_format(&p, buf);
    if (strcmp(buf, *s) && (dup = strdup(buf))) {
        free(*s);
        *s = dup;
    }
    return 1;
}

int
valid_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int i, y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    }
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

int
valid_env_name(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return 0;
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    }
    return 1;
}
static er_code
parse_end(struct ictx *c, const yaml_node_t *n, const char *where, struct inv_circuit_end *e)
{
    static const char *const keys[] = {"device", "neighbor", NULL};
    yaml_node_t *v[2];
    char b[96];
    er_code rc;

    if ((rc = yr_map_fields(&c->y, n, "a circuit end {device: NAME, neighbor: ADDRESS}", keys, v)) ||
            (rc = yr_need(&c->y, n, v[0], "device", where)) || (rc = yr_get_str(&c->y, v[0], "a device name", &e->device)) ||
            (rc = yr_get_str(&c->y, v[1], "an IP address", &e->neighbor)))
        return rc;
    if (!inv_device_find(c->inv, e->device))
        return yr_fail(&c->y, v[0], "expected the name of a device, got %s", yr_describe(v[0], b, sizeof b));
    if (e->neighbor && !valid_addr(e->neighbor))
        return yr_expect(&c->y, v[1], "an IPv4 or IPv6 address");
    return ER_OK;
}

static er_code
parse_circuits(struct ictx *c, const yaml_node_t *seq)
{
    static const char *const keys[] = {"name", "sku", "peering-location", "bandwidth-mbps", "primary", "secondary",
            "prefixes", NULL};
    enum { K_NAME, K_SKU, K_LOC, K_BW, K_PRI, K_SEC, K_PFX };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[7];
    size_t j;
    er_code rc;
    char where[160];

    if ((rc = yr_seq_alloc(&c->y, seq, "a list of circuits", sizeof *inv->circuits, (void **)&inv->circuits)))
        return rc;
    for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *m = yr_node(&c->y, *it);
        struct inv_circuit *ci = &inv->circuits[inv->n_circuits++];

        ci->line = (int)m->start_mark.line + 1;
        if ((rc = yr_map_fields(&c->y, m, "a circuit (a mapping)", keys, v)) ||
                (rc = yr_need(&c->y, m, v[K_NAME], "name", "circuit")) ||
                (rc = yr_get_str(&c->y, v[K_NAME], "a circuit name", &ci->name)))
            return rc;
        for (j = 0; j + 1 < inv->n_circuits; j++) {
            if (!strcmp(inv->circuits[j].name, ci->name))
                return yr_fail(&c->y, v[K_NAME], "duplicate circuit '%s' (first at line %d)", ci->name,
                        inv->circuits[j].line);
        }
        snprintf(where, sizeof where, "circuit '%s'", ci->name);
        if ((rc = yr_need(&c->y, m, v[K_SKU], "sku", where)) || (rc = yr_need(&c->y, m, v[K_PRI], "primary", where)) ||
                (rc = yr_get_enum_str(&c->y, v[K_SKU], "a circuit SKU", sku_names, &ci->sku)) ||
                (rc = yr_get_str(&c->y, v[K_LOC], "a peering location", &ci->peering_location)) ||
                (rc = yr_get_uint(&c->y, v[K_BW], "a bandwidth in Mbps (1-4294967295)", 1, UINT32_MAX, &ci->bandwidth_mbps)) ||
                (rc = parse_end(c, v[K_PRI], where, &ci->primary)) ||
                (v[K_SEC] && (rc = parse_end(c, v[K_SEC], where, &ci->secondary))) ||
                (rc = yr_get_strlist(&c->y, v[K_PFX], "a list of prefixes", "a prefix", &ci->prefixes, &ci->n_prefixes)))
            return rc;
        for (j = 0; j < ci->n_prefixes; j++) {
            if (!canon_prefix(&ci->prefixes[j]))
                return yr_expect(&c->y, yr_node(&c->y, v[K_PFX]->data.sequence.items.start[j]),
                        "a prefix ADDRESS/LENGTH with the host bits clear");
        }
    }
    return ER_OK;
}

static er_code
parse_tenant(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"cloud", "power-platform-region", "azure-regions", "user-sites", NULL};
    static const char *const skeys[] = {"name", "geo-region", "users", NULL};
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[4], *s[3];
    size_t j;
    er_code rc;

    if ((rc = yr_map_fields(&c->y, n, "a mapping of tenant settings", keys, v)) ||
            (rc = yr_get_enum_str(&c->y, v[0], "a cloud", cloud_names, &inv->cloud)) ||
            (rc = yr_get_str(&c->y, v[1], "a Power Platform region", &inv->pp_region)) ||
            (rc = yr_get_strlist(&c->y, v[2], "a list of Azure regions", "an Azure region", &inv->azure_regions,
                    &inv->n_azure_regions)))
        return rc;
    if (!v[3])
        return ER_OK;
    if ((rc = yr_seq_alloc(&c->y, v[3], "a list of user sites", sizeof *inv->sites, (void **)&inv->sites)))
        return rc;
    for (it = v[3]->data.sequence.items.start; it < v[3]->data.sequence.items.top; it++) {
        yaml_node_t *m = yr_node(&c->y, *it);
        struct inv_site *site = &inv->sites[inv->n_sites++];

        if ((rc = yr_map_fields(&c->y, m, "a user site (a mapping)", skeys, s)) ||
                (rc = yr_need(&c->y, m, s[0], "name", "user site")) || (rc = yr_get_str(&c->y, s[0], "a site name", &site->name)) ||
                (rc = yr_get_str(&c->y, s[1], "a geopolitical region", &site->geo_region)) ||
                (rc = yr_get_uint(&c->y, s[2], "a number of users", 0, UINT32_MAX, &site->users)))
            return rc;
        for (j = 0; j + 1 < inv->n_sites; j++) {
            if (!strcmp(inv->sites[j].name, site->name))
                return yr_fail(&c->y, s[0], "duplicate user site '%s'", site->name);
        }
    }
    return ER_OK;
}

/* services: pac-hosts: {NAME: ADDRESS, ...} */
static er_code
parse_pac_hosts(struct ictx *c, const yaml_node_t *n)
{
    struct inventory *inv = c->inv;
    yaml_node_pair_t *p;
    size_t j;
    er_code rc;

    if (n->type != YAML_MAPPING_NODE)
        return yr_expect(&c->y, n, "a mapping HOST-NAME: ADDRESS");
    inv->pac_hosts = calloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) + 1,
            sizeof *inv->pac_hosts);
    if (!inv->pac_hosts)
        return er_set(c->y.err, ER_ENOMEM, "out of memory");
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        struct inv_pac_host *h = &inv->pac_hosts[inv->n_pac_hosts++];

        if ((rc = yr_get_str(&c->y, yr_node(&c->y, p->key), "a host name", &h->name)) ||
                (rc = yr_get_str(&c->y, yr_node(&c->y, p->value), "an IPv4 or IPv6 address", &h->addr)))
            return rc;
        if (!h->name[0] || strpbrk(h->name, " \t/"))
            return yr_fail(&c->y, yr_node(&c->y, p->key), "expected a host name, got '%s'", h->name);
        if (!valid_addr(h->addr))
            return yr_expect(&c->y, yr_node(&c->y, p->value), "an IPv4 or IPv6 address");
        for (j = 0; j + 1 < inv->n_pac_hosts; j++) {
            if (!strcasecmp(inv->pac_hosts[j].name, h->name))
                return yr_fail(&c->y, yr_node(&c->y, p->key), "duplicate key '%s'", h->name);
        }
    }
    return ER_OK;
}

static er_code
parse_services(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"service-tags", "m365-endpoints", "reference-data", "pac-file",
        "pac-client-address", "pac-hosts", NULL};
    yaml_node_t *v[6];
    er_code rc;

    if ((rc = yr_map_fields(&c->y, n, "a mapping of service data paths", keys, v)) ||
            (rc = yr_get_str(&c->y, v[0], "a file path", &c->inv->service_tags)) ||
            (rc = yr_get_str(&c->y, v[1], "a file path", &c->inv->m365_endpoints)) ||
            (rc = yr_get_str(&c->y, v[3], "a file path", &c->inv->pac_file)) ||
            (rc = yr_get_str(&c->y, v[4], "an IPv4 or IPv6 address", &c->inv->pac_client_address)))
        return rc;
    if (v[4] && !valid_addr(c->inv->pac_client_address))
        return yr_expect(&c->y, v[4], "an IPv4 or IPv6 address");
    if (v[5] && (rc = parse_pac_hosts(c, v[5])))
        return rc;
    c->inv->service_tags_line = v[0] ? (int)v[0]->start_mark.line + 1 : 0;
    c->inv->m365_endpoints_line = v[1] ? (int)v[1]->start_mark.line + 1 : 0;
    c->inv->reference_data_line = v[2] ? (int)v[2]->start_mark.line + 1 : 0;
    c->inv->pac_file_line = v[3] ? (int)v[3]->start_mark.line + 1 : 0;
    return yr_get_str(&c->y, v[2], "a directory path", &c->inv->reference_data);
}

static er_code
parse_overrides(struct ictx *c, const yaml_node_t *n)
{
    struct inventory *inv = c->inv;
    yaml_node_pair_t *p;
    size_t j;
    er_code rc;

    if (n->type != YAML_MAPPING_NODE)
        return yr_expect(&c->y, n, "a mapping RULE: SEVERITY");
    inv->overrides = calloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) + 1,
            sizeof *inv->overrides);
    if (!inv->overrides)
        return er_set(c->y.err, ER_ENOMEM, "out of memory");
    for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        struct inv_override *o = &inv->overrides[inv->n_overrides++];

        if ((rc = yr_get_str(&c->y, yr_node(&c->y, p->key), "a rule id", &o->rule)) ||
                (rc = yr_get_enum_str(&c->y, yr_node(&c->y, p->value), "a severity", sev_names, &o->severity)))
            return rc;
        for (j = 0; j + 1 < inv->n_overrides; j++) {
            if (!strcmp(inv->overrides[j].rule, o->rule))
                return yr_fail(&c->y, yr_node(&c->y, p->key), "duplicate key '%s'", o->rule);
        }
    }
    return ER_OK;
}

static er_code
parse_policy(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"fail-on", "severity-overrides", "waivers", NULL};
    static const char *const wkeys[] = {"rule", "device", "circuit", "owner", "reason", "expires", NULL};
    enum { W_RULE, W_DEV, W_CIRC, W_OWNER, W_REASON, W_EXP };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[3], *w[6];
    char b[96];
    size_t j;
    er_code rc;

    if ((rc = yr_map_fields(&c->y, n, "a mapping of policy settings", keys, v)) ||
            (rc = yr_get_enum_str(&c->y, v[0], "a severity", sev_names, &inv->fail_on)) ||
            (v[1] && (rc = parse_overrides(c, v[1]))))
        return rc;
    if (!v[2])
        return ER_OK;
    if ((rc = yr_seq_alloc(&c->y, v[2], "a list of waivers", sizeof *inv->waivers, (void **)&inv->waivers)))
        return rc;
    for (it = v[2]->data.sequence.items.start; it < v[2]->data.sequence.items.top; it++) {
        yaml_node_t *m = yr_node(&c->y, *it);
        struct inv_waiver *wv = &inv->waivers[inv->n_waivers++];

        wv->line = (int)m->start_mark.line + 1;
        if ((rc = yr_map_fields(&c->y, m, "a waiver (a mapping)", wkeys, w)))
            return rc;
        for (j = 0; j < 6; j++) {
            if (j != W_DEV && j != W_CIRC && (rc = yr_need(&c->y, m, w[j], wkeys[j], "waiver")))
                return rc;
        }
        if ((rc = yr_get_str(&c->y, w[W_RULE], "a rule id", &wv->rule)) ||
                (rc = yr_get_str(&c->y, w[W_DEV], "a device name", &wv->device)) ||
                (rc = yr_get_str(&c->y, w[W_CIRC], "a circuit name", &wv->circuit)) ||
                (rc = yr_get_str(&c->y, w[W_OWNER], "an owner", &wv->owner)) ||
                (rc = yr_get_str(&c->y, w[W_REASON], "a reason", &wv->reason)) ||
                (rc = yr_get_str(&c->y, w[W_EXP], "a date YYYY-MM-DD", &wv->expires)))
            return rc;
        if (wv->device && !inv_device_find(inv, wv->device))
            return yr_fail(&c->y, w[W_DEV], "expected the name of a device, got %s", yr_describe(w[W_DEV], b, sizeof b));
        for (j = 0; wv->circuit && j < inv->n_circuits && strcmp(inv->circuits[j].name, wv->circuit); j++)
            ;
        if (wv->circuit && j == inv->n_circuits)
            return yr_fail(&c->y, w[W_CIRC], "expected the name of a circuit, got %s", yr_describe(w[W_CIRC], b, sizeof b));
        if (!valid_date(wv->expires))
            return yr_expect(&c->y, w[W_EXP], "a valid date YYYY-MM-DD");
    }
    return ER_OK;
}

/* Answers to checklist questions that no rule can measure. */
static er_code
parse_attestations(struct ictx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"question", "answer", "by", "date", "evidence", NULL};
    enum { A_Q, A_ANS, A_BY, A_DATE, A_EV };
    struct inventory *inv = c->inv;
    yaml_node_item_t *it;
    yaml_node_t *v[5];
    size_t j;
    er_code rc;

    if ((rc = yr_seq_alloc(&c->y, n, "a list of attestations", sizeof *inv->attestations, (void **)&inv->attestations)))
        return rc;
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *m = yr_node(&c->y, *it);
        struct inv_attestation *a = &inv->attestations[inv->n_attestations++];

        a->line = (int)m->start_mark.line + 1;
        if ((rc = yr_map_fields(&c->y, m, "an attestation (a mapping)", keys, v)))
            return rc;
        for (j = 0; j < A_EV; j++) {
            if ((rc = yr_need(&c->y, m, v[j], keys[j], "attestation")))
                return rc;
        }
        if ((rc = yr_get_str(&c->y, v[A_Q], "a checklist question id", &a->question)) ||
                (rc = yr_get_str(&c->y, v[A_ANS], "an answer", &a->answer)) ||
                (rc = yr_get_str(&c->y, v[A_BY], "who answered", &a->by)) ||
                (rc = yr_get_str(&c->y, v[A_DATE], "a date YYYY-MM-DD", &a->date)) ||
                (rc = yr_get_str(&c->y, v[A_EV], "where the evidence is", &a->evidence)))
            return rc;
        if (!valid_date(a->date))
            return yr_expect(&c->y, v[A_DATE], "a valid date YYYY-MM-DD");
        for (j = 0; j + 1 < inv->n_attestations; j++) {
            if (!strcmp(inv->attestations[j].question, a->question))
                return yr_fail(&c->y, v[A_Q], "question '%s' is attested already (line %d)", a->question,
                        inv->attestations[j].line);
        }
    }
    return ER_OK;
}

static er_code
parse_top(struct ictx *c, const yaml_node_t *root)
{
    static const char *const keys[] = {"known-hosts", "auth", "devices", "circuits", "tenant", "services", "policy",
            "user-rules", "attestations", "defaults", NULL};
    enum { T_KH, T_AUTH, T_DEV, T_CIRC, T_TEN, T_SERV, T_POL, T_UR, T_ATT, T_DEF };
    yaml_node_t *v[10];
    er_code rc;

    if ((rc = yr_map_fields(&c->y, root, "a mapping of inventory keys", keys, v)) ||
            (rc = yr_need(&c->y, root, v[T_DEV], "devices", "the inventory")) ||
            (rc = yr_get_str(&c->y, v[T_KH], "a known_hosts file path", &c->inv->known_hosts)) ||
            (v[T_DEF] && (rc = parse_defaults(c, v[T_DEF]))) || (v[T_AUTH] && (rc = parse_auths(c, v[T_AUTH]))) || (rc = parse_devices(c, v[T_DEV])) ||
            (v[T_CIRC] && (rc = parse_circuits(c, v[T_CIRC]))) || (v[T_TEN] && (rc = parse_tenant(c, v[T_TEN]))) ||
            (v[T_SERV] && (rc = parse_services(c, v[T_SERV]))) || (v[T_POL] && (rc = parse_policy(c, v[T_POL]))) ||
            (rc = yr_get_str(&c->y, v[T_UR], "a user rules file path", &c->inv->user_rules)) ||
            (v[T_ATT] && (rc = parse_attestations(c, v[T_ATT]))))
        return rc;
    c->inv->user_rules_line = v[T_UR] ? (int)v[T_UR]->start_mark.line + 1 : 0;
    /* defaults that the printer writes out, so a round trip is exact */
    if (!c->inv->cloud && !(c->inv->cloud = strdup("public")))
        return er_set(c->y.err, ER_ENOMEM, "out of memory");
    if (!c->inv->fail_on && !(c->inv->fail_on = strdup("high")))
        return er_set(c->y.err, ER_ENOMEM, "out of memory");
    return ER_OK;
}

er_code
inv_load_mem(const char *name, const char *buf, size_t len, struct inventory **inv, struct er_err *err)
{
    struct ictx c = {0};
    yaml_node_t *root;
    er_code rc;

    *inv = NULL;
    if ((rc = yr_load(&c.y, name, buf, len, INV_MAX_DEPTH, INV_MAX_FILE, err)))
        return rc;
    if (!(root = yr_root(&c.y))) {
        rc = er_set(err, ER_EINVAL, "%s:1:1: expected a mapping of inventory keys, got an empty file", name);
        goto cleanup;
    }
    c.inv = calloc(1, sizeof *c.inv);
    ER_CHECK_GOTO(!c.inv || !(c.inv->path = strdup(name)), rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    ER_TRY(rc, parse_top(&c, root), cleanup);
    *inv = c.inv;
    c.inv = NULL;
cleanup:
    inv_free(c.inv);
    yr_free(&c.y);
    return rc;
}

er_code
inv_load(const char *path, struct inventory **inv, struct er_err *err)
{
    FILE *f;
    er_code rc;

    *inv = NULL;
    if (!(f = fopen(path, "rb")))
        return er_set(err, ER_EIO, "%s: cannot read: %s", path, strerror(errno));
    rc = inv_load_fp(f, path, inv, err);
    fclose(f);
    return rc;
}

er_code
inv_load_fp(FILE *f, const char *path, struct inventory **inv, struct er_err *err)
{
    char *buf = NULL;
    size_t len;
    struct stat st;
    er_code rc = ER_OK;

    *inv = NULL;
    /* Refused by its size before any of it is read. */
    ER_CHECK_GOTO(fstat(fileno(f), &st), rc, er_set(err, ER_EIO, "%s: cannot read: %s", path, strerror(errno)),
            cleanup);
    ER_TRY(rc, bound_check(path, (uint64_t)st.st_size, bound_cap(), err), cleanup);
    ER_CHECK_GOTO(S_ISREG(st.st_mode) && st.st_size > (off_t)INV_MAX_FILE, rc,
            er_set(err, ER_EINVAL, "%s:1:1: expected an inventory under %u bytes, got %jd bytes", path,
                    INV_MAX_FILE, (intmax_t)st.st_size), cleanup);
    ER_CHECK_GOTO(!(buf = malloc(INV_MAX_FILE + 1)), rc, er_set(err, ER_ENOMEM, "out of memory"), cleanup);
    len = fread(buf, 1, INV_MAX_FILE + 1, f);
    ER_CHECK_GOTO(ferror(f), rc, er_set(err, ER_EIO, "%s: cannot read: %s", path, strerror(errno)), cleanup);
    ER_CHECK_GOTO(len > INV_MAX_FILE, rc,
            er_set(err, ER_EINVAL, "%s:1:1: expected an inventory under %u bytes, got a bigger file", path,
                    INV_MAX_FILE), cleanup);
    rc = inv_load_mem(path, buf, len, inv, err);

cleanup:
    free(buf);
    return rc;
}
