/* RtlVirtualUnwind: steps a CONTEXT from a function back to its caller with the function's x64
 * unwind data, as Windows does: every unwind code, chained unwind info, and the epilogue check
 * (a PC inside an epilogue is unwound by emulating the rest of the epilogue). */
#include "exception_private.h"

static ULONG64* int_reg(CONTEXT* c, unsigned n) {
  return &c->Rax + n; /* Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8-R15 in CONTEXT order */
}

static void set_int(CONTEXT* c, KNONVOLATILE_CONTEXT_POINTERS* ptrs, unsigned n, ULONG64* at) {
  *int_reg(c, n) = *at;
  if (ptrs) ptrs->IntegerContext[n] = at;
}

static void set_xmm(CONTEXT* c, KNONVOLATILE_CONTEXT_POINTERS* ptrs, unsigned n, M128A* at) {
  c->FltSave.XmmRegisters[n] = *at;
  if (ptrs) ptrs->FloatingContext[n] = at;
}

/* How many slots an unwind code takes. */
static unsigned code_slots(const EXCEPTIONS_UNWIND_CODE* code) {
  switch (code->UnwindOp) {
    case UWOP_ALLOC_LARGE:
      return code->OpInfo ? 3 : 2;
    case UWOP_SAVE_NONVOL:
    case UWOP_SAVE_XMM128:
    case UWOP_EPILOG:
      return 2;
    case UWOP_SAVE_NONVOL_FAR:
    case UWOP_SAVE_XMM128_FAR:
    case UWOP_SPARE_CODE:
      return 3;
    default:
      return 1;
  }
}

/* Whether pc is in an epilogue of the function: [add rsp, imm | lea rsp, [fp + disp]], pops,
 * then ret or a jump out of the function (a tail call). If so, emulates it into `c`. */
static BOOLEAN unwind_epilogue(CONTEXT* c, KNONVOLATILE_CONTEXT_POINTERS* ptrs, const BYTE* pc,
                               ULONG_PTR base, const RUNTIME_FUNCTION* fe, unsigned frame_reg) {
  const BYTE* p = pc;
  ULONG64 rsp = c->Rsp;
  if (p[0] == 0x48 && p[1] == 0x83 && p[2] == 0xC4) {
    rsp += (signed char)p[3];
    p += 4;
  } else if (p[0] == 0x48 && p[1] == 0x81 && p[2] == 0xC4) {
    rsp += *(const LONG*)(p + 3);
    p += 7;
  } else if ((p[0] & 0xFE) == 0x48 && p[1] == 0x8D && ((p[2] >> 3) & 7) == 4 && frame_reg &&
             (p[2] & 7) + ((p[0] & 1) << 3) == frame_reg) {
    const ULONG64 fp = *int_reg(c, frame_reg);
    if ((p[2] >> 6) == 1) {
      rsp = fp + (signed char)p[3];
      p += 4;
    } else if ((p[2] >> 6) == 2) {
      rsp = fp + *(const LONG*)(p + 3);
      p += 7;
    } else {
      return FALSE;
    }
  }
  /* pops, then the way out */
  const BYTE* q = p;
  unsigned pops = 0;
  for (;;) {
    if ((q[0] & 0xF8) == 0x58) {
      q += 1;
    } else if (q[0] == 0x41 && (q[1] & 0xF8) == 0x58) {
      q += 2;
    } else {
      break;
    }
    pops++;
  }
  const ULONG_PTR begin = base + fe->BeginAddress, end = base + fe->EndAddress;
  BOOLEAN exit = FALSE;
  if (q[0] == 0xC3 || q[0] == 0xC2 || (q[0] == 0xF3 && q[1] == 0xC3)) {
    exit = TRUE;
  } else if (q[0] == 0xE9) {
    const ULONG_PTR target = (ULONG_PTR)(q + 5) + *(const LONG*)(q + 1);
    exit = target < begin || target >= end;
  } else if (q[0] == 0xEB) {
    const ULONG_PTR target = (ULONG_PTR)(q + 2) + (signed char)q[1];
    exit = target < begin || target >= end;
  } else if (q[0] == 0xFF && q[1] == 0x25) {
    exit = TRUE;
  } else if ((q[0] & 0xF0) == 0x40 && q[1] == 0xFF && q[2] == 0x25) {
    exit = TRUE;
  }
  if (!exit) return FALSE;
  /* It is an epilogue: run the rest of it. */
  c->Rsp = rsp;
  while (pops--) {
    unsigned reg;
    if (p[0] == 0x41) {
      reg = 8 + (p[1] & 7);
      p += 2;
    } else {
      reg = p[0] & 7;
      p += 1;
    }
    set_int(c, ptrs, reg, (ULONG64*)c->Rsp);
    c->Rsp += 8;
  }
  c->Rip = *(ULONG64*)c->Rsp;
  c->Rsp += 8;
  return TRUE;
}

