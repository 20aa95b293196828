/* threadsig with process-directed signals beside the thread-directed ones (see
 * threadsig.c): signals sent to the process wait in the set its threads share until the
 * thread that unblocks them takes them, and real-time ones queue every instance. */
#define SHARED 1
#include "threadsig.c"
