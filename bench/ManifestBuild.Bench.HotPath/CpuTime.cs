using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ManifestBuild.Bench.HotPath;

/// <summary>
/// CPU time per call, next to BenchmarkDotNet's wall-clock mean: on a machine shared with other builds
/// the wall clock also counts the time the benchmark thread waited for a core; the thread's CPU clock
/// counts only the time it ran (its gen0 collections included: a workstation GC runs them on the
/// allocating thread). Linux's per-thread clock; elsewhere the process's, which is coarser.
/// </summary>
public static class CpuTime
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>Nanoseconds of CPU per call of <paramref name="call"/>, the least of <paramref name="rounds"/> rounds of <paramref name="calls"/> calls.</summary>
    public static double PerCall(Action call, int calls, int rounds)
    {
        for (var i = 0; i < calls; i++)
        {
            call(); // warm: the JIT's optimised tier
        }

        var best = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = Now();
            for (var i = 0; i < calls; i++)
            {
                call();
            }

            best = Math.Min(best, (Now() - before) / calls);
        }

        return best;
    }

    private static double Now()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuClock, out var time) == 0)
        {
            return (time.Seconds * 1e9) + time.Nanoseconds;
        }

        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalNanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
