/* Unicode normalization (RtlNormalizeString, RtlIsNormalizedString) for the forms C, D, KC, KD
 * and the IDNA mapping (13), with the data of the norm*.nls files: per code point a combining
 * class and a full decomposition (canonical, compatibility or IDNA mapping, by file), and the
 * primary compositions. Hangul syllables are (de)composed arithmetically, as Unicode defines. */
#include "nls_private.h"

#define STATUS_NO_UNICODE_TRANSLATION_ ((NTSTATUS)0xC0000717)

/* The file's header (offsets in words from the start of the file). */
typedef struct nls_norm_header {
  WCHAR name[13];
  USHORT checksum[3];
  USHORT version[4];
  USHORT form;
  USHORT len_factor; /* the longest expansion of one UTF-16 unit */
  USHORT unknown1;
  USHORT decomp_size; /* buckets of the decomposition hash */
  USHORT comp_size;
  USHORT unknown2;
  USHORT classes;      /* BYTE[64]: combining class by property index */
  USHORT props_level1; /* BYTE[0x110000 / 128]: block of properties, or a value itself */
  USHORT props_level2; /* BYTE[][128] */
  USHORT decomp_hash;  /* USHORT[decomp_size] */
  USHORT decomp_map;   /* {WCHAR ch; USHORT seq} pairs for colliding buckets */
  USHORT decomp_seq;   /* WCHAR sequences */
  USHORT comp_hash;
  USHORT comp_seq; /* (first, second, composite) triples, UTF-16, to the end of the file */
} nls_norm_header;

typedef struct nls_comp {
  ULONG first, second, composite;
} nls_comp;

#define NLS_MAX_COMPS 1024

typedef struct nls_norm {
  const BYTE* base;
  const nls_norm_header* h;
  ULONG scale; /* bytes per offset unit */
  BOOLEAN composes;
  ULONG comp_count;
  nls_comp* comps; /* sorted by (first, second) */
} nls_norm;

static nls_norm nls_norms[5];                      /* C, D, KC, KD, IDNA */
static nls_comp nls_comp_tables[3][NLS_MAX_COMPS]; /* C, KC, IDNA */
static volatile LONG nls_norm_state[5];            /* 0 none, 1 loading, 2 ready, 3 failed */
static NTSTATUS nls_norm_status[5];

#define HANGUL_S 0xAC00
#define HANGUL_L 0x1100
#define HANGUL_V 0x1161
#define HANGUL_T 0x11A7
#define HANGUL_VCOUNT 21
#define HANGUL_TCOUNT 28
#define HANGUL_SCOUNT (19 * HANGUL_VCOUNT * HANGUL_TCOUNT)

static const void* norm_table(const nls_norm* n, USHORT offset) {
  return n->base + (SIZE_T)offset * n->scale;
}

/* Reads one code point at s[*i] (of len units), advancing *i; -1 for a lone surrogate. */
static LONG next_cp(const WCHAR* s, ULONG len, ULONG* i) {
  WCHAR c = s[(*i)++];
  if (c >= 0xD800 && c <= 0xDBFF && *i < len && s[*i] >= 0xDC00 && s[*i] <= 0xDFFF)
    return 0x10000 + ((c - 0xD800) << 10) + (s[(*i)++] - 0xDC00);
  if (c >= 0xD800 && c <= 0xDFFF) return -1;
  return c;
}

static ULONG cp_units(ULONG cp) {
  return cp >= 0x10000 ? 2 : 1;
}

static void put_cp(WCHAR* d, ULONG cp) {
  if (cp >= 0x10000) {
    d[0] = (WCHAR)(0xD800 + ((cp - 0x10000) >> 10));
    d[1] = (WCHAR)(0xDC00 + (cp & 0x3FF));
  } else {
    d[0] = (WCHAR)cp;
  }
}

static BYTE props(const nls_norm* n, ULONG cp) {
  const BYTE* level1 = norm_table(n, n->h->props_level1);
  const BYTE* level2 = norm_table(n, n->h->props_level2);
  BYTE off = level1[cp / 128];
  if (!off || off >= 0xFB) return (BYTE)((off << 5) | (off >> 3)); /* a whole block's value */
  return level2[(off - 1) * 128 + cp % 128];
}

/* Code points no form accepts: noncharacters and, for IDNA, what it disallows. Their property
 * value is 0xFF, which the Hangul jamo and syllables (handled apart) share; NUL (a terminator
 * counted in the length) always passes. */
static BOOLEAN is_invalid(const nls_norm* n, ULONG cp) {
  if (!cp || (cp >= 0x1100 && cp <= 0x11FF) || (cp >= HANGUL_S && cp <= 0xD7FF)) return FALSE;
  return props(n, cp) == 0xFF;
}

