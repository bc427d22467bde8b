/**
 * @file ncsim.c
 * @brief A NETCONF device simulator on the libnetconf2 2.0 server API.
 *
 * One process serves many simulated devices, one SSH port per device.
 * Each device is a directory holding the XML it serves:
 *
 *     DIR/NAME/running.xml    content of <data> for <get-config> running
 *     DIR/NAME/candidate.xml  for candidate (default: running.xml)
 *     DIR/NAME/state.xml      for <get> and <get-data> operational (default: empty)
 *     DIR/NAME/hostkey        optional: path of a device-specific host key (PEM)
 *     DIR/NAME/fault          optional: "malformed" (get-config answers broken XML)
 *
 * The replies are served as text: the <data> anyxml node of the reply is
 * created with LYD_ANYDATA_XML, which libyang 2.1 prints verbatim, so the
 * simulator needs no YANG module for the data it serves. <get> with a filter
 * on ietf-yang-library answers the context's own yang-library data (the
 * libnetconf2 client asks for it on connect). <get-schema> has its own
 * handler that serves the module's source file (the built-in one truncates
 * replies with libyang 2.1).
 *
 * Which device a session belongs to: every endpoint has a host key named
 * after its device; libnetconf2 asks the host-key callback for it inside
 * nc_accept(), in the accepting thread, so a thread-local variable carries
 * the device name from the callback to the session.
 *
 * A Junos device is served differently: `ncsim --junos-stdio DIR` speaks
 * for one device on stdin/stdout, run by sshd (see ncsim_junos.c).
 *
 * Usage: ncsim --dir DIR --base-port P --hostkey KEY --user U [--address A]
 *              [--password-file F] [--authorized-key PUB]... [--ports-out FILE]
 *              [--count N --template TDIR] [--modpath DIR] [--no-nmda]
 *              [--threads N] [--poll-ms MS] [--idle-us US] [--capability URI]...
 *              [--rpc-log FILE]
 * --capability adds a URI to the <hello> of every device (a Cisco IOS-XE or
 * IOS-XR module URI makes them that platform to the collector: run one
 * simulator per platform). --rpc-log appends every <get> and <get-data>
 * request, as XML, to FILE: tests check the subtree filters a collector sent.
 * Listens on 127.0.0.1 unless --address names another local address (the
 * lab runs one inside each edge router's namespace, on its management
 * address). Stops on SIGTERM/SIGINT. Writes FILE ("NAME PORT" lines) once
 * listening.
 *
 * One file over 600 lines: a test peer run as one program; its parts (SSH
 * endpoints, RPC handlers, Junos stdio mode) share the device table.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libyang/libyang.h>
#include <nc_server.h>

#include "ncsim_junos.h"

#define SIM_MAX_KEYS 16

struct sim_dev {
    char name[64];
    char dir[4096];
    char hostkey[4096];      /**< "" = the default host key */
    uint16_t port;
    int malformed;
};

static struct {
    struct ly_ctx *ctx;
    struct sim_dev *devs;
    size_t n_devs;
    char hostkey[4096];
    char user[256];
    char password[256];      /**< "" = password auth refused */
    ssh_key authkeys[SIM_MAX_KEYS];
    int n_authkeys;
    char *yanglib_xml;       /**< yang-library data of the context */
    struct nc_pollsession *ps;
    int poll_ms;             /**< nc_ps_poll() timeout */
    int idle_us;             /**< sleep after a poll that found nothing */
    volatile sig_atomic_t stop;
    const char *rpc_log;     /**< --rpc-log FILE, or NULL */
    pthread_mutex_t log_lock;
} sim = {.log_lock = PTHREAD_MUTEX_INITIALIZER};

static __thread struct sim_dev *accepting_dev;

static void
on_signal(int sig)
{
    (void)sig;
    sim.stop = 1;
}

static char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        goto cleanup;
    buf = malloc(size + 1);
    if (!buf)
        goto cleanup;
    if (fread(buf, 1, size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
        goto cleanup;
    }
    buf[size] = '\0';
    if (len)
        *len = size;
cleanup:
    fclose(f);
    return buf;
}

