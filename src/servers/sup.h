/* sup.h: the state machine of one supervised process, as a pure step
 * function.
 *
 * sup_step() takes the current state, an event and the time, updates the
 * state and tells the caller the one thing to do (spawn, SIGTERM, SIGKILL,
 * nothing). It never touches a process, a clock or a random source itself,
 * so tests/unit_sup.c drives it with made-up times. doc/states.md draws it.
 */
#ifndef FS_SUP_H
#define FS_SUP_H

#include <stddef.h>
#include <stdint.h>

#define SUP_BURST_MAX	32	/* failed starts remembered for the crash-loop limit */
#define SUP_CAUSE_MAX	160

enum sup_state {
	SUP_STOPPED,	/* not running, not wanted */
	SUP_STARTING,	/* spawned, waiting for READY=1 */
	SUP_READY,	/* READY=1 received */
	SUP_BACKOFF,	/* died, waiting to be restarted */
	SUP_STOPPING,	/* SIGTERM sent, waiting to reap it */
	SUP_EXITED,	/* ended and not to be restarted (policy) */
	SUP_FAILED	/* crash loop: given up until reset or start */
};

enum sup_event {
	SUP_EV_START,	/* wanted: operator start, config added */
	SUP_EV_STOP,	/* not wanted: operator stop, removed, shutdown */
	SUP_EV_RESTART,	/* operator restart, config changed */
	SUP_EV_RESET,	/* forget the crash history; a FAILED one starts */
	SUP_EV_READY,	/* READY=1 arrived from its pid */
	SUP_EV_EXIT,	/* reaped: arg is the wait status */
	SUP_EV_TIMER	/* its deadline passed */
};

enum sup_action {
	SUP_ACT_NONE,
	SUP_ACT_SPAWN,	/* start the process now */
	SUP_ACT_TERM,	/* send SIGTERM to it */
	SUP_ACT_KILL	/* send SIGKILL to it */
};

enum sup_restart {
	SUP_RESTART_NO,
	SUP_RESTART_ON_FAILURE,
	SUP_RESTART_ALWAYS
};

/* All durations in nanoseconds. */
struct sup_policy {
	enum sup_restart mode;
	uint64_t backoff_min;
	uint64_t backoff_max;
	int	burst;		/* failed starts within interval => FAILED */
	uint64_t interval;
	uint64_t min_uptime;	/* READY this long: a good start, backoff reset */
	uint64_t start_timeout;	/* no READY=1 by then: killed, a failed start */
	uint64_t stop_timeout;	/* SIGTERM, then SIGKILL after this */
};

/* What to do once the process being stopped is reaped. */
enum sup_after {
	SUP_AFTER_STOP,		/* go to STOPPED */
	SUP_AFTER_START,	/* spawn it again at once (restart) */
	SUP_AFTER_POLICY	/* a failed start: the restart policy decides */
};

struct sup {
	enum sup_state state;
	enum sup_after after;	/* in STOPPING */
	uint64_t deadline;	/* 0: none */
	uint64_t since;		/* entered the current state */
	uint64_t started;	/* last spawn */
	uint64_t ready;		/* last READY=1, 0 if not since the spawn */
	uint64_t backoff;	/* the next delay before a restart */
	uint64_t fails[SUP_BURST_MAX];	/* times of recent failed starts, a ring */
	int	nfails;		/* valid entries in fails */
	int	killed;		/* SIGKILL already sent in STOPPING */
	unsigned restarts;	/* automatic restarts so far */
	int	has_exit;
	int	last_status;	/* wait status of the last exit */
	char	cause[SUP_CAUSE_MAX];	/* why the last transition happened */
};

void		 sup_init(struct sup *, const struct sup_policy *);
/* rnd: a uniform random number for the backoff jitter. */
enum sup_action	 sup_step(struct sup *, const struct sup_policy *, enum sup_event,
		    int arg, uint64_t now, uint32_t rnd);

const char	*sup_state_name(enum sup_state);
const char	*sup_event_name(enum sup_event);
/* "exited with status 3", "killed by signal 9 (Killed)". */
void		 sup_status_str(int wstatus, char *buf, size_t len);
/* Failed starts within the policy's interval ending at now. */
int		 sup_recent_fails(const struct sup *, const struct sup_policy *, uint64_t now);
/* Is the process supposed to be running or about to be (not settled)? */
int		 sup_is_settled(const struct sup *);

#endif
