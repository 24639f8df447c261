using Microsoft.CodeAnalysis;

namespace PerfRules.Notions;

/// <summary>A request handler found around an operation.</summary>
/// <param name="Kind">Which kind of handler.</param>
/// <param name="Method">The handler's method, lambda or local function symbol.</param>
/// <param name="Body">The handler's body operation (method body, lambda or local function), when known.</param>
/// <param name="IsInNestedFunction">
/// True when the operation sits inside a lambda or local function nested in the handler (which may run
/// later, elsewhere: <c>Task.Run(() =&gt; …)</c>), rather than directly in the handler's body.
/// </param>
internal readonly record struct RequestHandler(RequestHandlerKind Kind, IMethodSymbol Method, IOperation? Body, bool IsInNestedFunction);
