/* unit_sup.c: the supervision state machine (sup.c) driven with made-up
 * times: readiness, restarts with capped exponential backoff and jitter,
 * the crash-loop limit, stop and restart, the restart policies. TAP. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "sup.h"
#include "tap.h"

#define MS	1000000ull
#define SEC	(1000 * MS)
#define EXIT_STATUS(n)	((n) << 8)
#define KILLED(sig)	(sig)



static struct sup_policy
policy(enum sup_restart mode)
{
	struct sup_policy p = {
		.mode = mode, .backoff_min = 100 * MS, .backoff_max = 10 * SEC,
		.burst = 5, .interval = 30 * SEC, .min_uptime = 1 * SEC,
		.start_timeout = 5 * SEC, .stop_timeout = 2 * SEC
	};

	return p;
}

/* A started, READY process at time t (returns t after READY). */
static uint64_t
up(struct sup *s, const struct sup_policy *p, uint64_t t)
{
	sup_init(s, p);
	sup_step(s, p, SUP_EV_START, 0, t, 0);
	sup_step(s, p, SUP_EV_READY, 0, t + 20 * MS, 0);
	return t + 20 * MS;
}

static void
test_start_ready(void)
{
	struct sup_policy p = policy(SUP_RESTART_ON_FAILURE);
	struct sup s;

	sup_init(&s, &p);
	ok(s.state == SUP_STOPPED && s.deadline == 0, "a new process is STOPPED");
	ok(sup_step(&s, &p, SUP_EV_START, 0, 1 * SEC, 0) == SUP_ACT_SPAWN, "start spawns");
	ok(s.state == SUP_STARTING && s.deadline == 6 * SEC, "STARTING until the start timeout");
	ok(sup_step(&s, &p, SUP_EV_START, 0, 1 * SEC, 0) == SUP_ACT_NONE, "a second start does nothing");
	ok(sup_step(&s, &p, SUP_EV_READY, 0, 1 * SEC + 30 * MS, 0) == SUP_ACT_NONE &&
	    s.state == SUP_READY, "READY=1 makes it READY");
	ok(s.deadline == 2 * SEC + 30 * MS, "READY carries the min_uptime deadline");
	ok(strstr(s.cause, "after 30 ms") != NULL, "the cause says how long the start took");
	ok(sup_step(&s, &p, SUP_EV_READY, 0, 2 * SEC, 0) == SUP_ACT_NONE &&
	    s.state == SUP_READY, "a second READY=1 changes nothing");
	sup_step(&s, &p, SUP_EV_TIMER, 0, 2 * SEC + 30 * MS, 0);
	ok(s.state == SUP_READY && s.deadline == 0, "min_uptime passed: still READY, no deadline");
}

static void
test_kill_restart(void)
{
	struct sup_policy p = policy(SUP_RESTART_ON_FAILURE);
	struct sup s;
	uint64_t t = up(&s, &p, 0);

	sup_step(&s, &p, SUP_EV_TIMER, 0, t + p.min_uptime, 0);
	t = 100 * SEC;
	ok(sup_step(&s, &p, SUP_EV_EXIT, KILLED(SIGKILL), t, 0x80000000u) == SUP_ACT_NONE &&
	    s.state == SUP_BACKOFF, "SIGKILL of a READY process: BACKOFF");
	ok(s.deadline >= t + 90 * MS && s.deadline <= t + 110 * MS,
	    "after a long uptime the first delay is backoff_min +-10 %");
	ok(strstr(s.cause, "killed by signal 9 (Killed)") != NULL, "the cause decodes the signal");
	ok(sup_recent_fails(&s, &p, t) == 0, "a death after min_uptime is not a failed start");
	ok(sup_step(&s, &p, SUP_EV_TIMER, 0, s.deadline, 0) == SUP_ACT_SPAWN &&
	    s.state == SUP_STARTING && s.restarts == 1, "the backoff timer respawns it");
}

