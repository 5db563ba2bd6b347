/* gen.c - the write generation; see gen.h. */
#include "base/gen.h"

static unsigned long long generation;

unsigned long long gen_current(void)
{
    return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

void gen_bump(void)
{
    __atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL);
}
