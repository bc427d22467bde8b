/**
 * @file pac.c
 * @brief Proxy PAC files run by libpacparser in a limited child process.
 *
 * The parent forks one child per evaluation (all the hosts of an audit at
 * once). The child sets its limits, replaces the DNS helpers with answers
 * from the inventory (PAC_PRELUDE), reads the PAC, wraps FindProxyForURL
 * (PAC_POSTLUDE) and writes one record per host on a pipe:
 * "R<result>\n" or "E<reason>\n", after a first record for the file
 * ("P\n" read, "E<error>\n" not). The parent reads with a deadline and
 * kills the child when it passes; hosts without a record get the reason.
 */
#define _GNU_SOURCE /* pipe2 */
#include "pac.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pacparser.h>

#if defined(__SANITIZE_ADDRESS__)
#define PAC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PAC_ASAN 1
#endif
#endif

struct pac {
    char *path;
    char *text;
    char *client;            /* what myIpAddress() answers, or NULL */
    char **names, **addrs;   /* what dnsResolve() answers */
    size_t n_hosts;
    unsigned seconds;
    size_t memory;
};

struct pac_run {
    size_t n;
    char **result;           /* per host: the result, or NULL */
    char **why;              /* per host: why there is none */
    char *error;             /* the file could not be evaluated at all */
};

/*
 * Runs before the PAC. Nothing here may reach the network: every helper
 * that would ask DNS or the host's own address answers from the inventory
 * or notes what it was asked (the host's verdict then says so).
 */
static const char PAC_PRELUDE[] =
    "var __eraudit = {hosts: {}, client: null, asked: [], top: []};\n"
    "__eraudit.ask = function (what) {\n"
    "  for (var i = 0; i < __eraudit.asked.length; i++) if (__eraudit.asked[i] == what) return;\n"
    "  __eraudit.asked.push(what);\n"
    "};\n"
    "__eraudit.resolve = function (name) {\n"
    "  name = String(name).toLowerCase();\n"
    "  if (/^[0-9]{1,3}(\\.[0-9]{1,3}){3}$/.test(name) || name.indexOf(':') >= 0) return name;\n"
    "  if (Object.prototype.hasOwnProperty.call(__eraudit.hosts, name)) return __eraudit.hosts[name];\n"
    "  __eraudit.ask('DNS for ' + name);\n"
    "  return null;\n"
    "};\n"
    "__eraudit.me = function () {\n"
    "  if (__eraudit.client != null) return __eraudit.client;\n"
    "  __eraudit.ask('myIpAddress()');\n"
    "  return '127.0.0.1';\n"
    "};\n"
    "dnsResolve = function (host) { return __eraudit.resolve(host); };\n"
    "dnsResolveEx = function (host) { var a = __eraudit.resolve(host); return a == null ? '' : a; };\n"
    "isResolvable = function (host) { return __eraudit.resolve(host) != null; };\n"
    "isResolvableEx = function (host) { return __eraudit.resolve(host) != null; };\n"
    "myIpAddress = function () { return __eraudit.me(); };\n"
    "myIpAddressEx = function () { return __eraudit.me(); };\n"
    "alert = function () {};\n";

/*
 * Runs after the PAC: picks FindProxyForURLEx when defined and wraps the
 * entry point so a host whose answer needed something the inventory does
 * not declare, or that returns no string, is told apart ("\1" + reason).
 * The PAC's own FindProxyForURL is back in place while it runs, so a
 * FindProxyForURLEx that calls it reaches the PAC's function.
 */
