using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Infrastructure;

/// <summary>
/// Where a shared piece of an analysis hands its diagnostics: the report method of the context the callback was given.
/// Passing <c>context.ReportDiagnostic</c> as an <c>Action&lt;Diagnostic&gt;</c> boxes the context struct and makes a
/// delegate over a value type's method, which the runtime binds through a slow path each time (in a <c>perf</c> profile of
/// the 4× benchmark app, 43 of the 1,639 samples under PerfRules' frames, where PERF005 made one per route naming a
/// regex). A generic method constrained to these structs calls the context's method directly, with nothing allocated.
/// </summary>
internal interface IDiagnosticSink
{
    void Report(Diagnostic diagnostic);
}

internal readonly struct OperationSink(OperationAnalysisContext context) : IDiagnosticSink
{
    public void Report(Diagnostic diagnostic) => context.ReportDiagnostic(diagnostic);
}

internal readonly struct SyntaxNodeSink(SyntaxNodeAnalysisContext context) : IDiagnosticSink
{
    public void Report(Diagnostic diagnostic) => context.ReportDiagnostic(diagnostic);
}

internal readonly struct AdditionalFileSink(AdditionalFileAnalysisContext context) : IDiagnosticSink
{
    public void Report(Diagnostic diagnostic) => context.ReportDiagnostic(diagnostic);
}
