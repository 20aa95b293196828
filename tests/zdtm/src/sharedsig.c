/* threadsig with process-directed signals beside the thread-directed ones (see
 * threadsig.c). j386 keeps no process-wide pending set and no queue of real-time signals
 * yet, so this program is not in ZdtmTest (README). */
#define SHARED 1
#include "threadsig.c"
