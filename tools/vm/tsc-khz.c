// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prints the host's TSC frequency in kHz, measured against CLOCK_MONOTONIC_RAW over
 * 200 ms. Under TCG the x86_64 guest's TSC is the host's, and the guest kernel cannot
 * calibrate it (no PIT it can use, no HPET or ACPI PM timer without ACPI), so it
 * falls back to jiffies; tools/vm/run.sh passes this as tsc_early_khz=.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

int main(void)
{
	struct timespec d = { 0, 200000000 };
	uint64_t t0, t1, c0, c1;

	t0 = now_ns();
	c0 = __rdtsc();
	nanosleep(&d, NULL);
	c1 = __rdtsc();
	t1 = now_ns();
	if (t1 <= t0 || c1 <= c0)
		return 1;
	printf("%llu\n", (unsigned long long)((c1 - c0) * 1000000 / (t1 - t0)));
	return 0;
}
