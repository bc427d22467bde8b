/**
 * @file test_credentials.c
 * @brief Secret files handed over as systemd credentials (LoadCredential=).
 *
 * systemd writes a credential owned by root, mode 0400 plus a read ACL for the
 * service's user (so the mode shows 0440), into $CREDENTIALS_DIRECTORY. The
 * service runs as another user (DynamicUser=), so the rule for secret files
 * (owned by us, mode 0600/0400) would refuse it. Simulated here as root: the
 * file is root's, 0440, group nogroup, read with the effective ids of nobody.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory.h"

#define NOBODY 65534

static char dir[64], cred[128], outside[128];

static void
write_file(const char *path, mode_t mode)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs("cred-pass\n", f);
    fclose(f);
    assert_int_equal(chown(path, 0, NOBODY), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static int
setup(void **state)
{
    if (geteuid() != 0)
        return 0;
    strcpy(dir, "/tmp/er-creds-XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    snprintf(cred, sizeof cred, "%s/eraudit_snmp-priv", dir);
    snprintf(outside, sizeof outside, "%s-outside", dir);
    write_file(cred, 0440);
    write_file(outside, 0440);
    return 0;
}

static int
teardown(void **state)
{
    if (dir[0]) {
        unlink(cred);
        unlink(outside);
        rmdir(dir);
    }
    return 0;
}

/* inv_secret_read(path) as nobody; the secret in @p buf */
static er_code
read_as_nobody(const char *path, char *buf, size_t size, struct er_err *err)
{
    struct inv_secret s = {INV_SECRET_FILE, (char *)path};
    er_code rc;

    assert_int_equal(setegid(NOBODY), 0);
    assert_int_equal(seteuid(NOBODY), 0);
    rc = inv_secret_read(&s, buf, size, err);
    assert_int_equal(seteuid(0), 0);
    assert_int_equal(setegid(0), 0);
    return rc;
}

static void
test_credential_in_credentials_directory_is_read(void **state)
{
    struct er_err err = {0};
    char buf[64];

    if (geteuid() != 0)
        skip();
    setenv("CREDENTIALS_DIRECTORY", dir, 1);
    assert_int_equal(read_as_nobody(cred, buf, sizeof buf, &err), ER_OK);
    assert_string_equal(buf, "cred-pass");
    unsetenv("CREDENTIALS_DIRECTORY");
}

static void
test_same_file_without_credentials_directory_is_refused(void **state)
{
    struct er_err err = {0};
    char buf[64];

    if (geteuid() != 0)
        skip();
    unsetenv("CREDENTIALS_DIRECTORY");
    assert_int_equal(read_as_nobody(cred, buf, sizeof buf, &err), ER_EINVAL);
    assert_non_null(strstr(err.msg, "mode 0440"));
    assert_null(strstr(err.msg, "cred-pass"));
    /* another directory named as the credentials directory does not help */
    setenv("CREDENTIALS_DIRECTORY", "/tmp", 1);
    assert_int_equal(read_as_nobody(cred, buf, sizeof buf, &err), ER_EINVAL);
    unsetenv("CREDENTIALS_DIRECTORY");
}

static void
test_credentials_directory_rules_still_apply(void **state)
{
    struct er_err err = {0};
    char buf[64], path[192];

    if (geteuid() != 0)
        skip();
    setenv("CREDENTIALS_DIRECTORY", dir, 1);
    /* writable by the group: not a credential systemd wrote */
    assert_int_equal(chmod(cred, 0460), 0);
    assert_int_equal(read_as_nobody(cred, buf, sizeof buf, &err), ER_EINVAL);
    assert_int_equal(chmod(cred, 0440), 0);
    /* a path that leaves the directory */
    snprintf(path, sizeof path, "%s/../%s", dir, strrchr(outside, '/') + 1);
    assert_int_equal(read_as_nobody(path, buf, sizeof buf, &err), ER_EINVAL);
    /* a name that only starts like the directory */
    assert_int_equal(read_as_nobody(outside, buf, sizeof buf, &err), ER_EINVAL);
    /* owned by another user than root or us */
    assert_int_equal(chown(cred, 1, NOBODY), 0);
    assert_int_equal(read_as_nobody(cred, buf, sizeof buf, &err), ER_EINVAL);
    assert_int_equal(chown(cred, 0, NOBODY), 0);
    unsetenv("CREDENTIALS_DIRECTORY");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credential_in_credentials_directory_is_read),
        cmocka_unit_test(test_same_file_without_credentials_directory_is_refused),
        cmocka_unit_test(test_credentials_directory_rules_still_apply),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