/* Applies the codes of one UNWIND_INFO (those whose prologue instruction has run). Returns
 * TRUE when a machine frame was popped (Rip and Rsp already set). */
static BOOLEAN apply_codes(CONTEXT* c, KNONVOLATILE_CONTEXT_POINTERS* ptrs,
                           const EXCEPTIONS_UNWIND_INFO* info, ULONG prolog_offset, ULONG64 frame) {
  const EXCEPTIONS_UNWIND_CODE* codes = info->UnwindCode;
  BOOLEAN machine_frame = FALSE;
  for (unsigned i = 0; i < info->CountOfCodes; i += code_slots(&codes[i])) {
    const EXCEPTIONS_UNWIND_CODE* code = &codes[i];
    if (info->Version < 2 || code->UnwindOp != UWOP_EPILOG) {
      if (prolog_offset < code->CodeOffset) continue; /* not executed yet */
    }
    switch (code->UnwindOp) {
      case UWOP_PUSH_NONVOL:
        set_int(c, ptrs, code->OpInfo, (ULONG64*)c->Rsp);
        c->Rsp += 8;
        break;
      case UWOP_ALLOC_LARGE:
        c->Rsp += code->OpInfo ? *(const ULONG*)&codes[i + 1] : codes[i + 1].FrameOffset * 8u;
        break;
      case UWOP_ALLOC_SMALL:
        c->Rsp += code->OpInfo * 8u + 8;
        break;
      case UWOP_SET_FPREG:
        c->Rsp = *int_reg(c, info->FrameRegister) - info->FrameOffset * 16u;
        break;
      case UWOP_SAVE_NONVOL:
        set_int(c, ptrs, code->OpInfo, (ULONG64*)(frame + codes[i + 1].FrameOffset * 8u));
        break;
      case UWOP_SAVE_NONVOL_FAR:
        set_int(c, ptrs, code->OpInfo, (ULONG64*)(frame + *(const ULONG*)&codes[i + 1]));
        break;
      case UWOP_SAVE_XMM128:
        set_xmm(c, ptrs, code->OpInfo, (M128A*)(frame + codes[i + 1].FrameOffset * 16u));
        break;
      case UWOP_SAVE_XMM128_FAR:
        set_xmm(c, ptrs, code->OpInfo, (M128A*)(frame + *(const ULONG*)&codes[i + 1]));
        break;
      case UWOP_PUSH_MACHFRAME: {
        if (code->OpInfo) c->Rsp += 8; /* the error code */
        const ULONG64* m = (const ULONG64*)c->Rsp;
        c->Rip = m[0];
        c->SegCs = (WORD)m[1];
        c->EFlags = (DWORD)m[2];
        c->Rsp = m[3];
        c->SegSs = (WORD)m[4];
        machine_frame = TRUE;
        break;
      }
      default: /* UWOP_EPILOG, the old SAVE_XMM codes: nothing to undo */
        break;
    }
  }
  return machine_frame;
}