static BYTE combining_class(const nls_norm* n, ULONG cp) {
  BYTE p = props(n, cp);
  if (!p || (p & 0x3F) == 0x3F) return 0;
  return ((const BYTE*)norm_table(n, n->h->classes))[p & 0x3F];
}

/* The full decomposition of cp (UTF-16, *len units), or NULL. A bucket's entry either points at
 * the sequence itself (its top 3 bits the length) or, when code points collide, at their run of
 * (char, sequence) pairs, which ends where the next bucket's run starts. Length 7: to a NUL. */
static const WCHAR* decomposition(const nls_norm* n, ULONG cp, ULONG* len) {
  const nls_norm_header* h = n->h;
  if (!h->decomp_size) return NULL;
  const USHORT* hash = norm_table(n, h->decomp_hash);
  const WCHAR* seq = norm_table(n, h->decomp_seq);
  const USHORT* pairs = norm_table(n, h->decomp_map); /* src, seq */
  ULONG bucket = cp % h->decomp_size, pos = hash[bucket], end, ref = 0;
  if (pos >> 13) {
    if (props(n, cp) != 0xBF) return NULL; /* another code point's entry */
    ref = pos;
  } else {
    ULONG next = bucket + 1;
    while (next < h->decomp_size && (hash[next] >> 13)) next++;
    if (next < h->decomp_size) {
      end = hash[next];
    } else {
      for (end = pos; pairs[end * 2]; end++) {
      }
    }
    for (; pos < end; pos++)
      if (pairs[pos * 2] == (WCHAR)cp) {
        ref = pairs[pos * 2 + 1];
        break;
      }
    if (!ref) return NULL;
  }
  const WCHAR* r = seq + (ref & 0x1FFF);
  ULONG l = ref >> 13;
  if (l == 7)
    for (l = 0; r[l]; l++) {
    }
  *len = l;
  return r;
}

static int comp_cmp(const nls_comp* a, ULONG first, ULONG second) {
  if (a->first != first) return a->first < first ? -1 : 1;
  if (a->second != second) return a->second < second ? -1 : 1;
  return 0;
}

