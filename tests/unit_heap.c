/* unit_heap.c: buffers allocated in one thread and freed in another, as
 * libzmq's I/O thread and a loop share messages, are reused without a
 * page fault once heap_keep() has set the allocator's thresholds (TAP).
 *
 * Each pattern runs in a child of its own, since the thresholds are the
 * process's: one with glibc's defaults, to show the pattern does fault
 * there (else this test would prove nothing), one after heap_keep(). */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heap.h"
#include "tap.h"

#define INFLIGHT	16
#define MSG		(64 * 48 * 3 + 64)	/* a 64x48x3 frame, a header */
#define ROUNDS		300
#define WARM		10

static pthread_barrier_t bar;
static void *blk[INFLIGHT];

/* The "I/O thread": allocate and fill INFLIGHT messages a round. */
static void *
producer(void *arg)
{
	int r, i;

	(void)arg;
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < INFLIGHT; i++) {
			if ((blk[i] = malloc(MSG)) == NULL)
				abort();
			memset(blk[i], r, MSG);
		}
		pthread_barrier_wait(&bar);	/* handed over */
		pthread_barrier_wait(&bar);	/* freed */
	}
	return NULL;
}

/* The pattern's minor faults after the warm-up rounds. */
static long
faults(void)
{
	struct rusage ru;
	pthread_t t;
	long f0 = 0;
	int r, i;

	pthread_barrier_init(&bar, NULL, 2);
	if (pthread_create(&t, NULL, producer, NULL) != 0)
		abort();
	for (r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&bar);
		if (r == WARM) {
			getrusage(RUSAGE_SELF, &ru);
			f0 = ru.ru_minflt;
		}
		for (i = 0; i < INFLIGHT; i++)
			free(blk[i]);
		pthread_barrier_wait(&bar);
	}
	pthread_join(t, NULL);
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt - f0;
}

/* Run the pattern in a child, with heap_keep() or not. */
static long
child_faults(int keep)
{
	int fd[2], st;
	long n = -1;
	pid_t pid;

	if (pipe(fd) == -1 || (pid = fork()) == -1)
		abort();
	if (pid == 0) {
		close(fd[0]);
		n = keep && heap_keep() == -1 ? -2 : faults();
		_exit(write(fd[1], &n, sizeof n) == (ssize_t)sizeof n ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], &n, sizeof n) != (ssize_t)sizeof n)
		n = -1;
	close(fd[0]);
	waitpid(pid, &st, 0);
	return n;
}

int
main(void)
{
	long def = child_faults(0), kept = child_faults(1);
	int rounds = ROUNDS - WARM;

	printf("# %d rounds of %d messages of %d bytes, allocated in one "
	    "thread and freed in another: %ld page faults with glibc's "
	    "thresholds, %ld after heap_keep()\n", rounds, INFLIGHT, MSG, def,
	    kept);
	if (kept == -2) {
		/* A sanitizer's allocator has no such thresholds. */
		printf("ok 1 # SKIP not glibc's allocator: heap_keep() has "
		    "nothing to set\n1..1\n");
		return 0;
	}
	ok(def >= rounds, "glibc's defaults: the pattern faults at least once "
	    "a round (the case heap_keep is for)");
	ok(kept >= 0 && kept < rounds / 10, "heap_keep: the same pattern "
	    "reuses the memory, under one fault in ten rounds");
	return tap_done();
}
