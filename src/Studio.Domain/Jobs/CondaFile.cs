using System.Globalization;
using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Jobs;

/// <summary>
/// A conda environment file as Azure ML takes it (<c>name</c>, <c>channels</c>, <c>dependencies</c>, where one entry may
/// be a <c>pip:</c> list). Read once here so the install step, the pip fallback and the page agree on what it holds.
/// </summary>
public sealed record CondaFile(string? Name, IReadOnlyList<string> Channels, IReadOnlyList<string> CondaPackages, IReadOnlyList<string> PipPackages)
{
    /// <summary>Reads <paramref name="text"/>; errors name <paramref name="field"/>.</summary>
    public static Result<CondaFile> Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Error.Validation(field, "The conda file is empty: give its dependencies (dependencies: [python=3.10, pip, {pip: [...]}]).");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(text) > JobEnvironment.MaxCondaFileBytes)
        {
            return Error.Validation(field, $"The conda file is larger than {JobEnvironment.MaxCondaFileBytes / 1024} KiB.");
        }

        YamlMappingNode root;
        try
        {
            var stream = YamlReader.Load(text);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return Error.Validation(field, "A conda file is one YAML mapping (name, channels, dependencies).");
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            return Error.Validation(field, string.Create(CultureInfo.InvariantCulture, $"The conda file cannot be read at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"));
        }

        string? name = null;
        var channels = new List<string>();
        var conda = new List<string>();
        var pip = new List<string>();
        foreach (var (k, v) in root.Children)
        {
            switch ((k as YamlScalarNode)?.Value)
            {
                case "name":
                    name = (v as YamlScalarNode)?.Value;
                    break;
                case "channels":
                    channels.AddRange(Strings(v));
                    break;
                case "dependencies":
                    if (v is not YamlSequenceNode dependencies)
                    {
                        return Error.Validation(field, "dependencies: is a list (python=3.10, pip, {pip: [...]}).");
                    }

                    foreach (var d in dependencies.Children)
                    {
                        if (d is YamlScalarNode { Value: { Length: > 0 } package })
                        {
                            conda.Add(package.Trim());
                        }
                        else if (d is YamlMappingNode m && m.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == "pip") is { Value: { } list })
                        {
                            pip.AddRange(Strings(list));
                        }
                        else
                        {
                            return Error.Validation(field, "Each dependency is a package (numpy=1.26) or the pip: list.");
                        }
                    }

                    break;
            }
        }

        return new CondaFile(name, channels, conda, pip);
    }

    private static IEnumerable<string> Strings(YamlNode node) => node is YamlSequenceNode s
        ? s.Children.OfType<YamlScalarNode>().Select(x => x.Value?.Trim()).Where(x => !string.IsNullOrEmpty(x)).Select(x => x!)
        : [];

    /// <summary>The conda packages pip cannot install (everything but <c>python</c> and <c>pip</c>), named when only pip is on the image.</summary>
    public IReadOnlyList<string> CondaOnly => [.. CondaPackages.Where(p => !IsPackage(p, "python") && !IsPackage(p, "pip"))];

    /// <summary>The pip list as a requirements file.</summary>
    public string Requirements => PipPackages.Count == 0 ? string.Empty : string.Join('\n', PipPackages) + "\n";

    private static bool IsPackage(string spec, string name) =>
        spec.Equals(name, StringComparison.OrdinalIgnoreCase)
        || (spec.StartsWith(name, StringComparison.OrdinalIgnoreCase) && spec.Length > name.Length && spec[name.Length] is '=' or '<' or '>' or ' ' or '!');
}
