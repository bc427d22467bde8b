/**
 * @file inventory_import_ansible.c
 * @brief Devices from an Ansible YAML inventory: top-level groups (usually
 * `all`), each with `hosts`, `children` and `vars`.
 *
 * Of a host's variables only ansible_host, ansible_network_os,
 * ansible_connection and ansible_port are read (never a password or a user).
 * A group's vars reach its hosts and its children's hosts; a deeper group
 * overrides a shallower one and the host's own vars override both, as in
 * Ansible. A host is named by the line it first appears on.
 */
#include "inventory_import.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bound.h"
#include "yamlscan.h"

#define ANS_MAX_DEPTH 32
/* Aliases can make a small file a large tree: visits are counted. */
#define ANS_MAX_VISITS 1000000

enum { V_HOST, V_OS, V_CONN, V_PORT, V_N };
static const char *const var_names[V_N] = {"ansible_host", "ansible_network_os", "ansible_connection", "ansible_port"};

/* Variables in force at some point, each with the priority that set it. */
struct vars {
    const char *v[V_N];
    int prio[V_N];
};

struct host {
    struct imp_device d;
    struct vars vars;
    char groups[IMP_TEXT_MAX];
};

struct actx {
    yaml_document_t doc;
    const char *path;
    struct imp_list *l;
    struct host *hosts;
    size_t n, cap;
    size_t visits;
    struct er_err *err;
};

static yaml_node_t *
node(struct actx *c, int i)
{
    return yaml_document_get_node(&c->doc, i);
}

static const char *
scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int
line(const yaml_node_t *n)
{
    return (int)n->start_mark.line + 1;
}

/* Take the variables of mapping @p m (vars of a group, or a host's own) at priority @p prio. */
static er_code
take_vars(struct actx *c, const yaml_node_t *m, int prio, struct vars *into, const char *whose)
{
    yaml_node_pair_t *p;
    size_t k;

    if (!m || m->type != YAML_MAPPING_NODE)
        return ER_OK;
    for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *key = scalar(node(c, p->key)), *val = scalar(node(c, p->value));

        for (k = 0; key && k < V_N; k++) {
            if (strcmp(key, var_names[k]) || into->prio[k] > prio)
                continue;
            if (!val)
                return imp_skip(c->l, c->err, "line %d: %s of %s is not a plain value; not used",
                        line(node(c, p->value)), var_names[k], whose);
            into->v[k] = val;
            into->prio[k] = prio;
        }
    }
    return ER_OK;
}

static struct host *
host_get(struct actx *c, const char *name, const yaml_node_t *at)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (!strcmp(c->hosts[i].d.name, name))
            return &c->hosts[i];
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct host *v = realloc(c->hosts, cap * sizeof *v);

        if (!v)
            return NULL;
        c->hosts = v;
        c->cap = cap;
    }
    memset(&c->hosts[c->n], 0, sizeof c->hosts[c->n]);
    imp_copy(c->hosts[c->n].d.name, sizeof c->hosts[c->n].d.name, name);
    snprintf(c->hosts[c->n].d.where, sizeof c->hosts[c->n].d.where, "line %d", line(at));
    return &c->hosts[c->n++];
}

/* Merge the group's vars into a host: only where the group's priority is at least the host's. */
static void
merge(struct vars *h, const struct vars *g)
{
    size_t k;

    for (k = 0; k < V_N; k++) {
        if (g->v[k] && g->prio[k] >= h->prio[k]) {
            h->v[k] = g->v[k];
            h->prio[k] = g->prio[k];
        }
    }
}

static er_code
group(struct actx *c, const char *name, const yaml_node_t *g, struct vars inherited, int depth)
{
    yaml_node_pair_t *p;
    const yaml_node_t *hosts = NULL, *children = NULL, *vars = NULL;
    er_code rc;

    if (++c->visits > ANS_MAX_VISITS || depth > ANS_MAX_DEPTH)
        return er_set(c->err, ER_EINVAL, "%s:%d: expected at most %d levels of groups and %d group visits, got more "
                "(aliases?)", c->path, line(g), ANS_MAX_DEPTH, ANS_MAX_VISITS);
    if (g->type == YAML_SCALAR_NODE && !*scalar(g))
        return ER_OK;           /* "group:" with nothing under it */
    if (g->type != YAML_MAPPING_NODE)
        return imp_skip(c->l, c->err, "line %d: group '%.60s' skipped: expected a mapping of hosts, children and vars",
                line(g), name);
    for (p = g->data.mapping.pairs.start; p < g->data.mapping.pairs.top; p++) {
        const char *k = scalar(node(c, p->key));
        const yaml_node_t *v = node(c, p->value);

        if (k && !strcmp(k, "hosts"))
            hosts = v;
        else if (k && !strcmp(k, "children"))
            children = v;
        else if (k && !strcmp(k, "vars"))
            vars = v;
        else if ((rc = imp_skip(c->l, c->err, "line %d: key '%.40s' of group '%.60s' skipped: expected hosts, "
                "children or vars", line(node(c, p->key)), k ? k : "?", name)))
            return rc;
    }
    if (vars && (rc = take_vars(c, vars, depth, &inherited, name)))
        return rc;
    if (hosts && hosts->type == YAML_MAPPING_NODE) {
        for (p = hosts->data.mapping.pairs.start; p < hosts->data.mapping.pairs.top; p++) {
            const yaml_node_t *kn = node(c, p->key);
            const char *hn = scalar(kn);
            struct host *h;
            char whose[96];

            if (!hn || strchr(hn, '[')) {
                if ((rc = imp_skip(c->l, c->err, "line %d: host '%.60s' of group '%.60s' skipped: %s", line(kn),
                        hn ? hn : "?", name, hn ? "host ranges ([01:50]) are not expanded" : "expected a host name")))
                    return rc;
                continue;
            }
            if (!(h = host_get(c, hn, kn)))
                return er_set(c->err, ER_ENOMEM, "out of memory");
            if (strcmp(name, "all") && strlen(h->groups) + strlen(name) + 3 < sizeof h->groups)
                snprintf(h->groups + strlen(h->groups), sizeof h->groups - strlen(h->groups), "%s%s",
                        h->groups[0] ? ", " : "", name);
            merge(&h->vars, &inherited);
            snprintf(whose, sizeof whose, "host '%.60s'", hn);
            if ((rc = take_vars(c, node(c, p->value), 1000, &h->vars, whose)))
                return rc;
        }
    } else if (hosts && !(hosts->type == YAML_SCALAR_NODE && !*scalar(hosts)) &&
            (rc = imp_skip(c->l, c->err, "line %d: hosts of group '%.60s' skipped: expected a mapping of host names",
                    line(hosts), name)))
        return rc;
    if (children && children->type == YAML_MAPPING_NODE) {
        for (p = children->data.mapping.pairs.start; p < children->data.mapping.pairs.top; p++) {
            const char *cn = scalar(node(c, p->key));

            if ((rc = group(c, cn ? cn : "?", node(c, p->value), inherited, depth + 1)))
                return rc;
        }
    }
    return ER_OK;
}

