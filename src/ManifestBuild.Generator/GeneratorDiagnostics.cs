using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ManifestBuild.Generator
{
    /// <summary>The generator's diagnostics, DSRS1000-1099. Each is an error: a manifest that fails them yields no code.</summary>
    internal static class GeneratorDiagnostics
    {
        /// <summary>The manifest file is not valid JSON (the message gives line and column).</summary>
        public const string InvalidJson = "DSRS1000";

        /// <summary>The content's compiled_id differs from the one the lockfile / build expects.</summary>
        public const string CompiledIdMismatchExpected = "DSRS1001";

        /// <summary>The compiled_id stated in the content differs from the one recomputed from it.</summary>
        public const string CompiledIdMismatchContent = "DSRS1002";

        /// <summary>A field's type is none of string, int, float, bool, string[], enum.</summary>
        public const string UnknownFieldType = "DSRS1003";

        /// <summary>The DsrsManifest item's name is not a usable C# class name.</summary>
        public const string InvalidClassName = "DSRS1004";

        /// <summary>A field name or enum value yields no C# identifier (no letter or digit).</summary>
        public const string InvalidMemberName = "DSRS1005";

        /// <summary>Two names collide once turned into C# (PascalCase), or one takes a name the generated code uses.</summary>
        public const string DuplicateName = "DSRS1006";

        /// <summary>The manifest is larger than the generator accepts (4 MiB of text).</summary>
        public const string ManifestTooLarge = "DSRS1007";

        /// <summary>Two DsrsManifest items would generate the same class.</summary>
        public const string DuplicateClass = "DSRS1008";

        /// <summary>The manifest's members have the wrong shape (types, required members, demos, adapter).</summary>
        public const string InvalidManifest = "DSRS1009";

        /// <summary>The configured namespace (DsrsNamespace / RootNamespace) is not a valid C# namespace.</summary>
        public const string InvalidNamespace = "DSRS1010";

        /// <summary>The manifest file could not be read, or its text is not well-formed Unicode.</summary>
        public const string UnreadableManifest = "DSRS1011";

        /// <summary>A field name or enum value makes a C# identifier longer than metadata allows (CS7013 otherwise).</summary>
        public const string NameTooLong = "DSRS1012";

        /// <summary>A number's text says more than a double keeps (2^53 + 1): compiled_id would not tell two such manifests apart.</summary>
        public const string InexactNumber = "DSRS1013";

        /// <summary>4 MiB of UTF-16 text: far above any real manifest (demos included), low enough to keep builds fast.</summary>
        public const int MaxManifestChars = 4 * 1024 * 1024;

        // Each descriptor's message format; the pipeline carries only the arguments (DiagnosticInfo).
        private static readonly Dictionary<string, DiagnosticDescriptor> Descriptors = new Dictionary<string, DiagnosticDescriptor>
        {
            [InvalidJson] = Make(InvalidJson, "Manifest is not valid JSON", "manifest '{0}' is not valid JSON: {1}"),
            [CompiledIdMismatchExpected] = Make(CompiledIdMismatchExpected, "Manifest does not match its expected compiled_id", "manifest '{0}' hashes to compiled_id {1} but the build expects {2} (dsrs.lock.json): the file is not the manifest that was pinned"),
            [CompiledIdMismatchContent] = Make(CompiledIdMismatchContent, "Manifest's stated compiled_id is wrong", "manifest '{0}' states compiled_id {1} but its content hashes to {2}: it was altered after its id was computed (if on purpose, " + ManifestBuild.Format.CompiledId.FixHint + ")"),
            [UnknownFieldType] = Make(UnknownFieldType, "Unknown field type", "manifest '{0}': the field '{1}' has the type '{2}'; known types are {3}"),
            [InvalidClassName] = Make(InvalidClassName, "Invalid manifest name", "the DsrsManifest item name '{0}' {1}"),
            [InvalidMemberName] = Make(InvalidMemberName, "Invalid field or value name", "manifest '{0}': {1} has no letter or digit to make a C# name from"),
            [DuplicateName] = Make(DuplicateName, "Duplicate name", "manifest '{0}': {1}"),
            [ManifestTooLarge] = Make(ManifestTooLarge, "Manifest too large", "manifest '{0}' is {1} characters long; the generator accepts at most {2} (4 MiB)"),
            [DuplicateClass] = Make(DuplicateClass, "Duplicate manifest class", "more than one DsrsManifest item is named '{0}'; each manifest needs its own class name"),
            [InvalidManifest] = Make(InvalidManifest, "Invalid manifest", "manifest '{0}': {1}"),
            [InvalidNamespace] = Make(InvalidNamespace, "Invalid namespace", "{0}"),
            [UnreadableManifest] = Make(UnreadableManifest, "Unreadable manifest", "manifest '{0}': {1}"),
            [NameTooLong] = Make(NameTooLong, "Name too long", "manifest '{0}': {1} makes a C# name of {2} UTF-8 bytes; the generator accepts at most {3}"),
            [InexactNumber] = Make(InexactNumber, "Inexact number", "manifest '{0}': {1} is {2}, which a double cannot hold exactly (I-JSON, RFC 7493); compiled_id hashes the double, so it would not tell this manifest from one with a nearby number"),
        };

        public static DiagnosticDescriptor Get(string id) => Descriptors[id];

        private static DiagnosticDescriptor Make(string id, string title, string messageFormat) =>
            new DiagnosticDescriptor(id, title, messageFormat, "ManifestBuild", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: null);
    }
}
