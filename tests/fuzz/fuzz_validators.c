/* fuzz_validators.c - libFuzzer target: resident ID, mobile, credit code and password validators,
 * the masking functions and the date parser on arbitrary bytes. The input is split at the first
 * NUL into a value and a username. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/date.h"
#include "base/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    const char *user = strlen(s) < size ? s + strlen(s) + 1 : "user";
    val_resident_id(s);
    val_mobile(s);
    val_uscc(s);
    val_password(s, user);
    char m1[19], m2[12];
    val_mask_resident_id(s, m1);
    val_mask_mobile(s, m2);
    int y, mo, d, days;
    if (val_resident_id_birth(s, &y, &mo, &d)) val_age_on(s, 2026, 11, 28);
    if (date_parse(s, &days)) {
        char out[11];
        date_format(days, out);
        if (strcmp(out, s) != 0) abort(); /* a parsed date prints back the same */
    }
    free(s);
    return 0;
}
