/* gen.h - one process-wide "something was written" generation. Every committed write bumps it;
 * per-thread caches of read-mostly answers (sessions, the units catalogue) keep the generation
 * they were filled at and start afresh when it moved. With several app servers on PostgreSQL the
 * listener of store/cluster.h moves it when another server announces a change; changes made
 * straight in the database are seen after the caches' time-to-live (CACHE_TTL_SECONDS). */
#ifndef ECOACT_GEN_H
#define ECOACT_GEN_H

#define CACHE_TTL_SECONDS 5

unsigned long long gen_current(void);
void gen_bump(void);

#endif
