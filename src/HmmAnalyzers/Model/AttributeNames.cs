using Microsoft.CodeAnalysis;

namespace HmmAnalyzers.Model
{
    /// <summary>
    /// The annotation attributes, recognised by full name so that a source-only copy declared in the
    /// user's own <c>HmmAnalyzers.Annotations</c> namespace works like the shipped one.
    /// </summary>
    internal static class AttributeNames
    {
        public const string Namespace = "HmmAnalyzers.Annotations";
        public const string GuardedBy = "GuardedByAttribute";
        public const string RequiresExclusive = "RequiresExclusiveAttribute";
        public const string RequiresShared = "RequiresSharedAttribute";
        public const string Excludes = "ExcludesAttribute";
        public const string Acquires = "AcquiresAttribute";
        public const string AcquiresShared = "AcquiresSharedAttribute";
        public const string Releases = "ReleasesAttribute";
        public const string ReleasesShared = "ReleasesSharedAttribute";
        public const string TryAcquires = "TryAcquiresAttribute";
        public const string TryAcquiresShared = "TryAcquiresSharedAttribute";
        public const string AssertsHeld = "AssertsHeldAttribute";
        public const string AssertsHeldExclusive = "AssertsHeldExclusiveAttribute";
        public const string AssertsHeldShared = "AssertsHeldSharedAttribute";
        public const string LockType = "LockTypeAttribute";
        public const string ScopedLock = "ScopedLockAttribute";
        public const string AcquiredBefore = "AcquiredBeforeAttribute";
        public const string AcquiredAfter = "AcquiredAfterAttribute";
        public const string MightSleep = "MightSleepAttribute";
        public const string AtomicContext = "AtomicContextAttribute";
        public const string Drops = "DropsAttribute";
        public const string NoLockAnalysis = "NoLockAnalysisAttribute";
        public const string GracePeriodProtected = "GracePeriodProtectedAttribute";
        public const string DeferredFree = "DeferredFreeAttribute";
        public const string Mutates = "MutatesAttribute";
        public const string CalledLater = "CalledLaterAttribute";
        public const string CalledBeforeReturn = "CalledBeforeReturnAttribute";

        /// <summary>An attribute's name as it may be written, without the <c>Attribute</c> suffix (<c>GuardedByAttribute</c>: <c>GuardedBy</c>).</summary>
        public static string WithoutSuffix(string name)
            => name.EndsWith("Attribute", System.StringComparison.Ordinal) && name.Length > "Attribute".Length ? name.Substring(0, name.Length - "Attribute".Length) : name;

        /// <summary>Every annotation's name.</summary>
        public static readonly System.Collections.Generic.HashSet<string> All = new(System.StringComparer.Ordinal)
        {
            GuardedBy, RequiresExclusive, RequiresShared, Excludes, Acquires, AcquiresShared, Releases, ReleasesShared, TryAcquires, TryAcquiresShared,
            AssertsHeld, AssertsHeldExclusive, AssertsHeldShared, LockType, ScopedLock, AcquiredBefore, AcquiredAfter, MightSleep, AtomicContext, Drops,
            NoLockAnalysis, GracePeriodProtected, DeferredFree, Mutates, CalledLater, CalledBeforeReturn,
        };

        /// <summary>The attribute's simple name when it is one of ours, else null.</summary>
        public static string? NameOf(AttributeData attribute)
        {
            var type = attribute.AttributeClass;
            if (type is null || type.ContainingNamespace is not { } ns || ns.Name != "Annotations")
            {
                return null;
            }

            return ns.ContainingNamespace is { Name: "HmmAnalyzers" } parent && parent.ContainingNamespace is { IsGlobalNamespace: true }
                ? type.Name
                : null;
        }

        public static bool Has(ISymbol symbol, string name)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (NameOf(attribute) == name)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
