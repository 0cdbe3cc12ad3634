/* Internationalized domain names (RFC 3490, IDNA2003, which Windows' IdnTo* implement):
 * RtlIdnToNameprepUnicode, RtlIdnToAscii, RtlIdnToUnicode. Nameprep is the IDNA normalization
 * (form 13: case folding, deletions, NFKC) applied when a name holds non-ASCII characters; labels
 * go to and from Punycode (RFC 3492) behind the "xn--" prefix. Not done: the bidi rules of RFC
 * 3454 section 6, and the Windows 8 flags IDN_EMAIL_ADDRESS and IDN_RAW_PUNYCODE (refused). */
#include "nls_private.h"

#define IDN_ALLOW_UNASSIGNED 0x01
#define IDN_USE_STD3_ASCII_RULES 0x02
#define STATUS_INVALID_IDN_NORMALIZATION_ ((NTSTATUS)0xC0000716)

#define IDN_MAX_NAME 512 /* UTF-16 units of a name we work on (DNS allows 255) */
#define IDN_MAX_LABEL 63

NTSTATUS NTAPI RtlNormalizeString(ULONG form, const WCHAR* src, LONG src_len, WCHAR* dst,
                                  LONG* dst_len);

/* ---- Punycode (RFC 3492) ---------------------------------------------------------------- */

enum { PC_BASE = 36, PC_TMIN = 1, PC_TMAX = 26, PC_SKEW = 38, PC_DAMP = 700 };

static ULONG pc_adapt(ULONG delta, ULONG points, BOOLEAN first) {
  ULONG k = 0;
  delta = first ? delta / PC_DAMP : delta / 2;
  delta += delta / points;
  while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
    delta /= PC_BASE - PC_TMIN;
    k += PC_BASE;
  }
  return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

static ULONG pc_threshold(ULONG k, ULONG bias) {
  return k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
}

static WCHAR pc_digit(ULONG d) {
  return (WCHAR)(d < 26 ? 'a' + d : '0' + d - 26);
}

static LONG pc_value(WCHAR c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '0' && c <= '9') return c - '0' + 26;
  return -1;
}

/* Encodes cps[0..n) after the prefix into out (cap units); returns the length or 0 on overflow. */
static ULONG pc_encode(const ULONG* cps, ULONG n, WCHAR* out, ULONG cap) {
  ULONG len = 0, h, basic = 0, code = 0x80, delta = 0, bias = 72;
  for (ULONG i = 0; i < n; i++)
    if (cps[i] < 0x80) {
      if (len >= cap) return 0;
      out[len++] = (WCHAR)cps[i];
      basic++;
    }
  h = basic;
  if (basic) {
    if (len >= cap) return 0;
    out[len++] = '-';
  }
  while (h < n) {
    ULONG m = 0x110000;
    for (ULONG i = 0; i < n; i++)
      if (cps[i] >= code && cps[i] < m) m = cps[i];
    delta += (m - code) * (h + 1);
    code = m;
    for (ULONG i = 0; i < n; i++) {
      if (cps[i] < code) delta++;
      if (cps[i] != code) continue;
      ULONG q = delta;
      for (ULONG k = PC_BASE;; k += PC_BASE) {
        ULONG t = pc_threshold(k, bias);
        if (q < t) break;
        if (len >= cap) return 0;
        out[len++] = pc_digit(t + (q - t) % (PC_BASE - t));
        q = (q - t) / (PC_BASE - t);
      }
      if (len >= cap) return 0;
      out[len++] = pc_digit(q);
      bias = pc_adapt(delta, h + 1, h == basic);
      delta = 0;
      h++;
    }
    delta++;
    code++;
  }
  return len;
}

/* Decodes s[0..n) into code points (cap of them); returns the count, or -1 when malformed. */
static LONG pc_decode(const WCHAR* s, ULONG n, ULONG* cps, ULONG cap) {
  ULONG out = 0, i = 0, code = 0x80, bias = 72, basic = 0, in;
  for (ULONG j = 0; j < n; j++)
    if (s[j] == '-') basic = j;
  for (ULONG j = 0; j < basic; j++) {
    if (s[j] >= 0x80 || out >= cap) return -1;
    cps[out++] = s[j];
  }
  for (in = basic ? basic + 1 : 0; in < n;) {
    ULONG old_i = i, w = 1;
    for (ULONG k = PC_BASE;; k += PC_BASE) {
      if (in >= n) return -1;
      LONG d = pc_value(s[in++]);
      if (d < 0 || (ULONG)d > (0xFFFFFFFFu - i) / w) return -1;
      i += (ULONG)d * w;
      ULONG t = pc_threshold(k, bias);
      if ((ULONG)d < t) break;
      if (w > 0xFFFFFFFFu / (PC_BASE - t)) return -1;
      w *= PC_BASE - t;
    }
    bias = pc_adapt(i - old_i, out + 1, old_i == 0);
    code += i / (out + 1);
    i %= out + 1;
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) || out >= cap) return -1;
    for (ULONG j = out; j > i; j--) cps[j] = cps[j - 1];
    cps[i++] = code;
    out++;
  }
  return (LONG)out;
}

