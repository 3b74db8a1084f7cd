using ManifestBuild.Tasks.Tests.Support;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>Every end-to-end class shares one packed copy of the packages (packing is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "end-to-end";
}