static struct sim_dev *
dev_by_name(const char *name)
{
    for (size_t i = 0; i < sim.n_devs; i++) {
        if (!strcmp(sim.devs[i].name, name))
            return &sim.devs[i];
    }
    return NULL;
}

/* Host key per endpoint; records which device is being accepted. */
static int
hostkey_clb(const char *name, void *user_data, char **privkey_path, char **privkey_data, NC_SSH_KEY_TYPE *type)
{
    struct sim_dev *d = dev_by_name(name);

    (void)user_data;
    (void)privkey_data;
    (void)type;
    if (!d)
        return 1;
    accepting_dev = d;
    *privkey_path = strdup(d->hostkey[0] ? d->hostkey : sim.hostkey);
    return *privkey_path ? 0 : 1;
}

static int
passwd_clb(const struct nc_session *session, const char *password, void *user_data)
{
    (void)user_data;
    if (!sim.password[0] || strcmp(nc_session_get_username(session), sim.user))
        return 1;
    return strcmp(password, sim.password) ? 1 : 0;
}

static int
pubkey_clb(const struct nc_session *session, ssh_key key, void *user_data)
{
    (void)user_data;
    if (strcmp(nc_session_get_username(session), sim.user))
        return 1;
    for (int i = 0; i < sim.n_authkeys; i++) {
        if (!ssh_key_cmp(key, sim.authkeys[i], SSH_KEY_CMP_PUBLIC))
            return 0;
    }
    return 1;
}

/* Does the RPC's filter ask for yang-library, and for anything else? The
 * libnetconf2 client asks for yang-library with an XPath filter on connect. */
static void
filter_wants(struct lyd_node *rpc, int *want_yl, int *want_state)
{
    const struct lyd_node_any *any;
    struct lyd_node *filter = NULL, *n;
    struct lyd_meta *meta;
    const char *ns, *xpath = NULL;

    *want_yl = *want_state = 1;
    if (!lyd_find_path(rpc, "xpath-filter", 0, &filter)) {
        xpath = lyd_get_value(filter);
    } else if (!lyd_find_path(rpc, "filter", 0, &filter) || !lyd_find_path(rpc, "subtree-filter", 0, &filter)) {
        if ((meta = lyd_find_meta(filter->meta, NULL, "ietf-netconf:select")))
            xpath = lyd_get_meta_value(meta);
    } else {
        return;
    }
    if (xpath) {
        *want_yl = strstr(xpath, "ietf-yang-library") != NULL;
        *want_state = !*want_yl;
        return;
    }
    any = (const struct lyd_node_any *)filter;
    if (!(filter->schema->nodetype & LYS_ANYDATA) || any->value_type != LYD_ANYDATA_DATATREE || !any->value.tree)
        return;
    *want_yl = *want_state = 0;
    LY_LIST_FOR(any->value.tree, n) {
        if (n->schema)
            ns = n->schema->module->ns;
        else
            ns = ((const struct lyd_node_opaq *)n)->name.module_ns;
        if (ns && !strcmp(ns, "urn:ietf:params:xml:ns:yang:ietf-yang-library"))
            *want_yl = 1;
        else
            *want_state = 1;
    }
}

static struct nc_server_reply *
reply_error(const char *msg)
{
    struct lyd_node *e = nc_err(sim.ctx, NC_ERR_OP_FAILED, NC_ERR_TYPE_APP);

    nc_err_set_msg(e, msg, "en");
    return nc_server_reply_err(e);
}

