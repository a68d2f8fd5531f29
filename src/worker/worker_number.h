/* worker_number.h: a numeric option of fake-worker's, checked. */
#ifndef FS_WORKER_NUMBER_H
#define FS_WORKER_NUMBER_H

/* An option's number within [lo, hi]; a usage error exits. */
double	 worker_number(const char *opt, const char *s, double lo, double hi);

#endif
