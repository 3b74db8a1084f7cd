namespace ManifestBuild.Format;

/// <summary>
/// Test seam behind the "checked once" tests: counts what one async flow did (manifest parses, cache
/// writes, event verifications) from <see cref="Start"/> until disposed; other flows are not counted,
/// so tests running in parallel do not see each other. Each counted place owns its slot.
/// </summary>
internal sealed class FlowCounter : IDisposable
{
    private readonly AsyncLocal<FlowCounter?> slot;
    private int count;

    private FlowCounter(AsyncLocal<FlowCounter?> slot)
    {
        this.slot = slot;
        slot.Value = this;
    }

    public int Count => count;

    public static FlowCounter Start(AsyncLocal<FlowCounter?> slot) => new(slot);

    /// <summary>Counts one in the flow's counter of this slot, when the flow is counting.</summary>
    public static void Increment(AsyncLocal<FlowCounter?> slot)
    {
        if (slot.Value is { } counter)
        {
            Interlocked.Increment(ref counter.count);
        }
    }

    public void Dispose() => slot.Value = null;
}
