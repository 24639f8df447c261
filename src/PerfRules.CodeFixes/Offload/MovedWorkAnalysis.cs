using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Infrastructure;

namespace PerfRules.Offload;

/// <summary>How a variable of the handler reaches the moved work.</summary>
internal enum CaptureKind
{
    /// <summary>A plain value (simple type, string, record): captured, or copied into a local first when the handler writes it.</summary>
    Value,

    /// <summary>A service of the handler (constructor-injected field, primary-constructor or <c>[FromServices]</c> parameter): resolved in the worker's scope.</summary>
    Service,

    /// <summary>The request's cancellation token: replaced by the worker's token.</summary>
    Token,
}

/// <summary>One variable of the handler the moved work uses.</summary>
internal sealed record Capture(ISymbol Symbol, CaptureKind Kind, ITypeSymbol Type, bool NeedsCopy);

/// <summary>The verdict of <see cref="MovedWorkAnalysis"/>: what the work captures, or why it cannot move.</summary>
internal sealed class MovedWork
{
    private MovedWork(string? refusal, ImmutableArray<Capture> captures, ImmutableArray<(SyntaxNode Node, Capture Capture)> references, bool containsAwait)
    {
        Refusal = refusal;
        Captures = captures;
        References = references;
        ContainsAwait = containsAwait;
    }

    /// <summary>Why the work cannot be moved safely; null when it can.</summary>
    public string? Refusal { get; }

    public bool CanMove => Refusal is null;

    /// <summary>The handler's variables the work uses, each once, in order of first use.</summary>
    public ImmutableArray<Capture> Captures { get; }

    /// <summary>Every syntax node of the work that reads a captured variable (services and tokens are rewritten there).</summary>
    public ImmutableArray<(SyntaxNode Node, Capture Capture)> References { get; }

    /// <summary>The work awaits something itself (outside nested functions).</summary>
    public bool ContainsAwait { get; }

    public static MovedWork Refuse(string reason) => new(reason, ImmutableArray<Capture>.Empty, ImmutableArray<(SyntaxNode, Capture)>.Empty, false);

    public static MovedWork Accept(ImmutableArray<Capture> captures, ImmutableArray<(SyntaxNode, Capture)> references, bool containsAwait)
        => new(null, captures, references, containsAwait);
}

/// <summary>
/// The data-flow check of the offload fix: may this piece of a request handler run later, in a background worker with
/// its own DI scope? It may not when it touches the request (HttpContext, Request, Response, the handler's <c>this</c>
/// beyond injected services), writes the handler's variables, uses ref locals, out variables or values that cannot be
/// copied, calls local functions of the handler, or uses a service the handler also uses elsewhere (the worker's
/// instance would not carry the request's state, e.g. a DbContext with tracked changes).
/// </summary>
internal static class MovedWorkAnalysis
{
    /// <param name="work">The operation moved: a call, or the body of the lambda handed to Task.Run &amp; co.</param>
    /// <param name="workSyntax">The syntax moved (variables declared inside it move with it).</param>
    /// <param name="handlerMethod">The request handler (method, lambda or local function).</param>
    /// <param name="handlerBody">The handler's body operation, to find other uses and writes of the captured variables.</param>
    /// <param name="isStatementLevel">The work is a statement of the handler itself (its declarations would leave the handler's scope).</param>
    public static MovedWork Analyze(IOperation work, SyntaxNode workSyntax, IMethodSymbol handlerMethod, IOperation handlerBody, bool isStatementLevel, OffloadSymbols symbols, CancellationToken cancellationToken)
    {
        if (workSyntax.ContainsDiagnostics)
        {
            return MovedWork.Refuse("the code has syntax errors");
        }

        var walker = new Walker(workSyntax.SyntaxTree, workSyntax.Span, handlerMethod, isStatementLevel, symbols, cancellationToken);
        walker.Visit(work, nestedFunction: false);
        if (walker.Refusal is not null)
        {
            return MovedWork.Refuse(walker.Refusal);
        }

        // Other uses and writes in the handler, outside the work.
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in handlerBody.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation.Syntax is { } syntax && workSyntax.Span.Contains(syntax.Span))
            {
                continue;
            }