static void
test_backoff(void)
{
	struct sup_policy p = policy(SUP_RESTART_ALWAYS);
	static const uint64_t want[] = { 100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000 };
	uint64_t t = 0, d;
	struct sup s;
	size_t i;
	int good = 1, capped = 1;

	p.burst = 100;
	p.interval = 1;	/* fails never accumulate: only the backoff is tested */
	sup_init(&s, &p);
	sup_step(&s, &p, SUP_EV_START, 0, t, 0);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		t += 10 * MS;
		sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(1), t, 0x80000000u);
		d = s.deadline - t;
		good &= s.state == SUP_BACKOFF && d == want[i] * MS;
		capped &= d <= p.backoff_max;
		t = s.deadline;
		sup_step(&s, &p, SUP_EV_TIMER, 0, t, 0);
	}
	ok(good, "failed starts double the delay: 100, 200, 400 ... ms");
	ok(capped, "the delay is capped at backoff_max");
	sup_step(&s, &p, SUP_EV_READY, 0, t + MS, 0);
	sup_step(&s, &p, SUP_EV_TIMER, 0, t + MS + p.min_uptime, 0);
	sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(1), t + 10 * SEC, 0);
	ok(s.deadline - t - 10 * SEC == 90 * MS, "READY for min_uptime resets the backoff (jitter -10 %)");
	sup_step(&s, &p, SUP_EV_TIMER, 0, s.deadline, 0);
	sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(1), s.deadline + MS, 0xffffffffu);
	d = s.deadline - s.since;
	ok(d > 219 * MS && d <= 220 * MS, "jitter is at most +10 %");
}

static void
test_crash_loop(void)
{
	struct sup_policy p = policy(SUP_RESTART_ON_FAILURE);
	uint64_t t = 0;
	struct sup s;
	int i;

	sup_init(&s, &p);
	sup_step(&s, &p, SUP_EV_START, 0, t, 0);
	for (i = 0; i < 4; i++) {
		sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(3), t + 5 * MS, 0);
		t = s.deadline;
		sup_step(&s, &p, SUP_EV_TIMER, 0, t, 0);
	}
	ok(s.state == SUP_STARTING && sup_recent_fails(&s, &p, t) == 4, "4 failed starts: still trying");
	sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(3), t + 5 * MS, 0);
	ok(s.state == SUP_FAILED && s.deadline == 0, "the 5th failed start within 30 s: FAILED");
	ok(strstr(s.cause, "exited with status 3") != NULL && strstr(s.cause, "5 failed starts") != NULL,
	    "the cause gives the exit status and the count");
	ok(sup_step(&s, &p, SUP_EV_TIMER, 0, t + 100 * SEC, 0) == SUP_ACT_NONE &&
	    s.state == SUP_FAILED, "FAILED stays FAILED");
	ok(sup_step(&s, &p, SUP_EV_RESET, 0, t + 100 * SEC, 0) == SUP_ACT_SPAWN &&
	    s.state == SUP_STARTING && sup_recent_fails(&s, &p, t + 100 * SEC) == 0,
	    "reset forgets the failures and starts it");
	sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(3), t + 101 * SEC, 0);
	sup_step(&s, &p, SUP_EV_STOP, 0, t + 101 * SEC, 0);
	ok(s.state == SUP_STOPPED, "stop during BACKOFF: STOPPED");
}

static void
test_crash_window(void)
{
	struct sup_policy p = policy(SUP_RESTART_ON_FAILURE);
	uint64_t t = 0;
	struct sup s;
	int i, never = 1;

	sup_init(&s, &p);
	sup_step(&s, &p, SUP_EV_START, 0, t, 0);
	for (i = 0; i < 20; i++) {	/* one failed start every 8 s: 4 per 30 s */
		t += 8 * SEC;
		sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(1), t, 0);
		never &= s.state == SUP_BACKOFF;
		sup_step(&s, &p, SUP_EV_TIMER, 0, s.deadline, 0);
	}
	ok(never, "failed starts spread wider than the interval never reach FAILED");
	sup_init(&s, &p);
	t = up(&s, &p, 0);
	sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(1), t + 500 * MS, 0);
	ok(sup_recent_fails(&s, &p, t + 500 * MS) == 1, "a death within min_uptime of READY is a failed start");
}

static void
test_start_timeout(void)
{
	struct sup_policy p = policy(SUP_RESTART_ON_FAILURE);
	struct sup s;

	sup_init(&s, &p);
	sup_step(&s, &p, SUP_EV_START, 0, 0, 0);
	ok(sup_step(&s, &p, SUP_EV_TIMER, 0, p.start_timeout, 0) == SUP_ACT_KILL &&
	    s.state == SUP_STOPPING, "no READY=1 by the start timeout: SIGKILL");
	ok(strstr(s.cause, "no READY=1 within 5000 ms") != NULL, "the cause says so");
	sup_step(&s, &p, SUP_EV_EXIT, KILLED(SIGKILL), p.start_timeout + MS, 0);
	ok(s.state == SUP_BACKOFF && sup_recent_fails(&s, &p, p.start_timeout + MS) == 1,
	    "then it counts as a failed start and is retried");
	ok(strstr(s.cause, "no READY=1") != NULL, "the reaped timeout keeps its cause");
}

