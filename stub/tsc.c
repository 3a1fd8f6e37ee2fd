// SPDX-License-Identifier: BSD-2-Clause
/*
 * TSC calibration against BS->Stall(), the only timer every firmware has.
 * Three 10 ms windows; the shortest count wins because interruptions
 * (SMIs, a busy host under TCG) only ever make a window look longer.
 */
#include "kernel/x86/cpu.h"
#include "stub/stub.h"

u64 stub_calibrate_tsc(void)
{
	u64 best = ~0ULL;

	for (int i = 0; i < 3; i++) {
		u64 t0 = rdtsc();

		bs_call(Stall, 10000);
		u64 dt = rdtsc() - t0;

		if (dt < best)
			best = dt;
	}
	return best * 100;
}