static const char PAC_POSTLUDE[] =
    "(function () {\n"
    "  var plain = typeof FindProxyForURL == 'function' ? FindProxyForURL : null;\n"
    "  var f = typeof FindProxyForURLEx == 'function' ? FindProxyForURLEx : plain;\n"
    "  if (!f) throw 'ERAUDIT-NO-FUNCTION';\n"
    "  __eraudit.top = __eraudit.asked.slice(0);\n"
    "  var wrap = function (url, host) {\n"
    "    var r;\n"
    "    __eraudit.asked = __eraudit.top.slice(0);\n"
    "    FindProxyForURL = plain;\n"
    "    try { r = f(url, host); } finally { FindProxyForURL = wrap; }\n"
    "    if (__eraudit.asked.length)\n"
    "      return '\\1the PAC needs ' + __eraudit.asked.join(', ') + ', which the inventory does not declare"
    " (services: pac-hosts, pac-client-address)';\n"
    "    if (r instanceof String) r = String(r);\n"
    "    if (typeof r != 'string') return '\\1FindProxyForURL returned ' + (r === null ? 'null' : typeof r) +"
    " ', not a string';\n"
    "    return r;\n"
    "  };\n"
    "  FindProxyForURL = wrap;\n"
    "})();\n";

/* ---- loading ---- */

er_code
pac_load_mem(const char *name, const char *buf, size_t len, struct pac **out, struct er_err *err)
{
    struct pac *p;

    *out = NULL;
    if (len > PAC_MAX_SIZE)
        return er_set(err, ER_EINVAL, "%s: PAC file larger than %u bytes", name, PAC_MAX_SIZE);
    if (memchr(buf, '\0', len))
        return er_set(err, ER_EINVAL, "%s: PAC file contains a NUL byte (expected JavaScript text)", name);
    p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(name)) || !(p->text = malloc(len + 1))) {
        pac_free(p);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    if (len)
        memcpy(p->text, buf, len);
    p->text[len] = '\0';
    p->seconds = PAC_DEFAULT_SECONDS;
    p->memory = PAC_DEFAULT_MEMORY;
    *out = p;
    return ER_OK;
}

er_code
pac_load(const char *path, struct pac **out, struct er_err *err)
{
    struct stat st;
    char *buf;
    ssize_t got = 0, r;
    int fd;
    er_code rc;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return er_set(err, ER_EIO, "%s: cannot read the PAC file: %s", path, strerror(errno));
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return er_set(err, ER_EINVAL, "%s: the PAC file is not a regular file", path);
    }
    if (st.st_size > (off_t)PAC_MAX_SIZE) {
        close(fd);
        return er_set(err, ER_EINVAL, "%s: PAC file larger than %u bytes", path, PAC_MAX_SIZE);
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        close(fd);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    while (got < st.st_size && (r = read(fd, buf + got, (size_t)(st.st_size - got))) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = er_set(err, ER_EIO, "%s: cannot read the PAC file: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return rc;
        }
        got += r;
    }
    close(fd);
    rc = pac_load_mem(path, buf, (size_t)got, out, err);
    free(buf);
    return rc;
}

void
pac_free(struct pac *p)
{
    size_t i;

    if (!p)
        return;
    for (i = 0; i < p->n_hosts; i++) {
        free(p->names[i]);
        free(p->addrs[i]);
    }
    free(p->names);
    free(p->addrs);
    free(p->client);
    free(p->text);
    free(p->path);
    free(p);
}

