/* sup.c: the supervision state machine of one process (see sup.h and
 * doc/states.md). Pure: no system calls, the caller does what it returns. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "sup.h"

#define MS(ns)	((unsigned long long)((ns) / 1000000u))

static const char *const sup_state_names[] = {
	"STOPPED", "STARTING", "READY", "BACKOFF", "STOPPING", "EXITED", "FAILED"
};
static const char *const sup_event_names[] = {
	"start", "stop", "restart", "reset", "ready", "exit", "timer"
};

const char *
sup_state_name(enum sup_state st)
{
	if ((unsigned)st >= sizeof sup_state_names / sizeof sup_state_names[0])
		return "?";
	return sup_state_names[st];
}

const char *
sup_event_name(enum sup_event ev)
{
	if ((unsigned)ev >= sizeof sup_event_names / sizeof sup_event_names[0])
		return "?";
	return sup_event_names[ev];
}

void
sup_status_str(int wstatus, char *buf, size_t len)
{
	if (WIFEXITED(wstatus))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by signal %d (%s)%s", WTERMSIG(wstatus),
		    strsignal(WTERMSIG(wstatus)),
		    WCOREDUMP(wstatus) ? ", core dumped" : "");
	else
		snprintf(buf, len, "wait status 0x%x", (unsigned)wstatus);
}

void
sup_init(struct sup *s, const struct sup_policy *p)
{
	memset(s, 0, sizeof *s);
	s->state = SUP_STOPPED;
	s->backoff = p->backoff_min;
}

int
sup_is_settled(const struct sup *s)
{
	return s->state == SUP_READY || s->state == SUP_STOPPED ||
	    s->state == SUP_EXITED || s->state == SUP_FAILED;
}

static int
sup_burst(const struct sup_policy *p)
{
	return p->burst > SUP_BURST_MAX ? SUP_BURST_MAX : p->burst;
}

int
sup_recent_fails(const struct sup *s, const struct sup_policy *p, uint64_t now)
{
	int i, n, valid;

	valid = s->nfails < SUP_BURST_MAX ? s->nfails : SUP_BURST_MAX;
	for (i = n = 0; i < valid; i++)
		if (now - s->fails[i] < p->interval)
			n++;
	return n;
}

static void
sup_enter(struct sup *s, enum sup_state st, uint64_t now, uint64_t deadline)
{
	s->state = st;
	s->since = now;
	s->deadline = deadline;
}

static enum sup_action
sup_spawn(struct sup *s, const struct sup_policy *p, uint64_t now)
{
	sup_enter(s, SUP_STARTING, now, now + p->start_timeout);
	s->started = now;
	s->ready = 0;
	return SUP_ACT_SPAWN;
}

static enum sup_action
sup_term(struct sup *s, const struct sup_policy *p, uint64_t now, enum sup_after after)
{
	sup_enter(s, SUP_STOPPING, now, now + p->stop_timeout);
	s->after = after;
	s->killed = 0;
	return SUP_ACT_TERM;
}

static void
sup_forget(struct sup *s, const struct sup_policy *p)
{
	s->nfails = 0;
	s->backoff = p->backoff_min;
}

/* The delay before the next restart: the backoff +-10 %, then doubled. */
static uint64_t
sup_next_delay(struct sup *s, const struct sup_policy *p, uint32_t rnd)
{
	uint64_t d = s->backoff, j = d / 5;

	d = d - d / 10 + (uint64_t)((double)j * ((double)rnd / 4294967296.0));
	s->backoff = s->backoff * 2 > p->backoff_max ? p->backoff_max : s->backoff * 2;
	if (s->backoff < p->backoff_min)
		s->backoff = p->backoff_min;
	return d;
}

static int
sup_wants_restart(const struct sup_policy *p, int failed, int wstatus)
{
	int clean = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;

	if (p->mode == SUP_RESTART_ALWAYS)
		return 1;
	return p->mode == SUP_RESTART_ON_FAILURE && (failed || !clean);
}

/* The process is gone on its own (or after a start timeout): apply the
 * restart policy and the crash-loop limit. */
static enum sup_action
sup_policy_apply(struct sup *s, const struct sup_policy *p, int failed,
    uint64_t now, uint32_t rnd)
{
	char st[64];
	size_t n;
	uint64_t d;
	int burst = sup_burst(p);

	sup_status_str(s->last_status, st, sizeof st);
	if (s->cause[0] == '\0' || s->state != SUP_STOPPING)
		snprintf(s->cause, sizeof s->cause, "%s", st);
	n = strlen(s->cause);
	if (failed)
		s->fails[s->nfails++ % SUP_BURST_MAX] = now;
	if (!sup_wants_restart(p, failed, s->last_status)) {
		snprintf(s->cause + n, sizeof s->cause - n, "; not restarted (policy)");
		sup_enter(s, SUP_EXITED, now, 0);
		return SUP_ACT_NONE;
	}
	if (failed && burst > 0 && sup_recent_fails(s, p, now) >= burst) {
		snprintf(s->cause + n, sizeof s->cause - n,
		    "; %d failed starts within %llu s: giving up until reset",
		    sup_recent_fails(s, p, now), MS(p->interval) / 1000);
		sup_enter(s, SUP_FAILED, now, 0);
		return SUP_ACT_NONE;
	}
	d = sup_next_delay(s, p, rnd);
	snprintf(s->cause + n, sizeof s->cause - n, "; restart in %llu ms", MS(d));
	sup_enter(s, SUP_BACKOFF, now, now + d);
	return SUP_ACT_NONE;
}

