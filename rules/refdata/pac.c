/**
 * @file pac.c
 * @brief Proxy PAC files: loading, the inventory's DNS answers, and the
 * parent side of evaluation.
 *
 * pac_eval() forks one child per evaluation (all the hosts of an audit at
 * once); the child runs pac_engine_run() (pac_engine.c) and writes its
 * records on a pipe. The hosts reach the child in the memory fork copies,
 * so the parent never blocks writing to a child that hangs. The parent
 * reads with a deadline and kills the child when it passes; hosts without
 * a record get the reason.
 */
#define _GNU_SOURCE /* pipe2 */
#include "pac.h"
#include "pac_engine.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
pac_load_fp(FILE *f, const char *path, struct pac **out, struct er_err *err)
{
    struct stat st;
    char *buf;
    size_t got;
    er_code rc;

    *out = NULL;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
        return er_set(err, ER_EINVAL, "%s: the PAC file is not a regular file", path);
    /* Refused by its size before any of it is read. */
    if (st.st_size > (off_t)PAC_MAX_SIZE)
        return er_set(err, ER_EINVAL, "%s: PAC file of %jd bytes, larger than %u bytes", path, (intmax_t)st.st_size,
                PAC_MAX_SIZE);
    if (!(buf = malloc((size_t)st.st_size + 1)))
        return er_set(err, ER_ENOMEM, "out of memory");
    got = fread(buf, 1, (size_t)st.st_size, f);
    if (ferror(f)) {
        free(buf);
        return er_set(err, ER_EIO, "%s: cannot read the PAC file: %s", path, strerror(errno));
    }
    rc = pac_load_mem(path, buf, got, out, err);
    free(buf);
    return rc;
}

er_code
pac_load(const char *path, struct pac **out, struct er_err *err)
{
    FILE *f;
    int fd;
    er_code rc;

    *out = NULL;
    /* O_NONBLOCK: a FIFO opens at once and is refused by its type */
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0 || !(f = fdopen(fd, "r"))) {
        rc = er_set(err, ER_EIO, "%s: cannot read the PAC file: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    rc = pac_load_fp(f, path, out, err);
    fclose(f);
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
    dns = pac_engine_dns(p->names, p->addrs, p->n_hosts, p->client);
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
        struct pac_job job = {.path = p->path, .text = p->text, .dns = dns, .client = p->client, .hosts = hosts,
            .n = n, .seconds = p->seconds, .memory = p->memory};

        close(fds[0]);
        pac_engine_run(&job, fds[1]);
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