/* The reply: a copy of the RPC node with output @p name holding @p text. */
static struct nc_server_reply *
reply_text(struct lyd_node *rpc, char *text, LYD_ANYDATA_VALUETYPE type)
{
    struct lyd_node *out = NULL;

    if (lyd_dup_single(rpc, NULL, 0, &out) || lyd_new_any(out, NULL, "data", text, 1, type, 1, NULL)) {
        free(text);
        lyd_free_tree(out);
        return reply_error("simulator: cannot build the reply");
    }
    return nc_server_reply_data(out, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}

/* A whole saved reply (<?xml?>, <rpc-reply>, <data>) is served as the content of its <data>. */
static void
strip_reply(char *buf)
{
    char *start, *end = NULL, *p;

    if (strncmp(buf, "<?xml", 5) && strncmp(buf, "<rpc-reply", 10) && strncmp(buf, "<data", 5))
        return;
    start = strstr(buf, "<data");
    for (p = start; p && (p = strstr(p, "</data>")); p++)
        end = p;
    if (!start || !(start = strchr(start, '>')) || start[-1] == '/' || !end) {
        if (start && start[-1] == '/')
            buf[0] = '\0';
        return;
    }
    start++;
    memmove(buf, start, end - start);
    buf[end - start] = '\0';
}

static char *
dev_file(const struct sim_dev *d, const char *file, const char *fallback)
{
    char path[4200];
    char *buf;

    snprintf(path, sizeof path, "%s/%s", d->dir, file);
    buf = read_file(path, NULL);
    if (!buf && fallback) {
        snprintf(path, sizeof path, "%s/%s", d->dir, fallback);
        buf = read_file(path, NULL);
    }
    if (buf)
        strip_reply(buf);
    return buf ? buf : strdup("");
}

static struct nc_server_reply *
rpc_get_schema(struct lyd_node *rpc)
{
    struct lyd_node *id = NULL, *ver = NULL;
    const struct lys_module *mod;
    char *text = NULL;

    lyd_find_path(rpc, "identifier", 0, &id);
    lyd_find_path(rpc, "version", 0, &ver);
    if (!id)
        return reply_error("missing identifier");
    if (ver && lyd_get_value(ver)[0])
        mod = ly_ctx_get_module(sim.ctx, lyd_get_value(id), lyd_get_value(ver));
    else
        mod = ly_ctx_get_module_latest(sim.ctx, lyd_get_value(id));
    if (!mod) {
        struct lyd_node *e = nc_err(sim.ctx, NC_ERR_INVALID_VALUE, NC_ERR_TYPE_APP);

        nc_err_set_msg(e, "The requested schema was not found.", "en");
        return nc_server_reply_err(e);
    }
    if (mod->filepath)
        text = read_file(mod->filepath, NULL);
    if (!text && lys_print_mem(&text, mod, LYS_OUT_YANG, 0))
        return reply_error("cannot print the schema");
    return reply_text(rpc, text, LYD_ANYDATA_STRING);
}

/* --rpc-log: the request as XML, one per line group, for tests to read. */
static void
log_rpc(const struct lyd_node *rpc, const struct sim_dev *d)
{
    char *xml = NULL;
    FILE *f;

    if (!sim.rpc_log || lyd_print_mem(&xml, rpc, LYD_XML, LYD_PRINT_SHRINK))
        return;
    pthread_mutex_lock(&sim.log_lock);
    if ((f = fopen(sim.rpc_log, "a"))) {
        fprintf(f, "%s %s\n", d->name, xml);
        fclose(f);
    }
    pthread_mutex_unlock(&sim.log_lock);
    free(xml);
}

/* Operational data: state.xml, plus yang-library when the filter asks for it. */
static struct nc_server_reply *
rpc_state(struct lyd_node *rpc, const struct sim_dev *d)
{
    int want_yl, want_state;
    char *state = NULL, *all = NULL;

    log_rpc(rpc, d);
    filter_wants(rpc, &want_yl, &want_state);
    state = want_state ? dev_file(d, "state.xml", NULL) : strdup("");
    if (!state || asprintf(&all, "%s%s", want_yl ? sim.yanglib_xml : "", state) < 0)
        all = NULL;
    free(state);
    if (!all)
        return reply_error("simulator: out of memory");
    return reply_text(rpc, all, LYD_ANYDATA_XML);
}

static struct nc_server_reply *
rpc_clb(struct lyd_node *rpc, struct nc_session *session)
{
    const struct sim_dev *d = nc_session_get_data(session);
    const char *op = rpc->schema->name;
    struct lyd_node *src = NULL;

    if (!d)
        return reply_error("simulator: session without device");
    if (!strcmp(op, "get-config")) {
        const char *ds = "running";

        if (!lyd_find_path(rpc, "source", 0, &src) && lyd_child(src))
            ds = LYD_NAME(lyd_child(src));
        if (d->malformed)
            return reply_text(rpc, strdup("<interfaces xmlns=\"urn:x\"><interface><name>broken</nme>"),
                    LYD_ANYDATA_XML);
        if (!strcmp(ds, "candidate"))
            return reply_text(rpc, dev_file(d, "candidate.xml", "running.xml"), LYD_ANYDATA_XML);
        return reply_text(rpc, dev_file(d, "running.xml", NULL), LYD_ANYDATA_XML);
    }
    if (!strcmp(op, "get"))
        return rpc_state(rpc, d);
    if (!strcmp(op, "get-data")) {
        struct lyd_node *ds = NULL;

        lyd_find_path(rpc, "datastore", 0, &ds);
        if (ds && strstr(lyd_get_value(ds), "operational"))
            return rpc_state(rpc, d);
        return reply_text(rpc, dev_file(d, "running.xml", NULL), LYD_ANYDATA_XML);
    }
    if (!strcmp(op, "get-schema"))
        return rpc_get_schema(rpc);
    return nc_server_reply_ok();
}

static void *
accept_thread(void *arg)
{
    (void)arg;
    while (!sim.stop) {
        struct nc_session *s = NULL;

        accepting_dev = NULL;
        if (nc_accept(200, &s) != NC_MSG_HELLO)
            continue;
        nc_session_set_data(s, accepting_dev);
        if (nc_ps_add_session(sim.ps, s))
            nc_session_free(s, NULL);
    }
    nc_thread_destroy();
    return NULL;
}

static void *
poll_thread(void *arg)
{
    (void)arg;
    while (!sim.stop) {
        struct nc_session *s = NULL;
        int r = nc_ps_poll(sim.ps, sim.poll_ms, &s);

        if (r & (NC_PSPOLL_SESSION_TERM | NC_PSPOLL_SESSION_ERROR)) {
            if (s && !nc_ps_del_session(sim.ps, s))
                nc_session_free(s, NULL);
        }
        if (r & NC_PSPOLL_NOSESSIONS)
            usleep(1000);
        else if ((r & NC_PSPOLL_TIMEOUT) && sim.idle_us)
            usleep(sim.idle_us);
    }
    nc_thread_destroy();
    return NULL;
}

static int
dev_cmp(const void *a, const void *b)
{
    return strcmp(((const struct sim_dev *)a)->name, ((const struct sim_dev *)b)->name);
}

static int
add_dev(const char *name, const char *dir)
{
    struct sim_dev *d;
    char path[4200];
    char *s;

    d = realloc(sim.devs, (sim.n_devs + 1) * sizeof *d);
    if (!d)
        return -1;
    sim.devs = d;
    d = &sim.devs[sim.n_devs++];
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->dir, sizeof d->dir, "%s", dir);
    snprintf(path, sizeof path, "%s/hostkey", dir);
    if ((s = read_file(path, NULL))) {
        s[strcspn(s, "\r\n")] = '\0';
        snprintf(d->hostkey, sizeof d->hostkey, "%s", s);
        free(s);
    }
    snprintf(path, sizeof path, "%s/fault", dir);
    if ((s = read_file(path, NULL))) {
        d->malformed = strstr(s, "malformed") != NULL;
        free(s);
    }
    return 0;
}

