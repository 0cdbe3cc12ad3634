// The fast gate thunk (fast_gate.S), whose address install_gate_page() publishes at
// kGatePointerAddress. Not callable from C++: it takes the NT call in Windows syscall registers
// (eax = number, r10/rdx/r8/r9 = arguments, fifth and later at rsp + 0x30 on entry).
#pragma once

extern "C" void ir_fast_gate();
