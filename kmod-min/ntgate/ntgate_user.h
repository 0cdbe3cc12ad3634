/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small copies to and from the caller's memory, as every call makes several (a handle mirror
 * entry, a counter, an IO_STATUS_BLOCK): whole 8-byte words inside one user-access window
 * rather than copy_{from,to}_user's string copy, whose start-up cost (rep movs) outweighs a few
 * words. Anything else takes the generic copy. Inline: the kfuncs call them on every served
 * call, and a call and return more per copy is a measurable share of one.
 */
#ifndef NTGATE_USER_H
#define NTGATE_USER_H

#include <linux/string.h>
#include <linux/uaccess.h>

#define NTGATE_WORDS_MAX 16

/* 0 or -EFAULT; dst of a failed copy may be partly written. */
static __always_inline int ntgate_copy_in(void *dst, const void __user *src, size_t n)
{
	const u64 __user *words = src;
	size_t i;
	u64 w;

	if (n % sizeof(u64) || n > NTGATE_WORDS_MAX * sizeof(u64))
		return copy_from_user(dst, src, n) ? -EFAULT : 0;
	if (!user_access_begin(src, n))
		return -EFAULT;
	for (i = 0; i < n / sizeof(u64); i++) {
		unsafe_get_user(w, &words[i], fault);
		memcpy((u8 *)dst + i * sizeof(u64), &w, sizeof(w));
	}
	user_access_end();
	return 0;
fault:
	user_access_end();
	return -EFAULT;
}

/* 0 or -EFAULT. */
static __always_inline int ntgate_copy_out(void __user *dst, const void *src, size_t n)
{
	u64 __user *words = dst;
	size_t i;
	u64 w;

	if (n % sizeof(u64) || n > NTGATE_WORDS_MAX * sizeof(u64))
		return copy_to_user(dst, src, n) ? -EFAULT : 0;
	if (!user_access_begin(dst, n))
		return -EFAULT;
	for (i = 0; i < n / sizeof(u64); i++) {
		memcpy(&w, (const u8 *)src + i * sizeof(u64), sizeof(w));
		unsafe_put_user(w, &words[i], fault);
	}
	user_access_end();
	return 0;
fault:
	user_access_end();
	return -EFAULT;
}

#endif /* NTGATE_USER_H */
