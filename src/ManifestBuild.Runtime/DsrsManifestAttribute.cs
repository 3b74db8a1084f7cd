namespace ManifestBuild.Runtime;

/// <summary>
/// Marks an assembly as carrying a baked-in manifest. The generator emits one per manifest, so that
/// <c>dsrs inspect</c> can list what a binary carries from its metadata alone, without loading it.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class DsrsManifestAttribute : Attribute
{
    public DsrsManifestAttribute(string name, string signatureName, string compiledId)
    {
        Name = name;
        SignatureName = signatureName;
        CompiledId = compiledId;
    }

    /// <summary>The <c>DsrsManifest</c> item's name, which is also the generated class's name.</summary>
    public string Name { get; }

    public string SignatureName { get; }

    /// <summary>Lowercase hex SHA-256 of the manifest's canonical JSON (protocol §1).</summary>
    public string CompiledId { get; }
}
