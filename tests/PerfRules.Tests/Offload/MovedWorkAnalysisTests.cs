using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PerfRules.Offload;
using PerfRules.Rules;
using PerfRules.Tests.Infrastructure;

namespace PerfRules.Tests.Offload;

/// <summary>The offload fix's data-flow check on its own: what moved work captures, and why it refuses to move.</summary>
public sealed class MovedWorkAnalysisTests
{
    private const string Prelude = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;

        public interface IMailer { Task SendAsync(string to, CancellationToken cancellationToken = default); bool TrySend(string to, out int id); }
        public sealed record Order(int Id, string Email);

        public class MailController : ControllerBase
        {
            private readonly IMailer _mailer;
            private readonly string _sender = "shop@example.com";
            private IMailer? _settable;

            public MailController(IMailer mailer) => _mailer = mailer;

            public IActionResult Send(string to, Order order, int[] ids, [FromServices] IMailer fromServices, CancellationToken token)
            {

        """;

    private const string Postlude = """

                return Accepted();
            }
        }
        """;

    /// <summary>Analyses the statement that follows <c>/*move*/</c> in the handler.</summary>
    private static MovedWork Analyze(string statements)
    {
        var work = TryAnalyze(statements);
        Assert.NotNull(work);
        return work!;
    }

    /// <summary>The analysis of the marked statement, or null when it is no offload site at all.</summary>
    private static MovedWork? TryAnalyze(string statements)
    {
        var source = Prelude + statements + Postlude;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12));
        var compilation = CSharpCompilation.Create("Test", new[] { tree }, TestReferences.AspNetCore, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var model = compilation.GetSemanticModel(tree);
        var marker = source.IndexOf("/*move*/", StringComparison.Ordinal);
        Assert.True(marker >= 0, "the test source marks the moved statement with /*move*/");
        var statement = tree.GetRoot().DescendantTokens().First(t => t.SpanStart >= marker).Parent!.FirstAncestorOrSelf<ExpressionStatementSyntax>()!;
        var invocation = statement.Expression is AssignmentExpressionSyntax assignment ? assignment.Right : statement.Expression;
        var diagnostic = Diagnostic.Create(FireAndForgetInRequestHandlerAnalyzer.Rule, invocation.GetLocation(), "x", "y", "z", "w");
        var symbols = OffloadSymbols.Create(compilation);
        Assert.NotNull(symbols);
        return OffloadSite.Find(tree.GetRoot(), model, diagnostic, symbols!, CancellationToken.None)?.Analysis;
    }

    private static Capture CaptureOf(MovedWork work, string name)
        => Assert.Single(work.Captures, c => c.Symbol.Name == name);

    [Fact]
    public void Plain_values_are_captured_services_resolved_and_the_request_token_replaced()
    {
        var work = Analyze("""/*move*/ _ = Task.Run(async () => { await _mailer.SendAsync(to + order.Email, token); await fromServices.SendAsync("a", HttpContext.RequestAborted); });""");
        Assert.Null(work.Refusal);
        Assert.Equal(CaptureKind.Value, CaptureOf(work, "to").Kind);
        Assert.Equal(CaptureKind.Value, CaptureOf(work, "order").Kind);
        Assert.Equal(CaptureKind.Service, CaptureOf(work, "_mailer").Kind);
        Assert.Equal(CaptureKind.Service, CaptureOf(work, "fromServices").Kind);
        Assert.Equal(CaptureKind.Token, CaptureOf(work, "token").Kind);
        Assert.Equal(CaptureKind.Token, CaptureOf(work, "RequestAborted").Kind);
        Assert.True(work.ContainsAwait);
        Assert.False(CaptureOf(work, "to").NeedsCopy);
    }

    [Fact]
    public void A_value_the_handler_writes_elsewhere_is_copied_and_variables_declared_inside_the_work_are_not_captured()
    {
        var work = Analyze("""
            var subject = "hello";
            /*move*/ _ = Task.Run(() => { var local = subject + to; System.IO.File.WriteAllText(local, local); });
            subject = "changed";
            """);
        Assert.Null(work.Refusal);
        Assert.True(CaptureOf(work, "subject").NeedsCopy);
        Assert.False(CaptureOf(work, "to").NeedsCopy);
        Assert.DoesNotContain(work.Captures, c => c.Symbol.Name == "local");
        Assert.False(work.ContainsAwait);
    }

    [Theory]
    [InlineData("/*move*/ _ = Task.Run(() => HttpContext.Response.WriteAsync(to));", "HttpContext")]
    [InlineData("/*move*/ _ = Task.Run(() => Response.WriteAsync(to));", "uses the request")]
    [InlineData("/*move*/ _ = Task.Run(() => System.IO.File.WriteAllText(to, _sender));", "'_sender' of the handler's instance")]
    [InlineData("/*move*/ _ = Task.Run(() => Ok(to));", "'Ok' of the handler's instance")]
    [InlineData("/*move*/ _ = Task.Run(() => _settable!.SendAsync(to));", "'_settable' of the handler's instance")]
    [InlineData("/*move*/ _ = Task.Run(() => System.IO.File.WriteAllText(to, ids[0].ToString()));", "'ids', whose type")]
    [InlineData("var n = 0; /*move*/ _ = Task.Run(() => n = 1);", "writes 'n'")]
    [InlineData("using var stream = System.IO.File.OpenRead(to); /*move*/ _ = Task.Run(() => System.IO.File.WriteAllText(to, stream.Length.ToString()));", "using local")]
    [InlineData("/*move*/ _ = _mailer.SendAsync(to); _ = _mailer.SendAsync(to);", "also uses '_mailer'")]
    [InlineData("/*move*/ _ = Task.Run(() => Local()); static void Local() { }", "local function")]
    [InlineData("/*move*/ _mailer.TrySend(to, out var id); Console.WriteLine(id);", "declares a variable")]
    [InlineData("/*move*/ ThreadPool.QueueUserWorkItem(state => System.IO.File.WriteAllText(to, state!.ToString()), order);", "'state', a parameter of a function")]
    [InlineData("/*move*/ _ = Task.Run(() => { return 42; });", "returns a value")]
    public void Work_that_touches_the_request_the_instance_or_uncopyable_variables_is_refused(string statements, string reason)
    {
        var work = Analyze(statements);
        Assert.False(work.CanMove);
        Assert.Contains(reason, work.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Incomplete_code_is_refused_without_an_exception()
    {
        Assert.False(TryAnalyze("/*move*/ _ = _mailer.SendAsync(missing);")?.CanMove ?? false);
        Assert.False(TryAnalyze("/*move*/ _ = Task.Run(() => _mailer.SendAsync(to, missing));")?.CanMove ?? false);
        Assert.False(TryAnalyze("/*move*/ _ = Task.Run(() => { _mailer.SendAsync(to) });")?.CanMove ?? false);
    }
}
