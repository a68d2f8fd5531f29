/* client.h: fake-client's program: what its main (client.c) drives, the
 * setup and the modes. The run's data model is client_types.h.
 *
 * Modules, each with its header, each using only those below it:
 *   client.c          main, options, mode dispatch
 *   client_types.h    the data model every module shares
 *   client_run.c      the video pipeline; client_sweep.c the same at
 *                     rising load, to its knee; client_hello.c,
 *                     client_echo.c the seed's other experiments
 *   client_setup.c    targets from the config and --endpoint;
 *                     client_curve.c their CURVE keys
 *   client_report.c   the run's text report, and its files: client_csv.c,
 *                     client_json.c, client_svg.c; over client_stats.c,
 *                     client_file.c and client_pyrepr.c
 *   client_path.c     an endpoint's path to its worker (send, poll,
 *                     receive, fallback) over client_net.c (the DEALER),
 *                     client_lane.c (its lane), client_shm.c (the ring)
 *                     and client_fifo.c (its requests outstanding)
 */
#ifndef FS_CLIENT_H
#define FS_CLIENT_H

#include "client_echo.h"
#include "client_hello.h"
#include "client_run.h"
#include "client_setup.h"
#include "client_sweep.h"
#include "client_types.h"

#endif