/* ---- Names and labels ------------------------------------------------------------------- */

static ULONG idn_length(const WCHAR* src, LONG len) {
  if (len >= 0) return (ULONG)len;
  ULONG n = 0;
  while (src[n]) n++;
  return n + 1; /* the NUL is part of the name */
}

static BOOLEAN all_ascii(const WCHAR* s, ULONG n) {
  for (ULONG i = 0; i < n; i++)
    if (s[i] >= 0x80) return FALSE;
  return TRUE;
}

static BOOLEAN has_ace_prefix(const WCHAR* s, ULONG n) {
  return n >= 4 && (s[0] | 0x20) == 'x' && (s[1] | 0x20) == 'n' && s[2] == '-' && s[3] == '-';
}

static BOOLEAN is_ldh(WCHAR c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* The labels of name[0..n) (a NUL at the end excluded): none empty but a final root label after
 * a dot, none longer than 63, and with STD3 rules only letters, digits and inner hyphens. */
static BOOLEAN labels_valid(ULONG flags, const WCHAR* name, ULONG n) {
  if (n && !name[n - 1]) n--;
  if (!n) return FALSE;
  for (ULONG start = 0; start <= n;) {
    ULONG end = start;
    while (end < n && name[end] != '.') end++;
    ULONG len = end - start;
    if (!len && end < n) return FALSE;    /* an empty label inside */
    if (!len && start == 0) return FALSE; /* nothing before the dot */
    if (len > IDN_MAX_LABEL) return FALSE;
    if (flags & IDN_USE_STD3_ASCII_RULES) {
      for (ULONG i = start; i < end; i++)
        if (name[i] < 0x80 && !is_ldh(name[i])) return FALSE;
      if (len && (name[start] == '-' || name[end - 1] == '-')) return FALSE;
    }
    start = end + 1;
  }
  return TRUE;
}

static NTSTATUS idn_result(const WCHAR* buf, ULONG len, WCHAR* dst, LONG* dst_len) {
  if (*dst_len == 0) { /* a size query */
    *dst_len = (LONG)len;
    return STATUS_SUCCESS;
  }
  if ((ULONG)*dst_len < len) {
    *dst_len = (LONG)len;
    return STATUS_BUFFER_TOO_SMALL;
  }
  memcpy(dst, buf, len * sizeof(WCHAR));
  *dst_len = (LONG)len;
  return STATUS_SUCCESS;
}

/* Nameprep into buf: ASCII names are kept as they are (RFC 3490 prepares only names with other
 * characters), the others take the IDNA normalization; then the labels are checked. */
static NTSTATUS nameprep(ULONG flags, const WCHAR* src, ULONG n, WCHAR* buf, ULONG* len) {
  if (all_ascii(src, n)) {
    if (n > IDN_MAX_NAME) return STATUS_INVALID_IDN_NORMALIZATION_;
    memcpy(buf, src, n * sizeof(WCHAR));
    *len = n;
  } else {
    LONG out = IDN_MAX_NAME;
    if (RtlNormalizeString(13, src, (LONG)n, buf, &out) < 0)
      return STATUS_INVALID_IDN_NORMALIZATION_;
    *len = (ULONG)out;
    if (!(flags & IDN_ALLOW_UNASSIGNED)) {
      for (ULONG i = 0; i < *len; i++) {
        ULONG cp = buf[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < *len)
          cp = 0x10000 + ((cp - 0xD800) << 10) + (buf[++i] - 0xDC00);
        if (nls_idna_unassigned(cp)) return STATUS_INVALID_IDN_NORMALIZATION_;
      }
    }
  }
  return labels_valid(flags, buf, *len) ? STATUS_SUCCESS : STATUS_INVALID_IDN_NORMALIZATION_;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlIdnToNameprepUnicode(ULONG flags, const WCHAR* src, LONG src_len,
                                                    WCHAR* dst, LONG* dst_len) {
  WCHAR buf[IDN_MAX_NAME];
  ULONG len;
  if (flags & ~(IDN_ALLOW_UNASSIGNED | IDN_USE_STD3_ASCII_RULES)) return STATUS_INVALID_PARAMETER;
  NTSTATUS status = nameprep(flags, src, idn_length(src, src_len), buf, &len);
  if (status < 0) return status;
  return idn_result(buf, len, dst, dst_len);
}

/* One label of a prepared name to ASCII: as it is, or "xn--" and its Punycode. */
static BOOLEAN label_to_ascii(const WCHAR* label, ULONG n, WCHAR* out, ULONG* len) {
  if (all_ascii(label, n)) {
    memcpy(out, label, n * sizeof(WCHAR));
    *len = n;
    return TRUE;
  }
  if (has_ace_prefix(label, n)) return FALSE;
  ULONG cps[IDN_MAX_NAME], count = 0;
  for (ULONG i = 0; i < n; i++) {
    ULONG cp = label[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n)
      cp = 0x10000 + ((cp - 0xD800) << 10) + (label[++i] - 0xDC00);
    cps[count++] = cp;
  }
  out[0] = 'x', out[1] = 'n', out[2] = '-', out[3] = '-';
  ULONG encoded = pc_encode(cps, count, out + 4, IDN_MAX_LABEL - 4);
  if (!encoded) return FALSE;
  *len = 4 + encoded;
  return TRUE;
}

/* Applies `convert` to each label of name[0..n), copying the dots and a final NUL. */
static NTSTATUS map_labels(const WCHAR* name, ULONG n,
                           BOOLEAN (*convert)(const WCHAR*, ULONG, WCHAR*, ULONG*), WCHAR* out,
                           ULONG* out_len) {
  ULONG pos = 0, end_of_name = n && !name[n - 1] ? n - 1 : n;
  for (ULONG start = 0; start <= end_of_name;) {
    ULONG end = start;
    while (end < end_of_name && name[end] != '.') end++;
    WCHAR label[IDN_MAX_NAME];
    ULONG len = 0;
    if (end > start && !convert(name + start, end - start, label, &len))
      return STATUS_INVALID_IDN_NORMALIZATION_;
    if (pos + len + 1 > IDN_MAX_NAME) return STATUS_INVALID_IDN_NORMALIZATION_;
    memcpy(out + pos, label, len * sizeof(WCHAR));
    pos += len;
    if (end < end_of_name) out[pos++] = '.';
    start = end + 1;
  }
  if (end_of_name < n) out[pos++] = 0;
  *out_len = pos;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlIdnToAscii(ULONG flags, const WCHAR* src, LONG src_len, WCHAR* dst,
                                          LONG* dst_len) {
  WCHAR prepared[IDN_MAX_NAME], out[IDN_MAX_NAME];
  ULONG len, out_len;
  if (flags & ~(IDN_ALLOW_UNASSIGNED | IDN_USE_STD3_ASCII_RULES)) return STATUS_INVALID_PARAMETER;
  NTSTATUS status = nameprep(flags, src, idn_length(src, src_len), prepared, &len);
  if (status < 0) return status;
  status = map_labels(prepared, len, label_to_ascii, out, &out_len);
  if (status < 0) return status;
  return idn_result(out, out_len, dst, dst_len);
}

/* One ASCII label to Unicode: an "xn--" label is decoded, and must come back unchanged (but for
 * case) through ToASCII; any other stays as it is. */
static BOOLEAN label_to_unicode(const WCHAR* label, ULONG n, WCHAR* out, ULONG* len) {
  if (!has_ace_prefix(label, n)) {
    memcpy(out, label, n * sizeof(WCHAR));
    *len = n;
    return TRUE;
  }
  ULONG cps[IDN_MAX_LABEL];
  LONG count = pc_decode(label + 4, n - 4, cps, IDN_MAX_LABEL);
  if (count <= 0) return FALSE;
  ULONG units = 0;
  for (LONG i = 0; i < count; i++) {
    if (cps[i] >= 0x10000) {
      out[units++] = (WCHAR)(0xD800 + ((cps[i] - 0x10000) >> 10));
      out[units++] = (WCHAR)(0xDC00 + (cps[i] & 0x3FF));
    } else {
      out[units++] = (WCHAR)cps[i];
    }
  }
  WCHAR prepared[IDN_MAX_NAME], again[IDN_MAX_NAME];
  ULONG plen, alen;
  if (nameprep(0, out, units, prepared, &plen) < 0) return FALSE;
  if (!label_to_ascii(prepared, plen, again, &alen) || alen != n) return FALSE;
  for (ULONG i = 0; i < n; i++) {
    WCHAR a = again[i], b = label[i];
    if (a >= 'A' && a <= 'Z') a += 0x20;
    if (b >= 'A' && b <= 'Z') b += 0x20;
    if (a != b) return FALSE;
  }
  *len = units;
  return TRUE;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlIdnToUnicode(ULONG flags, const WCHAR* src, LONG src_len, WCHAR* dst,
                                            LONG* dst_len) {
  WCHAR out[IDN_MAX_NAME];
  ULONG out_len, n = idn_length(src, src_len);
  if (flags & ~(IDN_ALLOW_UNASSIGNED | IDN_USE_STD3_ASCII_RULES)) return STATUS_INVALID_PARAMETER;
  if (!all_ascii(src, n) || n > IDN_MAX_NAME) return STATUS_INVALID_IDN_NORMALIZATION_;
  ULONG body = n && !src[n - 1] ? n - 1 : n; /* an empty name converts to itself */
  if (body && !labels_valid(flags, src, n)) return STATUS_INVALID_IDN_NORMALIZATION_;
  NTSTATUS status = map_labels(src, n, label_to_unicode, out, &out_len);
  if (status < 0) return status;
  return idn_result(out, out_len, dst, dst_len);
}
