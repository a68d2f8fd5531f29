/* shm_ring.c: one mapping of a shared-memory ring: creating a ring
 * (client), mapping one by name after checking its header (worker), and
 * the SIGBUS guard that keeps a worker alive when a ring is truncated
 * under it. The layout and the checks are in shm.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "shm.h"
#include "shm_ring.h"
#include "wire.h"

struct shm_ring {
	struct shm_hdr hdr;	/* private copy: all checks use it */
	char	 name[SHM_NAME_MAX];
	unsigned char *base;	/* [header][inputs][inputs again][outputs] */
	uint64_t map_len;
	int	 owner;		/* created here: unlink on free */
	ino_t	 ino;		/* of the object its name gave, when mapped */
	volatile sig_atomic_t broken;	/* truncated under us: zeros now */
};

static unsigned int shm_created;	/* the <n> of the next name */

/* The rings a worker has mapped, for the SIGBUS handler. */
#define SHM_GUARD_MAX	64
static struct shm_ring *volatile shm_guarded[SHM_GUARD_MAX];

static void	shm_guard(struct shm_ring *, int);

static uint64_t
shm_page(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (uint64_t)p : 4096;
}

/* Map fd as [header][inputs][inputs again][outputs]: the second copy of
 * the inputs makes a window that wraps around the ring contiguous. */
static unsigned char *
shm_map(int fd, const struct shm_hdr *h, int prot_in, char *err,
    size_t errlen)
{
	uint64_t in_len = (uint64_t)h->nslots * h->stride;
	uint64_t out_len = (uint64_t)h->nout * h->out_stride;
	uint64_t len = shm_map_len(h);
	unsigned char *base;

	base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		wire_fail(err, errlen, "cannot reserve %" PRIu64 " bytes: %s",
		    len, strerror(errno));
		return NULL;
	}
	if (mmap(base, h->hdr_size + in_len, prot_in, MAP_SHARED | MAP_FIXED,
	    fd, 0) == MAP_FAILED ||
	    mmap(base + h->hdr_size + in_len, in_len, prot_in,
	    MAP_SHARED | MAP_FIXED, fd, h->hdr_size) == MAP_FAILED ||
	    (out_len > 0 && mmap(base + h->hdr_size + 2 * in_len, out_len,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
	    (off_t)h->out_off) == MAP_FAILED)) {
		wire_fail(err, errlen, "cannot map the ring: %s", strerror(errno));
		munmap(base, len);
		return NULL;
	}
	return base;
}

/* Let the workers' group read and write a ring or a lane's pipe
 * (doc/shm.md). */
void
shm_ring_share(int fd, const char *path)
{
	struct group *gr;

	if ((fd != -1 ? fchmod(fd, 0660) : chmod(path, 0660)) == -1)
		log_debug("shm: chmod %s 0660: %s", path, strerror(errno));
	if ((gr = getgrnam(SHM_GROUP)) != NULL && (fd != -1 ?
	    fchown(fd, (uid_t)-1, gr->gr_gid) :
	    lchown(path, (uid_t)-1, gr->gr_gid)) == -1)
		log_debug("shm: cannot give %s to group %s: %s", path,
		    SHM_GROUP, strerror(errno));
}

static uint64_t
shm_random_gen(void)
{
	uint64_t g = 0;

	if (getrandom(&g, sizeof(g), 0) != (ssize_t)sizeof(g))
		g = clock_now_ns() ^ ((uint64_t)getpid() << 32);
	g &= (1ull << 53) - 1;
	return g != 0 ? g : 1;
}

static int
shm_create_fd(struct shm_ring *r, char *err, size_t errlen)
{
	int fd, tries;

	for (tries = 0; tries < 1000; tries++) {
		snprintf(r->name, sizeof(r->name), SHM_PREFIX "%u-%u-%u",
		    (unsigned)getuid(), (unsigned)getpid(), shm_created++);
		fd = shm_open(r->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
		    0660);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1)
		return wire_fail(err, errlen, "shm_open %s: %s", r->name,
		    strerror(errno));
	return fd;
}

struct shm_ring *
shm_ring_create(const struct shm_geom *g, char *err, size_t errlen)
{
	struct shm_ring *r;
	int fd;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		wire_fail(err, errlen, "out of memory");
		return NULL;
	}
	if (shm_layout(g, shm_page(), &r->hdr, err, errlen) == -1 ||
	    (fd = shm_create_fd(r, err, errlen)) == -1) {
		free(r);
		return NULL;
	}
	r->owner = 1;
	r->hdr.gen = shm_random_gen();
	r->hdr.owner_pid = (uint32_t)getpid();
	r->hdr.owner_uid = (uint32_t)getuid();
	r->hdr.owner_pidns = shm_ring_pidns();
	shm_ring_share(fd, r->name);
	if (ftruncate(fd, (off_t)r->hdr.total) == -1) {
		wire_fail(err, errlen, "cannot size shm ring %s to %" PRIu64
		    " bytes: %s", r->name, r->hdr.total, strerror(errno));
		goto fail;
	}
	if ((r->base = shm_map(fd, &r->hdr, PROT_READ | PROT_WRITE, err,
	    errlen)) == NULL)
		goto fail;
	close(fd);
	r->map_len = shm_map_len(&r->hdr);
	/* The magic last: a half-written header never checks. */
	memcpy(r->base, &r->hdr, sizeof(r->hdr));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(r->base, SHM_MAGIC, 8);
	memcpy(r->hdr.magic, SHM_MAGIC, 8);
	return r;
