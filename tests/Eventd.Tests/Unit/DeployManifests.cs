using System.Text.RegularExpressions;

namespace Eventd.Tests.Unit;

/// <summary>An environment variable a deployment file sets, and where.</summary>
internal sealed record EnvVar(string Where, string Name, string? Value);

/// <summary>
/// The README's "Configuration" table: which keys an operator may set and their defaults.
/// A row's first cell names keys in backticks (<c>`Orleans:SiloPort` / `Orleans:GatewayPort`</c>;
/// a bare name after a full one is its sibling: <c>`Eventd:Delivery:DefaultRetries` / `DefaultTimeoutMs`</c>),
/// its second cell their defaults in the same order.
/// </summary>
internal sealed class ConfigurationTable
{
    // Settings the .NET host reads itself; any deployment may set them.
    private static readonly HashSet<string> HostVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        "ASPNETCORE_URLS", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT",
    };

    private readonly Dictionary<string, string?> _defaults;

    private ConfigurationTable(Dictionary<string, string?> defaults) => _defaults = defaults;

    public IReadOnlyCollection<string> Keys => _defaults.Keys;

    public static ConfigurationTable Read(string readme)
    {
        var lines = readme.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.Trim() == "## Configuration");
        Assert.True(start >= 0, "README.md has no '## Configuration' section");
        var defaults = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var cells = Regex.Split(line.Trim(), @"(?<!\\)\|").Select(c => c.Trim()).ToArray();
            if (cells.Length < 4 || cells[1].StartsWith("---", StringComparison.Ordinal) || cells[1] == "key")
            {
                continue;
            }

            var keys = RowKeys(Backticked(cells[1]));
            var values = Backticked(cells[2]);
            for (var i = 0; i < keys.Count; i++)
            {
                defaults[keys[i]] = i < values.Count ? values[i] : null;
            }
        }

        return new ConfigurationTable(defaults);
    }

    /// <summary>True when <paramref name="variable"/> (<c>A__B__C</c>) is a documented key (<c>A:B:C</c>).</summary>
    public bool Documents(string variable)
    {
        if (HostVariables.Contains(variable))
        {
            return true;
        }

        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        return _defaults.ContainsKey(key) || _defaults.Keys.Any(k =>
            k.EndsWith(":*", StringComparison.Ordinal) && key.StartsWith(k[..^1], StringComparison.OrdinalIgnoreCase));
    }

    public string Default(string key) =>
        _defaults.TryGetValue(key, out var value) && value is not null ? value : throw new KeyNotFoundException($"README.md documents no default for {key}");

    public int DefaultPort(string key) => int.Parse(Default(key));

    /// <summary>The names among <paramref name="variables"/> the table does not document, with where they are set.</summary>
    public IReadOnlyList<string> Undocumented(IEnumerable<EnvVar> variables) =>
        [.. variables.Where(v => !Documents(v.Name)).Select(v => $"{v.Where}: {v.Name}")];

    private static List<string> Backticked(string cell) => [.. Regex.Matches(cell, "`([^`]+)`").Select(m => m.Groups[1].Value)];

    private static List<string> RowKeys(List<string> names)
    {
        var keys = new List<string>();
        foreach (var name in names.Where(n => !n.StartsWith('-')))
        {
            var first = keys.FirstOrDefault();
            keys.Add(!name.Contains(':', StringComparison.Ordinal) && first is not null && first.Contains(':', StringComparison.Ordinal)
                ? first[..(first.LastIndexOf(':') + 1)] + name
                : name);
        }

        return keys;
    }
}

/// <summary>One line of a YAML file: its indentation, whether it is a list item, its key and value.</summary>
internal sealed record YamlLine(string Where, int Indent, bool IsItem, string? Key, string Value);

/// <summary>
/// Just enough YAML for deployment files: lines by indentation, documents split on <c>---</c>.
/// Anchors, merges (<c>&lt;&lt;: *x</c>) and flow collections are not resolved; the checks read
/// each key where it is written.
/// </summary>
internal static class ManifestYaml
{
    public static List<List<YamlLine>> Documents(string text, string file)
    {
        var documents = new List<List<YamlLine>> { new() };
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = StripComment(raw.TrimEnd('\r'));
            if (line.Trim() == "---")
            {
                documents.Add([]);
                continue;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            var content = line.Trim();
            var isItem = content.StartsWith("- ", StringComparison.Ordinal) || content == "-";
            if (isItem)
            {
                content = content[1..].TrimStart();
            }

            var (key, value) = SplitKey(content);
            documents[^1].Add(new YamlLine($"{file}:{number}", indent, isItem, key, value));
        }

        return [.. documents.Where(d => d.Count > 0)];
    }

    /// <summary>The lines nested under <paramref name="header"/> (a list may sit at the header's own indentation).</summary>
    public static List<YamlLine> Children(List<YamlLine> document, YamlLine header)
    {
        var start = document.IndexOf(header) + 1;
        var sameIndentList = start < document.Count && document[start].IsItem && document[start].Indent == header.Indent && !header.IsItem;
        return [.. document.Skip(start).TakeWhile(l => l.Indent > header.Indent || sameIndentList && l.Indent == header.Indent && l.IsItem)];
    }

    /// <summary>The direct children of <paramref name="header"/>: the lines at the first indentation under it.</summary>
    public static List<YamlLine> Entries(List<YamlLine> document, YamlLine header)
    {
        var children = Children(document, header);
        return children.Count == 0 ? [] : [.. children.Where(l => l.Indent == children[0].Indent)];
    }

    /// <summary>Every block headed by a line with this key, anywhere in the document.</summary>
    public static IEnumerable<(YamlLine Header, List<YamlLine> Lines)> Blocks(List<YamlLine> document, string key) =>
        document.Where(l => l.Key == key).Select(h => (h, Children(document, h)));

    public static string? Kind(List<YamlLine> document) => document.FirstOrDefault(l => l.Indent == 0 && l.Key == "kind")?.Value;

    /// <summary>The value of <c>metadata.name</c>.</summary>
    public static string? Name(List<YamlLine> document)
    {
        var metadata = document.FirstOrDefault(l => l.Indent == 0 && l.Key == "metadata");
        return metadata is null ? null : Entries(document, metadata).FirstOrDefault(l => l.Key == "name")?.Value;
    }

    /// <summary><c>key: value</c>, <c>key:</c>, <c>"key": value</c>, or a bare value (<c>redis:6379</c> is a value).</summary>
    private static (string? Key, string Value) SplitKey(string content)
    {
        if (content[0] is '"' or '\'')
        {
            var close = content.IndexOf(content[0], 1);
            var keyed = close > 0 && content.Length > close + 1 && content[close + 1] == ':' && (content.Length == close + 2 || content[close + 2] == ' ');
            return keyed ? (content[1..close], Unquote(content[(close + 2)..].Trim())) : (null, Unquote(content));
        }

        var colon = content.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 && content.EndsWith(':'))
        {
            colon = content.Length - 1;
        }

        return colon <= 0 || content[0] is '[' or '{' ? (null, Unquote(content)) : (content[..colon], Unquote(content[(colon + 1)..].Trim()));
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i].TrimEnd();
            }
        }

        return line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;
}
