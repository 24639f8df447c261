using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PerfRules.Infrastructure;

/// <summary>
/// The operations of one body that a body-walking rule looks at (calls, property reads, simple assignments, object
/// creations), in the order a pre-order walk meets them.
/// </summary>
internal static class BodyOperations
{
    [ThreadStatic]
    private static Stack<IOperation>? t_pending;

    [ThreadStatic]
    private static List<IOperation>? t_found;

    /// <summary>The calls, property reads, simple assignments and object creations of <paramref name="body"/>, itself included.</summary>
    public static IOperation[] Walk(IOperation body)
    {
        // An explicit stack, not recursion: deeply nested expressions (a long chain of + or ??) must not overflow it. The
        // stack and the list are kept per thread (and emptied after each walk): a walk allocates only its result, and
        // switches on the operation's kind rather than testing interfaces.
        var pending = t_pending ??= new Stack<IOperation>();
        var found = t_found ??= new List<IOperation>();
        try
        {
            pending.Push(body);
            while (pending.Count > 0)
            {
                var operation = pending.Pop();
                switch (operation.Kind)
                {
                    case OperationKind.Invocation:
                    case OperationKind.PropertyReference:
                    case OperationKind.SimpleAssignment:
                    case OperationKind.ObjectCreation:
                        found.Add(operation);
                        break;
                }

                foreach (var child in operation.ChildOperations.Reverse())
                {
                    pending.Push(child);
                }
            }

            return found.Count == 0 ? Array.Empty<IOperation>() : found.ToArray();
        }
        finally
        {
            pending.Clear();
            found.Clear();
        }
    }
}
