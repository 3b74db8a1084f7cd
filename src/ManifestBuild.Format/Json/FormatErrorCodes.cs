namespace ManifestBuild.Format
{
    /// <summary>
    /// The codes of the format library (DSRS0100-0299). Kept in Json/ because the generator links
    /// this folder as source (netstandard2.0) and its JSON code throws some of these.
    /// </summary>
    public static class FormatErrorCodes
    {
        /// <summary>Text is not strict RFC 8259 JSON (with line and column).</summary>
        public const string InvalidJson = "DSRS0100";

        /// <summary>A manifest breaks a rule of dsrs.manifest/1 (names the member and the rule).</summary>
        public const string InvalidManifest = "DSRS0101";

        /// <summary>A JSON value cannot be canonicalized (non-finite number, lone surrogate).</summary>
        public const string NotCanonicalizable = "DSRS0102";

        /// <summary>A member name was added twice to one JSON object.</summary>
        public const string DuplicateMember = "DSRS0103";

        /// <summary>The stated compiled_id differs from the recomputed one.</summary>
        public const string CompiledIdMismatch = "DSRS0104";

        /// <summary>A manifest or program file cannot be read (missing, unreadable, not UTF-8).</summary>
        public const string FileUnreadable = "DSRS0105";

        /// <summary>A manifest states a format version this tool does not understand.</summary>
        public const string UnsupportedFormat = "DSRS0106";

        /// <summary>A format command's options conflict or one it needs is missing.</summary>
        public const string InvalidArguments = "DSRS0107";

        /// <summary>The file is not a DSPy Module.save() program.</summary>
        public const string NotDspyProgram = "DSRS0110";

        /// <summary>The DSPy program has several predictors and none was chosen.</summary>
        public const string PredictorAmbiguous = "DSRS0111";

        /// <summary>The chosen predictor does not exist in the DSPy program.</summary>
        public const string PredictorNotFound = "DSRS0112";

        /// <summary>A DSPy predictor's field names cannot be recovered.</summary>
        public const string DspyFieldsUnresolved = "DSRS0113";

        /// <summary>A number's text says more than a double keeps (I-JSON, RFC 7493): 2^53 + 1, 0.10000000000000001.</summary>
        public const string InexactNumber = "DSRS0114";

        /// <summary>Manifest content hashes to another compiled_id than the one it was asked for (ManifestVerifier).</summary>
        public const string UnexpectedCompiledId = "DSRS0115";

        /// <summary>The file is not a dsrs crate CompiledModuleManifest.</summary>
        public const string NotDsrsManifest = "DSRS0120";

        /// <summary>The manifest cannot be exported to the requested format.</summary>
        public const string ExportImpossible = "DSRS0130";

        /// <summary>Another process held a machine-wide lock (a build's FileLock in $DSRS_HOME/locks) longer than the wait allows.</summary>
        public const string LockWaitTimeout = "DSRS0131";

        /// <summary>A dataset breaks a rule of dsrs.dataset/1 (names the member and the rule).</summary>
        public const string InvalidDataset = "DSRS0150";

        /// <summary>The stated dataset_id differs from the recomputed one.</summary>
        public const string DatasetIdMismatch = "DSRS0151";

        /// <summary>Examples cannot be imported as a dataset (shape not recognised, no outputs, mixed types).</summary>
        public const string DatasetImportFailed = "DSRS0152";

        /// <summary>A privacy operation on a dataset cannot be applied (unknown or non-numeric field, bad epsilon or sensitivity).</summary>
        public const string DatasetPrivacyInvalid = "DSRS0153";

        /// <summary>A bundle document breaks a rule of dsrs.bundle/1 (names the member and the rule).</summary>
        public const string BundleInvalid = "DSRS0154";

        /// <summary>A bundle document's stated bundle_id differs from the recomputed one (or is missing).</summary>
        public const string BundleIdMismatch = "DSRS0155";

        /// <summary>The lockfile is not valid dsrs.lock.json.</summary>
        public const string InvalidLockFile = "DSRS0200";

        /// <summary>The lockfile was written by a newer version of the format.</summary>
        public const string LockFileTooNew = "DSRS0201";

        /// <summary>The lockfile cannot be read or written.</summary>
        public const string LockFileIo = "DSRS0202";

        /// <summary>A cache entry was corrupt (unparsable or hash mismatch) and was quarantined.</summary>
        public const string CacheEntryCorrupt = "DSRS0210";

        /// <summary>The cache folder cannot be read or written.</summary>
        public const string CacheIo = "DSRS0211";

        /// <summary>A compiled_id is not 64 lowercase hex digits.</summary>
        public const string MalformedCompiledId = "DSRS0212";
    }
}
