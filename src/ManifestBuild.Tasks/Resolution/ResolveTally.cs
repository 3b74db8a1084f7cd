namespace ManifestBuild.Tasks.Resolution;

/// <summary>Counts what one build did per manifest, for its summary line (`dsrs: 2 manifests, 1 bought for 50000 msat, 1 locked`).</summary>
internal sealed class ResolveTally
{
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public int Manifests { get; private set; }

    public long BoughtMsat { get; private set; }

    public void Add(string how)
    {
        Manifests++;
        if (!counts.TryAdd(how, 1))
        {
            counts[how]++;
        }
        else
        {
            order.Add(how);
        }
    }

    public void Bought(long msat)
    {
        Add("bought");
        BoughtMsat += msat;
    }

    /// <param name="spentMsat">What the build's budget says was paid, deliveries that failed included.</param>
    public string Line(long spentMsat, int failed)
    {
        var parts = new List<string> { Manifests == 1 ? "1 manifest" : $"{Manifests} manifests" };
        foreach (var how in order)
        {
            parts.Add(how == "bought" ? $"{counts[how]} bought for {BoughtMsat} msat" : $"{counts[how]} {how}");
        }

        if (spentMsat > BoughtMsat)
        {
            parts.Add($"{spentMsat - BoughtMsat} msat paid without a delivery (see `dsrs payments`)");
        }

        if (failed > 0)
        {
            parts.Add($"{failed} failed");
        }

        return "dsrs: " + string.Join(", ", parts);
    }
}
