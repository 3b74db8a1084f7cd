using System.CommandLine;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;

namespace ManifestBuild.Cli;

/// <summary>
/// `dsrs inspect &lt;assembly.dll&gt; [--json]`: the manifests a built assembly carries, read from its
/// <c>[assembly: DsrsManifest(name, signatureName, compiledId)]</c> attributes with
/// System.Reflection.Metadata. The file is only read, never loaded or run.
/// </summary>
internal static class InspectCommands
{
    private const string ManifestAttributeName = "DsrsManifestAttribute";

    public static void AddTo(RootCommand root, CliContext context)
    {
        var assembly = new Argument<FileInfo>("assembly") { Description = "The built assembly (.dll or .exe) to list the manifests of." };
        var json = CliOptions.Json("Write a JSON array instead of a table.");
        var command = new Command("inspect", "List the manifests baked into an assembly, from its metadata, without loading it.");
        command.Arguments.Add(assembly);
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var file = r.GetValue(assembly)!;
            var manifests = ReadBakedManifests(file.FullName);
            await InspectPresenter.WriteAsync(context.Out, file.Name, manifests, r.GetValue(json), ct);
            return 0;
        });
        root.Subcommands.Add(command);
    }

    /// <summary>One [assembly: DsrsManifest(...)] attribute as read from metadata.</summary>
    public sealed record BakedManifest(string Name, string SignatureName, string CompiledId);

    /// <summary>Reads every DsrsManifest assembly attribute (any namespace), sorted by name.</summary>
    public static IReadOnlyList<BakedManifest> ReadBakedManifests(string path)
    {
        if (!File.Exists(path))
        {
            throw new DsrsException(CliErrorCodes.InspectNotAssembly, $"'{path}' does not exist");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw new DsrsException(CliErrorCodes.InspectNotAssembly, $"'{path}' is a PE file without .NET metadata");
            }

            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly)
            {
                throw new DsrsException(CliErrorCodes.InspectNotAssembly, $"'{path}' is a .NET module, not an assembly");
            }

            var found = new List<BakedManifest>();
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (AttributeTypeName(reader, attribute) == ManifestAttributeName)
                {
                    found.Add(Decode(reader, attribute, path));
                }
            }

            return found.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        }
        catch (BadImageFormatException e)
        {
            throw new DsrsException(CliErrorCodes.InspectNotAssembly, $"'{path}' is not a .NET assembly: {e.Message}");
        }
    }

    private static string? AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                return member.Parent.Kind == HandleKind.TypeReference
                    ? reader.GetString(reader.GetTypeReference((TypeReferenceHandle)member.Parent).Name)
                    : member.Parent.Kind == HandleKind.TypeDefinition ? reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)member.Parent).Name) : null;
            case HandleKind.MethodDefinition:
                var method = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                return reader.GetString(reader.GetTypeDefinition(method.GetDeclaringType()).Name);
            default:
                return null;
        }
    }

    /// <summary>The blob is ECMA-335 §II.23.3: prolog 0x0001, then the three string arguments.</summary>
    private static BakedManifest Decode(MetadataReader reader, CustomAttribute attribute, string path)
    {
        try
        {
            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1)
            {
                throw new BadImageFormatException("bad custom attribute prolog");
            }

            var name = blob.ReadSerializedString();
            var signature = blob.ReadSerializedString();
            var id = blob.ReadSerializedString();
            if (name is null || signature is null || id is null)
            {
                throw new BadImageFormatException("null argument");
            }

            return new BakedManifest(name, signature, id);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            throw new DsrsException(CliErrorCodes.InspectBadAttribute, $"'{path}' has a {ManifestAttributeName} whose arguments are not three strings ({e.Message})");
        }
    }
}
