using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ManifestBuild.Generator
{
    /// <summary>
    /// The generator's diagnostics, DSRS1000-1099. A manifest's are errors: a manifest that fails them yields
    /// no code. A dataset's (DSRS1014-1021) are warnings that say why it gets no typed records (it stays
    /// embedded as a resource), except DSRS1020: a file that is not the verified dataset at all.
    /// </summary>
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

        /// <summary>A dataset field's type is none of the manifest field types: no typed records (warning).</summary>
        public const string DatasetUnknownFieldType = "DSRS1014";

        /// <summary>A dataset field name or enum value yields no C# identifier: no typed records (warning).</summary>
        public const string DatasetInvalidMemberName = "DSRS1015";

        /// <summary>Dataset field names or enum values collide once turned into C#, or take a generated member's name: no typed records (warning).</summary>
        public const string DatasetDuplicateName = "DSRS1016";

        /// <summary>A dataset field name or enum value makes a C# identifier over 512 UTF-8 bytes: no typed records (warning).</summary>
        public const string DatasetNameTooLong = "DSRS1017";

        /// <summary>A dataset example lacks a schema field or holds a value not of its type: no typed records (warning).</summary>
        public const string DatasetExampleMismatch = "DSRS1018";

        /// <summary>A dataset's schema members have the wrong shape, or it is larger than the generator types (64 MiB): no typed records (warning).</summary>
        public const string DatasetUntypable = "DSRS1019";

        /// <summary>A DsrsDataset file is not the verified dataset: unreadable, not JSON, not dsrs.dataset/1, or its dataset_id does not hash (error).</summary>
        public const string DatasetNotVerified = "DSRS1020";

        /// <summary>The DsrsDataset item's name is not a usable C# class name: no class (warning; the resource stays embedded).</summary>
        public const string InvalidDatasetName = "DSRS1021";

        /// <summary>64 MiB of UTF-16 text: a dataset above it is embedded but not typed (the generator holds the text while parsing).</summary>
        public const int MaxDatasetChars = 64 * 1024 * 1024;

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
            [DatasetUnknownFieldType] = Warn(DatasetUnknownFieldType, "Dataset field of unknown type", "dataset '{0}' gets no typed Example record: the field '{1}' has the type '{2}'; known types are {3}"),
            [DatasetInvalidMemberName] = Warn(DatasetInvalidMemberName, "Dataset name without a C# identifier", "dataset '{0}' gets no typed Example record: {1} has no letter or digit to make a C# name from"),
            [DatasetDuplicateName] = Warn(DatasetDuplicateName, "Dataset names collide", "dataset '{0}' gets no typed Example record: {1}"),
            [DatasetNameTooLong] = Warn(DatasetNameTooLong, "Dataset name too long", "dataset '{0}' gets no typed Example record: {1} makes a C# name of {2} UTF-8 bytes; the generator accepts at most {3}"),
            [DatasetExampleMismatch] = Warn(DatasetExampleMismatch, "Dataset example does not fit its schema", "dataset '{0}' gets no typed Example record: {1}"),
            [DatasetUntypable] = Warn(DatasetUntypable, "Dataset cannot be typed", "dataset '{0}' gets no typed Example record: {1}"),
            [DatasetNotVerified] = Make(DatasetNotVerified, "Dataset is not the verified file", "dataset '{0}' is not the verified dataset the build hands over: {1}"),
            [InvalidDatasetName] = Warn(InvalidDatasetName, "Invalid dataset name", "the DsrsDataset item name '{0}' {1}; no class is generated for it (the embedded resource is still there)"),
        };

        public static DiagnosticDescriptor Get(string id) => Descriptors[id];

        private static DiagnosticDescriptor Make(string id, string title, string messageFormat) =>
            new DiagnosticDescriptor(id, title, messageFormat, "ManifestBuild", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: null);

        private static DiagnosticDescriptor Warn(string id, string title, string messageFormat) =>
            new DiagnosticDescriptor(id, title, messageFormat, "ManifestBuild", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: null);
    }
}
