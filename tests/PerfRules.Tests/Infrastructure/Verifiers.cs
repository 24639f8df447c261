using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PerfRules.Tests.Infrastructure;

/// <summary>Analyzer test on C# 12 (the Roslyn 4.8 floor) with .NET and ASP.NET Core references from the test process.</summary>
public sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public AnalyzerTest(bool withAspNetCore = true)
    {
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(withAspNetCore ? TestReferences.AspNetCore : TestReferences.NetCore);
        TestState.OutputKind = OutputKind.DynamicallyLinkedLibrary;
        MarkupOptions = MarkupOptions.UseFirstDescriptor;
    }

    public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.CSharp12;

    protected override ParseOptions CreateParseOptions() => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);

    protected override CompilationOptions CreateCompilationOptions()
        => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
}

/// <summary>Code-fix test with the same references as <see cref="AnalyzerTest{TAnalyzer}"/>.</summary>
public sealed class CodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(bool withAspNetCore = true)
    {
        ReferenceAssemblies = TestReferences.None;
        TestState.AdditionalReferences.AddRange(withAspNetCore ? TestReferences.AspNetCore : TestReferences.NetCore);
        FixedState.AdditionalReferences.AddRange(withAspNetCore ? TestReferences.AspNetCore : TestReferences.NetCore);
        TestState.OutputKind = OutputKind.DynamicallyLinkedLibrary;
        MarkupOptions = MarkupOptions.UseFirstDescriptor;
    }

    public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.CSharp12;

    protected override ParseOptions CreateParseOptions() => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);

    protected override CompilationOptions CreateCompilationOptions()
        => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
}

/// <summary>Short helpers: <c>Verify&lt;TAnalyzer&gt;.AnalyzerAsync(source)</c>.</summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string? id = null)
        => id is null ? CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic() : CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<TAnalyzer> { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static Task FixAsync<TCodeFix>(string source, string fixedSource, string? equivalenceKey = null, params DiagnosticResult[] expected)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CodeFixTest<TAnalyzer, TCodeFix> { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
