using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace PerfRules.Infrastructure;

/// <summary>
/// The operations of one body that the body-walking rules look at (calls, property reads, simple assignments, object
/// creations), in the order a pre-order walk meets them. Several rules walk every body of the project (PERF002, PERF003,
/// PERF006 and the cache conventions they collect); the analysis driver hands each of them the same body one after the
/// other, so the body is walked once, by the first rule that asks, and the next ones read the list.
/// </summary>
/// <remarks>
/// One instance per compilation (<see cref="WellKnownTypes.GetShared{T}"/>), holding the lists of the few bodies analysed
/// last: a small table of slots, not a table of every body (a weak table of every body cost a GC handle per body, which
/// every garbage collection then scans). Nothing outlives the compilation. A body whose slot another thread took in the
/// meantime is walked again: a miss costs a walk, never a wrong answer.
/// </remarks>
internal sealed class BodyOperations
{
    private const int Slots = 16; // a power of two

    [ThreadStatic]
    private static Stack<IOperation>? t_pending;

    [ThreadStatic]
    private static List<IOperation>? t_found;

    private readonly Entry?[] _slots = new Entry?[Slots];

    private BodyOperations()
    {
    }

    /// <summary>The compilation's instance.</summary>
    public static BodyOperations For(Compilation compilation)
        => WellKnownTypes.GetOrCreate(compilation).GetShared(static _ => new BodyOperations())!;

    /// <summary>The calls, property reads, simple assignments and object creations of <paramref name="body"/>, itself included.</summary>
    public IOperation[] Of(IOperation body)
    {
        var slot = RuntimeHelpers.GetHashCode(body) & (Slots - 1);
        var entry = Volatile.Read(ref _slots[slot]);
        if (entry is not null && ReferenceEquals(entry.Body, body))
        {
            return entry.Operations;
        }

        var operations = Walk(body);
        Volatile.Write(ref _slots[slot], new Entry(body, operations));
        return operations;
    }

    /// <summary>The walk itself, without the cache (also for bodies only one rule reads).</summary>
    public static IOperation[] Walk(IOperation body)
    {
        // An explicit stack, not recursion: deeply nested expressions (a long chain of + or ??) must not overflow it. The
        // stack and the list are kept per thread (and emptied after each walk): a body's walk allocates only its result.
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

    private sealed class Entry(IOperation body, IOperation[] operations)
    {
        public IOperation Body { get; } = body;

        public IOperation[] Operations { get; } = operations;
    }
}
