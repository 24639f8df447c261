using System;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PerfRules.Infrastructure;
using PerfRules.Razor;

namespace PerfRules.Rules;

/// <summary>
/// PERF010: per-user data (<c>User</c>, <c>Context.User</c>, <c>Context.Request.Cookies</c>, <c>Context.Session</c>)
/// inside a <c>&lt;cache&gt;</c>/<c>&lt;distributed-cache&gt;</c> whose key does not vary by it: the first
/// user's fragment is served to every user.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PerUserDataInCacheTagAnalyzer : DiagnosticAnalyzer
{
    internal const string AttributeProperty = "Attribute";
    internal const string ValueProperty = "Value";
    internal const string StartTagStartProperty = "StartTagStart";

    internal static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PerUserDataInSharedCacheTag,
        title: "Per-user data inside a cache tag helper without a per-user key",
        messageFormat: "'{0}' is per-user data inside <{1}>, whose key does not vary by it: the first user's fragment is served to everyone; add {2} or move it out of the cached fragment",
        RuleIdentifiers.PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The cache tag helper stores the rendered fragment under a key made of its vary-by attributes. Data of the current user, cookie or session inside it is rendered once and replayed to every other user unless the key varies by it (vary-by-user, vary-by-cookie, vary-by).",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PerUserDataInSharedCacheTag));

    private static readonly Regex PerUserData = new(
        @"(?<![\w.@])(?:Context\s*\.\s*(?<kind>User|Session|Request\s*\.\s*Cookies)|(?<kind>User))(?=\s*(?:\?\s*)?[.\[])",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly Regex CookieName = new(@"\G\s*(?:\[\s*""(?<name>[^""]*)""|\.\s*(?:TryGetValue|ContainsKey)\s*\(\s*""(?<name>[^""]*)"")", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(static start =>
        {
            if (WellKnownTypes.GetOrCreate(start.Compilation).Get(WellKnownType.Microsoft_AspNetCore_Mvc_TagHelpers_CacheTagHelper) is null)
            {
                return;
            }

            start.RegisterAdditionalFileAction(static file =>
            {
                if (RazorFiles.Read(file.AdditionalFile, file.CancellationToken) is not { } view)
                {
                    return;
                }

                var text = view.Text.ToString();
                foreach (var code in view.Document.Code)
                {
                    foreach (Match match in PerUserData.Matches(text.Substring(code.Start, code.Length)))
                    {
                        var span = new TextSpan(code.Start + match.Index, match.Length);
                        var kind = Normalize(match.Groups["kind"].Value);
                        var cookie = kind == "Cookies" ? CookieName.Match(text, span.End) is { Success: true } m ? m.Groups["name"].Value : null : null;
                        foreach (var cache in view.Document.CachesAround(span))
                        {
                            if (Covers(cache, kind, cookie, out var attribute, out var value))
                            {
                                continue;
                            }

                            var properties = ImmutableDictionary<string, string?>.Empty
                                .Add(AttributeProperty, attribute)
                                .Add(ValueProperty, value)
                                .Add(StartTagStartProperty, cache.StartTag.Start.ToString(System.Globalization.CultureInfo.InvariantCulture));
                            var suggestion = attribute + "=\"" + value + "\"";
                            file.ReportDiagnostic(Diagnostic.Create(Rule, RazorFiles.LocationOf(file.AdditionalFile, view.Text, span), properties, match.Value, cache.Name, suggestion));
                            break;
                        }
                    }
                }
            });
        });
    }

    private static string Normalize(string kind) => kind.StartsWith("Request", StringComparison.Ordinal) ? "Cookies" : kind;

    /// <summary>Whether the cache's key varies by the data; otherwise the attribute and value that would make it vary.</summary>
    internal static bool Covers(RazorCacheElement cache, string kind, string? cookie, out string attribute, out string value)
    {
        var attributes = cache.Attributes;
        if (attributes.TryGetValue("enabled", out var enabled) && enabled.Trim().Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            (attribute, value) = (string.Empty, string.Empty);
            return true;
        }

        var varyBy = attributes.TryGetValue("vary-by", out var v) ? v : string.Empty;
        switch (kind)
        {
            case "User":
                (attribute, value) = ("vary-by-user", "true");
                return attributes.TryGetValue("vary-by-user", out var byUser) && !byUser.Trim().Equals("false", StringComparison.OrdinalIgnoreCase)
                    || varyBy.IndexOf("User", StringComparison.Ordinal) >= 0;
            case "Cookies":
                (attribute, value) = ("vary-by-cookie", cookie ?? "");
                if (varyBy.IndexOf("Cookies", StringComparison.Ordinal) >= 0)
                {
                    return true;
                }

                if (!attributes.TryGetValue("vary-by-cookie", out var cookies) || cookies.Trim().Length == 0)
                {
                    return false;
                }

                if (cookie is null)
                {
                    return true; // some cookie varies the key; which one the code reads is not known
                }

                foreach (var name in cookies.Split(','))
                {
                    if (name.Trim().Equals(cookie, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                value = cookies.Trim() + "," + cookie;
                return false;
            default:
                (attribute, value) = ("vary-by-cookie", ".AspNetCore.Session");
                return varyBy.IndexOf("Session", StringComparison.Ordinal) >= 0
                    || attributes.TryGetValue("vary-by-cookie", out var sessionCookies) && sessionCookies.IndexOf(".AspNetCore.Session", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }
}