/* The hosts found, with their variables settled, into the list. */
static er_code
hosts_to_list(struct actx *c)
{
    size_t i;
    er_code rc;

    for (i = 0; i < c->n; i++) {
        struct host *h = &c->hosts[i];
        const char *conn = h->vars.v[V_CONN];
        size_t k;

        /* a template is Ansible's to evaluate: its text is no address, port or platform */
        for (k = 0; k < V_N && !(h->vars.v[k] && strstr(h->vars.v[k], "{{")); k++)
            ;
        if (k < V_N) {
            if ((rc = imp_skip(c->l, c->err, "%s: skipped: %s of host '%s' is a Jinja template", h->d.where,
                    var_names[k], h->d.name)))
                return rc;
            continue;
        }

        imp_copy(h->d.host, sizeof h->d.host, h->vars.v[V_HOST] ? h->vars.v[V_HOST] : h->d.name);
        imp_copy(h->d.platform, sizeof h->d.platform, h->vars.v[V_OS]);
        imp_copy(h->d.role_src, sizeof h->d.role_src, h->groups);
        h->d.role_kind = "Ansible groups";
        /* the port is NETCONF's only when Ansible talks NETCONF; for network_cli it is SSH's */
        h->d.netconf_hint = conn && strstr(conn, "netconf") != NULL;
        if (h->d.netconf_hint && h->vars.v[V_PORT]) {
            long port = strtol(h->vars.v[V_PORT], NULL, 10);

            if (port > 0 && port < 65536)
                h->d.port = (uint16_t)port;
        }
        if (conn)
            snprintf(h->d.note, sizeof h->d.note, "ansible_connection: %.100s", conn);
        if ((rc = imp_add(c->l, &h->d, c->err)))
            return rc;
    }
    return ER_OK;
}

er_code
imp_read_ansible(const char *path, struct imp_list *l, struct er_err *err)
{
    struct actx c = {.path = path, .l = l, .err = err};
    yaml_parser_t parser;
    yaml_node_t *root;
    yaml_node_pair_t *p;
    struct vars none = {0};
    char *buf = NULL;
    size_t len;
    int loaded = 0, parser_ok = 0;
    er_code rc;

    ER_TRY(rc, bound_read_path(path, path, 1, &buf, &len, err), cleanup);
    ER_TRY(rc, yamlscan_check(path, buf, len, ANS_MAX_DEPTH, bound_cap(), err), cleanup);
    ER_CHECK_GOTO(!(parser_ok = yaml_parser_initialize(&parser)), rc, er_set(err, ER_ENOMEM, "out of memory"),
            cleanup);
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    ER_CHECK_GOTO(!(loaded = yaml_parser_load(&parser, &c.doc)), rc,
            er_set(err, ER_EINVAL, "%s:%zu:%zu: expected valid YAML, got a syntax error: %s", path,
                    parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                    parser.problem ? parser.problem : "?"), cleanup);
    root = yaml_document_get_root_node(&c.doc);
    ER_CHECK_GOTO(!root || root->type != YAML_MAPPING_NODE, rc,
            er_set(err, ER_EINVAL, "%s:%d: expected an Ansible YAML inventory (a mapping of groups, usually 'all'), "
                    "got %s", path, root ? line(root) : 1, root ? "something else" : "an empty file"), cleanup);
    for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const char *gn = scalar(node(&c, p->key));

        ER_TRY(rc, group(&c, gn ? gn : "?", node(&c, p->value), none, 1), cleanup);
    }
    rc = hosts_to_list(&c);
cleanup:
    if (loaded)
        yaml_document_delete(&c.doc);
    if (parser_ok)
        yaml_parser_delete(&parser);
    free(c.hosts);
    free(buf);
    return rc;
}
