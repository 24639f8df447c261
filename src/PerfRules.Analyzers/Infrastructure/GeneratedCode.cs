using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Infrastructure;

/// <summary>How every PerfRules analyzer treats generated code.</summary>
internal static class GeneratedCode
{
    /// <summary>
    /// Generated code is not analyzed: no action runs on a generated file (<c>// &lt;auto-generated/&gt;</c>, <c>*.g.cs</c>,
    /// Razor output) nor on a declaration marked <c>[GeneratedCode]</c>, exactly as with
    /// <see cref="GeneratedCodeAnalysisFlags.None"/>. The rules report only inside the code their actions read, so a
    /// diagnostic never lands in generated code; leaving out <see cref="GeneratedCodeAnalysisFlags.ReportDiagnostics"/>
    /// would only make the driver check that again for every diagnostic, and its first check in a file walks every token of
    /// the file for <c>GeneratedCode</c> (measured: a third of PERF005's time on the benchmark's large workload,
    /// docs/performance.md). GeneratedCodeTests holds both halves: generated code is not reported, hand-written code is.
    /// </summary>
    public const GeneratedCodeAnalysisFlags Flags = GeneratedCodeAnalysisFlags.ReportDiagnostics;
}
