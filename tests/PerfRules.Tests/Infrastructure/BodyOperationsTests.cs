using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfRules.Infrastructure;

namespace PerfRules.Tests.Infrastructure;

public sealed class BodyOperationsTests
{
    private const string Source = """
        public class Item { public int Id { get; set; } public Item Next() => this; }
        public class Shop
        {
            public Item Current { get; set; } = new Item();

            public int Run(Item item)
            {
                var next = item.Next();
                Current = new Item { Id = next.Id };
                System.Func<int> later = () => Current.Next().Id;
                return later() + Local();

                int Local() => item.Id;
            }
        }
        """;

    [Fact]
    public void A_body_yields_its_calls_property_reads_assignments_and_creations_in_preorder_including_lambdas_and_local_functions()
    {
        var (compilation, body) = Body(Source, "Run");
        var found = BodyOperations.Walk(body);

        var expected = new List<IOperation>();
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation.Kind is OperationKind.Invocation or OperationKind.PropertyReference or OperationKind.SimpleAssignment or OperationKind.ObjectCreation)
            {
                expected.Add(operation);
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);
        Assert.Contains(found, o => o is IPropertyReferenceOperation { Property.Name: "Id", Parent: IReturnOperation }); // in the local function
        Assert.Contains(found, o => o is IInvocationOperation { TargetMethod.Name: "Next", Instance: IPropertyReferenceOperation }); // in the lambda
        Assert.Contains(found, o => o is IObjectCreationOperation);
        Assert.DoesNotContain(found, o => o.Kind is OperationKind.LocalReference or OperationKind.Literal or OperationKind.Binary);
        GC.KeepAlive(compilation);
    }

    [Fact]
    public void A_body_without_any_of_those_operations_yields_an_empty_list()
    {
        var (_, body) = Body("public class C { public int M(int a) { var b = a + 1; return b; } }", "M");
        Assert.Empty(BodyOperations.Walk(body));
    }

    [Fact]
    public void A_deeply_nested_expression_is_walked_without_recursion()
    {
        var source = new StringBuilder("public class C { public int P { get; set; } public int M() => P");
        for (var i = 0; i < 5000; i++)
        {
            source.Append(" + P");
        }

        source.Append("; }");

        // Bound on a thread with room for the compiler's own recursion, walked on one whose stack a recursive walk of
        // 5,000 levels would overflow.
        IOperation? body = null;
        Run(() => body = Body(source.ToString(), "M").Body, 64 * 1024 * 1024);
        var count = 0;
        Run(() => count = BodyOperations.Walk(body!).Length, 128 * 1024);
        Assert.Equal(5001, count);
    }

    private static void Run(Action action, int stackSize)
    {
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            stackSize);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }

    private static (Compilation Compilation, IOperation Body) Body(string source, string method)
        => Body(WellKnownTypesTests.Compile(source, TestReferences.NetCore), method);

    private static (Compilation Compilation, IOperation Body) Body(Compilation compilation, string method)
    {
        var tree = compilation.SyntaxTrees.Single();
        var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == method);
        var model = compilation.GetSemanticModel(tree);
        var body = model.GetOperation(declaration) ?? throw new InvalidOperationException("no body");
        return (compilation, body);
    }
}