static ULONG compose_pair(const nls_norm* n, ULONG first, ULONG second) {
  if (first >= HANGUL_L && first < HANGUL_L + 19 && second >= HANGUL_V &&
      second < HANGUL_V + HANGUL_VCOUNT)
    return HANGUL_S + ((first - HANGUL_L) * HANGUL_VCOUNT + (second - HANGUL_V)) * HANGUL_TCOUNT;
  if (first >= HANGUL_S && first < HANGUL_S + HANGUL_SCOUNT &&
      (first - HANGUL_S) % HANGUL_TCOUNT == 0 && second > HANGUL_T &&
      second < HANGUL_T + HANGUL_TCOUNT)
    return first + (second - HANGUL_T);
  ULONG lo = 0, hi = n->comp_count;
  while (lo < hi) {
    ULONG mid = (lo + hi) / 2;
    int c = comp_cmp(&n->comps[mid], first, second);
    if (!c) return n->comps[mid].composite;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

/* Reads the composition triples into storage sorted by (first, second): insertion sort, once. */
static BOOLEAN load_comps(nls_norm* n, nls_comp* storage, SIZE_T file_size) {
  const WCHAR* s = norm_table(n, n->h->comp_seq);
  ULONG units = (ULONG)((file_size - (SIZE_T)n->h->comp_seq * n->scale) / sizeof(WCHAR)), i = 0;
  n->comps = storage;
  n->comp_count = 0;
  while (i + 3 <= units) {
    ULONG v[3];
    for (int k = 0; k < 3; k++) {
      LONG cp = next_cp(s, units, &i);
      v[k] = cp < 0 ? 0 : (ULONG)cp;
    }
    if (!v[0]) break; /* the terminating triple */
    if (n->comp_count == NLS_MAX_COMPS) return FALSE;
    ULONG j = n->comp_count++;
    while (j && comp_cmp(&storage[j - 1], v[0], v[1]) > 0) {
      storage[j] = storage[j - 1];
      j--;
    }
    storage[j].first = v[0];
    storage[j].second = v[1];
    storage[j].composite = v[2];
  }
  return TRUE;
}

static int form_index(ULONG form) {
  switch (form) {
    case 1:
      return 0;
    case 2:
      return 1;
    case 5:
      return 2;
    case 6:
      return 3;
    case 13:
      return 4;
    default:
      return -1;
  }
}

/* The tables of a form, mapped and indexed on first use; their status otherwise. */
static NTSTATUS get_norm(ULONG form, const nls_norm** out) {
  if (!form) return STATUS_INVALID_PARAMETER;
  int idx = form_index(form);
  if (idx < 0) {
    void* p;
    SIZE_T size; /* no such file: the service's answer */
    NTSTATUS s = NtGetNlsSectionPtr(NLS_SECTION_NORMALIZE, form, NULL, &p, &size);
    return s < 0 ? s : STATUS_INVALID_PARAMETER;
  }
  volatile LONG* state = &nls_norm_state[idx];
  for (;;) {
    LONG st = __atomic_load_n(state, __ATOMIC_ACQUIRE);
    if (st == 2) break;
    if (st == 3) return nls_norm_status[idx];
    LONG expected = 0;
    if (st == 0 && __atomic_compare_exchange_n(state, &expected, 1, FALSE, __ATOMIC_ACQ_REL,
                                               __ATOMIC_ACQUIRE)) {
      nls_norm* n = &nls_norms[idx];
      void* p = NULL;
      SIZE_T size = 0;
      NTSTATUS s = NtGetNlsSectionPtr(NLS_SECTION_NORMALIZE, form, NULL, &p, &size);
      if (s >= 0 && size < sizeof(nls_norm_header)) s = STATUS_INVALID_IMAGE_FORMAT;
      if (s >= 0) {
        n->base = p;
        n->h = p;
        /* Offsets count words when the classes follow the header directly, else bytes. */
        n->scale = n->h->classes == sizeof(nls_norm_header) / 2 ? 2 : 1;
        n->composes = n->h->comp_size != 0;
        int slot = idx == 0 ? 0 : idx == 2 ? 1 : 2;
        if (n->composes && !load_comps(n, nls_comp_tables[slot], size))
          s = STATUS_INVALID_IMAGE_FORMAT;
      }
      nls_norm_status[idx] = s;
      __atomic_store_n(state, s >= 0 ? 2 : 3, __ATOMIC_RELEASE);
      continue;
    }
    __builtin_ia32_pause(); /* another thread is loading it */
  }
  *out = &nls_norms[idx];
  return STATUS_SUCCESS;
}

/* Appends the full decomposition of cp to d (when it fits; *n counts every unit). */
static void decompose(const nls_norm* n, ULONG cp, WCHAR* d, ULONG cap, ULONG* pos) {
  if (cp >= HANGUL_S && cp < HANGUL_S + HANGUL_SCOUNT) {
    ULONG s = cp - HANGUL_S, t = s % HANGUL_TCOUNT;
    WCHAR parts[3] = {(WCHAR)(HANGUL_L + s / (HANGUL_VCOUNT * HANGUL_TCOUNT)),
                      (WCHAR)(HANGUL_V + (s % (HANGUL_VCOUNT * HANGUL_TCOUNT)) / HANGUL_TCOUNT),
                      (WCHAR)(HANGUL_T + t)};
    for (ULONG k = 0; k < (t ? 3u : 2u); k++, (*pos)++)
      if (*pos < cap) d[*pos] = parts[k];
    return;
  }
  ULONG len;
  const WCHAR* seq = decomposition(n, cp, &len);
  if (seq && len == 1 && !seq[0]) return; /* mapped to nothing (IDNA) */
  if (seq) {
    for (ULONG k = 0; k < len; k++, (*pos)++)
      if (*pos < cap) d[*pos] = seq[k];
    return;
  }
  if (*pos + cp_units(cp) <= cap) put_cp(d + *pos, cp);
  *pos += cp_units(cp);
}

/* Canonical ordering: adjacent code points swap while the second has a nonzero combining class
 * below the first's (a stable bubble sort of each run of non-starters; runs are short). */
static void reorder(const nls_norm* n, WCHAR* d, ULONG len) {
  BOOLEAN swapped;
  do {
    swapped = FALSE;
    ULONG i = 0, prev_at = 0;
    LONG prev = -1;
    BYTE prev_class = 0;
    while (i < len) {
      ULONG at = i;
      LONG cp = next_cp(d, len, &i);
      BYTE cc = cp < 0 ? 0 : combining_class(n, (ULONG)cp);
      if (cc && prev >= 0 && prev_class > cc) { /* write cp, then prev, over both */
        put_cp(d + prev_at, (ULONG)cp);
        put_cp(d + prev_at + cp_units((ULONG)cp), (ULONG)prev);
        swapped = TRUE;
        at = prev_at + cp_units((ULONG)cp); /* prev moved there and stays the previous one */
        cp = prev;
        cc = prev_class;
      }
      prev_at = at;
      prev = cp;
      prev_class = cc;
    }
  } while (swapped);
}

/* Canonical composition in place; returns the new length. */
static ULONG compose(const nls_norm* n, WCHAR* d, ULONG len) {
  ULONG out = 0, i = 0, starter = 0;
  BOOLEAN have_starter = FALSE;
  int last_class = -1; /* of the last code point kept after the starter; -1: none yet */
  while (i < len) {
    LONG cp = next_cp(d, len, &i);
    BYTE cc = combining_class(n, (ULONG)cp);
    if (have_starter && (last_class < 0 || (last_class != 0 && last_class < cc))) {
      ULONG si = starter;
      ULONG first = (ULONG)next_cp(d, out, &si);
      ULONG composite = compose_pair(n, first, (ULONG)cp);
      if (composite) {
        ULONG grow = cp_units(composite) - cp_units(first); /* 0 or 1 */
        if (grow) memmove(d + si + grow, d + si, (out - si) * sizeof(WCHAR));
        put_cp(d + starter, composite);
        out += grow;
        continue; /* cp is absorbed; the room it took covers any growth */
      }
    }
    if (!cc) {
      starter = out;
      have_starter = TRUE;
      last_class = -1;
    } else {
      last_class = cc;
    }
    put_cp(d + out, (ULONG)cp);
    out += cp_units((ULONG)cp);
  }
  return out;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlNormalizeString(ULONG form, const WCHAR* src, LONG src_len,
                                               WCHAR* dst, LONG* dst_len) {
  const nls_norm* n;
  NTSTATUS status = get_norm(form, &n);
  if (status < 0) return status;
  if (src_len < 0) { /* NUL-terminated: the NUL is part of the string */
    src_len = 0;
    while (src[src_len]) src_len++;
    src_len++;
  }
  if (*dst_len == 0) { /* a size query: Windows' estimate */
    *dst_len = src_len * n->h->len_factor;
    return STATUS_SUCCESS;
  }
  ULONG cap = (ULONG)*dst_len, pos = 0;
  for (ULONG i = 0; i < (ULONG)src_len;) {
    ULONG at = i;
    LONG cp = next_cp(src, (ULONG)src_len, &i);
    /* Where the bad character is (Wine's count: past a lone surrogate, at anything else). */
    if (cp < 0) {
      *dst_len = (LONG)at + 1;
      return STATUS_NO_UNICODE_TRANSLATION_;
    }
    if (is_invalid(n, (ULONG)cp)) {
      *dst_len = (LONG)at;
      return STATUS_NO_UNICODE_TRANSLATION_;
    }
    decompose(n, (ULONG)cp, dst, cap, &pos);
  }
  if (pos > cap) {
    *dst_len = (LONG)pos; /* decomposed length: enough for every form */
    return STATUS_BUFFER_TOO_SMALL;
  }
  reorder(n, dst, pos);
  if (n->composes) pos = compose(n, dst, pos);
  *dst_len = (LONG)pos;
  return STATUS_SUCCESS;
}

/* Normalizes in pieces that end before a code point nothing can reorder or compose with (a
 * starter without decomposition that no composition takes as its second part) and compares. */
NTDLL_EXPORT NTSTATUS NTAPI RtlIsNormalizedString(ULONG form, const WCHAR* src, LONG len,
                                                  BOOLEAN* res) {
  const nls_norm* n;
  NTSTATUS status = get_norm(form, &n);
  if (status < 0) return status;
  if (len < 0) {
    len = 0;
    while (src[len]) len++;
    len++;
  }
  WCHAR buf[1024];
  ULONG start = 0;
  while (start < (ULONG)len) {
    ULONG end = start;
    next_cp(src, (ULONG)len, &end);
    while (end < (ULONG)len && end - start < 48) { /* 48 units decompose into < 1024 */
      ULONG i = end, d_len;
      LONG cp = next_cp(src, (ULONG)len, &i);
      if (cp >= 0 && cp < 0x80) break; /* ASCII starts a piece: none of it combines */
      if (cp >= 0 && !combining_class(n, (ULONG)cp) && !decomposition(n, (ULONG)cp, &d_len)) {
        BOOLEAN second = FALSE;
        for (ULONG k = 0; k < n->comp_count && !second; k++)
          second = n->comps[k].second == (ULONG)cp;
        if (!second && !(cp >= HANGUL_V && cp < HANGUL_T + HANGUL_TCOUNT)) break;
      }
      end = i;
    }
    LONG out = sizeof(buf) / sizeof(*buf);
    status = RtlNormalizeString(form, src + start, (LONG)(end - start), buf, &out);
    if (status < 0) return status; /* *res untouched */
    if ((ULONG)out != end - start || memcmp(buf, src + start, out * sizeof(WCHAR))) {
      *res = FALSE;
      return STATUS_SUCCESS;
    }
    start = end;
  }
  *res = TRUE;
  return STATUS_SUCCESS;
}

/* Whether cp has no assignment in the IDNA data (IDN_ALLOW_UNASSIGNED lets such names through). */
BOOLEAN nls_idna_unassigned(ULONG cp) {
  const nls_norm* n;
  if (get_norm(13, &n) < 0) return FALSE;
  return props(n, cp) == 0x7F;
}