fail:
	close(fd);
	shm_unlink(r->name);
	free(r);
	return NULL;
}

void *
shm_ring_slot(struct shm_ring *r, uint32_t slot)
{
	if (slot >= r->hdr.nslots)
		return NULL;
	return r->base + r->hdr.hdr_size + (uint64_t)slot * r->hdr.stride;
}

const void *
shm_ring_out(const struct shm_ring *r, uint32_t out)
{
	if (out >= r->hdr.nout)
		return NULL;
	return r->base + r->hdr.hdr_size +
	    2 * (uint64_t)r->hdr.nslots * r->hdr.stride +
	    (uint64_t)out * r->hdr.out_stride;
}

void
shm_ring_free(struct shm_ring **rp)
{
	struct shm_ring *r = *rp;

	if (r == NULL)
		return;
	if (!r->owner)
		shm_guard(r, 0);
	if (r->base != NULL)
		munmap(r->base, r->map_len);
	if (r->owner && shm_unlink(r->name) == -1 && errno != ENOENT)
		log_warn("shm_unlink %s", r->name);
	free(r);
	*rp = NULL;
}

const struct shm_hdr *
shm_ring_hdr(const struct shm_ring *r)
{
	return &r->hdr;
}

const char *
shm_ring_name(const struct shm_ring *r)
{
	return r->name;
}

unsigned char *
shm_ring_base(const struct shm_ring *r)
{
	return r->base;
}

/* No process has its pid (EPERM: alive, not ours). */
int
shm_ring_owner_dead(uint32_t pid)
{
	return pid == 0 || pid > INT32_MAX ||
	    (kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}

uint32_t
shm_ring_pidns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) == 0 ? (uint32_t)st.st_ino : 0;
}

/* A ring truncated under a worker makes its next read of the lost pages
 * fault with SIGBUS. Put zero pages over the whole mapping instead and
 * mark the ring broken: the request in hand computes on zeros, the ring
 * is dropped from the cache, and the worker lives. Runs on the faulting
 * (main) thread, the only one that touches the rings. */
static void
shm_sigbus(int sig, siginfo_t *si, void *ctx)
{
	unsigned char *a = si->si_addr;
	struct shm_ring *r;
	int i;

	for (i = 0; i < SHM_GUARD_MAX; i++) {
		r = shm_guarded[i];
		if (r != NULL && a >= r->base && a < r->base + r->map_len) {
			if (mmap(r->base, r->map_len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
			    MAP_FAILED)
				break;
			r->broken = 1;
			return;
		}
	}
	signal(SIGBUS, SIG_DFL);	/* not ours: fault again, and die */
}

static void
shm_guard(struct shm_ring *r, int on)
{
	static int installed;
	struct sigaction sa;
	int i;

	if (on && !installed) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = shm_sigbus;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		installed = sigaction(SIGBUS, &sa, NULL) == 0;
	}
	for (i = 0; i < SHM_GUARD_MAX; i++)
		if (shm_guarded[i] == (on ? NULL : r)) {
			shm_guarded[i] = on ? r : NULL;
			return;
		}
}

int
shm_ring_broken(const struct shm_ring *r)
{
	return r->broken;
}

struct shm_ring *
shm_ring_open(const char *name, char *err, size_t errlen)
{
	struct shm_ring *r;
	struct stat st;
	int fd;

	if (shm_name_check(name, err, errlen) == -1)
		return NULL;
	if ((fd = shm_open(name, O_RDWR | O_CLOEXEC, 0)) == -1) {
		wire_fail(err, errlen, "cannot open shm ring %s: %s", name,
		    strerror(errno));
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		close(fd);
		wire_fail(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	errno = 0;
	if (fstat(fd, &st) == -1 || pread(fd, &r->hdr, sizeof(r->hdr), 0) !=
	    (ssize_t)sizeof(r->hdr)) {
		wire_fail(err, errlen, "cannot read shm ring %s: %s", name,
		    errno ? strerror(errno) : "too short");
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		wire_fail(err, errlen, "shm ring %s is not a regular file", name);
		goto fail;
	}
	if (shm_hdr_check(&r->hdr, (uint64_t)st.st_size, shm_page(), err,
	    errlen) == -1 ||
	    (r->base = shm_map(fd, &r->hdr, PROT_READ, err, errlen)) == NULL)
		goto fail;
	r->map_len = shm_map_len(&r->hdr);
	r->ino = st.st_ino;
	close(fd);
	shm_guard(r, 1);
	return r;
fail:
	close(fd);
	free(r);
	return NULL;
}

/* Is a mapped ring still wanted? Not once its name is gone (the client
 * exited, or the next one removed it) or names another object, nor once
 * its creator died, when that pid can be checked from here. */
int
shm_ring_stale(const struct shm_ring *r, uint32_t pidns)
{
	char path[SHM_NAME_MAX + sizeof(SHM_DIR)];
	struct stat st;

	snprintf(path, sizeof(path), SHM_DIR "%s", r->name);
	if (stat(path, &st) == -1 ? errno == ENOENT : st.st_ino != r->ino)
		return 1;
	return pidns != 0 && r->hdr.owner_pidns == pidns &&
	    shm_ring_owner_dead(r->hdr.owner_pid);
}
