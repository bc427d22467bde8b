/**
 * @file fuzz_pac.c
 * @brief libFuzzer harness: the PAC wrapper's own readers of untrusted text,
 * pac_load_mem() (the file) and pac_is_direct() (a result the PAC returns).
 * The JavaScript itself runs in libpacparser in a limited child process
 * (pac_eval), which tests/unit/test_pac.c drives with hostile scripts.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "pac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pac *p = NULL;
    struct er_err err = {0};
    char *result;

    if (pac_load_mem("fuzz.pac", (const char *)data, size, &p, &err) == ER_OK)
        pac_path(p);
    pac_free(p);
    /* The same bytes as what FindProxyForURL returned. */
    if ((result = malloc(size + 1))) {
        memcpy(result, data, size);
        result[size] = '\0';
        pac_is_direct(result);
        free(result);
    }
    return 0;
}
