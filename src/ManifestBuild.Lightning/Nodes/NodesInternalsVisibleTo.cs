using System.Runtime.CompilerServices;

// The adapters' invoice reader (InvoiceFacts) is internal; its tests read the BOLT #11 examples.
[assembly: InternalsVisibleTo("ManifestBuild.Lightning.Tests")]
