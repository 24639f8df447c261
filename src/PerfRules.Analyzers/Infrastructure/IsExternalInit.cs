// netstandard2.0 lacks the marker type that records with init-only setters need.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
