/* wkstats_run.c: run a command with a request counters file on
 * descriptor 4, as fake-servers passes its own to fake-worker
 * (--stats-fd 4 --stats-slot 0), and print slot 0's counters when it ends.
 *
 *   wkstats_run COMMAND [ARG...]
 *
 * Prints "success=N failure=N inferences=N execs=N queue_ns=N
 * compute_ns=N" and exits with the command's status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wkstats.h"

int
main(int argc, char **argv)
{
	struct wkstats_file f;
	struct wkstats s;
	pid_t pid;
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: wkstats_run COMMAND [ARG...]\n");
		return 2;
	}
	if (wkstats_file_open(&f) == -1 || wkstats_file_alloc(&f, 0) != 0 ||
	    dup2(f.fd, 4) == -1) {
		fprintf(stderr, "wkstats_run: %s\n", strerror(errno));
		return 1;
	}
	if ((pid = fork()) == -1) {
		perror("wkstats_run: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "wkstats_run: %s: %s\n", argv[1],
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			perror("wkstats_run: waitpid");
			return 1;
		}
	wkstats_read(wkstats_file_slot(&f, 0), &s);
	printf("success=%" PRIu64 " failure=%" PRIu64 " inferences=%" PRIu64
	    " execs=%" PRIu64 " queue_ns=%" PRIu64 " compute_ns=%" PRIu64 "\n",
	    s.success, s.failure, s.inferences, s.execs, s.queue_ns,
	    s.compute_ns);
	wkstats_file_close(&f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
