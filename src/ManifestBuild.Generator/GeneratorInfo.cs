namespace ManifestBuild.Generator
{
    internal static class GeneratorInfo
    {
        public const string Name = "ManifestBuild.Generator";

        // Fixed rather than read from the assembly: the generator may not reflect over itself, and
        // generated output (and the baselines) must not change with every build.
        public const string Version = "1.0";
    }
}
