using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Infrastructure.InstanceTypes;

/// <summary>
/// Reads <c>InstanceType</c> and <c>InstanceTypeList</c> YAML (one or more documents) into drafts, with every problem
/// named by its path and line. Scalars are kept as written (<c>cpu: 1.5</c> stays "1.5"), so quantities round-trip.
/// </summary>
public static class InstanceTypeYaml
{
    /// <summary>At most this many instance types per import.</summary>
    public const int MaxItems = 500;

    /// <summary>Parses <paramref name="yaml"/>; a file-level problem (not YAML, wrong kind) is an error with a document path.</summary>
    public static Result<IReadOnlyList<ImportedInstanceType>> Parse(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Result<IReadOnlyList<ImportedInstanceType>>.Failure(Error.Validation("yaml", "Paste or upload InstanceType or InstanceTypeList YAML."));
        }

        YamlStream stream;
        try
        {
            stream = YamlReader.Load(yaml);
        }
        catch (YamlException e)
        {
            return Result<IReadOnlyList<ImportedInstanceType>>.Failure(Error.Validation("yaml", $"Not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}"));
        }

        var items = new List<ImportedInstanceType>();
        var errors = new List<Error>();
        var documents = stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).ToList();
        for (var d = 0; d < documents.Count; d++)
        {
            var prefix = documents.Count > 1 ? $"documents[{d}]." : string.Empty;
            if (documents[d].RootNode is not YamlMappingNode root)
            {
                errors.Add(Error.Validation(prefix.TrimEnd('.') is { Length: > 0 } p ? p : "yaml", $"Line {documents[d].RootNode.Start.Line}: expected an InstanceType or InstanceTypeList object."));
                continue;
            }

            var apiVersion = Text(root, "apiVersion");
            var kind = Text(root, "kind");
            if (apiVersion is not null && apiVersion != InstanceTypeManifest.ApiVersion)
            {
                errors.Add(Error.Validation(prefix + "apiVersion", $"Line {Line(root, "apiVersion")}: apiVersion must be {InstanceTypeManifest.ApiVersion}, not '{apiVersion}'."));
                continue;
            }

            switch (kind)
            {
                case "InstanceType":
                    items.Add(Read(root, prefix.TrimEnd('.')));
                    break;
                case "InstanceTypeList" or "List":
                    if (Child(root, "items") is not YamlSequenceNode list)
                    {
                        errors.Add(Error.Validation(prefix + "items", $"Line {root.Start.Line}: an {kind} needs items: a list of instance types."));
                        break;
                    }

                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        var path = $"{prefix}items[{i}]";
                        if (list.Children[i] is not YamlMappingNode item)
                        {
                            errors.Add(Error.Validation(path, $"Line {list.Children[i].Start.Line}: expected an instance type object."));
                            continue;
                        }

                        if (Text(item, "kind") is { } itemKind && itemKind != "InstanceType")
                        {
                            errors.Add(Error.Validation(path + ".kind", $"Line {Line(item, "kind")}: only InstanceType items can be imported, not {itemKind}."));
                            continue;
                        }

                        items.Add(Read(item, path));
                    }

                    break;
                default:
                    errors.Add(Error.Validation(prefix + "kind", kind is null
                        ? $"Line {root.Start.Line}: kind is missing; expected InstanceType or InstanceTypeList."
                        : $"Line {Line(root, "kind")}: kind must be InstanceType or InstanceTypeList, not '{kind}'."));
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return Result<IReadOnlyList<ImportedInstanceType>>.Failure(errors);
        }

        if (items.Count == 0)
        {
            return Result<IReadOnlyList<ImportedInstanceType>>.Failure(Error.Validation("yaml", "The YAML holds no instance types."));
        }

        if (items.Count > MaxItems)
        {
            return Result<IReadOnlyList<ImportedInstanceType>>.Failure(Error.Validation("yaml", $"At most {MaxItems} instance types per import ({items.Count} given)."));
        }

        var duplicates = items.GroupBy(i => i.Draft.Name, StringComparer.Ordinal).Where(g => g.Key is not null && g.Count() > 1).ToList();
        if (duplicates.Count > 0)
        {
            return Result<IReadOnlyList<ImportedInstanceType>>.Failure([.. duplicates.Select(g => Error.Validation(g.Last().Path + ".metadata.name", $"Line {g.Last().Line}: '{g.Key}' appears {g.Count()} times in the file ({string.Join(", ", g.Select(i => i.Path))}).")) ]);
        }

        return Result<IReadOnlyList<ImportedInstanceType>>.Ok(items);
    }

    private static ImportedInstanceType Read(YamlMappingNode node, string path)
    {
        var at = path.Length == 0 ? string.Empty : path + ".";
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        var problems = new List<Error>();
        var metadata = Child(node, "metadata") as YamlMappingNode;
        var name = metadata is null ? null : Text(metadata, "name");
        lines[InstanceTypeFields.Name] = metadata is null ? node.Start.Line : Line(metadata, "name");
        if (metadata is not null && Text(metadata, "namespace") is { Length: > 0 } ns)
        {
            problems.Add(Error.Validation(at + "metadata.namespace", $"Line {Line(metadata, "namespace")}: instance types are cluster-wide; remove namespace '{ns}'."));
        }

        var spec = Child(node, "spec") as YamlMappingNode;
        lines["spec"] = spec?.Start.Line ?? node.Start.Line;
        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec is not null && Child(spec, "nodeSelector") is { } selectorNode)
        {
            if (selectorNode is YamlMappingNode map)
            {
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? string.Empty;
                    lines[InstanceTypeFields.NodeSelectorKey(key)] = k.Start.Line;
                    if (v is YamlScalarNode scalar)
                    {
                        selector[key] = scalar.Value ?? string.Empty;
                    }
                    else
                    {
                        problems.Add(Error.Validation(at + InstanceTypeFields.NodeSelectorKey(key), $"Line {v.Start.Line}: a nodeSelector value must be a string."));
                    }
                }
            }
            else if (selectorNode is not YamlScalarNode { Value: null or "" })
            {
                problems.Add(Error.Validation(at + InstanceTypeFields.NodeSelector, $"Line {selectorNode.Start.Line}: nodeSelector must be a map of label to value."));
            }
        }

        var resources = spec is null ? null : Child(spec, "resources") as YamlMappingNode;
        var requests = resources is null ? null : Child(resources, "requests") as YamlMappingNode;
        var limits = resources is null ? null : Child(resources, "limits") as YamlMappingNode;
        string? Value(YamlMappingNode? parent, string key, string field)
        {
            if (parent is null)
            {
                lines[field] = resources?.Start.Line ?? spec?.Start.Line ?? node.Start.Line;
                return null;
            }

            lines[field] = Child(parent, key) is { } child ? child.Start.Line : parent.Start.Line;
            return Child(parent, key) switch
            {
                null => null,
                YamlScalarNode s => s.Value is "~" or "null" && s.Style == ScalarStyle.Plain ? null : s.Value,
                var other => Problem(field, other),
            };
        }

        string? Problem(string field, YamlNode other)
        {
            problems.Add(Error.Validation(at + field, $"Line {other.Start.Line}: expected a quantity such as 500m or 4Gi."));
            return null;
        }

        var draft = new InstanceTypeDraft(
            name,
            selector,
            Value(requests, "cpu", InstanceTypeFields.RequestCpu),
            Value(requests, "memory", InstanceTypeFields.RequestMemory),
            Value(limits, "cpu", InstanceTypeFields.LimitCpu),
            Value(limits, "memory", InstanceTypeFields.LimitMemory),
            Value(limits, InstanceTypeManifest.Gpu, InstanceTypeFields.LimitGpu),
            Value(requests, InstanceTypeManifest.Gpu, InstanceTypeFields.RequestGpu));
        var validated = InstanceTypeRules.Validate(draft);
        var reported = problems.Select(p => p.Field).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(validated.Errors.Where(e => !reported.Contains(at + e.Field)).Select(e => e with
        {
            Field = at + e.Field,
            Message = $"Line {LineOf(lines, e.Field)}: {e.Message}",
        }));
        return new ImportedInstanceType(path.Length == 0 ? name ?? "document" : path, node.Start.Line, draft, problems);
    }

    private static long LineOf(Dictionary<string, long> lines, string? field) =>
        field is not null && lines.TryGetValue(field, out var line) ? line : lines.GetValueOrDefault("spec");

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static long Line(YamlMappingNode node, string key) => Child(node, key)?.Start.Line ?? node.Start.Line;
}