static enum sup_action
sup_on_start(struct sup *s, const struct sup_policy *p, uint64_t now)
{
	switch (s->state) {
	case SUP_FAILED:
		sup_forget(s, p);
		/* FALLTHROUGH */
	case SUP_STOPPED:
	case SUP_EXITED:
	case SUP_BACKOFF:
		snprintf(s->cause, sizeof s->cause, "started");
		return sup_spawn(s, p, now);
	case SUP_STOPPING:
		s->after = SUP_AFTER_START;
		return SUP_ACT_NONE;
	default:
		return SUP_ACT_NONE;
	}
}

static enum sup_action
sup_on_stop(struct sup *s, const struct sup_policy *p, uint64_t now)
{
	snprintf(s->cause, sizeof s->cause, "stop requested");
	switch (s->state) {
	case SUP_STARTING:
	case SUP_READY:
		return sup_term(s, p, now, SUP_AFTER_STOP);
	case SUP_STOPPING:
		s->after = SUP_AFTER_STOP;
		return SUP_ACT_NONE;
	case SUP_BACKOFF:
	case SUP_EXITED:
	case SUP_FAILED:
		sup_enter(s, SUP_STOPPED, now, 0);
		return SUP_ACT_NONE;
	default:
		return SUP_ACT_NONE;
	}
}

static enum sup_action
sup_on_restart(struct sup *s, const struct sup_policy *p, uint64_t now)
{
	switch (s->state) {
	case SUP_STARTING:
	case SUP_READY:
		snprintf(s->cause, sizeof s->cause, "restart requested");
		return sup_term(s, p, now, SUP_AFTER_START);
	case SUP_STOPPING:
		s->after = SUP_AFTER_START;
		return SUP_ACT_NONE;
	default:
		return sup_on_start(s, p, now);
	}
}

static enum sup_action
sup_on_timer(struct sup *s, const struct sup_policy *p, uint64_t now)
{
	switch (s->state) {
	case SUP_STARTING:
		snprintf(s->cause, sizeof s->cause, "no READY=1 within %llu ms",
		    MS(p->start_timeout));
		sup_enter(s, SUP_STOPPING, now, 0);
		s->after = SUP_AFTER_POLICY;
		s->killed = 1;
		return SUP_ACT_KILL;
	case SUP_READY:
		s->backoff = p->backoff_min;	/* up long enough: a good start */
		s->deadline = 0;
		return SUP_ACT_NONE;
	case SUP_BACKOFF:
		s->restarts++;
		snprintf(s->cause, sizeof s->cause, "restart #%u", s->restarts);
		return sup_spawn(s, p, now);
	case SUP_STOPPING:
		if (s->killed)
			return SUP_ACT_NONE;
		snprintf(s->cause, sizeof s->cause,
		    "did not stop within %llu ms of SIGTERM", MS(p->stop_timeout));
		s->killed = 1;
		s->deadline = 0;
		return SUP_ACT_KILL;
	default:
		s->deadline = 0;
		return SUP_ACT_NONE;
	}
}

static enum sup_action
sup_on_exit(struct sup *s, const struct sup_policy *p, int wstatus,
    uint64_t now, uint32_t rnd)
{
	char st[64];

	s->has_exit = 1;
	s->last_status = wstatus;
	switch (s->state) {
	case SUP_STOPPING:
		if (s->after == SUP_AFTER_POLICY)
			return sup_policy_apply(s, p, 1, now, rnd);
		sup_status_str(wstatus, st, sizeof st);
		snprintf(s->cause, sizeof s->cause, "%s", st);
		if (s->after == SUP_AFTER_START)
			return sup_spawn(s, p, now);
		sup_enter(s, SUP_STOPPED, now, 0);
		return SUP_ACT_NONE;
	case SUP_STARTING:
		s->cause[0] = '\0';
		return sup_policy_apply(s, p, 1, now, rnd);
	case SUP_READY:
		s->cause[0] = '\0';
		return sup_policy_apply(s, p, now - s->ready < p->min_uptime, now, rnd);
	default:
		return SUP_ACT_NONE;
	}
}

enum sup_action
sup_step(struct sup *s, const struct sup_policy *p, enum sup_event ev, int arg,
    uint64_t now, uint32_t rnd)
{
	switch (ev) {
	case SUP_EV_START:
		return sup_on_start(s, p, now);
	case SUP_EV_STOP:
		return sup_on_stop(s, p, now);
	case SUP_EV_RESTART:
		return sup_on_restart(s, p, now);
	case SUP_EV_RESET:
		sup_forget(s, p);
		if (s->state != SUP_FAILED)
			return SUP_ACT_NONE;
		snprintf(s->cause, sizeof s->cause, "reset");
		return sup_spawn(s, p, now);
	case SUP_EV_READY:
		if (s->state != SUP_STARTING)
			return SUP_ACT_NONE;
		snprintf(s->cause, sizeof s->cause, "READY=1 after %llu ms",
		    MS(now - s->started));
		sup_enter(s, SUP_READY, now, now + p->min_uptime);
		s->ready = now;
		return SUP_ACT_NONE;
	case SUP_EV_EXIT:
		return sup_on_exit(s, p, arg, now, rnd);
	case SUP_EV_TIMER:
		return sup_on_timer(s, p, now);
	}
	return SUP_ACT_NONE;
}