static int
is_address(const char *s)
{
    unsigned char b[16];

    return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

er_code
pac_set_client_address(struct pac *p, const char *addr, struct er_err *err)
{
    char *c;

    if (!is_address(addr))
        return er_set(err, ER_EINVAL, "pac-client-address '%s': expected an IPv4 or IPv6 address", addr);
    if (!(c = strdup(addr)))
        return er_set(err, ER_ENOMEM, "out of memory");
    free(p->client);
    p->client = c;
    return ER_OK;
}

er_code
pac_add_host(struct pac *p, const char *name, const char *addr, struct er_err *err)
{
    char **n, **a;
    size_t i;

    if (!is_address(addr))
        return er_set(err, ER_EINVAL, "pac-hosts: '%s: %s': expected an IPv4 or IPv6 address", name, addr);
    n = realloc(p->names, (p->n_hosts + 1) * sizeof *n);
    if (n)
        p->names = n;
    a = n ? realloc(p->addrs, (p->n_hosts + 1) * sizeof *a) : NULL;
    if (a)
        p->addrs = a;
    if (!n || !a || !(p->names[p->n_hosts] = strdup(name)))
        return er_set(err, ER_ENOMEM, "out of memory");
    if (!(p->addrs[p->n_hosts] = strdup(addr))) {
        free(p->names[p->n_hosts]);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    for (i = 0; p->names[p->n_hosts][i]; i++)
        p->names[p->n_hosts][i] = (char)tolower((unsigned char)p->names[p->n_hosts][i]);
    p->n_hosts++;
    return ER_OK;
}

void
pac_set_limits(struct pac *p, unsigned seconds, size_t memory)
{
    p->seconds = seconds ? seconds : 1;
    p->memory = memory;
}

const char *
pac_path(const struct pac *p)
{
    return p->path;
}

int
pac_is_direct(const char *result)
{
    size_t n;

    while (isspace((unsigned char)*result))
        result++;
    for (n = 0; result[n] && result[n] != ';'; n++)
        ;
    while (n && isspace((unsigned char)result[n - 1]))
        n--;
    return n == 6 && !strncasecmp(result, "DIRECT", 6);
}

/* ---- the child ---- */

/* The engine's first error message since the last reset ("PAC script:3:\n    TypeError: ..."). */
static char child_err[1024];
static int child_err_set;

static int
child_printer(const char *fmt, va_list ap)
{
    char buf[sizeof child_err];

    vsnprintf(buf, sizeof buf, fmt, ap);
    if (!strncmp(buf, "DEBUG:", 6) || !strncmp(buf, "WARNING:", 8))
        return 0;
    /* JSERROR messages carry the line; pacparser's own follow them ("Problem in executing...") */
    if (!child_err_set || (!strncmp(buf, "JSERROR:", 8) && strncmp(child_err, "JSERROR:", 8))) {
        memcpy(child_err, buf, sizeof buf);
        child_err_set = 1;
    }
    return 0;
}

static void
child_write(int fd, const char *s, size_t n)
{
    ssize_t w;

    while (n) {
        w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        s += w;
        n -= (size_t)w;
    }
}

/* One record: KIND, TEXT on one line (control characters become spaces, long texts are cut), newline. */
static void
child_record(int fd, char kind, const char *text)
{
    char buf[1100];
    size_t n = 0;

    buf[n++] = kind;
    for (; text && *text && n < sizeof buf - 5; text++)
        buf[n++] = (unsigned char)*text < 0x20 || *text == 0x7f ? ' ' : *text;
    if (text && *text) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n++] = '\n';
    child_write(fd, buf, n);
}

/* The engine's error as "FILE:LINE: message" (pacparser names every script "PAC script"). */
static void
child_error(int fd, const struct pac *p, const char *fallback)
{
    char msg[1400], *s = child_err, *line_end;
    long line = 0;

    if (!child_err_set) {
        child_record(fd, 'E', fallback);
        return;
    }
    if (!strncmp(s, "JSERROR: PAC script:", 20)) {
        line = strtol(s + 20, &line_end, 10);
        s = line_end;
        while (*s == ':' || isspace((unsigned char)*s))
            s++;
    } else if (!strncmp(s, "pacparser.c: ", 13)) {
        s = strchr(s + 13, ':') ? strchr(s + 13, ':') + 1 : s + 13;
        while (isspace((unsigned char)*s))
            s++;
    }
    line_end = s + strlen(s);
    while (line_end > s && isspace((unsigned char)line_end[-1]))
        *--line_end = '\0';
    if (line > 0)
        snprintf(msg, sizeof msg, "%s:%ld: %s", p->path, line, s);
    else
        snprintf(msg, sizeof msg, "%s: %s", p->path, *s ? s : fallback);
    child_record(fd, 'E', msg);
}

static void
child_limits(const struct pac *p)
{
    struct rlimit rl = {0, 0};
    sigset_t all;
    static const int sigs[] = {SIGALRM, SIGXCPU, SIGTERM, SIGINT, SIGPIPE, SIGSEGV, SIGBUS, SIGABRT};
    size_t i;

    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
    setrlimit(RLIMIT_CORE, &rl);
    rl.rlim_cur = rl.rlim_max = p->seconds + 1;
    setrlimit(RLIMIT_CPU, &rl);
#ifndef PAC_ASAN
    /* The child starts with the parent's address space: the limit is on what it adds. */
    if (p->memory) {
        char buf[64];
        int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
        ssize_t got = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
        unsigned long long pages;

        if (fd >= 0)
            close(fd);
        if (got > 0) {
            buf[got] = '\0';
            pages = strtoull(buf, NULL, 10);
            rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + p->memory;
            setrlimit(RLIMIT_AS, &rl);
        }
    }
#endif
    alarm(p->seconds);
}

static void
child_main(const struct pac *p, const char *dns, const char *const *hosts, size_t n, int fd)
{
    char url[600];
    const char *r;
    size_t i;

    child_limits(p);
    pacparser_set_error_printer(child_printer);
    if (!pacparser_init()) {
        child_record(fd, 'E', "the PAC engine (libpacparser) could not start");
        _exit(0);
    }
    pacparser_enable_microsoft_extensions();
    /* The natives are replaced below; should one be reached anyway, it must not look the host up either. */
    pacparser_setmyip(p->client ? p->client : "127.0.0.1");
    if (!pacparser_parse_pac_string(PAC_PRELUDE) || !pacparser_parse_pac_string(dns)) {
        child_record(fd, 'E', "the PAC engine refused eraudit's DNS helpers (a bug)");
        _exit(0);
    }
    child_err_set = 0;
    if (!pacparser_parse_pac_string(p->text)) {
        child_error(fd, p, "the PAC engine could not read the file");
        _exit(0);
    }
    if (!pacparser_parse_pac_string(PAC_POSTLUDE)) {
        if (strstr(child_err, "ERAUDIT-NO-FUNCTION")) {
            snprintf(url, sizeof url, "%s: the PAC file defines no FindProxyForURL function", p->path);
            child_record(fd, 'E', url);
        } else {
            child_error(fd, p, "the PAC engine could not wrap FindProxyForURL");
        }
        _exit(0);
    }
    child_write(fd, "P\n", 2);
    for (i = 0; i < n; i++) {
        snprintf(url, sizeof url, "https://%s/", hosts[i]);
        child_err_set = 0;
        r = pacparser_find_proxy(url, hosts[i]);
        if (!r) {
            child_error(fd, p, "FindProxyForURL failed");
        } else if (r[0] == '\1') {
            child_record(fd, 'E', r + 1);
        } else {
            child_record(fd, 'R', r);
        }
    }
    _exit(0);
}

/* ---- the parent ---- */

/* A JavaScript string literal of @p s appended to @p f. */
static void
js_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            fprintf(f, "\\x%02x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

/* The inventory's answers as a script run after PAC_PRELUDE. */
static char *
dns_script(const struct pac *p)
{
    char *s = NULL;
    size_t n = 0, i;
    FILE *f = open_memstream(&s, &n);

    if (!f)
        return NULL;
    for (i = 0; i < p->n_hosts; i++) {
        fputs("__eraudit.hosts[", f);
        js_str(f, p->names[i]);
        fputs("] = ", f);
        js_str(f, p->addrs[i]);
        fputs(";\n", f);
    }
    if (p->client) {
        fputs("__eraudit.client = ", f);
        js_str(f, p->client);
        fputs(";\n", f);
    }
    if (fclose(f)) {
        free(s);
        return NULL;
    }
    return s;
}

static double
mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read the child's records until EOF or the deadline; 1 when the deadline passed. */
static int
read_child(int fd, double deadline, char **buf, size_t *len, size_t *cap)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    ssize_t r;
    double left;
    char *nb;

    for (;;) {
        left = deadline - mono();
        if (left <= 0)
            return 1;
        r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            continue;
        if (*len + 4096 > *cap) {
            nb = realloc(*buf, *cap * 2 + 4096);
            if (!nb)
                return 0;
            *buf = nb;
            *cap = *cap * 2 + 4096;
        }
        r = read(fd, *buf + *len, *cap - *len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 0;
        *len += (size_t)r;
    }
}

static er_code
run_alloc(size_t n, struct pac_run **out, struct er_err *err)
{
    struct pac_run *run = calloc(1, sizeof *run);

    if (!run || !(run->result = calloc(n + 1, sizeof *run->result)) ||
            !(run->why = calloc(n + 1, sizeof *run->why))) {
        pac_run_free(run);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    run->n = n;
    *out = run;
    return ER_OK;
}

/* Fill @p run from the records in @p buf; hosts without one get @p missing. */
static er_code
run_fill(struct pac_run *run, char *buf, const char *missing, struct er_err *err)
{
    char *line = buf, *nl;
    size_t i = 0;
    int first = 1;

    while ((nl = strchr(line, '\n'))) {
        *nl = '\0';
        if (first) {
            first = 0;
            if (line[0] != 'P' && !(run->error = strdup(line[0] == 'E' ? line + 1 : "bad record from the child")))
                return er_set(err, ER_ENOMEM, "out of memory");
        } else if (i < run->n) {
            if (!(line[0] == 'R' ? (run->result[i] = strdup(line + 1)) : (run->why[i] = strdup(line + 1))))
                return er_set(err, ER_ENOMEM, "out of memory");
            i++;
        }
        line = nl + 1;
    }
    if (first && !(run->error = strdup(missing)))
        return er_set(err, ER_ENOMEM, "out of memory");
    for (; i < run->n; i++) {
        if (!(run->why[i] = strdup(run->error ? run->error : missing)))
            return er_set(err, ER_ENOMEM, "out of memory");
    }
    return ER_OK;
}

er_code
pac_eval(const struct pac *p, const char *const *hosts, size_t n, struct pac_run **out, struct er_err *err)
{
    int fds[2], status = 0, late;
    char *dns, *buf, missing[200];
    size_t len = 0, cap = 8192;
    struct pac_run *run = NULL;
    pid_t pid;
    er_code rc;

    *out = NULL;
    if ((rc = run_alloc(n, &run, err)))
        return rc;
    dns = dns_script(p);
    buf = malloc(cap);
    if (!dns || !buf) {
        free(dns);
        free(buf);
        pac_run_free(run);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    if (pipe2(fds, O_CLOEXEC)) {
        rc = er_set(err, ER_EIO, "%s: cannot evaluate the PAC file: pipe: %s", p->path, strerror(errno));
        goto done;
    }
    pid = fork();
    if (pid < 0) {
        rc = er_set(err, ER_EIO, "%s: cannot evaluate the PAC file: fork: %s", p->path, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        goto done;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(p, dns, hosts, n, fds[1]);
    }
    close(fds[1]);
    late = read_child(fds[0], mono() + p->seconds + 1, &buf, &len, &cap);
    close(fds[0]);
    if (late)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    buf[len] = '\0';
    if (late || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGALRM || WTERMSIG(status) == SIGXCPU ||
            WTERMSIG(status) == SIGKILL)))
        snprintf(missing, sizeof missing, "PAC evaluation timed out after %u s", p->seconds);
    else if (WIFSIGNALED(status))
        snprintf(missing, sizeof missing, "the PAC engine stopped on signal %d (%s)", WTERMSIG(status),
                strsignal(WTERMSIG(status)));
    else
        snprintf(missing, sizeof missing, "the PAC engine stopped before answering (exit %d)",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    rc = run_fill(run, buf, missing, err);
done:
    free(dns);
    free(buf);
    if (rc)
        pac_run_free(run);
    else
        *out = run;
    return rc;
}

const char *
pac_find(const struct pac_run *run, size_t i, const char **why)
{
    if (why)
        *why = i < run->n ? run->why[i] : "no such host in the run";
    return i < run->n ? run->result[i] : NULL;
}

const char *
pac_run_error(const struct pac_run *run)
{
    return run->error;
}

void
pac_run_free(struct pac_run *run)
{
    size_t i;

    if (!run)
        return;
    for (i = 0; i < run->n; i++) {
        free(run->result ? run->result[i] : NULL);
        free(run->why ? run->why[i] : NULL);
    }
    free(run->result);
    free(run->why);
    free(run->error);
    free(run);
}
