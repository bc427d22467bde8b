/**
 * @file cli.c
 * @brief What the verbs share: usage errors, colour, warnings, output failures, run options.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"

int
cli_bad_usage(const char *usage, const char *what)
{
    if (what)
        fprintf(stderr, "eraudit: %s\n", what);
    fputs(usage, stderr);
    return EXIT_BADINPUT;
}

int
cli_use_color(const char *mode, FILE *out)
{
    if (mode && !strcmp(mode, "always"))
        return 1;
    if (mode && !strcmp(mode, "never"))
        return 0;
    return isatty(fileno(out)) && !getenv("NO_COLOR");
}

/* Once per run: a snapshot collected with --keep-device-secrets holds them. */
void
cli_secrets_warn(const struct run *s, FILE *errout)
{
    if (s->snap && s->snap->device_secrets)
        fprintf(errout, "eraudit: warning: snapshot %s keeps the devices' secrets (collected with "
                "--keep-device-secrets): handle it as a secret\n", s->snapdir);
}

/*
 * A writer failed on @p af: the file's own error (its path and the cause,
 * a full disk) when it has one, else the writer's, with the path. Frees @p af.
 */
void
cli_output_failed(struct atomicfile *af, const char *path, struct er_err *err)
{
    struct er_err ferr = {0};
    int e = errno;

    if (atomicfile_close(af, &ferr))
        *err = ferr;
    else if (err->code == ER_EIO)
        er_wrap(err, "%s: %s: ", path, strerror(e));
    else
        er_wrap(err, "%s: ", path);
    atomicfile_abort(af);
}

/* What the engine loads, from the command line's choices. */
void
cli_run_opts(const struct audit_opts *o, struct run_opts *ro)
{
    *ro = (struct run_opts){.inventory = o->inventory, .snapshot = o->snapshot, .collect_to = o->collect_to,
            .force = o->force, .candidate_device = o->candidate_device, .fail_on = o->fail_on, .jobs = o->jobs,
            .accept_new_host_keys = o->accept_new_host_keys, .keep_device_secrets = o->keep_device_secrets,
            .sample_interval_ms = o->sample_interval_ms, .select = o->select,
            .progress = o->progress, .connect_timeout_ms = o->connect_timeout_ms, .timeout_ms = o->timeout_ms};
}