static int
load_devices(const char *dir, const char *template, int count)
{
    char path[4200];

    if (template) {
        for (int i = 0; i < count; i++) {
            char name[32];

            snprintf(name, sizeof name, "sim%04d", i);
            if (add_dev(name, template))
                return -1;
        }
        return 0;
    }
    DIR *dh = opendir(dir);
    struct dirent *e;

    if (!dh) {
        fprintf(stderr, "ncsim: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(dh))) {
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) || !S_ISDIR(st.st_mode))
            continue;
        if (add_dev(e->d_name, path)) {
            closedir(dh);
            return -1;
        }
    }
    closedir(dh);
    qsort(sim.devs, sim.n_devs, sizeof *sim.devs, dev_cmp);
    return 0;
}

static int
setup_context(const char *modpath, int nmda)
{
    const char *feats[] = {"writable-running", "candidate", "rollback-on-error", "validate", "startup", "xpath", NULL};
    struct lyd_node *yl = NULL;

    if (ly_ctx_new(modpath, 0, &sim.ctx))
        return -1;
    if (!ly_ctx_load_module(sim.ctx, "ietf-netconf", NULL, feats) ||
            !ly_ctx_load_module(sim.ctx, "ietf-netconf-monitoring", NULL, NULL) ||
            !ly_ctx_load_module(sim.ctx, "ietf-netconf-with-defaults", NULL, NULL))
        return -1;
    if (nmda && !ly_ctx_load_module(sim.ctx, "ietf-netconf-nmda", NULL, NULL))
        return -1;
    /* Our own <get-schema>: set before nc_server_init() so it is kept. */
    const struct lysc_node *gs = lys_find_path(sim.ctx, NULL, "/ietf-netconf-monitoring:get-schema", 0);

    if (!gs)
        return -1;
    nc_set_rpc_callback(((struct lysc_node *)gs), rpc_clb);
    if (ly_ctx_get_yanglib_data(sim.ctx, &yl, "%u", ly_ctx_get_change_count(sim.ctx)) ||
            lyd_print_mem(&sim.yanglib_xml, yl, LYD_XML, LYD_PRINT_WITHSIBLINGS | LYD_PRINT_SHRINK)) {
        lyd_free_all(yl);
        return -1;
    }
    lyd_free_all(yl);
    return 0;
}

