/**
 * @file test_bound.c
 * @brief The size cap: its setting, and files refused before or while reading.
 *
 * The cap is set to 64 KiB through ERAUDIT_MAX_FILE_SIZE before the first
 * read of it. A sparse file of 4 GiB + 5 bytes is refused by its size
 * without a byte read; a pipe is refused once more than the cap came through.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bound.h"

static void
test_parse_size(void **state)
{
    static const struct { const char *s; size_t v; } good[] = {
        {"1", 1}, {"1048576", 1048576}, {"256M", 256u << 20}, {"256MiB", 256u << 20}, {"256MB", 256u << 20},
        {"64k", 64u << 10}, {"2G", (size_t)2 << 30}, {"1T", (size_t)1 << 40}, {"100B", 100},
    };
    static const char *const bad[] = {"", "0", "M", "-1", "12x", "1.5G", "1 G", "99999999999999999999999", "16777216T"};
    size_t v;

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_int_equal(bound_parse_size(good[i].s, &v), 0);
        assert_int_equal(v, good[i].v);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (!bound_parse_size(bad[i], &v))
            fail_msg("'%s' taken as %zu", bad[i], v);
    }
}

static void
test_cap_from_env(void **state)
{
    struct er_err err;

    (void)state;
    assert_int_equal(bound_init(&err), ER_OK);
    assert_int_equal(bound_cap(), 64u << 10);
    assert_int_equal(bound_check("x", (64u << 10) + 1, bound_cap(), &err), ER_EINVAL);
    assert_string_equal(err.msg, "x: 65537 bytes, over the limit of 65536 bytes (ERAUDIT_MAX_FILE_SIZE)");
    assert_int_equal(bound_check("x", 64u << 10, bound_cap(), &err), ER_OK);
}

static void
test_files(void **state)
{
    char path[] = "/tmp/test_bound_XXXXXX", *buf;
    struct er_err err;
    size_t len;
    int fd;

    (void)state;
    assert_true((fd = mkstemp(path)) >= 0);
    assert_int_equal(write(fd, "hello", 5), 5);
    assert_int_equal(bound_read_path(path, "f", 8, &buf, &len, &err), ER_OK);
    assert_int_equal(len, 5);
    assert_string_equal(buf, "hello");
    free(buf);
    /* exactly the cap is read; one byte more is not */
    assert_int_equal(ftruncate(fd, 64 << 10), 0);
    assert_int_equal(bound_read_path(path, "f", 0, &buf, &len, &err), ER_OK);
    assert_int_equal(len, 64 << 10);
    free(buf);
    assert_int_equal(ftruncate(fd, (64 << 10) + 1), 0);
    assert_int_equal(bound_read_path(path, "f", 0, &buf, &len, &err), ER_EINVAL);
    assert_null(buf);
    /* 4 GiB + 5 bytes, sparse: refused by its size, never read as 5 bytes */
    assert_int_equal(ftruncate(fd, ((off_t)4 << 30) + 5), 0);
    assert_int_equal(bound_read_path(path, "big.xml", 0, &buf, &len, &err), ER_EINVAL);
    assert_string_equal(err.msg, "big.xml: 4294967301 bytes, over the limit of 65536 bytes (ERAUDIT_MAX_FILE_SIZE)");
    close(fd);
    unlink(path);
    assert_int_equal(bound_read_path(path, "gone", 0, &buf, &len, &err), ER_EIO);
}

/* A stream has no size: it is refused once more than the cap came through. */
static void
test_pipe(void **state)
{
    static char chunk[4096];
    struct er_err err;
    char *buf;
    size_t len;
    int p[2], status;
    pid_t pid;

    (void)state;
    for (size_t n = 1000; n <= 200000; n += 199000) {
        assert_int_equal(pipe(p), 0);
        assert_true((pid = fork()) >= 0);
        if (!pid) {
            size_t left = n;

            close(p[0]);
            while (left) {
                size_t k = left < sizeof chunk ? left : sizeof chunk;

                if (write(p[1], chunk, k) != (ssize_t)k)
                    _exit(0);   /* the reader stopped */
                left -= k;
            }
            _exit(0);
        }
        close(p[1]);
        if (n == 1000) {
            assert_int_equal(bound_read_fd(p[0], "pipe", 0, &buf, &len, &err), ER_OK);
            assert_int_equal(len, 1000);
            free(buf);
        } else {
            assert_int_equal(bound_read_fd(p[0], "pipe", 0, &buf, &len, &err), ER_EINVAL);
            assert_string_equal(err.msg, "pipe: more than 65536 bytes, over the limit (ERAUDIT_MAX_FILE_SIZE)");
        }
        close(p[0]);
        waitpid(pid, &status, 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_cap_from_env),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_pipe),
    };

    setenv(BOUND_ENV, "64K", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
