/* device.c: the shared device's queue in a memory file (see device.h). */
#include "config.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "device.h"

#define DEVICE_MAGIC	0x31766466u	/* "fdv1" */
#define DEVICE_POLL_NS	5000000L	/* how often a waiter looks for the dead */

enum { E_FREE, E_WAIT, E_HOLD };

struct device_entry {
	pthread_mutex_t mu;	/* held by the entry's process */
	uint64_t ticket;	/* arrival order */
	int	 state;		/* E_* */
};

struct device_file {
	uint32_t magic;
	uint32_t slots;
	uint32_t seq;		/* futex word: bumped at every change */
	uint64_t next_ticket;
	pthread_mutex_t mu;	/* guards all below and the entries' states */
	struct device_entry e[DEVICE_ENTRIES];
};

struct device {
	struct device_file *f;
	int	 mine;		/* my entry, or -1 */
};

static int
device_mutex_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;
	int r;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	r = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return r;
}

int
device_create(unsigned slots, char *err, size_t errlen)
{
	struct device_file *f;
	int fd, i, r = 0;

	if (slots < 1 || slots > DEVICE_SLOTS_MAX) {
		snprintf(err, errlen, "slots %u is out of range (1..%d)", slots,
		    DEVICE_SLOTS_MAX);
		return -1;
	}
	if ((fd = memfd_create("fake-servers-device", MFD_CLOEXEC)) == -1 ||
	    ftruncate(fd, sizeof *f) == -1 || (f = mmap(NULL, sizeof *f,
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		snprintf(err, errlen, "cannot create a device file: %s",
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	f->slots = slots;
	r = device_mutex_init(&f->mu);
	for (i = 0; i < DEVICE_ENTRIES && r == 0; i++)
		r = device_mutex_init(&f->e[i].mu);
	__atomic_store_n(&f->magic, DEVICE_MAGIC, __ATOMIC_RELEASE);
	munmap(f, sizeof *f);
	if (r != 0) {
		snprintf(err, errlen, "cannot make a shared mutex: %s",
		    strerror(r));
		close(fd);
		return -1;
	}
	return fd;
}

struct device *
device_attach(int fd, char *err, size_t errlen)
{
	struct device *d;
	void *p;

	p = mmap(NULL, sizeof(struct device_file), PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot map device descriptor %d: %s", fd,
		    strerror(errno));
		return NULL;
	}
	if (((struct device_file *)p)->magic != DEVICE_MAGIC ||
	    (d = malloc(sizeof *d)) == NULL) {
		snprintf(err, errlen, "descriptor %d is not a device file", fd);
		munmap(p, sizeof(struct device_file));
		return NULL;
	}
	d->f = p;
	d->mine = -1;
	return d;
}

void
device_detach(struct device **dp)
{
	struct device *d = *dp;

	if (d == NULL)
		return;
	if (d->mine >= 0)
		device_release(d);
	munmap(d->f, sizeof *d->f);
	free(d);
	*dp = NULL;
}

unsigned
device_slots(const struct device *d)
{
	return d->f->slots;
}

/* A process that died holding a mutex left it for us to make whole. */
static void
device_lock(pthread_mutex_t *m)
{
	if (pthread_mutex_lock(m) == EOWNERDEAD)
		pthread_mutex_consistent(m);
}

static void	device_reap(struct device *);

void
device_count(struct device *d, unsigned *waiting, unsigned *holding)
{
	int i;

	*waiting = *holding = 0;
	device_lock(&d->f->mu);
	device_reap(d);
	for (i = 0; i < DEVICE_ENTRIES; i++) {
		*waiting += d->f->e[i].state == E_WAIT;
		*holding += d->f->e[i].state == E_HOLD;
	}
	pthread_mutex_unlock(&d->f->mu);
}

static void
device_wake(struct device_file *f)
{
	__atomic_add_fetch(&f->seq, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &f->seq, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

/* Free the entries of the dead; under f->mu. */
static void
device_reap(struct device *d)
{
	struct device_entry *e;
	int i, r;

	for (i = 0; i < DEVICE_ENTRIES; i++) {
		e = &d->f->e[i];
		if (e->state == E_FREE || i == d->mine)
			continue;
		if ((r = pthread_mutex_trylock(&e->mu)) == EBUSY)
			continue;
		if (r == EOWNERDEAD)
			pthread_mutex_consistent(&e->mu);
		e->state = E_FREE;
		pthread_mutex_unlock(&e->mu);
	}
}

/* May my entry take a slot? Under f->mu: the free slots go to the
 * oldest waiters. */
static int
device_turn(const struct device *d)
{
	const struct device_file *f = d->f;
	uint64_t t = f->e[d->mine].ticket;
	unsigned hold = 0, before = 0;
	int i;

	for (i = 0; i < DEVICE_ENTRIES; i++) {
		hold += f->e[i].state == E_HOLD;
		before += f->e[i].state == E_WAIT && f->e[i].ticket < t;
	}
	return hold + before < f->slots;
}

/* Take an entry and a ticket; under f->mu. 0, or -1 when all are taken. */
static int
device_enqueue(struct device *d)
{
	struct device_entry *e;
	int i;

	for (i = 0; i < DEVICE_ENTRIES; i++) {
		e = &d->f->e[i];
		if (e->state != E_FREE || pthread_mutex_trylock(&e->mu) != 0)
			continue;
		e->ticket = d->f->next_ticket++;
		e->state = E_WAIT;
		d->mine = i;
		return 0;
	}
	return -1;
}

static void
device_leave(struct device *d)
{
	struct device_entry *e = &d->f->e[d->mine];

	e->state = E_FREE;
	pthread_mutex_unlock(&e->mu);
	d->mine = -1;
	device_wake(d->f);
}

static int
device_stopped(const sigset_t *stop)
{
	sigset_t pend;
	int i;

	if (stop == NULL || sigpending(&pend) == -1)
		return 0;
	for (i = 1; i < NSIG; i++)
		if (sigismember(stop, i) == 1 && sigismember(&pend, i) == 1)
			return 1;
	return 0;
}

int
device_acquire(struct device *d, const sigset_t *stop, char *err,
    size_t errlen)
{
	struct device_file *f = d->f;
	struct timespec ts = { 0, DEVICE_POLL_NS };
	uint32_t seen;

	device_lock(&f->mu);
	device_reap(d);
	if (d->mine < 0 && device_enqueue(d) == -1) {
		pthread_mutex_unlock(&f->mu);
		snprintf(err, errlen, "the device's queue is full (%d waiting)",
		    DEVICE_ENTRIES);
		return -1;
	}
	while (!device_turn(d)) {
		seen = __atomic_load_n(&f->seq, __ATOMIC_ACQUIRE);
		pthread_mutex_unlock(&f->mu);
		if (device_stopped(stop)) {
			device_lock(&f->mu);
			device_leave(d);
			pthread_mutex_unlock(&f->mu);
			return 1;
		}
		syscall(SYS_futex, &f->seq, FUTEX_WAIT, seen, &ts, NULL, 0);
		device_lock(&f->mu);
		device_reap(d);
	}
	f->e[d->mine].state = E_HOLD;
	pthread_mutex_unlock(&f->mu);
	return 0;
}

void
device_release(struct device *d)
{
	if (d->mine < 0)
		return;
	device_lock(&d->f->mu);
	device_leave(d);
	pthread_mutex_unlock(&d->f->mu);
}
