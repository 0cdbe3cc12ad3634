// Whether a tracer is attached to the dispatcher's USDT probes (dispatcher.cpp defines them and
// their semaphores). Every path that serves NT calls without ir_dispatch - the fast gate's file
// lane - asks this first and leaves the call to the dispatcher while one is, so traces miss
// nothing.
#pragma once

#ifndef IREACTOR_NT_PROBES
#define IREACTOR_NT_PROBES 1
#endif

#if IREACTOR_NT_PROBES
extern "C" volatile unsigned short ireactor_nt_enter_semaphore;
extern "C" volatile unsigned short ireactor_nt_exit_semaphore;
#endif

namespace ireactor {

inline bool nt_probes_attached() {
#if IREACTOR_NT_PROBES
  return (ireactor_nt_enter_semaphore | ireactor_nt_exit_semaphore) != 0;
#else
  return false;
#endif
}

}  // namespace ireactor
