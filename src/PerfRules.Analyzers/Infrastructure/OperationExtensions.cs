using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfRules.Infrastructure;

/// <summary>Small operation-tree helpers shared by the rules.</summary>
internal static class OperationExtensions
{
    /// <summary>The operand under conversions and parentheses (only implicit conversions unless told otherwise).</summary>
    public static IOperation WalkDownConversions(this IOperation operation, bool implicitOnly = true)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion when !implicitOnly || conversion.IsImplicit:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The body (the root of the operation tree) the operation belongs to.</summary>
    public static IOperation GetRoot(this IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    /// <summary>
    /// The operation sits in a lambda or a local function below <paramref name="root"/> (below the whole body when null): it
    /// runs when that function is called, not where it is written.
    /// </summary>
    public static bool IsInNestedFunction(this IOperation operation, IOperation? root = null)
    {
        for (var current = operation.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a call is made on: the instance, or the first argument of an extension method.</summary>
    public static IOperation? GetReceiver(this IInvocationOperation invocation)
        => invocation.TargetMethod.IsExtensionMethod
            ? invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null
            : invocation.Instance;
}
