/**
 * @file pac_engine.c
 * @brief The child side of PAC evaluation: limits, DNS helpers, libpacparser.
 *
 * Everything here runs in the child pac_eval() forks (but pac_engine_dns(),
 * which the parent calls before forking): the only file that calls
 * libpacparser. The child sets its limits, replaces the DNS helpers with
 * answers from the inventory (PAC_PRELUDE), reads the PAC, wraps
 * FindProxyForURL (PAC_POSTLUDE) and writes one record per host on a pipe:
 * "R<result>\n" or "E<reason>\n", after a first record for the file
 * ("P\n" read, "E<error>\n" not).
 */
#include "pac_engine.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <pacparser.h>

#if defined(__SANITIZE_ADDRESS__)
#define PAC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PAC_ASAN 1
#endif
#endif

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

char *
pac_engine_dns(char *const *names, char *const *addrs, size_t n_hosts, const char *client)
{
    char *s = NULL;
    size_t n = 0, i;
    FILE *f = open_memstream(&s, &n);

    if (!f)
        return NULL;
    for (i = 0; i < n_hosts; i++) {
        fputs("__eraudit.hosts[", f);
        js_str(f, names[i]);
        fputs("] = ", f);
        js_str(f, addrs[i]);
        fputs(";\n", f);
    }
    if (client) {
        fputs("__eraudit.client = ", f);
        js_str(f, client);
        fputs(";\n", f);
    }
    if (fclose(f)) {
        free(s);
        return NULL;
    }
    return s;
}

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
child_error(int fd, const struct pac_job *p, const char *fallback)
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
child_limits(const struct pac_job *p)
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

void
pac_engine_run(const struct pac_job *p, int fd)
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
    if (!pacparser_parse_pac_string(PAC_PRELUDE) || !pacparser_parse_pac_string(p->dns)) {
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
    for (i = 0; i < p->n; i++) {
        snprintf(url, sizeof url, "https://%s/", p->hosts[i]);
        child_err_set = 0;
        r = pacparser_find_proxy(url, p->hosts[i]);
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

