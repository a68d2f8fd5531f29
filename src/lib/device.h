/* device.h: a device several workers share (a GPU), at most `slots` of
 * them computing on it at a time, the others queued in arrival order.
 *
 * The supervisor creates the device as a memory file (device_create) and
 * passes it to each worker that names it, as a descriptor. The file holds
 * a process-shared robust mutex guarding the queue, and one robust mutex
 * per entry, which the process waiting or computing holds: when it dies,
 * the next process that looks finds EOWNERDEAD and frees its entry, so a
 * worker killed on the device costs the others at most a few milliseconds
 * more than its computation would have. Waiters sleep on a futex that every
 * change wakes.
 */
#ifndef FS_DEVICE_H
#define FS_DEVICE_H

#include <signal.h>
#include <stddef.h>

#define DEVICE_SLOTS_MAX	64
#define DEVICE_ENTRIES		256	/* processes waiting or computing */

struct device;

/* A new device file of slots (1..DEVICE_SLOTS_MAX): its descriptor, or -1
 * with the reason in err. */
int	 device_create(unsigned slots, char *err, size_t errlen);
/* Map a device file (fd stays open, the caller's): NULL with err. */
struct device *device_attach(int fd, char *err, size_t errlen);
void	 device_detach(struct device **);
unsigned device_slots(const struct device *);
/* Processes waiting for a slot, and computing on one. */
void	 device_count(struct device *, unsigned *waiting, unsigned *holding);
/* Wait for a slot, in arrival order: 0 once held; 1 when a signal of
 * stop (may be NULL) is pending, the place given up; -1 with err when
 * the queue is full. */
int	 device_acquire(struct device *, const sigset_t *stop, char *err,
	    size_t errlen);
void	 device_release(struct device *);

#endif