static void
test_stop_restart(void)
{
	struct sup_policy p = policy(SUP_RESTART_ALWAYS);
	struct sup s;
	uint64_t t = up(&s, &p, 0);

	ok(sup_step(&s, &p, SUP_EV_STOP, 0, t, 0) == SUP_ACT_TERM && s.state == SUP_STOPPING &&
	    s.deadline == t + p.stop_timeout, "stop: SIGTERM, STOPPING until the stop timeout");
	ok(sup_step(&s, &p, SUP_EV_TIMER, 0, t + p.stop_timeout, 0) == SUP_ACT_KILL,
	    "still there at the stop timeout: SIGKILL");
	ok(sup_step(&s, &p, SUP_EV_TIMER, 0, t + 3 * p.stop_timeout, 0) == SUP_ACT_NONE,
	    "SIGKILL is sent once");
	sup_step(&s, &p, SUP_EV_EXIT, KILLED(SIGKILL), t + p.stop_timeout + MS, 0);
	ok(s.state == SUP_STOPPED && s.deadline == 0, "reaped: STOPPED, even with restart=always");
	t = up(&s, &p, 10 * SEC);
	ok(sup_step(&s, &p, SUP_EV_RESTART, 0, t, 0) == SUP_ACT_TERM, "restart: SIGTERM first");
	ok(sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(0), t + MS, 0) == SUP_ACT_SPAWN &&
	    s.state == SUP_STARTING, "then a spawn as soon as it is reaped");
	sup_step(&s, &p, SUP_EV_STOP, 0, t + 2 * MS, 0);
	sup_step(&s, &p, SUP_EV_START, 0, t + 3 * MS, 0);
	ok(sup_step(&s, &p, SUP_EV_EXIT, EXIT_STATUS(0), t + 4 * MS, 0) == SUP_ACT_SPAWN,
	    "start while STOPPING: spawned once reaped");
}

static void
test_policies(void)
{
	struct sup_policy no = policy(SUP_RESTART_NO), onf = policy(SUP_RESTART_ON_FAILURE),
	    al = policy(SUP_RESTART_ALWAYS);
	struct sup s;
	uint64_t t;

	t = up(&s, &no, 0);
	sup_step(&s, &no, SUP_EV_EXIT, EXIT_STATUS(1), t + 5 * SEC, 0);
	ok(s.state == SUP_EXITED, "restart=no: EXITED after a failure");
	t = up(&s, &onf, 0);
	sup_step(&s, &onf, SUP_EV_EXIT, EXIT_STATUS(0), t + 5 * SEC, 0);
	ok(s.state == SUP_EXITED, "restart=on-failure: a clean exit is not restarted");
	t = up(&s, &onf, 0);
	sup_step(&s, &onf, SUP_EV_EXIT, KILLED(SIGSEGV), t + 5 * SEC, 0);
	ok(s.state == SUP_BACKOFF, "restart=on-failure: a crash is restarted");
	sup_init(&s, &onf);
	sup_step(&s, &onf, SUP_EV_START, 0, 0, 0);
	sup_step(&s, &onf, SUP_EV_EXIT, EXIT_STATUS(0), MS, 0);
	ok(s.state == SUP_BACKOFF, "restart=on-failure: exit 0 before READY is a failure");
	t = up(&s, &al, 0);
	sup_step(&s, &al, SUP_EV_EXIT, EXIT_STATUS(0), t + 5 * SEC, 0);
	ok(s.state == SUP_BACKOFF, "restart=always: a clean exit is restarted");
	ok(sup_step(&s, &al, SUP_EV_START, 0, t + 5 * SEC + MS, 0) == SUP_ACT_SPAWN,
	    "start during BACKOFF spawns at once");
}

static void
test_names(void)
{
	char buf[96];

	sup_status_str(EXIT_STATUS(3), buf, sizeof buf);
	ok(strcmp(buf, "exited with status 3") == 0, "exit status decoded");
	sup_status_str(KILLED(SIGKILL), buf, sizeof buf);
	ok(strcmp(buf, "killed by signal 9 (Killed)") == 0, "signal decoded");
	ok(strcmp(sup_state_name(SUP_FAILED), "FAILED") == 0 &&
	    strcmp(sup_state_name((enum sup_state)99), "?") == 0, "state names");
}

int
main(void)
{
	test_start_ready();
	test_kill_restart();
	test_backoff();
	test_crash_loop();
	test_crash_window();
	test_start_timeout();
	test_stop_restart();
	test_policies();
	test_names();
	return tap_done();
}
