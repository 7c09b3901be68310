using System.Globalization;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.AzureMl;

/// <summary>
/// Reads the values of a CLI v2 YAML node tree, collecting errors by path (<c>scale_settings.min_instances</c>) and the
/// keys an importer does not carry over (<see cref="Issues"/>), so an importer is a switch over keys and never throws.
/// </summary>
public sealed class YamlFields
{
    public List<Error> Errors { get; } = [];

    public List<YamlIssue> Issues { get; } = [];

    /// <summary>Parses one YAML document whose root is a mapping; an error at <c>(document)</c> otherwise (<paramref name="what"/>: "an online endpoint").</summary>
    public static Result<YamlMappingNode> Load(string? yaml, string what)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Error.Validation("(document)", $"The YAML is empty. Paste {what}.");
        }

        try
        {
            var stream = YamlReader.Load(yaml);
            if (stream.Documents.Count != 1)
            {
                return Error.Validation("(document)", $"The YAML must hold exactly one document: {what}.");
            }

            return stream.Documents[0].RootNode is YamlMappingNode root
                ? root
                : Error.Validation("(document)", $"{char.ToUpperInvariant(what[0])}{what[1..]} is a YAML mapping (key: value lines).");
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is { } i && e.Message.Contains("See inner", StringComparison.Ordinal) ? i : e;
            return Error.Validation("(document)", string.Create(CultureInfo.InvariantCulture, $"The YAML cannot be read at line {e.Start.Line}, column {e.Start.Column}: {inner.Message}"));
        }
    }

    /// <summary>The entries of a mapping, keys read as text; a non-mapping is an error at <paramref name="path"/>.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, string? path)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            yield break;
        }

        if (node is not YamlMappingNode mapping)
        {
            Errors.Add(Error.Validation(path ?? "(document)", $"Expected a mapping (key: value lines) at {path} (line {node.Start.Line})."));
            yield break;
        }

        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } key })
            {
                yield return (key, v);
            }
            else
            {
                Errors.Add(Error.Validation(path ?? "(document)", string.Create(CultureInfo.InvariantCulture, $"A key must be a single value (line {k.Start.Line}, column {k.Start.Column}).")));
            }
        }
    }

    public string? Scalar(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" ? null : scalar.Value;
        }

        Errors.Add(Error.Validation(path, $"Expected a single value at {path} (line {node.Start.Line}), not a {(node is YamlSequenceNode ? "list" : "mapping")}."));
        return null;
    }

    public int? Integer(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Errors.Add(Error.Validation(path, $"Expected a whole number at {path}, not '{text}'."));
        return null;
    }

    public bool? Boolean(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Errors.Add(Error.Validation(path, $"Expected true or false at {path}, not '{text}'."));
        return null;
    }

    /// <summary>A map of single values (tags, environment variables); keys in file order.</summary>
    public Dictionary<string, string> Strings(YamlNode node, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(node, path))
        {
            if (Scalar(value, $"{path}.{key}") is { } text)
            {
                result[key] = text;
            }
        }

        return result;
    }

    public void Ignore(string path, string why) => Issues.Add(new YamlIssue(path, why));
}
