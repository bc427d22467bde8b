/**
 * @file fuzz_pac.c
 * @brief libFuzzer harness: the PAC reader (pac_parse) and its lookups.
 */
#include "fuzz.h"

#include "rules/pac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hosts[] = {"org.crm4.dynamics.com", "make.powerapps.com", "intranet", "x.azureedge.net",
        ""};
    struct pac *p = NULL;
    struct er_err err = {0};
    size_t i;
    int line;

    if (pac_parse("fuzz.pac", (const char *)data, size, &p, &err) == ER_OK) {
        for (i = 0; i < sizeof hosts / sizeof *hosts; i++)
            pac_is_direct(pac_find(p, hosts[i], &line));
        pac_unsupported(p);
    }
    pac_free(p);
    return 0;
}
