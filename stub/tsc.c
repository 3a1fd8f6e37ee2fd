// SPDX-License-Identifier: BSD-2-Clause
/*
 * The rate of the arch counter (kernel/arch.h). AArch64's generic timer
 * states it (CNTFRQ_EL0); x86's TSC does not, so it is calibrated against
 * BS->Stall(), the only timer every firmware has: three 10 ms windows, the
 * shortest count wins because interruptions (SMIs, a busy host under TCG)
 * only ever make a window look longer.
 */
#include "kernel/arch.h"
#include "stub/stub.h"

u64 stub_calibrate_tsc(void)
{
	u64 best = ~0ULL;

	if (arch_counter_hz())
		return arch_counter_hz();

	for (int i = 0; i < 3; i++) {
		u64 t0 = arch_counter();

		bs_call(Stall, 10000);
		u64 dt = arch_counter() - t0;

		if (dt < best)
			best = dt;
	}
	return best * 100;
}