NTDLL_EXPORT PEXCEPTION_ROUTINE NTAPI RtlVirtualUnwind(DWORD type, DWORD64 base, DWORD64 pc,
                                                       PRUNTIME_FUNCTION fe, PCONTEXT c,
                                                       PVOID* handler_data, PDWORD64 frame_out,
                                                       PKNONVOLATILE_CONTEXT_POINTERS ptrs) {
  EXCEPTIONS_UNWIND_INFO* info = (EXCEPTIONS_UNWIND_INFO*)(base + fe->UnwindData);
  const ULONG offset = (ULONG)(pc - base - fe->BeginAddress);
  const BOOLEAN in_prolog = offset < info->SizeOfProlog;

  /* The establisher frame: the frame register minus its offset once the prologue has set it
   * (so it is the stack pointer at the end of the prologue), else Rsp. */
  ULONG64 frame = c->Rsp;
  if (info->FrameRegister) {
    BOOLEAN fp_set = !in_prolog || (info->Flags & UNW_FLAG_CHAININFO);
    for (unsigned i = 0; !fp_set && i < info->CountOfCodes; i += code_slots(&info->UnwindCode[i]))
      if (info->UnwindCode[i].UnwindOp == UWOP_SET_FPREG &&
          info->UnwindCode[i].CodeOffset <= offset)
        fp_set = TRUE;
    if (fp_set) frame = *int_reg(c, info->FrameRegister) - info->FrameOffset * 16u;
  }
  *frame_out = frame;
  *handler_data = NULL;

  if (!in_prolog && unwind_epilogue(c, ptrs, (const BYTE*)pc, base, fe, info->FrameRegister))
    return NULL;

  BOOLEAN machine_frame = apply_codes(c, ptrs, info, in_prolog ? offset : ~0u, frame);
  EXCEPTIONS_UNWIND_INFO* last = info;
  while (last->Flags & UNW_FLAG_CHAININFO) {
    const RUNTIME_FUNCTION* chained = exceptions_unwind_tail(last);
    last = (EXCEPTIONS_UNWIND_INFO*)(base + chained->UnwindData);
    machine_frame |= apply_codes(c, ptrs, last, ~0u, frame);
  }
  if (!machine_frame) {
    c->Rip = *(ULONG64*)c->Rsp;
    c->Rsp += 8;
  }
  /* A chained fragment has no handler of its own: the function it belongs to (the end of the
   * chain) has. None while the prologue runs: the frame is not set up yet. */
  if (in_prolog || !(last->Flags & type)) return NULL;
  const ULONG* handler = exceptions_unwind_tail(last);
  *handler_data = (PVOID)(handler + 1);
  return (PEXCEPTION_ROUTINE)(base + *handler);
}

PEXCEPTION_ROUTINE exceptions_unwind_frame(DWORD type, CONTEXT* context, ULONG_PTR* frame,
                                           PVOID* handler_data, DISPATCHER_CONTEXT* dispatch,
                                           PUNWIND_HISTORY_TABLE table) {
  ULONG64 base = 0;
  const ULONG64 pc = context->Rip;
  PRUNTIME_FUNCTION fe = RtlLookupFunctionEntry(pc, &base, table);
  PEXCEPTION_ROUTINE handler = NULL;
  *handler_data = NULL;
  if (fe) {
    handler = RtlVirtualUnwind(type, base, pc, fe, context, handler_data, frame, NULL);
  } else { /* a leaf function: only the return address is on the stack */
    *frame = context->Rsp;
    context->Rip = *(ULONG64*)context->Rsp;
    context->Rsp += 8;
  }
  if (dispatch) {
    dispatch->ControlPc = pc;
    dispatch->ImageBase = base;
    dispatch->FunctionEntry = fe;
    dispatch->EstablisherFrame = *frame;
    dispatch->LanguageHandler = handler;
    dispatch->HandlerData = *handler_data;
  }
  return handler;
}
