/* device_fd.c: run a command with a shared device's file on descriptor 3,
 * for the scenarios that test fake-worker's --device-fd as fake-servers
 * would pass it.
 *
 *   device_fd SLOTS COMMAND [ARG...]
 *
 * Creates the device (device_create) with SLOTS slots and execs COMMAND
 * with the file on descriptor 3, inherited by whatever COMMAND starts.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"

int
main(int argc, char **argv)
{
	char err[256], *end;
	unsigned long slots;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: device_fd SLOTS COMMAND [ARG...]\n");
		return 2;
	}
	slots = strtoul(argv[1], &end, 10);
	if (end == argv[1] || *end != '\0' || slots > DEVICE_SLOTS_MAX ||
	    (fd = device_create((unsigned)slots, err, sizeof err)) == -1) {
		fprintf(stderr, "device_fd: %s\n", end == argv[1] ||
		    *end != '\0' || slots > DEVICE_SLOTS_MAX ?
		    "bad SLOTS" : err);
		return 1;
	}
	/* dup2 clears FD_CLOEXEC on the copy; a file already on 3 keeps
	 * the flag device_create set, so clear it. */
	if ((fd != 3 && dup2(fd, 3) == -1) || fcntl(3, F_SETFD, 0) == -1) {
		perror("device_fd: descriptor 3");
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "device_fd: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
