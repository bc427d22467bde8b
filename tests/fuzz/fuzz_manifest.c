/**
 * @file fuzz_manifest.c
 * @brief libFuzzer harness: a snapshot's manifest.json (snap_open on a
 * directory holding the input as its manifest).
 */
#include "fuzz.h"

#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct snapshot *s = NULL;
    struct er_err err = {0};
    char dir[4096 + 16];
    size_t i;

    fuzz_write("snap/manifest.json", data, size);
    snprintf(dir, sizeof dir, "%s/snap", fuzz_tmpdir());
    if (snap_open(fuzz_ctx(), dir, &s, &err) == ER_OK) {
        for (i = 0; i < s->n_devices; i++)
            if (s->devices[i].name)
                snap_device_find(s, s->devices[i].name);
        snap_free(s);
    }
    return 0;
}
