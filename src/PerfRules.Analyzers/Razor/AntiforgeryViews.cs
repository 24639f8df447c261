using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfRules.Razor;

/// <summary>
/// The Razor views of a project (AdditionalFiles) whose rendering generates an antiforgery token: a
/// <c>&lt;form method="post"&gt;</c> where MVC's tag helpers are imported (the form tag helper adds the token unless
/// <c>asp-antiforgery="false"</c>), <c>asp-antiforgery="true"</c>, or the HTML helpers <c>Html.AntiForgeryToken()</c>,
/// <c>Html.BeginForm(…)</c> and <c>Html.BeginRouteForm(…)</c> (post by default). Generating a token sets the antiforgery
/// cookie for a visitor who has none, and ties the HTML to that visitor's cookie.
/// </summary>
internal sealed class AntiforgeryViews
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private static readonly Regex RazorComment = new(@"@\*.*?(?:\*@|$)", RegexOptions.Singleline | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex HtmlComment = new(@"<!--.*?(?:-->|$)", RegexOptions.Singleline | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex FormTag = new(@"<form\b(?<attributes>[^>]*)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex PostMethod = new(@"(?<![\w-])method\s*=\s*[""']?\s*post\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex GetMethod = new(@"(?<![\w-])method\s*=\s*[""']?\s*get\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex PlainAction = new(@"(?<![\w-])action\s*=\s*(?<value>""[^""]*""|'[^']*'|[^\s>]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex RoutedForm = new(@"(?<![\w-])asp-(?:action|controller|area|page|page-handler|fragment|route|all-route-data|route-[\w-]+)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex AntiforgeryAttribute = new(@"\basp-antiforgery\s*=\s*[""']?\s*(?<value>true|false)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex HtmlHelper = new(@"\bHtml\s*\.\s*(?<name>AntiForgeryToken|BeginForm|BeginRouteForm)\s*\((?<arguments>[^)]*)", RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex TagHelperImport = new(@"@addTagHelper\s+[^\r\n]*Microsoft\.AspNetCore\.Mvc\.TagHelpers", RegexOptions.CultureInvariant, Timeout);

    private readonly ImmutableArray<AdditionalText> _views;
    private readonly ConcurrentDictionary<AdditionalText, string?> _scanned = new();
    private int _tagHelpers; // 0 unknown, 1 imported, 2 not imported
    private Dictionary<string, AdditionalText>? _byPathSuffix;

    private AntiforgeryViews(ImmutableArray<AdditionalText> views) => _views = views;

    /// <summary>Null when the project has no Razor views.</summary>
    public static AntiforgeryViews? Create(AnalyzerOptions options)
    {
        var views = ImmutableArray.CreateBuilder<AdditionalText>();
        foreach (var file in options.AdditionalFiles)
        {
            if (file.Path.EndsWith(".cshtml", StringComparison.OrdinalIgnoreCase))
            {
                views.Add(file);
            }
        }

        return views.Count == 0 ? null : new AntiforgeryViews(views.ToImmutable());
    }

    /// <summary>
    /// The first of <paramref name="candidates"/> (view paths relative to the project, '/'-separated, in the order MVC
    /// searches them) that exists, when it generates an antiforgery token: its relative path and what generates the token.
    /// Null when the first existing candidate generates none, or none exists.
    /// </summary>
    public (string View, string Generator)? FindTokenView(IEnumerable<string> candidates, CancellationToken cancellationToken)
    {
        foreach (var candidate in candidates)
        {
            var file = Find(candidate);
            if (file is null)
            {
                continue;
            }

            if (!_scanned.TryGetValue(file, out var generator))
            {
                generator = _scanned.GetOrAdd(file, Scan(file, TagHelpersImported(cancellationToken), cancellationToken));
            }

            return generator is null ? null : (candidate, generator);
        }

        return null;
    }

    /// <summary>What in <paramref name="text"/> generates an antiforgery token, or null.</summary>
    internal static string? FindGenerator(string text, bool tagHelpersImported)
    {
        // Most views write no form: neither a form tag nor an HTML helper that writes one appears anywhere in them.
        if (text.IndexOf("<form", StringComparison.OrdinalIgnoreCase) < 0 && text.IndexOf("Html", StringComparison.Ordinal) < 0)
        {
            return null;
        }

        try
        {
            text = text.IndexOf("@*", StringComparison.Ordinal) < 0 ? text : RazorComment.Replace(text, string.Empty);
            text = text.IndexOf("<!--", StringComparison.Ordinal) < 0 ? text : HtmlComment.Replace(text, string.Empty);
            foreach (Match form in FormTag.Matches(text))
            {
                var attributes = form.Groups["attributes"].Value;
                var explicitly = AntiforgeryAttribute.Match(attributes);
                if (explicitly.Success)
                {
                    if (string.Equals(explicitly.Groups["value"].Value, "true", StringComparison.OrdinalIgnoreCase) && tagHelpersImported)
                    {
                        return "a form with asp-antiforgery=\"true\"";
                    }

                    continue;
                }

                if (tagHelpersImported && FormTagHelperAddsToken(attributes))
                {
                    return "a post form (the form tag helper adds an antiforgery token)";
                }
            }

            foreach (Match helper in HtmlHelper.Matches(text))
            {
                var name = helper.Groups["name"].Value;
                if (name == "AntiForgeryToken" || helper.Groups["arguments"].Value.IndexOf("FormMethod.Get", StringComparison.Ordinal) < 0)
                {
                    return "Html." + name + "()";
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // a pathological file: say nothing rather than guess
        }

        return null;
    }

    /// <summary>
    /// The form tag helper's default when <c>asp-antiforgery</c> is not written: a plain <c>action="url"</c> posts to
    /// another address and gets no token (an empty <c>action=""</c> posts back and does, unless the method is get);
    /// <c>asp-action</c>/<c>asp-page</c>/<c>asp-route</c>… forms get one unless <c>method="get"</c>; a form without
    /// either gets one only with <c>method="post"</c>.
    /// </summary>
    private static bool FormTagHelperAddsToken(string attributes)
    {
        var post = PostMethod.IsMatch(attributes);
        var action = PlainAction.Match(attributes);
        if (action.Success)
        {
            return post && action.Groups["value"].Value.Trim('"', '\'').Length == 0;
        }

        return RoutedForm.IsMatch(attributes) ? !GetMethod.IsMatch(attributes) : post;
    }

    private static string? Scan(AdditionalText file, bool tagHelpersImported, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken);
        return text is null || text.Length > 4 * 1024 * 1024 ? null : FindGenerator(text.ToString(), tagHelpersImported);
    }

    // MVC's tag helpers are active when a _ViewImports.cshtml imports them (the templates do, in Views/ and Pages/).
    private bool TagHelpersImported(CancellationToken cancellationToken)
    {
        if (_tagHelpers == 0)
        {
            var imported = false;
            foreach (var view in _views)
            {
                if (view.Path.EndsWith("_ViewImports.cshtml", StringComparison.OrdinalIgnoreCase)
                    && view.GetText(cancellationToken) is { } text && TagHelperImport.IsMatch(text.ToString()))
                {
                    imported = true;
                    break;
                }
            }

            _tagHelpers = imported ? 1 : 2;
        }

        return _tagHelpers == 1;
    }

    // The view whose path is the relative path or ends with '/' and it, the first in the project's order (case-insensitive).
    private AdditionalText? Find(string relativePath)
    {
        var index = Volatile.Read(ref _byPathSuffix) ?? BuildIndex();
        return index.TryGetValue(relativePath.TrimStart('~', '/'), out var view) ? view : null;
    }

    // Each view under its whole path and every end of it that starts after a '/' ('/'-separated), the first view in the
    // project's order keeping a key: built on the first look-up, once per compilation. Every View() call of the project
    // looks up one or two paths, and a scan copied every view's path per look-up: a cost of views times renders.
    private Dictionary<string, AdditionalText> BuildIndex()
    {
        var index = new Dictionary<string, AdditionalText>(StringComparer.OrdinalIgnoreCase);
        foreach (var view in _views)
        {
            var path = view.Path.Replace('\\', '/');
            Add(path, view);
            for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
            {
                Add(path.Substring(slash + 1), view);
            }
        }

        return Interlocked.CompareExchange(ref _byPathSuffix, index, null) ?? index;

        void Add(string key, AdditionalText view)
        {
            if (!index.ContainsKey(key))
            {
                index.Add(key, view);
            }
        }
    }
}
