using HmmAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HmmAnalyzers.Rules
{
    internal static class AttributeLocations
    {
        /// <summary>The attribute argument that holds a lock reference, or the attribute when it cannot be found.</summary>
        public static Location? Of(LockReference reference)
        {
            if (reference.Attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax)
            {
                return null;
            }

            var name = AttributeNames.NameOf(reference.Attribute);
            var index = reference.ArgumentIndex + (name is AttributeNames.TryAcquires or AttributeNames.TryAcquiresShared ? 1 : 0);
            var arguments = syntax.ArgumentList?.Arguments;
            return arguments is { } list && index < list.Count ? list[index].GetLocation() : syntax.GetLocation();
        }
    }
}
