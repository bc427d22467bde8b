/**
 * @file progress.c
 * @brief Collection progress: one status line on a terminal, plain lines in
 * a log, messages always on lines of their own.
 *
 * One process-wide state under one mutex: the collectors' threads (the
 * NETCONF pool, the SNMP loop and its writer) report into it, and a ticker
 * thread redraws the line each second (so the elapsed time and the devices
 * still pending show while one waits out its timeout) or prints the plain
 * line every interval.
 */
#include "progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* Devices named on the line once this few remain. */
#define PROGRESS_NAME_PENDING 5

enum { U_WAITING, U_RUNNING, U_ENDED };

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int on;                  /* between begin and end, showing something */
    int terminal;            /* terminal style (else plain) */
    int drawn;               /* a status line is on the screen (terminal style) */
    int stopping;
    pthread_t ticker;
    int ticking;
    struct progress_unit *units;
    unsigned char *state;
    size_t n, ended, failed;
    unsigned interval_s;
    struct timespec t0, drawn_at;
} pg = {.lock = PTHREAD_MUTEX_INITIALIZER};

static double
since(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* The status text, without line control. */
static void
pg_format(char *buf, size_t size, int final)
{
    size_t len;
    int k;

    k = snprintf(buf, size, "collect: %zu/%zu done (%zu failed)%s %.0f s", pg.ended, pg.n, pg.failed,
            final ? " in" : ",", since(&pg.t0));
    len = k < 0 ? 0 : (size_t)k < size ? (size_t)k : size - 1;
    if (final || pg.n - pg.ended > PROGRESS_NAME_PENDING)
        return;
    /* The last ones: running before waiting, so a device that waits out
     * its timeout is named. */
    for (int pass = U_RUNNING, first = 1; pass >= U_WAITING && len + 1 < size; pass--) {
        for (size_t i = 0; i < pg.n && len + 1 < size; i++) {
            if (pg.state[i] != pass)
                continue;
            k = snprintf(buf + len, size - len, "%s%s (%s)", first ? ", waiting for " : ", ", pg.units[i].name,
                    pg.units[i].proto);
            len = k < 0 ? len : len + (size_t)k < size ? len + (size_t)k : size - 1;
            first = 0;
        }
    }
}

/* Draw the line (lock held). */
static void
pg_draw(int final)
{
    char line[1024];
    struct winsize ws;

    pg_format(line, sizeof line, final);
    clock_gettime(CLOCK_MONOTONIC, &pg.drawn_at);
    if (!pg.terminal) {
        fprintf(stderr, "eraudit: %s\n", line);
        return;
    }
    /* A line longer than the terminal wraps, and \r would then redraw only
     * its last row. */
    if (isatty(2) && !ioctl(2, TIOCGWINSZ, &ws) && ws.ws_col > 1 && ws.ws_col - 1 < (int)sizeof line)
        line[ws.ws_col - 1] = '\0';
    fprintf(stderr, "\r%s\033[K%s", line, final ? "\n" : "");
    pg.drawn = !final;
}

static void *
pg_tick(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pg.lock);
    while (!pg.stopping) {
        struct timespec until;

        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += pg.terminal ? 1 : (time_t)pg.interval_s;
        pthread_cond_timedwait(&pg.wake, &pg.lock, &until);
        if (!pg.stopping && pg.on)
            pg_draw(0);
    }
    pthread_mutex_unlock(&pg.lock);
    return NULL;
}

int
progress_parse_mode(const char *s)
{
    if (!strcmp(s, "auto"))
        return PROGRESS_AUTO;
    if (!strcmp(s, "always"))
        return PROGRESS_ALWAYS;
    if (!strcmp(s, "never"))
        return PROGRESS_NEVER;
    return -2;
}

int
progress_begin(const struct progress_unit *units, size_t n, enum progress_mode mode, unsigned interval_s)
{
    pthread_condattr_t ca;
    const char *env = getenv("ERAUDIT_PROGRESS_INTERVAL");
    int rc = 0;

    pthread_mutex_lock(&pg.lock);
    if (pg.on || mode == PROGRESS_NEVER || !n)
        goto done;
    pg.units = calloc(n, sizeof *pg.units);
    pg.state = calloc(n, 1);
    if (!pg.units || !pg.state) {
        free(pg.units);
        free(pg.state);
        pg.units = NULL;
        pg.state = NULL;
        rc = -1;
        goto done;
    }
    memcpy(pg.units, units, n * sizeof *units);
    pg.n = n;
    pg.ended = pg.failed = 0;
    pg.terminal = mode == PROGRESS_ALWAYS || isatty(2);
    pg.interval_s = interval_s ? interval_s : env && atoi(env) > 0 ? (unsigned)atoi(env) : 10;
    pg.drawn = pg.stopping = 0;
    clock_gettime(CLOCK_MONOTONIC, &pg.t0);
    pg.on = 1;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&pg.wake, &ca);
    pthread_condattr_destroy(&ca);
    pg.ticking = !pthread_create(&pg.ticker, NULL, pg_tick, NULL);
    if (pg.terminal)
        pg_draw(0);
done:
    pthread_mutex_unlock(&pg.lock);
    return rc;
}

void
progress_report(const char *name, const char *proto, enum progress_event ev)
{
    pthread_mutex_lock(&pg.lock);
    for (size_t i = 0; pg.on && i < pg.n; i++) {
        if (pg.state[i] == U_ENDED || strcmp(pg.units[i].name, name) || strcmp(pg.units[i].proto, proto))
            continue;
        if (ev == PROGRESS_STARTED) {
            pg.state[i] = U_RUNNING;
        } else {
            pg.state[i] = U_ENDED;
            pg.ended++;
            pg.failed += ev == PROGRESS_FAILED;
        }
        /* A terminal is redrawn at most ten times a second, and whenever
         * the pending devices are few enough to be named. */
        if (pg.terminal && (pg.n - pg.ended <= PROGRESS_NAME_PENDING || since(&pg.drawn_at) >= 0.1))
            pg_draw(0);
        break;
    }
    pthread_mutex_unlock(&pg.lock);
}

void
progress_msg(const char *fmt, ...)
{
    va_list ap;
    size_t len = strlen(fmt);

    pthread_mutex_lock(&pg.lock);
    if (pg.drawn)
        fputs("\r\033[K", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (!len || fmt[len - 1] != '\n')
        fputc('\n', stderr);
    if (pg.drawn)
        pg_draw(0);
    pthread_mutex_unlock(&pg.lock);
}

void
progress_end(void)
{
    pthread_mutex_lock(&pg.lock);
    if (!pg.on) {
        pthread_mutex_unlock(&pg.lock);
        return;
    }
    pg.stopping = 1;
    pthread_cond_signal(&pg.wake);
    pthread_mutex_unlock(&pg.lock);
    if (pg.ticking)
        pthread_join(pg.ticker, NULL);
    pthread_mutex_lock(&pg.lock);
    pg_draw(1);
    pg.on = pg.drawn = pg.ticking = 0;
    pthread_cond_destroy(&pg.wake);
    free(pg.units);
    free(pg.state);
    pg.units = NULL;
    pg.state = NULL;
    pg.n = 0;
    pthread_mutex_unlock(&pg.lock);
}

void
progress_abandon(void)
{
    pthread_mutex_lock(&pg.lock);
    if (pg.drawn)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    pg.drawn = 0;
    pg.on = 0;          /* reports and messages no longer draw */
    pg.stopping = 1;    /* nor does the ticker */
    pthread_mutex_unlock(&pg.lock);
}
