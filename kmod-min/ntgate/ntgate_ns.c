// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use /dev/ntgate: tasks of an ireactor namespace, i.e. whose cgroup v2 is strictly
 * below <cgroup2 root>/<cgroup_parent> (the parent itself is not a namespace).
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "ntgate_internal.h"

static char ntgate_cgroup_parent[256] = "ireactor";
module_param_string(cgroup_parent, ntgate_cgroup_parent, sizeof(ntgate_cgroup_parent), 0644);
MODULE_PARM_DESC(cgroup_parent,
		 "cgroup v2 directory (below the root) whose subdirectories are the ireactor namespaces");

/*
 * The parent cgroup named by the parameter, referenced; ERR_PTR when it does not exist. The
 * path is resolved from the caller's cgroup namespace root, as cgroup_get_from_path does.
 */
struct cgroup *ntgate_parent_get(void)
{
	char path[sizeof(ntgate_cgroup_parent)];

	/* The parameter may be rewritten through sysfs at any time. */
	kernel_param_lock(THIS_MODULE);
	strscpy(path, ntgate_cgroup_parent, sizeof(path));
	kernel_param_unlock(THIS_MODULE);
	/* `echo name > .../parameters/cgroup_parent` leaves a newline. */
	return cgroup_get_from_path(strim(path));
}

/*
 * open(2): 0 for a task of a namespace; 1 for an administrator outside them (its file may only
 * ask for STATUS, for `ireactor kmod status`); -EPERM for anyone else.
 */
int ntgate_check_open(void)
{
	struct cgroup *parent = ntgate_parent_get();
	bool ok = false;

	if (!IS_ERR(parent)) {
		ok = ntgate_in_namespace(parent, NULL);
		cgroup_put(parent);
	}
	if (ok)
		return 0;
	return capable(CAP_SYS_ADMIN) ? 1 : -EPERM;
}
