/* fault.c - fault injection for tests (compiled in only with -DECOACT_FAULTS, the sanitizer
 * build). When $ECOACT_TEST_FAULTS names a folder, SQLite's file writes and syncs fail while a
 * file `io` exists in it, and SQLite's allocations fail while a file `nomem` exists. The server
 * must answer 503 with a request id, keep the data intact and serve again once the file is gone. */
#include "store/store_impl.h"
#ifdef ECOACT_FAULTS
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char io_flag[512], nomem_flag[512];
static sqlite3_vfs shim, *base_vfs;
static sqlite3_mem_methods base_mem;

static bool active(const char *flag)
{
    return flag[0] && access(flag, F_OK) == 0;
}

/* The shim file wraps the base file; methods forward except writes and syncs. */
struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* allocated right after this struct */
};

#define REAL(f) (((struct shim_file *)(f))->real)
static int s_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return active(io_flag) ? SQLITE_IOERR_WRITE : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 n)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), n);
}
static int s_sync(sqlite3_file *f, int fl)
{
    return active(io_flag) ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), fl);
}
static int s_size(sqlite3_file *f, sqlite3_int64 *n)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), n);
}
static int s_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int s_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int s_check(sqlite3_file *f, int *o)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), o);
}
static int s_fcntl(sqlite3_file *f, int op, void *a)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int s_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int s_dev(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int s_shmmap(sqlite3_file *f, int i, int sz, int e, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, e, p);
}
static int s_shmlock(sqlite3_file *f, int o, int n, int fl)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl);
}
static void s_shmbarrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int s_shmunmap(sqlite3_file *f, int d)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), d);
}

static const sqlite3_io_methods shim_io = {
    2,         s_close,      s_read,     s_write, s_truncate, s_sync, s_size,
    s_lock,    s_unlock,     s_check,    s_fcntl, s_sector,   s_dev,  s_shmmap,
    s_shmlock, s_shmbarrier, s_shmunmap, NULL,    NULL,
};

static int shim_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    struct shim_file *sf = (struct shim_file *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = base_vfs->xOpen(base_vfs, name, sf->real, flags, out);
    f->pMethods = rc == SQLITE_OK && sf->real->pMethods ? &shim_io : NULL;
    return rc;
}

static void *m_malloc(int n)
{
    return active(nomem_flag) ? NULL : base_mem.xMalloc(n);
}
static void *m_realloc(void *p, int n)
{
    return active(nomem_flag) ? NULL : base_mem.xRealloc(p, n);
}

void store_fault_init(void)
{
    const char *dir = getenv("ECOACT_TEST_FAULTS");
    if (!dir || !*dir || base_vfs) return;
    snprintf(io_flag, sizeof io_flag, "%s/io", dir);
    snprintf(nomem_flag, sizeof nomem_flag, "%s/nomem", dir);
    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &base_mem);
    sqlite3_mem_methods m = base_mem;
    m.xMalloc = m_malloc;
    m.xRealloc = m_realloc;
    sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
    base_vfs = sqlite3_vfs_find(NULL);
    shim = *base_vfs;
    shim.zName = "ecoact-fault";
    shim.szOsFile = (int)sizeof(struct shim_file) + base_vfs->szOsFile;
    shim.xOpen = shim_open;
    sqlite3_vfs_register(&shim, 1);
}
#else
void store_fault_init(void) {}
#endif