static void
usage(void)
{
    fprintf(stderr, "usage: ncsim --dir DIR | --template DIR --count N, --base-port P --hostkey KEY --user U\n"
            "             [--address A] [--password-file F] [--authorized-key PUB]... [--ports-out FILE] [--modpath DIR]\n"
            "             [--no-nmda] [--threads N] [--capability URI]... [--rpc-log FILE]\n");
}

int
main(int argc, char **argv)
{
    const char *dir = NULL, *template = NULL, *ports_out = NULL, *modpath = NULL, *address = "127.0.0.1";
    int count = 0, base_port = 0, nmda = 1, threads = 2, rc = 1;
    pthread_t *tids = NULL;
    const char *caps[64];
    int n_caps = 0;
    struct sigaction sa;
    struct rlimit rl;
    FILE *f;

    /* One Junos device on stdin/stdout, as an sshd subsystem (ncsim_junos.c). */
    if (argc == 3 && !strcmp(argv[1], "--junos-stdio"))
        return ncsim_junos_stdio(argv[2]);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--no-nmda")) {
            nmda = 0;
            continue;
        }
        if (!v) {
            usage();
            return 2;
        }
        i++;
        if (!strcmp(a, "--dir"))
            dir = v;
        else if (!strcmp(a, "--template"))
            template = v;
        else if (!strcmp(a, "--count"))
            count = atoi(v);
        else if (!strcmp(a, "--address"))
            address = v;
        else if (!strcmp(a, "--base-port"))
            base_port = atoi(v);
        else if (!strcmp(a, "--hostkey"))
            snprintf(sim.hostkey, sizeof sim.hostkey, "%s", v);
        else if (!strcmp(a, "--user"))
            snprintf(sim.user, sizeof sim.user, "%s", v);
        else if (!strcmp(a, "--password-file")) {
            char *p = read_file(v, NULL);

            if (!p) {
                fprintf(stderr, "ncsim: cannot read %s\n", v);
                return 2;
            }
            p[strcspn(p, "\r\n")] = '\0';
            snprintf(sim.password, sizeof sim.password, "%s", p);
            free(p);
        } else if (!strcmp(a, "--authorized-key")) {
            if (sim.n_authkeys == SIM_MAX_KEYS || ssh_pki_import_pubkey_file(v, &sim.authkeys[sim.n_authkeys])) {
                fprintf(stderr, "ncsim: cannot read public key %s\n", v);
                return 2;
            }
            sim.n_authkeys++;
        } else if (!strcmp(a, "--ports-out"))
            ports_out = v;
        else if (!strcmp(a, "--modpath"))
            modpath = v;
        else if (!strcmp(a, "--capability")) {
            if (n_caps < 64)
                caps[n_caps++] = v;
        } else if (!strcmp(a, "--poll-ms"))
            sim.poll_ms = atoi(v);
        else if (!strcmp(a, "--idle-us"))
            sim.idle_us = atoi(v);
        else if (!strcmp(a, "--rpc-log"))
            sim.rpc_log = v;
        else if (!strcmp(a, "--threads"))
            threads = atoi(v) > 0 ? atoi(v) : 1;
        else {
            usage();
            return 2;
        }
    }
    if ((!dir && !template) || (template && count <= 0) || base_port <= 0 || !sim.hostkey[0] || !sim.user[0]) {
        usage();
        return 2;
    }
    if (!modpath)
        modpath = "/usr/share/yuma/modules/ietf";
    if (sim.poll_ms <= 0 && !sim.idle_us)
        sim.poll_ms = 1;

    /* A port per device: raise the descriptor limit to the hard one. */
    if (!getrlimit(RLIMIT_NOFILE, &rl)) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    nc_verbosity(NC_VERB_ERROR);
    /* Optional RPC parameters are looked up by path: a miss is not an error. */
    ly_log_options(LY_LOSTORE_LAST);
    if (load_devices(dir, template, count) || !sim.n_devs) {
        fprintf(stderr, "ncsim: no devices\n");
        goto cleanup;
    }
    if (setup_context(modpath, nmda)) {
        fprintf(stderr, "ncsim: cannot load the NETCONF modules from %s\n", modpath);
        goto cleanup;
    }
    nc_set_global_rpc_clb(rpc_clb);
    if (nc_server_init(sim.ctx))
        goto cleanup;
    nc_server_set_idle_timeout(30);
    for (int i = 0; i < n_caps; i++)
        nc_server_set_capability(caps[i]);
    nc_server_ssh_set_hostkey_clb(hostkey_clb, NULL, NULL);
    nc_server_ssh_set_passwd_auth_clb(passwd_clb, NULL, NULL);
    nc_server_ssh_set_pubkey_auth_clb(pubkey_clb, NULL, NULL);
    for (size_t i = 0; i < sim.n_devs; i++) {
        struct sim_dev *d = &sim.devs[i];

        d->port = base_port + i;
        if (nc_server_add_endpt(d->name, NC_TI_LIBSSH) || nc_server_endpt_set_address(d->name, address) ||
                nc_server_endpt_set_port(d->name, d->port) ||
                nc_server_ssh_endpt_add_hostkey(d->name, d->name, -1) ||
                nc_server_ssh_endpt_set_auth_methods(d->name, NC_SSH_AUTH_PUBLICKEY | NC_SSH_AUTH_PASSWORD) ||
                nc_server_ssh_endpt_set_auth_timeout(d->name, 10)) {
            fprintf(stderr, "ncsim: cannot listen on %s:%u for %s\n", address, d->port, d->name);
            goto cleanup;
        }
    }
    sim.ps = nc_ps_new();
    if (!sim.ps)
        goto cleanup;
    tids = calloc(2 * threads, sizeof *tids);
    if (!tids)
        goto cleanup;
    for (int i = 0; i < threads; i++) {
        pthread_create(&tids[2 * i], NULL, accept_thread, NULL);
        pthread_create(&tids[2 * i + 1], NULL, poll_thread, NULL);
    }
    if (ports_out) {
        char tmp[4200];

        snprintf(tmp, sizeof tmp, "%s.tmp", ports_out);
        if ((f = fopen(tmp, "w"))) {
            for (size_t i = 0; i < sim.n_devs; i++)
                fprintf(f, "%s %u\n", sim.devs[i].name, sim.devs[i].port);
            fclose(f);
            rename(tmp, ports_out);
        }
    }
    while (!sim.stop)
        usleep(100 * 1000);
    for (int i = 0; i < 2 * threads; i++)
        pthread_join(tids[i], NULL);
    rc = 0;

cleanup:
    free(tids);
    if (sim.ps) {
        nc_ps_clear(sim.ps, 1, NULL);
        nc_ps_free(sim.ps);
    }
    nc_server_destroy();
    for (int i = 0; i < sim.n_authkeys; i++)
        ssh_key_free(sim.authkeys[i]);
    free(sim.yanglib_xml);
    free(sim.devs);
    ly_ctx_destroy(sim.ctx);
    return rc;
}
