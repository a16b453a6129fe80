namespace HmmAnalyzers
{
    /// <summary>Every diagnostic id, and the link to its documentation page.</summary>
    public static class RuleIdentifiers
    {
        public const string GuardedRead = "HMM001";
        public const string GuardedWrite = "HMM002";
        public const string MissingRequiredLock = "HMM003";
        public const string DoubleAcquire = "HMM004";
        public const string LockNotReleased = "HMM005";
        public const string ReleaseNotHeld = "HMM006";
        public const string DeclaredOrder = "HMM007";
        public const string SleepInAtomic = "HMM008";
        public const string AwaitWhileHeld = "HMM009";
        public const string MissingAssertion = "HMM010";
        public const string WeakAssertion = "HMM011";
        public const string LockOrderCycle = "HMM012";
        public const string InconsistentSynchronization = "HMM013";
        public const string UseAfterDrop = "HMM020";
        public const string DoubleDrop = "HMM021";
        public const string DropBeforeGracePeriod = "HMM022";
        public const string UnresolvedReference = "HMM090";
        public const string AmbiguousReference = "HMM091";
        public const string NotALock = "HMM092";

        public const string DocsBase = RepositoryInfo.Url + "/blob/main/docs/rules/";

        public static string HelpLink(string id) => DocsBase + id + ".md";
    }
}