            if (WrittenVariable(operation) is { } target)
            {
                written.Add(target);
            }

            if (ReferencedSymbol(operation) is { } used && walker.Captures.TryGetValue(used, out var capture) && capture.Kind == CaptureKind.Service)
            {
                return MovedWork.Refuse($"the handler also uses '{used.Name}': a new instance resolved by the worker would not carry the request's state");
            }
        }

        var captures = ImmutableArray.CreateBuilder<Capture>();
        foreach (var symbol in walker.Order)
        {
            var capture = walker.Captures[symbol];
            captures.Add(capture.Kind == CaptureKind.Value && written.Contains(symbol) ? capture with { NeedsCopy = true } : capture);
        }

        var byCapture = new Dictionary<ISymbol, Capture>(SymbolEqualityComparer.Default);
        foreach (var capture in captures)
        {
            byCapture[capture.Symbol] = capture;
        }

        var references = ImmutableArray.CreateBuilder<(SyntaxNode, Capture)>();
        foreach (var (node, symbol) in walker.References)
        {
            references.Add((node, byCapture[symbol]));
        }

        return MovedWork.Accept(captures.ToImmutable(), references.ToImmutable(), walker.ContainsAwait);
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };

    private static ISymbol? WrittenVariable(IOperation operation)
    {
        var target = operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation increment => increment.Target,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
            _ => null,
        };
        return target switch
        {
            ILocalReferenceOperation { IsDeclaration: false } local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
    }

    private sealed class Walker
    {
        private readonly SyntaxTree _workTree;
        private readonly TextSpan _work;
        private readonly IMethodSymbol _handler;
        private readonly bool _isStatementLevel;
        private readonly OffloadSymbols _symbols;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<IFieldSymbol, bool> _injected = new(SymbolEqualityComparer.Default);

        public Walker(SyntaxTree workTree, TextSpan work, IMethodSymbol handler, bool isStatementLevel, OffloadSymbols symbols, CancellationToken cancellationToken)
        {
            _workTree = workTree;
            _work = work;
            _handler = handler;
            _isStatementLevel = isStatementLevel;
            _symbols = symbols;
            _cancellationToken = cancellationToken;
        }

        public string? Refusal { get; private set; }

        public bool ContainsAwait { get; private set; }

        public Dictionary<ISymbol, Capture> Captures { get; } = new(SymbolEqualityComparer.Default);

        public List<ISymbol> Order { get; } = new();

        public List<(SyntaxNode Node, ISymbol Symbol)> References { get; } = new();

        public void Visit(IOperation operation, bool nestedFunction)
        {
            if (Refusal is not null)
            {
                return;
            }

            _cancellationToken.ThrowIfCancellationRequested();
            if (!Check(operation, nestedFunction))
            {
                return;
            }

            var nested = nestedFunction || operation is IAnonymousFunctionOperation or ILocalFunctionOperation;
            foreach (var child in operation.ChildOperations)
            {
                Visit(child, nested);
            }
        }

        /// <summary>Checks one operation; false when its children need no visit (or the work was refused).</summary>
        private bool Check(IOperation operation, bool nestedFunction)
        {
            if (operation.Syntax is null || operation is IInvalidOperation || operation.Type is { TypeKind: TypeKind.Error })
            {
                return Refuse("the code has errors");
            }

            switch (operation)
            {
                case INameOfOperation or ITypeOfOperation:
                    return false;
                case IAwaitOperation when !nestedFunction:
                    ContainsAwait = true;
                    break;
                case IReturnOperation { ReturnedValue: not null } when !nestedFunction && !IsImplicitExpressionBodyReturn(operation):
                    return Refuse("the work returns a value");

                // HttpContext.RequestAborted: the request's token becomes the worker's.
                case IPropertyReferenceOperation { Property.Name: "RequestAborted", Instance: { } instance } reference
                    when _symbols.IsRequestObject(instance.Type) && _symbols.Is(reference.Type, _symbols.CancellationToken) && IsRequestReachable(instance):
                    AddReference(reference.Syntax, reference.Property, CaptureKind.Token, reference.Type!);
                    return false;
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } instanceReference:
                    return CheckThis(instanceReference);
                case IParameterReferenceOperation parameter:
                    return CheckParameter(parameter);
                case ILocalReferenceOperation local:
                    return CheckLocal(local);
                case IDeclarationExpressionOperation or IDeclarationPatternOperation or IRecursivePatternOperation { DeclaredSymbol: not null } when _isStatementLevel && !nestedFunction:
                    return Refuse("the work declares a variable the handler could use afterwards");
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call when !IsInside(call.TargetMethod):
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference2 when !IsInside(reference2.Method):
                    return Refuse("the work calls a local function of the handler");
            }

            if (_symbols.IsRequestObject(operation.Type))
            {
                return Refuse("the work uses the request (HttpContext, Request or Response)");
            }

            if (WrittenVariable(operation) is { } written && !IsInside(written))
            {
                return Refuse($"the work writes '{written.Name}', a variable of the handler");
            }

            return true;
        }

        private static bool IsImplicitExpressionBodyReturn(IOperation operation) => operation.IsImplicit;

        /// <summary>The HttpContext of <c>HttpContext.RequestAborted</c> is the handler's own (a parameter or the controller's property).</summary>
        private bool IsRequestReachable(IOperation instance)
            => instance switch
            {
                IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, _handler),
                IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } => true,
                _ => false,
            };

        private bool CheckThis(IInstanceReferenceOperation instance)
        {
            if (instance.Parent is IFieldReferenceOperation { Field: { IsStatic: false } field } fieldReference
                && IsInjectedField(field) && _symbols.IsResolvableService(field.Type))
            {
                AddReference(fieldReference.Syntax, field, CaptureKind.Service, field.Type);
                return false;
            }

            var member = instance.Parent switch
            {
                IMemberReferenceOperation reference => reference.Member.Name,
                IInvocationOperation call => call.TargetMethod.Name,
                _ => "this",
            };
            return Refuse($"the work uses '{member}' of the handler's instance");
        }

        private bool CheckParameter(IParameterReferenceOperation reference)
        {
            var parameter = reference.Parameter;
            if (IsInside(parameter))
            {
                return true;
            }

            if (parameter.RefKind != RefKind.None || parameter.IsParams && !_symbols.IsCopyable(parameter.Type))
            {
                return Refuse($"the work uses the {parameter.RefKind.ToString().ToLowerInvariant()} parameter '{parameter.Name}'");
            }

            // A primary-constructor parameter of the controller or page model: injected.
            if (parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, _handler.ContainingType))
            {
                return _symbols.IsResolvableService(parameter.Type)
                    ? AddReference(reference.Syntax, parameter, CaptureKind.Service, parameter.Type)
                    : Refuse($"the work uses '{parameter.Name}' of the handler's instance");
            }

            if (!SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _handler))
            {
                return Refuse($"the work uses '{parameter.Name}', a parameter of a function that does not move with it");
            }

            if (_symbols.Is(parameter.Type, _symbols.CancellationToken))
            {
                return AddReference(reference.Syntax, parameter, CaptureKind.Token, parameter.Type);
            }

            if (_symbols.IsCopyable(parameter.Type))
            {
                return AddReference(reference.Syntax, parameter, CaptureKind.Value, parameter.Type);
            }

            if (IsServiceParameter(parameter))
            {
                return AddReference(reference.Syntax, parameter, CaptureKind.Service, parameter.Type);
            }

            return Refuse($"the work uses '{parameter.Name}', whose type '{parameter.Type.ToDisplayString()}' cannot be copied to the worker");
        }

        private bool CheckLocal(ILocalReferenceOperation reference)
        {
            var local = reference.Local;
            if (IsInside(local))
            {
                return true;
            }

            if (local.IsRef || local.IsUsing)
            {
                return Refuse($"the work uses '{local.Name}', a {(local.IsRef ? "ref" : "using")} local of the handler");
            }

            if (local.IsConst)
            {
                return true;
            }

            if (_symbols.Is(local.Type, _symbols.CancellationToken))
            {
                return AddReference(reference.Syntax, local, CaptureKind.Token, local.Type);
            }

            if (!_symbols.IsCopyable(local.Type))
            {
                return Refuse($"the work uses '{local.Name}', whose type '{local.Type.ToDisplayString()}' cannot be copied to the worker");
            }

            return AddReference(reference.Syntax, local, CaptureKind.Value, local.Type);
        }

        /// <summary>A handler parameter bound from DI: <c>[FromServices]</c>, or an interface-typed parameter of a minimal-API handler.</summary>
        private bool IsServiceParameter(IParameterSymbol parameter)
        {
            if (!_symbols.IsResolvableService(parameter.Type))
            {
                return false;
            }

            if (_symbols.FromServices is not null && parameter.HasAttribute(_symbols.FromServices))
            {
                return true;
            }

            var isEndpoint = _handler.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction;
            return isEndpoint && parameter.Type.TypeKind == TypeKind.Interface && !IsRequestBoundInterface(parameter.Type);
        }

        /// <summary>Interfaces minimal APIs bind from the request (form files, features) rather than from DI.</summary>
        private static bool IsRequestBoundInterface(ITypeSymbol type)
            => type.ContainingNamespace?.ToDisplayString() is "Microsoft.AspNetCore.Http" or "Microsoft.AspNetCore.Http.Features" or "System.Security.Claims";

        private bool IsInjectedField(IFieldSymbol field)
        {
            if (_injected.TryGetValue(field, out var known))
            {
                return known;
            }

            var result = ComputeInjected(field);
            _injected[field] = result;
            return result;
        }

        /// <summary>The field is assigned from a constructor parameter (in a constructor, or in its initializer from a primary-constructor parameter).</summary>
        private bool ComputeInjected(IFieldSymbol field)
        {
            foreach (var reference in field.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(_cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
                    && _symbols.Compilation.GetSemanticModel(declarator.SyntaxTree).GetOperation(initializer, _cancellationToken) is { } value
                    && IsConstructorParameter(value))
                {
                    return true;
                }
            }

            foreach (var constructor in field.ContainingType.InstanceConstructors)
            {
                foreach (var reference in constructor.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(_cancellationToken) is not ConstructorDeclarationSyntax syntax
                        || _symbols.Compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, _cancellationToken) is not { } body)
                    {
                        continue;
                    }

                    foreach (var operation in body.Descendants())
                    {
                        if (operation is ISimpleAssignmentOperation { Target: IFieldReferenceOperation target } assignment
                            && SymbolEqualityComparer.Default.Equals(target.Field, field)
                            && IsConstructorParameter(assignment.Value))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private static bool IsConstructorParameter(IOperation value)
        {
            value = value.WalkDownConversions();
            if (value is ICoalesceOperation coalesce)
            {
                value = coalesce.Value.WalkDownConversions();
            }

            return value is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } };
        }

        private bool IsInside(ISymbol symbol)
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == _workTree && _work.Contains(reference.Span))
                {
                    return true;
                }
            }

            return false;
        }

        private bool AddReference(SyntaxNode node, ISymbol symbol, CaptureKind kind, ITypeSymbol type)
        {
            if (!Captures.ContainsKey(symbol))
            {
                Captures[symbol] = new Capture(symbol, kind, type, NeedsCopy: false);
                Order.Add(symbol);
            }

            References.Add((node, symbol));
            return false;
        }

        private bool Refuse(string reason)
        {
            Refusal ??= reason;
            return false;
        }
    }

}
