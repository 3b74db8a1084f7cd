namespace ManifestBuild.Tasks.Resolution;

/// <summary>Connects the build to ManifestBuild.Market's buyer API.</summary>
public static class MarketAdapter
{
    public static IManifestMarket Create(ResolveSettings settings) =>
        throw new ManifestBuild.Format.DsrsException(BuildErrorCodes.Unexpected, "the market client is not wired in yet");
}
