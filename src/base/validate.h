/* validate.h - validation and masking of identifiers users type in: resident
 * ID numbers (GB 11643-1999), mainland mobile numbers, unified social credit
 * codes (GB 32100-2015) and passwords. Validators return NULL when the input
 * is valid, else a static Chinese message saying why. */
#ifndef ECOACT_BASE_VALIDATE_H
#define ECOACT_BASE_VALIDATE_H

#include <stdbool.h>

/* 18-char resident ID: region (first digit 1-8), birth date between
 * 1900-01-01 and today (Asia/Shanghai), sequence, check digit (x or X). */
const char *val_resident_id(const char *s);
/* The check character ('0'..'9' or 'X') of the first 17 digits; '\0' when they are not digits. */
char val_resident_id_check_char(const char *first17);
/* Same, with "today" given as a date.h day number (for tests / batch jobs). */
const char *val_resident_id_at(const char *s, int today);
/* Birth date of a valid ID; false (outputs untouched) when the ID is invalid.
 * Any output pointer may be NULL. */
bool val_resident_id_birth(const char *s, int *y, int *m, int *d);
/* Age in full years on y-m-d of the holder of a valid ID (a 29 Feb birthday
 * comes on 1 Mar in common years); -1 when the ID or date is invalid or the
 * date is before the birth date. */
int val_age_on(const char *id, int y, int m, int d);

/* 11 digits, 1[3-9]xxxxxxxxx. */
const char *val_mobile(const char *s);

/* 18 chars from 0-9 A-H J-N P-R T-U W-Y, registration department 1-9/A/N/Y,
 * chars 3-8 digits, check character per GB 32100-2015. Upper case only. */
const char *val_uscc(const char *s);
/* The check character of the first 17 characters of a credit code; '\0' when malformed. */
char val_uscc_check_char(const char *first17);

/* "500101********1234"; any input that is not 18 ASCII letters/digits gives
 * 18 stars. NULL in is allowed. */
void val_mask_resident_id(const char *in, char out[19]);
/* "138****5678"; any input that is not 11 ASCII digits gives 11 stars. */
void val_mask_mobile(const char *in, char out[12]);

/* At least 12 characters (UTF-8 code points; invalid UTF-8 is rejected), at
 * least 3 of the classes lower / upper / digit / other, neither equal to nor
 * containing the username (ASCII case-insensitive). username may be NULL. */
const char *val_password(const char *pw, const char *username);

#endif
