/*
 * tests/fault/killwrite.c - LD_PRELOAD shim for tests/cli/append_crash.sh:
 * "the process is killed at the Nth write".
 *
 * It wraps the calls that change a file (write, pwrite, pwrite64, writev,
 * pwritev, fsync, fdatasync, ftruncate, ftruncate64) and counts those made
 * on a file descriptor that refers to the file named by DEXF_KILL_PATH
 * (resolved through /proc/self/fd/N, compared with the canonical path).
 * At the call number DEXF_KILL_AT (1-based) the process kills itself with
 * SIGKILL before the call runs, so N = 1, 2, 3, ... stops an append after
 * 0, 1, 2, ... of its calls.  Without DEXF_KILL_AT, or when the call count
 * never reaches it, the shim only counts; with DEXF_KILL_LOG set, every
 * counted call is appended to that file (one line: number and call).
 * With DEXF_KILL_TORN=1 a write-like call that is the one to kill at first
 * writes the first half of its bytes (a torn write), then the process dies.
 *
 * Build: cc -shared -fPIC -o killwrite.so killwrite.c -ldl
 * TEST ONLY.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long calls;
static long kill_at = -1;
static int torn;
static char target[PATH_MAX];
static int ready;

static void
init(void)
{
	const char *at, *path;

	if (ready)
		return;
	ready = 1;
	at = getenv("DEXF_KILL_AT");
	path = getenv("DEXF_KILL_PATH");
	if (at != NULL && *at != '\0')
		kill_at = strtol(at, NULL, 10);
	torn = getenv("DEXF_KILL_TORN") != NULL &&
	    strcmp(getenv("DEXF_KILL_TORN"), "1") == 0;
	if (path == NULL || realpath(path, target) == NULL)
		target[0] = '\0';
}

static int
is_target(int fd)
{
	char link[64], buf[PATH_MAX];
	ssize_t n;

	init();
	if (target[0] == '\0' || fd < 0)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	return strcmp(buf, target) == 0;
}

static void
die(void)
{
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}

/* Count a call; 1 when it is the one to kill at (the caller dies). */
static int
count(int fd, const char *what)
{
	const char *log;
	int saved = errno;

	if (!is_target(fd))
		return 0;
	calls++;
	if ((log = getenv("DEXF_KILL_LOG")) != NULL) {
		FILE *f = fopen(log, "a");

		if (f != NULL) {
			fprintf(f, "%ld %s\n", calls, what);
			fclose(f);
		}
	}
	errno = saved;
	return kill_at > 0 && calls == kill_at;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef ssize_t (*pwritev_fn)(int, const struct iovec *, int, off_t);
typedef int (*fsync_fn)(int);
typedef int (*fdatasync_fn)(int);
typedef int (*ftruncate_fn)(int, off_t);
typedef int (*ftruncate64_fn)(int, off64_t);

#define REAL(name, type) \
	static type real_##name; \
	if (real_##name == NULL) \
		real_##name = (type)dlsym(RTLD_NEXT, #name); \
	if (real_##name == NULL) { \
		errno = ENOSYS; \
		return -1; \
	}

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL(write, write_fn);
	if (count(fd, "write")) {
		if (torn && n > 1)
			real_write(fd, buf, n / 2);
		die();
	}
	return real_write(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite, pwrite_fn);
	if (count(fd, "pwrite")) {
		if (torn && n > 1)
			real_pwrite(fd, buf, n / 2, off);
		die();
	}
	return real_pwrite(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64, pwrite64_fn);
	if (count(fd, "pwrite64")) {
		if (torn && n > 1)
			real_pwrite64(fd, buf, n / 2, off);
		die();
	}
	return real_pwrite64(fd, buf, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(writev, writev_fn);
	if (count(fd, "writev"))
		die();
	return real_writev(fd, iov, cnt);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	REAL(pwritev, pwritev_fn);
	if (count(fd, "pwritev"))
		die();
	return real_pwritev(fd, iov, cnt, off);
}

int
fsync(int fd)
{
	REAL(fsync, fsync_fn);
	if (count(fd, "fsync"))
		die();
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(fdatasync, fdatasync_fn);
	if (count(fd, "fdatasync"))
		die();
	return real_fdatasync(fd);
}

int
ftruncate(int fd, off_t len)
{
	REAL(ftruncate, ftruncate_fn);
	if (count(fd, "ftruncate"))
		die();
	return real_ftruncate(fd, len);
}

int
ftruncate64(int fd, off64_t len)
{
	REAL(ftruncate64, ftruncate64_fn);
	if (count(fd, "ftruncate64"))
		die();
	return real_ftruncate64(fd, len);
}
