/**
 * @file test_beneath.c
 * @brief The closed-world pieces: names_bad() (a name that becomes a path
 * component) and beneath_open() (a file below a directory, never outside),
 * both with openat2 and with the component walk used without it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "beneath.h"
#include "names.h"

static void
test_names_bad(void **state)
{
    static const char *const good[] = {"er1", "er-ams-1", "r1.lab", "R_2", "a", "0", "a..b", "x-",
            "1234567890123456789012345678901234567890123456789012345678901234"};
    static const char *const bad[] = {"", ".", "..", ".hidden", "-rf", "a/b", "/", "/../../tmp/x", "../er1",
            "er 1", "er\t1", "er\n1", "é", "a:b", "a\\b", "*", "~",
            "12345678901234567890123456789012345678901234567890123456789012345"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof good / sizeof *good; i++)
        assert_null(names_bad(good[i]));
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (!names_bad(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
    }
    assert_null(strstr(names_bad("a/b"), "/") ? NULL : "no slash named");
    assert_non_null(names_bad(NULL));
}

static void
test_rel_ok(void **state)
{
    (void)state;
    assert_true(beneath_rel_ok("a"));
    assert_true(beneath_rel_ok("a/b/c.xml"));
    assert_true(beneath_rel_ok("a/..b/c.."));
    assert_true(beneath_rel_ok("./a"));
    assert_false(beneath_rel_ok(""));
    assert_false(beneath_rel_ok(NULL));
    assert_false(beneath_rel_ok("/etc/passwd"));
    assert_false(beneath_rel_ok(".."));
    assert_false(beneath_rel_ok("../x"));
    assert_false(beneath_rel_ok("a/../b"));
    assert_false(beneath_rel_ok("a/.."));
    assert_false(beneath_rel_ok("a//../b"));
}

/* A root with a file, a subdirectory, links in and out, and a FIFO; a file outside. */
struct tree {
    char top[64];
    char root[PATH_MAX];
    int fd;
};

static int
setup(void **state)
{
    static struct tree t;
    char p[PATH_MAX + 64];
    FILE *f;

    snprintf(t.top, sizeof t.top, "/tmp/test_beneath-XXXXXX");
    if (!mkdtemp(t.top))
        return -1;
    snprintf(t.root, sizeof t.root, "%s/root", t.top);
    mkdir(t.root, 0755);
    snprintf(p, sizeof p, "%s/sub", t.root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/sub/in.txt", t.root);
    if (!(f = fopen(p, "w")))
        return -1;
    fputs("inside\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/secret.txt", t.top);
    if (!(f = fopen(p, "w")))
        return -1;
    fputs("outside\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/link-in", t.root);
    if (symlink("sub/in.txt", p))
        return -1;
    snprintf(p, sizeof p, "%s/link-out", t.root);
    if (symlink("../secret.txt", p))
        return -1;
    snprintf(p, sizeof p, "%s/link-abs", t.root);
    {
        char target[PATH_MAX + 32];

        snprintf(target, sizeof target, "%s/secret.txt", t.top);
        if (symlink(target, p))
            return -1;
    }
    snprintf(p, sizeof p, "%s/dir-out", t.root);
    if (symlink("..", p))
        return -1;
    snprintf(p, sizeof p, "%s/magic", t.root);
    if (symlink("/proc/self/root", p))
        return -1;
    snprintf(p, sizeof p, "%s/fifo", t.root);
    if (mkfifo(p, 0600))
        return -1;
    if ((t.fd = open(t.root, O_RDONLY | O_DIRECTORY)) < 0)
        return -1;
    *state = &t;
    return 0;
}

static int
teardown(void **state)
{
    struct tree *t = *state;
    char cmd[PATH_MAX + 16];

    close(t->fd);
    snprintf(cmd, sizeof cmd, "rm -rf %s", t->top);
    return system(cmd) ? -1 : 0;
}

/* Opening @p rel gives the file inside, or fails with errno in @p errs. */
static void
refused(int (*op)(int, const char *, int), int root, const char *rel, int e1, int e2)
{
    int fd;

    errno = 0;
    fd = op(root, rel, O_RDONLY | O_NONBLOCK);
    if (fd >= 0) {
        close(fd);
        fail_msg("'%s' opened", rel);
    }
    if (errno != e1 && errno != e2)
        fail_msg("'%s': errno %d (%s)", rel, errno, strerror(errno));
}

static void
read_inside(int (*op)(int, const char *, int), int root, const char *rel)
{
    char buf[16] = "";
    int fd = op(root, rel, O_RDONLY);

    if (fd < 0)
        fail_msg("'%s': %s", rel, strerror(errno));
    assert_int_equal(read(fd, buf, sizeof buf - 1), 7);
    assert_string_equal(buf, "inside\n");
    close(fd);
}

static void
common(int (*op)(int, const char *, int), int root)
{
    read_inside(op, root, "sub/in.txt");
    read_inside(op, root, "./sub//in.txt");
    refused(op, root, "../secret.txt", EXDEV, EXDEV);
    refused(op, root, "sub/../../secret.txt", EXDEV, EXDEV);
    refused(op, root, "/etc/passwd", EXDEV, EXDEV);
    refused(op, root, "link-out", EXDEV, ELOOP);
    refused(op, root, "link-abs", EXDEV, ELOOP);
    refused(op, root, "dir-out/secret.txt", EXDEV, ELOOP);
    refused(op, root, "magic/etc/passwd", EXDEV, ELOOP);
    refused(op, root, "missing", ENOENT, ENOENT);
}

static void
test_open_openat2(void **state)
{
    struct tree *t = *state;

    common(beneath_open, t->fd);
    /* with openat2 a link that stays inside is followed; without, none is */
    {
        int fd = beneath_open(t->fd, "link-in", O_RDONLY);

        if (fd >= 0) {
            close(fd);
        } else {
            assert_int_equal(errno, ELOOP);
        }
    }
}

static void
test_open_walk(void **state)
{
    struct tree *t = *state;

    common(beneath_open_walk, t->fd);
    refused(beneath_open_walk, t->fd, "link-in", ELOOP, ELOOP);
    /* a link where a directory is wanted is a link, not "not a directory" */
    errno = 0;
    assert_int_equal(beneath_open_walk(t->fd, "dir-out", O_RDONLY | O_DIRECTORY), -1);
    assert_int_equal(errno, ELOOP);
    /* a directory itself */
    {
        int fd = beneath_open_walk(t->fd, "sub", O_RDONLY | O_DIRECTORY);

        assert_true(fd >= 0);
        close(fd);
    }
}

/* A FIFO is opened without waiting for a writer and refused by type. */
static void
test_fopen_fifo_fast(void **state)
{
    struct tree *t = *state;
    struct timespec a, b;
    FILE *f;

    clock_gettime(CLOCK_MONOTONIC, &a);
    errno = 0;
    assert_null(beneath_fopen(t->fd, "fifo"));
    assert_int_equal(errno, EINVAL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_true(b.tv_sec - a.tv_sec < 2);
    assert_null(beneath_fopen(t->fd, "sub"));
    assert_null(beneath_fopen(t->fd, "link-out"));
    assert_true(beneath_escaped(errno));
    assert_non_null(f = beneath_fopen(t->fd, "sub/in.txt"));
    assert_int_equal(fgetc(f), 'i');
    fclose(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_bad),
        cmocka_unit_test(test_rel_ok),
        cmocka_unit_test_setup_teardown(test_open_openat2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fopen_fifo_fast, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
